/* batch — POST /api/batch, as PocketBase's apis/batch.go: up to settings.batch.maxRequests
 * record create/update/upsert/delete sub-requests run in ONE transaction (a single writer
 * job), each with the caller's auth, its own URL query (@request.query, expand, fields), its
 * headers over the caller's, request context "batch", a JSON body taken as is (PocketBase
 * re-encodes it as @jsonPayload, so no value inference) and files sent as `requests.N.field`
 * or `requests[N].field`. The first failing sub-request rolls everything back and answers 400
 * "Batch transaction failed." with {"requests":{"N":{"code":"batch_request_failed",
 * "message":"Batch request failed.","response":<its error>}}}; otherwise the answer is the
 * array of {"body","status"} results in request order. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/batch.h"
#include "api/body.h"
#include "api/worker.h"
#include "collections/fields_pick.h"
#include "collections/record_enrich.h"
#include "collections/record_find.h"
#include "collections/record_save.h"
#include "core/json_write.h"
#include "core/mime.h"
#include "core/settings.h"

#define DEFAULT_BATCH_BODY_LIMIT (128ll << 20)

struct batch_item {
	struct pb_record_save save;
	enum pb_record_op op;
	pb_write_fn run;
	char *collection, *id, *raw_query; /* owned */
	json_t *body;                      /* owned: the sub-request body object */
	json_t *query;                     /* owned: @request.query of the sub-request */
	json_t *headers;                   /* owned: @request.headers of the sub-request */
	struct pb_request_info info;
	struct pb_save_upload *uploads;    /* owned array (bytes borrowed from the request body) */
	struct pb_mime *mimes;             /* owned array */
	size_t nuploads;
};

struct batch_job {
	struct pb_req *req;
	struct pb_body body;
	struct batch_item *items;
	size_t n;
	json_t *results; /* owned: the answer on success */
	int rc;
	struct pb_error err;
};

static void job_free(struct batch_job *j)
{
	for (size_t i = 0; i < j->n; i++) {
		struct batch_item *it = &j->items[i];
		pb_record_save_deinit(&it->save);
		free(it->collection);
		free(it->id);
		free(it->raw_query);
		json_decref(it->body);
		json_decref(it->query);
		json_decref(it->headers);
		free(it->uploads);
		free(it->mimes);
	}
	free(j->items);
	pb_body_free(&j->body);
	json_decref(j->results);
	pb_error_clear(&j->err);
	free(j);
}

bool pb_api_batch_before_body(struct pb_req *req)
{
	const struct pb_settings *s = req->settings; /* the request's snapshot */
	req->body_limit = s->batch.max_body_size > 0 ? s->batch.max_body_size : DEFAULT_BATCH_BODY_LIMIT;
	return true;
}

/* ---- parsing the sub-requests -------------------------------------------------------------- */

/* "/api/collections/{c}/records[/{id}][?query]" → parts (segments: no '/' or '?'). Returns 0
 * when the URL has that shape. */
static int split_url(const char *url, bool with_id, char **coll, char **id, char **query)
{
	static const char prefix[] = "/api/collections/";
	if (strncmp(url, prefix, sizeof prefix - 1) != 0)
		return -1;
	const char *p = url + sizeof prefix - 1;
	size_t cl = strcspn(p, "/?");
	if (!cl || strncmp(p + cl, "/records", 8) != 0)
		return -1;
	const char *rest = p + cl + 8;
	const char *q = NULL;
	size_t il = 0;
	if (with_id) {
		if (*rest != '/')
			return -1;
		il = strcspn(rest + 1, "/?");
		if (!il || (rest[1 + il] && rest[1 + il] != '?'))
			return -1;
		q = rest[1 + il] == '?' ? rest + 2 + il : NULL;
		*id = strndup(rest + 1, il);
	} else {
		if (*rest && *rest != '?')
			return -1;
		q = *rest == '?' ? rest + 1 : NULL;
	}
	*coll = strndup(p, cl);
	*query = q ? strdup(q) : NULL;
	return 0;
}

static json_t *query_object(const char *q)
{
	json_t *o = json_object();
	while (q && *q) {
		const char *amp = strchr(q, '&');
		size_t len = amp ? (size_t)(amp - q) : strlen(q);
		const char *eq = memchr(q, '=', len);
		size_t nlen = eq ? (size_t)(eq - q) : len;
		char *k = pb_url_decode(q, nlen, true);
		char *v = eq ? pb_url_decode(eq + 1, len - nlen - 1, true) : strdup("");
		if (k && v && len && !memchr(q, ';', len) && !json_object_get(o, k))
			json_object_set_new_nocheck(o, k, json_string_nocheck(v));
		free(k);
		free(v);
		if (!amp)
			break;
		q = amp + 1;
	}
	return o;
}

static int parse_item(struct pb_req *req, struct batch_job *j, size_t i, const json_t *raw, struct pb_error *ierr)
{
	struct batch_item *it = &j->items[i];
	pb_record_save_init(&it->save);
	char method[16] = "";
	const char *m = json_string_value(json_object_get(raw, "method"));
	for (size_t k = 0; m && m[k] && k < sizeof method - 1; k++)
		method[k] = (char)toupper((unsigned char)m[k]), method[k + 1] = '\0';
	const char *url = json_string_value(json_object_get(raw, "url"));
	if (!url)
		url = "";
	json_t *body = json_object_get(raw, "body");
	it->body = json_is_object(body) ? json_deep_copy(body) : json_object();
	int ok = -1;
	if (!strcmp(method, "POST") && (ok = split_url(url, false, &it->collection, &it->id, &it->raw_query)) == 0) {
		it->op = PB_RECORD_CREATE;
	} else if (!strcmp(method, "PUT") &&
	           (ok = split_url(url, false, &it->collection, &it->id, &it->raw_query)) == 0) {
		/* upsert: an existing id updates, anything else creates */
		const char *bid = json_string_value(json_object_get(it->body, "id"));
		const struct pb_collection *c = pb_schema_find(req->schema, it->collection);
		json_t *found = NULL;
		struct pb_record_export x = {0};
		if (bid && *bid && c)
			found = pb_record_find_by_id_cached(req->stmts, c, bid, &x, NULL);
		it->op = found ? PB_RECORD_UPDATE : PB_RECORD_CREATE;
		if (found)
			it->id = strdup(bid);
		json_decref(found);
	} else if (!strcmp(method, "PATCH") &&
	           (ok = split_url(url, true, &it->collection, &it->id, &it->raw_query)) == 0) {
		it->op = PB_RECORD_UPDATE;
	} else if (!strcmp(method, "DELETE") &&
	           (ok = split_url(url, true, &it->collection, &it->id, &it->raw_query)) == 0) {
		it->op = PB_RECORD_DELETE;
	}
	if (ok != 0)
		return pb_error_set(ierr, 400, "%s", "");
	it->run = it->op == PB_RECORD_CREATE ? pb_record_create_run
	          : it->op == PB_RECORD_UPDATE ? pb_record_update_run
	                                       : pb_record_delete_run;
	/* request info: the caller's auth and headers, the sub-request's headers and query */
	const struct pb_request_info *base = pb_req_info(req);
	it->headers = json_deep_copy(base->headers);
	json_t *hs = json_object_get(raw, "headers");
	const char *hk;
	json_t *hv;
	json_object_foreach(hs, hk, hv)
	{
		if (!json_is_string(hv) || !strcasecmp(hk, "authorization"))
			continue;
		char *k = pb_http_header_key(hk);
		json_object_set_new(it->headers, k, json_incref(hv));
		free(k);
	}
	json_object_set_new(it->headers, "content_type", json_string("multipart/form-data"));
	it->query = query_object(it->raw_query);
	it->info = *base;
	it->info.context = "batch";
	it->info.method = it->op == PB_RECORD_CREATE ? "POST" : it->op == PB_RECORD_UPDATE ? "PATCH" : "DELETE";
	it->info.headers = it->headers;
	it->info.query = it->query;
	it->info.body = it->body;
	return 0;
}

/* files named requests.N.key / requests[N].key go to sub-request N under `key` */
static void attach_files(struct batch_job *j)
{
	for (size_t f = 0; f < j->body.nfiles; f++) {
		const struct pb_upload *u = &j->body.files[f];
		for (size_t i = 0; i < j->n; i++) {
			char p1[48], p2[48];
			snprintf(p1, sizeof p1, "requests.%zu.", i);
			snprintf(p2, sizeof p2, "requests[%zu].", i);
			const char *key = NULL;
			if (!strncmp(u->field, p1, strlen(p1)))
				key = u->field + strlen(p1);
			else if (!strncmp(u->field, p2, strlen(p2)))
				key = u->field + strlen(p2);
			if (!key)
				continue;
			struct batch_item *it = &j->items[i];
			it->uploads = realloc(it->uploads, (it->nuploads + 1) * sizeof *it->uploads);
			it->mimes = realloc(it->mimes, (it->nuploads + 1) * sizeof *it->mimes);
			if (!it->uploads || !it->mimes)
				abort();
			struct pb_save_upload *su = &it->uploads[it->nuploads];
			su->key = key;
			su->original_name = u->filename;
			su->data = u->data;
			su->len = u->len;
			it->nuploads++;
		}
	}
	for (size_t i = 0; i < j->n; i++)
		for (size_t k = 0; k < j->items[i].nuploads; k++) {
			struct batch_item *it = &j->items[i];
			it->uploads[k].mime = pb_mime_detect(it->uploads[k].data, it->uploads[k].len, &it->mimes[k]);
		}
}

/* ---- the writer job -------------------------------------------------------------------------- */

static json_t *api_error_json(const struct pb_error *e)
{
	int status = e->status ? e->status : 400;
	char msg[PB_ERROR_MSG_MAX + 2];
	pb_sentenize(e->message[0] ? e->message : pb_error_default_message(status), msg, sizeof msg);
	return json_pack("{s:o,s:s,s:i}", "data", json_is_object(e->data) ? json_deep_copy(e->data) : json_object(),
	                 "message", msg, "status", status);
}

static int fail_item(struct pb_write_ctx *w, size_t i, struct pb_error *ierr)
{
	json_t *item = json_pack("{s:s,s:s,s:o}", "code", "batch_request_failed", "message", "Batch request failed.",
	                         "response", api_error_json(ierr));
	pb_error_clear(ierr);
	char idx[24];
	snprintf(idx, sizeof idx, "%zu", i);
	json_t *reqs = json_object();
	json_object_set_new(reqs, idx, item);
	pb_error_clear(w->err);
	w->err->data = json_pack("{s:o}", "requests", reqs);
	return pb_error_set(w->err, 400, "Batch transaction failed.");
}

static json_t *pick(const json_t *body, const json_t *query)
{
	const char *fields = json_string_value(json_object_get(query, "fields"));
	struct pb_error err = PB_ERROR_INIT;
	struct pb_fields_pick *p = fields && *fields ? pb_fields_pick_parse(fields, &err) : NULL;
	pb_error_clear(&err);
	if (!p)
		return json_incref((json_t *)body);
	json_t *out = pb_fields_pick_apply(p, body, false);
	pb_fields_pick_free(p);
	return out;
}

static int run_batch(struct pb_write_ctx *w, void *arg)
{
	struct batch_job *j = arg;
	struct pb_req *req = j->req;
	json_t *results = json_array();
	for (size_t i = 0; i < j->n; i++) {
		struct batch_item *it = &j->items[i];
		struct pb_error ierr = PB_ERROR_INIT;
		if (!it->run) {
			json_decref(results);
			pb_error_set(&ierr, 400, "%s", "");
			return fail_item(w, i, &ierr);
		}
		const struct pb_collection *c =
			pb_record_write_precheck(req->schema, it->collection, it->op, it->id, req->superuser, &ierr);
		if (!c) {
			json_decref(results);
			return fail_item(w, i, &ierr);
		}
		it->save.schema = req->schema;
		it->save.c = c;
		it->save.req = &it->info;
		it->save.id = it->id;
		it->save.body = it->body;
		it->save.uploads = it->uploads;
		it->save.nuploads = it->nuploads;
		it->save.storage_dir = req->app->storage_dir;
		struct pb_error *outer = w->err;
		w->err = &ierr;
		int rc = it->run(w, &it->save);
		w->err = outer;
		if (rc != 0) {
			json_decref(results);
			return fail_item(w, i, &ierr);
		}
		pb_error_clear(&ierr);
		json_t *res = json_object();
		if (it->op == PB_RECORD_DELETE) {
			json_object_set_new(res, "body", json_null());
			json_object_set_new(res, "status", json_integer(204));
		} else {
			struct pb_read_ctx ctx = {req->schema, w->stmts, &it->info, NULL};
			json_t *rec = pb_record_enrich(&ctx, c, it->save.record,
			                               json_string_value(json_object_get(it->query, "expand")));
			json_object_set_new(res, "body", pick(rec, it->query));
			json_object_set_new(res, "status", json_integer(200));
			json_decref(rec);
		}
		json_array_append_new(results, res);
	}
	json_decref(j->results);
	j->results = results;
	return 0;
}

static void respond(void *arg)
{
	struct batch_job *j = arg;
	struct pb_req *req = j->req;
	if (req->gone)
		pb_resp_empty(req, 204);
	else if (j->rc != 0)
		pb_resp_pb_error(req, &j->err);
	else
		pb_resp_json(req, 200, j->results);
	job_free(j);
}

static void job_done(void *arg, int rc, struct pb_error *err)
{
	struct batch_job *j = arg;
	j->rc = rc;
	if (rc != 0) {
		j->err = *err;
		err->data = NULL;
	}
	for (size_t i = 0; i < j->n; i++)
		pb_record_save_cleanup(&j->items[i].save, rc);
	pb_worker_post(j->req->worker, respond, j);
}

/* ---- handler ---------------------------------------------------------------------------------- */

void pb_api_batch(struct pb_req *req)
{
	const struct pb_settings *s = req->settings; /* the request's snapshot */
	long long max = s->batch.max_requests;
	if (!s->batch.enabled || max <= 0) {
		pb_resp_error(req, 403, "Batch requests are not allowed.", NULL);
		return;
	}
	struct batch_job *j = calloc(1, sizeof *j);
	if (!j)
		abort();
	j->req = req;
	struct pb_error err = PB_ERROR_INIT;
	if (pb_body_decode_method(req->method, pb_req_header(req, "Content-Type"), req->body, req->body_len,
	                          req->raw_query, &j->body, &err) != 0) {
		pb_error_clear(&err);
		pb_resp_error(req, 400, "Failed to read the submitted batch data.", NULL);
		job_free(j);
		return;
	}
	json_t *reqs = json_object_get(j->body.data, "requests");
	bool shape_ok = !reqs || json_is_null(reqs) || json_is_array(reqs);
	size_t i;
	json_t *r;
	json_array_foreach(reqs, i, r)
	if (!json_is_object(r))
		shape_ok = false;
	if (!shape_ok) {
		pb_resp_error(req, 400, "Failed to read the submitted batch data.", NULL);
		job_free(j);
		return;
	}
	size_t n = json_array_size(reqs);
	if (n == 0 || (long long)n > max) {
		char msg[96];
		snprintf(msg, sizeof msg, "The length must be no more than %lld.", max);
		json_t *item = n == 0 ? json_pack("{s:s,s:s}", "code", "validation_required", "message", "Cannot be blank.")
		                      : json_pack("{s:s,s:s,s:{s:I,s:i}}", "code", "validation_length_too_long", "message",
		                                  msg, "params", "max", (json_int_t)max, "min", 0);
		json_t *data = json_pack("{s:o}", "requests", item);
		pb_resp_error(req, 400, "Invalid batch request data.", data);
		json_decref(data);
		job_free(j);
		return;
	}
	j->items = calloc(n, sizeof *j->items);
	if (!j->items)
		abort();
	j->n = n;
	json_array_foreach(reqs, i, r)
	{
		struct pb_error ierr = PB_ERROR_INIT;
		if (parse_item(req, j, i, r, &ierr) != 0)
			j->items[i].run = NULL; /* an unknown action fails inside the transaction, in order */
		pb_error_clear(&ierr);
	}
	attach_files(j);
	pb_req_async(req);
	pb_writer_submit(&req->app->writer, run_batch, job_done, j);
}
