/* oauth2_oidc — the OpenID Connect family of PocketBase's tools/auth: the generic OIDC
 * provider (oidc/oidc2/oidc3: userinfo endpoint when configured, else the validated id_token
 * claims with the optional "issuers" and "jwksURL" extras), Apple (id_token only, issuer
 * https://appleid.apple.com, exp required, signature against Apple's JWKS), Google (userinfo,
 * email only when email_verified) and Microsoft (Graph /me; the email from the id_token
 * claim named by the "idTokenEmailClaim" extra, else Graph's mail). */
#include <stdlib.h>
#include <string.h>

#include "core/oauth2_internal.h"

#define APPLE_JWKS "https://appleid.apple.com/auth/keys"
#define APPLE_ISSUER "https://appleid.apple.com"

static const char *id_token_of(const struct pb_oauth2_token *t) { return json_string_value(json_object_get(t->raw, "id_token")); }

/* cast.ToStringSlice of the "issuers" extra: an array of strings or a space separated string */
static json_t *issuers_of(const json_t *extra)
{
	const json_t *v = json_object_get(extra, "issuers");
	json_t *out = json_array();
	if (json_is_array(v)) {
		size_t i;
		const json_t *x;
		json_array_foreach(v, i, x) if (json_is_string(x)) json_array_append(out, (json_t *)x);
	} else if (json_is_string(v)) {
		char *copy = strdup(json_string_value(v)), *save = NULL;
		for (char *w = strtok_r(copy, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save))
			json_array_append_new(out, json_string(w));
		free(copy);
	}
	return out;
}

char *pb_oauth2_raw_oidc(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, struct pb_error *err)
{
	if (*p->user_info_url)
		return pb_oauth2_api_call(p, t, p->user_info_url, NULL, NULL, NULL, err);
	json_t *issuers = issuers_of(p->extra);
	struct pb_oauth2_idtoken_rules rules = {
	    .audience = p->client_id,
	    .jwks_url = json_string_value(json_object_get(p->extra, "jwksURL")),
	    .issuers = issuers,
	    .timeout_ms = p->timeout_ms,
	};
	json_t *claims = pb_oauth2_idtoken_claims(id_token_of(t), &rules, err);
	json_decref(issuers);
	if (!claims)
		return NULL;
	char *out = json_dumps(claims, JSON_COMPACT);
	json_decref(claims);
	return out;
}

int pb_oauth2_map_oidc(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const json_t *raw,
                       struct pb_oauth2_user *u, struct pb_error *err)
{
	(void)p, (void)t;
	bool bad = false;
	pb_oauth2_set(&u->id, pb_oauth2_jstr(raw, "sub", &bad));
	pb_oauth2_set(&u->name, pb_oauth2_jstr(raw, "name", &bad));
	pb_oauth2_set(&u->username, pb_oauth2_jstr(raw, "preferred_username", &bad));
	pb_oauth2_set(&u->avatar_url, pb_oauth2_jstr(raw, "picture", &bad));
	const char *email = pb_oauth2_jstr(raw, "email", &bad);
	pb_oauth2_set(&u->email, pb_oauth2_jcast_bool(raw, "email_verified") ? email : "");
	return bad ? pb_oauth2_decode_failed(err) : 0;
}

char *pb_oauth2_raw_apple(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, struct pb_error *err)
{
	struct pb_oauth2_idtoken_rules rules = {
	    .audience = p->client_id,
	    .issuer = APPLE_ISSUER,
	    .exp_required = true,
	    .jwks_url = APPLE_JWKS,
	    .timeout_ms = p->timeout_ms,
	};
	json_t *claims = pb_oauth2_idtoken_claims(id_token_of(t), &rules, err);
	if (!claims)
		return NULL;
	char *out = json_dumps(claims, JSON_COMPACT);
	json_decref(claims);
	return out;
}

int pb_oauth2_map_apple(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const json_t *raw,
                        struct pb_oauth2_user *u, struct pb_error *err)
{
	(void)p, (void)t;
	bool bad = false;
	pb_oauth2_set(&u->id, pb_oauth2_jstr(raw, "sub", &bad));
	pb_oauth2_set(&u->name, pb_oauth2_jstr(raw, "name", &bad));
	const char *email = pb_oauth2_jstr(raw, "email", &bad);
	pb_oauth2_set(&u->email, pb_oauth2_jcast_bool(raw, "email_verified") ? email : "");
	return bad ? pb_oauth2_decode_failed(err) : 0;
}

int pb_oauth2_map_google(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const json_t *raw,
                         struct pb_oauth2_user *u, struct pb_error *err)
{
	(void)p, (void)t;
	bool bad = false;
	pb_oauth2_set(&u->id, pb_oauth2_jstr(raw, "sub", &bad));
	pb_oauth2_set(&u->name, pb_oauth2_jstr(raw, "name", &bad));
	pb_oauth2_set(&u->avatar_url, pb_oauth2_jstr(raw, "picture", &bad));
	const char *email = pb_oauth2_jstr(raw, "email", &bad);
	pb_oauth2_set(&u->email, pb_oauth2_jbool(raw, "email_verified", &bad) ? email : "");
	return bad ? pb_oauth2_decode_failed(err) : 0;
}

/* the loosely validated (no signature, no audience) id_token claims, or NULL */
static json_t *ms_claims(const struct pb_oauth2_token *t)
{
	struct pb_oauth2_idtoken_rules rules = {0};
	struct pb_error ignored = PB_ERROR_INIT;
	json_t *c = pb_oauth2_idtoken_claims(id_token_of(t), &rules, &ignored);
	pb_error_clear(&ignored);
	return c;
}

static const char *claim_str(const json_t *claims, const char *name)
{
	const char *s = json_string_value(json_object_get(claims, name));
	return s ? s : "";
}

int pb_oauth2_map_microsoft(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const json_t *raw,
                            struct pb_oauth2_user *u, struct pb_error *err)
{
	bool bad = false;
	pb_oauth2_set(&u->id, pb_oauth2_jstr(raw, "id", &bad));
	pb_oauth2_set(&u->name, pb_oauth2_jstr(raw, "displayName", &bad));
	const char *mail = pb_oauth2_jstr(raw, "mail", &bad);
	if (bad)
		return pb_oauth2_decode_failed(err);
	const char *mode = json_string_value(json_object_get(p->extra, "idTokenEmailClaim"));
	if (!mode || (strcmp(mode, "any_verified") && strcmp(mode, "verified_primary_email") &&
	              strcmp(mode, "email_and_xms_edov") && strcmp(mode, "email"))) {
		pb_oauth2_set(&u->email, mail);
		return 0;
	}
	json_t *c = ms_claims(t);
	const char *primary = claim_str(c, "verified_primary_email");
	const char *edov = pb_oauth2_jcast_bool(c, "xms_edov") ? claim_str(c, "email") : "";
	const char *email = "";
	if (!strcmp(mode, "any_verified"))
		email = *primary ? primary : edov;
	else if (!strcmp(mode, "verified_primary_email"))
		email = primary;
	else if (!strcmp(mode, "email_and_xms_edov"))
		email = edov;
	else
		email = claim_str(c, "email");
	pb_oauth2_set(&u->email, email);
	json_decref(c);
	return 0;
}
