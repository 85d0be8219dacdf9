/* field_type — one interface for the 14 PocketBase field types (core/field_*.go).
 * A record's values are a JSON object: field name → normalised value, the same JSON form the
 * record API shows (text/email/url/editor/date/autodate/password strings, number reals, bool,
 * select/relation/file a string or an array of strings, json any value, geoPoint
 * {"lon","lat"}). Every type implements the PocketBase hooks that act on such a value:
 *
 *   prepare      Field.PrepareValue / the plain `f` setter: submitted value → normalised value
 *   modify       the other setter keys (`f+`, `+f`, `f-`, `f:autogenerate`)
 *   validate     Field.ValidateValue without database access
 *   db_checks    what ValidateValue needs the database for, as data the caller checks later
 *   to_db        DriverValue: the value bound into INSERT/UPDATE
 *   from_column  PrepareValue of a stored (nullable string) column
 *   write_column the same straight to JSON text (optional; the read hot path)
 *   zero         the value of a new record
 *   column_def   ColumnType(): the column definition schema sync writes
 *   on_validate  the "validate"/"create" record interceptor (text autogeneratePattern)
 *   on_write     the "createExecute"/"updateExecute" interceptor (autodate stamps)
 *
 * Unknown field types get a passthrough implementation (values kept as stored). Types are
 * stateless tables: no global mutable state. (The table is `struct pb_field_ops`: C shares one
 * tag namespace between structs and enums, and `enum pb_field_type` already names the types.) */
#ifndef POCKETC_COLLECTIONS_FIELD_TYPE_H
#define POCKETC_COLLECTIONS_FIELD_TYPE_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "collections/collection.h"
#include "collections/query.h"
#include "collections/validation_messages.h"

/* A setter key's modifier (Record.SetIfFieldExists / FindSetter). */
enum pb_modifier {
	PB_MOD_SET = 0,      /* `f` */
	PB_MOD_APPEND,       /* `f+`: append (select/relation/file), add (number) */
	PB_MOD_PREPEND,      /* `+f` */
	PB_MOD_SUBTRACT,     /* `f-`: remove values (select/relation/file), subtract (number) */
	PB_MOD_AUTOGENERATE, /* `f:autogenerate` (text) */
};
#define PB_MOD_BIT(m) (1u << (m))

/* Capability flags of a type. */
#define PB_FT_IGNORES_SET 1u   /* the setter is a no-op (autodate) */
#define PB_FT_PLAIN_SECRET 2u  /* a set value is a plain secret kept beside the record (password) */

/* What validate/db_checks see of one field. */
struct pb_field_value {
	const json_t *value;     /* borrowed: the record's normalised value (never NULL) */
	const json_t *old_value; /* borrowed: the last saved value; NULL for a new record */
	bool is_new;
	const char *plain;       /* password: plain text set in this request; NULL when not set */
	const json_t *uploads;   /* file: array of new uploads {"name","originalName","size","mime"}
	                          * (borrowed; NULL = none) */
	const char *collection_name; /* for the checks (table name) */
};

struct pb_field_ops {
	enum pb_field_type type;
	unsigned modifiers; /* PB_MOD_BIT set of accepted setter keys */
	unsigned flags;     /* PB_FT_* */

	/* Submitted value (borrowed; NULL = Go nil) → normalised value (new reference, never NULL). */
	json_t *(*prepare)(const struct pb_field *f, const json_t *raw);
	/* Applies modifier m with argument `arg` (borrowed, NULL = nil) to `current` (borrowed, the
	 * normalised value). Returns the new normalised value (new reference); `err` is set and NULL
	 * returned only when generating a value fails (text autogenerate). */
	json_t *(*modify)(const struct pb_field *f, enum pb_modifier m, const json_t *current, const json_t *arg,
	                  struct pb_error *err);
	/* 0 when valid; 1 with `out` filled (caller clears it) when not. */
	int (*validate)(const struct pb_field *f, const struct pb_field_value *v, struct pb_field_error *out);
	/* Appends to `checks` (a JSON array, borrowed) the database checks of this value (see
	 * record_validate.h for their shape). `static_ok` tells whether validate passed. May be NULL. */
	void (*db_checks)(const struct pb_field *f, const struct pb_field_value *v, bool static_ok, json_t *checks);
	/* Binds the stored form of `value` (borrowed) as the next parameter of q; returns its number. */
	int (*to_db)(const struct pb_field *f, const json_t *value, struct pb_query *q);
	/* Column `col` of st's current row (col < 0 = missing column) → normalised value (new ref). */
	json_t *(*from_column)(const struct pb_field *f, sqlite3_stmt *st, int col);
	/* Optional. Appends the JSON text of from_column's value (the bytes pb_json_write gives for
	 * it) to out without building the value; types without it go through from_column. Returns
	 * false, having written nothing, where from_column gives NULL (no value: the key is left
	 * out of the record, as json_object_set_new does with NULL). */
	bool (*write_column)(const struct pb_field *f, sqlite3_stmt *st, int col, struct pb_strbuf *out);
	/* The zero value (new reference). */
	json_t *(*zero)(const struct pb_field *f);
	/* The column definition (static string), e.g. "TEXT DEFAULT '' NOT NULL". */
	const char *(*column_def)(const struct pb_field *f);
	/* Optional. Runs before validation; may replace record[f->name] (record borrowed, values
	 * owned by it). Returns 0, or -1 with `err` set (status 400) when a value cannot be made. */
	int (*on_validate)(const struct pb_field *f, json_t *record, bool is_new, struct pb_error *err);
	/* Optional. Runs right before the INSERT (original == NULL) or UPDATE; may replace
	 * record[f->name]. `now_ms` is the write time. */
	void (*on_write)(const struct pb_field *f, json_t *record, const json_t *original, int64_t now_ms);
};

/* TextField.ValidatePlainValue of `value` (borrowed) for a text field: required, min/max
 * runes, pattern and primary key rules. */
bool pb_field_text_plain_valid(const struct pb_field *f, const char *value);

/* The implementation of a type; never NULL (unknown types → the passthrough implementation). */
const struct pb_field_ops *pb_field_type_get(enum pb_field_type t);
/* Shortcut for pb_field_type_get(f->type). */
const struct pb_field_ops *pb_field_impl(const struct pb_field *f);

/* Which setter key `key` is for field f: returns true and the modifier when f accepts it. */
bool pb_field_match_key(const struct pb_field *f, const char *key, enum pb_modifier *mod);

/* The first field of c (in collection order, like Record.SetIfFieldExists) that accepts `key`;
 * NULL when none. Borrowed. */
const struct pb_field *pb_collection_setter_field(const struct pb_collection *c, const char *key,
                                                  enum pb_modifier *mod);

/* Typed option accessors over the field's stored JSON (f->raw). Missing or mistyped → def. */
double pb_field_opt_num(const struct pb_field *f, const char *key, double def);
bool pb_field_opt_has_num(const struct pb_field *f, const char *key); /* number, not null */
bool pb_field_opt_bool(const struct pb_field *f, const char *key);
const char *pb_field_opt_str(const struct pb_field *f, const char *key); /* borrowed; "" when absent */
/* A string-array option (values, onlyDomains, mimeTypes, …); borrowed, NULL when absent/null. */
const json_t *pb_field_opt_list(const struct pb_field *f, const char *key);
/* True when the string list option contains s (exact). */
bool pb_field_opt_list_has(const struct pb_field *f, const char *key, const char *s);

#endif
