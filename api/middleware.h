/* middleware — the global chain every request passes before its handler, in PocketBase's
 * order: CORS (answers preflights itself), auth token → @request.auth, security headers,
 * then the route's own requirements (superuser / any auth). Each returning bool returns true
 * when the request may continue, false when it has already been answered. */
#ifndef POCKETC_API_MIDDLEWARE_H
#define POCKETC_API_MIDDLEWARE_H

#include "api/router.h"

/* CORS per --origins (comma-separated; `*`, exact origins, `*`/`?` wildcards). */
bool pb_mw_cors(struct pb_req *req, const char *origins);
/* Reads `Authorization` and, for a valid auth token, fills req->auth/auth_collection/superuser.
 * An invalid token leaves the request a guest. */
void pb_mw_load_auth(struct pb_req *req);
void pb_mw_security_headers(struct pb_req *req);
bool pb_mw_route_requirements(struct pb_req *req, const struct pb_route *route);

/* The origin-matching rule of the CORS middleware (exposed for tests): returns the value for
 * Access-Control-Allow-Origin ("*" or the request origin, borrowed) or NULL when not allowed. */
const char *pb_cors_allow_origin(const char *origins, const char *origin);

#endif
