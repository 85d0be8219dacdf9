/* record_write — POST/PATCH/DELETE /api/collections/{collection}/records[/{id}], as
 * PocketBase's apis/record_crud.go: the checks that need no transaction run here on the
 * worker (collection, view type, null rules, existence for update, body decoding), the rest is
 * a writer job (collections/record_save.h). The answer is sent once the job committed: the
 * saved record exported for the requester, with `expand` and `fields` applied. */
#include <stdlib.h>
#include <string.h>

#include "api/body.h"
#include "api/handlers.h"
#include "api/messages.h"
#include "api/ratelimit.h"
#include "api/worker.h"
#include "collections/record_enrich.h"
#include "collections/field_type.h"
#include "collections/record_find.h"
#include "collections/record_read.h"
#include "collections/record_save.h"
#include "core/mime.h"

enum write_op { OP_CREATE, OP_UPDATE, OP_DELETE };

struct write_req {
	struct pb_record_save save; /* first: the writer job's argument is the write_req itself */
	struct pb_req *req; /* the exchange; stays alive until answered (async) */
	enum write_op op;
	struct pb_body body;
	struct pb_save_upload *uploads;
	struct pb_mime *mimes; /* detected types of the uploads (uploads[i].mime points here) */
	int rc;
	struct pb_error err;
};

static void write_req_free(struct write_req *wr)
{
	pb_record_save_deinit(&wr->save);
	pb_body_free(&wr->body);
	free(wr->uploads);
	free(wr->mimes);
	pb_error_clear(&wr->err);
	free(wr);
}

/* ---- body limit (PocketBase's dynamicCollectionBodyLimit) -------------------------------- */

static long long collection_body_limit(const struct pb_collection *c)
{
	long long limit = PB_DEFAULT_BODY_LIMIT;
	for (size_t i = 0; i < c->nfields; i++) {
		const struct pb_field *f = &c->fields[i];
		if (f->type == PB_FIELD_FILE) {
			double max = pb_field_opt_num(f, "maxSize", 0);
			long long size = max > 0 ? (long long)max : 5ll << 20;
			long long n = f->max_select > 1 ? f->max_select : 1;
			limit += size * n;
		} else if (f->type == PB_FIELD_JSON || f->type == PB_FIELD_EDITOR) {
			double max = pb_field_opt_num(f, "maxSize", 0);
			limit += max > 0 ? (long long)max : f->type == PB_FIELD_JSON ? 1ll << 20 : 5ll << 20;
		}
	}
	return limit;
}

bool pb_api_collection_context(struct pb_req *req)
{
	if (!pb_schema_find(req->schema, pb_req_param(req, 0))) {
		pb_resp_error(req, 404, PB_MSG_MISSING_OR_INVALID_COLLECTION, NULL);
		return false;
	}
	return true;
}

bool pb_api_records_write_before_body(struct pb_req *req)
{
	if (!pb_api_collection_context(req))
		return false;
	req->body_limit = collection_body_limit(pb_schema_find(req->schema, pb_req_param(req, 0)));
	return true;
}

/* ---- completion (writer thread → worker loop) --------------------------------------------- */

/* @request.* for a write into c: headers/query are built only when an expression it evaluates
 * can read them. Rules are the only expressions a write and its answer evaluate: a create or
 * update evaluates c's own rules (create/update, manage; the answer's expand the rules of
 * other collections), a delete may cascade, so it and any expand look at the whole schema. */
static const struct pb_request_info *write_info(struct pb_req *req, const struct pb_collection *c, bool is_delete)
{
	bool maps = !req->schema || !c;
	if (!maps && (is_delete || pb_req_query(req, "expand")))
		maps = req->schema->rules_read_request_maps;
	else if (!maps && req->schema->rules_read_request_maps) {
		maps = pb_expr_reads_request_maps(c->manage_rule);
		for (int i = 0; i < PB_RULE_COUNT && !maps; i++)
			maps = pb_expr_reads_request_maps(c->rules[i]);
	}
	return maps ? pb_req_info(req) : pb_req_info_without_maps(req);
}

static void respond(void *arg)
{
	struct write_req *wr = arg;
	struct pb_req *req = wr->req;
	if (req->gone) {
		req->async = false;
		pb_resp_empty(req, 204); /* dropped: releases the exchange */
		write_req_free(wr);
		return;
	}
	if (wr->rc != 0) {
		pb_resp_pb_error(req, &wr->err);
		write_req_free(wr);
		return;
	}
	if (wr->op == OP_DELETE) {
		pb_resp_empty(req, 204);
		write_req_free(wr);
		return;
	}
	const char *expand = pb_req_query(req, "expand"), *fields = pb_req_query(req, "fields");
	if ((!expand || !*expand) && (!fields || !*fields)) {
		/* nothing to expand or pick: written straight from the create's form when it can be */
		struct pb_strbuf b = PB_STRBUF_INIT;
		if (pb_record_save_answer_write(&wr->save, req->superuser, &b) == 0) {
			pb_resp_json_text(req, 200, &b);
			pb_strbuf_deinit(&b);
			write_req_free(wr);
			return;
		}
		pb_strbuf_deinit(&b);
	}
	struct pb_read_ctx ctx = {req->schema, req->stmts, write_info(req, wr->save.c, false), NULL};
	/* the saved record (and the form it shares values with) is freed right after: exported as is */
	json_t *record = pb_record_save_answer(&wr->save);
	json_t *out = pb_record_enrich_owned(&ctx, wr->save.c, record, expand);
	pb_resp_json(req, 200, out);
	json_decref(out);
	write_req_free(wr);
}

static void job_done(void *arg, int rc, struct pb_error *err)
{
	struct write_req *wr = (struct write_req *)arg; /* &wr->save == wr: save is the first member */
	wr->rc = rc;
	if (rc != 0) {
		wr->err = *err;
		err->data = NULL; /* stolen */
	}
	pb_record_save_cleanup(&wr->save, rc);
	pb_worker_post(wr->req->worker, respond, wr);
}

/* ---- handlers ---------------------------------------------------------------------------- */

/* Decodes the body and lists the file parts. Returns 0 or answers (400) and returns -1. */
static int decode_body(struct pb_req *req, struct write_req *wr)
{
	struct pb_error err = PB_ERROR_INIT;
	if (pb_body_decode_method(req->method, pb_req_header(req, "Content-Type"), req->body, req->body_len,
	                          req->raw_query, &wr->body, &err) != 0) {
		if (!err.message[0])
			pb_error_set(&err, err.status ? err.status : 400, "%s", PB_MSG_FAILED_READ_DATA);
		pb_resp_pb_error(req, &err);
		return -1;
	}
	if (wr->body.nfiles) {
		wr->uploads = calloc(wr->body.nfiles, sizeof *wr->uploads);
		wr->mimes = calloc(wr->body.nfiles, sizeof *wr->mimes);
		if (!wr->uploads || !wr->mimes)
			abort();
		for (size_t i = 0; i < wr->body.nfiles; i++) {
			const struct pb_upload *u = &wr->body.files[i];
			wr->uploads[i].key = u->field;
			wr->uploads[i].original_name = u->filename;
			wr->uploads[i].data = u->data;
			wr->uploads[i].len = u->len;
			wr->uploads[i].mime = pb_mime_detect(u->data, u->len, &wr->mimes[i]);
		}
	}
	/* @request.body as PocketBase's RequestInfo holds it before the write resolves it */
	json_decref(req->body_json);
	req->body_json = json_incref(wr->body.data);
	return 0;
}

static struct write_req *start(struct pb_req *req, enum write_op op, const struct pb_collection **cout)
{
	struct pb_error err = PB_ERROR_INIT;
	static const enum pb_record_op ops[] = {PB_RECORD_CREATE, PB_RECORD_UPDATE, PB_RECORD_DELETE};
	static const char *const rl_tags[] = {"create", "update", "delete"};
	/* checkCollectionRateLimit comes after the collection and view-type checks, before the
	 * rest of the precheck (missing id, null rule) */
	const struct pb_collection *rc = pb_schema_find(req->schema, pb_req_param(req, 0));
	if (rc && rc->type != PB_COLLECTION_VIEW && !pb_api_collection_rate_limit(req, rc, rl_tags[op]))
		return NULL;
	const struct pb_collection *c = pb_record_write_precheck(req->schema, pb_req_param(req, 0), ops[op],
	                                                         pb_req_param(req, 1), req->superuser, &err);
	if (!c) {
		pb_resp_pb_error(req, &err);
		return NULL;
	}
	struct write_req *wr = calloc(1, sizeof *wr);
	if (!wr)
		abort();
	wr->req = req;
	wr->op = op;
	pb_record_save_init(&wr->save);
	*cout = c;
	return wr;
}

static void fill_save(struct pb_req *req, struct write_req *wr, const struct pb_collection *c)
{
	wr->save.schema = req->schema;
	wr->save.c = c;
	wr->save.req = write_info(req, c, wr->op == OP_DELETE);
	wr->save.id = wr->op == OP_CREATE ? NULL : pb_req_param(req, 1);
	wr->save.body = wr->body.data;
	wr->save.uploads = wr->uploads;
	wr->save.nuploads = wr->body.nfiles;
	wr->save.storage_dir = req->app->storage_dir;
}

static void submit(struct pb_req *req, struct write_req *wr, const struct pb_collection *c, pb_write_fn run)
{
	fill_save(req, wr, c);
	pb_req_async(req);
	pb_writer_submit(&req->app->writer, run, job_done, &wr->save);
}

/* On the blocking pool: bcrypt the new passwords of a prepared create, then hand it to the
 * writer. */
static void hash_then_commit(void *arg)
{
	struct write_req *wr = arg;
	struct pb_error err = PB_ERROR_INIT;
	if (pb_record_save_hash(&wr->save, &err) != 0) {
		job_done(wr, -1, &err);
		pb_error_clear(&err);
		return;
	}
	pb_writer_submit(&wr->req->app->writer, pb_record_create_commit, job_done, &wr->save);
}

/* Whether a create of c can have passwords to hash (an auth collection or a password field). */
static bool create_may_hash(const struct pb_collection *c)
{
	if (c->type == PB_COLLECTION_AUTH)
		return true;
	for (size_t i = 0; i < c->nfields; i++)
		if (c->fields[i].type == PB_FIELD_PASSWORD)
			return true;
	return false;
}

void pb_api_records_create(struct pb_req *req)
{
	const struct pb_collection *c;
	struct write_req *wr = start(req, OP_CREATE, &c);
	if (!wr)
		return;
	if (decode_body(req, wr) != 0) {
		write_req_free(wr);
		return;
	}
	/* rules and validation on this worker's read connection; only the INSERT goes to the writer */
	fill_save(req, wr, c);
	struct pb_error err = PB_ERROR_INIT;
	/* the worker's rule memo, for the prepare on this thread only */
	wr->save.filters = &req->worker->filters;
	wr->save.answer_later = true;
	/* the rule and the database checks read one snapshot, under one WAL read lock. The
	 * checks (relation ids, a given id) run in the writer's transaction anyway; here they only
	 * run before bcrypt work, or to complete the error map of a failed validation. A create
	 * that can need no bcrypt work reads with one statement (the rule's) when it is valid: no
	 * transaction around it (BEGIN and COMMIT cost as much as half of that statement) */
	bool txn = create_may_hash(c) && pb_stmt_cache_read_begin(req->stmts);
	int prepared = pb_record_create_prepare(&wr->save, req->stmts, false, &err);
	if (prepared == 0 && pb_record_save_needs_hashing(&wr->save))
		prepared = pb_record_create_check_db(&wr->save, req->stmts, &err);
	pb_stmt_cache_read_end(req->stmts, txn);
	wr->save.filters = NULL;
	if (prepared != 0) {
		pb_resp_pb_error(req, &err);
		write_req_free(wr);
		return;
	}
	pb_req_async(req);
	if (pb_record_save_needs_hashing(&wr->save))
		pb_pool_submit(&req->app->pool, hash_then_commit, wr);
	else
		pb_writer_submit_flags(&req->app->writer, pb_record_create_commit, job_done, &wr->save,
		                       pb_record_create_write_flags(&wr->save));
}

void pb_api_records_update(struct pb_req *req)
{
	const struct pb_collection *c;
	struct write_req *wr = start(req, OP_UPDATE, &c);
	if (!wr)
		return;
	/* PocketBase looks the record up before it reads the body */
	struct pb_record_export x = {0};
	json_t *exists = pb_record_find_by_id_cached(req->stmts, c, pb_req_param(req, 1), &x, NULL);
	if (!exists) {
		pb_resp_error(req, 404, NULL, NULL);
		write_req_free(wr);
		return;
	}
	json_decref(exists);
	if (decode_body(req, wr) != 0) {
		write_req_free(wr);
		return;
	}
	submit(req, wr, c, pb_record_update_run);
}

void pb_api_records_delete(struct pb_req *req)
{
	const struct pb_collection *c;
	struct write_req *wr = start(req, OP_DELETE, &c);
	if (!wr)
		return;
	submit(req, wr, c, pb_record_delete_run);
}
