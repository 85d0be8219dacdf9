/* http_parse — HTTP/1.x request head parsing (see http_parse.h). */
#include "api/http_parse.h"

#include <string.h>
#include <strings.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* RFC 9110 tchar: letters, digits and !#$%&'*+-.^_`|~ */
static bool is_tchar(unsigned char c)
{
	static const bool table[256] = {
		['!'] = 1, ['#'] = 1, ['$'] = 1, ['%'] = 1, ['&'] = 1, ['\''] = 1, ['*'] = 1, ['+'] = 1, ['-'] = 1, ['.'] = 1,
		['^'] = 1, ['_'] = 1, ['`'] = 1, ['|'] = 1, ['~'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1,
		['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1,
		['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1,
		['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1,
		['Z'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1,
		['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1,
		['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
	};
	return table[c];
}

/* A header value may hold any byte but controls (tab allowed) and DEL. */
static bool is_value_byte(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); }

/* Whether every byte of [v, v + n) is a header value byte: 16 at a time where SSE2 is there
 * (unsigned max with 0x20 keeps the bytes from 0x20 up; DEL is refused, tab allowed). */
static bool value_bytes_ok(const unsigned char *v, size_t n)
{
	size_t i = 0;
#ifdef __SSE2__
	const __m128i space = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7f), tab = _mm_set1_epi8('\t');
	for (; n - i >= 16; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(v + i));
		__m128i printable = _mm_andnot_si128(_mm_cmpeq_epi8(x, del), _mm_cmpeq_epi8(_mm_max_epu8(x, space), x));
		if (_mm_movemask_epi8(_mm_or_si128(printable, _mm_cmpeq_epi8(x, tab))) != 0xFFFF)
			return false;
	}
#endif
	for (; i < n; i++)
		if (!is_value_byte(v[i]))
			return false;
	return true;
}

size_t pb_http_head_end(const char *buf, size_t len)
{
	size_t i = 0;
	while (i < len && (buf[i] == '\r' || buf[i] == '\n'))
		i++;
	while (i < len) {
		const char *nl = memchr(buf + i, '\n', len - i);
		if (!nl)
			return 0;
		i = (size_t)(nl - buf);
		if (i + 1 < len && buf[i + 1] == '\n')
			return i + 2;
		if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n')
			return i + 3;
		i++;
	}
	return 0;
}

/* Splits off the next line of [*p, end): NUL-terminates it (dropping an optional CR) and
 * advances *p past the LF. Returns the line start, or NULL when no LF is left. */
static char *next_line(char **p, char *end)
{
	char *s = *p;
	char *nl = memchr(s, '\n', (size_t)(end - s));
	if (!nl)
		return NULL;
	char *e = nl;
	if (e > s && e[-1] == '\r')
		e--;
	*e = '\0';
	*p = nl + 1;
	return s;
}

/* Whether the request target [t, e) has no controls, spaces or DEL: 16 bytes at a time where
 * SSE2 is there (unsigned max with 0x21 keeps exactly the bytes above 0x20), byte by byte for
 * the rest. */
static bool target_bytes_ok(const unsigned char *t, const unsigned char *e)
{
#ifdef __SSE2__
	const __m128i above_space = _mm_set1_epi8(0x21), del = _mm_set1_epi8(0x7f);
	for (; e - t >= 16; t += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)t);
		__m128i ok = _mm_andnot_si128(_mm_cmpeq_epi8(v, del), _mm_cmpeq_epi8(_mm_max_epu8(v, above_space), v));
		if (_mm_movemask_epi8(ok) != 0xFFFF)
			return false;
	}
#endif
	for (; t < e; t++)
		if (*t <= 0x20 || *t == 0x7f)
			return false;
	return true;
}

static enum pb_http_parse_result parse_request_line(char *line, struct pb_http_head *out)
{
	char *sp1 = strchr(line, ' ');
	if (!sp1 || sp1 == line)
		return PB_HTTP_PARSE_BAD;
	char *sp2 = strchr(sp1 + 1, ' ');
	if (!sp2 || sp2 == sp1 + 1)
		return PB_HTTP_PARSE_BAD;
	*sp1 = '\0';
	*sp2 = '\0';
	for (const char *m = line; *m; m++)
		if (!is_tchar((unsigned char)*m))
			return PB_HTTP_PARSE_BAD;
	if (!target_bytes_ok((const unsigned char *)sp1 + 1, (const unsigned char *)sp2))
		return PB_HTTP_PARSE_BAD;
	const char *ver = sp2 + 1;
	if (strncmp(ver, "HTTP/", 5) != 0)
		return PB_HTTP_PARSE_BAD;
	if (!strcmp(ver + 5, "1.1"))
		out->minor = 1;
	else if (!strcmp(ver + 5, "1.0"))
		out->minor = 0;
	else if (ver[5] >= '0' && ver[5] <= '9' && ver[6] == '.' && ver[7] >= '0' && ver[7] <= '9' && !ver[8])
		return PB_HTTP_PARSE_VERSION;
	else
		return PB_HTTP_PARSE_BAD;
	out->method = line;
	out->target = sp1 + 1;
	return PB_HTTP_PARSE_DONE;
}

static enum pb_http_parse_result parse_header_line(char *line, struct pb_http_head *out)
{
	if (*line == ' ' || *line == '\t')
		return PB_HTTP_PARSE_BAD; /* obsolete line folding */
	char *colon = strchr(line, ':');
	if (!colon || colon == line)
		return PB_HTTP_PARSE_BAD;
	for (const char *n = line; n < colon; n++)
		if (!is_tchar((unsigned char)*n))
			return PB_HTTP_PARSE_BAD;
	*colon = '\0';
	char *v = colon + 1;
	while (*v == ' ' || *v == '\t')
		v++;
	size_t vlen = strlen(v);
	while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
		v[--vlen] = '\0';
	if (!value_bytes_ok((const unsigned char *)v, vlen))
		return PB_HTTP_PARSE_BAD;
	if (out->nheaders == PB_HTTP_MAX_HEADERS)
		return PB_HTTP_PARSE_TOO_BIG;
	out->headers[out->nheaders].name = line;
	out->headers[out->nheaders].value = v;
	out->nheaders++;
	return PB_HTTP_PARSE_DONE;
}

enum pb_http_parse_result pb_http_parse_head(char *buf, size_t len, struct pb_http_head *out)
{
	memset(out, 0, sizeof *out);
	size_t head_len = pb_http_head_end(buf, len);
	if (!head_len)
		return len > PB_HTTP_MAX_HEAD_BYTES ? PB_HTTP_PARSE_TOO_BIG : PB_HTTP_PARSE_MORE;
	if (head_len > PB_HTTP_MAX_HEAD_BYTES)
		return PB_HTTP_PARSE_TOO_BIG;
	if (memchr(buf, '\0', head_len))
		return PB_HTTP_PARSE_BAD;
	char *p = buf, *end = buf + head_len;
	while (p < end && (*p == '\r' || *p == '\n'))
		p++;
	char *line = next_line(&p, end);
	if (!line)
		return PB_HTTP_PARSE_BAD;
	enum pb_http_parse_result r = parse_request_line(line, out);
	if (r != PB_HTTP_PARSE_DONE)
		return r;
	while ((line = next_line(&p, end)) != NULL && *line) {
		r = parse_header_line(line, out);
		if (r != PB_HTTP_PARSE_DONE)
			return r;
	}
	out->head_len = head_len;
	return PB_HTTP_PARSE_DONE;
}

const char *pb_http_head_get(const struct pb_http_head *head, const char *name)
{
	/* the first byte, folded as ASCII letters fold, rules out most names without a call */
	unsigned char first = (unsigned char)name[0] | 0x20;
	for (int i = 0; i < head->nheaders; i++)
		if (((unsigned char)head->headers[i].name[0] | 0x20) == first && strcasecmp(head->headers[i].name, name) == 0)
			return head->headers[i].value;
	return NULL;
}

bool pb_http_token_in_list(const char *value, const char *token)
{
	if (!value)
		return false;
	size_t tl = strlen(token);
	const char *p = value;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		const char *s = p;
		while (*p && *p != ',')
			p++;
		const char *e = p;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if ((size_t)(e - s) == tl && strncasecmp(s, token, tl) == 0)
			return true;
	}
	return false;
}
