/* sql_console — the superusers' SQL console of PocketBase v0.39.11 (apis/sql.go
 * executeQuery, on the modernc.org/sqlite driver):
 *   - the query is trimmed; one that does not start (case-insensitively) with SELECT but with
 *     INSERT, CREATE, UPDATE, DELETE, DROP, DETACH, ALTER or REPLACE is a write: every
 *     statement is executed in turn (inside the caller's transaction) and affectedRows is
 *     sqlite3_changes() of the last one (0 when it changed nothing, e.g. DDL);
 *   - anything else is a read: every statement runs, the result of the last one that returned
 *     rows is kept — replaced by the (empty) result of the last statement when that returns
 *     none — with at most `max_rows` rows; each column is {"name", "type": the declared type
 *     upper-cased or "", "nullable": true} and each value a string (integers in decimal, reals
 *     as strconv's 'g' format, text and blobs as their bytes) or null;
 *   - errors read like modernc's: "<sqlite3_errstr(rc)>: <sqlite3_errmsg> (<rc>)", or
 *     "<errstr> (<rc>)" when both texts are equal, with extended result codes; "empty query"
 *     for a blank query; a run over the timeout is interrupted.
 * The result object is {"execTime": ms, "affectedRows", "columns", "rows"} in that order. */
#ifndef POCKETC_CORE_SQL_CONSOLE_H
#define POCKETC_CORE_SQL_CONSOLE_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"

#define PB_SQL_MAX_ROWS 1000
#define PB_SQL_TIMEOUT_MS (3 * 60 * 1000)
#define PB_SQL_MAX_QUERY 5000 /* runSQLForm: Length(0, 5000) */

/* The loose write check (isPossibleWriteQuery) of the trimmed query. */
bool pb_sql_is_write(const char *query);

/* Runs a read query on `db` (borrowed). Returns the result object (new reference) or NULL
 * with err (400, the driver's error text as the message). */
json_t *pb_sql_read(sqlite3 *db, const char *query, int max_rows, int timeout_ms, struct pb_error *err);

/* Runs a write query on `db` (borrowed; the caller holds the transaction and rolls it back on
 * failure). BEGIN/COMMIT/ROLLBACK/SAVEPOINT/RELEASE statements are refused (they would end
 * the caller's transaction): "authorization denied: not authorized (23)". Returns the result
 * object (columns and rows empty) or NULL with err (400). */
json_t *pb_sql_write(sqlite3 *db, const char *query, int timeout_ms, struct pb_error *err);

#endif
