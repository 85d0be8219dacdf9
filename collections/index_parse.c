/* index_parse — single-column UNIQUE index detection (see index_parse.h). Follows the
 * regular expressions of tools/dbutils/index.go by hand:
 *   create\s+(unique\s+)?\s*index\s*(if\s+not\s+exists\s+)?(\S*)\s+on\s+(\S*)\s*\((.*)\)…
 * (leftmost "create" that matches; the column list runs to the LAST ')'), then the column
 * list is split on ',' outside quotes/parentheses like tools/tokenizer (unbalanced → no
 * columns) and each column loses a trailing ASC|DESC and COLLATE name and the quote/space
 * trim set "`\"'[]\r\n\t\f\v ". */
#include "collections/index_parse.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *skip_ws(const char *p)
{
	while (*p && isspace((unsigned char)*p))
		p++;
	return p;
}

/* `word` (case-insensitive) at p followed by at least one space: returns the position after
 * the spaces, or NULL. */
static const char *word_ws(const char *p, const char *word)
{
	size_t n = strlen(word);
	if (strncasecmp(p, word, n) != 0 || !isspace((unsigned char)p[n]))
		return NULL;
	return skip_ws(p + n);
}

/* Matches the index regex at `p` (pointing at "create"). On success sets *unique and the
 * column list [*cols, *cols_end). */
static bool match_at(const char *p, bool *unique, const char **cols, const char **cols_end)
{
	const char *q = word_ws(p, "create");
	if (!q)
		return false;
	*unique = false;
	const char *u = word_ws(q, "unique");
	if (u) {
		*unique = true;
		q = u;
	}
	if (strncasecmp(q, "index", 5) != 0)
		return false;
	const char *after_index = q + 5;
	q = skip_ws(after_index);
	const char *ine = word_ws(q, "if");
	if (ine && (ine = word_ws(ine, "not")) && (ine = word_ws(ine, "exists")))
		q = ine;
	/* (\S*)\s+on\s+ : a name then "on", or an empty name right after the spaces */
	const char *name_end = q;
	while (*name_end && !isspace((unsigned char)*name_end))
		name_end++;
	const char *t = name_end > q ? word_ws(skip_ws(name_end), "on") : NULL;
	if (t && !isspace((unsigned char)*name_end))
		t = NULL;
	if (!t && q > after_index)
		t = word_ws(q, "on");
	if (!t)
		return false;
	/* (\S*)\s*\( : the table run, backing off to its last '(' when no '(' follows it */
	const char *run_end = t;
	while (*run_end && !isspace((unsigned char)*run_end))
		run_end++;
	const char *open = skip_ws(run_end);
	if (*open != '(') {
		open = NULL;
		for (const char *k = run_end; k > t; k--)
			if (k[-1] == '(') {
				open = k - 1;
				break;
			}
		if (!open)
			return false;
	}
	const char *close = strrchr(open + 1, ')');
	if (!close)
		return false;
	*cols = open + 1;
	*cols_end = close;
	return true;
}

static bool trim_char(char c) { return c && strchr("`\"'[]\r\n\t\f\v ", c); }

/* Strips a trailing `\s+word\s*$`-style suffix: returns the new end when [s, end) ends with
 * whitespace + `word` (case-insensitive), else end. */
static const char *strip_suffix_word(const char *s, const char *end, const char *word)
{
	size_t n = strlen(word);
	if ((size_t)(end - s) <= n || strncasecmp(end - n, word, n) != 0)
		return end;
	const char *k = end - n;
	if (k <= s || !isspace((unsigned char)k[-1]))
		return end;
	while (k > s && isspace((unsigned char)k[-1]))
		k--;
	return k > s ? k : end;
}

/* The column regex `^(.+?)(?:\s+collate\s+(\w+))?(?:\s+(asc|desc))?$` then the trim set:
 * sets [*ns, *ne) to the column name of the token [s, end) (may be empty) and [*cs, *ce) to
 * its COLLATE name (empty when none). */
static void column_name(const char *s, const char *end, const char **ns, const char **ne, const char **cs,
                        const char **ce)
{
	*cs = *ce = end;
	while (s < end && isspace((unsigned char)*s))
		s++;
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	const char *e = strip_suffix_word(s, end, "asc");
	if (e == end)
		e = strip_suffix_word(s, end, "desc");
	const char *w = e;
	while (w > s && (isalnum((unsigned char)w[-1]) || w[-1] == '_'))
		w--;
	if (w < e && w > s && isspace((unsigned char)w[-1])) {
		const char *k = w;
		while (k > s && isspace((unsigned char)k[-1]))
			k--;
		const char *c = strip_suffix_word(s, k, "collate");
		if (c != k) {
			*cs = w;
			*ce = e;
			e = c;
		}
	}
	while (s < e && trim_char(*s))
		s++;
	while (e > s && trim_char(e[-1]))
		e--;
	*ns = s;
	*ne = e;
}

/* The single-column UNIQUE index test; on success [*cs, *ce) is the column's COLLATE name. */
static bool single_unique(const char *sql, const char *column, const char **cs, const char **ce)
{
	if (!sql || !column)
		return false;
	bool unique = false;
	const char *cols = NULL, *cols_end = NULL;
	bool found = false;
	for (const char *p = sql; *p && !found; p++)
		if ((*p == 'c' || *p == 'C') && match_at(p, &unique, &cols, &cols_end))
			found = true;
	if (!found || !unique)
		return false;
	/* tokenizer: split on ',' outside quotes and parentheses; columns with an empty name
	 * are skipped like ParseIndex does */
	size_t ncols = 0;
	const char *tok = cols, *name = NULL, *name_end = NULL, *coll = NULL, *coll_end = NULL;
	int depth = 0;
	char quote = 0, prev = 0;
	for (const char *k = cols;; k++) {
		bool at_end = k == cols_end;
		char ch = at_end ? 0 : *k;
		if (!at_end && prev != '\\') {
			if (ch == '(' && !quote)
				depth++;
			else if (ch == ')' && depth > 0 && !quote)
				depth--;
			else if (ch == '\'' || ch == '"' || ch == '`')
				quote = quote == ch ? 0 : (quote ? quote : ch);
		}
		if (at_end || (ch == ',' && depth == 0 && !quote)) {
			const char *ns, *ne, *xs, *xe;
			column_name(tok, k, &ns, &ne, &xs, &xe);
			if (ne > ns && ncols++ == 0) {
				name = ns;
				name_end = ne;
				coll = xs;
				coll_end = xe;
			}
			if (at_end)
				break;
			tok = k + 1;
			prev = 0;
			continue;
		}
		prev = ch;
	}
	if (depth > 0 || quote || ncols != 1)
		return false;
	size_t n = (size_t)(name_end - name);
	if (n != strlen(column) || strncasecmp(name, column, n) != 0)
		return false;
	*cs = coll;
	*ce = coll_end;
	return true;
}

bool pb_index_is_single_unique(const char *sql, const char *column)
{
	const char *cs, *ce;
	return single_unique(sql, column, &cs, &ce);
}

bool pb_collection_unique_index_nocase(const struct pb_collection *c, const char *column, bool *nocase)
{
	size_t i;
	json_t *v;
	json_array_foreach(c->indexes, i, v)
	{
		const char *cs, *ce;
		if (single_unique(json_string_value(v), column, &cs, &ce)) {
			if (nocase)
				*nocase = ce - cs == 6 && strncasecmp(cs, "nocase", 6) == 0;
			return true;
		}
	}
	return false;
}

bool pb_collection_has_unique_index(const struct pb_collection *c, const char *column)
{
	size_t i;
	json_t *v;
	json_array_foreach(c->indexes, i, v)
	{
		if (pb_index_is_single_unique(json_string_value(v), column))
			return true;
	}
	return false;
}
