/* activity_log — PocketBase's pbActivityLogger middleware (apis/middlewares.go logRequest):
 * once an exchange that passed CORS has ended, its request entry is queued on the app's logs
 * writer (core/logs.h builds the data and message; only the enqueue happens here, on the
 * worker, after the response was queued). Skipped when settings.logs.maxDays is 0, and for
 * successful requests of routes marked PB_ROUTE_SKIP_SUCCESS_LOG. An exchange counts as
 * failed when it was answered with pb_resp_error (the ApiError PocketBase's handlers return):
 * level 8 with "error" = the sentenized message and "details" = the error's raw data. */
#ifndef POCKETC_API_ACTIVITY_LOG_H
#define POCKETC_API_ACTIVITY_LOG_H

#include <jansson.h>

#include "api/http.h"

/* Queues the entry of `req` (borrowed) if it is to be logged. Never fails. */
void pb_activity_log(struct pb_req *req);

/* The "details" of an error answered with field data (borrowed): the tree with each
 * {code, message[, params]} item replaced by its message, as PocketBase's logger serialises
 * validation.Errors. New reference. */
json_t *pb_activity_log_details(const json_t *data);

#endif
