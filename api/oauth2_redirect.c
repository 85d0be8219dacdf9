/* oauth2_redirect — GET and POST /api/oauth2-redirect (apis/record_auth_with_oauth2_redirect.go):
 * the provider sends the browser here with state + code (query, or a form POST for
 * response_mode=form_post); the state is the realtime client id of the SDK that opened the
 * popup. The data {"state","code","error"(omitted when empty)} is delivered as the `@oauth2`
 * event to that client — only when it is subscribed to `@oauth2` and, when it has an IP, opened
 * from the same IP as this request — on the client's own shard (pb_rt_direct_apply posted to
 * the owning worker), which also drops the subscription. The browser is then redirected to the
 * dashboard's success page, or its failure page for a missing state/client, an error or a
 * missing code (307 for GET, 303 for POST). Apple's first-login `user` name is kept briefly in the
 * app store for auth-with-oauth2. The success log is skipped (the URL holds the code). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/record_auth.h"
#include "api/realtime.h"
#include "api/record_auth_internal.h"
#include "api/worker.h"
#include "core/app.h"
#include "core/oauth2.h"
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

/* Apple sends the user's name only with its first redirect (the `user` form value
 * {"name":{"firstName","lastName"}}): "first last" (at most 150 bytes, trimmed) is kept for a
 * minute under PB_OAUTH2_APPLE_NAME_PREFIX + code for the auth-with-oauth2 call that follows.
 * Failures are silent, as upstream only logs them at debug level. */
static void keep_apple_name(struct pb_req *req, const char *code, const char *user)
{
	char key[1100];
	if (strlen(code) + strlen(PB_OAUTH2_APPLE_NAME_PREFIX) > 1000)
		return;
	snprintf(key, sizeof key, "%s%s", PB_OAUTH2_APPLE_NAME_PREFIX, code);
	json_t *v = json_loads(user, JSON_DECODE_ANY, NULL);
	const json_t *name = json_object_get(v, "name");
	const char *first = json_string_value(json_object_get(name, "firstName"));
	const char *last = json_string_value(json_object_get(name, "lastName"));
	if (json_is_object(v)) {
		char full[151];
		snprintf(full, sizeof full, "%s %s", first ? first : "", last ? last : "");
		char *start = full, *end = full + strlen(full);
		while (*start && isspace((unsigned char)*start))
			start++;
		while (end > start && isspace((unsigned char)end[-1]))
			*--end = '\0';
		if (*start)
			pb_store_set_value(&req->app->store, key, start, 60, (int64_t)time(NULL));
	}
	json_decref(v);
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
	if (user && *user && !(error && *error) && code && *code)
		keep_apple_name(req, code, user);
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
