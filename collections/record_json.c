/* record_json — stored row → record JSON (see record_json.h). */
#include "collections/record_json.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/datetime.h"

int *pb_record_colmap(const struct pb_collection *c, sqlite3_stmt *st)
{
	int *map = malloc((c->nfields ? c->nfields : 1) * sizeof *map);
	if (!map)
		abort();
	int ncols = sqlite3_column_count(st);
	for (size_t i = 0; i < c->nfields; i++) {
		map[i] = -1;
		for (int k = 0; k < ncols; k++) {
			const char *name = sqlite3_column_name(st, k);
			if (name && strcmp(name, c->fields[i].name) == 0) {
				map[i] = k;
				break;
			}
		}
	}
	return map;
}

static const char *col_text(sqlite3_stmt *st, int col)
{
	const char *t = (const char *)sqlite3_column_text(st, col);
	return t ? t : "";
}

/* Go's strconv.ParseBool set, as cast.ToBool uses for strings */
static bool text_bool(const char *s)
{
	return !strcmp(s, "1") || !strcmp(s, "t") || !strcmp(s, "T") || !strcmp(s, "true") || !strcmp(s, "TRUE") ||
	       !strcmp(s, "True");
}

/* list.ToUniqueStringSlice of a stored value: a JSON array text, or one plain string */
static json_t *string_list(sqlite3_stmt *st, int col)
{
	json_t *out = json_array();
	if (col < 0 || sqlite3_column_type(st, col) == SQLITE_NULL)
		return out;
	const char *t = col_text(st, col);
	json_t *parsed = NULL;
	if (t[0] == '[')
		parsed = json_loads(t, JSON_DECODE_ANY, NULL);
	if (json_is_array(parsed)) {
		size_t i;
		json_t *v;
		json_array_foreach(parsed, i, v)
		{
			char buf[64];
			const char *s = NULL;
			if (json_is_string(v))
				s = json_string_value(v);
			else if (json_is_integer(v))
				snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v)), s = buf;
			else if (json_is_real(v))
				snprintf(buf, sizeof buf, "%g", json_real_value(v)), s = buf;
			if (!s || !*s)
				continue;
			bool dup = false;
			for (size_t k = 0; k < json_array_size(out) && !dup; k++)
				dup = strcmp(json_string_value(json_array_get(out, k)), s) == 0;
			if (!dup)
				json_array_append_new(out, json_string(s));
		}
	} else if (t[0]) {
		json_array_append_new(out, json_string(t));
	}
	json_decref(parsed);
	return out;
}

static json_t *json_field_value(sqlite3_stmt *st, int col)
{
	if (col < 0)
		return json_null();
	switch (sqlite3_column_type(st, col)) {
	case SQLITE_NULL: return json_null();
	case SQLITE_INTEGER: return json_real((double)sqlite3_column_int64(st, col));
	case SQLITE_FLOAT: return json_real(sqlite3_column_double(st, col));
	default: break;
	}
	const char *t = col_text(st, col);
	json_t *v = *t ? json_loads(t, JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL, NULL) : NULL;
	return v ? v : json_string(t);
}

static json_t *geopoint_value(sqlite3_stmt *st, int col)
{
	double lon = 0, lat = 0;
	if (col >= 0 && sqlite3_column_type(st, col) != SQLITE_NULL) {
		json_t *v = json_loads(col_text(st, col), JSON_DECODE_ANY, NULL);
		if (json_is_object(v)) {
			lon = json_number_value(json_object_get(v, "lon"));
			lat = json_number_value(json_object_get(v, "lat"));
		}
		json_decref(v);
	}
	json_t *o = json_object();
	json_object_set_new(o, "lon", json_real(lon));
	json_object_set_new(o, "lat", json_real(lat));
	return o;
}

json_t *pb_field_value_from_column(const struct pb_field *f, sqlite3_stmt *st, int col)
{
	bool null = col < 0 || sqlite3_column_type(st, col) == SQLITE_NULL;
	switch (f->type) {
	case PB_FIELD_NUMBER:
		if (null)
			return json_real(0);
		if (sqlite3_column_type(st, col) == SQLITE_TEXT) {
			char *end;
			double d = strtod(col_text(st, col), &end);
			return json_real(*end ? 0 : d);
		}
		return json_real(sqlite3_column_double(st, col));
	case PB_FIELD_BOOL:
		if (null)
			return json_false();
		if (sqlite3_column_type(st, col) == SQLITE_TEXT)
			return json_boolean(text_bool(col_text(st, col)));
		return json_boolean(sqlite3_column_double(st, col) != 0);
	case PB_FIELD_DATE:
	case PB_FIELD_AUTODATE: {
		char buf[PB_DATETIME_LEN + 1];
		pb_datetime_normalize(null ? "" : col_text(st, col), buf);
		return json_string(buf);
	}
	case PB_FIELD_SELECT:
	case PB_FIELD_FILE:
	case PB_FIELD_RELATION: {
		json_t *list = string_list(st, col);
		if (pb_field_is_multiple(f))
			return list;
		size_t n = json_array_size(list);
		json_t *v = json_string(n ? json_string_value(json_array_get(list, n - 1)) : "");
		json_decref(list);
		return v;
	}
	case PB_FIELD_JSON: return json_field_value(st, col);
	case PB_FIELD_GEOPOINT: return geopoint_value(st, col);
	case PB_FIELD_UNKNOWN: return null ? json_null() : json_field_value(st, col);
	default: return json_string(null ? "" : col_text(st, col));
	}
}

static bool is_auth_secret(const struct pb_collection *c, const struct pb_field *f)
{
	return c->type == PB_COLLECTION_AUTH && (!strcmp(f->name, "password") || !strcmp(f->name, "tokenKey"));
}

json_t *pb_record_from_row(const struct pb_collection *c, sqlite3_stmt *st, const int *colmap,
                           const struct pb_record_export *x)
{
	json_t *o = json_object();
	bool hide_email = false;
	if (c->type == PB_COLLECTION_AUTH && !x->show_email) {
		const struct pb_field *ev = pb_collection_field(c, "emailVisibility");
		int col = ev ? colmap[ev - c->fields] : -1;
		json_t *v = ev ? pb_field_value_from_column(ev, st, col) : json_false();
		hide_email = !json_is_true(v);
		json_decref(v);
	}
	bool ids_done = false;
	for (size_t k = 0; k < c->nfields; k++) {
		const struct pb_field *f = &c->fields[c->sorted[k]];
		if (!ids_done && strcmp(f->name, "collectionId") > 0) {
			if (!x->no_collection_keys) {
				json_object_set_new(o, "collectionId", json_string(c->id));
				json_object_set_new(o, "collectionName", json_string(c->name));
			}
			ids_done = true;
		}
		if (f->hidden && !x->show_hidden && !(x->keep_secrets && is_auth_secret(c, f)))
			continue;
		if (is_auth_secret(c, f) && !x->keep_secrets)
			continue;
		if (hide_email && c->type == PB_COLLECTION_AUTH && !strcmp(f->name, "email"))
			continue;
		json_object_set_new(o, f->name, pb_field_value_from_column(f, st, colmap[c->sorted[k]]));
	}
	if (!ids_done && !x->no_collection_keys) {
		json_object_set_new(o, "collectionId", json_string(c->id));
		json_object_set_new(o, "collectionName", json_string(c->name));
	}
	return o;
}
