/* record_auth_impersonate — POST /api/collections/{collection}/impersonate/{id}
 * (apis/record_auth_impersonate.go): superusers only (the route requires it), the record must
 * exist (404), the body {"duration": seconds} must be >= 0 (0 = the collection's auth token
 * duration); the answer is the auth response with a non-refreshable token and no MFA / alert. */
#include "api/record_auth.h"
#include "api/record_auth_internal.h"
#include "collections/auth_lookup.h"
#include "core/validation.h"

void pb_api_record_auth_impersonate(struct pb_req *req)
{
	if (!req->superuser) {
		pb_resp_error(req, 403, NULL, NULL);
		return;
	}
	const struct pb_collection *c = pb_auth_collection_ctx(req);
	if (!c)
		return;
	json_t *record = pb_auth_find_stored(req->stmts, c, pb_req_param(req, 1));
	if (!record) {
		pb_resp_error(req, 404, NULL, NULL);
		return;
	}
	json_decref(record);
	long long duration = 0;
	struct pb_auth_form_field form[] = {{"duration", PB_AUTH_FORM_INT, NULL, &duration}};
	struct pb_error err = PB_ERROR_INIT;
	if (pb_auth_form_bind(req, form, 1, &err) != 0) {
		pb_auth_bind_failed(req, &err, false);
		return;
	}
	if (duration < 0) {
		json_t *data = json_object();
		json_object_set_new(data, "duration", pb_validation_min(0));
		pb_auth_validation_failed(req, data);
		json_decref(data);
		return;
	}
	struct pb_auth_finish *f = pb_auth_finish_new();
	pb_auth_finish_prepare(req, f, c, pb_auth_finish_keep(f, pb_req_param(req, 1)));
	f->method = "";
	f->static_token = true;
	f->static_duration = duration;
	pb_auth_respond(req, f);
}
