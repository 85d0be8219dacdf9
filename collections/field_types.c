/* field_types — the field-type registry, setter-key matching, option accessors and the helpers
 * shared by string-valued and multi-valued types (see field_type.h / field_internal.h). */
#include <stdlib.h>
#include <string.h>

#include "collections/field_cast.h"
#include "collections/field_internal.h"
#include "core/json_write.h"

const struct pb_field_ops *pb_field_type_get(enum pb_field_type t)
{
	switch (t) {
	case PB_FIELD_TEXT: return &pb_field_text_type;
	case PB_FIELD_NUMBER: return &pb_field_number_type;
	case PB_FIELD_BOOL: return &pb_field_bool_type;
	case PB_FIELD_EMAIL: return &pb_field_email_type;
	case PB_FIELD_URL: return &pb_field_url_type;
	case PB_FIELD_EDITOR: return &pb_field_editor_type;
	case PB_FIELD_DATE: return &pb_field_date_type;
	case PB_FIELD_AUTODATE: return &pb_field_autodate_type;
	case PB_FIELD_SELECT: return &pb_field_select_type;
	case PB_FIELD_FILE: return &pb_field_file_type;
	case PB_FIELD_RELATION: return &pb_field_relation_type;
	case PB_FIELD_JSON: return &pb_field_json_type;
	case PB_FIELD_PASSWORD: return &pb_field_password_type;
	case PB_FIELD_GEOPOINT: return &pb_field_geopoint_type;
	default: return &pb_field_unknown_type;
	}
}

const struct pb_field_ops *pb_field_impl(const struct pb_field *f) { return pb_field_type_get(f->type); }

bool pb_field_match_key(const struct pb_field *f, const char *key, enum pb_modifier *mod)
{
	unsigned mods = pb_field_impl(f)->modifiers;
	size_t n = strlen(f->name), k = strlen(key);
	enum pb_modifier m;
	if (k == n && !strcmp(key, f->name))
		m = PB_MOD_SET;
	else if (k == n + 1 && key[0] == '+' && !strcmp(key + 1, f->name))
		m = PB_MOD_PREPEND;
	else if (k == n + 1 && !strncmp(key, f->name, n) && key[n] == '+')
		m = PB_MOD_APPEND;
	else if (k == n + 1 && !strncmp(key, f->name, n) && key[n] == '-')
		m = PB_MOD_SUBTRACT;
	else if (k == n + 13 && !strncmp(key, f->name, n) && !strcmp(key + n, ":autogenerate"))
		m = PB_MOD_AUTOGENERATE;
	else
		return false;
	if (!(mods & PB_MOD_BIT(m)))
		return false;
	if (mod)
		*mod = m;
	return true;
}

const struct pb_field *pb_collection_setter_field(const struct pb_collection *c, const char *key,
                                                  enum pb_modifier *mod)
{
	for (size_t i = 0; i < c->nfields; i++)
		if (pb_field_match_key(&c->fields[i], key, mod))
			return &c->fields[i];
	return NULL;
}

double pb_field_opt_num(const struct pb_field *f, const char *key, double def)
{
	json_t *v = json_object_get(f->raw, key);
	return json_is_number(v) ? json_number_value(v) : def;
}

bool pb_field_opt_has_num(const struct pb_field *f, const char *key) { return json_is_number(json_object_get(f->raw, key)); }

bool pb_field_opt_bool(const struct pb_field *f, const char *key) { return json_is_true(json_object_get(f->raw, key)); }

const char *pb_field_opt_str(const struct pb_field *f, const char *key)
{
	const char *s = json_string_value(json_object_get(f->raw, key));
	return s ? s : "";
}

const json_t *pb_field_opt_list(const struct pb_field *f, const char *key)
{
	json_t *v = json_object_get(f->raw, key);
	return json_is_array(v) ? v : NULL;
}

bool pb_field_opt_list_has(const struct pb_field *f, const char *key, const char *s)
{
	const json_t *l = pb_field_opt_list(f, key);
	size_t i;
	json_t *it;
	json_array_foreach(l, i, it)
	{
		if (json_is_string(it) && !strcmp(json_string_value(it), s))
			return true;
	}
	return false;
}

bool pbf_col_null(sqlite3_stmt *st, int col) { return col < 0 || sqlite3_column_type(st, col) == SQLITE_NULL; }

const char *pbf_col_text(sqlite3_stmt *st, int col)
{
	if (col < 0)
		return "";
	const char *t = (const char *)sqlite3_column_text(st, col);
	return t ? t : "";
}

json_t *pbf_json_from_column(const struct pb_field *f, sqlite3_stmt *st, int col)
{
	if (pbf_col_null(st, col))
		return json_null();
	switch (sqlite3_column_type(st, col)) {
	case SQLITE_INTEGER: return json_real((double)sqlite3_column_int64(st, col));
	case SQLITE_FLOAT: return json_real(sqlite3_column_double(st, col));
	default: break;
	}
	const char *t = pbf_col_text(st, col);
	json_t *v = *t ? json_loads(t, JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL, NULL) : NULL;
	return v ? v : json_string(t);
}

json_t *pbf_string_prepare(const struct pb_field *f, const json_t *raw)
{
	char *s = pb_cast_to_string(raw);
	json_t *v = json_string(s);
	if (!v) /* invalid UTF-8 cannot live in a jansson string: keep the valid prefix semantics simple */
		v = json_stringn_nocheck(s, strlen(s));
	free(s);
	return v;
}

json_t *pbf_string_from_column(const struct pb_field *f, sqlite3_stmt *st, int col)
{
	const char *t = pbf_col_null(st, col) ? "" : pbf_col_text(st, col);
	json_t *v = json_string(t);
	return v ? v : json_stringn_nocheck(t, strlen(t));
}

/* the bytes pb_json_write gives for pbf_string_from_column's value (up to the first NUL, as
 * json_string sees the text; invalid UTF-8 escaped by the writer either way) */
bool pbf_string_write_column(const struct pb_field *f, sqlite3_stmt *st, int col, struct pb_strbuf *out)
{
	const char *t = pbf_col_null(st, col) ? "" : pbf_col_text(st, col);
	pb_json_write_string(out, t, strlen(t));
	return true;
}

json_t *pbf_string_zero(const struct pb_field *f) { return json_string(""); }

int pbf_string_to_db(const struct pb_field *f, const json_t *value, struct pb_query *q)
{
	const char *s = json_is_string(value) ? json_string_value(value) : "";
	return pb_query_bind_text(q, s, json_is_string(value) ? json_string_length(value) : 0);
}

const char *pbf_text_column_def(const struct pb_field *f) { return "TEXT DEFAULT '' NOT NULL"; }

int pbf_required_string(const char *s, struct pb_field_error *out)
{
	if (!s || !*s)
		return pb_field_error_set(out, PB_VMSG_REQUIRED, NULL);
	return 0;
}

json_t *pbf_list_value(const struct pb_field *f, json_t *list)
{
	if (pb_field_is_multiple(f))
		return list;
	size_t n = json_array_size(list);
	json_t *v = json_string(n ? json_string_value(json_array_get(list, n - 1)) : "");
	json_decref(list);
	return v;
}

json_t *pbf_list_from_column(const struct pb_field *f, sqlite3_stmt *st, int col)
{
	if (pbf_col_null(st, col))
		return pbf_list_value(f, json_array());
	if (!pb_field_is_multiple(f) && !strchr(pbf_col_text(st, col), '[')) {
		/* a single value stored as plain text: the last of its (at most one) strings is itself */
		json_t *v = json_string(pbf_col_text(st, col));
		if (v)
			return v;
	}
	json_t *text = json_string(pbf_col_text(st, col));
	json_t *list = pb_cast_unique_strings(text);
	json_decref(text);
	return pbf_list_value(f, list);
}

json_t *pbf_list_zero(const struct pb_field *f) { return pb_field_is_multiple(f) ? json_array() : json_string(""); }

int pbf_list_to_db(const struct pb_field *f, const json_t *value, struct pb_query *q)
{
	json_t *list = pb_cast_unique_strings(value);
	int ph;
	if (pb_field_is_multiple(f)) {
		char *s = pb_go_json_marshal(list, false);
		ph = pb_query_bind_text(q, s, strlen(s));
		free(s);
	} else {
		size_t n = json_array_size(list);
		const char *s = n ? json_string_value(json_array_get(list, n - 1)) : "";
		ph = pb_query_bind_text(q, s, strlen(s));
	}
	json_decref(list);
	return ph;
}

const char *pbf_list_column_def(const struct pb_field *f)
{
	return pb_field_is_multiple(f) ? "JSON DEFAULT '[]' NOT NULL" : "TEXT DEFAULT '' NOT NULL";
}

bool pbf_list_has(const json_t *list, const char *s)
{
	size_t i;
	json_t *it;
	json_array_foreach(list, i, it)
	{
		if (json_is_string(it) && !strcmp(json_string_value(it), s))
			return true;
	}
	return false;
}

json_t *pbf_list_concat(const json_t *a, const json_t *b)
{
	json_t *out = json_array();
	json_array_extend(out, (json_t *)a);
	json_array_extend(out, (json_t *)b);
	return out;
}

json_t *pbf_list_subtract(const json_t *base, const json_t *remove)
{
	json_t *out = json_array();
	size_t i;
	json_t *it;
	json_array_foreach(base, i, it)
	{
		if (!pbf_list_has(remove, json_string_value(it)))
			json_array_append(out, it);
	}
	return out;
}

json_t *pbf_list_apply(enum pb_modifier m, const json_t *cur, const json_t *add)
{
	switch (m) {
	case PB_MOD_APPEND: return pbf_list_concat(cur, add);
	case PB_MOD_PREPEND: return pbf_list_concat(add, cur);
	case PB_MOD_SUBTRACT: return pbf_list_subtract(cur, add);
	default: return json_incref((json_t *)add);
	}
}

json_t *pbf_param_int(const char *key, long long v)
{
	json_t *p = json_object();
	json_object_set_new(p, key, json_integer(v));
	return p;
}

/* ---- unknown types: values pass through as stored ---- */

static json_t *unknown_prepare(const struct pb_field *f, const json_t *raw)
{
	return raw ? json_deep_copy(raw) : json_null();
}

static int unknown_validate(const struct pb_field *f, const struct pb_field_value *v, struct pb_field_error *out)
{
	return 0;
}

static int unknown_to_db(const struct pb_field *f, const json_t *value, struct pb_query *q)
{
	if (!value || json_is_null(value))
		return pb_query_bind_null(q);
	if (json_is_string(value))
		return pb_query_bind_text(q, json_string_value(value), json_string_length(value));
	char *s = pb_go_json_marshal(value, false);
	int ph = pb_query_bind_text(q, s, strlen(s));
	free(s);
	return ph;
}

static json_t *unknown_zero(const struct pb_field *f) { return json_null(); }

static const char *unknown_column_def(const struct pb_field *f) { return "TEXT DEFAULT '' NOT NULL"; }

const struct pb_field_ops pb_field_unknown_type = {
	.type = PB_FIELD_UNKNOWN,
	.modifiers = PB_MOD_BIT(PB_MOD_SET),
	.prepare = unknown_prepare,
	.validate = unknown_validate,
	.to_db = unknown_to_db,
	.from_column = pbf_json_from_column,
	.zero = unknown_zero,
	.column_def = unknown_column_def,
};
