/* record_auth_email_change — POST …/request-email-change and …/confirm-email-change
 * (apis/record_auth_email_change_request.go, apis/record_auth_email_change_confirm.go).
 * Both refuse `_superusers` (400 "All superusers can change their emails directly.").
 * request: an auth token of this collection is required (RequireSameCollectionContextAuth:
 * 401 / 403 "The request requires auth record from <its collection> collection."); {newEmail}
 * required, ≤255, email-shaped, not the current email (validation_not_in_invalid) and not used
 * by another record (validation_invalid_new_email); the emailChange token (claims email,
 * newEmail) is mailed to the new address — PocketBase waits for that mail, so the 204 (or 400
 * PB_MSG_EMAIL_CHANGE_REQUEST_FAILED) comes after it, from the blocking pool.
 * confirm: {token, password}: the token must carry newEmail (validation_invalid_token_payload),
 * be a valid emailChange token (validation_invalid_token) of this collection
 * (validation_token_collection_mismatch) whose newEmail is still free
 * (validation_invalid_token_email); the password (required, 1..100) must be the record's
 * (validation_invalid_password, checked with bcrypt on the pool). Then email = newEmail and
 * verified = true are saved (tokenKey renewed) → 204. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/auth_mail.h"
#include "api/messages.h"
#include "api/record_auth.h"
#include "api/record_auth_internal.h"
#include "api/record_auth_messages.h"
#include "api/worker.h"
#include "collections/auth_lookup.h"
#include "collections/auth_options.h"
#include "collections/auth_record.h"
#include "collections/auth_token.h"
#include "core/jwt.h"


/* ---- request ------------------------------------------------------------------------------- */

struct change_request {
	struct pb_worker *worker;
	struct pb_req *req;
	bool ok;
};

static void request_answer(void *arg)
{
	struct change_request *r = arg;
	if (r->ok)
		pb_resp_empty(r->req, 204);
	else
		pb_resp_error(r->req, 400, PB_MSG_EMAIL_CHANGE_REQUEST_FAILED, NULL);
	free(r);
}

static void request_mailed(struct pb_app *app, const struct pb_auth_mail *m, bool ok, void *arg)
{
	(void)app;
	(void)m;
	struct change_request *r = arg;
	r->ok = ok;
	pb_worker_post(r->worker, request_answer, r);
}

void pb_api_record_request_email_change(struct pb_req *req)
{
	if (!req->auth) {
		pb_resp_error(req, 401, PB_MSG_REQUIRES_AUTH, NULL);
		return;
	}
	const struct pb_collection *route_c = pb_schema_find(req->schema, pb_req_param(req, 0));
	if (!route_c || strcmp(route_c->id, req->auth_collection->id) != 0) {
		char msg[PB_ERROR_MSG_MAX];
		snprintf(msg, sizeof msg, PB_MSG_SAME_COLLECTION_AUTH, req->auth_collection->name);
		pb_resp_error(req, 403, msg, NULL);
		return;
	}
	const struct pb_collection *c =
		pb_auth_collection_gated(req, PB_AUTH_GATE_NOT_SUPERUSERS, 400, PB_MSG_SUPERUSERS_EMAIL, NULL);
	if (!c)
		return;
	const char *id = json_string_value(json_object_get(req->auth, "id"));
	const char *current = pb_auth_str(req->auth, "email");
	char *new_email = NULL;
	json_t *stored = NULL;
	if (pb_auth_bind_email_form(req, "newEmail", &new_email) != 0)
		return;
	json_t *data = json_object();
	if (!strcmp(new_email, current)) {
		pb_auth_rule_error(data, "newEmail", PB_VCODE_NOT_IN_INVALID, PB_VMSG_NOT_IN_INVALID);
	} else {
		json_t *other = pb_auth_find_by_email(req->stmts, c, new_email, NULL);
		if (other && strcmp(pb_auth_str(other, "id"), id ? id : "") != 0)
			pb_auth_rule_error(data, "newEmail", PB_VCODE_INVALID_NEW_EMAIL, PB_VMSG_INVALID_NEW_EMAIL);
		json_decref(other);
	}
	bool invalid = pb_auth_validation_failed(req, data);
	json_decref(data);
	if (invalid)
		goto out;
	stored = pb_auth_find_stored(req->stmts, c, id);
	json_t *claims = json_pack("{ssss}", "email", current, "newEmail", new_email);
	char *token = stored ? pb_auth_token_issue(c, id, pb_auth_str(stored, "tokenKey"), PB_TOKEN_EMAIL_CHANGE, claims,
	                                           (int64_t)time(NULL), 0)
	                     : NULL;
	json_decref(claims);
	if (!token) {
		pb_resp_error(req, 400, PB_MSG_EMAIL_CHANGE_REQUEST_FAILED, NULL);
		goto out;
	}
	struct pb_auth_mail *m = pb_auth_mail_new(PB_AUTH_MAIL_EMAIL_CHANGE, req->schema, c, req->auth, new_email);
	m->token = token;
	struct change_request *r = calloc(1, sizeof *r);
	if (!r)
		abort();
	r->worker = req->worker;
	r->req = req;
	pb_req_async(req);
	pb_auth_mail_async(req->app, m, request_mailed, r);
out:
	json_decref(stored);
	free(new_email);
}

/* ---- confirm -------------------------------------------------------------------------------- */

struct change_confirm {
	struct pb_req *req;
	const struct pb_collection *c;
	char *id, *new_email;
	json_t *data; /* the other fields' errors so far */
};

static void confirm_free(struct change_confirm *k)
{
	free(k->id);
	free(k->new_email);
	json_decref(k->data);
	free(k);
}

/* All fields checked: answer the validation errors or save. */
static void confirm_finish(struct change_confirm *k)
{
	if (pb_auth_validation_failed(k->req, k->data)) {
		confirm_free(k);
		return;
	}
	struct pb_auth_change ch = {.email = k->new_email, .verified = 1};
	pb_auth_save_and_answer(k->req, k->c, k->id, &ch, PB_MSG_EMAIL_CHANGE_CONFIRM_FAILED, NULL);
	confirm_free(k);
}

static void password_checked(void *arg, bool ok)
{
	struct change_confirm *k = arg;
	if (!ok)
		pb_auth_rule_error(k->data, "password", PB_VCODE_INVALID_PASSWORD, PB_VMSG_INVALID_PASSWORD);
	confirm_finish(k);
}

/* parseToken: returns the token's record (new ref) and *new_email, or NULL with the token error. */
static json_t *parse_token(struct pb_req *req, const struct pb_collection *c, const char *token, char **new_email,
                           const char **code, const char **message)
{
	json_t *claims = pb_jwt_parse_unverified(token ? token : "");
	const char *ne = json_string_value(json_object_get(claims, "newEmail"));
	json_t *record = NULL;
	struct pb_auth auth = {0};
	if (!ne || !*ne) {
		*code = PB_VCODE_INVALID_TOKEN_PAYLOAD;
		*message = PB_VMSG_INVALID_TOKEN_PAYLOAD;
	} else if (pb_auth_confirm_token(req, c, token, PB_TOKEN_EMAIL_CHANGE, &auth, code, message) == 0) {
		json_t *taken = pb_auth_find_by_email(req->stmts, c, ne, NULL);
		if (taken) {
			*code = PB_VCODE_INVALID_TOKEN_EMAIL;
			*message = PB_VMSG_INVALID_TOKEN_EMAIL;
			json_decref(taken);
		} else {
			record = pb_auth_find_stored(req->stmts, c, pb_auth_str(auth.record, "id"));
			*new_email = strdup(ne);
		}
	}
	pb_auth_clear(&auth);
	json_decref(claims);
	return record;
}

void pb_api_record_confirm_email_change(struct pb_req *req)
{
	const struct pb_collection *c =
		pb_auth_collection_gated(req, PB_AUTH_GATE_NOT_SUPERUSERS, 400, PB_MSG_SUPERUSERS_EMAIL, NULL);
	if (!c)
		return;
	char *token = NULL, *password = NULL;
	struct pb_auth_form_field form[] = {
		{"token", PB_AUTH_FORM_STRING, &token, NULL},
		{"password", PB_AUTH_FORM_STRING, &password, NULL},
	};
	struct pb_error err = PB_ERROR_INIT;
	json_t *record = NULL;
	char *new_email = NULL;
	if (pb_auth_form_bind(req, form, 2, &err) != 0) {
		pb_auth_bind_failed(req, &err, true);
		goto out;
	}
	json_t *data = json_object();
	const char *code = NULL, *message = NULL;
	record = parse_token(req, c, token, &new_email, &code, &message);
	if (!pb_auth_rule_required(data, "token", token) && !record)
		pb_auth_rule_error(data, "token", code, message);
	bool check_password = false;
	if (!pb_auth_rule_required(data, "password", password) && !pb_auth_rule_length(data, "password", password, 1, 100)) {
		if (!record)
			pb_auth_rule_error(data, "password", PB_VCODE_INVALID_PASSWORD, PB_VMSG_INVALID_PASSWORD);
		else
			check_password = true;
	}
	struct change_confirm *k = calloc(1, sizeof *k);
	if (!k)
		abort();
	k->req = req;
	k->c = c;
	k->data = data;
	k->id = record ? strdup(pb_auth_str(record, "id")) : NULL;
	k->new_email = new_email;
	new_email = NULL;
	if (!check_password) {
		if (!json_object_size(data) && !record) {
			/* unreachable in practice: the token rule failed without an error */
			pb_resp_error(req, 400, PB_MSG_TOKEN_INVALID, NULL);
			confirm_free(k);
			goto out;
		}
		confirm_finish(k);
		goto out;
	}
	const struct pb_field *pf = pb_collection_field(c, "password");
	pb_req_async(req);
	pb_auth_verify_async(req, password, pf ? pb_auth_str(record, pf->name) : NULL, pb_auth_password_cost(c),
	                     password_checked, k);
out:
	free(new_email);
	json_decref(record);
	pb_auth_form_free(form, 2);
}
