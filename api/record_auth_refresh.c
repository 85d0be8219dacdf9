/* record_auth_refresh — POST /api/collections/{collection}/auth-refresh
 * (apis/record_auth_refresh.go with RequireSameCollectionContextAuth): a valid auth token of
 * this very collection is required (401 without one, 403 "The request requires auth record
 * from <token's collection> collection." otherwise); a token whose `refreshable` claim is true
 * is renewed, any other (impersonate, installer) is returned unchanged. The auth response then
 * runs without MFA and login alerts, but with the superuser IP whitelist and the authRule. */
#include <stdio.h>
#include <string.h>

#include "api/messages.h"
#include "api/record_auth.h"
#include "api/record_auth_internal.h"
#include "api/record_auth_messages.h"
#include "collections/auth_token.h"

/* cast.ToBool of the claim */
static bool claim_true(const json_t *v)
{
	if (json_is_true(v))
		return true;
	if (json_is_number(v))
		return json_number_value(v) != 0;
	const char *s = json_string_value(v);
	return s && (!strcmp(s, "1") || !strcmp(s, "t") || !strcmp(s, "T") || !strcmp(s, "TRUE") || !strcmp(s, "true") ||
	             !strcmp(s, "True"));
}

void pb_api_record_auth_refresh(struct pb_req *req)
{
	if (!req->auth) {
		pb_resp_error(req, 401, PB_MSG_REQUIRES_AUTH, NULL);
		return;
	}
	const struct pb_collection *c = pb_schema_find(req->schema, pb_req_param(req, 0));
	if (!c || strcmp(c->id, req->auth_collection->id) != 0) {
		char msg[PB_ERROR_MSG_MAX];
		snprintf(msg, sizeof msg, PB_MSG_SAME_COLLECTION_AUTH, req->auth_collection->name);
		pb_resp_error(req, 403, msg, NULL);
		return;
	}
	struct pb_auth_finish *f = pb_auth_finish_new();
	pb_auth_finish_prepare(req, f, req->auth_collection, pb_auth_finish_keep(f, json_string_value(json_object_get(req->auth, "id"))));
	f->method = "";
	if (!claim_true(json_object_get(req->auth_claims, "refreshable")))
		f->token = pb_auth_finish_keep(f, pb_auth_header_token(pb_req_header(req, "Authorization")));
	pb_auth_respond(req, f);
}
