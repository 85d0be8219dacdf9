/* middleware — the global chain every request passes before its handler, in PocketBase's
 * order: CORS (answers preflights itself), auth token → @request.auth, security headers,
 * then the route's own requirements (superuser / any auth). Each returns true when the
 * request may continue, false when it has already been answered. */
#ifndef POCKETC_API_MIDDLEWARE_H
#define POCKETC_API_MIDDLEWARE_H

#include "api/router.h"

bool pb_mw_cors(struct pb_req *req, const char *origins);
void pb_mw_load_auth(struct pb_req *req);
void pb_mw_security_headers(struct pb_req *req);
bool pb_mw_route_requirements(struct pb_req *req, const struct pb_route *route);

#endif
