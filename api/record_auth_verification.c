/* record_auth_verification — POST …/request-verification and …/confirm-verification
 * (apis/record_auth_verification_request.go, apis/record_auth_verification_confirm.go).
 * Both refuse `_superusers` (400 "All superusers are verified by default.").
 * request: {email} required, ≤255, email-shaped; always 204 — for an unknown email, an
 * already verified record, or a record mailed in the last 2 minutes nothing is sent; otherwise
 * a verification token (claims id, collectionId, type, email) is mailed in the background and
 * the resend marker `@limitVerificationEmail_<collectionId><recordId>` is set for 2 minutes.
 * confirm: {token} required and, in this order, carrying an email claim
 * (validation_invalid_token_claims), a valid verification token (validation_invalid_token), of
 * this collection (validation_token_collection_mismatch) whose email is still the record's
 * (validation_token_email_mismatch); an unverified record becomes verified (and, when password
 * auth is disabled, gets a random password); the marker is dropped; 204, also when it was
 * verified already. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/auth_mail.h"
#include "api/record_auth.h"
#include "api/record_auth_internal.h"
#include "api/record_auth_messages.h"
#include "collections/auth_lookup.h"
#include "collections/auth_options.h"
#include "collections/auth_record.h"
#include "collections/auth_token.h"
#include "core/jwt.h"
#include "core/random.h"

#define RESEND_TTL 120

static void resend_key(char *out, size_t cap, const struct pb_collection *c, const char *id)
{
	snprintf(out, cap, "@limitVerificationEmail_%s%s", c->id, id);
}

static void mark_sent(struct pb_app *app, const struct pb_auth_mail *m, bool ok, void *arg)
{
	(void)ok; /* the marker is set whether the mail went out or not, as upstream */
	(void)arg;
	char key[512];
	resend_key(key, sizeof key, m->c, pb_auth_str(m->record, "id"));
	pb_store_set(&app->store, key, RESEND_TTL, (int64_t)time(NULL));
}

void pb_api_record_request_verification(struct pb_req *req)
{
	const struct pb_collection *c = pb_auth_collection_ctx(req);
	if (!c)
		return;
	if (pb_collection_is_superusers(c)) {
		pb_resp_error(req, 400, PB_MSG_SUPERUSERS_VERIFIED, NULL);
		return;
	}
	char *email = NULL;
	struct pb_auth_form_field form[] = {{"email", PB_AUTH_FORM_STRING, &email, NULL}};
	struct pb_error err = PB_ERROR_INIT;
	json_t *stored = NULL;
	if (pb_auth_form_bind(req, form, 1, &err) != 0) {
		pb_auth_bind_failed(req, &err, true);
		goto out;
	}
	json_t *data = json_object();
	if (!pb_auth_rule_required(data, "email", email) && !pb_auth_rule_length(data, "email", email, 1, 255))
		pb_auth_rule_email(data, "email", email);
	bool invalid = pb_auth_validation_failed(req, data);
	json_decref(data);
	if (invalid)
		goto out;
	stored = pb_auth_find_by_email(req->stmts, c, email, &err);
	pb_error_clear(&err);
	if (!stored) { /* 204 as a basic measure against email enumeration */
		pb_resp_empty(req, 204);
		goto out;
	}
	char key[512];
	resend_key(key, sizeof key, c, pb_auth_str(stored, "id"));
	bool verified = json_is_true(json_object_get(stored, "verified"));
	if (verified || pb_store_has(&req->app->store, key, (int64_t)time(NULL))) {
		pb_resp_empty(req, 204);
		goto out;
	}
	json_t *claims = json_pack("{ss}", "email", pb_auth_str(stored, "email"));
	char *token = pb_auth_token_issue(c, pb_auth_str(stored, "id"), pb_auth_str(stored, "tokenKey"),
	                                  PB_TOKEN_VERIFICATION, claims, (int64_t)time(NULL), 0);
	json_decref(claims);
	if (token) {
		json_t *pub = pb_auth_record_public(c, stored);
		struct pb_auth_mail *m = pb_auth_mail_new(PB_AUTH_MAIL_VERIFICATION, req->schema, c, pub,
		                                          pb_auth_str(stored, "email"));
		json_decref(pub);
		m->token = token;
		pb_auth_mail_async(req->app, m, mark_sent, NULL);
	} else {
		fprintf(stderr, "Failed to send verification email: cannot create the token\n");
	}
	pb_resp_empty(req, 204);
out:
	json_decref(stored);
	pb_auth_form_free(form, 1);
}

/* ---- confirm ------------------------------------------------------------------------------ */

struct confirm {
	struct pb_req *req;
	const struct pb_collection *c;
	char *id;
};

static void random_hashed(void *arg, const char *hash)
{
	struct confirm *k = arg;
	char key[512];
	resend_key(key, sizeof key, k->c, k->id);
	if (!hash) {
		pb_resp_error(k->req, 500, NULL, NULL);
	} else {
		struct pb_auth_change ch = {.verified = 1, .password_hash = hash};
		pb_auth_save_and_answer(k->req, k->c, k->id, &ch, PB_MSG_VERIFICATION_SAVE_FAILED, key);
	}
	free(k->id);
	free(k);
}

void pb_api_record_confirm_verification(struct pb_req *req)
{
	const struct pb_collection *c = pb_auth_collection_ctx(req);
	if (!c)
		return;
	if (pb_collection_is_superusers(c)) {
		pb_resp_error(req, 400, PB_MSG_SUPERUSERS_VERIFIED, NULL);
		return;
	}
	char *token = NULL;
	struct pb_auth_form_field form[] = {{"token", PB_AUTH_FORM_STRING, &token, NULL}};
	struct pb_error err = PB_ERROR_INIT;
	struct pb_auth auth = {0};
	if (pb_auth_form_bind(req, form, 1, &err) != 0) {
		pb_auth_bind_failed(req, &err, true);
		goto out;
	}
	json_t *data = json_object();
	int64_t now = (int64_t)time(NULL);
	bool resolved = false;
	if (!pb_auth_rule_required(data, "token", token)) {
		json_t *claims = pb_jwt_parse_unverified(token);
		const char *email = json_string_value(json_object_get(claims, "email"));
		if (!email || !*email)
			pb_auth_rule_error(data, "token", PB_VCODE_INVALID_TOKEN_CLAIMS, PB_VMSG_INVALID_TOKEN_CLAIMS);
		else if (pb_auth_token_resolve(req->schema, req->stmts, token, PB_TOKEN_VERIFICATION, now, &auth) != 0)
			pb_auth_rule_error(data, "token", PB_VCODE_INVALID_TOKEN, PB_VMSG_INVALID_TOKEN);
		else if (strcmp(auth.collection->id, c->id) != 0)
			pb_auth_rule_error(data, "token", PB_VCODE_TOKEN_COLLECTION_MISMATCH, PB_VMSG_TOKEN_COLLECTION_MISMATCH);
		else if (strcmp(pb_auth_str(auth.record, "email"), email) != 0)
			pb_auth_rule_error(data, "token", PB_VCODE_TOKEN_EMAIL_MISMATCH, PB_VMSG_TOKEN_EMAIL_MISMATCH);
		else
			resolved = true;
		json_decref(claims);
	}
	bool invalid = pb_auth_validation_failed(req, data);
	json_decref(data);
	if (invalid)
		goto out;
	if (!resolved) {
		pb_resp_error(req, 400, PB_MSG_VERIFICATION_TOKEN_INVALID, NULL);
		goto out;
	}
	const char *id = pb_auth_str(auth.record, "id");
	char key[512];
	resend_key(key, sizeof key, c, id);
	if (json_is_true(json_object_get(auth.record, "verified"))) {
		pb_store_remove(&req->app->store, key);
		pb_resp_empty(req, 204);
		goto out;
	}
	struct pb_auth_options o;
	pb_auth_options_get(c, &o);
	if (!o.password_enabled) {
		/* a random password guards against pre-hijacking if password auth is enabled later */
		char pass[31];
		struct confirm *k = calloc(1, sizeof *k);
		if (!k || !(k->id = strdup(id)) || pb_random_string(pass, 30, PB_ALPHABET_ALNUM) != 0)
			abort();
		k->req = req;
		k->c = c;
		pb_req_async(req);
		pb_auth_hash_async(req, pass, pb_auth_password_cost(c), random_hashed, k);
		goto out;
	}
	struct pb_auth_change ch = {.verified = 1};
	pb_auth_save_and_answer(req, c, id, &ch, PB_MSG_VERIFICATION_SAVE_FAILED, key);
out:
	pb_auth_clear(&auth);
	pb_auth_form_free(form, 1);
}
