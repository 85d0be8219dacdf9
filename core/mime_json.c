/* mime_json — the structured-text detectors of mimetype v1.4.13 (PocketBase's upload
 * sniffing): JSON and NDJSON through mimetype's own lenient JSON scanner (it counts how far
 * it inspected, so a document cut at the read limit still counts as JSON, and it accepts a
 * few non-JSON forms such as trailing commas, which are reproduced here), and CSV/TSV by
 * counting fields per record with quoted fields spanning lines, '#' comment lines skipped. */
#include <string.h>

#include "core/mime_internal.h"

#define JSON_MAX_DEPTH 4096

enum { TOK_INVALID = 0, TOK_NULL = 2, TOK_TRUE = 4, TOK_FALSE = 8, TOK_NUMBER = 16, TOK_STRING = 32,
       TOK_ARRAY = 64, TOK_OBJECT = 128 };

struct jp {
	size_t ib;  /* bytes inspected */
	int first;  /* token type of the top-level value */
};

static bool j_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool j_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool j_xdigit(unsigned char c)
{
	return j_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static size_t j_ws(struct jp *p, const unsigned char *b, size_t n)
{
	size_t i = 0;
	while (i < n && j_space(b[i]))
		i++;
	p->ib += i;
	return i;
}

static size_t j_const(struct jp *p, const unsigned char *b, size_t n, const char *lit)
{
	size_t l = strlen(lit);
	for (size_t i = 0; i < l; i++) {
		if (i < n && b[i] == (unsigned char)lit[i])
			p->ib++;
		else
			return 0;
	}
	return l;
}

/* After the opening quote; returns the bytes up to and including the closing quote. */
static size_t j_string(struct jp *p, const unsigned char *b, size_t len)
{
	size_t n = 0;
	while (n < len) {
		unsigned char c = b[n++];
		p->ib++;
		if (c == '"')
			return n;
		if (c != '\\')
			continue;
		if (n >= len)
			return 0;
		if (strchr("\"\\/bfnrt", b[n]) && b[n]) {
			n++;
			p->ib++;
			continue;
		}
		if (b[n] != 'u')
			return 0;
		n++;
		p->ib++;
		for (int j = 0; j < 4 && n < len; j++) {
			if (!j_xdigit(b[n]))
				return 0;
			n++;
			p->ib++;
		}
	}
	return 0;
}

static size_t j_number(struct jp *p, const unsigned char *b, size_t n)
{
	size_t i = 0;
	bool got = false;
	if (i < n && b[i] == '-') {
		i++;
		p->ib++;
	}
	while (i < n && j_digit(b[i])) {
		got = true;
		i++;
		p->ib++;
	}
	if (i < n && b[i] == '.') {
		i++;
		p->ib++;
	}
	while (i < n && j_digit(b[i])) {
		got = true;
		i++;
		p->ib++;
	}
	if (got && i < n && (b[i] == 'e' || b[i] == 'E')) {
		i++;
		p->ib++;
		got = false;
		if (i < n && (b[i] == '+' || b[i] == '-')) {
			i++;
			p->ib++;
		}
		while (i < n && j_digit(b[i])) {
			got = true;
			i++;
			p->ib++;
		}
	}
	return got ? i : 0;
}

static size_t j_any(struct jp *p, const unsigned char *b, size_t len, int lvl);

/* After a container element at b[*n]: a ',' (1: another element follows) or `close` (2: the
 * container ends) is consumed and counted; anything else, or the end of input, fails (0). */
static int j_separator(struct jp *p, const unsigned char *b, size_t len, size_t *n, char close)
{
	if (*n >= len || (b[*n] != ',' && b[*n] != (unsigned char)close))
		return 0;
	int sep = b[*n] == ',' ? 1 : 2;
	(*n)++;
	p->ib++;
	return sep;
}

static size_t j_array(struct jp *p, const unsigned char *b, size_t len, int lvl)
{
	size_t n = 0;
	while (n < len) {
		n += j_ws(p, b + n, len - n);
		if (n >= len)
			return 0;
		if (b[n] == ']') {
			p->ib++;
			return n + 1;
		}
		size_t inner = j_any(p, b + n, len - n, lvl);
		if (inner == 0)
			return 0;
		n += inner;
		int sep = j_separator(p, b, len, &n, ']');
		if (sep != 1)
			return sep == 2 ? n : 0;
	}
	return 0;
}

static size_t j_object(struct jp *p, const unsigned char *b, size_t len, int lvl)
{
	size_t n = 0;
	while (n < len) {
		n += j_ws(p, b + n, len - n);
		if (n >= len)
			return 0;
		if (b[n] == '}') {
			p->ib++;
			return n + 1;
		}
		if (b[n] != '"')
			return 0;
		n++;
		p->ib++;
		size_t k = j_string(p, b + n, len - n);
		if (k == 0)
			return 0;
		n += k;
		n += j_ws(p, b + n, len - n);
		if (n >= len || b[n] != ':')
			return 0;
		n++;
		p->ib++;
		n += j_ws(p, b + n, len - n);
		if (n >= len)
			return 0;
		size_t v = j_any(p, b + n, len - n, lvl);
		if (v == 0)
			return 0;
		n += v;
		int sep = j_separator(p, b, len, &n, '}');
		if (sep != 1)
			return sep == 2 ? n : 0;
	}
	return 0;
}

/* consumeAny: like mimetype, a failed value still reports the bytes before it. */
static size_t j_any(struct jp *p, const unsigned char *b, size_t len, int lvl)
{
	if (lvl > JSON_MAX_DEPTH)
		return 0;
	size_t n = j_ws(p, b, len), rv;
	if (n >= len)
		return 0;
	int t;
	switch (b[n]) {
	case '"':
		n++;
		p->ib++;
		rv = j_string(p, b + n, len - n);
		t = TOK_STRING;
		break;
	case '[':
		n++;
		p->ib++;
		rv = j_array(p, b + n, len - n, lvl + 1);
		t = TOK_ARRAY;
		break;
	case '{':
		n++;
		p->ib++;
		rv = j_object(p, b + n, len - n, lvl + 1);
		t = TOK_OBJECT;
		break;
	case 't':
		rv = j_const(p, b + n, len - n, "true");
		t = TOK_TRUE;
		break;
	case 'f':
		rv = j_const(p, b + n, len - n, "false");
		t = TOK_FALSE;
		break;
	case 'n':
		rv = j_const(p, b + n, len - n, "null");
		t = TOK_NULL;
		break;
	default:
		rv = j_number(p, b + n, len - n);
		t = TOK_NUMBER;
	}
	if (lvl == 0)
		p->first = t;
	if (rv == 0)
		return n;
	n += rv;
	n += j_ws(p, b + n, len - n);
	return n;
}

static size_t j_parse(const unsigned char *b, size_t n, size_t *inspected, int *first)
{
	struct jp p = {0, TOK_INVALID};
	size_t got = j_any(&p, b, n, 0);
	*inspected = p.ib;
	*first = p.first;
	return got;
}

bool pb_mime_json(const unsigned char *in, size_t n, bool truncated)
{
	size_t i = 0;
	while (i < n && (j_space(in[i]) || in[i] == '\f'))
		i++;
	if (i >= n || (in[i] != '{' && in[i] != '['))
		return false;
	size_t inspected;
	int first;
	size_t parsed = j_parse(in, n, &inspected, &first);
	return truncated ? inspected == n && n > 0 : parsed == n;
}

bool pb_mime_ndjson(const unsigned char *in, size_t n, bool truncated)
{
	(void)truncated;
	int lines = 0, structured = 0;
	size_t pos = 0;
	while (pos < n) {
		const unsigned char *nl = memchr(in + pos, '\n', n - pos);
		size_t end = nl ? (size_t)(nl - in) : n, l = end - pos;
		if (l > 0 && in[pos + l - 1] == '\r')
			l--;
		size_t inspected;
		int first;
		j_parse(in + pos, l, &inspected, &first);
		if (inspected != l)
			return false;
		if (first == TOK_ARRAY || first == TOK_OBJECT)
			structured++;
		lines++;
		pos = nl ? end + 1 : n;
	}
	return lines > 1 && structured > 0;
}

/* --- CSV / TSV ---------------------------------------------------------------------- */

struct csv {
	const unsigned char *p;
	size_t n;
	unsigned char comma;
};

/* One line incl. its '\n'; a trailing "\r\n" is cut and reported as `cut_short`. */
static void csv_line(struct csv *r, const unsigned char **line, size_t *len, bool *cut_short)
{
	const unsigned char *nl = memchr(r->p, '\n', r->n);
	size_t k = nl ? (size_t)(nl - r->p) + 1 : r->n;
	*line = r->p;
	r->p += k;
	r->n -= k;
	*cut_short = false;
	if (k > 0 && (*line)[k - 1] == '\r') {
		k--;
	} else if (k >= 2 && (*line)[k - 2] == '\r' && (*line)[k - 1] == '\n') {
		k -= 2;
		*cut_short = true;
	}
	*len = k;
}

static bool only_nl(const unsigned char *l, size_t n)
{
	return n == (n > 0 && l[n - 1] == '\n' ? 1u : 0u);
}

static int csv_fields(struct csv *r, bool *more)
{
	const unsigned char *line;
	size_t len;
	bool cut, finished = false;
	for (;;) {
		csv_line(r, &line, &len, &cut);
		if (finished) {
			*more = false;
			return 0;
		}
		finished = r->n == 0 && len == 0;
		if (only_nl(line, len) || line[0] == '#')
			continue;
		break;
	}
	int fields = 0;
	for (;;) {
		if (len == 0 || line[0] != '"') {
			fields++;
			const unsigned char *c = memchr(line, r->comma, len);
			if (!c)
				break;
			len -= (size_t)(c - line) + 1;
			line = c + 1;
			continue;
		}
		line++;
		len--;
		bool next_field = false, done = false;
		while (!next_field && !done) {
			const unsigned char *q = memchr(line, '"', len);
			if (q) {
				len -= (size_t)(q - line) + 1;
				line = q + 1;
				unsigned char rn = len ? line[0] : 0;
				if (rn == '"') {
					line++;
					len--;
				} else if (rn == r->comma) {
					line++;
					len--;
					fields++;
					next_field = true;
				} else if (only_nl(line, len)) {
					fields++;
					done = true;
				}
			} else if (len > 0 || cut) {
				csv_line(r, &line, &len, &cut);
			} else {
				fields++;
				done = true;
			}
		}
		if (done)
			break;
	}
	*more = fields != 0;
	return fields;
}

static bool separated(const unsigned char *in, size_t n, unsigned char comma, bool truncated)
{
	if (truncated) {
		/* DropLastLine: the last line may be cut by the read limit */
		for (size_t i = n; i-- > 1;) {
			if (in[i] == '\n') {
				n = i;
				break;
			}
		}
	}
	struct csv r = {in, n, comma};
	bool more;
	int header = csv_fields(&r, &more);
	if (header < 2 || !more)
		return false;
	int lines = 1;
	for (;;) {
		int f = csv_fields(&r, &more);
		if (!more && f == 0)
			break;
		lines++;
		if (f != header)
			return false;
		if (lines >= 10)
			return true;
	}
	return lines >= 2;
}

bool pb_mime_csv(const unsigned char *in, size_t n, bool truncated)
{
	return separated(in, n, ',', truncated);
}

bool pb_mime_tsv(const unsigned char *in, size_t n, bool truncated)
{
	return separated(in, n, '\t', truncated);
}
