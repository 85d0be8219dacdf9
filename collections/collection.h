/* collection — the in-memory model of one PocketBase collection and its fields.
 * Built from a `_collections` row (fields/indexes/options JSON) and never mutated after the
 * schema snapshot that holds it is published. Mirrors core/collection_model*.go and the
 * field structs of core/field_*.go: only what the read path needs is lifted into C fields;
 * everything else stays reachable through the original JSON (`raw`, `options`). */
#ifndef POCKETC_COLLECTIONS_COLLECTION_H
#define POCKETC_COLLECTIONS_COLLECTION_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

enum pb_field_type {
	PB_FIELD_UNKNOWN = 0,
	PB_FIELD_TEXT,
	PB_FIELD_NUMBER,
	PB_FIELD_BOOL,
	PB_FIELD_EMAIL,
	PB_FIELD_URL,
	PB_FIELD_EDITOR,
	PB_FIELD_DATE,
	PB_FIELD_AUTODATE,
	PB_FIELD_SELECT,
	PB_FIELD_FILE,
	PB_FIELD_RELATION,
	PB_FIELD_JSON,
	PB_FIELD_PASSWORD,
	PB_FIELD_GEOPOINT,
};

struct pb_field {
	char *id;                /* owned */
	char *name;              /* owned */
	enum pb_field_type type;
	bool system, hidden, required, presentable, primary_key;
	int max_select;          /* select/relation/file; as stored (0 when absent) */
	char *collection_id;     /* relation target (owned), NULL otherwise */
	bool cascade_delete;     /* relation */
	bool protected_file;     /* file: `protected` */
	/* options read on every save, parsed once from raw (pb_field_opt_* semantics: 0, "" or
	 * false when absent or of another JSON type) */
	double opt_min, opt_max;          /* text, password: `min`, `max` numbers */
	const char *opt_pattern;          /* text, password: `pattern` (borrowed from raw) */
	const char *opt_autogenerate;     /* text: `autogeneratePattern` (borrowed from raw) */
	bool opt_on_create, opt_on_update; /* autodate */
	json_t *raw;             /* owned reference: the field's JSON object as stored */
};

enum pb_collection_type { PB_COLLECTION_BASE, PB_COLLECTION_AUTH, PB_COLLECTION_VIEW };

enum pb_rule_kind { PB_RULE_LIST, PB_RULE_VIEW, PB_RULE_CREATE, PB_RULE_UPDATE, PB_RULE_DELETE, PB_RULE_COUNT };

struct pb_collection {
	char *id;                /* owned */
	char *name;              /* owned */
	enum pb_collection_type type;
	bool system;
	char *rules[PB_RULE_COUNT]; /* owned; NULL = superusers only ("null" rule), "" = public */
	char *auth_rule;         /* auth only; owned; NULL = null rule */
	char *manage_rule;       /* auth only; owned; NULL = null rule */
	char *view_query;        /* view only; owned */
	struct pb_field *fields; /* owned array, in stored order */
	size_t nfields;
	size_t *sorted;          /* owned: field indexes ordered by name (byte-wise), for record JSON */
	/* owned: pb_record_insert_sql's and pb_record_update_sql's texts, built once by
	 * pb_collection_from_row for `statements_name` (a shallow copy of the collection under
	 * another name does not use them) */
	char *insert_sql, *update_sql;
	size_t insert_sql_len, update_sql_len;
	const char *statements_name; /* borrowed: the `name` they were built for */
	json_t *indexes;         /* owned: JSON array of strings */
	json_t *options;         /* owned: options object exactly as stored (incl. secrets) */
	char *created, *updated; /* owned */
};

/* Parses one `_collections` row. `fields_json`, `indexes_json`, `options_json` are the stored
 * JSON texts; rules may be NULL (null rule). Returns a new collection (caller frees with
 * pb_collection_free) or NULL on malformed JSON. */
struct pb_collection *pb_collection_from_row(const char *id, const char *name, const char *type, int system,
                                             const char *fields_json, const char *indexes_json,
                                             const char *options_json, const char *const rules[PB_RULE_COUNT],
                                             const char *created, const char *updated);
void pb_collection_free(struct pb_collection *c);

/* The field named `name` (exact, case-sensitive as PocketBase), or NULL. Borrowed. */
const struct pb_field *pb_collection_field(const struct pb_collection *c, const char *name);

/* True when a select/relation/file field holds several values (maxSelect > 1). */
bool pb_field_is_multiple(const struct pb_field *f);

/* "text", "number", … for a field type; "" for unknown. Static string. */
const char *pb_field_type_name(enum pb_field_type t);
enum pb_field_type pb_field_type_from_name(const char *name);
const char *pb_collection_type_name(enum pb_collection_type t);

/* A token option of an auth collection ("authToken", "fileToken", …): secret and duration.
 * Returns 0 and borrowed pointers into `options`, or -1 when absent. */
int pb_collection_token_config(const struct pb_collection *c, const char *token_kind, const char **secret,
                               long long *duration);

#endif
