/* dispatch — runs an exchange through PocketBase's middleware chain and the route handler.
 * The chain is split at the point where the request body is needed: pb_dispatch_head runs
 * when the head has arrived (mux redirects, routing, CORS, the activity logger's start, auth
 * token, real IP, forward auth, superuser IPs, security headers, rate limit, the route's body
 * limit / collection-context check, route requirements), pb_dispatch_run once the body is
 * complete (the handler), pb_dispatch_finished when the exchange has ended (the activity log
 * entry). */
#ifndef POCKETC_API_DISPATCH_H
#define POCKETC_API_DISPATCH_H

#include <stdbool.h>

#include "api/http.h"

/* Returns true when the exchange continues (the connection reads the body within
 * req->body_limit, answering 413 itself beyond it, then calls pb_dispatch_run); false when the
 * request has been (or is being) answered. */
bool pb_dispatch_head(struct pb_req *req);
/* Runs the route handler. */
void pb_dispatch_run(struct pb_req *req);
/* The exchange is over (response queued or client gone); last look before req is freed. */
void pb_dispatch_finished(struct pb_req *req);

#endif
