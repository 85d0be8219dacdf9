/* middleware — CORS, auth token loading, security headers and route requirements, as
 * PocketBase's pbCors / pbLoadAuthToken / pbSecurityHeaders / RequireAuth /
 * RequireSuperuserAuth middlewares behave (see middleware.h). */
#include "api/middleware.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "api/messages.h"
#include "api/worker.h"
#include "collections/auth_token.h"
#include "core/text.h"

#define CORS_METHODS "GET,HEAD,PUT,PATCH,POST,DELETE"

/* glob match: '*' any run, '?' one byte (the CORS wildcard rule) */
static bool glob(const char *p, size_t plen, const char *s)
{
	size_t pi = 0, si = 0, star = (size_t)-1, mark = 0, slen = strlen(s);
	while (si < slen) {
		if (pi < plen && (p[pi] == '?' || p[pi] == s[si])) {
			pi++, si++;
		} else if (pi < plen && p[pi] == '*') {
			star = pi++;
			mark = si;
		} else if (star != (size_t)-1) {
			pi = star + 1;
			si = ++mark;
		} else {
			return false;
		}
	}
	while (pi < plen && p[pi] == '*')
		pi++;
	return pi == plen;
}

const char *pb_cors_allow_origin(const char *origins, const char *origin)
{
	if (!origins)
		origins = "*";
	const char *allow = NULL;
	bool has_wild = false;
	const char *s;
	size_t n;
	for (const char *p = origins; pb_text_list_next(&p, &s, &n);) {
		if (n == 1 && s[0] == '*') {
			allow = "*";
			break;
		}
		if (strlen(origin) == n && !strncmp(s, origin, n)) {
			allow = origin;
			break;
		}
		if (memchr(s, '*', n) || memchr(s, '?', n))
			has_wild = true;
	}
	if (allow || !has_wild || strlen(origin) > 261 || !strstr(origin, "://"))
		return allow;
	for (const char *p = origins; pb_text_list_next(&p, &s, &n);) {
		if ((memchr(s, '*', n) || memchr(s, '?', n)) && glob(s, n, origin))
			return origin;
	}
	return NULL;
}

bool pb_mw_cors(struct pb_req *req, const char *origins)
{
	pb_resp_header_add_literal(req, "Vary", "Origin");
	const char *origin = pb_req_header(req, "Origin");
	bool preflight = !strcmp(req->method, "OPTIONS");
	if (!origin || !*origin) {
		if (preflight) {
			pb_resp_empty(req, 204);
			return false;
		}
		return true;
	}
	const char *allow = pb_cors_allow_origin(origins, origin);
	if (!allow) {
		if (preflight) {
			pb_resp_empty(req, 204);
			return false;
		}
		return true;
	}
	pb_resp_header_add(req, "Access-Control-Allow-Origin", allow);
	if (!preflight)
		return true;
	pb_resp_header_add(req, "Vary", "Access-Control-Request-Method");
	pb_resp_header_add(req, "Vary", "Access-Control-Request-Headers");
	pb_resp_header_add(req, "Access-Control-Allow-Methods", CORS_METHODS);
	const char *h = pb_req_header(req, "Access-Control-Request-Headers");
	if (h && *h)
		pb_resp_header_add(req, "Access-Control-Allow-Headers", h);
	pb_resp_empty(req, 204);
	return false;
}

void pb_mw_load_auth(struct pb_req *req)
{
	const char *h = pb_req_header(req, "Authorization");
	if (!h || !*h || !req->schema)
		return;
	const char *token = pb_auth_header_token(h);
	struct pb_auth a;
	if (pb_auth_token_resolve_cached(req->schema, req->stmts, &req->worker->auth_cache, token, "auth",
	                                 (int64_t)time(NULL), &a) != 0)
		return; /* an invalid token makes a guest */
	req->auth = a.record;
	req->auth_claims = a.claims;
	req->auth_collection = a.collection;
	req->superuser = a.superuser;
	a.record = NULL;
	a.claims = NULL;
	pb_auth_clear(&a);
}

void pb_mw_security_headers(struct pb_req *req)
{
	pb_resp_header_add_literal(req, "X-XSS-Protection", "1; mode=block");
	pb_resp_header_add_literal(req, "X-Content-Type-Options", "nosniff");
	pb_resp_header_add_literal(req, "X-Frame-Options", "SAMEORIGIN");
}

bool pb_mw_route_requirements(struct pb_req *req, const struct pb_route *route)
{
	if (route->flags & (PB_ROUTE_SUPERUSER | PB_ROUTE_AUTH)) {
		if (!req->auth) {
			pb_resp_error(req, 401, PB_MSG_REQUIRES_AUTH, NULL);
			return false;
		}
		if ((route->flags & PB_ROUTE_SUPERUSER) && !req->superuser) {
			pb_resp_error(req, 403, PB_MSG_AUTH_NOT_ALLOWED, NULL);
			return false;
		}
	}
	return true;
}
