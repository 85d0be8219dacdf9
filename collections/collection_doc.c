/* collection_doc — the mutable collection form and its conversions (see collection_doc.h). */
#include "collections/collection_doc.h"

#include <stdlib.h>
#include <string.h>

#include "collections/collection_json.h"
#include "collections/field_settings.h"
#include "core/json_write.h"

#define END {NULL, 0, NULL, false}

static const struct pb_go_field template_schema[] = {
	{"subject", PB_GO_STRING, NULL, false}, {"body", PB_GO_STRING, NULL, false}, END};
static const struct pb_go_field token_schema[] = {
	{"secret", PB_GO_STRING, NULL, true}, {"duration", PB_GO_INT, NULL, false}, END};
static const struct pb_go_field alert_schema[] = {
	{"enabled", PB_GO_BOOL, NULL, false}, {"emailTemplate", PB_GO_STRUCT, template_schema, false}, END};
static const struct pb_go_field provider_schema[] = {
	{"pkce", PB_GO_BOOLPTR, NULL, false},      {"name", PB_GO_STRING, NULL, false},
	{"clientId", PB_GO_STRING, NULL, false},   {"clientSecret", PB_GO_STRING, NULL, true},
	{"authURL", PB_GO_STRING, NULL, false},    {"tokenURL", PB_GO_STRING, NULL, false},
	{"userInfoURL", PB_GO_STRING, NULL, false}, {"displayName", PB_GO_STRING, NULL, false},
	{"extra", PB_GO_MAP, NULL, false},         END};
static const struct pb_go_field mapped_schema[] = {
	{"id", PB_GO_STRING, NULL, false},       {"name", PB_GO_STRING, NULL, false},
	{"username", PB_GO_STRING, NULL, false}, {"avatarURL", PB_GO_STRING, NULL, false}, END};
static const struct pb_go_field oauth2_schema[] = {{"providers", PB_GO_STRUCTLIST, provider_schema, false},
                                                   {"mappedFields", PB_GO_STRUCT, mapped_schema, false},
                                                   {"enabled", PB_GO_BOOL, NULL, false},
                                                   END};
static const struct pb_go_field password_auth_schema[] = {
	{"enabled", PB_GO_BOOL, NULL, false}, {"identityFields", PB_GO_STRLIST, NULL, false}, END};
static const struct pb_go_field mfa_schema[] = {
	{"enabled", PB_GO_BOOL, NULL, false}, {"duration", PB_GO_INT, NULL, false}, {"rule", PB_GO_STRING, NULL, false}, END};
static const struct pb_go_field otp_schema[] = {{"enabled", PB_GO_BOOL, NULL, false},
                                                {"duration", PB_GO_INT, NULL, false},
                                                {"length", PB_GO_INT, NULL, false},
                                                {"emailTemplate", PB_GO_STRUCT, template_schema, false},
                                                END};

#define AUTH_OPTIONS                                                                                               \
	{"authRule", PB_GO_STRPTR, NULL, false}, {"manageRule", PB_GO_STRPTR, NULL, false},                             \
	{"authAlert", PB_GO_STRUCT, alert_schema, false}, {"oauth2", PB_GO_STRUCT, oauth2_schema, false},               \
	{"passwordAuth", PB_GO_STRUCT, password_auth_schema, false}, {"mfa", PB_GO_STRUCT, mfa_schema, false},          \
	{"otp", PB_GO_STRUCT, otp_schema, false}, {"authToken", PB_GO_STRUCT, token_schema, false},                     \
	{"passwordResetToken", PB_GO_STRUCT, token_schema, false},                                                      \
	{"emailChangeToken", PB_GO_STRUCT, token_schema, false},                                                        \
	{"verificationToken", PB_GO_STRUCT, token_schema, false}, {"fileToken", PB_GO_STRUCT, token_schema, false},     \
	{"verificationTemplate", PB_GO_STRUCT, template_schema, false},                                                 \
	{"resetPasswordTemplate", PB_GO_STRUCT, template_schema, false},                                                \
	{"confirmEmailChangeTemplate", PB_GO_STRUCT, template_schema, false}

const struct pb_go_field pb_collection_auth_schema[] = {AUTH_OPTIONS, END};
const struct pb_go_field pb_collection_view_schema[] = {{"viewQuery", PB_GO_STRING, NULL, false}, END};
const struct pb_go_field pb_collection_doc_schema[] = {
	{"id", PB_GO_STRING, NULL, false},        {"listRule", PB_GO_STRPTR, NULL, false},
	{"viewRule", PB_GO_STRPTR, NULL, false},  {"createRule", PB_GO_STRPTR, NULL, false},
	{"updateRule", PB_GO_STRPTR, NULL, false}, {"deleteRule", PB_GO_STRPTR, NULL, false},
	{"name", PB_GO_STRING, NULL, false},      {"type", PB_GO_STRING, NULL, false},
	{"fields", PB_GO_SKIP, NULL, false},      {"indexes", PB_GO_STRLIST, NULL, false},
	{"created", PB_GO_DATETIME, NULL, false}, {"updated", PB_GO_DATETIME, NULL, false},
	{"system", PB_GO_BOOL, NULL, false},      AUTH_OPTIONS,
	{"viewQuery", PB_GO_STRING, NULL, false}, END};

static const char *const rule_keys[PB_RULE_COUNT] = {"listRule", "viewRule", "createRule", "updateRule",
                                                     "deleteRule"};

json_t *pb_collection_doc_zero(void)
{
	json_t *doc = pb_go_zero(pb_collection_doc_schema);
	json_object_set_new(doc, "fields", json_array());
	return doc;
}

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

json_t *pb_collection_doc_from(const struct pb_collection *c)
{
	json_t *doc = pb_collection_doc_zero();
	json_object_set_new(doc, "id", json_string(c->id));
	for (int i = 0; i < PB_RULE_COUNT; i++)
		json_object_set_new(doc, rule_keys[i], str_or_null(c->rules[i]));
	json_object_set_new(doc, "name", json_string(c->name));
	json_object_set_new(doc, "type", json_string(pb_collection_type_name(c->type)));
	json_t *fields = json_array();
	for (size_t i = 0; i < c->nfields; i++) {
		/* PostScan decodes each field onto its Go struct: legacy rows gain the missing keys */
		json_t *f = pb_field_settings_canonical(c->fields[i].raw);
		json_array_append_new(fields, f ? f : pb_json_sorted_copy(c->fields[i].raw));
	}
	json_object_set_new(doc, "fields", fields);
	json_object_set_new(doc, "indexes", json_deep_copy(c->indexes));
	json_object_set_new(doc, "created", json_string(c->created));
	json_object_set_new(doc, "updated", json_string(c->updated));
	json_object_set_new(doc, "system", json_boolean(c->system));
	if (c->type == PB_COLLECTION_AUTH)
		pb_go_decode(pb_collection_auth_schema, doc, c->options);
	else if (c->type == PB_COLLECTION_VIEW)
		pb_go_decode(pb_collection_view_schema, doc, c->options);
	return doc;
}

const char *pb_collection_doc_str(const json_t *doc, const char *key)
{
	const char *s = json_string_value(json_object_get(doc, key));
	return s ? s : "";
}

enum pb_collection_type pb_collection_doc_type(const json_t *doc)
{
	const char *t = pb_collection_doc_str(doc, "type");
	return !strcmp(t, "auth") ? PB_COLLECTION_AUTH : !strcmp(t, "view") ? PB_COLLECTION_VIEW : PB_COLLECTION_BASE;
}

char *pb_collection_doc_options_text(const json_t *doc)
{
	const struct pb_go_field *schema = NULL;
	switch (pb_collection_doc_type(doc)) {
	case PB_COLLECTION_AUTH: schema = pb_collection_auth_schema; break;
	case PB_COLLECTION_VIEW: schema = pb_collection_view_schema; break;
	default: return strdup("{}");
	}
	json_t *o = pb_go_marshal(schema, doc);
	char *s = pb_json_dumps(o);
	json_decref(o);
	return s;
}

char *pb_collection_doc_fields_text(const json_t *doc)
{
	json_t *f = json_object_get(doc, "fields");
	return json_is_array(f) ? pb_json_dumps(f) : strdup("[]");
}

char *pb_collection_doc_indexes_text(const json_t *doc)
{
	json_t *i = json_object_get(doc, "indexes");
	return json_is_array(i) ? pb_json_dumps(i) : strdup("[]");
}

struct pb_collection *pb_collection_doc_build(const json_t *doc)
{
	const char *rules[PB_RULE_COUNT];
	for (int i = 0; i < PB_RULE_COUNT; i++)
		rules[i] = json_string_value(json_object_get(doc, rule_keys[i]));
	char *fields = pb_collection_doc_fields_text(doc);
	char *indexes = pb_collection_doc_indexes_text(doc);
	char *options = pb_collection_doc_options_text(doc);
	struct pb_collection *c = pb_collection_from_row(
		pb_collection_doc_str(doc, "id"), pb_collection_doc_str(doc, "name"), pb_collection_doc_str(doc, "type"),
		json_is_true(json_object_get(doc, "system")), fields, indexes, options, rules,
		pb_collection_doc_str(doc, "created"), pb_collection_doc_str(doc, "updated"));
	free(fields);
	free(indexes);
	free(options);
	return c;
}

json_t *pb_collection_doc_api_json(const json_t *doc)
{
	struct pb_collection *c = pb_collection_doc_build(doc);
	if (!c)
		return json_object();
	json_t *j = pb_collection_to_json(c);
	pb_collection_free(c);
	return j;
}
