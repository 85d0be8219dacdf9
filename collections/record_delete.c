/* record_delete — deleting a record as PocketBase's App.Delete does: the row goes first, then
 * every relation that points at it is resolved (collections in name order, their relation
 * fields in order): a reference whose id list becomes empty is deleted when the field has
 * cascadeDelete (recursively, with the same rules), fails the whole delete when the field is
 * required, and otherwise the id is removed from the reference and it is saved without
 * validation (its autodates stamped). Auth records also take their _externalAuths, _mfas,
 * _otps and _authOrigins rows with them. Every deleted and updated record becomes a change
 * event; the files of deleted records are removed only after the commit. */
#include <stdlib.h>
#include <string.h>

#include "collections/field_type.h"
#include "collections/record_json.h"
#include "collections/record_rule.h"
#include "collections/record_save_internal.h"
#include "core/datetime.h"

#define MAX_CASCADE_DEPTH 64

static const char *const auth_ref_collections[] = {"_externalAuths", "_mfas", "_otps", "_authOrigins"};

static int delete_record(struct pb_write_ctx *w, struct pb_record_save *s, const struct pb_collection *c,
                         const json_t *stored, int depth);

static int run_sql(struct pb_write_ctx *w, const char *sql, size_t len, const struct pb_query *q)
{
	sqlite3_stmt *st = pb_stmt_cache_get(w->stmts, sql, len);
	if (!st)
		return pb_error_set(w->err, 500, "%s", sqlite3_errmsg(w->db));
	int rc = pb_query_bind_all(q, st);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	pb_stmt_cache_release(w->stmts, st);
	if (rc != SQLITE_DONE)
		return pb_error_set(w->err, 400, "%s", PB_MSG_FAILED_DELETE);
	return 0;
}

static void add_stale_dir(struct pb_record_save *s, const struct pb_collection *c, const char *id)
{
	if (!s->stale_files)
		s->stale_files = json_array();
	json_array_append_new(s->stale_files, json_pack("{ssss}", "c", c->id, "r", id));
}

/* Records of `rc` whose relation field `f` references `id` (excluding `id` itself in a self
 * relation), at most `limit`, as stored rows with secrets. */
static json_t *find_refs(struct pb_write_ctx *w, const struct pb_collection *rc, const struct pb_field *f,
                         const char *id, bool same_collection, int limit)
{
	struct pb_strbuf sql = PB_STRBUF_INIT;
	struct pb_query q;
	pb_query_init(&q);
	pb_strbuf_puts(&sql, "SELECT ");
	pb_sql_ident(&sql, rc->name);
	pb_strbuf_puts(&sql, ".* FROM ");
	pb_sql_ident(&sql, rc->name);
	pb_strbuf_puts(&sql, " WHERE ");
	if (pb_field_is_multiple(f)) {
		pb_strbuf_puts(&sql, "EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(");
		pb_sql_column(&sql, rc->name, f->name);
		pb_strbuf_puts(&sql, ") THEN ");
		pb_sql_column(&sql, rc->name, f->name);
		pb_strbuf_puts(&sql, " ELSE json_array(");
		pb_sql_column(&sql, rc->name, f->name);
		pb_strbuf_puts(&sql, ") END) __je__ WHERE __je__.value = ");
		pb_query_put_text(&q, &sql, id, strlen(id));
		pb_strbuf_putc(&sql, ')');
	} else {
		pb_sql_column(&sql, rc->name, f->name);
		pb_strbuf_puts(&sql, " = ");
		pb_query_put_text(&q, &sql, id, strlen(id));
	}
	if (same_collection) {
		pb_strbuf_puts(&sql, " AND ");
		pb_sql_column(&sql, rc->name, "id");
		pb_strbuf_puts(&sql, " != ");
		pb_query_put_text(&q, &sql, id, strlen(id));
	}
	pb_strbuf_printf(&sql, " LIMIT %d", limit);
	json_t *rows = json_array();
	sqlite3_stmt *st = pb_stmt_cache_get(w->stmts, sql.data, sql.len);
	if (st) {
		pb_query_bind_all(&q, st);
		struct pb_record_export x = {.show_hidden = true, .show_email = true, .keep_secrets = true,
		                             .no_collection_keys = true};
		int *map = NULL;
		int rcode;
		while ((rcode = sqlite3_step(st)) == SQLITE_ROW) {
			if (!map)
				map = pb_record_colmap(rc, st);
			json_array_append_new(rows, pb_record_from_row(rc, st, map, &x));
		}
		free(map);
		pb_stmt_cache_release(w->stmts, st);
		if (rcode != SQLITE_DONE) {
			json_decref(rows);
			rows = NULL;
		}
	} else {
		json_decref(rows);
		rows = NULL;
	}
	pb_strbuf_deinit(&sql);
	pb_query_deinit(&q);
	if (!rows)
		pb_error_set(w->err, 500, "%s", sqlite3_errmsg(w->db));
	return rows;
}

/* deleteRefRecords for one batch of referencing rows */
static int resolve_refs(struct pb_write_ctx *w, struct pb_record_save *s, const struct pb_collection *rc,
                        const struct pb_field *f, const char *id, json_t *rows, int depth)
{
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		json_t *val = json_object_get(row, f->name);
		json_t *ids = json_array();
		bool removed = false;
		if (json_is_array(val)) {
			size_t k;
			json_t *it;
			json_array_foreach(val, k, it)
			{
				if (!removed && json_is_string(it) && !strcmp(json_string_value(it), id)) {
					removed = true;
					continue;
				}
				json_array_append(ids, it);
			}
		} else if (json_is_string(val) && *json_string_value(val) && strcmp(json_string_value(val), id) != 0) {
			json_array_append(ids, val);
		}
		size_t left = json_array_size(ids);
		if (f->cascade_delete && left == 0) {
			json_decref(ids);
			if (delete_record(w, s, rc, row, depth + 1) != 0)
				return -1;
			continue;
		}
		if (f->required && left == 0) {
			json_decref(ids);
			return pb_error_set(w->err, 400, "%s", PB_MSG_FAILED_DELETE);
		}
		json_t *updated = json_deep_copy(row);
		json_t *newval = pb_field_is_multiple(f)
		                     ? ids
		                     : json_string(left ? json_string_value(json_array_get(ids, left - 1)) : "");
		if (!pb_field_is_multiple(f))
			json_decref(ids);
		json_object_set_new(updated, f->name, newval);
		int64_t now = pb_now_ms();
		for (size_t k = 0; k < rc->nfields; k++) {
			const struct pb_field_ops *ops = pb_field_impl(&rc->fields[k]);
			if (ops->on_write)
				ops->on_write(&rc->fields[k], updated, row, now);
		}
		const char *rid = json_string_value(json_object_get(row, "id"));
		int r = pb_save_update_row(w, rc, updated, rid ? rid : "", PB_MSG_FAILED_DELETE);
		if (r == 0) {
			json_t *pub = pb_save_public_copy(rc, updated);
			pb_save_event(w, "update", rc, pub);
			json_decref(pub);
		}
		json_decref(updated);
		if (r != 0)
			return -1;
	}
	return 0;
}

static int cascade(struct pb_write_ctx *w, struct pb_record_save *s, const struct pb_collection *c, const char *id,
                   int depth)
{
	/* the referencing collections in name order, as upstream sorts them */
	size_t n = s->schema->ncollections;
	const struct pb_collection **order = malloc((n ? n : 1) * sizeof *order);
	if (!order)
		abort();
	for (size_t i = 0; i < n; i++)
		order[i] = s->schema->collections[i];
	for (size_t a = 1; a < n; a++)
		for (size_t b = a; b > 0 && strcmp(order[b - 1]->name, order[b]->name) > 0; b--) {
			const struct pb_collection *t = order[b];
			order[b] = order[b - 1];
			order[b - 1] = t;
		}
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct pb_collection *ref = order[i];
		if (ref->type == PB_COLLECTION_VIEW)
			continue;
		for (size_t k = 0; k < ref->nfields && rc == 0; k++) {
			const struct pb_field *f = &ref->fields[k];
			if (f->type != PB_FIELD_RELATION || !f->collection_id || strcmp(f->collection_id, c->id) != 0)
				continue;
			for (;;) {
				json_t *rows = find_refs(w, ref, f, id, ref == c, 4000);
				if (!rows) {
					rc = -1;
					break;
				}
				size_t got = json_array_size(rows);
				if (got)
					rc = resolve_refs(w, s, ref, f, id, rows, depth);
				json_decref(rows);
				if (rc != 0 || got < 4000)
					break;
			}
		}
	}
	free(order);
	return rc;
}

static int delete_auth_refs(struct pb_write_ctx *w, const struct pb_collection *c, const char *id)
{
	for (size_t i = 0; i < sizeof auth_ref_collections / sizeof auth_ref_collections[0]; i++) {
		struct pb_strbuf sql = PB_STRBUF_INIT;
		struct pb_query q;
		pb_query_init(&q);
		pb_strbuf_puts(&sql, "DELETE FROM ");
		pb_sql_ident(&sql, auth_ref_collections[i]);
		pb_strbuf_puts(&sql, " WHERE `collectionRef` = ");
		pb_query_put_text(&q, &sql, c->id, strlen(c->id));
		pb_strbuf_puts(&sql, " AND `recordRef` = ");
		pb_query_put_text(&q, &sql, id, strlen(id));
		sqlite3_stmt *st = pb_stmt_cache_get(w->stmts, sql.data, sql.len);
		int rc = SQLITE_DONE;
		if (st) { /* a pb_data without that system table simply has nothing to delete */
			pb_query_bind_all(&q, st);
			rc = sqlite3_step(st);
			pb_stmt_cache_release(w->stmts, st);
		}
		pb_strbuf_deinit(&sql);
		pb_query_deinit(&q);
		if (rc != SQLITE_DONE)
			return pb_error_set(w->err, 400, "%s", PB_MSG_FAILED_DELETE);
	}
	return 0;
}

static int delete_record(struct pb_write_ctx *w, struct pb_record_save *s, const struct pb_collection *c,
                         const json_t *stored, int depth)
{
	if (depth > MAX_CASCADE_DEPTH)
		return pb_error_set(w->err, 400, "%s", PB_MSG_FAILED_DELETE);
	const char *id = json_string_value(json_object_get(stored, "id"));
	if (!id)
		return pb_error_set(w->err, 400, "%s", PB_MSG_FAILED_DELETE);
	struct pb_strbuf sql = PB_STRBUF_INIT;
	struct pb_query q;
	pb_query_init(&q);
	pb_strbuf_puts(&sql, "DELETE FROM ");
	pb_sql_ident(&sql, c->name);
	pb_strbuf_puts(&sql, " WHERE `id` = ");
	pb_query_put_text(&q, &sql, id, strlen(id));
	int rc = run_sql(w, sql.data, sql.len, &q);
	pb_strbuf_deinit(&sql);
	pb_query_deinit(&q);
	if (rc != 0)
		return -1;
	if (c->type == PB_COLLECTION_AUTH && delete_auth_refs(w, c, id) != 0)
		return -1;
	if (cascade(w, s, c, id, depth) != 0)
		return -1;
	add_stale_dir(s, c, id);
	json_t *pub = pb_save_public_copy(c, stored);
	pb_save_event(w, "delete", c, pub);
	if (depth == 0) {
		json_decref(s->record);
		s->record = pub;
	} else {
		json_decref(pub);
	}
	return 0;
}

static long long count_rows(struct pb_write_ctx *w, const char *table)
{
	struct pb_strbuf sql = PB_STRBUF_INIT;
	pb_strbuf_puts(&sql, "SELECT COUNT(*) FROM ");
	pb_sql_ident(&sql, table);
	sqlite3_stmt *st = pb_stmt_cache_get(w->stmts, sql.data, sql.len);
	long long n = -1;
	if (st) {
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int64(st, 0);
		pb_stmt_cache_release(w->stmts, st);
	}
	pb_strbuf_deinit(&sql);
	return n;
}

int pb_record_delete_run(struct pb_write_ctx *w, void *arg)
{
	struct pb_record_save *s = arg;
	const struct pb_collection *c = s->c;
	struct pb_read_ctx rctx = {s->schema, w->stmts, s->req, NULL};
	if (!s->req->superuser) {
		const char *rule = c->rules[PB_RULE_DELETE];
		if (rule && *rule && pb_record_rule_check(&rctx, c, s->id, rule, w->err) != 1) {
			pb_error_clear(w->err);
			return pb_error_set(w->err, 404, "%s", "");
		}
	}
	json_t *stored = pb_save_load_stored(w, c, s->id);
	if (!stored)
		return pb_error_set(w->err, 404, "%s", "");
	int rc = -1;
	if (!strcmp(c->name, "_superusers") && count_rows(w, c->name) <= 1) {
		pb_error_set(w->err, 400, "%s", PB_MSG_LAST_SUPERUSER);
		goto done;
	}
	rc = delete_record(w, s, c, stored, 0);
	if (rc != 0 && w->err->status != 500) {
		pb_error_clear(w->err);
		pb_error_set(w->err, 400, "%s", PB_MSG_FAILED_DELETE);
	}
done:
	json_decref(stored);
	return rc;
}
