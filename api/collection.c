/* collection — the superuser collections API read side, as PocketBase's apis/collection.go:
 * GET /api/collections (a list with filter/sort over id, created, updated, name, system and
 * type, in `_collections` row order by default) and GET /api/collections/{collection}. */
#include <string.h>

#include "api/handlers.h"
#include "api/list_params.h"
#include "api/messages.h"
#include "collections/collection_json.h"
#include "collections/list_query.h"

/* The searchable columns of `_collections`, described as a collection so the one filter
 * engine resolves them (PocketBase's search.NewSimpleFieldResolver over the same names). */
static const char meta_fields[] =
	"[{\"id\":\"f_id\",\"name\":\"id\",\"type\":\"text\"},{\"id\":\"f_created\",\"name\":\"created\",\"type\":\"date\"},"
	"{\"id\":\"f_updated\",\"name\":\"updated\",\"type\":\"date\"},{\"id\":\"f_name\",\"name\":\"name\",\"type\":\"text\"},"
	"{\"id\":\"f_system\",\"name\":\"system\",\"type\":\"bool\"},{\"id\":\"f_type\",\"name\":\"type\",\"type\":\"text\"}]";

static const char *col(sqlite3_stmt *st, int ncols, const char *name)
{
	for (int i = 0; i < ncols; i++)
		if (!strcmp(sqlite3_column_name(st, i), name))
			return (const char *)sqlite3_column_text(st, i);
	return NULL;
}

static int col_int(sqlite3_stmt *st, int ncols, const char *name)
{
	for (int i = 0; i < ncols; i++)
		if (!strcmp(sqlite3_column_name(st, i), name))
			return sqlite3_column_int(st, i);
	return 0;
}

static json_t *row_to_json(sqlite3_stmt *st)
{
	int n = sqlite3_column_count(st);
	static const char *const rule_cols[PB_RULE_COUNT] = {"listRule", "viewRule", "createRule", "updateRule",
	                                                     "deleteRule"};
	const char *rules[PB_RULE_COUNT];
	for (int i = 0; i < PB_RULE_COUNT; i++)
		rules[i] = col(st, n, rule_cols[i]);
	struct pb_collection *c =
		pb_collection_from_row(col(st, n, "id"), col(st, n, "name"), col(st, n, "type"), col_int(st, n, "system"),
	                           col(st, n, "fields"), col(st, n, "indexes"), col(st, n, "options"), rules,
	                           col(st, n, "created"), col(st, n, "updated"));
	if (!c)
		return NULL;
	json_t *j = pb_collection_to_json(c);
	pb_collection_free(c);
	return j;
}

static int run_count(struct pb_req *req, struct pb_list_sql *q, long long *total)
{
	sqlite3_stmt *st = pb_stmt_cache_get(req->stmts, q->count.data, q->count.len);
	if (!st)
		return -1;
	pb_query_bind_all(&q->query, st);
	int rc = sqlite3_step(st);
	*total = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	pb_stmt_cache_release(req->stmts, st);
	return rc == SQLITE_ROW ? 0 : -1;
}

void pb_api_collections_list(struct pb_req *req)
{
	struct pb_error err = PB_ERROR_INIT;
	struct pb_list_params p;
	if (pb_api_list_params(req, &p) != 0)
		return;
	const char *no_rules[PB_RULE_COUNT] = {0};
	struct pb_collection *meta = pb_collection_from_row("_collections", "_collections", "base", 1, meta_fields, "[]",
	                                                    "{}", no_rules, "", "");
	struct pb_list_sql q;
	json_t *items = json_array();
	long long total = -1;
	if (pb_list_sql_build(&q, req->schema, meta, pb_req_info(req), NULL, &p, false, &err) != 0) {
		pb_collection_free(meta);
		json_decref(items);
		pb_resp_error(req, 400, NULL, NULL);
		pb_error_clear(&err);
		return;
	}
	sqlite3_stmt *st = pb_stmt_cache_get(req->stmts, q.select.data, q.select.len);
	int rc = SQLITE_ERROR;
	if (st && pb_list_sql_bind_select(&q, st) == SQLITE_OK) {
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			json_t *j = row_to_json(st);
			if (j)
				json_array_append_new(items, j);
		}
	}
	if (st)
		pb_stmt_cache_release(req->stmts, st);
	if (rc == SQLITE_DONE && !p.skip_total && run_count(req, &q, &total) != 0)
		rc = SQLITE_ERROR;
	pb_list_sql_deinit(&q);
	pb_collection_free(meta);
	if (rc != SQLITE_DONE) {
		json_decref(items);
		pb_resp_error(req, 400, NULL, NULL);
		return;
	}
	json_t *env = json_object();
	json_object_set_new(env, "items", items);
	json_object_set_new(env, "page", json_integer(p.page));
	json_object_set_new(env, "perPage", json_integer(p.per_page));
	json_object_set_new(env, "totalItems", json_integer(total));
	json_object_set_new(env, "totalPages",
	                    json_integer(total < 0 ? -1 : (total + p.per_page - 1) / p.per_page));
	pb_resp_json_list(req, 200, env);
	json_decref(env);
}

void pb_api_collections_view(struct pb_req *req)
{
	const struct pb_collection *c = pb_schema_find(req->schema, pb_req_param(req, 0));
	if (!c) {
		pb_resp_error(req, 404, NULL, NULL);
		return;
	}
	json_t *j = pb_collection_to_json(c);
	pb_resp_json(req, 200, j);
	json_decref(j);
}
