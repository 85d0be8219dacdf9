/* settings_tools — POST /api/settings/test/s3, /test/email and /apple/generate-client-secret,
 * as apis/settings.go with the forms of PocketBase v0.39.11 (forms.TestS3Filesystem,
 * forms.TestEmailSend, forms.AppleClientSecretCreate): the body is bound onto the form
 * (api/form.h; a bind failure is 400 "An error occurred while loading the submitted data."),
 * validated with the forms' ozzo rules (first failing rule per field) and submitted.
 *
 * Not available yet in pocketc, answered as PocketBase answers the failed operation:
 *  - S3: there is no S3 client, so a test of an enabled S3 config fails like a failed upload
 *    ("Failed to test the S3 filesystem. Raw error: \n…"); a disabled one fails exactly as in
 *    PocketBase ("S3 storage filesystem is not enabled");
 *  - email: there is no mailer yet, so a valid request fails like a failed send. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/form.h"
#include "api/settings.h"
#include "core/apple_secret.h"
#include "core/is.h"
#include "core/utf8.h"
#include "core/validation.h"

#define MSG_INVALID_AUTH_COLLECTION "Must be a valid auth collection id or name."

static size_t rune_count(const char *s)
{
	size_t n = 0, len = strlen(s);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		i += pb_utf8_decode(s + i, len - i, &cp);
		n++;
	}
	return n;
}

static void field_error(json_t **errs, const char *field, json_t *item)
{
	if (!*errs)
		*errs = json_object();
	json_object_set_new(*errs, field, item);
}

static json_t *required(void) { return pb_validation_item(PB_VCODE_REQUIRED, PB_VMSG_REQUIRED, NULL); }

static bool in_list(const char *v, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(v, *list))
			return true;
	return false;
}

/* Answers a form's outcome: field errors (sorted) with `message`, or nothing. Returns true
 * when answered. */
static bool answer_errors(struct pb_req *req, json_t *errs, const char *message)
{
	if (!errs)
		return false;
	json_t *sorted = pb_validation_sorted(errs);
	pb_resp_error(req, 400, message, sorted);
	json_decref(sorted);
	json_decref(errs);
	return true;
}

/* "<message> Raw error: \n<raw>" */
static void answer_raw(struct pb_req *req, const char *message, const char *raw)
{
	size_t n = strlen(message) + strlen(raw) + 16;
	char *m = malloc(n);
	if (!m)
		abort();
	snprintf(m, n, "%s Raw error: \n%s", message, raw);
	pb_resp_error(req, 400, m, NULL);
	free(m);
}

/* ---- POST /api/settings/test/s3 ------------------------------------------------------------ */

void pb_api_settings_test_s3(struct pb_req *req)
{
	static const char *const filesystems[] = {"storage", "backups", NULL};
	struct pb_form f;
	char *fs = NULL;
	if (pb_form_bind(req, &f) != 0 || pb_form_string(&f, "filesystem", &fs) != 0) {
		if (f.data)
			pb_form_free(&f);
		pb_resp_error(req, 400, PB_MSG_SETTINGS_LOAD_FAILED, NULL);
		return;
	}
	pb_form_free(&f);
	json_t *errs = NULL;
	if (!*fs)
		field_error(&errs, "filesystem", required());
	else if (!in_list(fs, filesystems))
		field_error(&errs, "filesystem", pb_validation_item(PB_VCODE_IN_INVALID, PB_VMSG_IN_INVALID, NULL));
	if (!answer_errors(req, errs, PB_MSG_TEST_S3_FAILED)) {
		const struct pb_settings_s3 *s3 = !strcmp(fs, "backups") ? &req->settings->backups.s3 : &req->settings->s3;
		if (!s3->enabled)
			answer_raw(req, PB_MSG_TEST_S3_FAILED, "S3 storage filesystem is not enabled");
		else
			answer_raw(req, PB_MSG_TEST_S3_FAILED, "failed to upload a test file: S3 storage is not supported by pocketc yet");
	}
	free(fs);
}

/* ---- POST /api/settings/test/email --------------------------------------------------------- */

void pb_api_settings_test_email(struct pb_req *req)
{
	static const char *const templates[] = {"verification", "password-reset", "email-change", "otp", "login-alert",
	                                        NULL};
	struct pb_form f;
	char *email = NULL, *tpl = NULL, *coll = NULL;
	if (pb_form_bind(req, &f) != 0) {
		pb_resp_error(req, 400, PB_MSG_SETTINGS_LOAD_FAILED, NULL);
		return;
	}
	int bad = pb_form_string(&f, "email", &email) | pb_form_string(&f, "template", &tpl) |
	          pb_form_string(&f, "collection", &coll);
	pb_form_free(&f);
	if (bad) {
		pb_resp_error(req, 400, PB_MSG_SETTINGS_LOAD_FAILED, NULL);
		goto done;
	}
	json_t *errs = NULL;
	if (*coll) {
		size_t n = rune_count(coll);
		const struct pb_collection *c = pb_schema_find(req->schema, coll);
		if (n > 255)
			field_error(&errs, "collection", pb_validation_length(1, 255));
		else if (!c || c->type != PB_COLLECTION_AUTH)
			field_error(&errs, "collection",
			            pb_validation_item("validation_invalid_auth_collection", MSG_INVALID_AUTH_COLLECTION, NULL));
	}
	if (!*email)
		field_error(&errs, "email", required());
	else if (rune_count(email) > 255)
		field_error(&errs, "email", pb_validation_length(1, 255));
	else if (!pb_is_email(email, strlen(email)))
		field_error(&errs, "email", pb_validation_item(PB_VCODE_IS_EMAIL, PB_VMSG_IS_EMAIL, NULL));
	if (!*tpl)
		field_error(&errs, "template", required());
	else if (!in_list(tpl, templates))
		field_error(&errs, "template", pb_validation_item(PB_VCODE_IN_INVALID, PB_VMSG_IN_INVALID, NULL));
	if (!answer_errors(req, errs, PB_MSG_TEST_EMAIL_FAILED))
		answer_raw(req, PB_MSG_TEST_EMAIL_FAILED, "sending emails is not supported by pocketc yet");
done:
	free(email);
	free(tpl);
	free(coll);
}

/* ---- POST /api/settings/apple/generate-client-secret --------------------------------------- */

#define APPLE_MAX_DURATION 15777000

void pb_api_settings_apple_secret(struct pb_req *req)
{
	struct pb_form f;
	char *client = NULL, *team = NULL, *key_id = NULL, *pem = NULL;
	int64_t duration = 0;
	if (pb_form_bind(req, &f) != 0) {
		pb_resp_error(req, 400, PB_MSG_SETTINGS_LOAD_FAILED, NULL);
		return;
	}
	int bad = pb_form_string(&f, "clientId", &client) | pb_form_string(&f, "teamId", &team) |
	          pb_form_string(&f, "keyId", &key_id) | pb_form_string(&f, "privateKey", &pem) |
	          pb_form_int(&f, "duration", &duration);
	pb_form_free(&f);
	if (bad) {
		pb_resp_error(req, 400, PB_MSG_SETTINGS_LOAD_FAILED, NULL);
		goto done;
	}
	json_t *errs = NULL;
	if (!*client)
		field_error(&errs, "clientId", required());
	if (!*team)
		field_error(&errs, "teamId", required());
	else if (rune_count(team) != 10)
		field_error(&errs, "teamId", pb_validation_length(10, 10));
	if (!*key_id)
		field_error(&errs, "keyId", required());
	else if (rune_count(key_id) != 10)
		field_error(&errs, "keyId", pb_validation_length(10, 10));
	if (!*pem)
		field_error(&errs, "privateKey", required());
	else if (!pb_apple_private_key_format_ok(pem))
		field_error(&errs, "privateKey", pb_validation_item(PB_VCODE_MATCH_INVALID, PB_VMSG_MATCH_INVALID, NULL));
	if (!duration)
		field_error(&errs, "duration", required());
	else if (duration < 1)
		field_error(&errs, "duration", pb_validation_min(1));
	else if (duration > APPLE_MAX_DURATION)
		field_error(&errs, "duration", pb_validation_max(APPLE_MAX_DURATION));
	if (answer_errors(req, errs, PB_MSG_APPLE_INVALID))
		goto done;
	struct pb_error err = PB_ERROR_INIT;
	char *secret = pb_apple_client_secret(client, team, key_id, pem, duration, (int64_t)time(NULL), &err);
	if (!secret) {
		answer_raw(req, PB_MSG_APPLE_FAILED, err.message);
		pb_error_clear(&err);
		goto done;
	}
	json_t *out = json_pack("{s:s}", "secret", secret);
	pb_resp_json(req, 200, out);
	json_decref(out);
	free(secret);
done:
	free(client);
	free(team);
	free(key_id);
	free(pem);
}
