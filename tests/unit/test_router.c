/* test_router — ServeMux-style matching and path cleaning (api/router.c) and the CORS origin
 * rule (api/middleware.c). */
#include <stdlib.h>
#include <string.h>

#include "api/middleware.h"
#include "api/router.h"
#include "tests/unit/test.h"

static void h_a(struct pb_req *r) { (void)r; }

static const struct pb_route table[] = {
	{"GET", "/api/health", h_a, 0, NULL},
	{"GET", "/api/collections/{collection}", h_a, 0, NULL},
	{"PUT", "/api/collections/import", h_a, 0, NULL},
	{"GET", "/api/collections/meta/scaffolds", h_a, 0, NULL},
	{"GET", "/api/collections/{collection}/records/{id}", h_a, 0, NULL},
	{"GET", "/api/files/{collection}/{recordId}/{filename}", h_a, 0, NULL},
	{"GET", "/_/{path...}", h_a, 0, NULL},
	{"GET", "/{path...}", h_a, 0, NULL},
	{NULL, "/{path...}", h_a, 0, NULL},
	{0},
};

static const struct pb_route *match(const char *method, const char *path, struct pb_req *req)
{
	for (int i = 0; i < req->nparams; i++)
		free(req->params[i]);
	memset(req, 0, sizeof *req);
	req->method = method;
	req->raw_path = (char *)path;
	return pb_router_match(table, req);
}

int main(void)
{
	struct pb_req req;
	memset(&req, 0, sizeof req);
	CHECK(match("GET", "/api/health", &req) == &table[0]);
	CHECK(match("HEAD", "/api/health", &req) == &table[0]);
	CHECK(match("POST", "/api/health", &req) == &table[8]);
	CHECK(match("GET", "/api/collections/demo1", &req) == &table[1]);
	CHECK_STR(req.params[0], "demo1");
	/* a literal segment beats a wildcard; the method must fit */
	CHECK(match("GET", "/api/collections/meta/scaffolds", &req) == &table[3]);
	CHECK(match("GET", "/api/collections/import", &req) == &table[1]);
	CHECK(match("PUT", "/api/collections/import", &req) == &table[2]);
	CHECK(match("GET", "/api/collections/a%2Fb/records/x%20y", &req) == &table[4]);
	CHECK_STR(req.params[0], "a/b");
	CHECK_STR(req.params[1], "x y");
	CHECK(match("GET", "/api/files/c/r/a%2", &req) == NULL); /* a bad escape matches nothing (Go: 400) */
	CHECK(match("GET", "/_/", &req) == &table[6]);
	CHECK_STR(req.params[0], "");
	CHECK(match("GET", "/_/a/b.js", &req) == &table[6]);
	CHECK_STR(req.params[0], "a/b.js");
	CHECK(match("GET", "/api/collections/", &req) == &table[7]); /* empty segment: no {collection} */
	CHECK(match("DELETE", "/nothing/here", &req) == &table[8]);
	CHECK(match("GET", "/", &req) == &table[7]);
	for (int i = 0; i < req.nparams; i++)
		free(req.params[i]);

	char *c;
	CHECK(pb_router_clean_path("/api/health") == NULL);
	CHECK(pb_router_clean_path("/") == NULL);
	CHECK(pb_router_clean_path("/_/") == NULL);
	CHECK(pb_router_clean_path("/a/b/") == NULL);
	CHECK(pb_router_clean_path("/.well-known/..x/...") == NULL);
	free(c = pb_router_clean_path("/a/."));
	CHECK(c != NULL);
	free(c = pb_router_clean_path("/a/.."));
	CHECK(c != NULL);
	free(c = pb_router_clean_path("/a//b"));
	CHECK(c != NULL);
	free(c = pb_router_clean_path("/a//"));
	CHECK(c != NULL);
	CHECK_STR((c = pb_router_clean_path("//api//health")), "/api/health");
	free(c);
	CHECK_STR((c = pb_router_clean_path("/a/./b/../c/")), "/a/c/");
	free(c);
	CHECK_STR((c = pb_router_clean_path("/../x")), "/x");
	free(c);

	CHECK_STR(pb_cors_allow_origin("*", "https://a.com"), "*");
	CHECK_STR(pb_cors_allow_origin("https://a.com, https://b.com", "https://b.com"), "https://b.com");
	CHECK(pb_cors_allow_origin("https://a.com", "https://c.com") == NULL);
	CHECK_STR(pb_cors_allow_origin("https://*.example.com", "https://x.example.com"), "https://x.example.com");
	CHECK(pb_cors_allow_origin("https://*.example.com", "http://x.example.com") == NULL);
	CHECK_STR(pb_cors_allow_origin("http://localhost:300?", "http://localhost:3001"), "http://localhost:3001");
	CHECK(pb_cors_allow_origin("http://localhost:300?", "http://localhost:30011") == NULL);
	TEST_DONE();
}
