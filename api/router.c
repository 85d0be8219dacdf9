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

struct match {
	const struct pb_route *route;
	enum seg_kind kinds[MAX_SEGMENTS];
	int nkinds;
	char *params[PB_MAX_ROUTE_PARAMS]; /* owned where owned[i], else borrowed from the decoded segments */
	bool owned[PB_MAX_ROUTE_PARAMS];
	int nparams;
};

static void match_clear(struct match *m)
{
	for (int i = 0; i < m->nparams; i++)
		if (m->owned[i])
			free(m->params[i]);
	m->nparams = 0;
}

static bool method_ok(const struct pb_route *r, const char *method)
{
	if (!r->method)
		return true;
	if (r->method[0] == method[0] && !strcmp(r->method, method))
		return true;
	return method[0] == 'H' && !strcmp(r->method, "GET") && !strcmp(method, "HEAD");
}

/* Tries route r against the request segments (raw, and decoded once per request: NULL where a
 * segment has a bad escape). Fills m on success. */
static bool try_route(const struct pb_route *r, char **seg, char **dec, int nseg, struct match *m)
{
	m->route = r;
	m->nkinds = 0;
	m->nparams = 0;
	const char *p = r->pattern[0] == '/' ? r->pattern + 1 : r->pattern;
	int i = 0;
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t plen = slash ? (size_t)(slash - p) : strlen(p);
		if (plen > 2 && p[0] == '{' && p[plen - 1] == '}') {
			bool rest = plen > 5 && !strncmp(p + plen - 4, "...}", 4);
			if (rest) {
				/* the rest of the path, decoded as a whole */
				struct pb_strbuf b = PB_STRBUF_INIT;
				for (int k = i; k < nseg; k++) {
					if (k > i)
						pb_strbuf_putc(&b, '/');
					pb_strbuf_puts(&b, seg[k]);
				}
				char *v = pb_url_decode(b.data ? b.data : "", b.len, false);
				pb_strbuf_deinit(&b);
				if (!v)
					goto fail;
				if (m->nparams < PB_MAX_ROUTE_PARAMS) {
					m->owned[m->nparams] = true;
					m->params[m->nparams++] = v;
				} else {
					free(v);
				}
				m->kinds[m->nkinds++] = SEG_REST;
				return true;
			}
			if (i >= nseg || !seg[i][0] || !dec[i])
				goto fail;
			/* borrowed until this route wins (copied then) */
			if (m->nparams < PB_MAX_ROUTE_PARAMS) {
				m->owned[m->nparams] = false;
				m->params[m->nparams++] = dec[i];
			}
			m->kinds[m->nkinds++] = SEG_WILD;
		} else {
			if (i >= nseg || !dec[i] || dec[i][0] != p[0] || strlen(dec[i]) != plen || strncmp(dec[i], p, plen) != 0)
				goto fail;
			m->kinds[m->nkinds++] = SEG_LITERAL;
		}
		i++;
		if (!slash)
			break;
		p = slash + 1;
		if (m->nkinds == MAX_SEGMENTS)
			goto fail;
	}
	if (i == nseg)
		return true;
fail:
	match_clear(m);
	return false;
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

const struct pb_route *pb_router_match(const struct pb_route *routes, struct pb_req *req)
{
	char *path = strdup(req->raw_path ? req->raw_path : "/");
	if (!path)
		abort();
	char *seg[MAX_SEGMENTS];
	int nseg = split(path, seg, MAX_SEGMENTS);
	struct match best = {0}, cur;
	bool found = false;
	char *dec[MAX_SEGMENTS];
	for (int i = 0; i < nseg; i++)
		dec[i] = pb_url_decode(seg[i], strlen(seg[i]), false);
	if (nseg > 0) {
		for (const struct pb_route *r = routes; r->pattern; r++) {
			if (!method_ok(r, req->method))
				continue;
			if (!try_route(r, seg, dec, nseg, &cur))
				continue;
			if (!found || compare(&cur, &best) > 0) {
				match_clear(&best);
				best = cur;
				found = true;
			} else {
				match_clear(&cur);
			}
		}
	}
	if (found)
		for (int i = 0; i < best.nparams; i++)
			if (!best.owned[i]) {
				best.params[i] = strdup(best.params[i]);
				if (!best.params[i])
					abort();
				best.owned[i] = true;
			}
	for (int i = 0; i < nseg; i++)
		free(dec[i]);
	free(path);
	if (!found)
		return NULL;
	for (int i = 0; i < req->nparams; i++)
		free(req->params[i]);
	req->nparams = best.nparams;
	memcpy(req->params, best.params, sizeof best.params);
	return best.route;
}

char *pb_router_clean_path(const char *path)
{
	if (!path || path[0] != '/')
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
