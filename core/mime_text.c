/* mime_text — the text branch of PocketBase's content sniffing (github.com/gabriel-vasile/
 * mimetype v1.4.13, used for uploaded files): "is this text" (a BOM or no binary bytes in
 * the first 4096), SVG (an <svg> root with the SVG xmlns, or an <?xml version…?> prolog
 * followed by "<svg"), HTML and XML (case-insensitive tag prefixes), JSON and NDJSON
 * (mimetype's own lenient parser, which accepts input cut at the read limit), RTF, CSV/TSV
 * (consistent field counts over up to 10 lines), vCard and iCalendar, and the charset
 * detection appended to text/plain, text/html and text/xml (BOM, <meta charset>, the XML
 * encoding attribute, else UTF-8 / ISO-8859-1 / windows-1252 by byte classes). */
#include <string.h>

#include "core/mime_internal.h"
#include "core/utf8.h"

/* A cursor over the sniffed bytes; reading past the end yields 0 like mimetype's scanner. */
struct sc {
	const unsigned char *p;
	size_t n;
};

static bool is_ws(unsigned char c)
{
	return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

static unsigned char peek(const struct sc *s)
{
	return s->n ? s->p[0] : 0;
}

static unsigned char pop(struct sc *s)
{
	if (!s->n)
		return 0;
	s->n--;
	return *s->p++;
}

static void adv(struct sc *s, size_t k)
{
	if (k <= s->n) {
		s->p += k;
		s->n -= k;
	}
}

static void trim_lws(struct sc *s)
{
	while (s->n && is_ws(s->p[0]))
		adv(s, 1);
}

static bool has_prefix(const struct sc *s, const char *lit)
{
	size_t l = strlen(lit);
	return s->n >= l && memcmp(s->p, lit, l) == 0;
}

static bool span_eq(const struct sc *a, const char *lit)
{
	return a->p && a->n == strlen(lit) && memcmp(a->p, lit, a->n) == 0;
}

/* Case-insensitive prefix for an upper-case pattern (scan.Match with IgnoreCase). */
static bool ci_match(const struct sc *s, const char *upper)
{
	size_t l = strlen(upper);
	if (s->n < l)
		return false;
	for (size_t i = 0; i < l; i++) {
		unsigned char c = s->p[i];
		if (c >= 'a' && c <= 'z')
			c -= 32;
		if (c != (unsigned char)upper[i])
			return false;
	}
	return true;
}

/* ciCheck/markupCheck: letters of the signature compare with the byte & 0xDF. */
static bool sig_check(const unsigned char *raw, size_t n, const char *sig)
{
	size_t l = strlen(sig);
	if (n < l + 1)
		return false;
	for (size_t i = 0; i < l; i++) {
		unsigned char b = (unsigned char)sig[i], d = raw[i];
		if (b >= 'A' && b <= 'Z')
			d &= 0xDF;
		if (b != d)
			return false;
	}
	return true;
}

static const unsigned char *find(const unsigned char *h, size_t hn, const char *needle)
{
	return memmem(h, hn, needle, strlen(needle));
}

/* markup.GetAnAttribute: name and value are spans into the input (p == NULL = none). */
static bool get_value(struct sc *s, struct sc *val)
{
	while (is_ws(peek(s)))
		adv(s, 1);
	const unsigned char *orig = s->p;
	size_t end = 0;
	unsigned char b = pop(s);
	if (b == 0)
		return false;
	end++;
	if (b == '"' || b == '\'') {
		const unsigned char *q = memchr(s->p, b, s->n);
		size_t k = q ? (size_t)(q - s->p) : s->n;
		struct sc v = {s->p, k};
		adv(s, k);
		if (pop(s) != b)
			return false;
		*val = v;
		return peek(s) != 0 && peek(s) != '>';
	}
	if (b == '>')
		return false;
	for (;;) {
		b = pop(s);
		if (b == 0)
			return false;
		if (is_ws(b) || b == '>') {
			*val = (struct sc){orig, end};
			return b != '>';
		}
		end++;
	}
}

static bool get_attr(struct sc *s, struct sc *name, struct sc *val)
{
	*name = (struct sc){NULL, 0};
	*val = (struct sc){NULL, 0};
	while (is_ws(peek(s)) || peek(s) == '/')
		adv(s, 1);
	if (peek(s) == '>')
		return false;
	const unsigned char *orig = s->p;
	size_t end = 0;
	for (;;) {
		unsigned char b = pop(s);
		if (b == 0)
			return false;
		if (b == '=' && end > 0) {
			*name = (struct sc){orig, end};
			return get_value(s, val);
		} else if (is_ws(b)) {
			while (is_ws(peek(s)))
				adv(s, 1);
			*name = (struct sc){orig, end};
			if (peek(s) != '=')
				return true;
			adv(s, 1);
			while (is_ws(peek(s)))
				adv(s, 1);
			return get_value(s, val);
		} else if (b == '/' || b == '>') {
			*name = (struct sc){orig, end};
			return false;
		} else {
			end++;
		}
	}
}

static bool skip_comment(struct sc *s)
{
	if (!has_prefix(s, "<!--"))
		return false;
	const unsigned char *e = find(s->p + 2, s->n - 2, "-->");
	if (!e)
		return false;
	adv(s, (size_t)(e - s->p) + 3);
	return true;
}

/* --- charsets ----------------------------------------------------------------------- */

enum { CF, CT, CI, CX }; /* never text, ASCII text, ISO-8859 text, other extended ASCII */

static int text_class(unsigned char b)
{
	if (b >= 0x20 && b <= 0x7e)
		return CT;
	if ((b >= 0x07 && b <= 0x0d) || b == 0x1b || b == 0x85)
		return CT;
	if (b >= 0xa0)
		return CI;
	if (b >= 0x80)
		return CX;
	return CF;
}

static const char *from_bom(const unsigned char *in, size_t n)
{
	static const struct {
		const char *bom;
		size_t len;
		const char *enc;
	} boms[] = {{"\xEF\xBB\xBF", 3, "utf-8"},
	            {"\x00\x00\xFE\xFF", 4, "utf-32be"},
	            {"\xFF\xFE\x00\x00", 4, "utf-32le"},
	            {"\xFE\xFF", 2, "utf-16be"},
	            {"\xFF\xFE", 2, "utf-16le"}};
	for (size_t i = 0; i < sizeof boms / sizeof *boms; i++)
		if (n >= boms[i].len && memcmp(in, boms[i].bom, boms[i].len) == 0)
			return boms[i].enc;
	return NULL;
}

static void put(char *out, size_t cap, const void *s, size_t n)
{
	if (cap == 0)
		return;
	if (n >= cap)
		n = cap - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

void pb_mime_charset_plain(const unsigned char *in, size_t n, char *out, size_t cap)
{
	put(out, cap, "", 0);
	if (n == 0)
		return;
	const char *bom = from_bom(in, n);
	if (bom) {
		put(out, cap, bom, strlen(bom));
		return;
	}
	/* drop a partial rune at the end before checking UTF-8 */
	size_t m = n;
	for (size_t i = n; i-- > 0 && i + 4 > n;) {
		if (in[i] < 0x80)
			break;
		if ((in[i] & 0xC0) != 0x80) {
			m = i;
			break;
		}
	}
	bool high = false, ascii = true, control = false, latin = true;
	for (size_t i = 0; i < m; i++)
		high |= in[i] >= 0x80;
	if (high && pb_utf8_valid(in, m)) {
		put(out, cap, "utf-8", 5);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		int c = text_class(in[i]);
		ascii &= c == CT;
		latin &= c == CT || c == CI;
		control |= in[i] >= 0x80 && in[i] <= 0x9f;
	}
	if (ascii)
		put(out, cap, "utf-8", 5);
	else if (latin)
		put(out, cap, control ? "windows-1252" : "iso-8859-1", control ? 12 : 10);
}

void pb_mime_charset_xml(const unsigned char *in, size_t n, char *out, size_t cap)
{
	struct sc s = {in, n};
	for (;;) {
		trim_lws(&s);
		if (s.n <= 5)
			break;
		const unsigned char *x = find(s.p, s.n, "<?xml");
		if (!x)
			break;
		adv(&s, (size_t)(x - s.p) + 5);
		struct sc name, val;
		bool more = true;
		while (more) {
			more = get_attr(&s, &name, &val);
			if (name.p && name.n >= 8 && memcmp(name.p, "encoding", 8) == 0 && val.p && val.n) {
				put(out, cap, val.p, val.n);
				return;
			}
		}
	}
	pb_mime_charset_plain(in, n, out, cap);
}

static void trim_space(struct sc *v)
{
	while (v->n && (is_ws(v->p[0]) || v->p[0] == '\v'))
		adv(v, 1);
	while (v->n && (is_ws(v->p[v->n - 1]) || v->p[v->n - 1] == '\v'))
		v->n--;
}

/* The charset of a <meta content="…; charset=…"> value (WHATWG algorithm). */
static struct sc meta_charset(struct sc s)
{
	for (;;) {
		const unsigned char *c = s.p ? find(s.p, s.n, "charset") : NULL;
		if (!c)
			return (struct sc){NULL, 0};
		adv(&s, (size_t)(c - s.p) + 7);
		while (is_ws(peek(&s)))
			adv(&s, 1);
		if (pop(&s) != '=')
			continue;
		while (is_ws(peek(&s)))
			adv(&s, 1);
		unsigned char q = peek(&s);
		if (q == 0)
			return (struct sc){NULL, 0};
		size_t k;
		if (q == '"' || q == '\'') {
			adv(&s, 1);
			const unsigned char *e = memchr(s.p, q, s.n);
			k = e ? (size_t)(e - s.p) : s.n;
		} else {
			k = 0;
			while (k < s.n && !strchr(";\t\n\f\r ", s.p[k]))
				k++;
		}
		struct sc v = {s.p, k};
		trim_space(&v);
		return v;
	}
}

static bool lower_eq(const struct sc *a, const char *lit)
{
	size_t l = strlen(lit);
	if (!a->p || a->n != l)
		return false;
	for (size_t i = 0; i < l; i++) {
		unsigned char c = a->p[i];
		if (c >= 'A' && c <= 'Z')
			c += 32;
		if (c != (unsigned char)lit[i])
			return false;
	}
	return true;
}

static bool from_html(const unsigned char *in, size_t n, char *out, size_t cap)
{
	enum { DONT_KNOW, NEED_PRAGMA, NO_PRAGMA };
	struct sc s = {in, n};
	for (;;) {
		if (skip_comment(&s))
			continue;
		if (s.n <= 5 || ci_match(&s, "<BODY"))
			return false;
		if (!ci_match(&s, "<META")) {
			adv(&s, 1);
			continue;
		}
		adv(&s, 5);
		unsigned char c = pop(&s);
		if (c == 0 || (!is_ws(c) && c != '/'))
			return false;
		bool seen_equiv = false, seen_content = false, seen_charset = false, seen_empty = false;
		bool got_pragma = false;
		int need = DONT_KNOW;
		struct sc charset = {NULL, 0}, name, val;
		bool more = true;
		while (more) {
			more = get_attr(&s, &name, &val);
			bool is_equiv = lower_eq(&name, "http-equiv"), is_content = lower_eq(&name, "content"),
			     is_charset = lower_eq(&name, "charset"), is_empty = name.n == 0;
			if ((is_equiv && seen_equiv) || (is_content && seen_content) || (is_charset && seen_charset) ||
			    (is_empty && seen_empty))
				continue;
			if (is_empty && val.n == 0) {
				if (need == DONT_KNOW)
					continue;
				if (need == NEED_PRAGMA && !got_pragma)
					continue;
			}
			seen_equiv |= is_equiv;
			seen_content |= is_content;
			seen_charset |= is_charset;
			seen_empty |= is_empty;
			if (is_equiv) {
				if (ci_match(&val, "CONTENT-TYPE"))
					got_pragma = true;
			} else if (is_content) {
				charset = meta_charset(val);
				if (charset.n)
					need = NEED_PRAGMA;
			} else if (is_charset) {
				charset = val;
				need = NO_PRAGMA;
			}
		}
		if (need == DONT_KNOW || (need == NEED_PRAGMA && !got_pragma))
			continue;
		if (!charset.n)
			return false;
		put(out, cap, charset.p, charset.n);
		return true;
	}
}

void pb_mime_charset_html(const unsigned char *in, size_t n, char *out, size_t cap)
{
	const char *bom = from_bom(in, n);
	if (bom) {
		put(out, cap, bom, strlen(bom));
		return;
	}
	if (!from_html(in, n, out, cap))
		pb_mime_charset_plain(in, n, out, cap);
}

/* --- text formats ------------------------------------------------------------------- */

bool pb_mime_text(const unsigned char *in, size_t n, bool truncated)
{
	(void)truncated;
	if (from_bom(in, n))
		return true;
	for (size_t i = 0; i < n && i < 4096; i++) {
		unsigned char b = in[i];
		if (b <= 0x08 || b == 0x0B || (b >= 0x0E && b <= 0x1A) || (b >= 0x1C && b <= 0x1F))
			return false;
	}
	return true;
}

static bool markup(const unsigned char *in, size_t n, const char *const *sigs)
{
	struct sc s = {in, n};
	if (has_prefix(&s, "\xEF\xBB\xBF"))
		adv(&s, 3);
	trim_lws(&s);
	if (s.n == 0)
		return false;
	for (; *sigs; sigs++) {
		size_t l = strlen(*sigs);
		if (sig_check(s.p, s.n, *sigs) && (is_ws(s.p[l]) || s.p[l] == '>'))
			return true;
	}
	return false;
}

bool pb_mime_html(const unsigned char *in, size_t n, bool truncated)
{
	(void)truncated;
	static const char *const sigs[] = {"<!DOCTYPE HTML", "<HTML", "<HEAD",  "<SCRIPT", "<IFRAME", "<H1",
	                                   "<DIV",           "<FONT", "<TABLE", "<A",      "<STYLE",  "<TITLE",
	                                   "<B",             "<BODY", "<BR",    "<P",      "<!--",    NULL};
	return markup(in, n, sigs);
}

bool pb_mime_xml(const unsigned char *in, size_t n, bool truncated)
{
	(void)truncated;
	static const char *const sigs[] = {"<?XML", NULL};
	return markup(in, n, sigs);
}

bool pb_mime_svg(const unsigned char *in, size_t n, bool truncated)
{
	(void)truncated;
	struct sc s = {in, n}, name, val;
	while (is_ws(peek(&s)))
		adv(&s, 1);
	struct sc x = s;
	while (skip_comment(&s))
		;
	if (has_prefix(&s, "<svg")) {
		bool more = true;
		while (more) {
			more = get_attr(&s, &name, &val);
			if (span_eq(&name, "xmlns") && span_eq(&val, "http://www.w3.org/2000/svg"))
				return true;
		}
	}
	/* with an XML prolog: a version attribute, then "<svg" within the next 4096 bytes */
	if (!has_prefix(&x, "<?xml"))
		return false;
	bool version = false, more = true;
	while (more && !version) {
		more = get_attr(&x, &name, &val);
		version = span_eq(&name, "version");
	}
	return version && find(x.p, x.n < 4096 ? x.n : 4096, "<svg") != NULL;
}

bool pb_mime_rtf(const unsigned char *in, size_t n, bool truncated)
{
	(void)truncated;
	return n >= 5 && memcmp(in, "{\\rtf", 5) == 0;
}

bool pb_mime_vcard(const unsigned char *in, size_t n, bool truncated)
{
	(void)truncated;
	return sig_check(in, n, "BEGIN:VCARD\n") || sig_check(in, n, "BEGIN:VCARD\r\n");
}

bool pb_mime_icalendar(const unsigned char *in, size_t n, bool truncated)
{
	(void)truncated;
	return sig_check(in, n, "BEGIN:VCALENDAR\n") || sig_check(in, n, "BEGIN:VCALENDAR\r\n");
}
