/* collection_validate_auth — collectionAuthOptions.validate of core/collection_model_auth_options.go:
 * authRule / manageRule (a rule that builds; manageRule null or non-empty; system rules frozen),
 * every email template (subject and body required), OAuth2 providers (known names, no
 * duplicates, client id/secret, URLs) when OAuth2 is on, OTP / MFA durations when on, the five
 * token configs (secret 30..255 chars, duration 10..94670856 s); then — only when all of that
 * passed — MFA needing two auth methods and a valid rule, and password identity fields that
 * exist and have a single-column UNIQUE index. */
#include <stdio.h>
#include <string.h>

#include "collections/collection_doc.h"
#include "collections/collection_validate_internal.h"
#include "collections/field_settings.h"
#include "collections/index_parse.h"
#include "collections/oauth2_providers.h"
#include "core/is.h"

static json_t *sub(const json_t *doc, const char *key) { return json_object_get(doc, key); }

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static int64_t num(const json_t *o, const char *key) { return (int64_t)json_number_value(json_object_get(o, key)); }

static json_t *nonempty(json_t *errs)
{
	if (json_object_size(errs))
		return errs;
	json_decref(errs);
	return NULL;
}

static json_t *template_errors(const json_t *t)
{
	json_t *errs = json_object();
	pb_cv_put(errs, "subject", pb_cv_required_str(str(t, "subject")));
	pb_cv_put(errs, "body", pb_cv_required_str(str(t, "body")));
	return nonempty(errs);
}

/* Required, Min(min), Max(max) on an integer. */
static json_t *required_range(int64_t v, int64_t min, int64_t max)
{
	if (v == 0)
		return pb_cv_required_str("");
	if (v < min)
		return pb_cv_min(min);
	if (v > max)
		return pb_cv_max(max);
	return NULL;
}

static json_t *token_errors(const json_t *t)
{
	json_t *errs = json_object();
	const char *secret = str(t, "secret");
	json_t *e = pb_cv_required_str(secret);
	if (!e)
		e = pb_cv_length(secret, 30, 255);
	pb_cv_put(errs, "secret", e);
	pb_cv_put(errs, "duration", required_range(num(t, "duration"), 10, 94670856));
	return nonempty(errs);
}

static json_t *url_rule(const char *s)
{
	if (!*s || pb_is_url(s, strlen(s)))
		return NULL;
	return pb_cv_item("validation_is_url", "must be a valid URL", NULL);
}

static json_t *provider_errors(const json_t *p)
{
	json_t *errs = json_object();
	const char *name = str(p, "name");
	json_t *e = pb_cv_required_str(name);
	if (!e) {
		if (!pb_oauth2_provider_known(name))
			e = pb_cv_item("validation_missing_provider", "Invalid or missing provider with name {{.name}}.",
			               json_pack("{ss}", "name", name));
	}
	pb_cv_put(errs, "name", e);
	pb_cv_put(errs, "clientId", pb_cv_required_str(str(p, "clientId")));
	pb_cv_put(errs, "clientSecret", pb_cv_required_str(str(p, "clientSecret")));
	pb_cv_put(errs, "authURL", url_rule(str(p, "authURL")));
	pb_cv_put(errs, "tokenURL", url_rule(str(p, "tokenURL")));
	pb_cv_put(errs, "userInfoURL", url_rule(str(p, "userInfoURL")));
	return nonempty(errs);
}

static json_t *oauth2_errors(const json_t *o)
{
	if (!json_is_true(json_object_get(o, "enabled")))
		return NULL;
	const json_t *list = json_object_get(o, "providers");
	size_t n = json_array_size(list);
	for (size_t i = 0; i < n; i++) {
		const char *name = str(json_array_get(list, i), "name");
		if (!*name)
			continue;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(str(json_array_get(list, j), "name"), name)) {
				char key[24];
				snprintf(key, sizeof key, "%zu", i);
				json_t *item = pb_cv_item("validation_duplicated_provider", "The provider {{.name}} is already registered.",
				                          json_pack("{ss}", "name", name));
				return json_pack("{s{s{so}}}", "providers", key, "name", item);
			}
	}
	json_t *perrs = json_object();
	for (size_t i = 0; i < n; i++) {
		json_t *e = provider_errors(json_array_get(list, i));
		if (e) {
			char key[24];
			snprintf(key, sizeof key, "%zu", i);
			json_object_set_new(perrs, key, e);
		}
	}
	if (!json_object_size(perrs)) {
		json_decref(perrs);
		return NULL;
	}
	return json_pack("{so}", "providers", perrs);
}

static json_t *otp_errors(const json_t *o)
{
	json_t *errs = json_object();
	if (json_is_true(json_object_get(o, "enabled"))) {
		pb_cv_put(errs, "duration", required_range(num(o, "duration"), 10, 86400));
		int64_t len = num(o, "length");
		pb_cv_put(errs, "length", len == 0 ? pb_cv_required_str("") : len < 4 ? pb_cv_min(4) : NULL);
	}
	json_t *t = template_errors(json_object_get(o, "emailTemplate"));
	if (t)
		json_object_set_new(errs, "emailTemplate", t);
	return nonempty(errs);
}

static json_t *identity_fields_errors(const struct pb_cv *cv, const json_t *names)
{
	size_t i;
	json_t *v;
	json_array_foreach(names, i, v)
	{
		const char *name = json_string_value(v) ? json_string_value(v) : "";
		if (!pb_fields_by_name(json_object_get(cv->doc, "fields"), name))
			return pb_cv_item("validation_missing_field", "Invalid or missing field {{.fieldName}}",
			                  json_pack("{ss}", "fieldName", name));
		bool unique = false;
		size_t k;
		json_t *idx;
		json_array_foreach(json_object_get(cv->doc, "indexes"), k, idx)
		{
			if (pb_index_is_single_unique(json_string_value(idx), name))
				unique = true;
		}
		if (!unique)
			return pb_cv_item("validation_missing_unique_constraint",
			                  "The field {{.fieldName}} doesn't have a UNIQUE constraint.",
			                  json_pack("{ss}", "fieldName", name));
	}
	return NULL;
}

static json_t *rule_key_errors(struct pb_cv *cv, const char *key, bool nil_or_not_empty)
{
	json_t *v = json_object_get(cv->doc, key), *ov = json_object_get(cv->orig, key);
	if (nil_or_not_empty && json_is_string(v) && !json_string_length(v))
		return pb_cv_item("validation_nil_or_not_empty_required", "cannot be blank", NULL);
	json_t *e = pb_cv_check_rule(cv, json_string_value(v));
	if (!e)
		e = pb_cv_system_rule_change(cv, json_string_value(ov), !json_is_string(ov), json_string_value(v),
		                             !json_is_string(v));
	return e;
}

json_t *pb_cv_auth_options(struct pb_cv *cv)
{
	const json_t *doc = cv->doc;
	json_t *errs = json_object();
	pb_cv_put(errs, "authRule", rule_key_errors(cv, "authRule", false));
	pb_cv_put(errs, "manageRule", rule_key_errors(cv, "manageRule", true));
	json_t *t = template_errors(json_object_get(sub(doc, "authAlert"), "emailTemplate"));
	if (t)
		json_object_set_new(errs, "authAlert", json_pack("{so}", "emailTemplate", t));
	const json_t *pa = sub(doc, "passwordAuth");
	if (json_is_true(json_object_get(pa, "enabled")) && !json_array_size(json_object_get(pa, "identityFields")))
		json_object_set_new(errs, "passwordAuth", json_pack("{so}", "identityFields", pb_cv_required_str("")));
	pb_cv_put(errs, "oauth2", oauth2_errors(sub(doc, "oauth2")));
	pb_cv_put(errs, "otp", otp_errors(sub(doc, "otp")));
	const json_t *mfa = sub(doc, "mfa");
	if (json_is_true(json_object_get(mfa, "enabled"))) {
		json_t *d = required_range(num(mfa, "duration"), 10, 86400);
		if (d)
			json_object_set_new(errs, "mfa", json_pack("{so}", "duration", d));
	}
	static const char *const tokens[] = {"authToken", "passwordResetToken", "emailChangeToken", "verificationToken",
	                                     "fileToken"};
	for (size_t i = 0; i < 5; i++)
		pb_cv_put(errs, tokens[i], token_errors(sub(doc, tokens[i])));
	static const char *const templates[] = {"verificationTemplate", "resetPasswordTemplate",
	                                        "confirmEmailChangeTemplate"};
	for (size_t i = 0; i < 3; i++)
		pb_cv_put(errs, templates[i], template_errors(sub(doc, templates[i])));
	if (json_object_size(errs))
		return errs;

	if (json_is_true(json_object_get(mfa, "enabled"))) {
		int methods = json_is_true(json_object_get(pa, "enabled")) +
		              json_is_true(json_object_get(sub(doc, "oauth2"), "enabled")) +
		              json_is_true(json_object_get(sub(doc, "otp"), "enabled"));
		if (methods < 2) {
			json_object_set_new(errs, "mfa",
			                    json_pack("{so}", "enabled",
			                              pb_cv_item("validation_mfa_not_enough_auths",
			                                         "MFA requires at least 2 auth methods to be enabled.", NULL)));
			return errs;
		}
		const char *rule = str(mfa, "rule");
		if (*rule) {
			const char *old = str(sub(cv->orig, "mfa"), "rule");
			json_t *e = pb_cv_check_rule(cv, rule);
			if (!e)
				e = pb_cv_system_rule_change(cv, old, false, rule, false);
			if (e) {
				json_object_set_new(errs, "mfa", json_pack("{so}", "rule", e));
				return errs;
			}
		}
	}
	if (json_is_true(json_object_get(pa, "enabled"))) {
		json_t *e = identity_fields_errors(cv, json_object_get(pa, "identityFields"));
		if (e)
			json_object_set_new(errs, "passwordAuth", json_pack("{so}", "identityFields", e));
	}
	return errs;
}
