/* cron — the /api/crons endpoints of PocketBase's apis/cron.go (superusers only): the list of
 * the app scheduler's jobs (user jobs by id, then the built-in "__pb" ones) and running one
 * job now in the background. */
#ifndef POCKETC_API_CRON_H
#define POCKETC_API_CRON_H

#include "api/http.h"

void pb_api_crons_list(struct pb_req *req);
void pb_api_crons_run(struct pb_req *req);

#endif
