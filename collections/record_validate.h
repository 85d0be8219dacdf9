/* record_validate — validating a whole record before it is written, and the checks that need
 * the database. Mirrors core.onRecordValidate (every field's ValidateValue; errors keyed by
 * field name), the database parts of RelationField/TextField validation, the auth-id check of
 * onRecordSaveExecute and validators.NormalizeUniqueIndexError.
 *
 * Database checks never run inside pb_record_validate: it lists them (JSON objects appended to
 * opts->checks) and the writer runs them with pb_record_run_checks inside its transaction:
 *   {"kind":"relation","field":f,"collectionId":id,"ids":[…]}   every id must exist in the
 *       target collection (found by id or name) → validation_missing_rel_collection /
 *       validation_missing_rel_records on f
 *   {"kind":"pk_unique_nocase","field":"id","collection":name,"value":v}   a new id under a
 *       custom id pattern must not exist case-insensitively → validation_pk_invalid, which
 *       replaces any other error of that field (PocketBase checks it first)
 * Relation checks are only listed for fields whose static checks passed, as PocketBase only
 * reaches the query then. */
#ifndef POCKETC_COLLECTIONS_RECORD_VALIDATE_H
#define POCKETC_COLLECTIONS_RECORD_VALIDATE_H

#include <jansson.h>
#include <sqlite3.h>

#include "collections/collection.h"
#include "collections/schema.h"
#include "core/error.h"
#include "core/stmt_cache.h"

struct pb_record_validate_opts {
	const json_t *plain;   /* borrowed object: password field → new plain text; NULL = none */
	const json_t *uploads; /* borrowed object: file field → array of new uploads
	                        * {"name","originalName","size","mime"[,"aliases"]}; NULL = none */
	json_t *checks;        /* borrowed array receiving the database checks; NULL = don't list */
	const char *message;   /* err->message on failure; NULL = "Failed to create record." when
	                        * original is NULL, else "Failed to update record." */
};

/* Validates every field of `record` (borrowed object: field → normalised value; missing
 * fields count as their zero value) against collection c. `original` (borrowed) holds the last
 * saved values; NULL on create. Returns 0 when valid, or -1 with err status 400, the message
 * and err->data[field] = {code, message (sentenized), params?} for each failing field. `opts`
 * may be NULL. */
int pb_record_validate(const struct pb_collection *c, const json_t *record, const json_t *original,
                       const struct pb_record_validate_opts *opts, struct pb_error *err);

/* Runs the listed database checks (borrowed array) through `stmts` (a connection's statement
 * cache: the writer's inside the write transaction, or a worker's for a pre-check), resolving relation targets in snapshot s. Failures are added to
 * err->data next to what pb_record_validate put there (call it even when validation failed, to
 * get PocketBase's complete error map). Returns 0 when err holds no field errors afterwards,
 * -1 otherwise (status 400; message kept, or `message` when none was set yet). A database
 * error gives -1 with status 500. */
int pb_record_run_checks(struct pb_stmt_cache *stmts, const struct pb_schema *s, const json_t *checks, const char *message,
                         struct pb_error *err);

/* Auth records: the id must not exist in any other auth collection of s (the record's own
 * table is guarded by its primary key). Returns 0, or -1 with err 400 `message` and
 * data.id = validation_invalid_auth_id. */
int pb_record_check_auth_id(struct pb_stmt_cache *stmts, const struct pb_schema *s, const struct pb_collection *c, const char *id,
                            const char *message, struct pb_error *err);

/* Maps an SQLite "UNIQUE constraint failed: tbl.col[, tbl.col2]" message (case-insensitive)
 * to validation_not_unique on every listed column that is a field of c. Returns -1 with err
 * 400 `message` and those field errors when at least one matched, 0 (err untouched) when the
 * message is not such a violation. */
int pb_record_unique_error(const struct pb_collection *c, const char *sqlite_msg, const char *message,
                           struct pb_error *err);

#endif
