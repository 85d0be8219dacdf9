/* record_rule — rule-filtered record lookups (see record_rule.h). The statement shapes follow
 * what PocketBase's RecordQuery + RecordFieldResolver.UpdateQuery produce:
 *   SELECT [DISTINCT] <what> FROM `c` <joins> WHERE `c`.`id` <match> AND (<rule>) [LIMIT 1]
 * with <match> `= ?` for one id and `IN (SELECT value FROM json_each(?))` for a list. */
#include "collections/record_rule.h"

#include <stdlib.h>
#include <string.h>

#include "collections/filter.h"
#include "collections/record_json.h"

enum sel_what { SEL_ONE, SEL_ID, SEL_ALL };

/* Builds the statement text into sql, the values into q. `id` (single) or `ids` (list). */
static int build(const struct pb_read_ctx *ctx, const struct pb_collection *c, enum sel_what what, const char *id,
                 json_t *ids, const char *rule, struct pb_query *q, struct pb_strbuf *sql, struct pb_error *err)
{
	struct pb_strbuf where = PB_STRBUF_INIT;
	int rc = 0;
	if (rule && *rule) {
		struct pb_filter_ctx fc = {ctx->schema, c, ctx->req, q, true, false, NULL, NULL};
		rc = pb_filter_to_sql(&fc, rule, &where, err);
	}
	if (rc == 0) {
		pb_strbuf_puts(sql, pb_query_has_joins(q) ? "SELECT DISTINCT " : "SELECT ");
		if (what == SEL_ONE) {
			pb_strbuf_puts(sql, "(1)");
		} else if (what == SEL_ID) {
			pb_sql_column(sql, c->name, "id");
		} else {
			pb_sql_ident(sql, c->name);
			pb_strbuf_puts(sql, ".*");
		}
		pb_strbuf_puts(sql, " FROM ");
		pb_sql_ident(sql, c->name);
		pb_query_write_joins(q, sql);
		pb_strbuf_puts(sql, " WHERE ");
		pb_sql_column(sql, c->name, "id");
		if (ids) {
			char *list = json_dumps(ids, JSON_COMPACT);
			pb_strbuf_puts(sql, " IN (SELECT value FROM json_each(");
			pb_query_put_text(q, sql, list ? list : "[]", list ? strlen(list) : 2);
			pb_strbuf_puts(sql, "))");
			free(list);
		} else {
			pb_strbuf_puts(sql, " = ");
			pb_query_put_text(q, sql, id, strlen(id));
		}
		if (where.len) {
			pb_strbuf_puts(sql, " AND (");
			pb_strbuf_append(sql, where.data, where.len);
			pb_strbuf_putc(sql, ')');
		}
		if (!ids)
			pb_strbuf_puts(sql, " LIMIT 1");
	}
	pb_strbuf_deinit(&where);
	return rc;
}

static sqlite3_stmt *prepare(const struct pb_read_ctx *ctx, const struct pb_strbuf *sql, const struct pb_query *q,
                             struct pb_error *err)
{
	sqlite3_stmt *st = pb_stmt_cache_get(ctx->stmts, pb_strbuf_cstr(sql), sql->len);
	if (!st) {
		pb_error_set(err, 500, "%s", sqlite3_errmsg(ctx->stmts->db));
		return NULL;
	}
	if (pb_query_bind_all(q, st) != SQLITE_OK) {
		pb_error_set(err, 500, "%s", sqlite3_errmsg(ctx->stmts->db));
		pb_stmt_cache_release(ctx->stmts, st);
		return NULL;
	}
	return st;
}

/* Runs the statement: SEL_ALL → array of records, SEL_ID → array of ids, SEL_ONE → array
 * holding `true` when a row exists. NULL with err on SQLite errors. */
static json_t *run(const struct pb_read_ctx *ctx, const struct pb_collection *c, enum sel_what what,
                   const struct pb_strbuf *sql, const struct pb_query *q, struct pb_error *err)
{
	sqlite3_stmt *st = prepare(ctx, sql, q, err);
	if (!st)
		return NULL;
	json_t *out = json_array();
	int *map = NULL; /* mapped after the first step: a schema change re-prepares the statement there */
	const struct pb_record_export x = {.show_hidden = true, .show_email = true};
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (what == SEL_ALL) {
			if (!map)
				map = pb_record_colmap(c, st);
			json_array_append_new(out, pb_record_from_row(c, st, map, &x));
		} else if (what == SEL_ID) {
			const char *t = (const char *)sqlite3_column_text(st, 0);
			json_array_append_new(out, json_string(t ? t : ""));
		} else {
			json_array_append_new(out, json_true());
			break;
		}
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		pb_error_set(err, 500, "%s", sqlite3_errmsg(ctx->stmts->db));
		json_decref(out);
		out = NULL;
	}
	free(map);
	pb_stmt_cache_release(ctx->stmts, st);
	return out;
}

static json_t *query(const struct pb_read_ctx *ctx, const struct pb_collection *c, enum sel_what what, const char *id,
                     json_t *ids, const char *rule, struct pb_error *err)
{
	struct pb_query q;
	pb_query_init(&q);
	struct pb_strbuf sql = PB_STRBUF_INIT;
	json_t *out = NULL;
	if (build(ctx, c, what, id, ids, rule, &q, &sql, err) == 0)
		out = ids && json_array_size(ids) == 0 ? json_array() : run(ctx, c, what, &sql, &q, err);
	pb_strbuf_deinit(&sql);
	pb_query_deinit(&q);
	return out;
}

int pb_record_rule_check(const struct pb_read_ctx *ctx, const struct pb_collection *c, const char *id,
                         const char *rule, struct pb_error *err)
{
	if (ctx->req && ctx->req->superuser)
		return 1;
	if (!rule)
		return 0;
	if (!*rule)
		return 1;
	json_t *rows = query(ctx, c, SEL_ONE, id ? id : "", NULL, rule, err);
	if (!rows)
		return -1;
	int found = json_array_size(rows) > 0;
	json_decref(rows);
	return found;
}

json_t *pb_record_fetch_with_rule(const struct pb_read_ctx *ctx, const struct pb_collection *c, const char *id,
                                  const char *rule, struct pb_error *err)
{
	json_t *rows = query(ctx, c, SEL_ALL, id ? id : "", NULL, rule, err);
	if (!rows)
		return NULL;
	json_t *rec = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	if (!rec)
		pb_error_set(err, 404, "%s", pb_error_default_message(404));
	return rec;
}

int pb_record_write_with_rule(const struct pb_read_ctx *ctx, const struct pb_collection *c, const char *id,
                              const char *rule, const struct pb_record_export *x, struct pb_strbuf *out,
                              struct pb_error *err)
{
	struct pb_query q;
	pb_query_init(&q);
	struct pb_strbuf sql = PB_STRBUF_INIT;
	int found = -1;
	if (build(ctx, c, SEL_ALL, id ? id : "", NULL, rule, &q, &sql, err) != 0)
		goto done;
	sqlite3_stmt *st = prepare(ctx, &sql, &q, err);
	if (!st)
		goto done;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		/* mapped after the step: a schema change re-prepares the statement there */
		int small[64], *map = c->nfields <= 64 ? small : malloc(c->nfields * sizeof *map);
		if (!map)
			abort();
		pb_record_colmap_fill(c, st, map);
		pb_record_write_row(c, st, map, x, out);
		if (map != small)
			free(map);
		found = 1;
	} else if (rc == SQLITE_DONE) {
		found = 0;
	} else {
		pb_error_set(err, 500, "%s", sqlite3_errmsg(ctx->stmts->db));
	}
	pb_stmt_cache_release(ctx->stmts, st);
done:
	pb_strbuf_deinit(&sql);
	pb_query_deinit(&q);
	return found;
}

json_t *pb_records_fetch_by_ids(const struct pb_read_ctx *ctx, const struct pb_collection *c, json_t *ids,
                                const char *rule, struct pb_error *err)
{
	if (!json_is_array(ids)) {
		pb_error_set(err, 500, "invalid id list");
		return NULL;
	}
	return query(ctx, c, SEL_ALL, NULL, ids, rule, err);
}

json_t *pb_records_match_ids(const struct pb_read_ctx *ctx, const struct pb_collection *c, json_t *ids,
                             const char *rule, struct pb_error *err)
{
	if (!json_is_array(ids)) {
		pb_error_set(err, 500, "invalid id list");
		return NULL;
	}
	return query(ctx, c, SEL_ID, NULL, ids, rule, err);
}
