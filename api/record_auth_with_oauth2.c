/* record_auth_with_oauth2 — POST /api/collections/{collection}/auth-with-oauth2
 * (apis/record_auth_with_oauth2.go). OAuth2 must be enabled (403); the body {provider, code,
 * codeVerifier, redirectURL (legacy redirectUrl), createData} is validated (provider required,
 * at most 100 characters and configured; code required). Then, hop by hop and never blocking
 * the worker loop:
 *   pool    — the code → token exchange (code_verifier when the provider uses PKCE) and the
 *             user fetch (400 "Failed to fetch OAuth2 token." / "Failed to fetch OAuth2 user.");
 *   worker  — which record this login resolves to, on the read connection (oauth2_submit.h);
 *             for a sign-up the create payload: createData, the provider email unless one was
 *             submitted, the mapped id/name/username/avatarURL fields, a random password;
 *   pool    — the avatar download into a file field (safe client; failures only logged), the
 *             bcrypt of a new or random password;
 *   worker  — the create prepared like POST /records in the "oauth2" request context;
 *   writer  — ONE job: find/create/link (oauth2_submit) then the common auth finish (authRule,
 *             MFA with method oauth2, token, login alert), answered as
 *             {"meta":{…AuthUser, isNew},"record":…,"token":…} or the MFA 401. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/record_auth.h"
#include "api/record_auth_internal.h"
#include "api/worker.h"
#include "api/oauth2_login.h"
#include "collections/auth_lookup.h"
#include "collections/auth_options.h"
#include "core/oauth2.h"

#define MSG_OAUTH2_DISABLED "The collection is not configured to allow OAuth2 authentication."
#define MSG_INVALID_PROVIDER "Provider with name %s is missing or is not enabled."

/* ozzo: provider Required, Length(0, 100), configured; code Required. New object. */
static json_t *validate(const struct pb_collection *c, const char *provider, const char *code)
{
	json_t *data = json_object();
	const json_t *oauth2 = json_object_get(c->options, "oauth2");
	if (!pb_auth_rule_required(data, "provider", provider) &&
	    !pb_auth_rule_length(data, "provider", provider, 0, 100) && !pb_oauth2_config_find(oauth2, provider)) {
		char msg[256];
		snprintf(msg, sizeof msg, MSG_INVALID_PROVIDER, provider);
		pb_auth_rule_error(data, "provider", "validation_invalid_provider", msg);
	}
	pb_auth_rule_required(data, "code", code);
	return data;
}

/* createData of the decoded body: an object, or NULL when absent/null; -1 for another type */
static int create_data(struct pb_req *req, json_t **out)
{
	*out = NULL;
	const char *k;
	json_t *v, *found = NULL;
	json_object_foreach(req->body_json, k, v)
	{
		if (!strcasecmp(k, "createData"))
			found = v;
	}
	if (!found || json_is_null(found))
		return 0;
	if (!json_is_object(found))
		return -1;
	*out = json_deep_copy(found);
	return 0;
}

void pb_api_record_auth_with_oauth2(struct pb_req *req)
{
	const struct pb_collection *c = pb_auth_collection_ctx(req);
	if (!c)
		return;
	struct pb_auth_options o;
	pb_auth_options_get(c, &o);
	if (!o.oauth2_enabled) {
		pb_resp_error(req, 403, MSG_OAUTH2_DISABLED, NULL);
		return;
	}
	req->info.context = "oauth2";
	char *provider = NULL, *code = NULL, *verifier = NULL, *redirect = NULL, *redirect_legacy = NULL;
	struct pb_auth_form_field form[] = {
	    {"provider", PB_AUTH_FORM_STRING, &provider, NULL},
	    {"code", PB_AUTH_FORM_STRING, &code, NULL},
	    {"codeVerifier", PB_AUTH_FORM_STRING, &verifier, NULL},
	    {"redirectURL", PB_AUTH_FORM_STRING, &redirect, NULL},
	    {"redirectUrl", PB_AUTH_FORM_STRING, &redirect_legacy, NULL},
	};
	size_t nform = sizeof form / sizeof form[0];
	struct pb_error err = PB_ERROR_INIT;
	json_t *extra = NULL;
	if (pb_auth_form_bind(req, form, nform, &err) != 0) {
		pb_auth_bind_failed(req, &err, true);
		goto out;
	}
	if (create_data(req, &extra) != 0) {
		pb_resp_error(req, 400, PB_MSG_LOAD_FAILED, NULL);
		goto out;
	}
	/* the legacy key only fills an empty redirectURL (binding is case-insensitive, so both
	 * may have read the same key) */
	const char *redirect_url = redirect && *redirect ? redirect : pb_auth_s(redirect_legacy);
	json_t *data = validate(c, pb_auth_s(provider), pb_auth_s(code));
	bool invalid = pb_auth_validation_failed(req, data);
	json_decref(data);
	if (invalid)
		goto out;

	const json_t *config = pb_oauth2_config_find(json_object_get(c->options, "oauth2"), provider);
	struct pb_oauth2_login *l = pb_oauth2_login_new(req, c);
	if (!config || pb_oauth2_provider_init(&l->provider, config, &err) != 0) {
		char msg[200];
		snprintf(msg, sizeof msg, "Failed to init provider %s", provider);
		pb_error_clear(&err);
		pb_oauth2_login_free(l);
		pb_resp_error(req, 500, config ? msg : "Missing or invalid provider config.", NULL);
		goto out;
	}
	pb_oauth2_provider_set_redirect(&l->provider, redirect_url);
	l->code = strdup(code);
	l->verifier = l->provider.pkce ? strdup(pb_auth_s(verifier)) : NULL;
	l->create_data = extra;
	extra = NULL;
	l->mfa_id = pb_auth_read_mfa_id(req);
	if (req->auth && req->auth_collection && !strcmp(req->auth_collection->id, c->id))
		l->auth_id = strdup(pb_auth_str(req->auth, "id"));
	pb_oauth2_login_start(l);
out:
	json_decref(extra);
	pb_auth_form_free(form, nform);
}
