/* auth_token — record tokens: resolving a token to its auth record and issuing new ones.
 * Mirrors PocketBase's FindAuthRecordByToken (core/record_query.go), the Record.New*Token
 * methods (core/record_tokens.go) and the Authorization header handling of the loadAuthToken
 * middleware (apis/middlewares.go). Claims and signing keys follow pb-api.md §3.2: every token
 * carries id, collectionId, type and exp and is signed with the record's tokenKey followed by
 * the secret of the collection's token option for that type. */
#ifndef POCKETC_COLLECTIONS_AUTH_TOKEN_H
#define POCKETC_COLLECTIONS_AUTH_TOKEN_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "collections/collection.h"
#include "collections/schema.h"
#include "core/stmt_cache.h"
#include "core/writer.h"

/* Token types (the `type` claim). */
#define PB_TOKEN_AUTH "auth"
#define PB_TOKEN_FILE "file"
#define PB_TOKEN_VERIFICATION "verification"
#define PB_TOKEN_PASSWORD_RESET "passwordReset"
#define PB_TOKEN_EMAIL_CHANGE "emailChange"

struct pb_auth {
	json_t *record;                         /* owned: the auth record as rules see it (all fields
	                                           incl. hidden ones and email, never password/tokenKey,
	                                           plus collectionId/collectionName) */
	const struct pb_collection *collection; /* borrowed from the schema */
	bool superuser;                         /* collection name == "_superusers" */
	bool refreshable;                       /* the token's `refreshable` claim is true */
	json_t *claims;                         /* owned: the verified claims (numbers as reals) */
};

/* The collection option holding the secret and duration of a token type ("auth" → "authToken",
 * "file" → "fileToken", …), or NULL for an unknown type. Static string. */
const char *pb_auth_token_option(const char *type);

/* Resolves `token` as FindAuthRecordByToken does: the claims id, collectionId and type must be
 * non-empty strings; the type must equal `type` (NULL accepts any of the five types); the
 * collection is looked up by id or name in `schema` (borrowed) and must be an auth collection;
 * the record is loaded through `stmts` (borrowed, the worker's read connection); the token must
 * verify as HS256 under tokenKey + the type's secret with exp/nbf/iat valid at now_unix.
 * Returns 0 and fills *out (release with pb_auth_clear), or -1 when the token is invalid for any
 * reason, including a database error (*out is then all zero). */
int pb_auth_token_resolve(const struct pb_schema *schema, struct pb_stmt_cache *stmts, const char *token,
                          const char *type, int64_t now_unix, struct pb_auth *out);

/* Drops the references held by a and zeroes it. Safe on a zeroed struct. */
void pb_auth_clear(struct pb_auth *a);

/* Issues a token of `type` for record `record_id` of the auth collection `c` (borrowed) whose
 * tokenKey is `token_key`. Claims: id, collectionId (c->id), type, exp = now_unix + the
 * collection's duration for that type (or duration_override seconds when > 0), refreshable:true
 * for "auth"; then every member of `extra` (borrowed, may be NULL) is copied over them — so a
 * static auth token passes {"refreshable":false}, verification/passwordReset tokens must pass
 * "email" and emailChange tokens "email" and "newEmail" (strings). Signing key = token_key +
 * the type's secret. Returns a malloc'd token (caller frees) or NULL when c is not an auth
 * collection, the type is unknown, its option is missing, a required extra claim is missing,
 * the signing key is empty or signing fails. */
char *pb_auth_token_issue(const struct pb_collection *c, const char *record_id, const char *token_key,
                          const char *type, json_t *extra, int64_t now_unix, long long duration_override);

/* The token inside an Authorization header value: a case-insensitive "Bearer " prefix is
 * skipped when the value is longer than 7 bytes, otherwise the value itself is the token.
 * Returns a pointer into `value` (borrowed); NULL gives "". */
const char *pb_auth_header_token(const char *value);

/* A per-connection-owner memo of tokens whose signature was verified: owned by one worker
 * (like its statement cache), never shared. An entry remembers the claims and the signing key
 * (tokenKey + collection secret) the signature was checked with; a later request with the same
 * token skips the JWT parsing and HMAC when the record's current tokenKey and the collection's
 * current secret still give that key. The time claims are always checked against `now`.
 * With a writer, an entry also keeps the auth record it loaded, and reuses it (no query) while
 * the writer's change generation of the record's table is the one taken before the load, the
 * schema snapshot is the same and the load happened in the same second of `now`: a change of
 * the record (password, tokenKey, any field), its deletion or a schema change made through
 * the writer is seen by the next request, a change made by another process within a second.
 * So the outcome equals pb_auth_token_resolve's. */
#define PB_AUTH_CACHE_SIZE 128
struct pb_auth_cache_entry {
	uint64_t hash;
	char *token;          /* owned */
	char *key;            /* owned: tokenKey + secret used for the verification */
	json_t *claims;       /* owned */
	unsigned long used_at;
	/* the record as loaded last (NULL: none kept) */
	json_t *record;               /* owned; never modified once kept (shared read-only) */
	char *token_key;              /* owned: the record's tokenKey at that load */
	struct pb_schema *schema;     /* owned reference: the snapshot the record was loaded under */
	uint64_t gen;                 /* the table's change generation taken before the load */
	int64_t loaded_unix;          /* the `now` of the load */
	/* the last full resolution that succeeded with the kept record: within the same second,
	 * under the same snapshot, for the same requested type and while the table's generation
	 * is still `gen`, its outcome is the answer again (checked_unix 0: none) */
	const struct pb_collection *c; /* borrowed from `schema` */
	int64_t checked_unix;
	char checked_type[24];
	bool refreshable;
};
struct pb_auth_cache {
	struct pb_auth_cache_entry e[PB_AUTH_CACHE_SIZE];
	unsigned long tick;
	const struct pb_writer *writer; /* borrowed, may be NULL (then records are never kept) */
};
/* `writer` (borrowed, may be NULL) is the writer all of this process's writes go through. */
void pb_auth_cache_init(struct pb_auth_cache *c, const struct pb_writer *writer);
void pb_auth_cache_deinit(struct pb_auth_cache *c);
/* pb_auth_token_resolve through the memo (`cache` may be NULL: no memo). */
int pb_auth_token_resolve_cached(const struct pb_schema *schema, struct pb_stmt_cache *stmts,
                                 struct pb_auth_cache *cache, const char *token, const char *type, int64_t now_unix,
                                 struct pb_auth *out);

#endif
