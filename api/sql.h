/* sql — POST /api/sql, PocketBase v0.39.11's SQL console (apis/sql.go, superusers only):
 * body {"query": "…"} (required, at most 5000 characters). A write query (core/sql_console.h)
 * runs as a writer job, so it is atomic and rolled back as a whole on any error; any other
 * query runs on the blocking pool over a read connection of its own (query_only, so a write
 * hidden in a "read" query fails instead of bypassing the writer). Answer:
 * {"execTime","affectedRows","columns","rows"}; errors are 400
 * "Failed to execute query. Raw error:\n<driver error>." with no data. */
#ifndef POCKETC_API_SQL_H
#define POCKETC_API_SQL_H

#include "api/http.h"

void pb_api_sql(struct pb_req *req);

#endif
