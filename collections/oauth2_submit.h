/* oauth2_submit — the database half of PocketBase's auth-with-oauth2 (apis/
 * record_auth_with_oauth2.go: the relation lookup and oauth2Submit) as one step of a writer
 * job, run before the common auth finish (auth_finish.h) inside the same job:
 *   1. the `_externalAuths` row (collectionRef, provider, providerId) names the record; else
 *      the requester's own record of this collection (fallback); else, when the provider gave a
 *      (verified) email, the auth record with that email;
 *   2. none found → the prepared record create (the request's createData plus the provider
 *      data, made on a worker and hashed on the pool) is committed, refused for `_superusers`;
 *      the new record is marked verified when its email equals the provider's;
 *   3. found → against pre-hijacking: an unverified record that is not the requester's own
 *      gets a random password, and an unverified record loses all its `_externalAuths` links;
 *      an empty email takes the provider's, and the record becomes verified when its email is
 *      empty or equals the provider's;
 *   4. the `_externalAuths` link is created when missing.
 * Failures roll the whole job back. No HTTP here. */
#ifndef POCKETC_COLLECTIONS_OAUTH2_SUBMIT_H
#define POCKETC_COLLECTIONS_OAUTH2_SUBMIT_H

#include <stdbool.h>

#include "collections/record_save.h"
#include "collections/schema.h"
#include "core/oauth2.h"
#include "core/random.h"
#include "core/writer.h"

struct pb_oauth2_submit {
	/* input, borrowed */
	const struct pb_schema *schema;
	const struct pb_collection *c;
	const char *provider;               /* the provider name */
	const struct pb_oauth2_user *user;  /* the fetched AuthUser */
	const char *auth_id;                /* the requester's record id when it is a record of c, else NULL */
	struct pb_record_save *create;      /* a prepared (and hashed) create of the new record, or NULL */
	const char *random_password_hash;   /* for an unverified existing record; NULL = hash one here */
	int password_cost;                  /* bcrypt cost of c's password field */

	/* output */
	char record_id[PB_RECORD_ID_LEN + 64]; /* the authenticated record */
	bool is_new;                        /* it was created by this job */
};

/* The step above on the writer (ctx inside the job's savepoint). Returns 0 with the outcome in
 * s, or -1 with ctx->err: the create's own error (400 "Failed to create record." with field
 * errors), 404 when the linked record is gone, 400 "Failed to authenticate." otherwise. */
int pb_oauth2_submit_run(struct pb_write_ctx *ctx, struct pb_oauth2_submit *s);

/* Read-only prediction of step 1 on a worker's read connection (`stmts`), so the caller knows
 * whether to prepare a create or a random password before queueing the job: *found_id (caller
 * frees, NULL when no record) and *unverified. Returns 0, or -1 with err on SQLite errors. */
int pb_oauth2_submit_predict(struct pb_stmt_cache *stmts, const struct pb_oauth2_submit *s, char **found_id,
                             bool *unverified, struct pb_error *err);

#endif
