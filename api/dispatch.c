/* dispatch — the middleware chain around each route handler (see dispatch.h). The mux-level
 * redirects of Go's ServeMux (unclean paths, `/_` → `/_/`) run first and outside the
 * middlewares, as in PocketBase. */
#include "api/dispatch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/middleware.h"
#include "api/router.h"

static bool mux_redirects(struct pb_req *req)
{
	char *clean = pb_router_clean_path(req->raw_path);
	if (!clean && strcmp(req->raw_path, "/_") == 0)
		clean = strdup("/_/");
	if (!clean)
		return false;
	struct pb_strbuf loc = PB_STRBUF_INIT;
	pb_strbuf_puts(&loc, clean);
	if (req->raw_query) {
		pb_strbuf_putc(&loc, '?');
		pb_strbuf_puts(&loc, req->raw_query);
	}
	free(clean);
	pb_resp_redirect(req, 301, pb_strbuf_cstr(&loc));
	pb_strbuf_deinit(&loc);
	return true;
}

bool pb_dispatch_head(struct pb_req *req)
{
	if (strcmp(req->raw_path, "*") == 0) {
		pb_resp_error(req, 400, NULL, NULL);
		return false;
	}
	if (mux_redirects(req))
		return false;
	req->route = pb_router_match(pb_routes, req);
	if (!pb_mw_cors(req, req->app->cfg->origins))
		return false;
	pb_mw_load_auth(req);
	pb_mw_security_headers(req);
	if (!req->route) {
		/* the catch-all is always registered, so this only happens for a path with a bad
		 * percent-escape, which Go's server refuses as a bad request */
		pb_resp_error(req, 400, NULL, NULL);
		return false;
	}
	if (req->route->before_body && !req->route->before_body(req))
		return false;
	return pb_mw_route_requirements(req, req->route);
}

void pb_dispatch_run(struct pb_req *req)
{
	req->route->handler(req);
	if (!req->responded && !req->async) {
		fprintf(stderr, "handler of %s %s returned without an answer\n", req->method, req->route->pattern);
		pb_resp_error(req, 500, NULL, NULL);
	}
}

void pb_dispatch_finished(struct pb_req *req) { (void)req; }
