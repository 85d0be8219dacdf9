/* logs — GET /api/logs, /api/logs/stats and /api/logs/{id} (see logs.h). Every failure of the
 * list is PocketBase's BadRequestError("") (400 with the default message); a missing log is
 * a 404. */
#include "api/logs.h"

#include "api/list_params.h"
#include "api/worker.h"
#include "collections/log_query.h"

static sqlite3 *aux(struct pb_req *req)
{
	struct pb_error err = PB_ERROR_INIT;
	sqlite3 *db = pb_worker_aux(req->worker, &err);
	if (!db) {
		pb_error_clear(&err);
		pb_resp_error(req, 500, NULL, NULL);
	}
	return db;
}

void pb_api_logs_list(struct pb_req *req)
{
	struct pb_error err = PB_ERROR_INIT;
	struct pb_list_params p;
	if (pb_api_list_params(req, &p) != 0)
		return;
	sqlite3 *db = aux(req);
	if (!db)
		return;
	json_t *list = pb_log_list(db, &p, &err);
	if (!list) {
		pb_resp_pb_error(req, &err);
		return;
	}
	pb_resp_json_list(req, 200, list);
	json_decref(list);
}

void pb_api_logs_stats(struct pb_req *req)
{
	sqlite3 *db = aux(req);
	if (!db)
		return;
	struct pb_error err = PB_ERROR_INIT;
	json_t *stats = pb_log_stats(db, pb_req_query(req, "filter"), &err);
	if (!stats) {
		pb_resp_pb_error(req, &err);
		return;
	}
	pb_resp_json(req, 200, stats);
	json_decref(stats);
}

void pb_api_logs_view(struct pb_req *req)
{
	sqlite3 *db = aux(req);
	if (!db)
		return;
	struct pb_error err = PB_ERROR_INIT;
	json_t *log = pb_log_view(db, pb_req_param(req, 0), &err);
	if (!log) {
		pb_resp_pb_error(req, &err);
		return;
	}
	pb_resp_json(req, 200, log);
	json_decref(log);
}
