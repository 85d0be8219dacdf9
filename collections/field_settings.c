/* field_settings — field definitions: per-type Go struct schemas, decoding and the FieldsList
 * add rules (see field_settings.h). */
#include "collections/field_settings.h"

#include <stdio.h>
#include <string.h>

#include "collections/gostruct.h"
#include "core/crc32.h"
#include "core/json_write.h"

#define COMMON                                                                                \
	{"name", PB_GO_STRING, NULL, false}, {"id", PB_GO_STRING, NULL, false},                      \
	{"system", PB_GO_BOOL, NULL, false}, {"hidden", PB_GO_BOOL, NULL, false},                    \
	{"presentable", PB_GO_BOOL, NULL, false}
#define HELP_REQUIRED {"help", PB_GO_STRING, NULL, false}, {"required", PB_GO_BOOL, NULL, false}
#define END {NULL, 0, NULL, false}

static const struct pb_go_field text_schema[] = {
	COMMON, HELP_REQUIRED, {"min", PB_GO_INT, NULL, false}, {"max", PB_GO_INT, NULL, false},
	{"pattern", PB_GO_STRING, NULL, false}, {"autogeneratePattern", PB_GO_STRING, NULL, false},
	{"primaryKey", PB_GO_BOOL, NULL, false}, END};
static const struct pb_go_field number_schema[] = {
	COMMON, HELP_REQUIRED, {"min", PB_GO_FLOATPTR, NULL, false}, {"max", PB_GO_FLOATPTR, NULL, false},
	{"onlyInt", PB_GO_BOOL, NULL, false}, END};
static const struct pb_go_field plain_schema[] = {COMMON, HELP_REQUIRED, END}; /* bool, geoPoint */
static const struct pb_go_field domains_schema[] = {
	COMMON, HELP_REQUIRED, {"exceptDomains", PB_GO_STRLIST, NULL, false},
	{"onlyDomains", PB_GO_STRLIST, NULL, false}, END}; /* email, url */
static const struct pb_go_field editor_schema[] = {
	COMMON, HELP_REQUIRED, {"maxSize", PB_GO_INT, NULL, false}, {"convertURLs", PB_GO_BOOL, NULL, false}, END};
static const struct pb_go_field date_schema[] = {
	COMMON, HELP_REQUIRED, {"min", PB_GO_DATETIME, NULL, false}, {"max", PB_GO_DATETIME, NULL, false}, END};
static const struct pb_go_field autodate_schema[] = {
	COMMON, {"onCreate", PB_GO_BOOL, NULL, false}, {"onUpdate", PB_GO_BOOL, NULL, false}, END};
static const struct pb_go_field select_schema[] = {
	COMMON, HELP_REQUIRED, {"values", PB_GO_STRLIST, NULL, false}, {"maxSelect", PB_GO_INT, NULL, false}, END};
static const struct pb_go_field relation_schema[] = {
	COMMON, HELP_REQUIRED, {"collectionId", PB_GO_STRING, NULL, false}, {"cascadeDelete", PB_GO_BOOL, NULL, false},
	{"minSelect", PB_GO_INT, NULL, false}, {"maxSelect", PB_GO_INT, NULL, false}, END};
static const struct pb_go_field file_schema[] = {
	COMMON, HELP_REQUIRED, {"maxSize", PB_GO_INT, NULL, false}, {"maxSelect", PB_GO_INT, NULL, false},
	{"mimeTypes", PB_GO_STRLIST, NULL, false}, {"thumbs", PB_GO_STRLIST, NULL, false},
	{"protected", PB_GO_BOOL, NULL, false}, END};
static const struct pb_go_field json_schema[] = {COMMON, HELP_REQUIRED, {"maxSize", PB_GO_INT, NULL, false}, END};
static const struct pb_go_field password_schema[] = {
	COMMON, HELP_REQUIRED, {"pattern", PB_GO_STRING, NULL, false}, {"min", PB_GO_INT, NULL, false},
	{"max", PB_GO_INT, NULL, false}, {"cost", PB_GO_INT, NULL, false}, END};

static const struct pb_go_field *schema_of(enum pb_field_type t)
{
	switch (t) {
	case PB_FIELD_TEXT: return text_schema;
	case PB_FIELD_NUMBER: return number_schema;
	case PB_FIELD_BOOL:
	case PB_FIELD_GEOPOINT: return plain_schema;
	case PB_FIELD_EMAIL:
	case PB_FIELD_URL: return domains_schema;
	case PB_FIELD_EDITOR: return editor_schema;
	case PB_FIELD_DATE: return date_schema;
	case PB_FIELD_AUTODATE: return autodate_schema;
	case PB_FIELD_SELECT: return select_schema;
	case PB_FIELD_RELATION: return relation_schema;
	case PB_FIELD_FILE: return file_schema;
	case PB_FIELD_JSON: return json_schema;
	case PB_FIELD_PASSWORD: return password_schema;
	default: return NULL;
	}
}

/* The "type" member as the onlyFieldType struct reads it (exact or case-insensitive key). */
static const char *type_of(const json_t *src, bool *bad)
{
	static const struct pb_go_field type_schema[] = {{"type", PB_GO_STRING, NULL, false}, END};
	json_t *tmp = pb_go_zero(type_schema);
	*bad = pb_go_decode(type_schema, tmp, src) != 0;
	const char *t = json_string_value(json_object_get(tmp, "type"));
	enum pb_field_type ft = pb_field_type_from_name(t);
	json_decref(tmp);
	return pb_field_type_name(ft);
}

static json_t *decode_onto_zero(const json_t *src)
{
	if (!json_is_object(src))
		return NULL;
	bool bad = false;
	const char *tname = type_of(src, &bad);
	const struct pb_go_field *schema = schema_of(pb_field_type_from_name(tname));
	if (bad || !schema)
		return NULL;
	json_t *v = pb_go_zero(schema);
	if (pb_go_decode(schema, v, src) != 0) {
		json_decref(v);
		return NULL;
	}
	json_t *m = pb_go_marshal(schema, v);
	json_decref(v);
	json_object_set_new(m, "type", json_string(tname));
	json_t *sorted = pb_json_sorted_copy(m);
	json_decref(m);
	return sorted;
}

json_t *pb_field_settings_decode(const json_t *src) { return decode_onto_zero(src); }

json_t *pb_field_settings_canonical(const json_t *f) { return decode_onto_zero(f); }

const char *pb_fjson_str(const json_t *f, const char *key)
{
	const char *s = json_string_value(json_object_get(f, key));
	return s ? s : "";
}

bool pb_fjson_bool(const json_t *f, const char *key) { return json_is_true(json_object_get(f, key)); }

double pb_fjson_num(const json_t *f, const char *key)
{
	json_t *v = json_object_get(f, key);
	return json_is_number(v) ? json_number_value(v) : 0;
}

bool pb_fjson_is_multiple(const json_t *f)
{
	const char *t = pb_fjson_str(f, "type");
	return (!strcmp(t, "select") || !strcmp(t, "relation") || !strcmp(t, "file")) && pb_fjson_num(f, "maxSelect") > 1;
}

/* The first field of `list` whose string `key` equals `value` (borrowed), or NULL. */
static json_t *fields_find(const json_t *list, const char *key, const char *value)
{
	size_t i;
	json_t *f;
	json_array_foreach(list, i, f)
	{
		if (!strcmp(pb_fjson_str(f, key), value))
			return f;
	}
	return NULL;
}

json_t *pb_fields_by_name(const json_t *list, const char *name) { return fields_find(list, "name", name); }

json_t *pb_fields_by_id(const json_t *list, const char *id) { return fields_find(list, "id", id); }

void pb_fields_list_add(json_t *list, json_t *field)
{
	const char *id = pb_fjson_str(field, "id");
	const char *name = pb_fjson_str(field, "name");
	bool by_name = !*id;
	if (by_name) {
		char base[160], cand[176];
		pb_crc32_id(pb_fjson_str(field, "type"), name, base, sizeof base);
		snprintf(cand, sizeof cand, "%s", base);
		for (int i = 2; i < 1000 && pb_fields_by_id(list, cand); i++)
			snprintf(cand, sizeof cand, "%s%d", base, i);
		json_object_set_new(field, "id", json_string(cand));
	}
	size_t i;
	json_t *f;
	json_array_foreach(list, i, f)
	{
		bool match = by_name ? (*name && !strcmp(pb_fjson_str(f, "name"), name))
		                     : !strcmp(pb_fjson_str(f, "id"), pb_fjson_str(field, "id"));
		if (match) {
			if (by_name)
				json_object_set_new(field, "id", json_string(pb_fjson_str(f, "id")));
			json_array_set_new(list, i, field);
			return;
		}
	}
	json_array_append_new(list, field);
}

json_t *pb_fields_list_new(const json_t *fields)
{
	json_t *out = json_array();
	size_t i;
	json_t *f;
	json_array_foreach(fields, i, f) pb_fields_list_add(out, json_deep_copy(f));
	return out;
}
