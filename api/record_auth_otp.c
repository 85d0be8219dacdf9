/* record_auth_otp — POST …/request-otp and POST …/auth-with-otp (apis/record_auth_otp_request.go,
 * apis/record_auth_with_otp.go).
 * request-otp: OTP auth must be enabled (403); {email} required, ≤255, email-shaped; an unknown
 * email still gets 200 {"otpId":"<random id>"} (enumeration protection); otherwise, outside
 * --dev, a record with more than 9 unexpired OTPs gets the newest one back without a new mail;
 * else a `_otps` row is created (random digits of otp.length, bcrypt-hashed with the `_otps`
 * password cost on the blocking pool), 200 {"otpId"} is answered after the commit and the mail
 * goes out in the background — on success the row's sentTo becomes the address (if unset), on
 * failure the row is deleted.
 * auth-with-otp: 403 when disabled; {otpId (1..255), password (1..71)}; a missing OTP, one of
 * another collection, an expired one or a missing record → 400 "Invalid or expired OTP.";
 * then the always-on limiter (5 attempts per 180 s per record and client IP → 429 "Too many
 * attempts, please try again later with a new OTP."), then the bcrypt check (400 again on a
 * mismatch) and the auth response with method/context "otp" and the OTP pre-steps
 * (collections/auth_finish.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/auth_mail.h"
#include "api/record_auth.h"
#include "api/record_auth_internal.h"
#include "api/record_auth_messages.h"
#include "api/worker.h"
#include "collections/auth_lookup.h"
#include "collections/auth_options.h"
#include "collections/auth_refs.h"
#include "core/datetime.h"
#include "core/random.h"

#define OTP_MAX_ATTEMPTS 5
#define OTP_ATTEMPTS_WINDOW 180
#define OTP_REUSE_AFTER 9

static void answer_otp_id(struct pb_req *req, const char *id)
{
	json_t *body = json_pack("{ss}", "otpId", id);
	pb_resp_json(req, 200, body);
	json_decref(body);
}

/* ---- request-otp ---------------------------------------------------------------------------- */

struct otp_request {
	struct pb_req *req;
	const struct pb_collection *c;
	json_t *record;                 /* public record */
	char *password;                 /* the plain OTP */
	char hash[64];
	char id[PB_RECORD_ID_LEN + 1];
	int rc;
	struct pb_error err;
};

static void otp_request_free(struct otp_request *o)
{
	json_decref(o->record);
	free(o->password);
	pb_error_clear(&o->err);
	free(o);
}

/* writer jobs after the mail: set sentTo (if still unset) or drop the OTP */
struct otp_after {
	struct pb_schema *schema;
	char id[PB_RECORD_ID_LEN + 1];
	char *sent_to; /* NULL = delete */
};

static int otp_after_run(struct pb_write_ctx *w, void *arg)
{
	struct otp_after *a = arg;
	if (!a->sent_to)
		return pb_auth_ref_delete(w, PB_OTPS, a->id);
	json_t *row = pb_auth_ref_find(w->stmts, a->schema, PB_OTPS, a->id);
	int rc = 0;
	if (row && !*pb_auth_str(row, "sentTo"))
		rc = pb_auth_ref_touch(w, a->schema, PB_OTPS, a->id, "sentTo", a->sent_to, pb_now_ms());
	json_decref(row);
	return rc;
}

static void otp_after_done(void *arg, int rc, struct pb_error *err)
{
	struct otp_after *a = arg;
	if (rc != 0)
		fprintf(stderr, "Failed to update OTP %s after its email: %s\n", a->id, err->message);
	pb_schema_unref(a->schema);
	free(a->sent_to);
	free(a);
}

static void otp_mail_after(struct pb_app *app, const struct pb_auth_mail *m, bool ok, void *arg)
{
	(void)arg;
	struct otp_after *a = calloc(1, sizeof *a);
	if (!a)
		abort();
	a->schema = pb_schema_ref(m->schema);
	snprintf(a->id, sizeof a->id, "%s", m->otp_id);
	a->sent_to = ok && *m->to ? strdup(m->to) : NULL;
	pb_writer_submit(&app->writer, otp_after_run, otp_after_done, a);
}

/* Answers (any answer releases a gone exchange too), then mails the new OTP. */
static void otp_created(void *arg)
{
	struct otp_request *o = arg;
	struct pb_req *req = o->req;
	if (o->rc != 0) {
		fprintf(stderr, "request-otp: %s\n", o->err.message);
		pb_resp_error(req, 500, NULL, NULL);
		otp_request_free(o);
		return;
	}
	struct pb_app *app = req->app;
	struct pb_auth_mail *m =
		pb_auth_mail_new(PB_AUTH_MAIL_OTP, req->schema, o->c, o->record, pb_auth_str(o->record, "email"));
	m->otp = strdup(o->password);
	m->otp_id = strdup(o->id);
	answer_otp_id(req, o->id);
	pb_auth_mail_async(app, m, otp_mail_after, NULL);
	otp_request_free(o);
}

static int otp_insert_run(struct pb_write_ctx *w, void *arg)
{
	struct otp_request *o = arg;
	json_t *v = json_pack("{ssssss}", "collectionRef", o->c->id, "recordRef", pb_auth_str(o->record, "id"), "password",
	                      o->hash);
	int rc = pb_auth_ref_insert(w, o->req->schema, PB_OTPS, v, pb_now_ms(), o->id);
	json_decref(v);
	return rc;
}

static void otp_insert_done(void *arg, int rc, struct pb_error *err)
{
	struct otp_request *o = arg;
	o->rc = rc;
	if (rc != 0) {
		o->err = *err;
		err->data = NULL;
	}
	pb_worker_post(o->req->worker, otp_created, o);
}

static void otp_hashed(void *arg, const char *hash)
{
	struct otp_request *o = arg;
	if (!hash) {
		o->rc = -1;
		pb_error_set(&o->err, 500, "failed to hash the OTP");
		otp_created(o);
		return;
	}
	snprintf(o->hash, sizeof o->hash, "%s", hash);
	pb_writer_submit(&o->req->app->writer, otp_insert_run, otp_insert_done, o);
}

/* The newest OTP when the record already has more than 9 unexpired ones (NULL otherwise). */
static char *reusable_otp(struct pb_req *req, const struct pb_collection *c, const char *record_id, long long duration)
{
	json_t *otps = pb_auth_ref_list(req->stmts, req->schema, PB_OTPS, c->id, record_id);
	int64_t now = pb_now_ms();
	int recent = 0;
	char *id = NULL;
	size_t i;
	json_t *row;
	json_array_foreach(otps, i, row)
	{
		if (!pb_auth_ref_expired(row, duration, now))
			recent++;
		if (recent > OTP_REUSE_AFTER) {
			id = strdup(pb_auth_str(json_array_get(otps, 0), "id"));
			fprintf(stderr, "Too many OTP requests - reusing the last issued (recordId %s)\n", record_id);
			break;
		}
	}
	json_decref(otps);
	return id;
}

void pb_api_record_request_otp(struct pb_req *req)
{
	struct pb_auth_options opts;
	const struct pb_collection *c = pb_auth_collection_gated(req, PB_AUTH_GATE_OTP, 403, PB_MSG_OTP_DISABLED, &opts);
	if (!c)
		return;
	char *email = NULL;
	if (pb_auth_bind_email_form(req, "email", &email) != 0)
		return;
	struct pb_error err = PB_ERROR_INIT;
	json_t *stored = pb_auth_find_by_email(req->stmts, c, email, &err);
	if (!stored && err.status) {
		pb_error_clear(&err);
		pb_resp_error(req, 500, NULL, NULL);
		goto out;
	}
	if (!stored) {
		char fake[PB_RECORD_ID_LEN + 1];
		pb_random_id(fake);
		answer_otp_id(req, fake);
		fprintf(stderr, "missing or invalid %s OTP auth record with email %s\n", c->name, email);
		goto out;
	}
	if (!req->app->cfg->dev) {
		char *reuse = reusable_otp(req, c, pb_auth_str(stored, "id"), opts.otp_duration);
		if (reuse) {
			answer_otp_id(req, reuse);
			free(reuse);
			goto out;
		}
	}
	struct otp_request *o = calloc(1, sizeof *o);
	if (!o)
		abort();
	o->req = req;
	o->c = c;
	o->record = pb_auth_record_public(c, stored);
	int len = opts.otp_length > 0 ? opts.otp_length : 0;
	o->password = malloc((size_t)len + 1);
	if (!o->password || pb_random_string(o->password, (size_t)len, "1234567890") != 0) {
		otp_request_free(o);
		pb_resp_error(req, 500, NULL, NULL);
		goto out;
	}
	const struct pb_collection *otps = pb_schema_find(req->schema, PB_OTPS);
	pb_req_async(req);
	pb_auth_hash_async(req, o->password, otps ? pb_auth_password_cost(otps) : 8, otp_hashed, o);
out:
	json_decref(stored);
	free(email);
}

/* ---- auth-with-otp -------------------------------------------------------------------------- */

struct otp_login {
	struct pb_req *req;
	const struct pb_collection *c;
	json_t *otp;     /* the _otps row */
	json_t *record;  /* stored auth record */
	char *mfa_id;
	bool wants_random_password;
};

static void otp_login_free(struct otp_login *l)
{
	json_decref(l->otp);
	json_decref(l->record);
	free(l->mfa_id);
	free(l);
}

static void otp_login_finish(struct otp_login *l, const char *random_hash)
{
	struct pb_req *req = l->req;
	struct pb_auth_finish *f = pb_auth_finish_new();
	pb_auth_finish_prepare(req, f, l->c, pb_auth_finish_keep(f, pb_auth_str(l->record, "id")));
	f->method = PB_AUTH_METHOD_OTP;
	f->mfa_id = pb_auth_finish_keep(f, l->mfa_id);
	f->otp_id = pb_auth_finish_keep(f, pb_auth_str(l->otp, "id"));
	f->otp_sent_to = pb_auth_finish_keep(f, pb_auth_str(l->otp, "sentTo"));
	if (random_hash)
		f->random_password_hash = pb_auth_finish_keep(f, random_hash);
	otp_login_free(l);
	pb_auth_respond(req, f);
}

static void random_hashed(void *arg, const char *hash)
{
	struct otp_login *l = arg;
	if (pb_auth_answer_if_gone(l->req)) {
		otp_login_free(l);
		return;
	}
	otp_login_finish(l, hash);
}

static void otp_verified(void *arg, bool ok)
{
	struct otp_login *l = arg;
	struct pb_req *req = l->req;
	if (pb_auth_answer_if_gone(req)) {
		otp_login_free(l);
		return;
	}
	if (!ok) {
		pb_resp_error(req, 400, PB_MSG_OTP_INVALID, NULL);
		otp_login_free(l);
		return;
	}
	if (l->wants_random_password) {
		/* SetRandomPassword for the verified upgrade without MFA, hashed off the loop */
		char pass[31];
		if (pb_random_string(pass, 30, PB_ALPHABET_ALNUM) == 0) {
			pb_auth_hash_async(req, pass, pb_auth_password_cost(l->c), random_hashed, l);
			return;
		}
	}
	otp_login_finish(l, NULL);
}

void pb_api_record_auth_with_otp(struct pb_req *req)
{
	struct pb_auth_options opts;
	const struct pb_collection *c = pb_auth_collection_gated(req, PB_AUTH_GATE_OTP, 403, PB_MSG_OTP_DISABLED, &opts);
	if (!c)
		return;
	char *otp_id = NULL, *password = NULL;
	struct pb_auth_form_field form[] = {
		{"otpId", PB_AUTH_FORM_STRING, &otp_id, NULL},
		{"password", PB_AUTH_FORM_STRING, &password, NULL},
	};
	struct pb_error err = PB_ERROR_INIT;
	json_t *otp = NULL, *record = NULL;
	if (pb_auth_form_bind(req, form, 2, &err) != 0) {
		pb_auth_bind_failed(req, &err, true);
		goto out;
	}
	json_t *data = json_object();
	if (!pb_auth_rule_required(data, "otpId", otp_id))
		pb_auth_rule_length(data, "otpId", otp_id, 1, 255);
	if (!pb_auth_rule_required(data, "password", password))
		pb_auth_rule_length(data, "password", password, 1, 71);
	bool invalid = pb_auth_validation_failed(req, data);
	json_decref(data);
	if (invalid)
		goto out;
	req->info.context = "otp";

	otp = pb_auth_ref_find(req->stmts, req->schema, PB_OTPS, otp_id);
	if (!otp || strcmp(pb_auth_str(otp, "collectionRef"), c->id) != 0 ||
	    pb_auth_ref_expired(otp, opts.otp_duration, pb_now_ms())) {
		pb_resp_error(req, 400, PB_MSG_OTP_INVALID, NULL);
		goto out;
	}
	record = pb_auth_find_stored(req->stmts, c, pb_auth_str(otp, "recordRef"));
	if (!record) {
		pb_resp_error(req, 400, PB_MSG_OTP_INVALID, NULL);
		goto out;
	}
	/* OTPs are short digit strings: an extra always-on limit per record and client */
	char key[PB_RECORD_ID_LEN * 4 + 128];
	snprintf(key, sizeof key, "@pb_otp_%s\x1f%s", pb_auth_str(record, "id"), req->real_ip);
	if (!pb_store_consume(&req->app->store, key, OTP_MAX_ATTEMPTS, OTP_ATTEMPTS_WINDOW, pb_now_ms() / 1000)) {
		pb_resp_error(req, 429, PB_MSG_OTP_TOO_MANY, NULL);
		goto out;
	}
	struct otp_login *l = calloc(1, sizeof *l);
	if (!l)
		abort();
	l->req = req;
	l->c = c;
	l->otp = otp;
	l->record = record;
	otp = record = NULL;
	l->mfa_id = pb_auth_read_mfa_id(req);
	const char *sent_to = pb_auth_str(l->otp, "sentTo");
	l->wants_random_password = !json_is_true(json_object_get(l->record, "verified")) && *sent_to &&
	                           !strcmp(pb_auth_str(l->record, "email"), sent_to) && !opts.mfa_enabled;
	const struct pb_collection *otps = pb_schema_find(req->schema, PB_OTPS);
	const struct pb_field *pf = otps ? pb_collection_field(otps, "password") : NULL;
	pb_req_async(req);
	pb_auth_verify_async(req, password, pf ? pb_auth_str(l->otp, pf->name) : NULL,
	                     otps ? pb_auth_password_cost(otps) : 8, otp_verified, l);
out:
	json_decref(otp);
	json_decref(record);
	pb_auth_form_free(form, 2);
}
