/* record_auth_password_reset — POST …/request-password-reset and …/confirm-password-reset
 * (apis/record_auth_password_reset_request.go, apis/record_auth_password_reset_confirm.go).
 * request: password auth must be enabled (400 "The collection is not configured to allow
 * password authentication."); {email} required, ≤255, email-shaped; always 204 — nothing is
 * sent for an unknown email or while the 2-minute marker
 * `@limitPasswordResetEmail_<collectionId><recordId>` exists; otherwise a passwordReset token
 * is mailed in the background and the marker set once the mail went out. The installer
 * superuser never gets one (PocketBase's mailer hook refuses it).
 * confirm: {token, password, passwordConfirm}: token required and a valid passwordReset token
 * of this collection (validation_invalid_token / validation_token_collection_mismatch),
 * password required with a length between the password field's min (1 when unset) and 255,
 * passwordConfirm required and equal; the new password is hashed on the blocking pool and
 * saved (tokenKey renewed; the record verified when the token's email is still its email);
 * validation failures on save → 400 PB_MSG_RESET_SAVE_FAILED; 204 and the marker goes. */
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
#include "collections/field_type.h"
#include "collections/validation_messages.h"
#include "core/jwt.h"
#include "core/password.h"

#define RESEND_TTL 120

static void resend_key(char *out, size_t cap, const struct pb_collection *c, const char *id)
{
	snprintf(out, cap, "@limitPasswordResetEmail_%s%s", c->id, id);
}

static void mark_sent(struct pb_app *app, const struct pb_auth_mail *m, bool ok, void *arg)
{
	(void)arg;
	if (!ok)
		return;
	char key[512];
	resend_key(key, sizeof key, m->c, pb_auth_str(m->record, "id"));
	pb_store_set(&app->store, key, RESEND_TTL, (int64_t)time(NULL));
}

void pb_api_record_request_password_reset(struct pb_req *req)
{
	const struct pb_collection *c = pb_auth_collection_ctx(req);
	if (!c)
		return;
	struct pb_auth_options o;
	pb_auth_options_get(c, &o);
	if (!o.password_enabled) {
		pb_resp_error(req, 400, PB_MSG_PASSWORD_AUTH_DISABLED, NULL);
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
	if (pb_store_has(&req->app->store, key, (int64_t)time(NULL))) {
		pb_resp_empty(req, 204);
		goto out;
	}
	if (pb_collection_is_superusers(c) && !strcmp(pb_auth_str(stored, "email"), PB_INSTALLER_EMAIL)) {
		fprintf(stderr, "Failed to send password reset email: cannot reset the password for the installer superuser\n");
		pb_resp_empty(req, 204);
		goto out;
	}
	json_t *claims = json_pack("{ss}", "email", pb_auth_str(stored, "email"));
	char *token = pb_auth_token_issue(c, pb_auth_str(stored, "id"), pb_auth_str(stored, "tokenKey"),
	                                  PB_TOKEN_PASSWORD_RESET, claims, (int64_t)time(NULL), 0);
	json_decref(claims);
	if (token) {
		json_t *pub = pb_auth_record_public(c, stored);
		struct pb_auth_mail *m = pb_auth_mail_new(PB_AUTH_MAIL_PASSWORD_RESET, req->schema, c, pub,
		                                          pb_auth_str(stored, "email"));
		json_decref(pub);
		m->token = token;
		pb_auth_mail_async(req->app, m, mark_sent, NULL);
	} else {
		fprintf(stderr, "Failed to send password reset email: cannot create the token\n");
	}
	pb_resp_empty(req, 204);
out:
	json_decref(stored);
	pb_auth_form_free(form, 1);
}

/* ---- confirm ------------------------------------------------------------------------------ */

struct reset {
	struct pb_req *req;
	const struct pb_collection *c;
	char *id, *password;
	bool verify;
};

static void hashed(void *arg, const char *hash)
{
	struct reset *r = arg;
	char key[512];
	resend_key(key, sizeof key, r->c, r->id);
	if (!hash && strlen(r->password) > PB_BCRYPT_MAX_BYTES)
		hash = ""; /* not hashable: the password field validation reports it on save */
	if (!hash) {
		pb_resp_error(r->req, 500, NULL, NULL);
	} else {
		struct pb_auth_change ch = {.verified = r->verify ? 1 : -1, .password_plain = r->password, .password_hash = hash};
		pb_auth_save_and_answer(r->req, r->c, r->id, &ch, PB_MSG_RESET_SAVE_FAILED, key);
	}
	free(r->id);
	free(r->password);
	free(r);
}

void pb_api_record_confirm_password_reset(struct pb_req *req)
{
	const struct pb_collection *c = pb_auth_collection_ctx(req);
	if (!c)
		return;
	char *token = NULL, *password = NULL, *confirm = NULL;
	struct pb_auth_form_field form[] = {
		{"token", PB_AUTH_FORM_STRING, &token, NULL},
		{"password", PB_AUTH_FORM_STRING, &password, NULL},
		{"passwordConfirm", PB_AUTH_FORM_STRING, &confirm, NULL},
	};
	size_t nform = sizeof form / sizeof form[0];
	struct pb_error err = PB_ERROR_INIT;
	struct pb_auth auth = {0};
	if (pb_auth_form_bind(req, form, nform, &err) != 0) {
		pb_auth_bind_failed(req, &err, false);
		goto out;
	}
	const struct pb_field *pf = pb_collection_field(c, "password");
	long long min = pf && pf->type == PB_FIELD_PASSWORD ? (long long)pb_field_opt_num(pf, "min", 0) : 0;
	if (min <= 0)
		min = 1;
	json_t *data = json_object();
	int64_t now = (int64_t)time(NULL);
	bool resolved = false;
	if (!pb_auth_rule_required(data, "token", token)) {
		if (pb_auth_token_resolve(req->schema, req->stmts, token, PB_TOKEN_PASSWORD_RESET, now, &auth) != 0)
			pb_auth_rule_error(data, "token", PB_VCODE_INVALID_TOKEN, PB_VMSG_INVALID_TOKEN);
		else if (strcmp(auth.collection->id, c->id) != 0)
			pb_auth_rule_error(data, "token", PB_VCODE_TOKEN_COLLECTION_MISMATCH, PB_VMSG_TOKEN_COLLECTION_MISMATCH);
		else
			resolved = true;
	}
	if (!pb_auth_rule_required(data, "password", password))
		pb_auth_rule_length(data, "password", password, min, 255);
	if (!pb_auth_rule_required(data, "passwordConfirm", confirm) && strcmp(confirm, pb_auth_s(password)) != 0)
		pb_auth_rule_error(data, "passwordConfirm", pb_vmsg_code(PB_VMSG_VALUES_MISMATCH),
		                   pb_vmsg_template(PB_VMSG_VALUES_MISMATCH));
	bool invalid = pb_auth_validation_failed(req, data);
	json_decref(data);
	if (invalid)
		goto out;
	if (!resolved) {
		pb_resp_error(req, 400, PB_MSG_RESET_TOKEN_INVALID, NULL);
		goto out;
	}
	struct reset *r = calloc(1, sizeof *r);
	if (!r || !(r->id = strdup(pb_auth_str(auth.record, "id"))) || !(r->password = strdup(password)))
		abort();
	r->req = req;
	r->c = c;
	if (!json_is_true(json_object_get(auth.record, "verified"))) {
		/* mark as verified when the email hasn't changed since the token was issued */
		json_t *claims = pb_jwt_parse_unverified(token);
		const char *email = json_string_value(json_object_get(claims, "email"));
		r->verify = email && !strcmp(email, pb_auth_str(auth.record, "email"));
		json_decref(claims);
	}
	pb_req_async(req);
	pb_auth_hash_async(req, password, pb_auth_password_cost(c), hashed, r);
out:
	pb_auth_clear(&auth);
	pb_auth_form_free(form, nform);
}
