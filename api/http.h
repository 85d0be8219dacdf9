/* http — the request context every handler and middleware works on, and the response
 * writers. A `struct pb_req` lives for one HTTP exchange on one worker loop, from its parsed
 * head to the last byte of its response; everything it owns is released when the response is
 * complete (or the client went away and the handler finished). A handler answers either before
 * it returns or later on the same worker loop (after pb_req_async()), e.g. once the writer
 * committed its job. Responses follow PocketBase's wire format: JSON bodies as Go's encoder
 * writes them plus a trailing newline, errors as {"data":{…},"message":"…","status":N} with a
 * sentenized message, and the `fields` picker applied to every 2xx JSON body. */
#ifndef POCKETC_API_HTTP_H
#define POCKETC_API_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/http_parse.h"
#include "collections/request_info.h"
#include "collections/schema.h"
#include "core/app.h"
#include "core/error.h"
#include "core/settings.h"
#include "core/stmt_cache.h"
#include "core/strbuf.h"

struct pb_worker;
struct pb_conn;
struct pb_route;
struct pb_forward_auth;

#define PB_MAX_ROUTE_PARAMS 4
#define PB_MAX_QUERY_PARAMS 128
#define PB_DEFAULT_BODY_LIMIT (32ll << 20) /* 32 MiB, PocketBase's DefaultMaxBodySize */

struct pb_query_param {
	char *name;  /* owned, decoded */
	char *value; /* owned, decoded */
};

struct pb_resp_header {
	char *name;    /* owned unless `literal` */
	char *value;   /* owned unless `literal` */
	bool literal;  /* both are static strings (pb_resp_header_add_literal) */
};

struct pb_req {
	struct pb_conn *conn;         /* borrowed: the connection this exchange belongs to */
	struct pb_worker *worker;     /* borrowed */
	struct pb_app *app;           /* borrowed */
	struct pb_stmt_cache *stmts;  /* borrowed: the worker's statement cache over its read connection */
	struct pb_schema *schema;     /* owned reference, taken when the head arrived */
	struct pb_settings *settings; /* owned reference, taken with the schema (never NULL while serving) */
	const struct pb_http_head *http; /* borrowed from the connection: method, target, headers */
	const char *method;           /* as sent ("GET", "HEAD", "POST", …) */
	bool head;                    /* HEAD request: body suppressed, routed like GET */
	int http_minor;               /* 0 = HTTP/1.0, 1 = HTTP/1.1 */
	char *raw_path;               /* owned: path as sent (still percent-encoded) */
	char *raw_query;              /* owned: query string as sent (without '?'), or NULL */
	struct pb_query_param *query; /* owned array (nquery used, at most PB_MAX_QUERY_PARAMS) */
	int nquery, query_cap;
	const struct pb_route *route; /* the matched route */
	char *params[PB_MAX_ROUTE_PARAMS]; /* owned: decoded route parameters in pattern order */
	int nparams;
	char remote_ip[64];           /* peer address as text (IPv6 fully expanded) */
	char real_ip[64];             /* RealIP(): from settings.trustedProxy headers, else remote_ip */
	int64_t started_us;           /* monotonic start time */

	const unsigned char *body;    /* borrowed from the connection: the request body (NULL when empty) */
	size_t body_len;
	long long body_limit;         /* bytes; < 0 = unlimited */

	/* auth (filled by the auth-token middleware) */
	json_t *auth;                 /* owned: auth record as rules see it, NULL for guests */
	const struct pb_collection *auth_collection; /* borrowed from schema */
	bool superuser;
	json_t *auth_claims;          /* owned: the verified token claims, NULL for guests */

	json_t *headers_json;         /* owned, built lazily by pb_req_info() */
	json_t *query_json;           /* owned, built lazily */
	json_t *body_json;            /* owned: set by handlers that decoded a body (@request.body) */
	struct pb_request_info info;  /* filled by pb_req_info() */

	/* response */
	struct pb_resp_header *resp_headers; /* owned */
	size_t nresp_headers, resp_headers_cap;
	int status;                   /* 0 until answered */
	bool responded;               /* a complete response (or a stream head) was queued */
	bool async;                   /* the handler will answer later (pb_req_async) */
	bool streaming;               /* a streamed (chunked) response is in progress */
	bool gone;                    /* the client disconnected; answers are dropped */
	bool close_after;             /* close the connection after this response */
	/* Called once when the client disconnects, or when the server shuts down while a stream is
	 * open; the owner must then finish the exchange (pb_resp_stream_end for a stream). */
	void (*on_gone)(struct pb_req *req, void *arg);
	void *on_gone_arg;

	/* the activity log (api/activity_log.c) */
	bool log_activity;            /* the exchange passed CORS: log it when it ends */
	char *error_message;          /* owned: the (sentenized) message of the error answer, NULL = none */
	json_t *error_details;        /* owned: the log's "details" of that error (NULL = null) */

	/* forward auth (api/forward_auth.c): a record creation is in flight */
	struct pb_forward_auth *forward_auth; /* owned by forward_auth.c while pending, else NULL */
};

/* ---- request accessors ------------------------------------------------------------------- */

/* First value of a query parameter (decoded), or NULL. Borrowed from req. */
const char *pb_req_query(const struct pb_req *req, const char *name);
/* A request header (case-insensitive name, first value) or NULL. Borrowed. */
const char *pb_req_header(const struct pb_req *req, const char *name);
/* Route parameter i (decoded) or "" when absent. Borrowed. */
const char *pb_req_param(const struct pb_req *req, int i);
/* The @request.* view of this request (headers/query built once, owned by req; auth and body
 * as they are now). Set req->info.context before the call to change @request.context. */
const struct pb_request_info *pb_req_info(struct pb_req *req);
/* pb_req_info without building headers/query (left as they are: NULL unless built before),
 * for reads where neither the schema's rules nor the client's expressions mention
 * @request.headers / @request.query. */
const struct pb_request_info *pb_req_info_without_maps(struct pb_req *req);
/* Marks the request as answered later on this worker loop; the connection waits. */
void pb_req_async(struct pb_req *req);

/* ---- responses ----------------------------------------------------------------------------- */

/* Adds a response header (both strings copied); several headers may share a name. */
void pb_resp_header_add(struct pb_req *req, const char *name, const char *value);
/* pb_resp_header_add for two strings of static lifetime (literals): nothing copied. */
void pb_resp_header_add_literal(struct pb_req *req, const char *name, const char *value);
/* Frees the header's strings unless they are literals. */
void pb_resp_header_clear(struct pb_resp_header *h);
/* Replaces every header of that name by one with this value (NULL value = remove them). */
void pb_resp_header_set(struct pb_req *req, const char *name, const char *value);
/* The first response header of that name, or NULL. Borrowed. */
const char *pb_resp_header_get(const struct pb_req *req, const char *name);

/* Sends a complete response: status, the queued headers, Content-Length and the body bytes
 * (copied; suppressed for HEAD and for 1xx/204/304). A second call on an answered request is
 * ignored. */
void pb_resp_send(struct pb_req *req, int status, const void *body, size_t len);
/* Sends `status` with a JSON body written by Go's encoder rules plus "\n", Content-Type
 * application/json unless already set. For 2xx statuses the `fields` query parameter is
 * applied; `is_list` = the body is a list envelope and picking applies inside `items`.
 * Borrows `body`. */
void pb_resp_json(struct pb_req *req, int status, const json_t *body);
void pb_resp_json_list(struct pb_req *req, int status, const json_t *body);
/* Sends JSON text already written in Go's encoding (borrowed; the trailing newline is added
 * to it) like pb_resp_json does, but without the `fields` picker: only for requests without a
 * `fields` parameter. */
void pb_resp_json_text(struct pb_req *req, int status, struct pb_strbuf *json);
/* Sends a PocketBase error envelope. `message` NULL or "" → the status' default message.
 * `data` (borrowed) may be NULL for {}. */
void pb_resp_error(struct pb_req *req, int status, const char *message, const json_t *data);
/* Sends the error held in err (status 0 → 400), then clears it. */
void pb_resp_pb_error(struct pb_req *req, struct pb_error *err);
/* Sends a response with no body (204, redirects). */
void pb_resp_empty(struct pb_req *req, int status);
/* 30x redirect to `location` (copied) with an empty body. */
void pb_resp_redirect(struct pb_req *req, int status, const char *location);
/* Streams a file region (fd is taken over and closed by the connection) after the queued
 * headers; Content-Length = len. For HEAD the fd is closed unread. */
void pb_resp_file(struct pb_req *req, int status, int fd, int64_t offset, int64_t len);

/* Streamed responses (SSE): sends the status line and headers with chunked transfer coding.
 * pb_resp_stream_write queues one chunk (copied) and returns 0, or -1 when the client is gone or
 * more than `max_pending` bytes are still waiting to be written (the caller should end the
 * stream). pb_resp_stream_end terminates the body and completes the exchange. */
void pb_resp_stream_begin(struct pb_req *req, int status);
int pb_resp_stream_write(struct pb_req *req, const void *data, size_t len, size_t max_pending);
void pb_resp_stream_end(struct pb_req *req);

/* ---- helpers ------------------------------------------------------------------------------- */

/* Decodes %XX escapes (and '+' as space when plus_is_space) of s[0..len) into a new string.
 * Returns NULL on a malformed escape. Caller frees. */
char *pb_url_decode(const char *s, size_t len, bool plus_is_space);
/* The @request.headers key of a header name: inflector.Snakecase(CanonicalMIMEHeaderKey(name))
 * for token-only names ("X-Token" → "x_token"). Caller frees. */
char *pb_http_header_key(const char *name);
/* The reason phrase of a status ("OK", "Not Found", …). Static string. */
const char *pb_http_status_text(int status);

#endif
