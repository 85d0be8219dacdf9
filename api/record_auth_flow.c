/* record_auth_flow — the steps the request-X / confirm-X record auth endpoints have in common
 * (record_auth_internal.h): the collection gate every handler starts with (auth collection,
 * then "password auth enabled", "OTP enabled" or "not _superusers"), the one-field email form
 * of request-verification / request-password-reset / request-otp / request-email-change, the
 * 2-minute resend markers, the token check of the confirm-X forms, and the whole
 * "look the email up, mail a token, always 204" body of request-verification and
 * request-password-reset (apis/record_auth_verification_request.go,
 * apis/record_auth_password_reset_request.go). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/auth_mail.h"
#include "api/record_auth_internal.h"
#include "collections/auth_lookup.h"
#include "collections/auth_record.h"
#include "collections/auth_token.h"
#include "core/validation.h"

#define RESEND_TTL 120

const struct pb_collection *pb_auth_collection_gated(struct pb_req *req, enum pb_auth_gate gate, int status,
                                                     const char *message, struct pb_auth_options *o)
{
	const struct pb_collection *c = pb_auth_collection_ctx(req);
	if (!c)
		return NULL;
	struct pb_auth_options local;
	if (!o)
		o = &local;
	pb_auth_options_get(c, o);
	bool pass = true;
	switch (gate) {
	case PB_AUTH_GATE_PASSWORD: pass = o->password_enabled; break;
	case PB_AUTH_GATE_OTP: pass = o->otp_enabled; break;
	case PB_AUTH_GATE_NOT_SUPERUSERS: pass = !pb_collection_is_superusers(c); break;
	}
	if (!pass) {
		pb_resp_error(req, status, message, NULL);
		return NULL;
	}
	return c;
}

bool pb_auth_rule_email_value(json_t *data, const char *field, const char *v)
{
	return pb_auth_rule_required(data, field, v) || pb_auth_rule_length(data, field, v, 1, 255) ||
	       pb_auth_rule_email(data, field, v);
}

int pb_auth_bind_email_form(struct pb_req *req, const char *field, char **email)
{
	*email = NULL;
	struct pb_auth_form_field form[] = {{field, PB_AUTH_FORM_STRING, email, NULL}};
	struct pb_error err = PB_ERROR_INIT;
	if (pb_auth_form_bind(req, form, 1, &err) != 0) {
		pb_auth_bind_failed(req, &err, true);
		pb_auth_form_free(form, 1);
		return -1;
	}
	json_t *data = json_object();
	pb_auth_rule_email_value(data, field, *email);
	bool invalid = pb_auth_validation_failed(req, data);
	json_decref(data);
	if (invalid) {
		pb_auth_form_free(form, 1);
		return -1;
	}
	return 0;
}

void pb_auth_resend_key(char *out, size_t cap, const char *prefix, const struct pb_collection *c, const char *id)
{
	snprintf(out, cap, "%s%s%s", prefix, c->id, id);
}

int pb_auth_confirm_token(struct pb_req *req, const struct pb_collection *c, const char *token, const char *type,
                          struct pb_auth *auth, const char **code, const char **message)
{
	if (pb_auth_token_resolve(req->schema, req->stmts, token, type, (int64_t)time(NULL), auth) != 0) {
		*code = PB_VCODE_INVALID_TOKEN;
		*message = PB_VMSG_INVALID_TOKEN;
		return -1;
	}
	if (strcmp(auth->collection->id, c->id) != 0) {
		*code = PB_VCODE_TOKEN_COLLECTION_MISMATCH;
		*message = PB_VMSG_TOKEN_COLLECTION_MISMATCH;
		return -1;
	}
	return 0;
}

/* ---- request-verification / request-password-reset ---------------------------------------- */

/* After the mail (on the pool thread): the resend marker, when the spec wants it. */
static void mark_sent(struct pb_app *app, const struct pb_auth_mail *m, bool ok, void *arg)
{
	const struct pb_auth_mail_request *spec = arg;
	if (!ok && !spec->mark_failed)
		return;
	char key[512];
	pb_auth_resend_key(key, sizeof key, spec->resend_prefix, m->c, pb_auth_str(m->record, "id"));
	pb_store_set(&app->store, key, RESEND_TTL, (int64_t)time(NULL));
}

void pb_auth_request_mail(struct pb_req *req, const struct pb_collection *c, const struct pb_auth_mail_request *spec)
{
	char *email = NULL;
	if (pb_auth_bind_email_form(req, "email", &email) != 0)
		return;
	struct pb_error err = PB_ERROR_INIT;
	json_t *stored = pb_auth_find_by_email(req->stmts, c, email, &err);
	pb_error_clear(&err);
	free(email);
	if (!stored) { /* 204 as a basic measure against email enumeration */
		pb_resp_empty(req, 204);
		return;
	}
	char key[512];
	pb_auth_resend_key(key, sizeof key, spec->resend_prefix, c, pb_auth_str(stored, "id"));
	if (pb_store_has(&req->app->store, key, (int64_t)time(NULL)) || (spec->skip && spec->skip(c, stored))) {
		pb_resp_empty(req, 204);
		json_decref(stored);
		return;
	}
	json_t *claims = json_pack("{ss}", "email", pb_auth_str(stored, "email"));
	char *token = pb_auth_token_issue(c, pb_auth_str(stored, "id"), pb_auth_str(stored, "tokenKey"),
	                                  spec->token_type, claims, (int64_t)time(NULL), 0);
	json_decref(claims);
	if (token) {
		json_t *pub = pb_auth_record_public(c, stored);
		struct pb_auth_mail *m = pb_auth_mail_new(spec->mail, req->schema, c, pub, pb_auth_str(stored, "email"));
		json_decref(pub);
		m->token = token;
		pb_auth_mail_async(req->app, m, mark_sent, (void *)spec);
	} else {
		fprintf(stderr, "Failed to send %s email: cannot create the token\n", spec->what);
	}
	pb_resp_empty(req, 204);
	json_decref(stored);
}

/* ---- a client gone while the request waited ---------------------------------------------- */

bool pb_auth_answer_if_gone(struct pb_req *req)
{
	if (!req->gone)
		return false;
	req->async = false;
	pb_resp_empty(req, 204);
	return true;
}
