/* field_test_util — helpers for the field-type tests: a collection from a fields JSON text,
 * a value prepared/modified by a field and rendered as Go-style JSON, a validation outcome as
 * one comparable line "code|message|params" (message sentenized as on the wire). */
#ifndef POCKETC_TESTS_UNIT_FIELD_TEST_UTIL_H
#define POCKETC_TESTS_UNIT_FIELD_TEST_UTIL_H

#include <stdlib.h>
#include <string.h>

#include "collections/collection.h"
#include "collections/field_cast.h"
#include "collections/field_type.h"
#include "collections/validation_messages.h"

/* one-field collection "test" from the field's JSON object text; caller frees */
static inline struct pb_collection *one_field(const char *field_json)
{
	char buf[4096];
	snprintf(buf, sizeof buf, "[%s]", field_json);
	const char *rules[PB_RULE_COUNT] = {0};
	return pb_collection_from_row("pbc_test", "test", "base", 0, buf, "[]", "{}", rules, "", "");
}

/* the Go JSON text of a value (static buffer, overwritten per call) */
static inline const char *js(json_t *v)
{
	static char out[2048];
	char *s = pb_go_json_marshal(v, false);
	snprintf(out, sizeof out, "%s", s);
	free(s);
	json_decref(v);
	return out;
}

/* prepare(raw JSON text; NULL = Go nil) on the collection's first field */
static inline const char *prep(const struct pb_collection *c, const char *raw_json)
{
	const struct pb_field *f = &c->fields[0];
	json_t *raw = raw_json ? json_loads(raw_json, JSON_DECODE_ANY, NULL) : NULL;
	json_t *v = pb_field_impl(f)->prepare(f, raw);
	json_decref(raw);
	return js(v);
}

/* modify(mod, current, arg) */
static inline const char *modi(const struct pb_collection *c, enum pb_modifier m, const char *cur_json, const char *arg_json)
{
	const struct pb_field *f = &c->fields[0];
	json_t *cur = json_loads(cur_json, JSON_DECODE_ANY, NULL);
	json_t *arg = arg_json ? json_loads(arg_json, JSON_DECODE_ANY, NULL) : NULL;
	json_t *v = pb_field_impl(f)->modify(f, m, cur, arg, NULL);
	json_decref(cur);
	json_decref(arg);
	return js(v);
}

/* validation of value (JSON text); old NULL = new record; "" when valid */
static inline const char *val_full(const struct pb_collection *c, const char *value_json, const char *old_json,
                            const char *plain, const char *uploads_json)
{
	static char out[2048];
	const struct pb_field *f = &c->fields[0];
	json_t *value = json_loads(value_json, JSON_DECODE_ANY, NULL);
	json_t *old = old_json ? json_loads(old_json, JSON_DECODE_ANY, NULL) : NULL;
	json_t *ups = uploads_json ? json_loads(uploads_json, JSON_DECODE_ANY, NULL) : NULL;
	struct pb_field_value v = {.value = value, .old_value = old, .is_new = old == NULL, .plain = plain,
	                           .uploads = ups, .collection_name = c->name};
	struct pb_field_error fe = {0};
	out[0] = '\0';
	if (pb_field_impl(f)->validate(f, &v, &fe)) {
		json_t *item = pb_field_error_item(&fe);
		json_t *params = json_object_get(item, "params");
		char *p = params ? pb_go_json_marshal(params, false) : strdup("");
		snprintf(out, sizeof out, "%s|%s|%s", json_string_value(json_object_get(item, "code")),
		         json_string_value(json_object_get(item, "message")), p);
		free(p);
		json_decref(item);
	}
	pb_field_error_clear(&fe);
	json_decref(value);
	json_decref(old);
	json_decref(ups);
	return out;
}

static inline const char *val(const struct pb_collection *c, const char *value_json)
{
	return val_full(c, value_json, NULL, NULL, NULL);
}

#endif
