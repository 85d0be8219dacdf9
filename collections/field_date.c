/* field_date — the "date" field (core/field_date.go). Values are canonical date strings
 * "YYYY-MM-DD HH:MM:SS.mmmZ" or "" (types.ParseDateTime: anything unparsable, including JSON
 * numbers, becomes ""). Validation: required, then min/max (ozzo's threshold rules; the message
 * shows Go's time.String(), the params the time's JSON form). Stored as text. */
#include <stdlib.h>
#include <string.h>

#include "collections/field_cast.h"
#include "collections/field_internal.h"
#include "core/json_write.h"
#include "core/datetime.h"

json_t *pbf_date_prepare(const struct pb_field *f, const json_t *raw)
{
	char *s = pb_cast_to_string(raw);
	char out[PB_DATETIME_LEN + 1];
	pb_datetime_normalize(s, out);
	free(s);
	return json_string(out);
}

json_t *pbf_date_from_column(const struct pb_field *f, sqlite3_stmt *st, int col)
{
	char out[PB_DATETIME_LEN + 1];
	pb_datetime_normalize(pbf_col_null(st, col) ? "" : pbf_col_text(st, col), out);
	return json_string(out);
}

bool pbf_date_write_column(const struct pb_field *f, sqlite3_stmt *st, int col, struct pb_strbuf *out)
{
	char text[PB_DATETIME_LEN + 1];
	pb_datetime_normalize(pbf_col_null(st, col) ? "" : pbf_col_text(st, col), text);
	/* digits and "-: .Z" only: nothing to escape */
	size_t n = strlen(text);
	pb_strbuf_reserve(out, n + 2);
	pb_strbuf_putc(out, '"');
	pb_strbuf_append(out, text, n);
	pb_strbuf_putc(out, '"');
	return true;
}

/* a threshold error: params {"threshold": RFC 3339 time}, message with Go's time.String() */
static int threshold_error(struct pb_field_error *out, enum pb_vmsg m, int64_t ms)
{
	char text[64], rfc[64];
	pb_datetime_go_string(ms, text, sizeof text);
	pb_datetime_rfc3339(ms, rfc, sizeof rfc);
	json_t *render = json_object();
	json_object_set_new(render, "threshold", json_string(text));
	pb_field_error_set(out, m, render);
	/* the wire params carry the time.Time JSON form, the message its String() form */
	json_decref(out->params);
	out->params = json_object();
	json_object_set_new(out->params, "threshold", json_string(rfc));
	return 1;
}

static int date_validate(const struct pb_field *f, const struct pb_field_value *v, struct pb_field_error *out)
{
	const char *val = json_is_string(v->value) ? json_string_value(v->value) : "";
	int64_t ms;
	if (!*val || pb_datetime_parse(val, &ms) != 0)
		return f->required ? pb_field_error_set(out, PB_VMSG_REQUIRED, NULL) : 0;
	int64_t min, max;
	const char *smin = pb_field_opt_str(f, "min"), *smax = pb_field_opt_str(f, "max");
	if (*smin && pb_datetime_parse(smin, &min) == 0 && min != PB_DATETIME_ZERO_MS && ms < min)
		return threshold_error(out, PB_VMSG_DATE_MIN, min);
	if (*smax && pb_datetime_parse(smax, &max) == 0 && max != PB_DATETIME_ZERO_MS && ms > max)
		return threshold_error(out, PB_VMSG_DATE_MAX, max);
	return 0;
}

json_t *pbf_date_zero(const struct pb_field *f) { return json_string(""); }

const struct pb_field_ops pb_field_date_type = {
	.type = PB_FIELD_DATE,
	.modifiers = PB_MOD_BIT(PB_MOD_SET),
	.prepare = pbf_date_prepare,
	.validate = date_validate,
	.to_db = pbf_string_to_db,
	.from_column = pbf_date_from_column,
	.write_column = pbf_date_write_column,
	.zero = pbf_date_zero,
	.column_def = pbf_text_column_def,
};
