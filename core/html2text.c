/* html2text — HTML mail body → plain text like PocketBase's html2Text (see html2text.h).
 * A tokenizer (text, tags with attributes, comments, doctype, raw-text elements, character
 * references) feeds a walker that keeps what the Go DOM walk depends on: the pending text
 * node, whether a line break may be added, the active link, the element being skipped, the
 * open elements (so that stray end tags neither close nor split anything) and whether the
 * implied <body> has started. */
#include "core/html2text.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/strbuf.h"
#include "core/text.h"

#define NAME_MAX_LEN 32
#define STACK_MAX 512

struct walker {
	struct pb_strbuf out;   /* the main text */
	struct pb_strbuf link;  /* label of the open link */
	struct pb_strbuf text;  /* the pending text node (decoded) */
	bool can_nl;            /* Go's canAddNewLine */
	bool in_link;
	bool has_href;
	char *href;             /* owned */
	bool body;              /* the <body> element was visited */
	int skip;               /* > 0 while inside a dropped element */
	char skip_name[NAME_MAX_LEN];
	char stack[STACK_MAX][NAME_MAX_LEN];
	int depth;
};

static bool in_list(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(name, *list) == 0)
			return true;
	return false;
}

static const char *const skip_tags[] = {"style", "script", "iframe", "applet", "object", "svg", "img",
                                        "button", "form", "textarea", "input", "select", "option",
                                        "template", NULL};
static const char *const inline_tags[] = {"a", "span", "small", "strike", "strong", "sub",
                                          "sup", "em", "b", "u", "i", NULL};
static const char *const void_tags[] = {"area", "base", "br", "col", "embed", "hr", "img", "input", "keygen",
                                        "link", "meta", "param", "source", "track", "wbr", NULL};
static const char *const head_tags[] = {"base", "basefont", "bgsound", "link", "meta", "noframes", "script",
                                        "style", "template", "title", "noscript", NULL};
static const char *const raw_tags[] = {"script", "style", "textarea", "title", "xmp", "iframe",
                                       "noembed", "noframes", "noscript", "plaintext", NULL};

static bool html_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static struct pb_strbuf *active(struct walker *w)
{
	return w->in_link ? &w->link : &w->out;
}

/* Emits the pending text node: whitespace runs → " ", leading blanks dropped when no line
 * break may follow. */
static void flush_text(struct walker *w)
{
	if (w->text.len == 0)
		return;
	struct pb_strbuf t = PB_STRBUF_INIT;
	for (size_t i = 0; i < w->text.len;) {
		if (html_space(w->text.data[i])) {
			while (i < w->text.len && html_space(w->text.data[i]))
				i++;
			pb_strbuf_putc(&t, ' ');
		} else {
			pb_strbuf_putc(&t, w->text.data[i++]);
		}
	}
	const char *s = pb_strbuf_cstr(&t);
	if (!w->can_nl)
		while (*s == ' ')
			s++;
	if (*s) {
		pb_strbuf_puts(active(w), s);
		w->can_nl = true;
	}
	pb_strbuf_deinit(&t);
	pb_strbuf_reset(&w->text);
}

/* Go's strings.TrimSpace (Unicode White_Space) over a buffer, as a new C string. */
static size_t uspace_len(const unsigned char *p, size_t n)
{
	if (n >= 1 && (p[0] == ' ' || (p[0] >= '\t' && p[0] <= '\r')))
		return 1;
	if (n >= 2 && p[0] == 0xC2 && (p[1] == 0x85 || p[1] == 0xA0))
		return 2;
	if (n >= 3 && p[0] == 0xE1 && p[1] == 0x9A && p[2] == 0x80)
		return 3;
	if (n >= 3 && p[0] == 0xE2 && p[1] == 0x80 && (p[2] <= 0x8A || p[2] == 0xA8 || p[2] == 0xA9 || p[2] == 0xAF))
		return 3;
	if (n >= 3 && p[0] == 0xE2 && p[1] == 0x81 && p[2] == 0x9F)
		return 3;
	if (n >= 3 && p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)
		return 3;
	return 0;
}

static char *trim_space(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t a = 0, b = n, k;
	while (a < b && (k = uspace_len(p + a, b - a)) > 0)
		a += k;
	for (bool again = true; again && b > a;) {
		again = false;
		for (size_t len = 1; len <= 3 && len <= b - a; len++)
			if (uspace_len(p + b - len, len) == len) {
				b -= len;
				again = true;
				break;
			}
	}
	char *r = malloc(b - a + 1);
	if (!r)
		abort();
	memcpy(r, s + a, b - a);
	r[b - a] = '\0';
	return r;
}

static void finish_link(struct walker *w)
{
	flush_text(w);
	w->in_link = false;
	char *label = trim_space(w->link.data ? w->link.data : "", w->link.len);
	pb_strbuf_putc(&w->out, '[');
	pb_strbuf_puts(&w->out, *label ? label : "LINK");
	pb_strbuf_putc(&w->out, ']');
	if (w->has_href && w->href && *w->href) {
		pb_strbuf_putc(&w->out, '(');
		pb_strbuf_puts(&w->out, w->href);
		pb_strbuf_putc(&w->out, ')');
	}
	free(label);
	free(w->href);
	w->href = NULL;
	w->has_href = false;
	pb_strbuf_reset(&w->link);
}

/* An element node of the Go walk. */
static void visit(struct walker *w, const char *name)
{
	if (strcmp(name, "br") == 0) {
		pb_strbuf_puts(active(w), "\r\n");
		w->can_nl = false;
	} else if (w->can_nl && !in_list(name, inline_tags)) {
		pb_strbuf_puts(active(w), "\r\n");
		w->can_nl = false;
	}
	if (strcmp(name, "li") == 0)
		pb_strbuf_puts(active(w), "- ");
}

static void start_body(struct walker *w)
{
	if (w->body)
		return;
	flush_text(w);
	w->body = true;
	visit(w, "body");
}

static void on_text(struct walker *w, const char *s, size_t n)
{
	if (w->skip || n == 0)
		return;
	if (!w->body && w->depth == 0) {
		/* directly in <head> (not inside <title> & co.): leading whitespace stays there,
		 * anything else opens the body */
		size_t k = 0;
		while (k < n && html_space(s[k]))
			k++;
		pb_strbuf_append(&w->text, s, k);
		if (k == n)
			return;
		start_body(w);
		s += k, n -= k;
	}
	pb_strbuf_append(&w->text, s, n);
}

static void on_start(struct walker *w, const char *name, bool self_closing, bool has_href, const char *href)
{
	if (w->skip) {
		if (strcmp(name, w->skip_name) == 0 && !in_list(name, void_tags) && !self_closing)
			w->skip++;
		return;
	}
	flush_text(w);
	if (strcmp(name, "html") == 0 || strcmp(name, "head") == 0)
		return;
	if (strcmp(name, "body") == 0) {
		start_body(w);
		return;
	}
	if (!w->body && !in_list(name, head_tags))
		start_body(w);
	if (in_list(name, skip_tags)) {
		if (in_list(name, void_tags) || (self_closing && strcmp(name, "svg") == 0))
			return;
		snprintf(w->skip_name, sizeof w->skip_name, "%s", name);
		w->skip = 1;
		return;
	}
	bool is_a = strcmp(name, "a") == 0;
	if (is_a && w->in_link)
		finish_link(w);
	if (is_a) {
		w->in_link = true;
		w->has_href = has_href;
		free(w->href);
		w->href = has_href ? strdup(href) : NULL;
	}
	visit(w, name);
	if (!in_list(name, void_tags) && w->depth < STACK_MAX)
		snprintf(w->stack[w->depth++], NAME_MAX_LEN, "%s", name);
}

static void on_end(struct walker *w, const char *name)
{
	if (w->skip) {
		if (strcmp(name, w->skip_name) == 0)
			w->skip--;
		return;
	}
	if (strcmp(name, "br") == 0) { /* the parser turns </br> into <br> */
		on_start(w, "br", false, false, NULL);
		return;
	}
	if (strcmp(name, "head") == 0 || strcmp(name, "body") == 0 || strcmp(name, "html") == 0) {
		flush_text(w); /* text before and after goes to different parents */
		return;
	}
	int i = w->depth - 1;
	while (i >= 0 && strcmp(w->stack[i], name) != 0)
		i--;
	if (i < 0)
		return; /* stray end tag: ignored, text around it stays one node */
	flush_text(w);
	w->depth = i;
	if (strcmp(name, "a") == 0 && w->in_link)
		finish_link(w);
}

/* ---- character references ---- */

struct entity {
	const char *name;
	uint32_t cp;
	bool legacy; /* also recognised without the ';' */
};

static const struct entity entities[] = {
	{"amp", '&', true},     {"lt", '<', true},       {"gt", '>', true},       {"quot", '"', true},
	{"apos", '\'', false},  {"nbsp", 0xA0, true},    {"copy", 0xA9, true},    {"reg", 0xAE, true},
	{"trade", 0x2122, false}, {"hellip", 0x2026, false}, {"mdash", 0x2014, false}, {"ndash", 0x2013, false},
	{"lsquo", 0x2018, false}, {"rsquo", 0x2019, false}, {"ldquo", 0x201C, false}, {"rdquo", 0x201D, false},
	{"laquo", 0xAB, true},  {"raquo", 0xBB, true},   {"bull", 0x2022, false}, {"middot", 0xB7, true},
	{"euro", 0x20AC, false}, {"pound", 0xA3, true},  {"yen", 0xA5, true},     {"cent", 0xA2, true},
	{"sect", 0xA7, true},   {"deg", 0xB0, true},     {"plusmn", 0xB1, true},  {"times", 0xD7, true},
	{"divide", 0xF7, true}, {"shy", 0xAD, true},     {"iexcl", 0xA1, true},   {"iquest", 0xBF, true},
	{NULL, 0, false},
};

/* Windows-1252 meanings of the C1 code points in numeric references (HTML's table). */
static const uint16_t c1_table[32] = {
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
	0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
	0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

static void put_utf8(struct pb_strbuf *b, uint32_t cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80)
		u[0] = (char)cp, n = 1;
	else if (cp < 0x800)
		u[0] = (char)(0xC0 | cp >> 6), u[1] = (char)(0x80 | (cp & 63)), n = 2;
	else if (cp < 0x10000)
		u[0] = (char)(0xE0 | cp >> 12), u[1] = (char)(0x80 | (cp >> 6 & 63)), u[2] = (char)(0x80 | (cp & 63)), n = 3;
	else
		u[0] = (char)(0xF0 | cp >> 18), u[1] = (char)(0x80 | (cp >> 12 & 63)),
		u[2] = (char)(0x80 | (cp >> 6 & 63)), u[3] = (char)(0x80 | (cp & 63)), n = 4;
	pb_strbuf_append(b, u, n);
}

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Decodes the reference at s[0] == '&' (n bytes available) into b; returns the bytes consumed
 * (1 when it is not a reference: the '&' is kept). */
static size_t decode_ref(const char *s, size_t n, bool attribute, struct pb_strbuf *b)
{
	if (n >= 3 && s[1] == '#') {
		size_t i = 2;
		bool hex = i < n && (s[i] == 'x' || s[i] == 'X');
		if (hex)
			i++;
		size_t start = i;
		uint64_t v = 0;
		while (i < n) {
			char c = s[i];
			int d = hex ? pb_text_hex_value((unsigned char)c) : c >= '0' && c <= '9' ? c - '0' : -1;
			if (d < 0)
				break;
			if (v < 0x110000)
				v = v * (hex ? 16 : 10) + (uint64_t)d;
			i++;
		}
		if (i == start) {
			pb_strbuf_putc(b, '&');
			return 1;
		}
		if (i < n && s[i] == ';')
			i++;
		if (v >= 0x80 && v <= 0x9F)
			v = c1_table[v - 0x80];
		else if (v == 0 || (v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF)
			v = 0xFFFD;
		put_utf8(b, (uint32_t)v);
		return i;
	}
	size_t j = 1;
	while (j < n && is_alnum(s[j]))
		j++;
	size_t len = j - 1;
	bool semi = j < n && s[j] == ';';
	for (const struct entity *e = entities; e->name; e++) {
		if (strlen(e->name) != len || strncmp(e->name, s + 1, len) != 0)
			continue;
		if (!semi && !e->legacy)
			break;
		if (!semi && attribute && j < n && (s[j] == '=' || is_alnum(s[j])))
			break;
		put_utf8(b, e->cp);
		return semi ? j + 1 : j;
	}
	pb_strbuf_putc(b, '&');
	return 1;
}

static void decode_into(struct pb_strbuf *b, const char *s, size_t n, bool attribute)
{
	for (size_t i = 0; i < n;) {
		const char *amp = memchr(s + i, '&', n - i);
		size_t stop = amp ? (size_t)(amp - s) : n;
		pb_strbuf_append(b, s + i, stop - i);
		i = stop;
		if (i < n)
			i += decode_ref(s + i, n - i, attribute, b);
	}
}

static void emit_text(struct walker *w, const char *s, size_t n, bool decode)
{
	if (!decode) {
		on_text(w, s, n);
		return;
	}
	struct pb_strbuf d = PB_STRBUF_INIT;
	decode_into(&d, s, n, false);
	on_text(w, pb_strbuf_cstr(&d), d.len);
	pb_strbuf_deinit(&d);
}

/* ---- the tokenizer ---- */

struct tag {
	char name[NAME_MAX_LEN];
	bool self_closing;
	bool has_href;
	struct pb_strbuf href;
};

/* Parses the tag whose name starts at s[i]; returns the index after '>' or 0 at EOF (an
 * unterminated tag is dropped, as Go's tokenizer does). */
static size_t read_tag(const char *s, size_t n, size_t i, struct tag *t)
{
	size_t k = 0;
	while (i < n && !html_space(s[i]) && s[i] != '/' && s[i] != '>') {
		if (k + 1 < NAME_MAX_LEN) {
			char c = s[i];
			t->name[k++] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
		}
		i++;
	}
	t->name[k] = '\0';
	for (;;) {
		while (i < n && html_space(s[i]))
			i++;
		if (i >= n)
			return 0;
		if (s[i] == '>')
			return i + 1;
		if (s[i] == '/') {
			if (i + 1 < n && s[i + 1] == '>') {
				t->self_closing = true;
				return i + 2;
			}
			i++;
			continue;
		}
		size_t ks = i;
		i++; /* the first key character may be anything, even '=' */
		while (i < n && !html_space(s[i]) && s[i] != '/' && s[i] != '>' && s[i] != '=')
			i++;
		size_t ke = i;
		while (i < n && html_space(s[i]))
			i++;
		const char *vs = NULL;
		size_t vl = 0;
		if (i < n && s[i] == '=') {
			i++;
			while (i < n && html_space(s[i]))
				i++;
			if (i < n && (s[i] == '"' || s[i] == '\'')) {
				char q = s[i++];
				vs = s + i;
				while (i < n && s[i] != q)
					i++;
				vl = (size_t)(s + i - vs);
				if (i < n)
					i++;
			} else {
				vs = s + i;
				while (i < n && !html_space(s[i]) && s[i] != '>')
					i++;
				vl = (size_t)(s + i - vs);
			}
		}
		if (!t->has_href && ke - ks == 4 && strncasecmp(s + ks, "href", 4) == 0) {
			t->has_href = true;
			if (vs)
				decode_into(&t->href, vs, vl, true);
		}
	}
}

static bool is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Index of the end of the raw text of element `name` starting at i: the "</name" that closes
 * it, or n. */
static size_t raw_end(const char *s, size_t n, size_t i, const char *name)
{
	size_t nl = strlen(name);
	for (; i + 1 < n; i++) {
		if (s[i] != '<' || s[i + 1] != '/')
			continue;
		if (i + 2 + nl > n || strncasecmp(s + i + 2, name, nl) != 0)
			continue;
		size_t j = i + 2 + nl;
		if (j == n || html_space(s[j]) || s[j] == '/' || s[j] == '>')
			return i;
	}
	return n;
}

static size_t skip_past(const char *s, size_t n, size_t i, char c)
{
	const char *p = memchr(s + i, c, n - i);
	return p ? (size_t)(p - s) + 1 : n;
}

char *pb_html2text(const char *html)
{
	const char *s = html ? html : "";
	size_t n = strlen(s);
	struct walker *w = calloc(1, sizeof *w);
	if (!w)
		abort();
	size_t i = 0;
	while (i < n) {
		if (s[i] != '<') {
			const char *lt = memchr(s + i, '<', n - i);
			size_t e = lt ? (size_t)(lt - s) : n;
			emit_text(w, s + i, e - i, true);
			i = e;
			continue;
		}
		if (strncmp(s + i, "<!--", 4) == 0) {
			size_t j = i + 4;
			if (j < n && s[j] == '>')
				i = j + 1;
			else if (j + 1 < n && s[j] == '-' && s[j + 1] == '>')
				i = j + 2;
			else {
				const char *e = strstr(s + j, "-->");
				i = e ? (size_t)(e - s) + 3 : n;
			}
			if (!w->skip)
				flush_text(w);
			continue;
		}
		if (i + 1 < n && (s[i + 1] == '!' || s[i + 1] == '?')) {
			i = skip_past(s, n, i + 2, '>');
			if (!w->skip)
				flush_text(w);
			continue;
		}
		if (i + 1 < n && s[i + 1] == '/') {
			if (i + 2 < n && is_letter(s[i + 2])) {
				struct tag t = {.href = PB_STRBUF_INIT};
				size_t e = read_tag(s, n, i + 2, &t);
				pb_strbuf_deinit(&t.href);
				if (!e)
					break;
				on_end(w, t.name);
				i = e;
			} else if (i + 2 < n && s[i + 2] == '>') {
				i += 3;
			} else if (i + 2 >= n) {
				emit_text(w, "</", 2, false);
				i = n;
			} else {
				i = skip_past(s, n, i + 2, '>');
				if (!w->skip)
					flush_text(w);
			}
			continue;
		}
		if (i + 1 < n && is_letter(s[i + 1])) {
			struct tag t = {.href = PB_STRBUF_INIT};
			size_t e = read_tag(s, n, i + 1, &t);
			if (!e) {
				pb_strbuf_deinit(&t.href);
				break;
			}
			on_start(w, t.name, t.self_closing, t.has_href, pb_strbuf_cstr(&t.href));
			pb_strbuf_deinit(&t.href);
			i = e;
			if (in_list(t.name, raw_tags)) {
				size_t re = strcmp(t.name, "plaintext") == 0 ? n : raw_end(s, n, i, t.name);
				bool rcdata = strcmp(t.name, "title") == 0 || strcmp(t.name, "textarea") == 0;
				emit_text(w, s + i, re - i, rcdata);
				i = re;
			}
			continue;
		}
		emit_text(w, "<", 1, false);
		i++;
	}
	flush_text(w);
	if (w->in_link)
		finish_link(w);
	char *r = trim_space(w->out.data ? w->out.data : "", w->out.len);
	pb_strbuf_deinit(&w->out);
	pb_strbuf_deinit(&w->link);
	pb_strbuf_deinit(&w->text);
	free(w->href);
	free(w);
	return r;
}
