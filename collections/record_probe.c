/* record_probe — one-record filter probes against the stored row or a CTE of values
 * (see record_probe.h). */
#include "collections/record_probe.h"

#include <string.h>

#include "collections/filter.h"
#include "collections/record_write.h"

#define PROBE_SUFFIX "__pb_probe"

static int run(const struct pb_read_ctx *ctx, const struct pb_strbuf *sql, const struct pb_query *q,
               struct pb_error *err)
{
	sqlite3_stmt *st = pb_stmt_cache_get(ctx->stmts, pb_strbuf_cstr(sql), sql->len);
	if (!st)
		return pb_error_set(err, 500, "%s", sqlite3_errmsg(ctx->stmts->db));
	int rc = pb_query_bind_all(q, st);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	int out = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
	if (out < 0)
		pb_error_set(err, 500, "%s", sqlite3_errmsg(ctx->stmts->db));
	pb_stmt_cache_release(ctx->stmts, st);
	return out;
}

/* Builds "SELECT [DISTINCT] (1) FROM `alias` <joins> WHERE <match>(expr) LIMIT 1" around the
 * already started `sql` (a CTE prefix or nothing); `id` NULL = no id match. */
static int probe(const struct pb_read_ctx *ctx, const struct pb_collection *main, const char *id, const char *expr,
                 bool client_filter, struct pb_query *q, struct pb_strbuf *sql, struct pb_error *err)
{
	struct pb_strbuf where = PB_STRBUF_INIT;
	struct pb_filter_ctx fc = {ctx->schema, main, ctx->req, q, !client_filter, client_filter, NULL, NULL};
	int out = -1;
	if (!expr || !*expr || pb_filter_to_sql(&fc, expr, &where, err) != 0) {
		if (!err || !err->status)
			pb_error_set(err, 400, "invalid filter expression");
		goto done;
	}
	pb_strbuf_puts(sql, pb_query_has_joins(q) ? "SELECT DISTINCT (1) FROM " : "SELECT (1) FROM ");
	pb_sql_ident(sql, main->name);
	pb_query_write_joins(q, sql);
	pb_strbuf_puts(sql, " WHERE ");
	if (id) {
		pb_sql_column(sql, main->name, "id");
		pb_strbuf_puts(sql, " = ");
		pb_query_put_text(q, sql, id, strlen(id));
		pb_strbuf_puts(sql, " AND ");
	}
	pb_strbuf_putc(sql, '(');
	pb_strbuf_append(sql, where.data, where.len);
	pb_strbuf_puts(sql, ") LIMIT 1");
	out = run(ctx, sql, q, err);
done:
	pb_strbuf_deinit(&where);
	return out;
}

int pb_record_probe(const struct pb_read_ctx *ctx, const struct pb_collection *c, const char *id, const char *expr,
                    bool client_filter, struct pb_error *err)
{
	struct pb_query q;
	pb_query_init(&q);
	struct pb_strbuf sql = PB_STRBUF_INIT;
	int out = probe(ctx, c, id ? id : "", expr, client_filter, &q, &sql, err);
	pb_strbuf_deinit(&sql);
	pb_query_deinit(&q);
	return out;
}

int pb_record_probe_values(const struct pb_read_ctx *ctx, const struct pb_collection *c, const json_t *values,
                           const char *expr, bool client_filter, struct pb_error *err)
{
	/* a shallow copy of c under the CTE's name (fields shared, nothing to free) */
	struct pb_collection alias = *c;
	struct pb_strbuf name = PB_STRBUF_INIT;
	pb_strbuf_printf(&name, "%s" PROBE_SUFFIX, c->name);
	alias.name = name.data;

	struct pb_query q;
	pb_query_init(&q);
	struct pb_strbuf sql = PB_STRBUF_INIT;
	int first = pb_record_bind(c, values, &q);
	pb_strbuf_puts(&sql, "WITH ");
	pb_sql_ident(&sql, alias.name);
	pb_strbuf_puts(&sql, " AS (SELECT ");
	for (size_t i = 0; i < c->nfields; i++) {
		pb_strbuf_printf(&sql, "%s?%d AS ", i ? ", " : "", first + (int)i);
		pb_sql_ident(&sql, c->fields[i].name);
	}
	pb_strbuf_puts(&sql, ") ");
	int out = probe(ctx, &alias, NULL, expr, client_filter, &q, &sql, err);
	pb_strbuf_deinit(&sql);
	pb_query_deinit(&q);
	pb_strbuf_deinit(&name);
	return out;
}
