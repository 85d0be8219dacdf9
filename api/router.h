/* router — method + path pattern matching with Go 1.22 ServeMux semantics as PocketBase
 * uses them: patterns are split on '/', `{name}` matches one (percent-decoded) segment,
 * `{name...}` matches the rest of the path (possibly empty), a GET pattern also serves HEAD,
 * a pattern without method serves every method, and when several patterns match the most
 * specific wins (a literal segment beats a wildcard, a single-segment wildcard beats a rest
 * wildcard, at the first place they differ; then a method-specific pattern beats an any-method
 * one). Paths that are not clean (`//`, `.`/`..` segments) are redirected like ServeMux does. */
#ifndef POCKETC_API_ROUTER_H
#define POCKETC_API_ROUTER_H

#include "api/http.h"

typedef void (*pb_handler_fn)(struct pb_req *req);

enum pb_route_flags {
	PB_ROUTE_SUPERUSER = 1 << 0, /* RequireSuperuserAuth */
	PB_ROUTE_AUTH = 1 << 1,      /* RequireAuth (any auth record) */
	PB_ROUTE_SKIP_SUCCESS_LOG = 1 << 2, /* SkipSuccessActivityLog: only failures are logged */
	PB_ROUTE_NO_RATE_LIMIT = 1 << 3,    /* the global rate limiter is unbound (checked inline) */
};

struct pb_route {
	const char *method;   /* "GET", "POST", … or NULL for any */
	const char *pattern;  /* "/api/collections/{collection}/records/{id}" */
	pb_handler_fn handler;
	unsigned flags;
	/* Optional, runs where PocketBase's body-limit middleware runs (after CORS, auth token and
	 * security headers, before route requirements and before the body is read): sets
	 * req->body_limit, or answers (returns false) e.g. for an unknown collection. */
	bool (*before_body)(struct pb_req *req);
};

/* The whole route table (api/routes.c), terminated by a zeroed entry. */
extern const struct pb_route pb_routes[];

/* A route table split into segments once (a worker builds one at start): pb_router_find
 * does not re-read the patterns. Borrows `routes` (must outlive it). Free with
 * pb_router_free. */
struct pb_router;
struct pb_router *pb_router_new(const struct pb_route *routes);
void pb_router_free(struct pb_router *rt);
/* pb_router_match over a compiled table (same result). */
const struct pb_route *pb_router_find(const struct pb_router *rt, struct pb_req *req);

/* Finds the best route of `routes` for req->method/req->raw_path and fills req->params
 * (decoded). Returns NULL when nothing matches (a malformed escape in a parameter segment
 * counts as no match). */
const struct pb_route *pb_router_match(const struct pb_route *routes, struct pb_req *req);

/* ServeMux's path cleaning: returns a new cleaned path (caller frees) when `path` is not
 * clean (so the caller redirects with 301), or NULL when it is clean. */
char *pb_router_clean_path(const char *path);

#endif
