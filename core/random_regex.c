/* random_regex — parse a Go RE2 pattern into a small tree and walk it randomly
 * (see random_regex.h). */
#include "core/random_regex.h"

#include "core/random.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "core/text.h"

#define MAX_RUNE 0x10FFFF
#define DEFAULT_MAX_REPEAT 6

enum node_kind { N_LITERAL, N_CLASS, N_ANY, N_CONCAT, N_ALT, N_REPEAT, N_EMPTY };

struct node {
	enum node_kind kind;
	uint32_t rune;          /* N_LITERAL */
	uint32_t *ranges;       /* N_CLASS: lo,hi pairs, sorted and merged */
	size_t nranges;         /* pairs */
	struct node **subs;     /* N_CONCAT / N_ALT / N_REPEAT (one sub) */
	size_t nsubs;
	int min, max;           /* N_REPEAT; max -1 = unbounded */
};

struct parser {
	const char *p;
	bool fold;              /* (?i) */
	const char *error;
};

static struct node *node_new(enum node_kind k)
{
	struct node *n = calloc(1, sizeof *n);
	if (!n)
		abort();
	n->kind = k;
	return n;
}

static void node_free(struct node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->nsubs; i++)
		node_free(n->subs[i]);
	free(n->subs);
	free(n->ranges);
	free(n);
}

static void node_add(struct node *n, struct node *sub)
{
	n->subs = realloc(n->subs, (n->nsubs + 1) * sizeof *n->subs);
	if (!n->subs)
		abort();
	n->subs[n->nsubs++] = sub;
}

/* ---- character classes ---- */

struct ranges {
	uint32_t *r;
	size_t n, cap; /* pairs */
};

static void ranges_add(struct ranges *rs, uint32_t lo, uint32_t hi)
{
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 8;
		rs->r = realloc(rs->r, rs->cap * 2 * sizeof *rs->r);
		if (!rs->r)
			abort();
	}
	rs->r[2 * rs->n] = lo;
	rs->r[2 * rs->n + 1] = hi;
	rs->n++;
}

static int cmp_pair(const void *a, const void *b)
{
	const uint32_t *x = a, *y = b;
	return x[0] < y[0] ? -1 : x[0] > y[0];
}

static void ranges_normalize(struct ranges *rs)
{
	if (rs->n == 0)
		return;
	qsort(rs->r, rs->n, 2 * sizeof *rs->r, cmp_pair);
	size_t w = 0;
	for (size_t i = 1; i < rs->n; i++) {
		if (rs->r[2 * i] <= rs->r[2 * w + 1] + 1) {
			if (rs->r[2 * i + 1] > rs->r[2 * w + 1])
				rs->r[2 * w + 1] = rs->r[2 * i + 1];
		} else {
			w++;
			rs->r[2 * w] = rs->r[2 * i];
			rs->r[2 * w + 1] = rs->r[2 * i + 1];
		}
	}
	rs->n = w + 1;
}

static void ranges_negate(struct ranges *rs)
{
	ranges_normalize(rs);
	struct ranges out = {0};
	uint32_t next = 0;
	for (size_t i = 0; i < rs->n; i++) {
		if (rs->r[2 * i] > next)
			ranges_add(&out, next, rs->r[2 * i] - 1);
		next = rs->r[2 * i + 1] + 1;
	}
	if (next <= MAX_RUNE)
		ranges_add(&out, next, MAX_RUNE);
	free(rs->r);
	*rs = out;
}

/* adds the other ASCII case of every letter range (used with (?i)) */
static void ranges_fold(struct ranges *rs)
{
	size_t n = rs->n;
	for (size_t i = 0; i < n; i++) {
		uint32_t lo = rs->r[2 * i], hi = rs->r[2 * i + 1];
		for (uint32_t c = lo; c <= hi && c < 128; c++) {
			if (c >= 'a' && c <= 'z')
				ranges_add(rs, c - 32, c - 32);
			else if (c >= 'A' && c <= 'Z')
				ranges_add(rs, c + 32, c + 32);
		}
	}
}

static struct node *class_node(struct ranges *rs)
{
	ranges_normalize(rs);
	struct node *n = node_new(N_CLASS);
	n->ranges = rs->r;
	n->nranges = rs->n;
	return n;
}

/* \d \w \s (+ negated) into rs; returns false when `c` is not such a class letter */
static bool perl_class(char c, struct ranges *rs)
{
	struct ranges tmp = {0};
	switch (c | 0x20) {
	case 'd': ranges_add(&tmp, '0', '9'); break;
	case 'w':
		ranges_add(&tmp, '0', '9'), ranges_add(&tmp, 'A', 'Z'), ranges_add(&tmp, '_', '_');
		ranges_add(&tmp, 'a', 'z');
		break;
	case 's':
		ranges_add(&tmp, '\t', '\n'), ranges_add(&tmp, '\f', '\r'), ranges_add(&tmp, ' ', ' ');
		break;
	default: return false;
	}
	if (c >= 'A' && c <= 'Z')
		ranges_negate(&tmp);
	for (size_t i = 0; i < tmp.n; i++)
		ranges_add(rs, tmp.r[2 * i], tmp.r[2 * i + 1]);
	free(tmp.r);
	return true;
}

static const struct {
	const char *name;
	const char *spec; /* lo,hi pairs as chars */
} posix_classes[] = {
	{"alnum", "09AZaz"}, {"alpha", "AZaz"}, {"ascii", "\x01\x7f"}, {"blank", "\t\t  "},
	{"cntrl", "\x01\x1f\x7f\x7f"}, {"digit", "09"}, {"graph", "!~"}, {"lower", "az"},
	{"print", " ~"}, {"punct", "!/:@[`{~"}, {"space", "\t\r  "}, {"upper", "AZ"},
	{"word", "09AZ__az"}, {"xdigit", "09AFaf"},
};

/* decodes one UTF-8 rune (invalid bytes give U+FFFD and advance one byte) */
static uint32_t utf8_next(const char **pp)
{
	const unsigned char *s = (const unsigned char *)*pp;
	uint32_t c = s[0];
	int len = 1;
	if (c >= 0xF0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80)
		c = ((c & 7) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu), len = 4;
	else if (c >= 0xE0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80)
		c = ((c & 0xF) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu), len = 3;
	else if (c >= 0xC0 && (s[1] & 0xC0) == 0x80)
		c = ((c & 0x1F) << 6) | (s[1] & 0x3Fu), len = 2;
	else if (c >= 0x80)
		c = 0xFFFD;
	*pp += len;
	return c;
}

/* an escaped literal after '\' (p at the char after the backslash); -1 on error */
static int64_t escape_rune(struct parser *ps)
{
	char c = *ps->p;
	if (!c) {
		ps->error = "trailing backslash at end of expression";
		return -1;
	}
	ps->p++;
	switch (c) {
	case 'a': return 7;
	case 'f': return '\f';
	case 'n': return '\n';
	case 'r': return '\r';
	case 't': return '\t';
	case 'v': return '\v';
	case 'x': {
		uint32_t v = 0;
		if (*ps->p == '{') {
			ps->p++;
			int nd = 0, h;
			while ((h = pb_text_hex_value(*ps->p)) >= 0 && v <= MAX_RUNE)
				v = v * 16 + (uint32_t)h, ps->p++, nd++;
			if (*ps->p != '}' || nd == 0 || v > MAX_RUNE) {
				ps->error = "invalid escape sequence";
				return -1;
			}
			ps->p++;
			return v;
		}
		int h1 = pb_text_hex_value(ps->p[0]), h2 = h1 >= 0 ? pb_text_hex_value(ps->p[1]) : -1;
		if (h2 < 0) {
			ps->error = "invalid escape sequence";
			return -1;
		}
		ps->p += 2;
		return h1 * 16 + h2;
	}
	default:
		if (c >= '0' && c <= '7') {
			/* a lone \1..\7 would be a backreference: RE2 rejects it */
			if (c != '0' && !(*ps->p >= '0' && *ps->p <= '7')) {
				ps->error = "invalid escape sequence";
				return -1;
			}
			uint32_t v = (uint32_t)(c - '0');
			for (int i = 0; i < 2 && *ps->p >= '0' && *ps->p <= '7'; i++)
				v = v * 8 + (uint32_t)(*ps->p++ - '0');
			return v;
		}
		if ((unsigned char)c < 0x80 && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			return (unsigned char)c; /* escaped punctuation */
		ps->error = "invalid escape sequence";
		return -1;
	}
}

static struct node *parse_class(struct parser *ps)
{
	/* ps->p is just after '[' */
	struct ranges rs = {0};
	bool neg = false;
	if (*ps->p == '^')
		neg = true, ps->p++;
	bool first = true;
	while (*ps->p && (*ps->p != ']' || first)) {
		first = false;
		if (ps->p[0] == '[' && ps->p[1] == ':') {
			const char *end = strstr(ps->p + 2, ":]");
			if (end) {
				const char *name = ps->p + 2;
				bool pneg = *name == '^';
				if (pneg)
					name++;
				size_t len = (size_t)(end - name);
				size_t k;
				for (k = 0; k < sizeof posix_classes / sizeof posix_classes[0]; k++)
					if (strlen(posix_classes[k].name) == len && !strncmp(posix_classes[k].name, name, len))
						break;
				if (k == sizeof posix_classes / sizeof posix_classes[0]) {
					ps->error = "invalid character class range";
					free(rs.r);
					return NULL;
				}
				struct ranges tmp = {0};
				for (const char *s = posix_classes[k].spec; *s; s += 2)
					ranges_add(&tmp, (unsigned char)s[0], (unsigned char)s[1]);
				if (pneg)
					ranges_negate(&tmp);
				for (size_t i = 0; i < tmp.n; i++)
					ranges_add(&rs, tmp.r[2 * i], tmp.r[2 * i + 1]);
				free(tmp.r);
				ps->p = end + 2;
				continue;
			}
		}
		int64_t lo;
		if (*ps->p == '\\') {
			ps->p++;
			if (perl_class(*ps->p, &rs)) {
				ps->p++;
				continue;
			}
			if ((lo = escape_rune(ps)) < 0) {
				free(rs.r);
				return NULL;
			}
		} else {
			lo = utf8_next(&ps->p);
		}
		int64_t hi = lo;
		if (ps->p[0] == '-' && ps->p[1] && ps->p[1] != ']') {
			ps->p++;
			if (*ps->p == '\\') {
				ps->p++;
				if ((hi = escape_rune(ps)) < 0) {
					free(rs.r);
					return NULL;
				}
			} else {
				hi = utf8_next(&ps->p);
			}
			if (hi < lo) {
				ps->error = "invalid character class range";
				free(rs.r);
				return NULL;
			}
		}
		ranges_add(&rs, (uint32_t)lo, (uint32_t)hi);
	}
	if (*ps->p != ']') {
		ps->error = "missing closing ]";
		free(rs.r);
		return NULL;
	}
	ps->p++;
	if (ps->fold)
		ranges_fold(&rs);
	if (neg)
		ranges_negate(&rs);
	return class_node(&rs);
}

static struct node *literal_node(struct parser *ps, uint32_t r)
{
	if (ps->fold && r < 128 && ((r | 0x20) >= 'a' && (r | 0x20) <= 'z')) {
		struct ranges rs = {0};
		ranges_add(&rs, r | 0x20, r | 0x20);
		ranges_add(&rs, r & ~0x20u, r & ~0x20u);
		return class_node(&rs);
	}
	struct node *n = node_new(N_LITERAL);
	n->rune = r;
	return n;
}

static struct node *parse_alt(struct parser *ps);

/* (?flags) / (?flags:...) / (?:...) / (?P<name>...) / (?<name>...) / (...) ; p after '(' */
static struct node *parse_group(struct parser *ps, bool *flags_only)
{
	*flags_only = false;
	bool saved_fold = ps->fold;
	if (*ps->p == '?') {
		ps->p++;
		if (*ps->p == 'P' || *ps->p == '<') {
			if (*ps->p == 'P')
				ps->p++;
			if (*ps->p != '<') {
				ps->error = "invalid or unsupported Perl syntax";
				return NULL;
			}
			const char *end = strchr(ps->p, '>');
			if (!end || end == ps->p + 1) {
				ps->error = "invalid named capture";
				return NULL;
			}
			ps->p = end + 1;
		} else {
			bool neg = false, any = false;
			for (;; ps->p++) {
				char c = *ps->p;
				if (c == 'i')
					ps->fold = !neg, any = true;
				else if (c == 'm' || c == 's' || c == 'U')
					any = true;
				else if (c == '-' && !neg)
					neg = true;
				else
					break;
			}
			if (*ps->p == ')') {
				if (!any) {
					ps->error = "missing argument to repetition operator";
					return NULL;
				}
				ps->p++;
				*flags_only = true; /* flags stay for the rest of the enclosing group */
				return NULL;
			}
			if (*ps->p != ':') {
				ps->error = "invalid or unsupported Perl syntax";
				return NULL;
			}
			ps->p++;
		}
	}
	struct node *inner = parse_alt(ps);
	ps->fold = saved_fold;
	if (!inner)
		return NULL;
	if (*ps->p != ')') {
		ps->error = "missing closing )";
		node_free(inner);
		return NULL;
	}
	ps->p++;
	return inner;
}

static struct node *parse_atom(struct parser *ps, bool *skip)
{
	*skip = false;
	char c = *ps->p;
	switch (c) {
	case '(': {
		ps->p++;
		struct node *g = parse_group(ps, skip);
		return g;
	}
	case '[': ps->p++; return parse_class(ps);
	case '.': ps->p++; return node_new(N_ANY);
	case '^':
	case '$': ps->error = "unsupported pattern operator"; return NULL;
	case '*':
	case '+':
	case '?': ps->error = "missing argument to repetition operator"; return NULL;
	case '\\': {
		ps->p++;
		char e = *ps->p;
		if (e == 'b' || e == 'B' || e == 'A' || e == 'z') {
			ps->error = "unsupported pattern operator";
			return NULL;
		}
		if (e == 'p' || e == 'P') {
			ps->error = "unsupported pattern operator";
			return NULL;
		}
		if (e == 'Q') {
			ps->p++;
			const char *end = strstr(ps->p, "\\E");
			const char *stop = end ? end : ps->p + strlen(ps->p);
			struct node *cat = node_new(N_CONCAT);
			while (ps->p < stop)
				node_add(cat, literal_node(ps, utf8_next(&ps->p)));
			ps->p = end ? end + 2 : stop;
			if (cat->nsubs == 0) {
				*skip = true;
				node_free(cat);
				return NULL;
			}
			return cat;
		}
		struct ranges rs = {0};
		if (perl_class(e, &rs)) {
			ps->p++;
			return class_node(&rs);
		}
		int64_t r = escape_rune(ps);
		if (r < 0)
			return NULL;
		return literal_node(ps, (uint32_t)r);
	}
	default: return literal_node(ps, utf8_next(&ps->p));
	}
}

/* {n}, {n,}, {n,m}; returns false (and leaves p) when the brace is not a repeat */
static bool parse_braces(struct parser *ps, int *min, int *max)
{
	const char *p = ps->p + 1;
	if (*p < '0' || *p > '9')
		return false;
	long a = 0, b;
	while (*p >= '0' && *p <= '9' && a <= 100000)
		a = a * 10 + (*p++ - '0');
	if (*p == '}') {
		b = a;
	} else if (*p == ',') {
		p++;
		if (*p == '}') {
			b = -1;
		} else {
			if (*p < '0' || *p > '9')
				return false;
			b = 0;
			while (*p >= '0' && *p <= '9' && b <= 100000)
				b = b * 10 + (*p++ - '0');
			if (*p != '}')
				return false;
		}
	} else {
		return false;
	}
	*min = (int)a;
	*max = (int)b;
	ps->p = p + 1;
	return true;
}

static struct node *parse_repeat(struct parser *ps, bool *skip)
{
	struct node *atom = parse_atom(ps, skip);
	if (!atom)
		return NULL;
	bool repeated = false;
	for (;;) {
		int min, max;
		char c = *ps->p;
		if (c == '*')
			min = 0, max = -1, ps->p++;
		else if (c == '+')
			min = 1, max = -1, ps->p++;
		else if (c == '?')
			min = 0, max = 1, ps->p++;
		else if (c == '{' && parse_braces(ps, &min, &max)) {
			if (min > 1000 || max > 1000 || (max >= 0 && max < min)) {
				ps->error = "invalid repeat count";
				node_free(atom);
				return NULL;
			}
		} else
			break;
		if (repeated) {
			ps->error = "invalid nested repetition operator";
			node_free(atom);
			return NULL;
		}
		repeated = true;
		if (*ps->p == '?')
			ps->p++; /* lazy: same strings */
		struct node *r = node_new(N_REPEAT);
		r->min = min;
		r->max = max;
		node_add(r, atom);
		atom = r;
	}
	return atom;
}

static struct node *parse_concat(struct parser *ps)
{
	struct node *cat = node_new(N_CONCAT);
	while (*ps->p && *ps->p != '|' && *ps->p != ')') {
		bool skip;
		struct node *n = parse_repeat(ps, &skip);
		if (!n) {
			if (skip && !ps->error)
				continue;
			node_free(cat);
			return NULL;
		}
		node_add(cat, n);
	}
	if (cat->nsubs == 0)
		cat->kind = N_EMPTY;
	return cat;
}

static struct node *parse_alt(struct parser *ps)
{
	struct node *first = parse_concat(ps);
	if (!first || *ps->p != '|')
		return first;
	struct node *alt = node_new(N_ALT);
	node_add(alt, first);
	while (*ps->p == '|') {
		ps->p++;
		struct node *n = parse_concat(ps);
		if (!n) {
			node_free(alt);
			return NULL;
		}
		node_add(alt, n);
	}
	return alt;
}

static void put_rune(struct pb_strbuf *b, uint32_t c)
{
	if ((c >= 0xD800 && c <= 0xDFFF) || c > MAX_RUNE)
		c = 0xFFFD;
	char u[4];
	if (c < 0x80) {
		pb_strbuf_putc(b, (char)c);
	} else if (c < 0x800) {
		u[0] = (char)(0xC0 | (c >> 6)), u[1] = (char)(0x80 | (c & 0x3F));
		pb_strbuf_append(b, u, 2);
	} else if (c < 0x10000) {
		u[0] = (char)(0xE0 | (c >> 12)), u[1] = (char)(0x80 | ((c >> 6) & 0x3F)), u[2] = (char)(0x80 | (c & 0x3F));
		pb_strbuf_append(b, u, 3);
	} else {
		u[0] = (char)(0xF0 | (c >> 18)), u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((c >> 6) & 0x3F)), u[3] = (char)(0x80 | (c & 0x3F));
		pb_strbuf_append(b, u, 4);
	}
}

static uint32_t random_from_ranges(const uint32_t *r, size_t n)
{
	uint64_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += (uint64_t)r[2 * i + 1] - r[2 * i] + 1;
	uint64_t k = pb_random_below(total);
	for (size_t i = 0; i < n; i++) {
		uint64_t size = (uint64_t)r[2 * i + 1] - r[2 * i] + 1;
		if (k < size)
			return r[2 * i] + (uint32_t)k;
		k -= size;
	}
	return r[0];
}

static int generate(const struct node *n, struct pb_strbuf *b, const char **error)
{
	static const uint32_t any_ranges[] = {'0', '9', 'A', 'Z', 'a', 'z'};
	switch (n->kind) {
	case N_LITERAL: put_rune(b, n->rune); return 0;
	case N_ANY: put_rune(b, random_from_ranges(any_ranges, 3)); return 0;
	case N_CLASS:
		if (n->nranges == 0) {
			*error = "no runes to choose from";
			return -1;
		}
		put_rune(b, random_from_ranges(n->ranges, n->nranges));
		return 0;
	case N_CONCAT:
		for (size_t i = 0; i < n->nsubs; i++)
			if (generate(n->subs[i], b, error) != 0)
				return -1;
		return 0;
	case N_ALT: return generate(n->subs[pb_random_below(n->nsubs)], b, error);
	case N_REPEAT: {
		int max = n->max < 0 ? DEFAULT_MAX_REPEAT : n->max;
		if (max < n->min)
			max = n->min;
		int count = n->min + (max != n->min ? (int)pb_random_below((uint64_t)(max - n->min)) : 0);
		for (int i = 0; i < count; i++)
			if (generate(n->subs[0], b, error) != 0)
				return -1;
		return 0;
	}
	default: *error = "unsupported pattern operator"; return -1;
	}
}

/* The shape of nearly every autogenerate pattern ("[a-z0-9]{15}", "[a-zA-Z0-9]{50}"): one
 * class of plain characters and ranges repeated a fixed number of times. Returns the string
 * drawn with one buffered CSPRNG pass (the same uniform choice per character as the general
 * generator), NULL when the pattern has another shape. */
static char *fast_class_repeat(const char *p)
{
	if (*p++ != '[' || *p == '^' || *p == ']')
		return NULL;
	bool set[128] = {false};
	while (*p && *p != ']') {
		unsigned char a = (unsigned char)*p;
		if (a == '\\' || a == '[' || a >= 128 || a < 0x20)
			return NULL;
		if (p[1] == '-' && p[2] && p[2] != ']') {
			unsigned char z = (unsigned char)p[2];
			if (z == '\\' || z == '[' || z >= 128 || z < a)
				return NULL;
			for (unsigned c = a; c <= z; c++)
				set[c] = true;
			p += 3;
		} else {
			set[a] = true;
			p++;
		}
	}
	if (*p++ != ']' || *p++ != '{')
		return NULL;
	char *end;
	long n = strtol(p, &end, 10);
	if (end == p || *end != '}' || end[1] || n < 0 || n > 10000)
		return NULL;
	char alphabet[129];
	size_t k = 0;
	for (unsigned c = 0; c < 128; c++)
		if (set[c])
			alphabet[k++] = (char)c;
	alphabet[k] = '\0';
	char *out = malloc((size_t)n + 1);
	if (!out)
		abort();
	if (!k || pb_random_string(out, (size_t)n, alphabet) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

char *pb_random_string_by_regex(const char *pattern, struct pb_error *err)
{
	char *fast = pattern ? fast_class_repeat(pattern) : NULL;
	if (fast)
		return fast;
	struct parser ps = {.p = pattern ? pattern : ""};
	struct node *root = parse_alt(&ps);
	if (root && *ps.p == ')') {
		ps.error = "unexpected )";
		node_free(root);
		root = NULL;
	}
	if (!root) {
		pb_error_set(err, 400, "%s", ps.error ? ps.error : "invalid pattern");
		return NULL;
	}
	struct pb_strbuf b = PB_STRBUF_INIT;
	const char *gen_error = NULL;
	int rc = generate(root, &b, &gen_error);
	node_free(root);
	if (rc != 0) {
		pb_strbuf_deinit(&b);
		pb_error_set(err, 400, "%s", gen_error);
		return NULL;
	}
	return pb_strbuf_steal(&b);
}
