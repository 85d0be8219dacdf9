/* field_json — the "json" field (core/field_json.go, types.JSONRaw). A submitted string is
 * taken as raw JSON when it is "null"/"true"/"false" or starts with a digit, '-', '"', '[' or
 * '{' and parses; any other string becomes a JSON string (so "123" stores the number 123 and
 * "abc" the string "abc"); other values are encoded like Go's json.Marshal (object keys
 * sorted). The record holds the parsed value; the column gets its compact Go-style JSON text,
 * or NULL for null. Validation: serialized size <= maxSize (0 → 1 MiB); required rejects null,
 * "", [] and {}. */
#include <stdlib.h>
#include <string.h>

#include "collections/field_cast.h"
#include "collections/field_internal.h"

#define DEFAULT_JSON_MAX_SIZE (1LL << 20)

/* a deep copy whose objects have byte-wise sorted keys (Go map encoding order) */
static json_t *sorted_copy(const json_t *v)
{
	if (json_is_array(v)) {
		json_t *out = json_array();
		size_t i;
		json_t *it;
		json_array_foreach(v, i, it) json_array_append_new(out, sorted_copy(it));
		return out;
	}
	if (json_is_object(v)) {
		char *text = pb_go_json_marshal(v, true);
		json_t *parsed = json_loads(text, JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL, NULL);
		free(text);
		if (!parsed)
			return json_object();
		/* re-parsing keeps the sorted order; nested values are sorted by the marshal too */
		return parsed;
	}
	return json_deep_copy(v);
}

static json_t *json_prepare(const struct pb_field *f, const json_t *raw)
{
	if (!raw || json_is_null(raw))
		return json_null();
	if (!json_is_string(raw))
		return sorted_copy(raw);
	const char *s = json_string_value(raw);
	if (!*s)
		return json_string("");
	if (!strcmp(s, "null"))
		return json_null();
	if (!strcmp(s, "true"))
		return json_true();
	if (!strcmp(s, "false"))
		return json_false();
	char c = s[0];
	if ((c >= '0' && c <= '9') || c == '-' || c == '"' || c == '[' || c == '{') {
		json_t *v = json_loads(s, JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL, NULL);
		if (v)
			return v;
	}
	return json_incref((json_t *)raw);
}

static int json_validate(const struct pb_field *f, const struct pb_field_value *v, struct pb_field_error *out)
{
	char *text = json_is_null(v->value) ? strdup("") : pb_go_json_marshal(v->value, false);
	long long max = (long long)pb_field_opt_num(f, "maxSize", 0);
	if (max <= 0)
		max = DEFAULT_JSON_MAX_SIZE;
	int rc = 0;
	if ((long long)strlen(text) > max)
		rc = pb_field_error_set(out, PB_VMSG_JSON_SIZE, pbf_param_int("maxSize", max));
	else if (f->required && (!*text || !strcmp(text, "null") || !strcmp(text, "\"\"") || !strcmp(text, "[]") ||
	                         !strcmp(text, "{}")))
		rc = pb_field_error_set(out, PB_VMSG_REQUIRED, NULL);
	free(text);
	return rc;
}

static int json_to_db(const struct pb_field *f, const json_t *value, struct pb_query *q)
{
	if (!value || json_is_null(value))
		return pb_query_bind_null(q);
	char *text = pb_go_json_marshal(value, false);
	int ph = pb_query_bind_text(q, text, strlen(text));
	free(text);
	return ph;
}

static json_t *json_zero(const struct pb_field *f) { return json_null(); }

static const char *json_column_def(const struct pb_field *f) { return "JSON DEFAULT NULL"; }

const struct pb_field_ops pb_field_json_type = {
	.type = PB_FIELD_JSON,
	.modifiers = PB_MOD_BIT(PB_MOD_SET),
	.prepare = json_prepare,
	.validate = json_validate,
	.to_db = json_to_db,
	.from_column = pbf_json_from_column,
	.zero = json_zero,
	.column_def = json_column_def,
};
