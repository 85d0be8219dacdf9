/* collection_validate — PocketBase's collection validator (core/collection_validate.go, the
 * auth/view option validators of core/collection_model_*_options.go and every field type's
 * ValidateSettings). Given the new state of a collection (a doc, collection_doc.h, already
 * normalized by collection_defaults.h) and its stored state, it reports what PocketBase
 * reports: a tree of ozzo error items keyed by JSON key (`name`, `fields.<i>.<option>`,
 * `indexes.<i>`, `passwordAuth.identityFields`, …), per key the first failing rule, in
 * PocketBase's rule order. For view collections the fields are first re-derived from the
 * query (overwriting the doc's fields) and the query is dry-run. Reads go to `db` (the
 * writer connection inside the save's transaction). */
#ifndef POCKETC_COLLECTIONS_COLLECTION_VALIDATE_H
#define POCKETC_COLLECTIONS_COLLECTION_VALIDATE_H

#include <jansson.h>
#include <sqlite3.h>

#include "collections/schema.h"

struct pb_collection_validate {
	sqlite3 *db;                     /* borrowed: reads _collections / sqlite_master, view dry-runs */
	const struct pb_schema *schema;  /* borrowed: every stored collection (as of db) */
	json_t *doc;                     /* borrowed, modified: the new state (view fields replaced) */
	const json_t *original;          /* borrowed: the stored state, NULL for a new collection */
	const char *autogen_id;          /* borrowed: the checksum id of a new doc's factory, or NULL */
};

/* Runs the validator. Returns NULL when the collection is valid, else the error tree (new
 * reference; keys sorted like Go's map encoding). */
json_t *pb_collection_validate(const struct pb_collection_validate *in);

/* DryRunView's check of generated view fields: each field's ValidateSettings inside a
 * temporary view collection named `name`. Returns NULL when all pass, else a new error
 * message "invalid field \"<name>\" (<i>): <errors>" (malloc'd). */
char *pb_collection_validate_view_fields(sqlite3 *db, const struct pb_schema *schema, const char *name,
                                         const json_t *fields);

#endif
