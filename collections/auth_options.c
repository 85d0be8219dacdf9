/* auth_options — typed accessors over an auth collection's options JSON (see auth_options.h). */
#include "collections/auth_options.h"

#include <string.h>

static const json_t *sub(const struct pb_collection *c, const char *key)
{
	const json_t *o = json_object_get(c->options, key);
	return json_is_object(o) ? o : NULL;
}

static bool flag(const json_t *o, const char *key) { return o && json_is_true(json_object_get(o, key)); }

static long long num(const json_t *o, const char *key)
{
	const json_t *v = o ? json_object_get(o, key) : NULL;
	return json_is_number(v) ? (long long)json_number_value(v) : 0;
}

void pb_auth_options_get(const struct pb_collection *c, struct pb_auth_options *o)
{
	memset(o, 0, sizeof *o);
	const json_t *pw = sub(c, "passwordAuth"), *mfa = sub(c, "mfa"), *otp = sub(c, "otp");
	o->password_enabled = flag(pw, "enabled");
	const json_t *ids = pw ? json_object_get(pw, "identityFields") : NULL;
	o->identity_fields = json_is_array(ids) ? ids : NULL;
	o->mfa_enabled = flag(mfa, "enabled");
	o->mfa_duration = num(mfa, "duration");
	const char *rule = mfa ? json_string_value(json_object_get(mfa, "rule")) : NULL;
	o->mfa_rule = rule ? rule : "";
	o->otp_enabled = flag(otp, "enabled");
	o->otp_duration = num(otp, "duration");
	o->otp_length = (int)num(otp, "length");
	o->oauth2_enabled = flag(sub(c, "oauth2"), "enabled");
	o->auth_alert_enabled = flag(sub(c, "authAlert"), "enabled");
}

bool pb_auth_options_is_identity(const struct pb_auth_options *o, const char *name)
{
	size_t i;
	json_t *v;
	json_array_foreach((json_t *)o->identity_fields, i, v)
	{
		const char *s = json_string_value(v);
		if (s && name && strcmp(s, name) == 0)
			return true;
	}
	return false;
}

bool pb_collection_is_superusers(const struct pb_collection *c) { return c && !strcmp(c->name, PB_SUPERUSERS); }
