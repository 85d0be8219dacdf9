/* field_bool — the "bool" field (core/field_bool.go). Values are cast.ToBool (true, 1, "true",
 * "1", "t", "T", "TRUE", … → true; anything else → false); `required` means the value must be
 * true. Go's driver binds a bool as the integer 1/0 (BOOLEAN column, NUMERIC affinity); a stored
 * value is read back as text and parsed with ParseBool, so only 1/"1"/"t"/"true"… are true. */
#include "collections/field_cast.h"
#include "collections/field_internal.h"
#include "core/json_write.h"

static json_t *bool_prepare(const struct pb_field *f, const json_t *raw) { return json_boolean(pb_cast_to_bool(raw)); }

static int bool_validate(const struct pb_field *f, const struct pb_field_value *v, struct pb_field_error *out)
{
	if (f->required && !json_is_true(v->value))
		return pb_field_error_set(out, PB_VMSG_REQUIRED, NULL);
	return 0;
}

static int bool_to_db(const struct pb_field *f, const json_t *value, struct pb_query *q)
{
	return pb_query_bind_int(q, json_is_true(value) ? 1 : 0);
}

static json_t *bool_from_column(const struct pb_field *f, sqlite3_stmt *st, int col)
{
	if (pbf_col_null(st, col))
		return json_false();
	if (sqlite3_column_type(st, col) == SQLITE_TEXT)
		return json_boolean(pb_go_parse_bool(pbf_col_text(st, col)) == 1);
	/* the driver hands the column over as text ("1", "2", "1.5"): only 1 parses as true */
	return json_boolean(sqlite3_column_double(st, col) == 1.0);
}

static bool bool_write_column(const struct pb_field *f, sqlite3_stmt *st, int col, struct pb_strbuf *out)
{
	json_t *v = bool_from_column(f, st, col); /* a singleton: nothing allocated */
	pb_strbuf_puts(out, json_is_true(v) ? "true" : "false");
	return true;
}

static json_t *bool_zero(const struct pb_field *f) { return json_false(); }

static const char *bool_column_def(const struct pb_field *f) { return "BOOLEAN DEFAULT FALSE NOT NULL"; }

const struct pb_field_ops pb_field_bool_type = {
	.type = PB_FIELD_BOOL,
	.modifiers = PB_MOD_BIT(PB_MOD_SET),
	.prepare = bool_prepare,
	.validate = bool_validate,
	.to_db = bool_to_db,
	.from_column = bool_from_column,
	.write_column = bool_write_column,
	.zero = bool_zero,
	.column_def = bool_column_def,
};
