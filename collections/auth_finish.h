/* auth_finish — the database half of PocketBase's recordAuthResponse (apis/record_helpers.go)
 * as one writer job, run after a login method has accepted the credentials:
 *   1. method pre-steps that PocketBase performs before the response (auth-with-otp: delete
 *      the used OTP; if it was sent to the record's current email and the record is
 *      unverified, mark it verified and — with MFA disabled — give it a random password;
 *      failures there are only logged upstream, so they roll back alone);
 *   2. the superuser IP whitelist (403, decided by the caller from the settings);
 *   3. the collection's authRule for the requester (CanAccessRecord: null → nobody, "" →
 *      everybody, superusers always) → 403 "The request doesn't satisfy the collection
 *      requirements to authenticate.";
 *   4. MFA (checkMFA) for password/otp/oauth2 logins when the collection enables it and its
 *      mfa.rule matches: without an mfaId a `_mfas` row is created and the outcome is 401 with
 *      that id; with one it must exist, be younger than mfa.duration (else it is deleted →
 *      400 "Invalid or expired MFA session."), belong to this record (400 "Invalid MFA
 *      session.") and name another method (400 "A different authentication method is
 *      required."); it is then deleted;
 *   5. the auth token: the given one (auth-refresh of a non-refreshable token), a static one
 *      (impersonate) or a new refreshable one, signed with the record's tokenKey as it is now;
 *   6. the login alert bookkeeping (authAlert enabled, a login method): the `_authOrigins`
 *      fingerprint md5(ip + userAgent[:200]) is refreshed or created, at most 5 kept per record
 *      (oldest dropped), and a mail is due when it is new and not the first login ever.
 * The job always commits what it did (a 401/403 keeps the `_mfas` row or the OTP deletion, as
 * PocketBase has no surrounding transaction there): the outcome is reported in the struct,
 * and the job returns -1 only on internal errors. No HTTP here. */
#ifndef POCKETC_COLLECTIONS_AUTH_FINISH_H
#define POCKETC_COLLECTIONS_AUTH_FINISH_H

#include <jansson.h>
#include <stdbool.h>

#include "collections/request_info.h"
#include "collections/schema.h"
#include "core/error.h"
#include "core/random.h"
#include "core/writer.h"

#define PB_MSG_AUTH_RULE_FAILED "The request doesn't satisfy the collection requirements to authenticate."
#define PB_MSG_MFA_INVALID_OR_EXPIRED "Invalid or expired MFA session."
#define PB_MSG_MFA_INVALID "Invalid MFA session."
#define PB_MSG_MFA_DIFFERENT_METHOD "A different authentication method is required."
#define PB_MSG_FAILED_AUTH "Failed to authenticate."
#define PB_MSG_FAILED_AUTH_TOKEN "Failed to create auth token."

#define PB_AUTH_METHOD_PASSWORD "password"
#define PB_AUTH_METHOD_OTP "otp"
#define PB_AUTH_METHOD_OAUTH2 "oauth2"

#define PB_MAX_AUTH_ORIGINS 5
#define PB_AUTH_FINISH_OWNED 6

struct pb_auth_finish {
	/* input (borrowed until the job's completion) */
	const struct pb_schema *schema;
	const struct pb_collection *c;     /* the auth collection */
	const char *record_id;
	const struct pb_request_info *req; /* the requester as rules see it (token auth, context) */
	const char *method;                /* PB_AUTH_METHOD_*, or "" for refresh/impersonate */
	const char *mfa_id;                /* ?mfaId= or body mfaId; "" / NULL when none */
	const char *token;                 /* non-NULL: answer with this token as is */
	bool static_token;                 /* issue a non-refreshable token … */
	long long static_duration;         /* … valid this long (<= 0: the collection's duration) */
	bool ip_denied;                    /* a superuser whose IP is not whitelisted */
	const char *real_ip;               /* for the login alert fingerprint ("" when unknown) */
	const char *user_agent;            /* ditto */
	/* auth-with-otp pre-steps */
	const char *otp_id;                /* the used OTP to delete, or NULL */
	const char *otp_sent_to;           /* its sentTo value */
	const char *random_password_hash;  /* hash for the verified upgrade without MFA (made on the
	                                    * blocking pool); NULL = do not randomise */

	/* output (owned; pb_auth_finish_deinit) */
	int status;                        /* 200, 401 (MFA: mfa_id_out) or the error's status */
	struct pb_error err;               /* the error of a 4xx outcome */
	char mfa_id_out[PB_RECORD_ID_LEN + 1];
	char *token_out;                   /* 200: the token to answer with */
	json_t *record;                    /* 200: the record without secrets, hidden fields and email
	                                    * included (export it for the response) */
	bool alert_due;                    /* 200: send the new-location login alert */
	char *alert_info;                  /* "<date> - <ip> <userAgent>" (not yet HTML-escaped) */

	char *owned[PB_AUTH_FINISH_OWNED]; /* strings kept for the borrowed inputs (pb_auth_finish_keep) */
};

void pb_auth_finish_init(struct pb_auth_finish *f);
/* Frees the outputs and the kept strings. */
void pb_auth_finish_deinit(struct pb_auth_finish *f);

/* A copy of s (NULL → "") owned by f until pb_auth_finish_deinit, for inputs that must outlive
 * the caller's buffers. At most PB_AUTH_FINISH_OWNED per struct (aborts beyond). */
const char *pb_auth_finish_keep(struct pb_auth_finish *f, const char *s);

/* The pb_write_fn (arg = struct pb_auth_finish *). Returns 0 with the outcome in the struct,
 * -1 with ctx->err on internal errors (500). */
int pb_auth_finish_run(struct pb_write_ctx *ctx, void *arg);

/* The lowercase hex MD5 of ip + userAgent (cut to 200 bytes + "..." when longer): the
 * `_authOrigins` fingerprint. Writes 33 bytes into out. */
void pb_auth_origin_fingerprint(const char *ip, const char *user_agent, char out[33]);

#endif
