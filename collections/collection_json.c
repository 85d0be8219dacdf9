/* collection_json — collection → API JSON (see collection_json.h). */
#include "collections/collection_json.h"

#include <stdlib.h>
#include <string.h>

static json_t *rule_value(const char *r) { return r ? json_string(r) : json_null(); }

/* A copy of `o` with its keys in byte-wise order (field options are a Go map). */
static json_t *sorted_copy(json_t *o)
{
	if (!json_is_object(o))
		return json_incref(o);
	size_t n = json_object_size(o), i = 0;
	const char **keys = malloc((n ? n : 1) * sizeof *keys);
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v) keys[i++] = k;
	for (size_t a = 1; a < n; a++)
		for (size_t b = a; b > 0 && strcmp(keys[b - 1], keys[b]) > 0; b--) {
			const char *t = keys[b];
			keys[b] = keys[b - 1];
			keys[b - 1] = t;
		}
	json_t *out = json_object();
	for (i = 0; i < n; i++)
		json_object_set(out, keys[i], json_object_get(o, keys[i]));
	free(keys);
	return out;
}

static const char *const auth_option_keys[] = {
	"authRule", "manageRule", "authAlert", "oauth2", "passwordAuth", "mfa", "otp", "authToken",
	"passwordResetToken", "emailChangeToken", "verificationToken", "fileToken", "verificationTemplate",
	"resetPasswordTemplate", "confirmEmailChangeTemplate",
};

static json_t *strip_secrets(const char *key, json_t *v)
{
	json_t *copy = json_deep_copy(v);
	if (!copy)
		return json_null();
	if (strstr(key, "Token") && json_is_object(copy))
		json_object_del(copy, "secret");
	if (!strcmp(key, "oauth2") && json_is_object(copy)) {
		json_t *providers = json_object_get(copy, "providers");
		if (!json_is_array(providers))
			json_object_set_new(copy, "providers", json_array());
		size_t i;
		json_t *p;
		json_array_foreach(json_object_get(copy, "providers"), i, p)
		{
			if (json_is_object(p))
				json_object_del(p, "clientSecret");
		}
	}
	return copy;
}

json_t *pb_collection_to_json(const struct pb_collection *c)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(c->id));
	json_object_set_new(o, "listRule", rule_value(c->rules[PB_RULE_LIST]));
	json_object_set_new(o, "viewRule", rule_value(c->rules[PB_RULE_VIEW]));
	json_object_set_new(o, "createRule", rule_value(c->rules[PB_RULE_CREATE]));
	json_object_set_new(o, "updateRule", rule_value(c->rules[PB_RULE_UPDATE]));
	json_object_set_new(o, "deleteRule", rule_value(c->rules[PB_RULE_DELETE]));
	json_object_set_new(o, "name", json_string(c->name));
	json_object_set_new(o, "type", json_string(pb_collection_type_name(c->type)));
	json_t *fields = json_array();
	for (size_t i = 0; i < c->nfields; i++)
		json_array_append_new(fields, sorted_copy(c->fields[i].raw));
	json_object_set_new(o, "fields", fields);
	json_object_set(o, "indexes", c->indexes);
	json_object_set_new(o, "created", json_string(c->created));
	json_object_set_new(o, "updated", json_string(c->updated));
	json_object_set_new(o, "system", json_boolean(c->system));
	if (c->type == PB_COLLECTION_AUTH) {
		for (size_t i = 0; i < sizeof auth_option_keys / sizeof auth_option_keys[0]; i++) {
			const char *k = auth_option_keys[i];
			json_t *v = json_object_get(c->options, k);
			json_object_set_new(o, k, v ? strip_secrets(k, v) : json_null());
		}
	} else if (c->type == PB_COLLECTION_VIEW) {
		json_object_set_new(o, "viewQuery", json_string(c->view_query ? c->view_query : ""));
	}
	return o;
}
