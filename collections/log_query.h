/* log_query — reading auxiliary.db `_logs` for the logs API, as PocketBase v0.39.11's
 * apis/logs.go and core/log_query.go do: the paginated list (filter/sort over id, created,
 * level, message, data and data.<path> through a SimpleFieldResolver, no default sort), one
 * log by id, and the hourly stats. Results are jansson values in PocketBase's JSON key
 * order: a log is {"id","created","data","message","level"} (core.Log struct order) with
 * `data` decoded like types.JSONMap (keys sorted at every depth, numbers as float64) and
 * `created` re-formatted like types.DateTime; a stats item is {"date","total"}. */
#ifndef POCKETC_COLLECTIONS_LOG_QUERY_H
#define POCKETC_COLLECTIONS_LOG_QUERY_H

#include <jansson.h>
#include <sqlite3.h>

#include "collections/list_query.h"
#include "core/error.h"

/* Wire messages of GET /api/logs/stats (400). */
#define PB_LOGS_MSG_INVALID_FILTER "Invalid filter format."
#define PB_LOGS_MSG_STATS_FAILED "Failed to generate logs stats."

/* apis/logs.go logFilterFields: the NULL-terminated allow-list of the logs search. */
extern const char *const pb_log_filter_fields[];

/* GET /api/logs: the list envelope {"items":[…],"page","perPage","totalItems","totalPages"}
 * (totals -1 with skip_total) for `p` (borrowed; filter/sort may be NULL) on `aux`
 * (borrowed connection of auxiliary.db). Returns a new reference, or NULL with err (400 with
 * the default message: PocketBase answers every list failure that way). */
json_t *pb_log_list(sqlite3 *aux, const struct pb_list_params *p, struct pb_error *err);

/* GET /api/logs/{id}: the log with this id (a new reference), or NULL with err (404 with
 * the default message when missing, empty or unreadable). */
json_t *pb_log_view(sqlite3 *aux, const char *id, struct pb_error *err);

/* GET /api/logs/stats: a new JSON array of {"date":"YYYY-MM-DD HH:00:00.000Z","total":n}
 * per hour that has logs (SQLite's GROUP BY order), only over rows matching `filter`
 * (borrowed; NULL or "" = all). Returns NULL with err 400 PB_LOGS_MSG_INVALID_FILTER for a
 * bad filter or PB_LOGS_MSG_STATS_FAILED when the query fails. */
json_t *pb_log_stats(sqlite3 *aux, const char *filter, struct pb_error *err);

#endif
