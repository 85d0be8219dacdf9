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
#include <string.h>

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

#define RESEND_PREFIX "@limitPasswordResetEmail_"

/* PocketBase's mailer hook refuses the installer superuser. */
static bool is_installer(const struct pb_collection *c, const json_t *stored)
{
	if (!pb_collection_is_superusers(c) || strcmp(pb_auth_str(stored, "email"), PB_INSTALLER_EMAIL) != 0)
		return false;
	fprintf(stderr, "Failed to send password reset email: cannot reset the password for the installer superuser\n");
	return true;
}

static const struct pb_auth_mail_request reset_mail = {
	.mail = PB_AUTH_MAIL_PASSWORD_RESET,
	.token_type = PB_TOKEN_PASSWORD_RESET,
	.resend_prefix = RESEND_PREFIX,
	.mark_failed = false,
	.what = "password reset",
	.skip = is_installer,
};

void pb_api_record_request_password_reset(struct pb_req *req)
{
	const struct pb_collection *c =
		pb_auth_collection_gated(req, PB_AUTH_GATE_PASSWORD, 400, PB_MSG_PASSWORD_AUTH_DISABLED, NULL);
	if (c)
		pb_auth_request_mail(req, c, &reset_mail);
}

/* ---- confirm ------------------------------------------------------------------------------ */

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
	bool resolved = false;
	const char *code, *message;
	if (!pb_auth_rule_required(data, "token", token)) {
		if (pb_auth_confirm_token(req, c, token, PB_TOKEN_PASSWORD_RESET, &auth, &code, &message) != 0)
			pb_auth_rule_error(data, "token", code, message);
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
	struct pb_auth_change ch = {.verified = -1, .password_plain = password};
	if (!json_is_true(json_object_get(auth.record, "verified"))) {
		/* mark as verified when the email hasn't changed since the token was issued */
		json_t *claims = pb_jwt_parse_unverified(token);
		const char *email = json_string_value(json_object_get(claims, "email"));
		if (email && !strcmp(email, pb_auth_str(auth.record, "email")))
			ch.verified = 1;
		json_decref(claims);
	}
	const char *id = pb_auth_str(auth.record, "id");
	char key[512];
	pb_auth_resend_key(key, sizeof key, RESEND_PREFIX, c, id);
	pb_auth_hash_save_and_answer(req, c, id, password, &ch, PB_MSG_RESET_SAVE_FAILED, key);
out:
	pb_auth_clear(&auth);
	pb_auth_form_free(form, nform);
}
