/* logs — the /api/logs endpoints of PocketBase's apis/logs.go (superusers only, successful
 * requests not logged): the paginated list, the hourly stats and one log by id, read from
 * auxiliary.db through the worker's aux connection (collections/log_query.h). */
#ifndef POCKETC_API_LOGS_H
#define POCKETC_API_LOGS_H

#include "api/http.h"

void pb_api_logs_list(struct pb_req *req);
void pb_api_logs_stats(struct pb_req *req);
void pb_api_logs_view(struct pb_req *req);

#endif
