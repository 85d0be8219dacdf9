/* gostruct — Go-style JSON decoding onto schema-described values (see gostruct.h). */
#include "collections/gostruct.h"

#include <math.h>
#include <string.h>
#include <strings.h>

#include "core/datetime.h"

static json_t *zero_of(const struct pb_go_field *f)
{
	switch (f->kind) {
	case PB_GO_STRING:
	case PB_GO_DATETIME: return json_string("");
	case PB_GO_BOOL: return json_false();
	case PB_GO_INT: return json_integer(0);
	case PB_GO_STRUCT: return pb_go_zero(f->sub);
	case PB_GO_SKIP: return NULL;
	default: return json_null();
	}
}

json_t *pb_go_zero(const struct pb_go_field *schema)
{
	json_t *o = json_object();
	for (const struct pb_go_field *f = schema; f && f->key; f++) {
		json_t *z = zero_of(f);
		if (z)
			json_object_set_new(o, f->key, z);
	}
	return o;
}

const struct pb_go_field *pb_go_lookup(const struct pb_go_field *schema, const char *key)
{
	for (const struct pb_go_field *f = schema; f && f->key; f++)
		if (!strcmp(f->key, key))
			return f;
	for (const struct pb_go_field *f = schema; f && f->key; f++)
		if (!strcasecmp(f->key, key))
			return f;
	return NULL;
}

static bool integral(const json_t *v, json_int_t *out)
{
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return true;
	}
	if (!json_is_real(v))
		return false;
	double d = json_real_value(v);
	if (!isfinite(d) || d != floor(d) || d < -9.2233720368547758e18 || d >= 9.2233720368547758e18)
		return false;
	*out = (json_int_t)d;
	return true;
}

/* A string or bool field (json.Unmarshal into T or *T): a value of the field's type
 * (`right_type`) is stored; null leaves a plain T alone and sets a pointer to nil; any other
 * type fails (-1). */
static int set_scalar(json_t *dst, const char *k, const json_t *src, bool right_type, bool pointer)
{
	if (json_is_null(src)) {
		if (!pointer)
			return 0;
	} else if (!right_type) {
		return -1;
	}
	json_object_set(dst, k, (json_t *)src);
	return 0;
}

/* Decodes src into the value of field f held by dst[f->key]. */
static int decode_value(const struct pb_go_field *f, json_t *dst, const json_t *src)
{
	const char *k = f->key;
	json_t *cur = json_object_get(dst, k);
	switch (f->kind) {
	case PB_GO_SKIP: return 0;
	case PB_GO_STRING: return set_scalar(dst, k, src, json_is_string(src), false);
	case PB_GO_STRPTR: return set_scalar(dst, k, src, json_is_string(src), true);
	case PB_GO_BOOL: return set_scalar(dst, k, src, json_is_boolean(src), false);
	case PB_GO_BOOLPTR: return set_scalar(dst, k, src, json_is_boolean(src), true);
	case PB_GO_INT: {
		json_int_t n;
		if (json_is_null(src))
			return 0;
		if (!integral(src, &n))
			return -1;
		json_object_set_new(dst, k, json_integer(n));
		return 0;
	}
	case PB_GO_FLOATPTR:
		if (json_is_null(src)) {
			json_object_set_new(dst, k, json_null());
			return 0;
		}
		if (!json_is_number(src))
			return -1;
		json_object_set_new(dst, k, json_real(json_number_value(src)));
		return 0;
	case PB_GO_DATETIME: {
		if (json_is_null(src)) {
			json_object_set_new(dst, k, json_string(""));
			return 0;
		}
		if (!json_is_string(src))
			return -1;
		char buf[PB_DATETIME_LEN + 1];
		pb_datetime_normalize(json_string_value(src), buf);
		json_object_set_new(dst, k, json_string(buf));
		return 0;
	}
	case PB_GO_STRLIST: {
		if (json_is_null(src)) {
			json_object_set_new(dst, k, json_null());
			return 0;
		}
		if (!json_is_array(src))
			return -1;
		json_t *out = json_array();
		size_t i;
		json_t *it;
		json_array_foreach(src, i, it)
		{
			if (json_is_null(it)) {
				json_t *old = json_array_get(cur, i);
				json_array_append_new(out, json_is_string(old) ? json_incref(old) : json_string(""));
			} else if (json_is_string(it)) {
				json_array_append(out, it);
			} else {
				json_decref(out);
				return -1;
			}
		}
		json_object_set_new(dst, k, out);
		return 0;
	}
	case PB_GO_STRUCT:
		if (json_is_null(src))
			return 0;
		if (!json_is_object(src))
			return -1;
		if (!json_is_object(cur)) {
			cur = pb_go_zero(f->sub);
			json_object_set_new(dst, k, cur);
		}
		return pb_go_decode(f->sub, cur, src);
	case PB_GO_STRUCTLIST: {
		if (json_is_null(src)) {
			json_object_set_new(dst, k, json_null());
			return 0;
		}
		if (!json_is_array(src))
			return -1;
		json_t *out = json_array();
		int rc = 0;
		size_t i;
		json_t *it;
		json_array_foreach(src, i, it)
		{
			json_t *old = json_array_get(cur, i);
			json_t *el = json_is_object(old) ? json_deep_copy(old) : pb_go_zero(f->sub);
			if (!json_is_null(it) && (!json_is_object(it) || pb_go_decode(f->sub, el, it) != 0))
				rc = -1;
			json_array_append_new(out, el);
		}
		json_object_set_new(dst, k, out);
		return rc;
	}
	case PB_GO_MAP: {
		if (json_is_null(src)) {
			json_object_set_new(dst, k, json_null());
			return 0;
		}
		if (!json_is_object(src))
			return -1;
		if (!json_is_object(cur)) {
			json_object_set_new(dst, k, json_deep_copy(src));
			return 0;
		}
		const char *mk;
		json_t *mv;
		json_object_foreach((json_t *)src, mk, mv) json_object_set_new(cur, mk, json_deep_copy(mv));
		return 0;
	}
	}
	return 0;
}

int pb_go_decode(const struct pb_go_field *schema, json_t *dst, const json_t *src)
{
	if (json_is_null(src))
		return 0;
	if (!json_is_object(src) || !json_is_object(dst))
		return -1;
	for (const struct pb_go_field *f = schema; f && f->key; f++)
		if (f->kind != PB_GO_SKIP && !json_object_get(dst, f->key))
			json_object_set_new(dst, f->key, zero_of(f));
	int rc = 0;
	const char *key;
	json_t *val;
	json_object_foreach((json_t *)src, key, val)
	{
		const struct pb_go_field *f = pb_go_lookup(schema, key);
		if (f && decode_value(f, dst, val) != 0)
			rc = -1; /* Go keeps decoding and reports the first type error */
	}
	return rc;
}

static json_t *marshal_value(const struct pb_go_field *f, const json_t *v)
{
	switch (f->kind) {
	case PB_GO_STRUCT: return pb_go_marshal(f->sub, json_is_object(v) ? v : NULL);
	case PB_GO_STRUCTLIST: {
		if (!json_is_array(v))
			return json_null();
		json_t *out = json_array();
		size_t i;
		json_t *it;
		json_array_foreach(v, i, it) json_array_append_new(out, pb_go_marshal(f->sub, it));
		return out;
	}
	default: return v ? json_deep_copy(v) : zero_of(f);
	}
}

json_t *pb_go_marshal(const struct pb_go_field *schema, const json_t *v)
{
	json_t *o = json_object();
	for (const struct pb_go_field *f = schema; f && f->key; f++) {
		const json_t *cur = json_is_object(v) ? json_object_get(v, f->key) : NULL;
		if (f->kind == PB_GO_SKIP) {
			if (cur)
				json_object_set_new(o, f->key, json_deep_copy(cur));
			continue;
		}
		if (f->omitempty && (!cur || (json_is_string(cur) && !json_string_length(cur))))
			continue;
		json_object_set_new(o, f->key, marshal_value(f, cur));
	}
	return o;
}
