/* field_internal — declarations shared by the per-type files (collections/field_*.c) and the
 * registry (field_types.c). Not a public header. */
#ifndef POCKETC_COLLECTIONS_FIELD_INTERNAL_H
#define POCKETC_COLLECTIONS_FIELD_INTERNAL_H

#include "collections/field_type.h"

extern const struct pb_field_ops pb_field_text_type;
extern const struct pb_field_ops pb_field_number_type;
extern const struct pb_field_ops pb_field_bool_type;
extern const struct pb_field_ops pb_field_email_type;
extern const struct pb_field_ops pb_field_url_type;
extern const struct pb_field_ops pb_field_editor_type;
extern const struct pb_field_ops pb_field_date_type;
extern const struct pb_field_ops pb_field_autodate_type;
extern const struct pb_field_ops pb_field_select_type;
extern const struct pb_field_ops pb_field_file_type;
extern const struct pb_field_ops pb_field_relation_type;
extern const struct pb_field_ops pb_field_json_type;
extern const struct pb_field_ops pb_field_password_type;
extern const struct pb_field_ops pb_field_geopoint_type;
extern const struct pb_field_ops pb_field_unknown_type;

/* Column helpers: NULL or missing column; the text of a column ("" for NULL). */
bool pbf_col_null(sqlite3_stmt *st, int col);
const char *pbf_col_text(sqlite3_stmt *st, int col);

/* A column as a JSON value (json and unknown types): NULL → null, numbers as reals, text
 * parsed as JSON (numbers as reals) or, when it does not parse, kept as a string. New
 * reference. */
json_t *pbf_json_from_column(const struct pb_field *f, sqlite3_stmt *st, int col);

/* String-valued types (text, email, url, editor, password): */
json_t *pbf_string_prepare(const struct pb_field *f, const json_t *raw);   /* cast.ToString */
json_t *pbf_string_from_column(const struct pb_field *f, sqlite3_stmt *st, int col);
json_t *pbf_string_zero(const struct pb_field *f);
bool pbf_string_write_column(const struct pb_field *f, sqlite3_stmt *st, int col, struct pb_strbuf *out);
int pbf_string_to_db(const struct pb_field *f, const json_t *value, struct pb_query *q);
const char *pbf_text_column_def(const struct pb_field *f); /* TEXT DEFAULT '' NOT NULL */
/* validation.Required on a string: 1 (out filled) when empty */
int pbf_required_string(const char *s, struct pb_field_error *out);

/* Date-valued types (date, autodate): */
json_t *pbf_date_prepare(const struct pb_field *f, const json_t *raw);
json_t *pbf_date_from_column(const struct pb_field *f, sqlite3_stmt *st, int col);
bool pbf_date_write_column(const struct pb_field *f, sqlite3_stmt *st, int col, struct pb_strbuf *out);
json_t *pbf_date_zero(const struct pb_field *f);

/* Multi-valued types (select, relation, file): */
/* a unique string list → the field's value: single keeps the last element ("" when none),
 * multiple keeps the list. Steals `list`. */
json_t *pbf_list_value(const struct pb_field *f, json_t *list);
/* select/relation prepare (unique strings → value) and the `f+` / `+f` / `f-` setters */
json_t *pbf_list_prepare(const struct pb_field *f, const json_t *raw);
json_t *pbf_list_modify(const struct pb_field *f, enum pb_modifier m, const json_t *current, const json_t *arg,
                        struct pb_error *err);
json_t *pbf_list_from_column(const struct pb_field *f, sqlite3_stmt *st, int col);
json_t *pbf_list_zero(const struct pb_field *f);
int pbf_list_to_db(const struct pb_field *f, const json_t *value, struct pb_query *q);
const char *pbf_list_column_def(const struct pb_field *f);
/* list helpers on arrays of strings (all return new arrays) */
json_t *pbf_list_concat(const json_t *a, const json_t *b);
json_t *pbf_list_subtract(const json_t *base, const json_t *remove);
bool pbf_list_has(const json_t *list, const char *s);
/* What a setter makes of the list `cur` with `add` (both borrowed): `f+` appends, `+f`
 * prepends, `f-` subtracts, a plain set is `add`. New reference. */
json_t *pbf_list_apply(enum pb_modifier m, const json_t *cur, const json_t *add);

/* A new params object {key: integer}. */
json_t *pbf_param_int(const char *key, long long v);

#endif
