/* dispatch — the middleware chain around each route handler (see dispatch.h), in the order of
 * PocketBase's middleware priorities (pb-api.md §4.1). The mux-level
 * redirects of Go's ServeMux (unclean paths, `/_` → `/_/`) run first and outside the
 * middlewares, as in PocketBase. */
#include "api/dispatch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/activity_log.h"
#include "api/forward_auth.h"
#include "api/middleware.h"
#include "api/ratelimit.h"
#include "api/realip.h"
#include "api/router.h"
#include "api/worker.h"

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
	req->route = req->worker && req->worker->router ? pb_router_find(req->worker->router, req)
	                                                : pb_router_match(pb_routes, req);
	if (!pb_mw_cors(req, req->app->cfg->origins))
		return false;
	/* pbActivityLogger: from here on the exchange is logged when it ends (a path with a bad
	 * escape never reaches PocketBase's router: Go's server refuses it) */
	req->log_activity = req->route != NULL;
	pb_mw_load_auth(req);
	pb_mw_real_ip(req);
	/* ours: the trusted proxy's header; a record creation makes the auth-dependent steps wait
	 * for pb_dispatch_run */
	bool pending = pb_forward_auth_begin(req);
	if (!pending && !pb_mw_superuser_ips(req))
		return false;
	pb_mw_security_headers(req);
	if (!req->route) {
		/* the catch-all is always registered, so this only happens for a path with a bad
		 * percent-escape, which Go's server refuses as a bad request */
		pb_resp_error(req, 400, NULL, NULL);
		return false;
	}
	if (!pending && !pb_mw_rate_limit(req))
		return false;
	if (req->route->before_body && !req->route->before_body(req))
		return false;
	return pending || pb_mw_route_requirements(req, req->route);
}

static void run_handler(struct pb_req *req)
{
	req->route->handler(req);
	if (!req->responded && !req->async) {
		fprintf(stderr, "handler of %s %s returned without an answer\n", req->method, req->route->pattern);
		pb_resp_error(req, 500, NULL, NULL);
	}
}

/* The middlewares that depend on the auth, once a forward-auth creation has finished. */
static void run_after_auth(struct pb_req *req)
{
	if (!pb_mw_superuser_ips(req) || !pb_mw_rate_limit(req) || !pb_mw_route_requirements(req, req->route))
		return;
	run_handler(req);
}

void pb_dispatch_run(struct pb_req *req)
{
	if (req->forward_auth) {
		if (pb_forward_auth_ready(req, run_after_auth))
			run_after_auth(req);
		return;
	}
	run_handler(req);
}

void pb_dispatch_finished(struct pb_req *req) { pb_activity_log(req); }
