/* record_auth_with_password — POST /api/collections/{collection}/auth-with-password
 * (apis/record_auth_with_password.go): password auth must be enabled (403), the body
 * {identity, password, identityField?} is validated (identity/password required, 1..255,
 * identityField one of the identity fields), the record is looked up by the explicit identity
 * field or by each identity field in turn with `email` first (skipped when the identity is not
 * email-shaped), and the password is checked with bcrypt on the blocking pool — against another
 * record's hash when nothing was found (PocketBase's dummyPasswordCheck), so a miss takes as
 * long as a wrong password. Failure → 400 "Failed to authenticate."; success → the auth response with request
 * context "password" and MFA method "password". */
#include <stdlib.h>
#include <string.h>

#include "api/record_auth.h"
#include "api/record_auth_internal.h"
#include "api/record_auth_messages.h"
#include "collections/auth_lookup.h"
#include "collections/auth_options.h"
#include "core/is.h"
#include "core/validation.h"

struct password_login {
	struct pb_req *req;
	const struct pb_collection *c;
	json_t *record; /* stored (with secrets) or NULL */
	char *mfa_id;
};

static void login_free(struct password_login *l)
{
	json_decref(l->record);
	free(l->mfa_id);
	free(l);
}

static void verified(void *arg, bool ok)
{
	struct password_login *l = arg;
	struct pb_req *req = l->req;
	if (pb_auth_answer_if_gone(req)) {
		login_free(l);
		return;
	}
	if (!l->record || !ok) {
		pb_resp_error(req, 400, PB_MSG_FAILED_AUTH, NULL);
		login_free(l);
		return;
	}
	struct pb_auth_finish *f = pb_auth_finish_new();
	pb_auth_finish_prepare(req, f, l->c, pb_auth_finish_keep(f, pb_auth_str(l->record, "id")));
	f->method = PB_AUTH_METHOD_PASSWORD;
	f->mfa_id = pb_auth_finish_keep(f, l->mfa_id);
	login_free(l);
	pb_auth_respond(req, f);
}

void pb_api_record_auth_with_password(struct pb_req *req)
{
	struct pb_auth_options o;
	const struct pb_collection *c =
		pb_auth_collection_gated(req, PB_AUTH_GATE_PASSWORD, 403, PB_MSG_PASSWORD_AUTH_DISABLED, &o);
	if (!c)
		return;
	char *identity = NULL, *password = NULL, *identity_field = NULL;
	struct pb_auth_form_field form[] = {
		{"identity", PB_AUTH_FORM_STRING, &identity, NULL},
		{"password", PB_AUTH_FORM_STRING, &password, NULL},
		{"identityField", PB_AUTH_FORM_STRING, &identity_field, NULL},
	};
	size_t nform = sizeof form / sizeof form[0];
	struct pb_error err = PB_ERROR_INIT;
	if (pb_auth_form_bind(req, form, nform, &err) != 0) {
		pb_auth_bind_failed(req, &err, true);
		goto out;
	}
	json_t *data = json_object();
	if (!pb_auth_rule_required(data, "identity", identity))
		pb_auth_rule_length(data, "identity", identity, 1, 255);
	if (!pb_auth_rule_required(data, "password", password))
		pb_auth_rule_length(data, "password", password, 1, 255);
	if (!pb_auth_rule_length(data, "identityField", identity_field, 1, 255) && identity_field && *identity_field &&
	    !pb_auth_options_is_identity(&o, identity_field))
		pb_auth_rule_error(data, "identityField", PB_VCODE_IN_INVALID, PB_VMSG_IN_INVALID);
	bool invalid = pb_auth_validation_failed(req, data);
	json_decref(data);
	if (invalid)
		goto out;

	req->info.context = "password";
	json_t *found = NULL;
	if (identity_field && *identity_field) {
		found = pb_auth_find_by_identity(req->stmts, c, identity_field, identity, &err);
	} else {
		/* email first, then the others in their order */
		size_t n = json_array_size(o.identity_fields);
		for (int pass = 0; pass < 2 && !found; pass++) {
			for (size_t i = 0; i < n && !found; i++) {
				const char *name = json_string_value(json_array_get(o.identity_fields, i));
				if (!name || (pass == 0) != !strcmp(name, "email"))
					continue;
				if (!strcmp(name, "email") && !pb_is_email(identity, strlen(identity)))
					continue;
				pb_error_clear(&err);
				found = pb_auth_find_by_identity(req->stmts, c, name, identity, &err);
			}
		}
	}
	if (!found && err.status) {
		pb_error_clear(&err);
		pb_resp_error(req, 500, NULL, NULL);
		goto out;
	}
	struct password_login *l = calloc(1, sizeof *l);
	if (!l)
		abort();
	l->req = req;
	l->c = c;
	l->record = found;
	l->mfa_id = pb_auth_read_mfa_id(req);
	pb_req_async(req);
	const struct pb_field *pf = pb_collection_field(c, "password");
	if (found && pf)
		pb_auth_verify_async(req, password, pb_auth_str(found, pf->name), pb_auth_password_cost(c), verified, l);
	else
		pb_auth_verify_dummy_async(req, password, c, verified, l);
out:
	pb_auth_form_free(form, nform);
}
