/* view_parse — PocketBase's identifiersParser (core/view.go): a deliberately rough reading of
 * a SELECT that only needs the result column expressions with their aliases and the FROM/JOIN
 * tables with theirs. The three rewrite patterns run on PCRE2 with Go's \s class spelled out. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "collections/view_internal.h"
#include "core/regex.h"
#include "core/strbuf.h"
#include "core/tokenizer.h"

#define WS "[\\t\\n\\f\\r ]"

static const char comments_pattern[] = "(?m)(\\/\\*[\\s\\S]*?\\*\\/)|(--.+$)";
static const char join_pattern[] = "(?im)" WS "+(full" WS "+outer" WS "+join|left" WS "+outer" WS "+join|right" WS
                                   "+outer" WS "+join|full" WS "+join|cross" WS "+join|inner" WS "+join|outer" WS
                                   "+join|left" WS "+join|right" WS "+join|join)" WS "+?";
static const char discard_pattern[] = "(?im)" WS "+(where|group" WS "+by|having|order|limit|with)" WS "+?";

/* regexp.ReplaceAllString with a literal replacement; malloc'd. */
static char *replace_all(const char *pattern, const char *s, const char *with)
{
	struct pb_strbuf b = PB_STRBUF_INIT;
	size_t len = strlen(s), pos = 0, ov[2];
	pb_strbuf_puts(&b, "");
	while (pos <= len && pb_regex_submatch(pattern, s, len, pos, ov, 1) > 0) {
		pb_strbuf_append(&b, s + pos, ov[0] - pos);
		pb_strbuf_puts(&b, with);
		if (ov[1] == ov[0]) { /* empty match: copy one byte and move on, as Go does */
			if (ov[1] < len)
				pb_strbuf_putc(&b, s[ov[1]]);
			pos = ov[1] + 1;
		} else {
			pos = ov[1];
		}
	}
	if (pos < len)
		pb_strbuf_append(&b, s + pos, len - pos);
	return pb_strbuf_steal(&b);
}

/* strings.Trim of every dot part with `cutset`. */
static char *trim_identifier(const char *s, const char *cutset)
{
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_strbuf_puts(&b, "");
	const char *p = s;
	for (;;) {
		const char *dot = strchr(p, '.');
		const char *end = dot ? dot : p + strlen(p);
		const char *a = p, *z = end;
		while (a < z && strchr(cutset, *a))
			a++;
		while (z > a && strchr(cutset, z[-1]))
			z--;
		pb_strbuf_append(&b, a, (size_t)(z - a));
		if (!dot)
			break;
		pb_strbuf_putc(&b, '.');
		p = dot + 1;
	}
	return pb_strbuf_steal(&b);
}

static int identifier_from_parts(char **parts, size_t n, struct pb_view_ident *out, struct pb_error *err)
{
	const char *orig, *alias;
	if (n == 3) {
		if (strcasecmp(parts[1], "as") != 0)
			return pb_error_set(err, 400, "invalid identifier part - expected \"as\", got %s", parts[1]);
		orig = parts[0];
		alias = parts[2];
	} else if (n == 2) {
		orig = parts[0];
		alias = parts[1];
	} else if (n == 1) {
		orig = parts[0];
		const char *dot = strrchr(parts[0], '.');
		alias = dot ? dot + 1 : parts[0];
	} else {
		struct pb_strbuf b = PB_STRBUF_INIT;
		pb_strbuf_puts(&b, "[");
		for (size_t i = 0; i < n; i++)
			pb_strbuf_printf(&b, "%s%s", i ? " " : "", parts[i]);
		pb_strbuf_puts(&b, "]");
		pb_error_set(err, 400, "invalid identifier parts %s", pb_strbuf_cstr(&b));
		pb_strbuf_deinit(&b);
		return -1;
	}
	out->original = trim_identifier(orig, "`\"[];");
	out->alias = trim_identifier(alias, "`\"[];'");
	return 0;
}

static int extract(const char *raw, struct pb_view_ident **out, size_t *nout, struct pb_error *err)
{
	size_t n = 0;
	char **items = pb_tokenize(raw, NULL, &n, err);
	if (!items)
		return -1;
	*out = calloc(n ? n : 1, sizeof **out);
	*nout = 0;
	int rc = 0;
	const struct pb_tokenizer_opts ws = {.separators = " \n\t"};
	for (size_t i = 0; i < n && rc == 0; i++) {
		size_t np = 0;
		char **parts = pb_tokenize(items[i], &ws, &np, err);
		if (!parts) {
			rc = -1;
			break;
		}
		rc = identifier_from_parts(parts, np, &(*out)[*nout], err);
		if (rc == 0)
			(*nout)++;
		pb_tokens_free(parts);
	}
	pb_tokens_free(items);
	return rc;
}

char *pb_view_trim_query(const char *query)
{
	const char *a = query ? query : "";
	const char *z = a + strlen(a);
	while (a < z && strchr(" \t\n\r\f\v", *a))
		a++;
	while (z > a && strchr(" \t\n\r\f\v", z[-1]))
		z--;
	while (a < z && *a == ';')
		a++;
	while (z > a && z[-1] == ';')
		z--;
	char *q = strndup(a, (size_t)(z - a));
	if (!q)
		abort();
	return q;
}

int pb_view_idents_parse(const char *query, struct pb_view_idents *out, struct pb_error *err)
{
	memset(out, 0, sizeof *out);
	char *str = pb_view_trim_query(query);
	char *s1 = replace_all(comments_pattern, str, " ");
	char *s2 = replace_all(join_pattern, s1, " __pb_join__ ");
	char *s3 = replace_all(discard_pattern, s2, " __pb_discard__ ");
	free(str);
	free(s1);
	free(s2);

	const struct pb_tokenizer_opts opts = {.separators = ", \n\t", .keep_separator = true};
	size_t n = 0;
	char **toks = pb_tokenize(s3, &opts, &n, err);
	free(s3);
	if (!toks)
		return -1;
	struct pb_strbuf sel = PB_STRBUF_INIT, from = PB_STRBUF_INIT, join = PB_STRBUF_INIT;
	struct pb_strbuf *active = NULL;
	const char *part = "";
	bool skip = false;
	for (size_t i = 0; i < n; i++) {
		const char *t = toks[i];
		const char *ta = t, *tz = t + strlen(t);
		while (ta < tz && strchr(" \t\n\r\f\v", *ta))
			ta++;
		while (tz > ta && strchr(" \t\n\r\f\v", tz[-1]))
			tz--;
		size_t tl = (size_t)(tz - ta);
		if (tl == 6 && !strncasecmp(ta, "select", 6)) {
			skip = false;
			part = "select";
			active = &sel;
		} else if (tl == 8 && !strncasecmp(ta, "distinct", 8)) {
			continue;
		} else if (tl == 4 && !strncasecmp(ta, "from", 4)) {
			skip = false;
			part = "from";
			active = &from;
		} else if (tl == 11 && !strncmp(ta, "__pb_join__", 11)) {
			skip = false;
			if (!strcmp(part, "join"))
				pb_strbuf_putc(&join, ',');
			part = "join";
			active = &join;
		} else if (tl == 14 && !strncmp(ta, "__pb_discard__", 14)) {
			skip = true;
		} else {
			if (!strcmp(part, "join") && tl == 2 && !strncasecmp(ta, "on", 2))
				skip = true;
			if (!skip && active) {
				pb_strbuf_putc(active, ' ');
				pb_strbuf_puts(active, t);
			}
		}
	}
	pb_tokens_free(toks);
	int rc = extract(pb_strbuf_cstr(&sel), &out->columns, &out->ncolumns, err);
	struct pb_view_ident *joins = NULL;
	size_t njoins = 0;
	if (rc == 0)
		rc = extract(pb_strbuf_cstr(&from), &out->tables, &out->ntables, err);
	if (rc == 0)
		rc = extract(pb_strbuf_cstr(&join), &joins, &njoins, err);
	if (rc == 0 && njoins) {
		out->tables = realloc(out->tables, (out->ntables + njoins) * sizeof *out->tables);
		memcpy(out->tables + out->ntables, joins, njoins * sizeof *joins);
		out->ntables += njoins;
		free(joins);
		joins = NULL;
	}
	if (joins) {
		for (size_t i = 0; i < njoins; i++) {
			free(joins[i].original);
			free(joins[i].alias);
		}
		free(joins);
	}
	pb_strbuf_deinit(&sel);
	pb_strbuf_deinit(&from);
	pb_strbuf_deinit(&join);
	if (rc != 0)
		pb_view_idents_free(out);
	return rc;
}

static void free_list(struct pb_view_ident *l, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(l[i].original);
		free(l[i].alias);
	}
	free(l);
}

void pb_view_idents_free(struct pb_view_idents *p)
{
	free_list(p->columns, p->ncolumns);
	free_list(p->tables, p->ntables);
	memset(p, 0, sizeof *p);
}
