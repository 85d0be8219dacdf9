/* health — GET /api/health, as PocketBase's apis/health.go: a fixed struct-ordered body
 * for everybody, plus a map of diagnostics for superusers (canBackup is false while a backup
 * or restore runs). */
#include <string.h>

#include "api/handlers.h"
#include "api/messages.h"

void pb_api_health(struct pb_req *req)
{
	json_t *body = json_object();
	json_object_set_new(body, "message", json_string(PB_MSG_HEALTHY));
	json_object_set_new(body, "code", json_integer(200));
	json_t *data = json_object();
	if (req->superuser) {
		/* map → alphabetical; the first trusted/CDN proxy header present in the request */
		const char *proxy = "";
		static const char *const candidates[] = {"CF-Connecting-IP", "Fly-Client-IP"};
		for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++)
			if (pb_req_header(req, candidates[i])) {
				proxy = candidates[i];
				break;
			}
		json_object_set_new(data, "canBackup", json_boolean(!pb_backups_busy(&req->app->backups)));
		json_object_set_new(data, "possibleProxyHeader", json_string(proxy));
		json_object_set_new(data, "realIP", json_string(req->remote_ip));
	}
	json_object_set_new(body, "data", data);
	pb_resp_json(req, 200, body);
	json_decref(body);
}
