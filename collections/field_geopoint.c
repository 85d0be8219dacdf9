/* field_geopoint — the "geoPoint" field (core/field_geo_point.go, types.GeoPoint). Values are
 * {"lon":n,"lat":n} (that key order), read from an object or a JSON text of one like Go's
 * json.Unmarshal into the struct (keys matched case-insensitively, a non-number member or any
 * other input leaves 0). Validation: (0,0) is blank (required); |lat| <= 90, |lon| <= 180.
 * Stored as the JSON text {"lon":…,"lat":…}. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "collections/field_cast.h"
#include "collections/field_internal.h"

static json_t *point(double lon, double lat)
{
	json_t *o = json_object();
	json_object_set_new(o, "lon", json_real(lon));
	json_object_set_new(o, "lat", json_real(lat));
	return o;
}

/* encoding/json field matching: exact key first, else case-insensitive */
static const json_t *member(const json_t *obj, const char *name)
{
	const json_t *v = json_object_get(obj, name);
	if (v)
		return v;
	const char *k;
	json_t *it;
	json_object_foreach((json_t *)obj, k, it)
	{
		if (!strcasecmp(k, name))
			return it;
	}
	return NULL;
}

static json_t *from_object(const json_t *o)
{
	const json_t *lon = member(o, "lon"), *lat = member(o, "lat");
	return point(json_is_number(lon) ? json_number_value(lon) : 0, json_is_number(lat) ? json_number_value(lat) : 0);
}

static json_t *geopoint_prepare(const struct pb_field *f, const json_t *raw)
{
	if (json_is_object(raw))
		return from_object(raw);
	if (json_is_string(raw) && json_string_length(raw) > 0) {
		json_t *v = json_loads(json_string_value(raw), JSON_DECODE_ANY, NULL);
		json_t *p = json_is_object(v) ? from_object(v) : point(0, 0);
		json_decref(v);
		return p;
	}
	return point(0, 0);
}

static int geopoint_validate(const struct pb_field *f, const struct pb_field_value *v, struct pb_field_error *out)
{
	double lon = json_number_value(json_object_get(v->value, "lon"));
	double lat = json_number_value(json_object_get(v->value, "lat"));
	if (lat == 0 && lon == 0)
		return f->required ? pb_field_error_set(out, PB_VMSG_REQUIRED, NULL) : 0;
	if (lat < -90 || lat > 90 || isnan(lat))
		return pb_field_error_set(out, PB_VMSG_INVALID_LATITUDE, NULL);
	if (lon < -180 || lon > 180 || isnan(lon))
		return pb_field_error_set(out, PB_VMSG_INVALID_LONGITUDE, NULL);
	return 0;
}

static int geopoint_to_db(const struct pb_field *f, const json_t *value, struct pb_query *q)
{
	json_t *p = json_is_object(value) ? from_object(value) : point(0, 0);
	char *text = pb_go_json_marshal(p, false);
	int ph = pb_query_bind_text(q, text, strlen(text));
	free(text);
	json_decref(p);
	return ph;
}

static json_t *geopoint_from_column(const struct pb_field *f, sqlite3_stmt *st, int col)
{
	if (pbf_col_null(st, col))
		return point(0, 0);
	json_t *text = json_string(pbf_col_text(st, col));
	json_t *p = geopoint_prepare(f, text);
	json_decref(text);
	return p;
}

static json_t *geopoint_zero(const struct pb_field *f) { return point(0, 0); }

static const char *geopoint_column_def(const struct pb_field *f) { return "JSON DEFAULT '{\"lon\":0,\"lat\":0}' NOT NULL"; }

const struct pb_field_ops pb_field_geopoint_type = {
	.type = PB_FIELD_GEOPOINT,
	.modifiers = PB_MOD_BIT(PB_MOD_SET),
	.prepare = geopoint_prepare,
	.validate = geopoint_validate,
	.to_db = geopoint_to_db,
	.from_column = geopoint_from_column,
	.zero = geopoint_zero,
	.column_def = geopoint_column_def,
};
