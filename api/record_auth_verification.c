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
#include <stdlib.h>
#include <string.h>

#include "api/record_auth.h"
#include "api/record_auth_internal.h"
#include "api/record_auth_messages.h"
#include "collections/auth_lookup.h"
#include "collections/auth_options.h"
#include "collections/auth_record.h"
#include "collections/auth_token.h"
#include "core/jwt.h"
#include "core/random.h"

#define RESEND_PREFIX "@limitVerificationEmail_"

static bool is_verified(const struct pb_collection *c, const json_t *stored)
{
	(void)c;
	return json_is_true(json_object_get(stored, "verified"));
}

static const struct pb_auth_mail_request verification_mail = {
	.mail = PB_AUTH_MAIL_VERIFICATION,
	.token_type = PB_TOKEN_VERIFICATION,
	.resend_prefix = RESEND_PREFIX,
	.mark_failed = true, /* the marker is set whether the mail went out or not, as upstream */
	.what = "verification",
	.skip = is_verified,
};

void pb_api_record_request_verification(struct pb_req *req)
{
	const struct pb_collection *c =
		pb_auth_collection_gated(req, PB_AUTH_GATE_NOT_SUPERUSERS, 400, PB_MSG_SUPERUSERS_VERIFIED, NULL);
	if (c)
		pb_auth_request_mail(req, c, &verification_mail);
}

/* ---- confirm ------------------------------------------------------------------------------ */

void pb_api_record_confirm_verification(struct pb_req *req)
{
	struct pb_auth_options o;
	const struct pb_collection *c =
		pb_auth_collection_gated(req, PB_AUTH_GATE_NOT_SUPERUSERS, 400, PB_MSG_SUPERUSERS_VERIFIED, &o);
	if (!c)
		return;
	char *token = NULL;
	struct pb_auth_form_field form[] = {{"token", PB_AUTH_FORM_STRING, &token, NULL}};
	struct pb_error err = PB_ERROR_INIT;
	struct pb_auth auth = {0};
	if (pb_auth_form_bind(req, form, 1, &err) != 0) {
		pb_auth_bind_failed(req, &err, true);
		goto out;
	}
	json_t *data = json_object();
	bool resolved = false;
	const char *code, *message;
	if (!pb_auth_rule_required(data, "token", token)) {
		json_t *claims = pb_jwt_parse_unverified(token);
		const char *email = json_string_value(json_object_get(claims, "email"));
		if (!email || !*email)
			pb_auth_rule_error(data, "token", PB_VCODE_INVALID_TOKEN_CLAIMS, PB_VMSG_INVALID_TOKEN_CLAIMS);
		else if (pb_auth_confirm_token(req, c, token, PB_TOKEN_VERIFICATION, &auth, &code, &message) != 0)
			pb_auth_rule_error(data, "token", code, message);
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
	pb_auth_resend_key(key, sizeof key, RESEND_PREFIX, c, id);
	if (json_is_true(json_object_get(auth.record, "verified"))) {
		pb_store_remove(&req->app->store, key);
		pb_resp_empty(req, 204);
		goto out;
	}
	struct pb_auth_change ch = {.verified = 1};
	if (!o.password_enabled) {
		/* a random password guards against pre-hijacking if password auth is enabled later */
		char pass[31];
		if (pb_random_string(pass, 30, PB_ALPHABET_ALNUM) != 0)
			abort();
		pb_auth_hash_save_and_answer(req, c, id, pass, &ch, PB_MSG_VERIFICATION_SAVE_FAILED, key);
		goto out;
	}
	pb_auth_save_and_answer(req, c, id, &ch, PB_MSG_VERIFICATION_SAVE_FAILED, key);
out:
	pb_auth_clear(&auth);
	pb_auth_form_free(form, 1);
}
