/* record_auth_methods — GET /api/collections/{collection}/auth-methods (apis/record_auth_methods.go):
 * the enabled auth methods in the struct's key order
 *   {"password":{"identityFields":[…],"enabled":…},"oauth2":{"providers":[…],"enabled":…},
 *    "mfa":{"enabled":…,"duration":…},"otp":{"enabled":…,"duration":…},
 *    "authProviders":…,"usernamePassword":…,"emailPassword":…}
 * with durations 0 and no identity fields for disabled methods, plus the legacy keys.
 * OAuth2 providers are described by the OAuth2 module; until it exists no configured provider
 * can be initialised, and PocketBase skips such providers (the list stays empty). */
#include <string.h>

#include "api/record_auth.h"
#include "api/record_auth_internal.h"
#include "collections/auth_options.h"

/* The OAuth2 provider infos of c (InitProvider + auth URL per configured provider). No provider
 * implementation is linked yet, so every configured provider is skipped. New array. */
static json_t *oauth2_providers(const struct pb_collection *c)
{
	(void)c;
	return json_array();
}

static bool has_identity(const json_t *fields, const char *name)
{
	size_t i;
	json_t *v;
	json_array_foreach((json_t *)fields, i, v)
	{
		if (json_is_string(v) && !strcmp(json_string_value(v), name))
			return true;
	}
	return false;
}

void pb_api_record_auth_methods(struct pb_req *req)
{
	const struct pb_collection *c = pb_auth_collection_ctx(req);
	if (!c)
		return;
	struct pb_auth_options o;
	pb_auth_options_get(c, &o);
	json_t *ids = o.password_enabled && o.identity_fields ? json_deep_copy(o.identity_fields) : json_array();
	json_t *providers = o.oauth2_enabled ? oauth2_providers(c) : json_array();

	json_t *body = json_object();
	json_object_set_new(body, "password", json_pack("{sOsb}", "identityFields", ids, "enabled", o.password_enabled));
	json_object_set_new(body, "oauth2", json_pack("{sOsb}", "providers", providers, "enabled", o.oauth2_enabled));
	json_object_set_new(body, "mfa",
	                    json_pack("{sbsI}", "enabled", o.mfa_enabled, "duration",
	                              (json_int_t)(o.mfa_enabled ? o.mfa_duration : 0)));
	json_object_set_new(body, "otp",
	                    json_pack("{sbsI}", "enabled", o.otp_enabled, "duration",
	                              (json_int_t)(o.otp_enabled ? o.otp_duration : 0)));
	/* legacy fields: providers without their logo, null when OAuth2 is disabled */
	json_t *legacy = json_null();
	if (o.oauth2_enabled) {
		legacy = json_deep_copy(providers);
		size_t i;
		json_t *p;
		json_array_foreach(legacy, i, p) json_object_set_new(p, "logo", json_string(""));
	}
	json_object_set_new(body, "authProviders", legacy);
	json_object_set_new(body, "usernamePassword", json_boolean(o.password_enabled && has_identity(ids, "username")));
	json_object_set_new(body, "emailPassword", json_boolean(o.password_enabled && has_identity(ids, "email")));
	json_decref(ids);
	json_decref(providers);
	pb_resp_json(req, 200, body);
	json_decref(body);
}
