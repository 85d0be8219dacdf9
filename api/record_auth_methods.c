/* record_auth_methods — GET /api/collections/{collection}/auth-methods (apis/record_auth_methods.go):
 * the enabled auth methods in the struct's key order
 *   {"password":{"identityFields":[…],"enabled":…},"oauth2":{"providers":[…],"enabled":…},
 *    "mfa":{"enabled":…,"duration":…},"otp":{"enabled":…,"duration":…},
 *    "authProviders":…,"usernamePassword":…,"emailPassword":…}
 * with durations 0 and no identity fields for disabled methods, plus the legacy keys.
 * Each configured OAuth2 provider is initialised from the registry (core/oauth2.h) and gets a
 * fresh state, PKCE pair and authorization URL ending in an empty redirect_uri for the client
 * to complete. */
#include <stdlib.h>
#include <string.h>

#include "api/record_auth.h"
#include "api/record_auth_internal.h"
#include "collections/auth_options.h"
#include "collections/oauth2_providers.h"
#include "core/oauth2.h"
#include "core/random.h"

/* The OAuth2 provider infos of c: per configured provider that initialises (others are
 * skipped), {name, displayName (the config name when empty), logo, state (30 random
 * characters), authURL (+ the legacy authUrl copy), codeVerifier/codeChallenge/
 * codeChallengeMethod (43-character verifier and S256 when the provider uses PKCE, else "")}.
 * New array. */
static json_t *oauth2_providers(const struct pb_collection *c)
{
	json_t *list = json_array();
	const json_t *configs = json_object_get(json_object_get(c->options, "oauth2"), "providers");
	size_t i;
	const json_t *config;
	json_array_foreach(configs, i, config)
	{
		struct pb_oauth2_provider p;
		struct pb_error err = PB_ERROR_INIT;
		if (pb_oauth2_provider_init(&p, config, &err) != 0) {
			pb_error_clear(&err);
			continue;
		}
		char state[31], verifier[44] = "";
		char *challenge = NULL;
		if (pb_random_string(state, 30, PB_ALPHABET_ALNUM) != 0 ||
		    (p.pkce && pb_random_string(verifier, 43, PB_ALPHABET_ALNUM) != 0)) {
			pb_oauth2_provider_deinit(&p);
			continue;
		}
		if (p.pkce)
			challenge = pb_oauth2_s256_challenge(verifier);
		char *url = pb_oauth2_auth_url(&p, state, challenge);
		char *logo = pb_oauth2_provider_logo(p.display_name);
		json_t *o = json_object();
		json_object_set_new(o, "name", json_string(p.name));
		json_object_set_new(o, "displayName", json_string(*p.display_name ? p.display_name : p.name));
		json_object_set_new(o, "logo", json_string(logo));
		json_object_set_new(o, "state", json_string(state));
		json_object_set_new(o, "authURL", json_string(url));
		json_object_set_new(o, "authUrl", json_string(url));
		json_object_set_new(o, "codeVerifier", json_string(verifier));
		json_object_set_new(o, "codeChallenge", json_string(challenge ? challenge : ""));
		json_object_set_new(o, "codeChallengeMethod", json_string(challenge ? "S256" : ""));
		json_array_append_new(list, o);
		free(logo);
		free(url);
		free(challenge);
		pb_oauth2_provider_deinit(&p);
	}
	return list;
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
