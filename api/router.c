/* router — pattern matching over the route table (see router.h). */
#include "api/router.h"

#include <stdlib.h>
#include <string.h>

#define MAX_SEGMENTS 64

/* Splits the escaped path (leading '/' removed) into segments in place. A trailing slash
 * yields a final empty segment, as ServeMux sees it. */
static int split(char *path, char **seg, int max)
{
	int n = 0;
	char *p = path[0] == '/' ? path + 1 : path;
	for (;;) {
		if (n == max)
			return -1;
		seg[n++] = p;
		char *slash = strchr(p, '/');
		if (!slash)
			break;
		*slash = '\0';
		p = slash + 1;
	}
	return n;
}

/* Score of a pattern segment kind, for specificity: literal > single wildcard > rest. */
enum seg_kind { SEG_LITERAL = 2, SEG_WILD = 1, SEG_REST = 0 };

/* One pattern segment: a literal (borrowed from the pattern), `{name}` or `{name...}`. */
struct pattern_seg {
	enum seg_kind kind;
	const char *lit;
	size_t len;
};

/* A route's pattern split once: nseg segments, the last one possibly the rest wildcard. */
struct compiled_route {
	const struct pb_route *route;
	struct pattern_seg segs[MAX_SEGMENTS];
	int nseg;
	bool rest;   /* the last segment is {name...} */
	bool usable; /* false for a pattern of more than MAX_SEGMENTS segments (never matches) */
};

/* Route indexes by segment count: a path of n segments can only match the routes of exactly
 * n segments and the rest-wildcard routes of at most n + 1. Each list is in table order. */
#define ROUTE_BUCKETS (MAX_SEGMENTS + 1)

struct pb_router {
	struct compiled_route *routes; /* owned */
	size_t n;
	size_t *exact[ROUTE_BUCKETS]; /* owned: indexes of the usable non-rest routes of k segments */
	size_t nexact[ROUTE_BUCKETS];
	size_t *rest; /* owned: indexes of the usable rest-wildcard routes */
	size_t nrest;
};

static void compile(const struct pb_route *r, struct compiled_route *cr)
{
	cr->route = r;
	cr->nseg = 0;
	cr->rest = false;
	cr->usable = true;
	const char *p = r->pattern[0] == '/' ? r->pattern + 1 : r->pattern;
	for (;;) {
		if (cr->nseg == MAX_SEGMENTS) {
			cr->usable = false;
			return;
		}
		const char *slash = strchr(p, '/');
		size_t plen = slash ? (size_t)(slash - p) : strlen(p);
		struct pattern_seg *s = &cr->segs[cr->nseg++];
		s->lit = p;
		s->len = plen;
		s->kind = SEG_LITERAL;
		if (plen > 2 && p[0] == '{' && p[plen - 1] == '}') {
			s->kind = plen > 5 && !strncmp(p + plen - 4, "...}", 4) ? SEG_REST : SEG_WILD;
			if (s->kind == SEG_REST) {
				cr->rest = true; /* the rest of the pattern is never looked at */
				return;
			}
		}
		if (!slash)
			return;
		p = slash + 1;
	}
}

struct pb_router *pb_router_new(const struct pb_route *routes)
{
	struct pb_router *rt = calloc(1, sizeof *rt);
	if (!rt)
		abort();
	while (routes[rt->n].pattern)
		rt->n++;
	rt->routes = calloc(rt->n ? rt->n : 1, sizeof *rt->routes);
	if (!rt->routes)
		abort();
	for (size_t i = 0; i < rt->n; i++)
		compile(&routes[i], &rt->routes[i]);
	for (size_t i = 0; i < rt->n; i++) {
		const struct compiled_route *cr = &rt->routes[i];
		if (!cr->usable)
			continue;
		size_t **list = cr->rest ? &rt->rest : &rt->exact[cr->nseg];
		size_t *count = cr->rest ? &rt->nrest : &rt->nexact[cr->nseg];
		size_t *grown = realloc(*list, (*count + 1) * sizeof **list);
		if (!grown)
			abort();
		grown[(*count)++] = i;
		*list = grown;
	}
	return rt;
}

void pb_router_free(struct pb_router *rt)
{
	if (!rt)
		return;
	for (size_t k = 0; k < ROUTE_BUCKETS; k++)
		free(rt->exact[k]);
	free(rt->rest);
	free(rt->routes);
	free(rt);
}

/* The request path, split and decoded once: dec[i] is segment i percent-decoded (NULL for a
 * bad escape), borrowed from the split copy when it has no escape, else owned. */
struct path_segs {
	char *raw[MAX_SEGMENTS];
	const char *dec[MAX_SEGMENTS];
	size_t declen[MAX_SEGMENTS];
	bool owned[MAX_SEGMENTS];
	int n;
};

static bool method_ok(const struct pb_route *r, const char *method, bool is_head)
{
	if (!r->method)
		return true;
	if (r->method[0] == method[0] && !strcmp(r->method, method))
		return true;
	return is_head && r->method[0] == 'G' && !strcmp(r->method, "GET");
}

/* Whether route cr matches the request segments: a literal equals the decoded segment, a
 * wildcard takes one non-empty, well-escaped segment, the rest wildcard the remaining ones
 * (possibly none) when all are well escaped (an escape never spans a '/'). */
static bool route_matches(const struct compiled_route *cr, const struct path_segs *ps)
{
	if (!cr->usable || (cr->rest ? ps->n < cr->nseg - 1 : ps->n != cr->nseg))
		return false;
	if (!cr->rest) {
		/* last segment first: in a table of /api/collections/{collection}/<action> routes
		 * that is the one that tells them apart */
		for (int i = cr->nseg - 1; i >= 0; i--) {
			const struct pattern_seg *s = &cr->segs[i];
			if (s->kind == SEG_LITERAL ? !ps->dec[i] || ps->declen[i] != s->len || memcmp(ps->dec[i], s->lit, s->len)
			                           : !ps->raw[i][0] || !ps->dec[i])
				return false;
		}
		return true;
	}
	for (int i = 0; i < cr->nseg; i++) {
		const struct pattern_seg *s = &cr->segs[i];
		switch (s->kind) {
		case SEG_LITERAL:
			if (!ps->dec[i] || ps->declen[i] != s->len || memcmp(ps->dec[i], s->lit, s->len) != 0)
				return false;
			break;
		case SEG_WILD:
			if (!ps->raw[i][0] || !ps->dec[i])
				return false;
			break;
		case SEG_REST:
			for (int k = i; k < ps->n; k++)
				if (!ps->dec[k])
					return false;
			return true;
		}
	}
	return true;
}

/* > 0 when a is more specific than b */
static int compare(const struct compiled_route *a, const struct compiled_route *b)
{
	int n = a->nseg < b->nseg ? a->nseg : b->nseg;
	for (int i = 0; i < n; i++)
		if (a->segs[i].kind != b->segs[i].kind)
			return (int)a->segs[i].kind - (int)b->segs[i].kind;
	if (a->nseg != b->nseg)
		return a->nseg - b->nseg;
	return (a->route->method != NULL) - (b->route->method != NULL);
}

/* The value of a param of the winning match (new string). */
static char *param_value(const struct path_segs *ps, int seg, bool rest)
{
	if (!rest)
		return strdup(ps->dec[seg]);
	struct pb_strbuf b = PB_STRBUF_INIT;
	for (int k = seg; k < ps->n; k++) {
		if (k > seg)
			pb_strbuf_putc(&b, '/');
		pb_strbuf_append(&b, ps->dec[k], ps->declen[k]);
	}
	return b.data ? pb_strbuf_steal(&b) : strdup("");
}

const struct pb_route *pb_router_find(const struct pb_router *rt, struct pb_req *req)
{
	char *path = strdup(req->raw_path ? req->raw_path : "/");
	if (!path)
		abort();
	struct path_segs ps;
	ps.n = split(path, ps.raw, MAX_SEGMENTS);
	for (int i = 0; i < ps.n; i++) {
		size_t len = strlen(ps.raw[i]);
		ps.owned[i] = memchr(ps.raw[i], '%', len) != NULL;
		ps.dec[i] = ps.owned[i] ? pb_url_decode(ps.raw[i], len, false) : ps.raw[i];
		ps.declen[i] = !ps.dec[i] ? 0 : ps.owned[i] ? strlen(ps.dec[i]) : len;
	}
	const struct compiled_route *best = NULL;
	bool is_head = !strcmp(req->method, "HEAD");
	/* the candidates: the routes of exactly ps.n segments and the rest routes, merged back
	 * into table order (the first of equally specific matches wins) */
	size_t ne = ps.n > 0 ? rt->nexact[ps.n] : 0, nr = ps.n > 0 ? rt->nrest : 0;
	const size_t *exact = ps.n > 0 ? rt->exact[ps.n] : NULL;
	for (size_t a = 0, b = 0; a < ne || b < nr;) {
		size_t k = b >= nr || (a < ne && exact[a] < rt->rest[b]) ? exact[a++] : rt->rest[b++];
		const struct compiled_route *cr = &rt->routes[k];
		if (!method_ok(cr->route, req->method, is_head) || !route_matches(cr, &ps))
			continue;
		if (!best || compare(cr, best) > 0)
			best = cr;
	}
	if (best) {
		for (int i = 0; i < req->nparams; i++)
			free(req->params[i]);
		memset(req->params, 0, sizeof req->params);
		req->nparams = 0;
		for (int i = 0; i < best->nseg && req->nparams < PB_MAX_ROUTE_PARAMS; i++)
			if (best->segs[i].kind != SEG_LITERAL)
				req->params[req->nparams++] = param_value(&ps, i, best->segs[i].kind == SEG_REST);
	}
	for (int i = 0; i < ps.n; i++)
		if (ps.owned[i])
			free((char *)ps.dec[i]);
	free(path);
	return best ? best->route : NULL;
}

const struct pb_route *pb_router_match(const struct pb_route *routes, struct pb_req *req)
{
	struct pb_router *rt = pb_router_new(routes);
	const struct pb_route *r = pb_router_find(rt, req);
	pb_router_free(rt);
	return r;
}

/* A path is already clean when no segment is empty (but the last, after a trailing slash),
 * "." or "..": nearly every request, told without rebuilding it. */
static bool plainly_clean(const char *path)
{
	for (const char *seg = path + 1;;) {
		const char *slash = strchr(seg, '/');
		size_t n = slash ? (size_t)(slash - seg) : strlen(seg);
		if ((n == 0 && slash) || (n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return false;
		if (!slash)
			return true;
		seg = slash + 1;
	}
}

char *pb_router_clean_path(const char *path)
{
	if (!path || path[0] != '/' || plainly_clean(path))
		return NULL;
	size_t n = strlen(path);
	bool trailing = n > 1 && path[n - 1] == '/';
	/* rebuild from the segments, resolving . and .. and dropping empty ones */
	char *copy = strdup(path);
	char **stack = malloc((n + 1) * sizeof *stack);
	if (!copy || !stack)
		abort();
	int depth = 0;
	for (char *tok = strtok(copy, "/"); tok; tok = strtok(NULL, "/")) {
		if (!strcmp(tok, "."))
			continue;
		if (!strcmp(tok, "..")) {
			if (depth)
				depth--;
			continue;
		}
		stack[depth++] = tok;
	}
	struct pb_strbuf b = PB_STRBUF_INIT;
	for (int i = 0; i < depth; i++) {
		pb_strbuf_putc(&b, '/');
		pb_strbuf_puts(&b, stack[i]);
	}
	if (!depth || trailing)
		pb_strbuf_putc(&b, '/');
	free(stack);
	free(copy);
	if (strcmp(b.data, path) == 0) {
		pb_strbuf_deinit(&b);
		return NULL;
	}
	return pb_strbuf_steal(&b);
}
