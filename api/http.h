/* http — the request context every handler and middleware works on, and the response
 * writers. A `struct pb_req` lives for one HTTP exchange on one worker loop; everything it
 * owns is released by pb_req_finish(). Responses follow PocketBase's wire format: JSON
 * bodies as Go's encoder writes them plus a trailing newline, errors as
 * {"data":{…},"message":"…","status":N} with a sentenized message. */
#ifndef POCKETC_API_HTTP_H
#define POCKETC_API_HTTP_H

#include <event2/http.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>

#include "collections/request_info.h"
#include "collections/schema.h"
#include "core/app.h"
#include "core/error.h"
#include "core/stmt_cache.h"
#include "core/strbuf.h"

struct pb_worker;

#define PB_MAX_ROUTE_PARAMS 4
#define PB_MAX_QUERY_PARAMS 64

struct pb_query_param {
	char *name;   /* owned, decoded */
	char *value;  /* owned, decoded */
};

struct pb_req {
	struct evhttp_request *ev;    /* borrowed from libevent until the reply is sent */
	struct pb_worker *worker;     /* borrowed */
	struct pb_app *app;           /* borrowed */
	sqlite3 *db;                  /* borrowed: the worker's read connection */
	struct pb_stmt_cache *stmts;  /* borrowed: the worker's statement cache of db */
	struct pb_schema *schema;     /* owned reference, taken at request start */
	const char *method;           /* "GET", "POST", …; "GET" for HEAD requests */
	bool head;                    /* HEAD request: body suppressed */
	char *raw_path;               /* owned: path as sent (still percent-encoded) */
	char *raw_query;              /* owned: query string as sent, or NULL */
	struct pb_query_param query[PB_MAX_QUERY_PARAMS];
	int nquery;
	char *params[PB_MAX_ROUTE_PARAMS]; /* owned: decoded route parameters in pattern order */
	int nparams;
	char remote_ip[64];           /* client address as text */

	/* auth (filled by the auth-token middleware) */
	json_t *auth;                 /* owned: auth record as rules see it, NULL for guests */
	const struct pb_collection *auth_collection; /* borrowed from schema */
	bool superuser;

	json_t *headers_json;         /* owned, built lazily by pb_req_info() */
	json_t *query_json;           /* owned, built lazily */
	struct pb_request_info info;  /* filled by pb_req_info() */
	bool responded;
};

/* First value of a query parameter (decoded), or NULL. Borrowed from req. */
const char *pb_req_query(const struct pb_req *req, const char *name);
/* A request header (case-insensitive name) or NULL. Borrowed from libevent. */
const char *pb_req_header(const struct pb_req *req, const char *name);
/* The @request.* view of this request (built once, owned by req). */
const struct pb_request_info *pb_req_info(struct pb_req *req);

/* Adds a response header (copied). */
void pb_resp_header(struct pb_req *req, const char *name, const char *value);
/* Sends `status` with a body written by Go's JSON encoder rules plus "\n". Borrows `body`. */
void pb_resp_json(struct pb_req *req, int status, const json_t *body);
/* Same, but the body bytes are already encoded (no trailing newline in `json`). */
void pb_resp_json_raw(struct pb_req *req, int status, const char *json, size_t len);
/* Sends a PocketBase error envelope. `message` NULL or "" → the status' default message.
 * `data` (borrowed) may be NULL for {}. */
void pb_resp_error(struct pb_req *req, int status, const char *message, const json_t *data);
/* Sends the error held in err (status 0 → 400), then clears it. */
void pb_resp_pb_error(struct pb_req *req, struct pb_error *err);
/* Sends a body with a content type (NULL body = empty). */
void pb_resp_bytes(struct pb_req *req, int status, const char *content_type, const void *data, size_t len);
/* Sends a response with no body (e.g. 204, redirects). */
void pb_resp_empty(struct pb_req *req, int status);

/* Applies the `fields` query parameter (if any) to a 2xx JSON body and sends it.
 * `is_list` = pick inside `items`. Steals `body`. */
void pb_resp_json_fields(struct pb_req *req, int status, json_t *body, bool is_list);

/* Decodes %XX escapes (and '+' as space when plus_is_space) of s[0..len) into a new string. Returns
 * NULL on a malformed escape. Caller frees. */
char *pb_url_decode(const char *s, size_t len, bool plus_is_space);

#endif
