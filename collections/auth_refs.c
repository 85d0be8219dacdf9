/* auth_refs — `_mfas` / `_otps` / `_authOrigins` rows (see auth_refs.h). */
#include "collections/auth_refs.h"

#include <stdlib.h>
#include <string.h>

#include "collections/field_type.h"
#include "collections/query.h"
#include "collections/record_json.h"
#include "collections/record_write.h"
#include "core/datetime.h"

static const struct pb_record_export row_export = {.show_hidden = true, .show_email = true, .keep_secrets = true,
                                                   .no_collection_keys = true};

static json_t *select_rows(struct pb_stmt_cache *stmts, const struct pb_collection *c, const char *where,
                           const char *a, const char *b, int limit)
{
	struct pb_strbuf sql = PB_STRBUF_INIT;
	pb_strbuf_puts(&sql, "SELECT * FROM ");
	pb_sql_ident(&sql, c->name);
	pb_strbuf_printf(&sql, " WHERE %s", where);
	if (limit > 0)
		pb_strbuf_printf(&sql, " LIMIT %d", limit);
	json_t *rows = json_array();
	sqlite3_stmt *st = pb_stmt_cache_get(stmts, pb_strbuf_cstr(&sql), sql.len);
	if (st) {
		sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
		if (b)
			sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
		int *map = NULL;
		while (sqlite3_step(st) == SQLITE_ROW) {
			if (!map)
				map = pb_record_colmap(c, st);
			json_array_append_new(rows, pb_record_from_row(c, st, map, &row_export));
		}
		free(map);
		pb_stmt_cache_release(stmts, st);
	}
	pb_strbuf_deinit(&sql);
	return rows;
}

json_t *pb_auth_ref_find(struct pb_stmt_cache *stmts, const struct pb_schema *schema, const char *name,
                         const char *id)
{
	const struct pb_collection *c = pb_schema_find(schema, name);
	if (!c || !id)
		return NULL;
	json_t *rows = select_rows(stmts, c, "`id` = ?1", id, NULL, 1);
	json_t *row = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return row;
}

json_t *pb_auth_ref_list(struct pb_stmt_cache *stmts, const struct pb_schema *schema, const char *name,
                         const char *collection_id, const char *record_id)
{
	const struct pb_collection *c = pb_schema_find(schema, name);
	if (!c)
		return json_array();
	return select_rows(stmts, c, "`collectionRef` = ?1 AND `recordRef` = ?2 ORDER BY `created` DESC",
	                   collection_id, record_id, 0);
}

static int exec(struct pb_write_ctx *w, const struct pb_strbuf *sql, const struct pb_query *q, int *changes)
{
	sqlite3_stmt *st = pb_stmt_cache_get(w->stmts, sql->data, sql->len);
	if (!st)
		return pb_error_set(w->err, 500, "%s", sqlite3_errmsg(w->db));
	int rc = pb_query_bind_all(q, st);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	pb_stmt_cache_release(w->stmts, st);
	if (rc != SQLITE_DONE)
		return pb_error_set(w->err, 500, "%s", sqlite3_errmsg(w->db));
	if (changes)
		*changes = sqlite3_changes(w->db);
	return 0;
}

int pb_auth_ref_insert(struct pb_write_ctx *w, const struct pb_schema *schema, const char *name,
                       const json_t *values, int64_t now_ms, char id_out[PB_RECORD_ID_LEN + 1])
{
	const struct pb_collection *c = pb_schema_find(schema, name);
	if (!c)
		return pb_error_set(w->err, 500, "missing %s collection", name);
	json_t *rec = json_object();
	for (size_t i = 0; i < c->nfields; i++) {
		const struct pb_field *f = &c->fields[i];
		json_t *v = json_object_get(values, f->name);
		json_object_set_new(rec, f->name, v ? json_incref(v) : pb_field_impl(f)->zero(f));
	}
	const char *given = json_string_value(json_object_get(values, "id"));
	if (given && *given && strlen(given) <= PB_RECORD_ID_LEN) {
		strcpy(id_out, given);
	} else if (pb_random_id(id_out) != 0) {
		json_decref(rec);
		return pb_error_set(w->err, 500, "random source failed");
	}
	json_object_set_new(rec, "id", json_string(id_out));
	for (size_t i = 0; i < c->nfields; i++) {
		const struct pb_field_ops *ops = pb_field_impl(&c->fields[i]);
		if (ops->on_write)
			ops->on_write(&c->fields[i], rec, NULL, now_ms);
	}
	struct pb_query q;
	pb_query_init(&q);
	struct pb_strbuf sql = PB_STRBUF_INIT;
	pb_record_insert_sql(c, &sql);
	pb_record_bind(c, rec, &q);
	int rc = exec(w, &sql, &q, NULL);
	pb_strbuf_deinit(&sql);
	pb_query_deinit(&q);
	json_decref(rec);
	return rc;
}

int pb_auth_ref_touch(struct pb_write_ctx *w, const struct pb_schema *schema, const char *name, const char *id,
                      const char *field, const char *value, int64_t now_ms)
{
	const struct pb_collection *c = pb_schema_find(schema, name);
	if (!c)
		return pb_error_set(w->err, 500, "missing %s collection", name);
	char stamp[PB_DATETIME_LEN + 1];
	pb_datetime_format(now_ms, stamp);
	struct pb_query q;
	pb_query_init(&q);
	struct pb_strbuf sql = PB_STRBUF_INIT;
	pb_strbuf_puts(&sql, "UPDATE ");
	pb_sql_ident(&sql, c->name);
	pb_strbuf_puts(&sql, " SET ");
	int n = 0;
	if (field) {
		pb_sql_ident(&sql, field);
		pb_strbuf_puts(&sql, " = ");
		pb_query_put_text(&q, &sql, value ? value : "", value ? strlen(value) : 0);
		n++;
	}
	for (size_t i = 0; i < c->nfields; i++) {
		const struct pb_field *f = &c->fields[i];
		if (f->type != PB_FIELD_AUTODATE || !f->opt_on_update)
			continue;
		if (n++)
			pb_strbuf_puts(&sql, ", ");
		pb_sql_ident(&sql, f->name);
		pb_strbuf_puts(&sql, " = ");
		pb_query_put_text(&q, &sql, stamp, strlen(stamp));
	}
	int rc = 0;
	if (n) {
		pb_strbuf_puts(&sql, " WHERE `id` = ");
		pb_query_put_text(&q, &sql, id, strlen(id));
		rc = exec(w, &sql, &q, NULL);
	}
	pb_strbuf_deinit(&sql);
	pb_query_deinit(&q);
	return rc;
}

int pb_auth_ref_delete(struct pb_write_ctx *w, const char *name, const char *id)
{
	struct pb_query q;
	pb_query_init(&q);
	struct pb_strbuf sql = PB_STRBUF_INIT;
	pb_strbuf_puts(&sql, "DELETE FROM ");
	pb_sql_ident(&sql, name);
	pb_strbuf_puts(&sql, " WHERE `id` = ");
	pb_query_put_text(&q, &sql, id, strlen(id));
	int rc = exec(w, &sql, &q, NULL);
	pb_strbuf_deinit(&sql);
	pb_query_deinit(&q);
	return rc;
}

int pb_auth_ref_delete_by_record(struct pb_write_ctx *w, const char *name, const char *collection_id,
                                 const char *record_id, int *deleted)
{
	if (deleted)
		*deleted = 0;
	struct pb_query q;
	pb_query_init(&q);
	struct pb_strbuf sql = PB_STRBUF_INIT;
	pb_strbuf_puts(&sql, "DELETE FROM ");
	pb_sql_ident(&sql, name);
	pb_strbuf_puts(&sql, " WHERE `collectionRef` = ");
	pb_query_put_text(&q, &sql, collection_id, strlen(collection_id));
	pb_strbuf_puts(&sql, " AND `recordRef` = ");
	pb_query_put_text(&q, &sql, record_id, strlen(record_id));
	int rc = 0;
	sqlite3_stmt *st = pb_stmt_cache_get(w->stmts, sql.data, sql.len);
	if (st) { /* a pb_data without that system table simply has nothing to delete */
		int s = pb_query_bind_all(&q, st);
		if (s == SQLITE_OK)
			s = sqlite3_step(st);
		if (s != SQLITE_DONE)
			rc = pb_error_set(w->err, 500, "%s", sqlite3_errmsg(w->db));
		else if (deleted)
			*deleted = sqlite3_changes(w->db);
		pb_stmt_cache_release(w->stmts, st);
	}
	pb_strbuf_deinit(&sql);
	pb_query_deinit(&q);
	return rc;
}

bool pb_auth_ref_expired(const json_t *row, long long max_seconds, int64_t now_ms)
{
	int64_t created = 0;
	const char *s = json_string_value(json_object_get(row, "created"));
	if (!s || pb_datetime_parse(s, &created) != 0)
		created = INT64_MIN / 2;
	return now_ms - created > max_seconds * 1000;
}
