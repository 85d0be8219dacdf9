/* field_number — the "number" field (core/field_number.go). Values are float64s (cast.ToFloat64:
 * "12.5" → 12.5, true → 1, anything unparsable → 0); `f+` adds and `f-` subtracts. Validation:
 * NaN/Inf are rejected, 0 is "blank" (only `required` applies to it), then onlyInt, min, max.
 * Stored in a NUMERIC column, which turns whole numbers into INTEGERs. */
#include <math.h>
#include <stdlib.h>

#include "collections/field_cast.h"
#include "collections/field_internal.h"
#include "core/json_write.h"

/* jansson cannot hold NaN/Inf: such a value stays in the record as the string "NaN"/"+Inf"/
 * "-Inf" (which casts back to it), so validation can refuse it like PocketBase does */
static json_t *number_value(double d)
{
	if (isnan(d))
		return json_string("NaN");
	if (isinf(d))
		return json_string(d > 0 ? "+Inf" : "-Inf");
	return json_real(d);
}

static json_t *number_prepare(const struct pb_field *f, const json_t *raw) { return number_value(pb_cast_to_float(raw)); }

static json_t *number_modify(const struct pb_field *f, enum pb_modifier m, const json_t *current, const json_t *arg,
                             struct pb_error *err)
{
	double cur = pb_cast_to_float(current), d = pb_cast_to_float(arg);
	switch (m) {
	case PB_MOD_APPEND: return number_value(cur + d);
	case PB_MOD_SUBTRACT: return number_value(cur - d);
	default: return number_value(d);
	}
}

static int number_validate(const struct pb_field *f, const struct pb_field_value *v, struct pb_field_error *out)
{
	double val = pb_cast_to_float(v->value);
	if (isnan(val) || isinf(val))
		return pb_field_error_set(out, PB_VMSG_NOT_A_NUMBER, NULL);
	if (val == 0)
		return f->required ? pb_field_error_set(out, PB_VMSG_REQUIRED, NULL) : 0;
	if (pb_field_opt_bool(f, "onlyInt") && (fabs(val) >= 9.2233720368547758e18 || val != (double)(long long)val))
		return pb_field_error_set(out, PB_VMSG_ONLY_INT, NULL);
	if (pb_field_opt_has_num(f, "min")) {
		double min = pb_field_opt_num(f, "min", 0);
		if (val < min) {
			json_t *p = json_object();
			json_object_set_new(p, "min", json_real(min));
			return pb_field_error_set(out, PB_VMSG_NUMBER_MIN, p);
		}
	}
	if (pb_field_opt_has_num(f, "max")) {
		double max = pb_field_opt_num(f, "max", 0);
		if (val > max) {
			json_t *p = json_object();
			json_object_set_new(p, "max", json_real(max));
			return pb_field_error_set(out, PB_VMSG_NUMBER_MAX, p);
		}
	}
	return 0;
}

static int number_to_db(const struct pb_field *f, const json_t *value, struct pb_query *q)
{
	double d = pb_cast_to_float(value);
	return pb_query_bind_float(q, isnan(d) || isinf(d) ? 0 : d);
}

static double number_of_column(sqlite3_stmt *st, int col)
{
	if (pbf_col_null(st, col))
		return 0;
	if (sqlite3_column_type(st, col) == SQLITE_TEXT) {
		double d;
		return pb_go_parse_float(pbf_col_text(st, col), &d) ? d : 0;
	}
	return sqlite3_column_double(st, col);
}

static json_t *number_from_column(const struct pb_field *f, sqlite3_stmt *st, int col)
{
	return json_real(number_of_column(st, col));
}

/* as pb_json_write of from_column's json_real; jansson holds no NaN/Inf (json_real gives NULL
 * for them), so neither is written */
static bool number_write_column(const struct pb_field *f, sqlite3_stmt *st, int col, struct pb_strbuf *out)
{
	double d = number_of_column(st, col);
	if (!isfinite(d))
		return false;
	char num[PB_JSON_FLOAT_MAX];
	pb_json_format_float(d, num, sizeof num);
	pb_strbuf_puts(out, num);
	return true;
}

static json_t *number_zero(const struct pb_field *f) { return json_real(0); }

static const char *number_column_def(const struct pb_field *f) { return "NUMERIC DEFAULT 0 NOT NULL"; }

const struct pb_field_ops pb_field_number_type = {
	.type = PB_FIELD_NUMBER,
	.modifiers = PB_MOD_BIT(PB_MOD_SET) | PB_MOD_BIT(PB_MOD_APPEND) | PB_MOD_BIT(PB_MOD_SUBTRACT),
	.prepare = number_prepare,
	.modify = number_modify,
	.validate = number_validate,
	.to_db = number_to_db,
	.from_column = number_from_column,
	.write_column = number_write_column,
	.zero = number_zero,
	.column_def = number_column_def,
};
