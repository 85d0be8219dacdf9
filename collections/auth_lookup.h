/* auth_lookup — finding auth records by email or password identity, as PocketBase's
 * FindAuthRecordByEmail (core/record_query.go) and findRecordByIdentityField
 * (apis/record_auth_with_password.go) do: `WHERE field = ? LIMIT 1`, compared
 * `COLLATE NOCASE` when the field's single-column UNIQUE index declares that collation.
 * Records come back "stored": every field including the secrets (password hash, tokenKey),
 * plus collectionId/collectionName. They must never reach a response as they are; strip them
 * with pb_auth_record_public. Works on any connection through its statement cache (a worker's
 * read connection or the writer's). */
#ifndef POCKETC_COLLECTIONS_AUTH_LOOKUP_H
#define POCKETC_COLLECTIONS_AUTH_LOOKUP_H

#include <jansson.h>

#include "collections/collection.h"
#include "core/error.h"
#include "core/stmt_cache.h"

/* FindAuthRecordByEmail on collection c. Returns the stored record (new reference) or NULL:
 * err->status stays 0 when no record matches (or c is not an auth collection), 500 on an
 * SQLite error. `err` may be NULL. */
json_t *pb_auth_find_by_email(struct pb_stmt_cache *stmts, const struct pb_collection *c, const char *email,
                              struct pb_error *err);

/* findRecordByIdentityField: `field` must be one of c's passwordAuth.identityFields and have a
 * single-column UNIQUE index, else NULL with err 500 (PocketBase's non-"no rows" error). No
 * match → NULL with err->status 0. */
json_t *pb_auth_find_by_identity(struct pb_stmt_cache *stmts, const struct pb_collection *c, const char *field,
                                 const char *value, struct pb_error *err);

/* The stored record `id` of c (secrets included, new reference) or NULL when missing. */
json_t *pb_auth_find_stored(struct pb_stmt_cache *stmts, const struct pb_collection *c, const char *id);

/* A stored record without its secrets (password fields, tokenKey), keys in byte order, with
 * collectionId/collectionName: the shape @request.auth and the export code expect. New
 * reference; `stored` is borrowed. */
json_t *pb_auth_record_public(const struct pb_collection *c, const json_t *stored);

/* The string value of `field` in a record (borrowed), "" when absent or not a string. */
const char *pb_auth_str(const json_t *record, const char *field);

#endif
