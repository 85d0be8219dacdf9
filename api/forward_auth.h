/* forward_auth — authentication by a trusted reverse proxy (ours; PocketBase has no such
 * thing). With `--forwardAuthHeader=Remote-Email --forwardAuthProxies=127.0.0.1,10.0.0.0/8`
 * a request whose TCP peer (never a forwarded-for header) is one of the proxies and that
 * carries the header is authenticated as the record of --forwardAuthCollection (default
 * "users") with that email (case-insensitive), exactly as if it had sent that record's auth
 * token: @request.auth, superuser status, rate-limit audience, the activity log's "auth". A
 * valid Authorization token wins over the header. The header from any other address is
 * ignored, as is an unknown email unless --forwardAuthCreate is given: then the record is
 * created (through the writer: email, verified, a random password) the first time the email
 * is seen, and the request waits for the commit. A failed creation leaves the request a guest
 * and is stored as a warn-level app log. */
#ifndef POCKETC_API_FORWARD_AUTH_H
#define POCKETC_API_FORWARD_AUTH_H

#include <stdbool.h>

#include "api/http.h"

/* Runs right after the auth token was loaded. Authenticates req from the header when it
 * applies (synchronously when the record exists). Returns true when a record creation was
 * started: req->forward_auth is then set and the auth-dependent middlewares must wait for
 * pb_forward_auth_ready. */
bool pb_forward_auth_begin(struct pb_req *req);

/* For a request with a pending creation (req->forward_auth != NULL), from the dispatcher's
 * run step: when the creation has finished, applies its outcome to req, releases the pending
 * state and returns true (the caller goes on). Otherwise parks the exchange (pb_req_async)
 * and returns false: once the creation finished, `resume` is called on the worker loop
 * (through pb_conn_resume) with the outcome applied — or, when the client went away, the
 * exchange is released without calling it. */
bool pb_forward_auth_ready(struct pb_req *req, void (*resume)(struct pb_req *req));

/* Called when req is freed with a creation still pending: the creation finishes on its own
 * and its outcome is dropped. */
void pb_forward_auth_detach(struct pb_req *req);

#endif
