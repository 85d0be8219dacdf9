/* record_auth_internal — what the record auth endpoint files (api/record_auth_*.c) share:
 * the auth collection context, BindBody into a small form, ozzo-style form validation, the
 * superuser IP whitelist, bcrypt on the blocking pool, and the common auth response
 * (record_auth_response.c). Not part of the api/ public surface (see record_auth.h). */
#ifndef POCKETC_API_RECORD_AUTH_INTERNAL_H
#define POCKETC_API_RECORD_AUTH_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "api/auth_mail.h"
#include "api/http.h"
#include "api/record_auth_messages.h"
#include "collections/auth_finish.h"
#include "collections/auth_options.h"
#include "collections/auth_token.h"
#include "collections/collection.h"


/* ---- context ---------------------------------------------------------------------------- */

/* findAuthCollection: the auth collection of route parameter 0, or NULL after answering 404
 * "Missing or invalid auth collection context.". Borrowed from req->schema. */
const struct pb_collection *pb_auth_collection_ctx(struct pb_req *req);

/* isIPInList(settings.superuserIPs, ip) negated for superusers: true when `superuser` is set,
 * the whitelist is not empty and `ip` is not in it (by address or CIDR prefix). */
bool pb_auth_superuser_ip_denied(bool superuser, const char *ip);

/* ---- forms -------------------------------------------------------------------------------- */

enum pb_auth_form_kind { PB_AUTH_FORM_STRING, PB_AUTH_FORM_INT };

struct pb_auth_form_field {
	const char *name;             /* JSON / form key */
	enum pb_auth_form_kind kind;
	char **str;                   /* STRING: receives a malloc'd copy (caller frees); the caller
	                               * initialises it (NULL reads as "") */
	long long *num;               /* INT */
};

/* BindBody into a struct of string/int fields, as Go does it: an empty body binds nothing;
 * JSON keys match the field names case-insensitively (the last matching key wins), a null
 * leaves the field alone and any other type mismatch fails; form values (multipart or
 * urlencoded) bind their text. Returns 0, or -1 with err 400 when the body cannot be decoded
 * or a value does not fit: err->message is "Unsupported Content-Type." for an unknown content
 * type (an ApiError upstream, which firstApiError keeps) and empty otherwise (the caller
 * chooses). The decoded body becomes req->body_json (@request.body). */
int pb_auth_form_bind(struct pb_req *req, const struct pb_auth_form_field *fields, size_t n, struct pb_error *err);

/* checkMFA's mfaId: the `mfaId` query parameter, else the body's `mfaId` (a body that does not
 * bind gives ""). Caller frees; never NULL. */
char *pb_auth_read_mfa_id(struct pb_req *req);

/* Frees the strings of every STRING field and sets them to NULL. */
void pb_auth_form_free(const struct pb_auth_form_field *fields, size_t n);

/* ozzo rules on one string value; each returns true when it failed and then sets
 * data[field] (data: borrowed object) unless the field already has an error. Empty values pass
 * every rule but `required`. */
bool pb_auth_rule_required(json_t *data, const char *field, const char *v);
bool pb_auth_rule_length(json_t *data, const char *field, const char *v, long long min, long long max);
bool pb_auth_rule_email(json_t *data, const char *field, const char *v);
/* Sets data[field] = {code, message} (copied; message sentenized) unless already set. */
void pb_auth_rule_error(json_t *data, const char *field, const char *code, const char *message);

/* Answers 400 "An error occurred while validating the submitted data." with `data` (borrowed,
 * keys sorted on output) when it is not empty and returns true; false otherwise. */
bool pb_auth_validation_failed(struct pb_req *req, const json_t *data);

/* s or "" (for form strings that may be NULL). */
static inline const char *pb_auth_s(const char *s) { return s ? s : ""; }

/* ---- request-X / confirm-X steps (record_auth_flow.c) -------------------------------------- */

/* What an endpoint requires of its auth collection before it reads the body. */
enum pb_auth_gate {
	PB_AUTH_GATE_PASSWORD,        /* passwordAuth.enabled */
	PB_AUTH_GATE_OTP,             /* otp.enabled */
	PB_AUTH_GATE_NOT_SUPERUSERS,  /* any auth collection but `_superusers` */
};

/* pb_auth_collection_ctx, then the gate: a collection that does not pass it is answered
 * `status` `message` and NULL is returned. Fills *o (may be NULL) with the collection's auth
 * options (borrowed from the collection). */
const struct pb_collection *pb_auth_collection_gated(struct pb_req *req, enum pb_auth_gate gate, int status,
                                                     const char *message, struct pb_auth_options *o);

/* The email rules of the request-X forms on one value: required, 1..255 runes, email-shaped.
 * Returns true when one failed (data[field] set as pb_auth_rule_* do). */
bool pb_auth_rule_email_value(json_t *data, const char *field, const char *v);

/* Binds the one-field form {field} and applies pb_auth_rule_email_value. Returns 0 with *email
 * (malloc'd, not empty, caller frees) or -1 after answering the bind failure
 * (firstApiError) or the validation errors (*email is then NULL). */
int pb_auth_bind_email_form(struct pb_req *req, const char *field, char **email);

/* The resend marker key `<prefix><collectionId><recordId>` into out (cap bytes). */
void pb_auth_resend_key(char *out, size_t cap, const char *prefix, const struct pb_collection *c, const char *id);

/* The token rule of the confirm-X forms after "required": `token` must be a valid `type` token
 * (validation_invalid_token) of collection c (validation_token_collection_mismatch). Returns 0
 * with *auth filled (caller pb_auth_clear's it in any case), or -1 with *code / *message
 * (static strings) set to the failed rule. */
int pb_auth_confirm_token(struct pb_req *req, const struct pb_collection *c, const char *token, const char *type,
                          struct pb_auth *auth, const char **code, const char **message);

/* How request-verification / request-password-reset differ; a static description. */
struct pb_auth_mail_request {
	enum pb_auth_mail_kind mail;
	const char *token_type;     /* PB_TOKEN_* (claims: email) */
	const char *resend_prefix;  /* e.g. "@limitVerificationEmail_" */
	bool mark_failed;           /* set the marker also when the mail failed */
	const char *what;           /* "verification": the "Failed to send <what> email" log line */
	/* May be NULL: true when nothing is to be sent to `stored` (borrowed, with secrets). */
	bool (*skip)(const struct pb_collection *c, const json_t *stored);
};

/* The body of request-verification / request-password-reset once the collection passed its
 * gate: {email} bound and validated; then always 204 — nothing is sent for an unknown email,
 * while the 2-minute resend marker exists or when spec->skip says so; otherwise a token of
 * spec->token_type is mailed in the background and the marker set after the mail.
 * `spec` must outlive the mail (a static). */
void pb_auth_request_mail(struct pb_req *req, const struct pb_collection *c, const struct pb_auth_mail_request *spec);

/* When the client went away while the request waited on the pool: ends the exchange (the
 * request is no longer async, an empty 204 closes it) and returns true; false otherwise. */
bool pb_auth_answer_if_gone(struct pb_req *req);

/* ---- blocking pool -------------------------------------------------------------------------- */

/* Verifies `plain` against `hash` on the app's blocking pool and calls done(arg, ok) back on
 * req's worker loop. An empty or malformed hash is replaced by a well-formed dummy of the same
 * cost (or cost `dummy_cost` when none can be read), so a check for a missing identity takes as
 * long as a real one. Strings are copied. */
void pb_auth_verify_async(struct pb_req *req, const char *plain, const char *hash, int dummy_cost,
                          void (*done)(void *arg, bool ok), void *arg);

/* dummyPasswordCheck for a missing identity: verifies `plain` against the hash of any existing
 * record of c (or the dummy of the field's cost when there is none) on the pool, so the miss
 * costs what a real check costs, then calls done(arg, false) on req's worker. */
void pb_auth_verify_dummy_async(struct pb_req *req, const char *plain, const struct pb_collection *c,
                                void (*done)(void *arg, bool ok), void *arg);

/* Hashes `plain` (copied) at `cost` on the pool; done(arg, hash_or_NULL) runs on req's worker
 * (the hash string is only valid during the call; NULL when hashing failed). */
void pb_auth_hash_async(struct pb_req *req, const char *plain, int cost, void (*done)(void *arg, const char *hash),
                        void *arg);

/* The cost of the collection's password field (0 → bcrypt's default 10). */
int pb_auth_password_cost(const struct pb_collection *c);

/* ---- saving an auth record (record_auth_save.c) ---------------------------------------------- */

struct pb_auth_change;

/* Submits a writer job applying `ch` to record `id` of c (pb_auth_record_save_changes with
 * `message` for validation failures) and answers after it: 204 (first removing `remove_key`,
 * may be NULL, from the app store), 400/404 with the error and its field data, or 500 with the
 * default message. Every string is copied. Marks req async. */
void pb_auth_save_and_answer(struct pb_req *req, const struct pb_collection *c, const char *id,
                             const struct pb_auth_change *ch, const char *message, const char *remove_key);

/* Hashes `password` (copied) at c's password cost on the pool, then pb_auth_save_and_answer
 * with `ch` plus that hash. When hashing fails: a user-chosen password (ch->password_plain
 * set) too long for bcrypt is saved with an empty hash so the password field validation
 * reports it; anything else answers 500. Marks req async. */
void pb_auth_hash_save_and_answer(struct pb_req *req, const struct pb_collection *c, const char *id,
                                  const char *password, const struct pb_auth_change *ch, const char *message,
                                  const char *remove_key);

/* ---- the auth response (record_auth_response.c) -------------------------------------------- */

/* Fills the request-dependent inputs of f (schema, collection, record, requester, IP
 * whitelist, alert fingerprint inputs) from req; the caller sets method, token, mfa_id and the
 * OTP pre-steps, then calls pb_auth_respond. */
void pb_auth_finish_prepare(struct pb_req *req, struct pb_auth_finish *f, const struct pb_collection *c,
                            const char *record_id);

/* A zeroed finish struct on the heap (for pb_auth_respond). */
struct pb_auth_finish *pb_auth_finish_new(void);

/* Submits the finish job and answers once it committed: 200 {"record":…,"token":…} (record
 * expanded with ?expand= as the authenticated record sees it, exported with its email and, for
 * superusers, hidden fields; `fields` applies), 401 {"mfaId":"…"}, or the error. Takes over
 * `f` (from pb_auth_finish_new; its borrowed strings must live in req or in
 * pb_auth_finish_keep copies) and marks req async. */
void pb_auth_respond(struct pb_req *req, struct pb_auth_finish *f);

/* A flow-specific first step of the auth response's writer job (auth-with-oauth2: find,
 * create or link the record). */
struct pb_auth_pre {
	pb_write_fn run;                 /* runs first in the job and sets the finish struct's
	                                  * record_id; -1 fails the job: a 4xx error is answered as
	                                  * is, others as 400 "Failed to authenticate." (logged) */
	void *arg;
	void (*done)(void *arg, int rc); /* writer thread, once the outcome is final (may be NULL) */
	json_t *(*meta)(void *arg);      /* 200: the body's "meta" (new reference; may be NULL) */
	void (*free)(void *arg);         /* worker, after the answer (may be NULL) */
};

/* pb_auth_respond with `pre` (copied; NULL = none) run first in the same writer job, and its
 * meta in the 200 body ({"meta","record","token"}). */
void pb_auth_respond_with(struct pb_req *req, struct pb_auth_finish *f, const struct pb_auth_pre *pre);

/* Answers a BindBody failure: `first_api_error` mirrors handlers that wrap the error with
 * firstApiError (an "Unsupported Content-Type." ApiError survives), others always answer
 * 400 "An error occurred while loading the submitted data.". Clears err. */
void pb_auth_bind_failed(struct pb_req *req, struct pb_error *err, bool first_api_error);

#endif
