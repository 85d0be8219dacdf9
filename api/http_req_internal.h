/* http_req_internal — creating and releasing the per-exchange request object; shared by the
 * connection layer (http_conn.c) and http_req.c only. */
#ifndef POCKETC_API_HTTP_REQ_INTERNAL_H
#define POCKETC_API_HTTP_REQ_INTERNAL_H

#include "api/http.h"

/* A new request for a parsed head (borrowed; must outlive the request). Splits the target
 * into path and query, decodes the query parameters, takes a reference to the current schema.
 * Returns NULL for a target that is not origin-form, absolute-form or `*`. */
struct pb_req *pb_req_new(struct pb_worker *w, struct pb_conn *conn, const struct pb_http_head *head, const char *ip);
/* Releases everything the request owns and the request itself. */
void pb_req_free(struct pb_req *req);

#endif
