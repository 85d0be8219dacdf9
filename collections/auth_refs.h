/* auth_refs — the rows of the system collections that hang off an auth record: `_mfas`
 * (first factor passed, core/mfa_*.go), `_otps` (one-time passwords, core/otp_*.go) and
 * `_authOrigins` (known login fingerprints, core/auth_origin_*.go). Rows are JSON objects of
 * their collection's fields (the `_otps` password hash included), read through a statement
 * cache and written by writer jobs. New rows get a default record id (15 × [a-z0-9]) and
 * their autodate stamps; collectionRef/recordRef are set by the caller, which already knows
 * they point at an existing auth record. Ref rows produce no change events. */
#ifndef POCKETC_COLLECTIONS_AUTH_REFS_H
#define POCKETC_COLLECTIONS_AUTH_REFS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "collections/schema.h"
#include "core/error.h"
#include "core/random.h"
#include "core/stmt_cache.h"
#include "core/writer.h"

#define PB_MFAS "_mfas"
#define PB_OTPS "_otps"
#define PB_AUTH_ORIGINS "_authOrigins"
#define PB_EXTERNAL_AUTHS "_externalAuths"

/* FindMFAById / FindOTPById / FindAuthOriginById: the row of collection `name` (looked up in
 * schema) with that id, as a new reference, or NULL when missing (or the collection does not
 * exist). */
json_t *pb_auth_ref_find(struct pb_stmt_cache *stmts, const struct pb_schema *schema, const char *name,
                         const char *id);

/* FindAll…ByRecord: every row of `name` with collectionRef = collection_id and recordRef =
 * record_id, newest `created` first (new array; empty when none or on error). */
json_t *pb_auth_ref_list(struct pb_stmt_cache *stmts, const struct pb_schema *schema, const char *name,
                         const char *collection_id, const char *record_id);

/* Inserts a row of `name`: `values` (borrowed object) gives field values (collectionRef,
 * recordRef, method, password hash, fingerprint, sentTo, optionally id); other fields get
 * their zero value, autodates are stamped with now_ms. The id is written to id_out (generated
 * unless values has a non-empty "id"). Returns 0 or -1 with w->err (500). */
int pb_auth_ref_insert(struct pb_write_ctx *w, const struct pb_schema *schema, const char *name,
                       const json_t *values, int64_t now_ms, char id_out[PB_RECORD_ID_LEN + 1]);

/* UPDATE of one row: `field` = value (NULL = only the stamps) and the onUpdate autodates
 * stamped with now_ms (a Save of an existing row). Returns 0 or -1 with w->err (500). */
int pb_auth_ref_touch(struct pb_write_ctx *w, const struct pb_schema *schema, const char *name, const char *id,
                      const char *field, const char *value, int64_t now_ms);

/* Deletes row `id` of `name`. Returns 0 or -1 with w->err (500). */
int pb_auth_ref_delete(struct pb_write_ctx *w, const char *name, const char *id);

/* DeleteAll…ByRecord. Sets *deleted (may be NULL) to the number of rows removed. A missing
 * table counts as nothing to delete. Returns 0 or -1 with w->err (500). */
int pb_auth_ref_delete_by_record(struct pb_write_ctx *w, const char *name, const char *collection_id,
                                 const char *record_id, int *deleted);

/* HasExpired(maxElapsed): true when the row's `created` lies more than max_seconds before
 * now_ms (an unparsable created counts as the zero time, i.e. expired). */
bool pb_auth_ref_expired(const json_t *row, long long max_seconds, int64_t now_ms);

#endif
