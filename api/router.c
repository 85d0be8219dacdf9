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

/* The request path, split and decoded once: dec[i] is segment i percent-decoded (NULL for a
 * bad escape), borrowed from the split copy when it has no escape, else owned. */
struct path_segs {
	char *raw[MAX_SEGMENTS];
	const char *dec[MAX_SEGMENTS];
	size_t declen[MAX_SEGMENTS];
	bool owned[MAX_SEGMENTS];
	int n;
};

/* A candidate route: params borrowed from the segments (the rest wildcard as the index of its
 * first segment), built only for the winner. */
struct match {
	const struct pb_route *route;
	enum seg_kind kinds[MAX_SEGMENTS];
	int nkinds;
	int param_seg[PB_MAX_ROUTE_PARAMS]; /* segment index of each param */
	bool param_rest[PB_MAX_ROUTE_PARAMS];
	int nparams;
};

static bool method_ok(const struct pb_route *r, const char *method, bool is_head)
{
	if (!r->method)
		return true;
	if (r->method[0] == method[0] && !strcmp(r->method, method))
		return true;
	return is_head && r->method[0] == 'G' && !strcmp(r->method, "GET");
}

static void add_param(struct match *m, int seg, bool rest)
{
	if (m->nparams < PB_MAX_ROUTE_PARAMS) {
		m->param_seg[m->nparams] = seg;
		m->param_rest[m->nparams] = rest;
		m->nparams++;
	}
}

/* Tries route r against the request segments. Fills m on success. */
static bool try_route(const struct pb_route *r, const struct path_segs *ps, struct match *m)
{
	m->route = r;
	m->nkinds = 0;
	m->nparams = 0;
	const char *p = r->pattern[0] == '/' ? r->pattern + 1 : r->pattern;
	int i = 0, nseg = ps->n;
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t plen = slash ? (size_t)(slash - p) : strlen(p);
		if (plen > 2 && p[0] == '{' && p[plen - 1] == '}') {
			bool rest = plen > 5 && !strncmp(p + plen - 4, "...}", 4);
			if (rest) {
				/* the rest of the path, decoded as a whole: valid when every segment is (an
				 * escape never spans a '/') */
				for (int k = i; k < nseg; k++)
					if (!ps->dec[k])
						return false;
				add_param(m, i, true);
				m->kinds[m->nkinds++] = SEG_REST;
				return true;
			}
			if (i >= nseg || !ps->raw[i][0] || !ps->dec[i])
				return false;
			add_param(m, i, false);
			m->kinds[m->nkinds++] = SEG_WILD;
		} else {
			if (i >= nseg || !ps->dec[i] || ps->declen[i] != plen || memcmp(ps->dec[i], p, plen) != 0)
				return false;
			m->kinds[m->nkinds++] = SEG_LITERAL;
		}
		i++;
		if (!slash)
			break;
		p = slash + 1;
		if (m->nkinds == MAX_SEGMENTS)
			return false;
	}
	return i == nseg;
}

/* > 0 when a is more specific than b */
static int compare(const struct match *a, const struct match *b)
{
	int n = a->nkinds < b->nkinds ? a->nkinds : b->nkinds;
	for (int i = 0; i < n; i++)
		if (a->kinds[i] != b->kinds[i])
			return (int)a->kinds[i] - (int)b->kinds[i];
	if (a->nkinds != b->nkinds)
		return a->nkinds - b->nkinds;
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

const struct pb_route *pb_router_match(const struct pb_route *routes, struct pb_req *req)
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
	struct match best = {0}, cur;
	bool found = false, is_head = !strcmp(req->method, "HEAD");
	for (const struct pb_route *r = routes; ps.n > 0 && r->pattern; r++) {
		if (!method_ok(r, req->method, is_head) || !try_route(r, &ps, &cur))
			continue;
		if (!found || compare(&cur, &best) > 0) {
			best = cur;
			found = true;
		}
	}
	if (found) {
		for (int i = 0; i < req->nparams; i++)
			free(req->params[i]);
		memset(req->params, 0, sizeof req->params);
		req->nparams = best.nparams;
		for (int i = 0; i < best.nparams; i++)
			req->params[i] = param_value(&ps, best.param_seg[i], best.param_rest[i]);
	}
	for (int i = 0; i < ps.n; i++)
		if (ps.owned[i])
			free((char *)ps.dec[i]);
	free(path);
	return found ? best.route : NULL;
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
