/* collection_write — POST/PATCH/DELETE of collections and truncate (see collection_write.h),
 * plus the job plumbing of collection_write_internal.h. As upstream, update re-reads the
 * collection inside the write (FindCollectionByNameOrId) while delete and truncate look it up in
 * the schema the request started with first (FindCachedCollectionByNameOrId → 404). */
#include "api/collection_write.h"

#include <stdlib.h>
#include <string.h>

#include "api/collection_write_internal.h"
#include "api/messages.h"
#include "api/worker.h"

struct pb_cw_job *pb_cw_job_new(struct pb_req *req)
{
	struct pb_cw_job *j = calloc(1, sizeof *j);
	if (!j)
		abort();
	j->req = req;
	pb_collection_save_init(&j->save);
	j->save.storage_dir = req->app->storage_dir;
	j->save.enc_key = pb_settings_encryption_key(req->app->cfg ? req->app->cfg->encryption_env : NULL);
	return j;
}

void pb_cw_job_free(struct pb_cw_job *j)
{
	pb_collection_save_deinit(&j->save);
	pb_body_free(&j->body);
	pb_error_clear(&j->err);
	free(j);
}

int pb_cw_decode_body(struct pb_cw_job *j, const char *message, bool keep_api_error)
{
	struct pb_req *req = j->req;
	struct pb_error err = PB_ERROR_INIT;
	if (pb_body_decode_method(req->method, pb_req_header(req, "Content-Type"), req->body, req->body_len,
	                          req->raw_query, &j->body, &err) != 0) {
		if (!err.message[0] || !keep_api_error) {
			pb_error_clear(&err);
			pb_error_set(&err, 400, "%s", message);
		}
		pb_resp_pb_error(req, &err);
		return -1;
	}
	return 0;
}

static void respond(void *arg)
{
	struct pb_cw_job *j = arg;
	struct pb_req *req = j->req;
	if (req->gone) {
		req->async = false;
		pb_resp_empty(req, 204); /* dropped: releases the exchange */
	} else if (j->rc != 0) {
		pb_resp_pb_error(req, &j->err);
	} else if (j->status == 204) {
		pb_resp_empty(req, 204);
	} else {
		pb_resp_json(req, j->status, j->save.result ? j->save.result : json_object());
	}
	pb_cw_job_free(j);
}

static void job_done(void *arg, int rc, struct pb_error *err)
{
	struct pb_cw_job *j = arg;
	j->rc = rc;
	if (rc != 0) {
		j->err = *err;
		err->data = NULL; /* stolen */
	}
	pb_collection_save_finish(&j->save, rc); /* publishes the new schema before the answer */
	pb_worker_post(j->req->worker, respond, j);
}

void pb_cw_submit(struct pb_cw_job *j, pb_write_fn run, int status)
{
	j->status = status;
	pb_req_async(j->req);
	pb_writer_submit(&j->req->app->writer, run, job_done, j);
}

/* ---- handlers ------------------------------------------------------------------------------- */

void pb_api_collection_create(struct pb_req *req)
{
	struct pb_cw_job *j = pb_cw_job_new(req);
	if (pb_cw_decode_body(j, PB_MSG_COLLECTION_TYPE_FORMAT, false) != 0) {
		pb_cw_job_free(j);
		return;
	}
	j->save.body = j->body.data;
	pb_cw_submit(j, pb_collection_create_run, 200);
}

void pb_api_collection_update(struct pb_req *req)
{
	struct pb_cw_job *j = pb_cw_job_new(req);
	/* the collection is looked up before the body is read */
	if (!pb_schema_find(req->schema, pb_req_param(req, 0))) {
		pb_resp_error(req, 404, NULL, NULL);
		pb_cw_job_free(j);
		return;
	}
	if (pb_cw_decode_body(j, PB_MSG_COLLECTION_DATA_FORMAT, false) != 0) {
		pb_cw_job_free(j);
		return;
	}
	j->save.body = j->body.data;
	j->save.target = pb_req_param(req, 0);
	pb_cw_submit(j, pb_collection_update_run, 200);
}

void pb_api_collection_delete(struct pb_req *req)
{
	if (!pb_schema_find(req->schema, pb_req_param(req, 0))) {
		pb_resp_error(req, 404, NULL, NULL);
		return;
	}
	struct pb_cw_job *j = pb_cw_job_new(req);
	j->save.target = pb_req_param(req, 0);
	pb_cw_submit(j, pb_collection_delete_run, 204);
}

void pb_api_collection_truncate(struct pb_req *req)
{
	const struct pb_collection *c = pb_schema_find(req->schema, pb_req_param(req, 0));
	if (!c) {
		pb_resp_error(req, 404, NULL, NULL);
		return;
	}
	if (c->type == PB_COLLECTION_VIEW) {
		pb_resp_error(req, 400, PB_MSG_COLLECTION_TRUNCATE_VIEW, NULL);
		return;
	}
	struct pb_cw_job *j = pb_cw_job_new(req);
	j->info = *pb_req_info(req);
	j->save.req = &j->info;
	j->save.target = pb_req_param(req, 0);
	pb_cw_submit(j, pb_collection_truncate_run, 204);
}
