/* record_read — list and view of records (see record_read.h). */
#include "collections/record_read.h"

#include <stdlib.h>
#include <string.h>

#include "collections/expand.h"
#include "collections/list_query.h"
#include "collections/record_json.h"

static bool is_superuser(const struct pb_read_ctx *ctx) { return ctx->req && ctx->req->superuser; }

/* checkForSuperuserOnlyRuleFields: filter first, then sort; "@collection." before "@request.". */
static int check_superuser_only_fields(const char *filter, const char *sort, struct pb_error *err)
{
	static const char *const fields[] = {"@collection.", "@request."};
	const char *params[] = {filter, sort};
	for (size_t i = 0; i < 2; i++) {
		if (!params[i] || !*params[i])
			continue;
		for (size_t k = 0; k < 2; k++)
			if (strstr(params[i], fields[k]))
				return pb_error_set(err, 403, PB_MSG_SUPERUSERS_ONLY_FILTER, fields[k]);
	}
	return 0;
}

static int bad_request(struct pb_error *err)
{
	pb_error_clear(err);
	return pb_error_set(err, 400, "%s", pb_error_default_message(400));
}

/* Runs the page query into a new array of records (loaded with every field). */
static json_t *run_select(const struct pb_read_ctx *ctx, const struct pb_collection *c, const struct pb_list_sql *q)
{
	sqlite3_stmt *st = pb_stmt_cache_get(ctx->stmts, pb_strbuf_cstr(&q->select), q->select.len);
	if (!st)
		return NULL;
	json_t *items = NULL;
	if (pb_list_sql_bind_select(q, st) == SQLITE_OK) {
		items = json_array();
		int *map = NULL; /* column names are only current after the first step (a schema change
		                  * re-prepares the cached statement there) */
		const struct pb_record_export x = {.show_hidden = true, .show_email = true};
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			if (!map)
				map = pb_record_colmap(c, st);
			json_array_append_new(items, pb_record_from_row(c, st, map, &x));
		}
		free(map);
		if (rc != SQLITE_DONE) {
			json_decref(items);
			items = NULL;
		}
	}
	pb_stmt_cache_release(ctx->stmts, st);
	return items;
}

static int run_count(const struct pb_read_ctx *ctx, const struct pb_list_sql *q, long long *total)
{
	sqlite3_stmt *st = pb_stmt_cache_get(ctx->stmts, pb_strbuf_cstr(&q->count), q->count.len);
	if (!st)
		return -1;
	int rc = -1;
	if (pb_query_bind_all(&q->query, st) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		*total = sqlite3_column_int64(st, 0);
		rc = 0;
	}
	pb_stmt_cache_release(ctx->stmts, st);
	return rc;
}

/* The part of a list both builders share: access checks, params, both statements, the total.
 * Returns 0 (q to be freed by the caller either way) or -1 with err (403s, or 400 default). */
static int list_prepare(const struct pb_read_ctx *ctx, const struct pb_collection *c, const char *page,
                        const char *per_page, const char *skip_total, const char *filter, const char *sort,
                        struct pb_list_params *p, struct pb_list_sql *q, long long *total, long long *pages,
                        struct pb_error *err)
{
	bool su = is_superuser(ctx);
	const char *rule = c->rules[PB_RULE_LIST];
	*total = *pages = -1;
	pb_query_init(&q->query);
	pb_strbuf_init(&q->select);
	pb_strbuf_init(&q->count);
	if (!rule && !su)
		return pb_error_set(err, 403, PB_MSG_SUPERUSERS_ONLY);
	if (!su && check_superuser_only_fields(filter, sort, err) != 0)
		return -1;
	if (pb_list_params_parse(p, page, per_page, skip_total, err) != 0)
		return -1;
	p->filter = filter;
	p->sort = sort;
	if (pb_list_sql_build(q, ctx->schema, c, ctx->req, su ? NULL : rule, p, !su, err) != 0)
		return bad_request(err);
	if (!p->skip_total) {
		if (run_count(ctx, q, total) != 0)
			return bad_request(err);
		*pages = *total / p->per_page + (*total % p->per_page != 0);
	}
	return 0;
}

json_t *pb_records_list(const struct pb_read_ctx *ctx, const struct pb_collection *c, const char *page,
                        const char *per_page, const char *skip_total, const char *filter, const char *sort,
                        const char *expand, struct pb_error *err)
{
	struct pb_list_params p;
	struct pb_list_sql q;
	long long total, pages;
	json_t *items = NULL, *out = NULL;
	if (list_prepare(ctx, c, page, per_page, skip_total, filter, sort, &p, &q, &total, &pages, err) != 0)
		goto done;
	items = run_select(ctx, c, &q);
	if (!items) {
		bad_request(err);
		goto done;
	}
	if (json_array_size(items)) {
		pb_expand_records(ctx, c, items, expand);
		pb_records_export(ctx, c, items);
	}
	out = json_object();
	json_object_set_new(out, "items", items);
	json_object_set_new(out, "page", json_integer(p.page));
	json_object_set_new(out, "perPage", json_integer(p.per_page));
	json_object_set_new(out, "totalItems", json_integer(total));
	json_object_set_new(out, "totalPages", json_integer(pages));
done:
	pb_list_sql_deinit(&q);
	return out;
}

/* what pb_records_export leaves of a non-auth record: hidden fields for superusers only */
static struct pb_record_export direct_export(bool su) { return (struct pb_record_export){.show_hidden = su, .show_email = true}; }

/* Whether a read needs the built records: expand, or per-record email visibility. */
static bool needs_built(const struct pb_read_ctx *ctx, const struct pb_collection *c, const char *expand)
{
	return (expand && *expand) || (!is_superuser(ctx) && c->type == PB_COLLECTION_AUTH);
}

int pb_records_list_write(const struct pb_read_ctx *ctx, const struct pb_collection *c, const char *page,
                          const char *per_page, const char *skip_total, const char *filter, const char *sort,
                          const char *expand, struct pb_strbuf *out, struct pb_error *err)
{
	if (needs_built(ctx, c, expand))
		return 1;
	struct pb_list_params p;
	struct pb_list_sql q;
	long long total, pages;
	int rc = -1;
	if (list_prepare(ctx, c, page, per_page, skip_total, filter, sort, &p, &q, &total, &pages, err) != 0)
		goto done;
	sqlite3_stmt *st = pb_stmt_cache_get(ctx->stmts, pb_strbuf_cstr(&q.select), q.select.len);
	if (!st) {
		bad_request(err);
		goto done;
	}
	size_t start = out->len;
	pb_strbuf_puts(out, "{\"items\":[");
	if (pb_list_sql_bind_select(&q, st) == SQLITE_OK) {
		const struct pb_record_export x = direct_export(is_superuser(ctx));
		struct pb_row_plan *plan = NULL; /* made after the first step (a schema change re-prepares there) */
		int step;
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			if (!plan) {
				int small[64], *map = c->nfields <= 64 ? small : malloc(c->nfields * sizeof *map);
				if (!map)
					abort();
				pb_record_colmap_fill(c, st, map);
				plan = pb_row_plan_new(c, map, &x);
				if (map != small)
					free(map);
			} else {
				pb_strbuf_putc(out, ',');
			}
			pb_row_plan_write(plan, st, out);
		}
		pb_row_plan_free(plan);
		if (step == SQLITE_DONE)
			rc = 0;
	}
	pb_stmt_cache_release(ctx->stmts, st);
	if (rc != 0) {
		out->len = start;
		out->data[start] = '\0';
		bad_request(err);
		goto done;
	}
	pb_strbuf_puts(out, "],\"page\":");
	pb_strbuf_put_int(out, p.page);
	pb_strbuf_puts(out, ",\"perPage\":");
	pb_strbuf_put_int(out, p.per_page);
	pb_strbuf_puts(out, ",\"totalItems\":");
	pb_strbuf_put_int(out, total);
	pb_strbuf_puts(out, ",\"totalPages\":");
	pb_strbuf_put_int(out, pages);
	pb_strbuf_putc(out, '}');
done:
	pb_list_sql_deinit(&q);
	return rc;
}

int pb_records_view_write(const struct pb_read_ctx *ctx, struct pb_view_memo *views, const struct pb_collection *c,
                          const char *id, const char *expand, struct pb_strbuf *out, struct pb_error *err)
{
	if (needs_built(ctx, c, expand))
		return 1;
	bool su = is_superuser(ctx);
	if (!id || !*id)
		return pb_error_set(err, 404, "%s", pb_error_default_message(404));
	const char *rule = c->rules[PB_RULE_VIEW];
	if (!rule && !su)
		return pb_error_set(err, 403, PB_MSG_SUPERUSERS_ONLY);
	const struct pb_record_export x = direct_export(su);
	if (pb_record_write_with_rule(ctx, views, c, id, su ? NULL : rule, &x, out, err) == 1)
		return 0;
	pb_error_clear(err);
	return pb_error_set(err, 404, "%s", pb_error_default_message(404));
}

json_t *pb_records_view(const struct pb_read_ctx *ctx, const struct pb_collection *c, const char *id,
                        const char *expand, struct pb_error *err)
{
	if (!id || !*id) {
		pb_error_set(err, 404, "%s", pb_error_default_message(404));
		return NULL;
	}
	bool su = is_superuser(ctx);
	const char *rule = c->rules[PB_RULE_VIEW];
	if (!rule && !su) {
		pb_error_set(err, 403, PB_MSG_SUPERUSERS_ONLY);
		return NULL;
	}
	json_t *rec = pb_record_fetch_with_rule(ctx, c, id, su ? NULL : rule, err);
	if (!rec) {
		pb_error_clear(err);
		pb_error_set(err, 404, "%s", pb_error_default_message(404));
		return NULL;
	}
	json_t *one = json_pack("[o]", rec);
	pb_expand_records(ctx, c, one, expand);
	pb_records_export(ctx, c, one);
	rec = json_incref(json_array_get(one, 0));
	json_decref(one);
	return rec;
}
