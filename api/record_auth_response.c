/* record_auth_response — PocketBase's RecordAuthResponse / recordAuthResponse
 * (apis/record_helpers.go) for every auth-issuing endpoint: the checks and bookkeeping run as
 * one writer job (collections/auth_finish.h); once it committed, the worker answers with
 * {"record":…,"token":…} — the record expanded (?expand=) with the newly authenticated record
 * as @request.auth, its email always shown, hidden fields only for superusers, the `fields`
 * picker applied — or the MFA challenge 401 {"mfaId":"…"} (not an error envelope), or the
 * error. A due login alert is mailed afterwards from the blocking pool. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/auth_mail.h"
#include "api/record_auth_internal.h"
#include "api/worker.h"
#include "collections/auth_lookup.h"
#include "collections/auth_options.h"
#include "collections/expand.h"
#include "collections/read_ctx.h"
#include "collections/record_export.h"

struct respond_job {
	struct pb_req *req;
	struct pb_auth_finish *f;
	struct pb_auth_pre pre; /* run == NULL: none */
	bool pre_failed;
	int rc;
	struct pb_error err;
};

void pb_auth_finish_prepare(struct pb_req *req, struct pb_auth_finish *f, const struct pb_collection *c,
                            const char *record_id)
{
	f->schema = req->schema;
	f->c = c;
	f->record_id = record_id;
	f->req = pb_req_info(req);
	f->ip_denied = pb_auth_superuser_ip_denied(pb_collection_is_superusers(c), req->real_ip);
	f->real_ip = req->real_ip;
	const char *ua = pb_req_header(req, "User-Agent");
	f->user_agent = ua ? ua : "";
}

static void job_free(struct respond_job *j)
{
	if (j->pre.free)
		j->pre.free(j->pre.arg);
	pb_auth_finish_deinit(j->f);
	free(j->f);
	pb_error_clear(&j->err);
	free(j);
}

static void answer_success(struct pb_req *req, struct pb_auth_finish *f, const struct pb_auth_pre *pre)
{
	/* the requestInfo of the response: the authenticated record replaces the requester */
	struct pb_request_info info = *pb_req_info(req);
	info.auth = f->record;
	info.auth_collection = f->c;
	info.superuser = pb_collection_is_superusers(f->c);
	struct pb_read_ctx ctx = {req->schema, req->stmts, &info, NULL};
	json_t *list = json_array();
	json_array_append(list, f->record);
	const char *expand = pb_req_query(req, "expand");
	if (expand && *expand) {
		const char *saved = info.context;
		info.context = "expand";
		pb_expand_records(&ctx, f->c, list, expand);
		info.context = saved;
	}
	pb_records_export(&ctx, f->c, list);
	json_t *body = json_object();
	if (pre->meta)
		json_object_set_new(body, "meta", pre->meta(pre->arg));
	json_object_set(body, "record", json_array_get(list, 0));
	json_object_set_new(body, "token", json_string(f->token_out));
	/* everything that needs req happens before the answer releases it */
	struct pb_app *app = req->app;
	struct pb_auth_mail *m = NULL;
	if (f->alert_due && *pb_auth_str(f->record, "email")) {
		m = pb_auth_mail_new(PB_AUTH_MAIL_LOGIN_ALERT, req->schema, f->c, f->record, pb_auth_str(f->record, "email"));
		m->alert_info = strdup(f->alert_info ? f->alert_info : "");
	}
	pb_resp_json(req, 200, body);
	json_decref(body);
	json_decref(list);
	if (m)
		pb_auth_mail_async(app, m, NULL, NULL);
}

static void respond(void *arg)
{
	struct respond_job *j = arg;
	struct pb_req *req = j->req;
	struct pb_auth_finish *f = j->f;
	if (req->gone) {
		req->async = false;
		pb_resp_empty(req, 204); /* dropped: releases the exchange */
	} else if (j->rc != 0 && j->pre_failed && j->err.status > 0 && j->err.status < 500) {
		pb_resp_error(req, j->err.status, j->err.message, j->err.data);
	} else if (j->rc != 0 && j->pre_failed) {
		/* firstApiError(err, 400 "Failed to authenticate."): internal failures of the step */
		fprintf(stderr, "auth response: %s\n", j->err.message);
		pb_resp_error(req, 400, PB_MSG_FAILED_AUTH, NULL);
	} else if (j->rc != 0) {
		/* internal errors are only logged, the client gets the default message */
		fprintf(stderr, "auth response: %s\n", j->err.message);
		pb_resp_error(req, j->err.status >= 500 ? j->err.status : 500, NULL, NULL);
	} else if (f->status == 401) {
		json_t *body = json_pack("{ss}", "mfaId", f->mfa_id_out);
		pb_resp_json(req, 401, body);
		json_decref(body);
	} else if (f->status != 200) {
		pb_resp_error(req, f->status, f->err.message, f->err.data);
	} else {
		answer_success(req, f, &j->pre);
	}
	job_free(j);
}

static int job_run(struct pb_write_ctx *ctx, void *arg)
{
	struct respond_job *j = arg;
	if (j->pre.run && j->pre.run(ctx, j->pre.arg) != 0) {
		j->pre_failed = true;
		return -1;
	}
	return pb_auth_finish_run(ctx, j->f);
}

static void job_done(void *arg, int rc, struct pb_error *err)
{
	struct respond_job *j = arg;
	j->rc = rc;
	if (j->pre.done)
		j->pre.done(j->pre.arg, rc);
	if (rc != 0) {
		j->err = *err;
		err->data = NULL; /* stolen */
	}
	pb_worker_post(j->req->worker, respond, j);
}

struct pb_auth_finish *pb_auth_finish_new(void)
{
	struct pb_auth_finish *f = malloc(sizeof *f);
	if (!f)
		abort();
	pb_auth_finish_init(f);
	return f;
}

void pb_auth_respond(struct pb_req *req, struct pb_auth_finish *f) { pb_auth_respond_with(req, f, NULL); }

void pb_auth_respond_with(struct pb_req *req, struct pb_auth_finish *f, const struct pb_auth_pre *pre)
{
	struct respond_job *j = calloc(1, sizeof *j);
	if (!j)
		abort();
	j->req = req;
	j->f = f;
	if (pre)
		j->pre = *pre;
	pb_req_async(req);
	pb_writer_submit(&req->app->writer, job_run, job_done, j);
}
