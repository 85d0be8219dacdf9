/* mail_encode — RFC 2047 words, quoted-printable, base64 lines, addresses and dates of an
 * e-mail message, byte for byte as Go's mime, mime/quotedprintable and net/mail packages
 * produce them for PocketBase (see mail_encode.h). */
#include "core/mail_encode.h"

#include <openssl/evp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char upperhex[] = "0123456789ABCDEF";

/* Length of the UTF-8 sequence at s (n bytes left) as Go's utf8.DecodeRuneInString consumes
 * it: a valid sequence's length, 1 for an invalid byte. */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	size_t len;
	unsigned char lo = 0x80, hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else
		return 1;
	if (n < len || s[1] < lo || s[1] > hi)
		return 1;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 1;
	return len;
}

/* mime's needsEncoding: any rune outside ' '..'~' other than a tab. */
static bool needs_encoding(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < ' ' || *p > '~') && *p != '\t')
			return true;
	return false;
}

static bool charset_is_utf8(const char *cs)
{
	return strcasecmp(cs, "utf-8") == 0;
}

static void open_word(struct pb_strbuf *out, const char *charset, char enc)
{
	pb_strbuf_puts(out, "=?");
	pb_strbuf_puts(out, charset);
	pb_strbuf_putc(out, '?');
	pb_strbuf_putc(out, enc);
	pb_strbuf_putc(out, '?');
}

/* The longest content of one encoded-word: 75 - len("=?UTF-8?q?") - len("?="). */
#define MAX_WORD_CONTENT 63

static void q_bytes(struct pb_strbuf *out, const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char b = s[i];
		if (b == ' ')
			pb_strbuf_putc(out, '_');
		else if (b >= '!' && b <= '~' && b != '=' && b != '?' && b != '_')
			pb_strbuf_putc(out, (char)b);
		else {
			char h[3] = {'=', upperhex[b >> 4], upperhex[b & 15]};
			pb_strbuf_append(out, h, 3);
		}
	}
}

/* The common start of both encoders: nothing for NULL, `s` as is when it needs no encoding
 * (false: done), else the first encoded-word opened (true: encode). */
static bool open_encoded(struct pb_strbuf *out, const char *charset, const char *s, char mode)
{
	if (!s)
		return false;
	if (!needs_encoding(s)) {
		pb_strbuf_puts(out, s);
		return false;
	}
	open_word(out, charset, mode);
	return true;
}

void pb_mail_qencode(struct pb_strbuf *out, const char *charset, const char *s)
{
	if (!open_encoded(out, charset, s, 'q'))
		return;
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s);
	if (!charset_is_utf8(charset)) {
		q_bytes(out, u, n);
	} else {
		size_t cur = 0;
		for (size_t i = 0; i < n;) {
			unsigned char b = u[i];
			size_t rl, el;
			if (b >= ' ' && b <= '~' && b != '=' && b != '?' && b != '_')
				rl = 1, el = 1;
			else
				rl = utf8_seq_len(u + i, n - i), el = 3 * rl;
			if (cur + el > MAX_WORD_CONTENT) {
				pb_strbuf_puts(out, "?= ");
				open_word(out, charset, 'q');
				cur = 0;
			}
			q_bytes(out, u + i, rl);
			cur += el;
			i += rl;
		}
	}
	pb_strbuf_puts(out, "?=");
}

static void b64_append(struct pb_strbuf *out, const unsigned char *s, size_t n)
{
	if (n == 0)
		return;
	size_t enc = (n + 2) / 3 * 4;
	pb_strbuf_reserve(out, enc + 1);
	EVP_EncodeBlock((unsigned char *)out->data + out->len, s, (int)n);
	out->len += enc;
	out->data[out->len] = '\0';
}

void pb_mail_bencode(struct pb_strbuf *out, const char *charset, const char *s)
{
	if (!open_encoded(out, charset, s, 'b'))
		return;
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s);
	if (!charset_is_utf8(charset) || (n + 2) / 3 * 4 <= MAX_WORD_CONTENT) {
		b64_append(out, u, n);
	} else {
		/* base64.StdEncoding.DecodedLen(63): raw bytes per word */
		const size_t max_raw = MAX_WORD_CONTENT / 4 * 3;
		size_t cur = 0, last = 0;
		for (size_t i = 0; i < n;) {
			size_t rl = utf8_seq_len(u + i, n - i);
			if (cur + rl <= max_raw) {
				cur += rl;
			} else {
				b64_append(out, u + last, i - last);
				pb_strbuf_puts(out, "?= ");
				open_word(out, charset, 'b');
				last = i;
				cur = rl;
			}
			i += rl;
		}
		b64_append(out, u + last, n - last);
	}
	pb_strbuf_puts(out, "?=");
}

/* ---- quoted-printable: the state machine of Go's quotedprintable.Writer ---- */

#define QP_LINE_MAX 76

struct qp {
	struct pb_strbuf *out;
	char line[QP_LINE_MAX + 2];
	int i;
	bool cr;
};

static void qp_flush(struct qp *w)
{
	pb_strbuf_append(w->out, w->line, (size_t)w->i);
	w->i = 0;
}

static void qp_crlf(struct qp *w)
{
	w->line[w->i++] = '\r';
	w->line[w->i++] = '\n';
	qp_flush(w);
}

static void qp_soft_break(struct qp *w)
{
	w->line[w->i++] = '=';
	qp_crlf(w);
}

static void qp_encode(struct qp *w, unsigned char b)
{
	if (QP_LINE_MAX - 1 - w->i < 3)
		qp_soft_break(w);
	w->line[w->i++] = '=';
	w->line[w->i++] = upperhex[b >> 4];
	w->line[w->i++] = upperhex[b & 15];
}

static bool qp_blank(unsigned char b)
{
	return b == ' ' || b == '\t';
}

/* A blank right before a line break (or the end) is encoded. */
static void qp_check_last(struct qp *w)
{
	if (w->i == 0)
		return;
	unsigned char b = (unsigned char)w->line[w->i - 1];
	if (qp_blank(b)) {
		w->i--;
		qp_encode(w, b);
	}
}

/* Bytes that go out literally (printable, blanks, line breaks). */
static void qp_write_plain(struct qp *w, const unsigned char *p, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		unsigned char b = p[k];
		if (b == '\n' || b == '\r') {
			if (w->cr && b == '\n') {
				w->cr = false;
				continue;
			}
			if (b == '\r')
				w->cr = true;
			qp_check_last(w);
			qp_crlf(w);
			continue;
		}
		if (w->i == QP_LINE_MAX - 1)
			qp_soft_break(w);
		w->line[w->i++] = (char)b;
		w->cr = false;
	}
}

void pb_mail_qp(struct pb_strbuf *out, const void *data, size_t len)
{
	struct qp w = {.out = out};
	const unsigned char *p = data;
	size_t start = 0;
	for (size_t k = 0; k < len; k++) {
		unsigned char b = p[k];
		if ((b >= '!' && b <= '~' && b != '=') || qp_blank(b) || b == '\n' || b == '\r')
			continue;
		if (k > start)
			qp_write_plain(&w, p + start, k - start);
		qp_encode(&w, b);
		start = k + 1;
	}
	if (start < len)
		qp_write_plain(&w, p + start, len - start);
	qp_check_last(&w);
	qp_flush(&w);
}

void pb_mail_base64_lines(struct pb_strbuf *out, const void *data, size_t len)
{
	struct pb_strbuf tmp = PB_STRBUF_INIT;
	b64_append(&tmp, data, len);
	for (size_t i = 0; i < tmp.len; i += 60) {
		size_t n = tmp.len - i < 60 ? tmp.len - i : 60;
		pb_strbuf_append(out, tmp.data + i, n);
		if (n == 60)
			pb_strbuf_puts(out, "\r\n");
	}
	pb_strbuf_deinit(&tmp);
}

/* ---- addresses (net/mail) ---- */

static bool is_vchar(unsigned char c)
{
	return (c >= '!' && c <= '~') || c >= 0x80;
}

static bool is_atext(unsigned char c)
{
	switch (c) {
	case '.': case '(': case ')': case '[': case ']': case ';': case '@': case '\\': case ',':
	case '<': case '>': case '"': case ':':
		return false;
	default:
		return is_vchar(c);
	}
}

static void quote_string(struct pb_strbuf *out, const char *s, size_t n)
{
	pb_strbuf_putc(out, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\\' || c == '"') {
			pb_strbuf_putc(out, '\\');
			pb_strbuf_putc(out, (char)c);
		} else if (is_vchar(c) || c == ' ' || c == '\t') {
			pb_strbuf_putc(out, (char)c);
		}
	}
	pb_strbuf_putc(out, '"');
}

void pb_mail_address_format(struct pb_strbuf *out, const char *name, const char *addr)
{
	if (!addr)
		addr = "";
	const char *at = strrchr(addr, '@');
	size_t llen = at ? (size_t)(at - addr) : strlen(addr);
	bool quote = false;
	for (size_t i = 0; i < llen && !quote; i++) {
		unsigned char c = (unsigned char)addr[i];
		if (is_atext(c))
			continue;
		if (c == '.' && i > 0 && addr[i - 1] != '.' && i < llen - 1)
			continue;
		quote = true;
	}
	if (name && *name) {
		bool printable = true;
		for (const unsigned char *p = (const unsigned char *)name; *p; p++)
			if (!((*p >= ' ' && *p <= '~') || *p == '\t'))
				printable = false;
		if (printable)
			quote_string(out, name, strlen(name));
		else if (strpbrk(name, "\"#$%&'(),.:;<>@[]^`{|}~"))
			pb_mail_bencode(out, "utf-8", name);
		else
			pb_mail_qencode(out, "utf-8", name);
		pb_strbuf_putc(out, ' ');
	}
	pb_strbuf_putc(out, '<');
	if (quote)
		quote_string(out, addr, llen);
	else
		pb_strbuf_append(out, addr, llen);
	pb_strbuf_putc(out, '@');
	if (at)
		pb_strbuf_puts(out, at + 1);
	pb_strbuf_putc(out, '>');
}

static char *dup_trimmed(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	char *r = malloc(n + 1);
	if (!r)
		abort();
	memcpy(r, s, n);
	r[n] = '\0';
	return r;
}

void pb_mail_address_parse(const char *in, char **name, char **addr)
{
	if (!in)
		in = "";
	*name = NULL;
	char *all = dup_trimmed(in, strlen(in));
	size_t n = strlen(all);
	char *lt = n && all[n - 1] == '>' ? strrchr(all, '<') : NULL;
	if (!lt) {
		*addr = all;
		return;
	}
	*addr = dup_trimmed(lt + 1, (size_t)(all + n - 1 - (lt + 1)));
	char *nm = dup_trimmed(all, (size_t)(lt - all));
	size_t nl = strlen(nm);
	if (nl >= 2 && nm[0] == '"' && nm[nl - 1] == '"') {
		size_t o = 0;
		for (size_t i = 1; i + 1 < nl; i++) {
			if (nm[i] == '\\' && i + 2 < nl)
				i++;
			nm[o++] = nm[i];
		}
		nm[o] = '\0';
	}
	if (*nm)
		*name = nm;
	else
		free(nm);
	free(all);
}

void pb_mail_date_format(char *buf, size_t cap, time_t t)
{
	static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	struct tm tm;
	localtime_r(&t, &tm);
	long off = tm.tm_gmtoff / 60;
	char sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	snprintf(buf, cap, "%s, %02d %s %04d %02d:%02d:%02d %c%02ld%02ld", days[tm.tm_wday], tm.tm_mday,
	         months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec, sign, off / 60, off % 60);
}

char *pb_mail_strip_newlines(const char *s)
{
	struct pb_strbuf b = PB_STRBUF_INIT;
	for (const char *p = s ? s : ""; *p; p++) {
		if (*p == '\n')
			continue;
		if (*p == '\r' && p[1] == '\n')
			continue;
		pb_strbuf_putc(&b, *p);
	}
	return pb_strbuf_steal(&b);
}

void pb_mail_put_oneline(struct pb_strbuf *out, const char *s)
{
	for (const char *p = s ? s : ""; *p; p++)
		if (*p != '\r' && *p != '\n')
			pb_strbuf_putc(out, *p);
}
