/* collection_save — create and update of a collection as writer jobs, the shared save
 * pipeline and the completion (see collection_save.h). The save follows PocketBase's hook
 * order: onCollectionSave normalizations → validator → a new authToken secret when the auth
 * rule changed → for views the fields re-derived, the old view dropped and the view created
 * (id cast to TEXT when needed) → the `_collections` row → SyncRecordTableSchema; then views
 * depending on the collection are re-derived (their failures only logged, as upstream). */
#include "collections/collection_save.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collections/collection_bind.h"
#include "collections/collection_defaults.h"
#include "collections/collection_doc.h"
#include "collections/collection_save_internal.h"
#include "collections/collection_validate.h"
#include "collections/field_settings.h"
#include "collections/schema_sync.h"
#include "collections/view_infer.h"
#include "core/datetime.h"
#include "core/json_write.h"
#include "core/random.h"
#include "core/storage.h"

void pb_collection_save_init(struct pb_collection_save *s)
{
	memset(s, 0, sizeof *s);
	pb_record_save_init(&s->rec);
}

void pb_collection_save_deinit(struct pb_collection_save *s)
{
	json_decref(s->result);
	json_decref(s->deleted_ids);
	if (s->settings)
		pb_settings_unref(s->settings);
	pb_record_save_deinit(&s->rec);
	if (s->rec_schema)
		pb_schema_unref(s->rec_schema);
	s->result = s->deleted_ids = NULL;
	s->settings = NULL;
	s->rec_schema = NULL;
}

/* A job may run twice (the writer restarts a batch): every output starts empty. */
static void reset_outputs(struct pb_collection_save *s, struct pb_write_ctx *w)
{
	pb_collection_save_deinit(s);
	pb_record_save_init(&s->rec);
	s->db = w->db;
}

void pb_cs_now(char *out) { pb_datetime_format(pb_now_ms(), out); }

struct pb_schema *pb_cs_load_schema(struct pb_write_ctx *w) { return pb_schema_load(w->db, w->err); }

/* ---- the row -------------------------------------------------------------------------------- */

static int write_row(struct pb_write_ctx *w, const json_t *doc, bool insert, struct pb_error *err)
{
	static const char ins[] = "INSERT INTO `_collections` (`id`, `system`, `type`, `name`, `fields`, `indexes`, "
	                          "`listRule`, `viewRule`, `createRule`, `updateRule`, `deleteRule`, `options`, "
	                          "`created`, `updated`) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
	static const char upd[] = "UPDATE `_collections` SET `system` = ?2, `type` = ?3, `name` = ?4, `fields` = ?5, "
	                          "`indexes` = ?6, `listRule` = ?7, `viewRule` = ?8, `createRule` = ?9, `updateRule` = ?10, "
	                          "`deleteRule` = ?11, `options` = ?12, `created` = ?13, `updated` = ?14 WHERE `id` = ?1";
	static const char *const rules[] = {"listRule", "viewRule", "createRule", "updateRule", "deleteRule"};
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(w->db, insert ? ins : upd, -1, &st, NULL) != SQLITE_OK)
		return pb_error_set(err, 400, "%s", sqlite3_errmsg(w->db));
	char *fields = pb_collection_doc_fields_text(doc), *indexes = pb_collection_doc_indexes_text(doc);
	char *options = pb_collection_doc_options_text(doc);
	sqlite3_bind_text(st, 1, pb_collection_doc_str(doc, "id"), -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, json_is_true(json_object_get(doc, "system")));
	sqlite3_bind_text(st, 3, pb_collection_doc_str(doc, "type"), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, pb_collection_doc_str(doc, "name"), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, fields, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, indexes, -1, SQLITE_TRANSIENT);
	for (int i = 0; i < 5; i++) {
		const char *r = json_string_value(json_object_get(doc, rules[i]));
		if (r)
			sqlite3_bind_text(st, 7 + i, r, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(st, 7 + i);
	}
	sqlite3_bind_text(st, 12, options, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 13, pb_collection_doc_str(doc, "created"), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 14, pb_collection_doc_str(doc, "updated"), -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : pb_error_set(err, 400, "%s", sqlite3_errmsg(w->db));
	sqlite3_finalize(st);
	free(fields);
	free(indexes);
	free(options);
	return rc;
}

/* ---- the save pipeline ---------------------------------------------------------------------- */

static bool same_rule(const json_t *a, const json_t *b)
{
	const char *x = json_string_value(a), *y = json_string_value(b);
	return !strcmp(x ? x : "", y ? y : "");
}

static int save_view(struct pb_write_ctx *w, const struct pb_schema *schema, json_t *doc,
                     const struct pb_collection *old, struct pb_error *err)
{
	const char *query = pb_collection_doc_str(doc, "viewQuery");
	json_t *fields = pb_view_create_fields(w->db, schema, query, NULL, err);
	if (!fields)
		return -1;
	if (old && pb_view_delete(w->db, old->name, err) != 0) {
		json_decref(fields);
		return -1;
	}
	char *q = pb_view_normalize_id(w->db, query, err);
	if (!q) {
		char m[PB_ERROR_MSG_MAX];
		snprintf(m, sizeof m, "failed to normalize view query id: %.400s", err->message);
		snprintf(err->message, sizeof err->message, "%s", m);
		json_decref(fields);
		return -1;
	}
	int rc = pb_view_save(w->db, pb_collection_doc_str(doc, "name"), q, err);
	free(q);
	if (rc == 0)
		json_object_set_new(doc, "fields", fields);
	else
		json_decref(fields);
	return rc;
}

int pb_cs_save_doc(struct pb_write_ctx *w, struct pb_collection_save *s, const struct pb_schema *schema, json_t *doc,
                   const struct pb_collection *old, const struct pb_cs_opts *o)
{
	struct pb_error *err = w->err;
	char now[PB_DATETIME_LEN + 1];
	pb_cs_now(now);
	pb_collection_normalize(doc, o->is_new, o->autogen_id, now, w->db);
	json_t *old_doc = old ? pb_collection_doc_from(old) : NULL;
	int rc = -1;
	if (o->validate) {
		struct pb_collection_validate in = {.db = w->db,
		                                    .schema = schema,
		                                    .doc = doc,
		                                    .original = o->original ? o->original : old_doc,
		                                    .autogen_id = o->autogen_id};
		json_t *errs = pb_collection_validate(&in);
		if (errs) {
			pb_error_set(err, 400, "%s", "");
			json_decref(err->data);
			err->data = errs;
			goto done;
		}
	}
	if (old_doc && pb_collection_doc_type(doc) == PB_COLLECTION_AUTH &&
	    !same_rule(json_object_get(old_doc, "authRule"), json_object_get(doc, "authRule"))) {
		char secret[51];
		if (pb_random_string(secret, 50, PB_ALPHABET_ALNUM) != 0) {
			pb_error_set(err, 400, "failed to generate a token secret");
			goto done;
		}
		json_t *tok = json_object_get(doc, "authToken");
		if (json_is_object(tok))
			json_object_set_new(tok, "secret", json_string(secret));
	}
	bool view = pb_collection_doc_type(doc) == PB_COLLECTION_VIEW;
	if (view && save_view(w, schema, doc, old, err) != 0)
		goto done;
	if (write_row(w, doc, old == NULL, err) != 0)
		goto done;
	if (!view) {
		struct pb_collection *model = pb_collection_doc_build(doc);
		if (!model) {
			pb_error_set(err, 400, "invalid collection data");
			goto done;
		}
		int src = pb_schema_sync_table(w->db, model, old, err);
		pb_collection_free(model);
		if (src != 0)
			goto done;
	}
	rc = 0;
	if (o->integrity_checks) {
		/* the dependent views: failures are only logged upstream, so a failed resave is rolled
		 * back alone and the save stands */
		struct pb_error verr = PB_ERROR_INIT;
		struct pb_write_ctx vw = *w;
		vw.err = &verr;
		sqlite3_exec(w->db, "SAVEPOINT pb_views_resave", NULL, NULL, NULL);
		if (pb_cs_resave_views(&vw, s, pb_collection_doc_str(doc, "id")) != 0) {
			fprintf(stderr, "Dependent view collection(s) may need to be updated after %s collection change: %s\n",
			        pb_collection_doc_str(doc, "name"), verr.message);
			sqlite3_exec(w->db, "ROLLBACK TO pb_views_resave", NULL, NULL, NULL);
		}
		sqlite3_exec(w->db, "RELEASE pb_views_resave", NULL, NULL, NULL);
		pb_error_clear(&verr);
	}
done:
	json_decref(old_doc);
	return rc;
}

/* The fields JSON with every id cleared (resaveViewsWithChangedFields compares them so). */
static char *fields_without_ids(const json_t *fields)
{
	json_t *copy = json_array();
	size_t i;
	json_t *f;
	json_array_foreach(fields, i, f)
	{
		json_t *c = pb_field_settings_canonical(f);
		if (!c)
			c = pb_json_sorted_copy(f);
		json_object_set_new(c, "id", json_string(""));
		json_array_append_new(copy, c);
	}
	char *s = pb_json_dumps(copy);
	json_decref(copy);
	return s;
}

int pb_cs_resave_views(struct pb_write_ctx *w, struct pb_collection_save *s, const char *exclude_id)
{
	struct pb_schema *schema = pb_cs_load_schema(w);
	if (!schema)
		return -1;
	struct pb_strbuf errs = PB_STRBUF_INIT;
	for (size_t i = 0; i < schema->ncollections; i++) {
		const struct pb_collection *c = schema->collections[i];
		if (c->type != PB_COLLECTION_VIEW || (exclude_id && !strcmp(c->id, exclude_id)))
			continue;
		struct pb_error e = PB_ERROR_INIT;
		json_t *fields = pb_view_create_fields(w->db, schema, c->view_query, NULL, &e);
		int failed = !fields;
		if (fields) {
			json_t *doc = pb_collection_doc_from(c);
			char *a = fields_without_ids(fields), *b = fields_without_ids(json_object_get(doc, "fields"));
			bool changed = strcasecmp(a, b) != 0;
			free(a);
			free(b);
			if (changed) {
				struct pb_write_ctx vw = *w;
				vw.err = &e;
				const struct pb_cs_opts o = {.validate = true, .integrity_checks = false};
				failed = pb_cs_save_doc(&vw, s, schema, doc, c, &o) != 0;
				if (failed && e.data && !e.message[0]) {
					char *dump = json_dumps(e.data, JSON_COMPACT | JSON_SORT_KEYS);
					snprintf(e.message, sizeof e.message, "%s", dump ? dump : "validation failed");
					free(dump);
				}
			}
			json_decref(doc);
			json_decref(fields);
		}
		if (failed)
			pb_strbuf_printf(&errs, "%s[%s] %s", errs.len ? "\n" : "", c->name, e.message);
		pb_error_clear(&e);
	}
	pb_schema_unref(schema);
	int rc = 0;
	if (errs.len)
		rc = pb_error_set(w->err, 400, "%s", errs.data);
	pb_strbuf_deinit(&errs);
	return rc;
}

/* ---- create / update ------------------------------------------------------------------------ */

/* The API error of a failed create/update save. */
static int fail_save(struct pb_error *err, const char *msg)
{
	if (err->data && !err->message[0])
		return pb_error_set(err, 400, "%s", msg);
	char raw[PB_ERROR_MSG_MAX];
	snprintf(raw, sizeof raw, "%s", err->message);
	json_decref(err->data);
	err->data = NULL;
	/* "Failed to create collection." + " Raw error: \n" + error */
	return pb_error_set(err, 400, "%.*s Raw error: \n%.400s", (int)strlen(msg), msg, raw);
}

static void rename_hook(struct pb_write_ctx *w, struct pb_collection_save *s, const char *old_name,
                        const char *new_name)
{
	if (!strcmp(old_name, new_name))
		return;
	struct pb_settings *cur = pb_settings_current();
	struct pb_settings *renamed = cur ? pb_settings_rename_collection(cur, old_name, new_name) : NULL;
	if (cur)
		pb_settings_unref(cur);
	if (!renamed)
		return;
	struct pb_error e = PB_ERROR_INIT;
	if (pb_settings_save(w->db, renamed, s->enc_key, &e) == 0)
		s->settings = renamed;
	else
		pb_settings_unref(renamed);
	pb_error_clear(&e);
}

int pb_collection_create_run(struct pb_write_ctx *w, void *arg)
{
	struct pb_collection_save *s = arg;
	reset_outputs(s, w);
	json_t *minimal = NULL;
	if (pb_collection_bind_factory(s->body, &minimal) != 0)
		return pb_error_set(w->err, 400, "%s", PB_MSG_COLLECTION_TYPE_FORMAT);
	json_t *doc = pb_collection_new_doc(pb_collection_doc_str(minimal, "type"), pb_collection_doc_str(minimal, "name"),
	                                    NULL);
	json_decref(minimal);
	if (!doc)
		return pb_error_set(w->err, 400, "%s Raw error: \nfailed to generate the token secrets",
		                    PB_MSG_COLLECTION_CREATE_FAILED);
	char *autogen = strdup(pb_collection_doc_str(doc, "id"));
	int rc = -1;
	struct pb_schema *schema = NULL;
	if (pb_collection_bind(doc, s->body) != 0) {
		pb_error_set(w->err, 400, "%s", PB_MSG_COLLECTION_DATA_FORMAT);
		goto done;
	}
	if (!(schema = pb_cs_load_schema(w)))
		goto done;
	const struct pb_cs_opts o = {.validate = true, .is_new = true, .autogen_id = autogen, .integrity_checks = true};
	if (pb_cs_save_doc(w, s, schema, doc, NULL, &o) != 0) {
		fail_save(w->err, PB_MSG_COLLECTION_CREATE_FAILED);
		goto done;
	}
	s->result = pb_collection_doc_api_json(doc);
	rc = 0;
done:
	if (schema)
		pb_schema_unref(schema);
	free(autogen);
	json_decref(doc);
	return rc;
}

int pb_collection_update_run(struct pb_write_ctx *w, void *arg)
{
	struct pb_collection_save *s = arg;
	reset_outputs(s, w);
	struct pb_schema *schema = pb_cs_load_schema(w);
	if (!schema)
		return -1;
	int rc = -1;
	json_t *doc = NULL;
	const struct pb_collection *old = pb_schema_find(schema, s->target);
	if (!old) {
		pb_error_set(w->err, 404, "%s", "");
		goto done;
	}
	doc = pb_collection_doc_from(old);
	if (pb_collection_bind(doc, s->body) != 0) {
		pb_error_set(w->err, 400, "%s", PB_MSG_COLLECTION_DATA_FORMAT);
		goto done;
	}
	const struct pb_cs_opts o = {.validate = true, .integrity_checks = true};
	if (pb_cs_save_doc(w, s, schema, doc, old, &o) != 0) {
		fail_save(w->err, PB_MSG_COLLECTION_UPDATE_FAILED);
		goto done;
	}
	rename_hook(w, s, old->name, pb_collection_doc_str(doc, "name"));
	s->result = pb_collection_doc_api_json(doc);
	rc = 0;
done:
	json_decref(doc);
	pb_schema_unref(schema);
	return rc;
}

/* ---- completion ----------------------------------------------------------------------------- */

void pb_collection_save_finish(struct pb_collection_save *s, int rc)
{
	pb_record_save_cleanup(&s->rec, rc);
	if (rc != 0 || !s->db)
		return;
	struct pb_error err = PB_ERROR_INIT;
	struct pb_schema *schema = pb_schema_load(s->db, &err);
	if (schema)
		pb_schema_publish(schema);
	else
		fprintf(stderr, "Failed to reload the collections after a change: %s\n", err.message);
	pb_error_clear(&err);
	if (s->settings) {
		pb_settings_publish(s->settings);
		s->settings = NULL;
	}
	size_t i;
	json_t *id;
	json_array_foreach(s->deleted_ids, i, id)
	{
		if (s->storage_dir && pb_storage_delete_collection(s->storage_dir, json_string_value(id), &err) != 0)
			fprintf(stderr, "Failed to delete storage prefix %s/: %s\n", json_string_value(id), err.message);
		pb_error_clear(&err);
	}
}
