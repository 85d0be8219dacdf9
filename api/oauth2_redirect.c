/* oauth2_redirect — GET and POST /api/oauth2-redirect (apis/record_auth_with_oauth2_redirect.go):
 * the provider sends the browser here with state + code (query, or a form POST for
 * response_mode=form_post); the state is the realtime client id of the SDK that opened the
 * popup. The data {"state","code","error"(omitted when empty)} is delivered as the `@oauth2`
 * event to that client — only when it is subscribed to `@oauth2` and, when it has an IP, opened
 * from the same IP as this request — on the client's own shard (pb_rt_direct_apply posted to
 * the owning worker), which also drops the subscription. The browser is then redirected to the
 * dashboard's success page, or its failure page for a missing state/client, an error or a
 * missing code (307 for GET, 303 for POST). The success log is skipped (the URL holds the code). */
#include <stdlib.h>
#include <string.h>

#include "api/record_auth.h"
#include "api/realtime.h"
#include "api/record_auth_internal.h"
#include "api/worker.h"
#include "core/json_write.h"
#include "realtime/realtime.h"

#define TOPIC "@oauth2"
#define FAILURE_PATH "../_/#/auth/oauth2-redirect-failure"
#define SUCCESS_PATH "../_/#/auth/oauth2-redirect-success"

struct redirect_job {
	struct pb_req *req;
	struct pb_worker *origin;
	struct pb_rt_shard *owner;
	char *state, *data, ip[64];
	bool ok;   /* no error and a code: the success page once delivered */
	struct pb_rt_direct d;
};

static void redirect(struct pb_req *req, bool success)
{
	int status = strcmp(req->method, "GET") && strcmp(req->method, "HEAD") ? 303 : 307;
	pb_resp_redirect(req, status, success ? SUCCESS_PATH : FAILURE_PATH);
}

static void job_free(struct redirect_job *j)
{
	free(j->state);
	free(j->data);
	free(j);
}

static void on_back(void *arg)
{
	struct redirect_job *j = arg;
	struct pb_req *req = j->req;
	if (req->gone) {
		req->async = false;
		pb_resp_empty(req, 204);
	} else {
		redirect(req, j->d.delivered && j->ok);
	}
	job_free(j);
}

static void on_owner(void *arg)
{
	struct redirect_job *j = arg;
	j->d = (struct pb_rt_direct){j->state, j->ip, TOPIC, TOPIC, j->data, strlen(j->data), true, false};
	pb_rt_direct_apply(j->owner, &j->d);
	pb_worker_post(j->origin, on_back, j);
}

void pb_api_oauth2_redirect(struct pb_req *req)
{
	char *state = NULL, *code = NULL, *error = NULL, *user = NULL;
	struct pb_auth_form_field form[] = {
	    {"state", PB_AUTH_FORM_STRING, &state, NULL},
	    {"code", PB_AUTH_FORM_STRING, &code, NULL},
	    {"error", PB_AUTH_FORM_STRING, &error, NULL},
	    {"user", PB_AUTH_FORM_STRING, &user, NULL},
	};
	size_t nform = sizeof form / sizeof form[0];
	if (!strcmp(req->method, "POST")) {
		struct pb_error err = PB_ERROR_INIT;
		if (pb_auth_form_bind(req, form, nform, &err) != 0) {
			pb_error_clear(&err);
			redirect(req, false);
			goto out;
		}
	} else {
		const char *q;
		state = strdup((q = pb_req_query(req, "state")) ? q : "");
		code = strdup((q = pb_req_query(req, "code")) ? q : "");
		error = strdup((q = pb_req_query(req, "error")) ? q : "");
	}
	struct pb_rt_shard *mine = req->worker->realtime;
	struct pb_rt_shard *owner = mine && state && *state ? pb_rt_hub_route(pb_rt_shard_hub(mine), state) : NULL;
	if (!owner) {
		redirect(req, false);
		goto out;
	}
	json_t *msg = json_object();
	json_object_set_new(msg, "state", json_string(state));
	json_object_set_new(msg, "code", json_string(pb_auth_s(code)));
	if (error && *error)
		json_object_set_new(msg, "error", json_string(error));
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_json_write(&b, msg);
	json_decref(msg);
	pb_strbuf_putc(&b, '\0');

	struct redirect_job *j = calloc(1, sizeof *j);
	if (!j)
		abort();
	j->req = req;
	j->origin = req->worker;
	j->owner = owner;
	j->state = strdup(state);
	j->data = pb_strbuf_steal(&b);
	pb_api_real_ip(req, j->ip, sizeof j->ip);
	j->ok = !(error && *error) && code && *code;
	pb_req_async(req);
	pb_worker_post(pb_rt_shard_loop(owner), on_owner, j);
out:
	pb_auth_form_free(form, nform);
}
