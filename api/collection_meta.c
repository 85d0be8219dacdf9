/* collection_meta — GET /api/collections/meta/scaffolds, GET
 * /api/collections/meta/oauth2-providers and POST /api/collections/meta/dry-run-view of
 * apis/collection.go. The scaffolds are the three blank
 * factory collections (id and name "", index names from 10 random id characters); the dry run
 * validates {"query"} (required, at most 5000 bytes: ozzo's Length counts bytes) and runs the query as a temporary view
 * inside a writer job that is always rolled back, answering {"fields":[…],"sample":[…]}. */
#include <stdlib.h>
#include <string.h>

#include "api/collection_write.h"
#include "api/collection_write_internal.h"
#include "api/messages.h"
#include "api/worker.h"
#include "collections/gostruct.h"
#include "collections/oauth2_providers.h"
#include "collections/collection_defaults.h"
#include "collections/view_infer.h"
#include "core/random.h"
#include "core/validation.h"

#define MSG_LOAD "An error occurred while loading the submitted data."
#define MSG_VALIDATE "An error occurred while validating the submitted data."

void pb_api_collection_scaffolds(struct pb_req *req)
{
	char rnd[11];
	json_t *s = pb_random_string(rnd, 10, PB_ALPHABET_ID) == 0 ? pb_collection_scaffolds(rnd) : NULL;
	if (!s) {
		pb_resp_error(req, 500, NULL, NULL);
		return;
	}
	pb_resp_json(req, 200, s);
	json_decref(s);
}

void pb_api_collection_oauth2_providers(struct pb_req *req)
{
	json_t *list = pb_oauth2_providers_list();
	pb_resp_json(req, 200, list);
	json_decref(list);
}

struct dry_run {
	struct pb_req *req;
	struct pb_body body;
	char *query;
	json_t *fields, *sample; /* the result */
	struct pb_error err;     /* the dry run's own error */
};

static int dry_run_job(struct pb_write_ctx *w, void *arg)
{
	struct dry_run *d = arg;
	json_decref(d->fields);
	json_decref(d->sample);
	d->fields = d->sample = NULL;
	pb_error_clear(&d->err);
	struct pb_schema *schema = pb_schema_load(w->db, &d->err);
	if (schema) {
		pb_view_dry_run(w->db, schema, d->query, 10, &d->fields, &d->sample, &d->err);
		pb_schema_unref(schema);
	}
	/* nothing a dry run did may stay: always roll the job's savepoint back */
	return pb_error_set(w->err, 400, "dry run");
}

static void dry_run_free(struct dry_run *d)
{
	pb_body_free(&d->body);
	free(d->query);
	json_decref(d->fields);
	json_decref(d->sample);
	pb_error_clear(&d->err);
	free(d);
}

static void dry_run_respond(void *arg)
{
	struct dry_run *d = arg;
	struct pb_req *req = d->req;
	if (req->gone) {
		req->async = false;
		pb_resp_empty(req, 204);
	} else if (d->fields && d->sample) {
		json_t *out = json_object();
		json_object_set(out, "fields", d->fields);
		json_object_set(out, "sample", d->sample);
		pb_resp_json(req, 200, out);
		json_decref(out);
	} else {
		struct pb_error e = PB_ERROR_INIT;
		pb_error_set(&e, 400, "Invalid view query. Raw error: \n%.400s", d->err.message);
		pb_resp_pb_error(req, &e);
	}
	dry_run_free(d);
}

static void dry_run_done(void *arg, int rc, struct pb_error *err)
{
	struct dry_run *d = arg;
	(void)rc;
	if (!d->fields && !d->err.message[0] && err)
		pb_error_set(&d->err, 400, "%s", err->message); /* the writer itself failed */
	pb_worker_post(d->req->worker, dry_run_respond, d);
}

void pb_api_collection_dry_run_view(struct pb_req *req)
{
	if (!req->superuser) {
		pb_resp_error(req, 403, NULL, NULL);
		return;
	}
	struct dry_run *d = calloc(1, sizeof *d);
	if (!d)
		abort();
	d->req = req;
	struct pb_error err = PB_ERROR_INIT;
	if (pb_body_decode_method(req->method, pb_req_header(req, "Content-Type"), req->body, req->body_len,
	                          req->raw_query, &d->body, &err) != 0) {
		if (!err.message[0])
			pb_error_set(&err, 400, "%s", MSG_LOAD);
		pb_resp_pb_error(req, &err);
		dry_run_free(d);
		return;
	}
	static const struct pb_go_field form[] = {{"query", PB_GO_STRING, NULL, false}, {NULL, 0, NULL, false}};
	json_t *dst = pb_go_zero(form);
	if (pb_go_decode(form, dst, d->body.data) != 0) {
		json_decref(dst);
		pb_resp_error(req, 400, MSG_LOAD, NULL);
		dry_run_free(d);
		return;
	}
	const char *q = json_string_value(json_object_get(dst, "query"));
	json_t *item = !q || !*q ? pb_validation_item(PB_VCODE_REQUIRED, PB_VMSG_REQUIRED, NULL)
	               : strlen(q) > 5000 ? pb_validation_length(0, 5000)
	                                  : NULL;
	if (item) {
		json_t *data = json_pack("{so}", "query", item);
		pb_resp_error(req, 400, MSG_VALIDATE, data);
		json_decref(data);
		json_decref(dst);
		dry_run_free(d);
		return;
	}
	d->query = strdup(q);
	json_decref(dst);
	pb_req_async(req);
	pb_writer_submit(&req->app->writer, dry_run_job, dry_run_done, d);
}
