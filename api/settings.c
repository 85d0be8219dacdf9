/* settings — GET and PATCH /api/settings, as apis/settings.go settingsList / settingsSet:
 * the answer is the settings' API view (core/settings.h: the stored document without the
 * three secrets). PATCH decodes the body like Go's json.Decoder into the settings struct
 * (core/settings.h pb_settings_merge: a wrong type fails the whole merge), validates, then
 * saves in a writer job; once the job committed the new snapshot is published with
 * OnSettingsReload's effects (core/app.h pb_app_apply_settings) and the answer is the new
 * settings. An empty body saves the settings unchanged, as PocketBase does. */
#include "api/settings.h"

#include <stdlib.h>
#include <string.h>

#include "api/body.h"
#include "api/form.h"
#include "api/worker.h"

void pb_api_settings_list(struct pb_req *req)
{
	json_t *view = pb_settings_to_api_json(req->settings);
	pb_resp_json(req, 200, view);
	json_decref(view);
}

struct settings_save {
	struct pb_req *req;
	struct pb_settings *settings; /* owned: the new snapshot */
	const char *key;              /* borrowed: the encryption key or NULL */
	int rc;
	struct pb_error err;
};

static int save_run(struct pb_write_ctx *ctx, void *arg)
{
	struct settings_save *ss = arg;
	return pb_settings_save(ctx->db, ss->settings, ss->key, ctx->err);
}

static void respond(void *arg)
{
	struct settings_save *ss = arg;
	struct pb_req *req = ss->req;
	if (req->gone) {
		req->async = false;
		pb_resp_empty(req, 204); /* dropped: releases the exchange */
	} else if (ss->rc != 0) {
		pb_error_clear(&ss->err);
		pb_resp_error(req, 400, PB_MSG_SETTINGS_SAVE_FAILED, NULL);
	} else {
		json_t *view = pb_settings_to_api_json(ss->settings);
		pb_resp_json(req, 200, view);
		json_decref(view);
	}
	pb_settings_unref(ss->settings);
	pb_error_clear(&ss->err);
	free(ss);
}

static void save_done(void *arg, int rc, struct pb_error *err)
{
	struct settings_save *ss = arg;
	ss->rc = rc;
	if (rc != 0) {
		ss->err = *err;
		err->data = NULL;
	} else {
		/* after COMMIT: OnSettingsReload, before the answer as in PocketBase's Save */
		pb_app_apply_settings(ss->req->app, pb_settings_ref(ss->settings));
	}
	pb_worker_post(ss->req->worker, respond, ss);
}

/* The PATCH body as Go's json.Decoder gives it to the settings struct: NULL for no change. */
static int decode_patch(struct pb_req *req, json_t **out)
{
	*out = NULL;
	if (!req->body_len)
		return 0;
	const char *ct = pb_req_header(req, "Content-Type");
	if (ct && strncmp(ct, "application/json", 16) == 0) {
		json_error_t e;
		json_t *v = json_loadb((const char *)req->body, req->body_len, JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK, &e);
		if (!v)
			return -1;
		if (json_is_null(v)) {
			json_decref(v);
			return 0;
		}
		*out = v;
		return 0;
	}
	*out = pb_form_body_data(req);
	return *out ? 0 : -1;
}

void pb_api_settings_set(struct pb_req *req)
{
	json_t *patch = NULL;
	if (decode_patch(req, &patch) != 0) {
		pb_resp_error(req, 400, PB_MSG_SETTINGS_LOAD_FAILED, NULL);
		return;
	}
	struct pb_error err = PB_ERROR_INIT;
	struct pb_settings *next = pb_settings_merge(req->settings, patch, &err);
	json_decref(patch);
	if (!next) {
		pb_resp_pb_error(req, &err);
		return;
	}
	if (pb_settings_validate(next, &err) != 0) {
		pb_settings_unref(next);
		pb_resp_pb_error(req, &err);
		return;
	}
	struct settings_save *ss = calloc(1, sizeof *ss);
	if (!ss)
		abort();
	ss->req = req;
	ss->settings = next;
	ss->key = pb_settings_encryption_key(req->app->cfg->encryption_env);
	pb_req_async(req);
	pb_writer_submit(&req->app->writer, save_run, save_done, ss);
}
