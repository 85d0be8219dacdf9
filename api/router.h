/* router — method + path pattern matching with Go 1.22 ServeMux semantics as PocketBase
 * uses them: patterns are split on '/', `{name}` matches one (percent-decoded) segment,
 * `{name...}` matches the rest of the path, a GET pattern also serves HEAD, and when several
 * patterns match the most specific wins (a literal segment beats a wildcard at the first
 * place they differ). */
#ifndef POCKETC_API_ROUTER_H
#define POCKETC_API_ROUTER_H

#include "api/http.h"

typedef void (*pb_handler_fn)(struct pb_req *req);

enum pb_route_flags {
	PB_ROUTE_SUPERUSER = 1 << 0, /* RequireSuperuserAuth */
	PB_ROUTE_AUTH = 1 << 1,      /* RequireAuth (any auth record) */
};

struct pb_route {
	const char *method;   /* "GET", "POST", … or NULL for any */
	const char *pattern;  /* "/api/collections/{collection}/records/{id}" */
	pb_handler_fn handler;
	unsigned flags;
};

/* The whole route table (api/routes.c), terminated by a zeroed entry. */
extern const struct pb_route pb_routes[];

/* Finds the best route for req->method/req->raw_path and fills req->params (decoded). Returns
 * NULL when nothing matches (including a malformed escape in a parameter segment). */
const struct pb_route *pb_router_match(struct pb_req *req);

#endif
