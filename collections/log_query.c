/* log_query — list/view/stats over auxiliary.db `_logs` (see log_query.h). Mirrors
 * apis/logs.go (search.NewProvider over AuxModelQuery(&Log{}) with the logFilterFields
 * SimpleFieldResolver), core/log_query.go (FindLogById, LogsStats: `count(id) as total,
 * strftime('%Y-%m-%d %H:00:00', created) as date … GROUP BY date`) and the scanning of a Log
 * row: types.JSONMap (NULL/"" → {}, JSON null → {}, a non-object or a number-typed column is
 * a scan error), types.DateTime (lenient parse, canonical text, "" for NULL/unparsable). */
#include "collections/log_query.h"

#include <string.h>

#include "collections/collection.h"
#include "core/datetime.h"
#include "core/json_write.h"

const char *const pb_log_filter_fields[] = {
	"id", "created", "level", "message", "data", "^data\\.[\\w\\.\\:]*\\w+$", NULL,
};

/* The `_logs` table as the search target (only its name is used by the resolver). */
static struct pb_collection *logs_table(void)
{
	const char *no_rules[PB_RULE_COUNT] = {0};
	return pb_collection_from_row("_logs", "_logs", "base", 1, "[]", "[]", "{}", no_rules, "", "");
}

static int column_index(sqlite3_stmt *st, const char *name)
{
	int n = sqlite3_column_count(st);
	for (int i = 0; i < n; i++)
		if (strcmp(sqlite3_column_name(st, i), name) == 0)
			return i;
	return -1;
}

static json_t *text_value(sqlite3_stmt *st, int col)
{
	if (col < 0 || sqlite3_column_type(st, col) == SQLITE_NULL)
		return json_string("");
	const char *s = (const char *)sqlite3_column_text(st, col);
	return json_stringn_nocheck(s ? s : "", (size_t)sqlite3_column_bytes(st, col));
}

static json_t *date_value(sqlite3_stmt *st, int col)
{
	char out[PB_DATETIME_LEN + 1] = "";
	if (col >= 0 && sqlite3_column_type(st, col) != SQLITE_NULL) {
		const char *s = (const char *)sqlite3_column_text(st, col);
		pb_datetime_normalize(s ? s : "", out);
	}
	return json_string(out);
}

/* types.JSONMap[any].Scan + its MarshalJSON: a new reference, or NULL on a scan error. */
static json_t *data_value(sqlite3_stmt *st, int col)
{
	int type = col < 0 ? SQLITE_NULL : sqlite3_column_type(st, col);
	if (type == SQLITE_INTEGER || type == SQLITE_FLOAT)
		return NULL;
	const char *s = type == SQLITE_NULL ? NULL : (const char *)sqlite3_column_blob(st, col);
	size_t n = type == SQLITE_NULL ? 0 : (size_t)sqlite3_column_bytes(st, col);
	if (n == 0)
		return json_object();
	json_error_t e;
	json_t *v = json_loadb(s, n, JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL | JSON_ALLOW_NUL, &e);
	if (!v)
		return NULL;
	json_t *out = NULL;
	if (json_is_null(v))
		out = json_object();
	else if (json_is_object(v))
		out = pb_json_sorted_copy(v);
	json_decref(v);
	return out;
}

/* One Log row as {"id","created","data","message","level"}; NULL on a scan error. */
static json_t *row_json(sqlite3_stmt *st)
{
	json_t *data = data_value(st, column_index(st, "data"));
	if (!data)
		return NULL;
	int lvl = column_index(st, "level");
	json_t *o = json_object();
	json_object_set_new(o, "id", text_value(st, column_index(st, "id")));
	json_object_set_new(o, "created", date_value(st, column_index(st, "created")));
	json_object_set_new(o, "data", data);
	json_object_set_new(o, "message", text_value(st, column_index(st, "message")));
	json_object_set_new(o, "level", json_integer(lvl >= 0 ? sqlite3_column_int64(st, lvl) : 0));
	return o;
}

static int run_count(sqlite3 *aux, struct pb_list_sql *q, long long *total)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(aux, q->count.data, (int)q->count.len, &st, NULL);
	if (rc == SQLITE_OK)
		rc = pb_query_bind_all(&q->query, st);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*total = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

json_t *pb_log_list(sqlite3 *aux, const struct pb_list_params *p, struct pb_error *err)
{
	struct pb_collection *table = logs_table();
	if (!table) {
		pb_error_set(err, 400, "%s", pb_error_default_message(400));
		return NULL;
	}
	struct pb_list_sql q;
	struct pb_error ferr = PB_ERROR_INIT;
	json_t *items = NULL, *env = NULL;
	long long total = -1;
	if (pb_list_sql_build_fields(&q, table, pb_log_filter_fields, p, &ferr) != 0)
		goto done;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(aux, q.select.data, (int)q.select.len, &st, NULL);
	if (rc == SQLITE_OK)
		rc = pb_list_sql_bind_select(&q, st);
	items = json_array();
	while (rc == SQLITE_OK || rc == SQLITE_ROW) {
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW)
			break;
		json_t *row = row_json(st);
		if (!row) {
			rc = SQLITE_ERROR;
			break;
		}
		json_array_append_new(items, row);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE && !p->skip_total && run_count(aux, &q, &total) != 0)
		rc = SQLITE_ERROR;
	if (rc == SQLITE_DONE) {
		long long pages = total < 0 ? -1 : (total + p->per_page - 1) / p->per_page;
		env = json_object();
		json_object_set_new(env, "items", items);
		json_object_set_new(env, "page", json_integer(p->page));
		json_object_set_new(env, "perPage", json_integer(p->per_page));
		json_object_set_new(env, "totalItems", json_integer(total));
		json_object_set_new(env, "totalPages", json_integer(pages));
		items = NULL;
	}
done:
	if (!env)
		pb_error_set(err, 400, "%s", pb_error_default_message(400));
	json_decref(items);
	pb_list_sql_deinit(&q);
	pb_error_clear(&ferr);
	pb_collection_free(table);
	return env;
}

json_t *pb_log_view(sqlite3 *aux, const char *id, struct pb_error *err)
{
	json_t *out = NULL;
	if (id && *id) {
		sqlite3_stmt *st = NULL;
		if (sqlite3_prepare_v2(aux, "SELECT `_logs`.* FROM `_logs` WHERE `id` = ?1 LIMIT 1", -1, &st, NULL) ==
		    SQLITE_OK) {
			sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
			if (sqlite3_step(st) == SQLITE_ROW)
				out = row_json(st);
		}
		sqlite3_finalize(st);
	}
	if (!out)
		pb_error_set(err, 404, "%s", pb_error_default_message(404));
	return out;
}

json_t *pb_log_stats(sqlite3 *aux, const char *filter, struct pb_error *err)
{
	struct pb_collection *table = logs_table();
	struct pb_query q;
	pb_query_init(&q);
	struct pb_strbuf sql = PB_STRBUF_INIT, where = PB_STRBUF_INIT;
	json_t *out = NULL;
	struct pb_error ferr = PB_ERROR_INIT;
	if (!table) {
		pb_error_set(err, 400, PB_LOGS_MSG_STATS_FAILED);
		goto done;
	}
	if (filter && *filter) {
		struct pb_filter_ctx fc = {NULL, table, NULL, &q, true, false, NULL, NULL};
		if (pb_filter_to_sql_fields(&fc, pb_log_filter_fields, filter, &where, &ferr) != 0) {
			pb_error_set(err, 400, PB_LOGS_MSG_INVALID_FILTER);
			goto done;
		}
	}
	pb_strbuf_puts(&sql, "SELECT count(`id`) AS `total`, strftime('%Y-%m-%d %H:00:00', `created`) AS `date` "
	                     "FROM `_logs`");
	if (where.len)
		pb_strbuf_printf(&sql, " WHERE (%s)", where.data);
	pb_strbuf_puts(&sql, " GROUP BY `date`");
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(aux, sql.data, (int)sql.len, &st, NULL);
	if (rc == SQLITE_OK)
		rc = pb_query_bind_all(&q, st);
	out = json_array();
	while (rc == SQLITE_OK || rc == SQLITE_ROW) {
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW)
			break;
		json_t *item = json_object();
		json_object_set_new(item, "date", date_value(st, 1));
		json_object_set_new(item, "total", json_integer(sqlite3_column_int64(st, 0)));
		json_array_append_new(out, item);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		json_decref(out);
		out = NULL;
		pb_error_set(err, 400, PB_LOGS_MSG_STATS_FAILED);
	}
done:
	pb_error_clear(&ferr);
	pb_strbuf_deinit(&sql);
	pb_strbuf_deinit(&where);
	pb_query_deinit(&q);
	pb_collection_free(table);
	return out;
}
