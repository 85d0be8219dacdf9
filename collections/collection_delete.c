/* collection_delete — deleting and truncating collections as writer jobs (see
 * collection_save.h). Delete mirrors onCollectionDeleteExecute: system collections and
 * collections other collections point at with relation fields are refused, the table (or view)
 * is dropped, every other view is re-derived (a view that depended on it makes the delete fail),
 * the auth reference rows (_mfas, _otps, _externalAuths, _authOrigins) of the collection go, then
 * the `_collections` row; its storage directory is removed after the commit. Truncate deletes
 * the records 500 at a time through the records delete path, so cascades, reference updates and
 * file removal behave as for single deletes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collections/collection_save_internal.h"
#include "collections/schema_sync.h"
#include "core/strbuf.h"

/* The names of the collections (other than c) with a relation field to c, ", "-joined, or NULL. */
static char *references(const struct pb_schema *schema, const struct pb_collection *c)
{
	struct pb_strbuf b = PB_STRBUF_INIT;
	for (size_t i = 0; i < schema->ncollections; i++) {
		const struct pb_collection *o = schema->collections[i];
		if (!strcmp(o->id, c->id))
			continue;
		for (size_t k = 0; k < o->nfields; k++) {
			const struct pb_field *f = &o->fields[k];
			if (f->type == PB_FIELD_RELATION && f->collection_id && !strcmp(f->collection_id, c->id)) {
				pb_strbuf_printf(&b, "%s%s", b.len ? ", " : "", o->name);
				break;
			}
		}
	}
	return b.len ? pb_strbuf_steal(&b) : NULL;
}

static int exec_bound(sqlite3 *db, const char *sql, const char *arg, struct pb_error *err)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return pb_error_set(err, 400, "%s", sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, arg, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : pb_error_set(err, 400, "%s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc;
}

int pb_cs_delete(struct pb_write_ctx *w, struct pb_collection_save *s, const struct pb_schema *schema,
                 const struct pb_collection *c, bool integrity)
{
	if (c->system)
		return pb_error_set(w->err, 400, "[%s] system collections cannot be deleted", c->name);
	if (integrity) {
		char *refs = references(schema, c);
		if (refs) {
			pb_error_set(w->err, 400, "[%s] failed to delete due to existing relation references: %s", c->name, refs);
			free(refs);
			return -1;
		}
	}
	if (pb_schema_drop(w->db, c, w->err) != 0)
		return -1;
	if (integrity && pb_cs_resave_views(w, s, c->id) != 0) {
		char m[PB_ERROR_MSG_MAX];
		snprintf(m, sizeof m, "%s", w->err->message);
		pb_error_set(w->err, 400, "[%s] failed to delete due to existing view dependency: %.400s", c->name, m);
		return -1;
	}
	static const char *const ref_tables[] = {"_mfas", "_otps", "_externalAuths", "_authOrigins"};
	for (size_t i = 0; c->type == PB_COLLECTION_AUTH && i < 4; i++) {
		if (!pb_schema_has_table(w->db, ref_tables[i]))
			continue;
		char sql[96];
		snprintf(sql, sizeof sql, "DELETE FROM `%s` WHERE `collectionRef` = ?1", ref_tables[i]);
		if (exec_bound(w->db, sql, c->id, w->err) != 0)
			return -1;
	}
	if (exec_bound(w->db, "DELETE FROM `_collections` WHERE `id` = ?1", c->id, w->err) != 0)
		return -1;
	if (!s->deleted_ids)
		s->deleted_ids = json_array();
	json_array_append_new(s->deleted_ids, json_string(c->id));
	return 0;
}

int pb_collection_delete_run(struct pb_write_ctx *w, void *arg)
{
	struct pb_collection_save *s = arg;
	pb_collection_save_deinit(s);
	pb_record_save_init(&s->rec);
	s->db = w->db;
	struct pb_schema *schema = pb_cs_load_schema(w);
	if (!schema)
		return -1;
	int rc = -1;
	const struct pb_collection *c = pb_schema_find(schema, s->target);
	if (!c) {
		pb_error_set(w->err, 404, "%s", "");
	} else if (pb_cs_delete(w, s, schema, c, true) != 0) {
		char *refs = references(schema, c);
		pb_error_clear(w->err);
		if (refs)
			pb_error_set(w->err, 400, "%s probably due to existing reference in %s", PB_MSG_COLLECTION_DELETE_FAILED,
			             refs);
		else
			pb_error_set(w->err, 400, "%s", PB_MSG_COLLECTION_DELETE_FAILED);
		free(refs);
	} else {
		rc = 0;
	}
	pb_schema_unref(schema);
	return rc;
}

/* Up to 500 record ids of c (malloc'd JSON array). */
static json_t *record_ids(struct pb_write_ctx *w, const struct pb_collection *c)
{
	struct pb_strbuf sql = PB_STRBUF_INIT;
	pb_strbuf_puts(&sql, "SELECT `id` FROM `");
	pb_strbuf_puts(&sql, c->name);
	pb_strbuf_puts(&sql, "` LIMIT 500");
	sqlite3_stmt *st = NULL;
	json_t *ids = NULL;
	if (sqlite3_prepare_v2(w->db, sql.data, -1, &st, NULL) == SQLITE_OK) {
		ids = json_array();
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			const char *id = (const char *)sqlite3_column_text(st, 0);
			json_array_append_new(ids, json_string(id ? id : ""));
		}
		if (rc != SQLITE_DONE) {
			json_decref(ids);
			ids = NULL;
		}
	}
	sqlite3_finalize(st);
	pb_strbuf_deinit(&sql);
	return ids;
}

int pb_collection_truncate_run(struct pb_write_ctx *w, void *arg)
{
	struct pb_collection_save *s = arg;
	pb_collection_save_deinit(s);
	pb_record_save_init(&s->rec);
	s->db = w->db;
	s->rec_schema = pb_cs_load_schema(w);
	if (!s->rec_schema)
		return -1;
	const struct pb_collection *c = pb_schema_find(s->rec_schema, s->target);
	if (!c)
		return pb_error_set(w->err, 404, "%s", "");
	if (c->type == PB_COLLECTION_VIEW)
		return pb_error_set(w->err, 400, "%s", PB_MSG_COLLECTION_TRUNCATE_VIEW);
	s->rec.schema = s->rec_schema;
	s->rec.c = c;
	s->rec.req = s->req;
	s->rec.storage_dir = s->storage_dir;
	for (;;) {
		json_t *ids = record_ids(w, c);
		if (!ids)
			return pb_error_set(w->err, 400, "%s", PB_MSG_COLLECTION_TRUNCATE_FAILED);
		size_t n = json_array_size(ids), i, deleted = 0;
		json_t *id;
		json_array_foreach(ids, i, id)
		{
			s->rec.id = json_string_value(id);
			if (pb_record_delete_run(w, &s->rec) != 0) {
				if (w->err->status == 404) { /* already gone with a cascade */
					pb_error_clear(w->err);
					continue;
				}
				json_decref(ids);
				pb_error_clear(w->err);
				return pb_error_set(w->err, 400, "%s", PB_MSG_COLLECTION_TRUNCATE_FAILED);
			}
			deleted++;
		}
		s->rec.id = NULL;
		json_decref(ids);
		if (n == 0)
			return 0;
		if (deleted == 0) /* rows that cannot be loaded as records: no progress is possible */
			return pb_error_set(w->err, 400, "%s", PB_MSG_COLLECTION_TRUNCATE_FAILED);
	}
}
