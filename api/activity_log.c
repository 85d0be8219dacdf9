/* activity_log — the request activity logger (see activity_log.h). */
#include "api/activity_log.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/router.h"
#include "core/logs.h"

json_t *pb_activity_log_details(const json_t *data)
{
	if (!json_is_object(data))
		return json_deep_copy(data);
	json_t *code = json_object_get(data, "code"), *msg = json_object_get(data, "message");
	if (json_is_string(code) && json_is_string(msg))
		return json_incref(msg);
	json_t *out = json_object();
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)data, k, v) json_object_set_new(out, k, pb_activity_log_details(v));
	return out;
}

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void pb_activity_log(struct pb_req *req)
{
	struct pb_logs *logs = &req->app->logs;
	if (!req->log_activity || !logs->running)
		return;
	bool failed = req->error_message != NULL;
	if (!failed && req->route && (req->route->flags & PB_ROUTE_SKIP_SUCCESS_LOG))
		return;
	/* the settings of the request (PocketBase reads App.Settings() here; the snapshot only
	 * differs for a request that overlapped a settings save) — no lock on the request path */
	if (!pb_logs_enabled(logs))
		return;
	if (pb_logs_full(logs)) /* dropped: not worth building */
		return;
	const struct pb_settings_logs cfg = req->settings->logs;
	json_t *null_details = NULL;
	struct pb_request_log r = {
		.method = req->method,
		.path = req->raw_path, /* the URI is built on the log writer */
		.query = req->raw_query,
		.status = req->status,
		.has_exec_time = true,
		.exec_time_ms = (double)(mono_us() - req->started_us) / 1000.0,
		.referer = pb_req_header(req, "Referer"),
		.user_agent = pb_req_header(req, "User-Agent"),
		.user_ip = req->real_ip,
		.remote_ip = req->remote_ip,
		.log_ip = cfg.log_ip,
		.log_auth_id = cfg.log_auth_id,
	};
	if (req->auth && req->auth_collection) {
		r.auth_collection = req->auth_collection->name;
		r.auth_id = json_string_value(json_object_get(req->auth, "id"));
	}
	if (failed) {
		r.error = req->error_message;
		r.details = req->error_details ? req->error_details : (null_details = json_null());
	}
	pb_logs_add_request(logs, &r);
	json_decref(null_details);
}
