/* cron — GET /api/crons and POST /api/crons/{id} over the app's scheduler (core/cron.h). */
#include "api/cron.h"

void pb_api_crons_list(struct pb_req *req)
{
	json_t *jobs = pb_cron_list(req->app->cron);
	pb_resp_json(req, 200, jobs);
	json_decref(jobs);
}

void pb_api_crons_run(struct pb_req *req)
{
	struct pb_error err = PB_ERROR_INIT;
	if (pb_cron_run_now(req->app->cron, pb_req_param(req, 0), &err) != 0) {
		pb_resp_pb_error(req, &err);
		return;
	}
	pb_resp_empty(req, 204);
}
