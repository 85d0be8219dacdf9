/* record_crud — /api/collections/{collection}/records[/{id}], as PocketBase's
 * apis/record_crud.go: list and view (the collections layer applies rules, visibility and
 * expand; this file only maps the request onto it), with the inline collection rate-limit
 * check PocketBase makes right after the collection lookup. Without `fields` (and, checked
 * by the collections layer, without expand or per-record email visibility) the JSON is
 * written straight from the rows, the same bytes without building the records. */
#include "api/handlers.h"
#include "api/messages.h"
#include "api/ratelimit.h"
#include "api/worker.h"
#include "collections/record_read.h"

/* The read context; @request.headers/@request.query are built only when a rule of the schema
 * (list/view rules, expand's rules, joined list rules, the manage rule) or, for a list
 * (`client_exprs`), the client's filter/sort can read them (a view runs neither). */
static void read_ctx(struct pb_req *req, struct pb_read_ctx *ctx, bool client_exprs)
{
	ctx->schema = req->schema;
	ctx->stmts = req->stmts;
	ctx->filters = NULL;
	bool maps = !req->schema || req->schema->rules_read_request_maps ||
	            (client_exprs && (pb_expr_reads_request_maps(pb_req_query(req, "filter")) ||
	                              pb_expr_reads_request_maps(pb_req_query(req, "sort"))));
	ctx->req = maps ? pb_req_info(req) : pb_req_info_without_maps(req);
}

/* Scratch buffers above this size are given back after a response instead of kept. */
#define BODY_SCRATCH_KEEP (256 * 1024)

/* The buffer a direct write goes into (borrowed, empty, at least `reserve` bytes of room): the
 * worker's scratch buffer, kept between requests (the response copies the bytes out), or
 * `local` without a worker. Hand it to send_direct. */
static struct pb_strbuf *direct_body(struct pb_req *req, struct pb_strbuf *local, size_t reserve)
{
	struct pb_strbuf *b = req->worker ? &req->worker->body_scratch : local;
	pb_strbuf_reset(b);
	pb_strbuf_reserve(b, reserve);
	return b;
}

/* Answers with the outcome of a direct (row → JSON text) write: rc 0 sends body, rc < 0 sends
 * err; rc > 0 (the direct path does not apply) sends nothing. Empties body (from direct_body;
 * its memory is kept for the next request when small, else released). True when the request
 * was answered. */
static bool send_direct(struct pb_req *req, int rc, struct pb_strbuf *body, struct pb_error *err)
{
	bool scratch = req->worker && body == &req->worker->body_scratch; /* req is not read after answering */
	if (rc == 0)
		pb_resp_json_text(req, 200, body);
	else if (rc < 0)
		pb_resp_pb_error(req, err);
	if (!scratch || body->cap > BODY_SCRATCH_KEEP)
		pb_strbuf_deinit(body);
	else
		pb_strbuf_reset(body);
	return rc <= 0;
}

void pb_api_records_list(struct pb_req *req)
{
	const struct pb_collection *c = pb_schema_find(req->schema, pb_req_param(req, 0));
	if (!c) {
		pb_resp_error(req, 404, PB_MSG_MISSING_COLLECTION, NULL);
		return;
	}
	if (!pb_api_collection_rate_limit(req, c, "list"))
		return;
	struct pb_read_ctx ctx;
	read_ctx(req, &ctx, true);
	struct pb_error err = PB_ERROR_INIT;
	const char *fields = pb_req_query(req, "fields");
	if (!fields || !*fields) {
		/* nothing to pick or expand: the records' JSON straight from the rows */
		struct pb_strbuf local = PB_STRBUF_INIT;
		struct pb_strbuf *body = direct_body(req, &local, 16384 - 1); /* a page of small records without regrowing */
		int rc = pb_records_list_write(&ctx, c, pb_req_query(req, "page"), pb_req_query(req, "perPage"),
		                               pb_req_query(req, "skipTotal"), pb_req_query(req, "filter"),
		                               pb_req_query(req, "sort"), pb_req_query(req, "expand"), body, &err);
		if (send_direct(req, rc, body, &err))
			return;
	}
	json_t *list = pb_records_list(&ctx, c, pb_req_query(req, "page"), pb_req_query(req, "perPage"),
	                               pb_req_query(req, "skipTotal"), pb_req_query(req, "filter"),
	                               pb_req_query(req, "sort"), pb_req_query(req, "expand"), &err);
	if (!list) {
		pb_resp_pb_error(req, &err);
		return;
	}
	pb_resp_json_list(req, 200, list);
	json_decref(list);
}

void pb_api_records_view(struct pb_req *req)
{
	const struct pb_collection *c = pb_schema_find(req->schema, pb_req_param(req, 0));
	if (!c) {
		pb_resp_error(req, 404, PB_MSG_MISSING_COLLECTION, NULL);
		return;
	}
	if (!pb_api_collection_rate_limit(req, c, "view"))
		return;
	struct pb_read_ctx ctx;
	read_ctx(req, &ctx, false);
	struct pb_error err = PB_ERROR_INIT;
	const char *fields = pb_req_query(req, "fields");
	if (!fields || !*fields) {
		/* nothing to pick or expand: the record's JSON straight from the row */
		struct pb_strbuf local = PB_STRBUF_INIT;
		struct pb_strbuf *body = direct_body(req, &local, 1024 - 1);
		int rc = pb_records_view_write(&ctx, req->worker ? &req->worker->views : NULL, c, pb_req_param(req, 1),
		                               pb_req_query(req, "expand"), body, &err);
		if (send_direct(req, rc, body, &err))
			return;
	}
	json_t *rec = pb_records_view(&ctx, c, pb_req_param(req, 1), pb_req_query(req, "expand"), &err);
	if (!rec) {
		pb_resp_pb_error(req, &err);
		return;
	}
	pb_resp_json(req, 200, rec);
	json_decref(rec);
}
