/* settings_tools — POST /api/settings/test/s3, /test/email and /apple/generate-client-secret,
 * as apis/settings.go with the forms of PocketBase v0.39.11 (forms.TestS3Filesystem,
 * forms.TestEmailSend, forms.AppleClientSecretCreate): the body is bound onto the form
 * (api/form.h; a bind failure is 400 "An error occurred while loading the submitted data."),
 * validated with the forms' ozzo rules (first failing rule per field) and submitted. The S3
 * round trip (core/s3.h) and the mail send (core/mailer.h) block, so they run on the blocking
 * pool and the answer is given back on the worker loop; a failure is 400 "<message> Raw
 * error: \n<error>" without field data, as PocketBase answers it. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/form.h"
#include "api/settings.h"
#include "api/worker.h"
#include "collections/auth_token.h"
#include "collections/record_mail.h"
#include "core/apple_secret.h"
#include "core/datetime.h"
#include "core/is.h"
#include "core/mailer.h"
#include "core/random.h"
#include "core/s3.h"
#include "core/validation.h"

#define MSG_INVALID_AUTH_COLLECTION "Must be a valid auth collection id or name."

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

/* ---- blocking work on the pool ------------------------------------------------------------ */

/* One S3 test or test e-mail; everything borrowed from the parked exchange (its settings and
 * schema snapshots stay alive until it is answered). */
struct tool_job {
	struct pb_req *req;
	const char *message;                 /* the failure message of the endpoint */
	const struct pb_settings_s3 *s3;     /* S3 test */
	const struct pb_collection *c;       /* e-mail test: the collection, */
	char *email, *template_name;         /* owned: the form values */
	int rc;
	struct pb_error err;
};

static void tool_answer(void *arg)
{
	struct tool_job *j = arg;
	struct pb_req *req = j->req;
	req->async = false;
	if (req->gone)
		pb_resp_empty(req, 204); /* dropped: releases the exchange */
	else if (j->rc != 0)
		answer_raw(req, j->message, j->err.message);
	else
		pb_resp_empty(req, 204);
	pb_error_clear(&j->err);
	free(j->email);
	free(j->template_name);
	free(j);
}

static void run_on_pool(struct pb_req *req, struct tool_job *j, void (*task)(void *))
{
	j->req = req;
	pb_req_async(req);
	pb_pool_submit(&req->app->pool, task, j);
}

/* ---- POST /api/settings/test/s3 ------------------------------------------------------------ */

static void s3_task(void *arg)
{
	struct tool_job *j = arg;
	j->rc = pb_s3_test(j->s3, &j->err);
	pb_worker_post(j->req->worker, tool_answer, j);
}

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
		struct tool_job *j = calloc(1, sizeof *j);
		if (!j)
			abort();
		j->message = PB_MSG_TEST_S3_FAILED;
		j->s3 = !strcmp(fs, "backups") ? &req->settings->backups.s3 : &req->settings->s3;
		run_on_pool(req, j, s3_task);
	}
	free(fs);
}

/* ---- POST /api/settings/test/email --------------------------------------------------------- */

#define TOKEN_KEY_LEN 50 /* RefreshTokenKey: security.RandomString(50) */

/* forms.TestEmailSend.Submit after validation: the stand-in record of the collection with a
 * fresh tokenKey, the flow's token or values, the template rendered and the mail sent as the
 * mails package sends it (from settings.meta's sender, to the record's email or, for an email
 * change, to the new address). */
static int send_test_email(struct tool_job *j)
{
	const struct pb_settings *s = j->req->settings;
	const struct pb_collection *c = j->c;
	int rc = -1;
	char token_key[TOKEN_KEY_LEN + 1], *token = NULL, *subject = NULL, *html = NULL;
	char alert[PB_DATETIME_LEN + 64];
	json_t *record = pb_record_mail_test_record(c, j->email), *extra = NULL;
	const char *id = json_string_value(json_object_get(record, "id"));
	struct pb_record_mail_vars v = {.app_name = s->meta.app_name, .app_url = s->meta.app_url};
	enum pb_mail_template_kind kind;
	const char *token_type = NULL;
	if (pb_random_string(token_key, TOKEN_KEY_LEN, PB_ALPHABET_ALNUM) != 0) {
		pb_error_set(&j->err, 400, "failed to generate a token key");
		goto done;
	}
	if (!strcmp(j->template_name, "verification")) {
		kind = PB_MAIL_TEMPLATE_VERIFICATION;
		token_type = PB_TOKEN_VERIFICATION;
		extra = json_pack("{s:s}", "email", j->email);
	} else if (!strcmp(j->template_name, "password-reset")) {
		kind = PB_MAIL_TEMPLATE_RESET_PASSWORD;
		token_type = PB_TOKEN_PASSWORD_RESET;
		extra = json_pack("{s:s}", "email", j->email);
	} else if (!strcmp(j->template_name, "email-change")) {
		kind = PB_MAIL_TEMPLATE_CONFIRM_EMAIL_CHANGE;
		token_type = PB_TOKEN_EMAIL_CHANGE;
		extra = json_pack("{s:s, s:s}", "email", j->email, "newEmail", j->email);
	} else if (!strcmp(j->template_name, "otp")) {
		kind = PB_MAIL_TEMPLATE_OTP;
		v.otp_id = "_PB_TEST_OTP_ID_";
		v.otp = "123456";
	} else {
		kind = PB_MAIL_TEMPLATE_AUTH_ALERT;
		char now[PB_DATETIME_LEN + 1];
		pb_datetime_format(pb_now_ms(), now);
		snprintf(alert, sizeof alert, "%s - TEST_IP TEST_USER_AGENT", now);
		v.alert_info = alert;
	}
	if (token_type) {
		token = pb_auth_token_issue(c, id ? id : "", token_key, token_type, extra, (int64_t)(pb_now_ms() / 1000), 0);
		if (!token) {
			pb_error_set(&j->err, 400, "failed to generate the %s token", token_type);
			goto done;
		}
		v.token = token;
	}
	if (pb_record_mail_render(c, record, kind, &v, &subject, &html, &j->err) != 0)
		goto done;
	const char *to[] = {j->email};
	struct pb_mail m = {.from_name = s->meta.sender_name, .from_address = s->meta.sender_address, .to = to,
	                    .nto = 1, .subject = subject, .html = html};
	struct pb_smtp_config cfg;
	pb_mail_settings_read(pb_settings_json(s), &cfg, NULL, NULL);
	rc = pb_mail_send(&cfg, &m, &j->err);
done:
	json_decref(record);
	json_decref(extra);
	free(token);
	free(subject);
	free(html);
	return rc;
}

static void email_task(void *arg)
{
	struct tool_job *j = arg;
	j->rc = send_test_email(j);
	pb_worker_post(j->req->worker, tool_answer, j);
}

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
		size_t n = strlen(coll);
		const struct pb_collection *c = pb_schema_find(req->schema, coll);
		if (n > 255)
			field_error(&errs, "collection", pb_validation_length(1, 255));
		else if (!c || c->type != PB_COLLECTION_AUTH)
			field_error(&errs, "collection",
			            pb_validation_item("validation_invalid_auth_collection", MSG_INVALID_AUTH_COLLECTION, NULL));
	}
	if (!*email)
		field_error(&errs, "email", required());
	else if (strlen(email) > 255)
		field_error(&errs, "email", pb_validation_length(1, 255));
	else if (!pb_is_email(email, strlen(email)))
		field_error(&errs, "email", pb_validation_item(PB_VCODE_IS_EMAIL, PB_VMSG_IS_EMAIL, NULL));
	if (!*tpl)
		field_error(&errs, "template", required());
	else if (!in_list(tpl, templates))
		field_error(&errs, "template", pb_validation_item(PB_VCODE_IN_INVALID, PB_VMSG_IN_INVALID, NULL));
	if (answer_errors(req, errs, PB_MSG_TEST_EMAIL_FAILED))
		goto done;
	const struct pb_collection *c = pb_schema_find(req->schema, *coll ? coll : "_superusers");
	if (!c) {
		answer_raw(req, PB_MSG_TEST_EMAIL_FAILED, "sql: no rows in result set");
		goto done;
	}
	struct tool_job *j = calloc(1, sizeof *j);
	if (!j)
		abort();
	j->message = PB_MSG_TEST_EMAIL_FAILED;
	j->c = c;
	j->email = email;
	j->template_name = tpl;
	email = tpl = NULL;
	run_on_pool(req, j, email_task);
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
	else if (strlen(team) != 10)
		field_error(&errs, "teamId", pb_validation_length(10, 10));
	if (!*key_id)
		field_error(&errs, "keyId", required());
	else if (strlen(key_id) != 10)
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
