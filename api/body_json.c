/* body_json — JSON decoding with Go encoding/json semantics on top of jansson, plus the
 * UTF-8 helpers the decoders share. Go replaces invalid UTF-8 bytes and unpaired \uXXXX
 * surrogate escapes inside strings with U+FFFD instead of failing, while jansson rejects
 * them; so the input is first rewritten (same framing, same escapes) and then handed to
 * jansson with numbers as reals and \u0000 allowed. json.Decoder stops after the first value
 * (trailing bytes ignored); json.Unmarshal requires the rest to be whitespace. Remaining
 * differences: nesting deeper than jansson's 2048 levels and object keys containing \u0000
 * are errors here (Go accepts up to 10000 levels and such keys). */
#include "api/body_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/utf8.h"

void pb_body_utf8_append(struct pb_strbuf *out, const unsigned char *s, size_t len)
{
	size_t i = 0, run = 0;
	while (i < len) {
		size_t k = pb_utf8_seq(s + i, len - i);
		if (k > 0) {
			i += k;
			continue;
		}
		pb_strbuf_append(out, s + run, i - run);
		pb_strbuf_append(out, "\xEF\xBF\xBD", 3);
		i++;
		run = i;
	}
	pb_strbuf_append(out, s + run, len - run);
}

json_t *pb_body_string(const char *s, size_t len)
{
	if (pb_utf8_valid((const unsigned char *)s, len))
		return json_stringn_nocheck(s, len);
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_body_utf8_append(&b, (const unsigned char *)s, len);
	json_t *j = json_stringn_nocheck(pb_strbuf_cstr(&b), b.len);
	pb_strbuf_deinit(&b);
	return j;
}

static int hex4(const unsigned char *p)
{
	int v = 0;
	for (int i = 0; i < 4; i++) {
		int d = pb_text_hex_value(p[i]);
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* Rewrites `in` so that jansson accepts what Go accepts: invalid UTF-8 bytes → U+FFFD (a
 * syntax error stays a syntax error), \u escapes of unpaired surrogates → \uFFFD, and raw
 * NUL bytes → 0x01 so that they stay errors. */
static void prepare(const unsigned char *in, size_t n, struct pb_strbuf *out)
{
	bool in_string = false;
	size_t i = 0;
	pb_strbuf_reserve(out, n + 16);
	while (i < n) {
		unsigned char c = in[i];
		if (c >= 0x80) {
			size_t k = pb_utf8_seq(in + i, n - i);
			if (k == 0) {
				pb_strbuf_append(out, "\xEF\xBF\xBD", 3);
				i++;
			} else {
				pb_strbuf_append(out, in + i, k);
				i += k;
			}
			continue;
		}
		if (c == '\0') {
			/* jansson's reader skips raw NUL bytes; for Go they are invalid characters (in a
			 * string and outside), as 0x01 is for both */
			pb_strbuf_putc(out, '\x01');
			i++;
			continue;
		}
		if (!in_string) {
			in_string = c == '"';
			pb_strbuf_putc(out, (char)c);
			i++;
			continue;
		}
		if (c == '"') {
			in_string = false;
			pb_strbuf_putc(out, '"');
			i++;
			continue;
		}
		if (c != '\\') {
			pb_strbuf_putc(out, (char)c);
			i++;
			continue;
		}
		int cp = (i + 6 <= n && in[i + 1] == 'u') ? hex4(in + i + 2) : -1;
		if (cp < 0) {
			/* any other escape: copy the backslash and the next ASCII byte verbatim */
			pb_strbuf_putc(out, '\\');
			i++;
			if (i < n && in[i] < 0x80) {
				pb_strbuf_putc(out, (char)in[i]);
				i++;
			}
			continue;
		}
		if (cp < 0xD800 || cp > 0xDFFF) {
			pb_strbuf_append(out, in + i, 6);
			i += 6;
			continue;
		}
		int cp2 = (cp <= 0xDBFF && i + 12 <= n && in[i + 6] == '\\' && in[i + 7] == 'u') ? hex4(in + i + 8) : -1;
		if (cp2 >= 0xDC00 && cp2 <= 0xDFFF) {
			pb_strbuf_append(out, in + i, 12);
			i += 12;
		} else {
			pb_strbuf_append(out, "\\uFFFD", 6);
			i += 6;
		}
	}
}

/* prepare() copies plain ASCII without a NUL byte or a backslash unchanged: such a body is
 * handed to jansson as it is */
static bool needs_prepare(const unsigned char *in, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (in[i] >= 0x80 || in[i] == '\0' || in[i] == '\\')
			return true;
	return false;
}

/* ---- flat objects without jansson's reader ------------------------------------------------
 * The common request body is one object of plain ASCII strings, literals and small integers:
 * {"owner":"…","body":"…","n":3}. flat_object() builds exactly what json_loadb gives for it
 * (same values, numbers as reals, a repeated key keeping its first position with its last
 * value) and returns NULL for anything else (nesting, escapes, control characters, fractions,
 * exponents, 16+ digit numbers, any syntax error), which then goes to jansson as before. The
 * input has passed needs_prepare(): no byte >= 0x80, no NUL, no backslash. */

static bool json_ws(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static size_t skip_ws(const unsigned char *s, size_t n, size_t i)
{
	while (i < n && json_ws(s[i]))
		i++;
	return i;
}

/* A string starting at s[i] == '"': sets [*start, *end) and returns the index after it, or 0. */
static size_t flat_string(const unsigned char *s, size_t n, size_t i, size_t *start, size_t *end)
{
	size_t j = i + 1;
	while (j < n && s[j] != '"') {
		if (s[j] < 0x20)
			return 0;
		j++;
	}
	if (j >= n)
		return 0;
	*start = i + 1;
	*end = j;
	return j + 1;
}

static bool is_alpha(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* A value at s[i]: a new reference and the index after it in *next, or NULL. */
static json_t *flat_value(const unsigned char *s, size_t n, size_t i, size_t *next)
{
	if (s[i] == '"') {
		size_t a, b, k = flat_string(s, n, i, &a, &b);
		if (!k)
			return NULL;
		*next = k;
		return json_stringn_nocheck((const char *)s + a, b - a);
	}
	static const struct {
		const char *word;
		size_t len;
	} words[] = {{"true", 4}, {"false", 5}, {"null", 4}};
	for (int w = 0; w < 3; w++) {
		size_t l = words[w].len;
		if (n - i >= l && !memcmp(s + i, words[w].word, l)) {
			if (i + l < n && is_alpha(s[i + l]))
				return NULL; /* "truex": jansson's invalid token */
			*next = i + l;
			return w == 0 ? json_true() : w == 1 ? json_false() : json_null();
		}
	}
	bool neg = s[i] == '-';
	size_t j = i + (neg ? 1 : 0), digits = 0;
	uint64_t u = 0;
	while (j < n && s[j] >= '0' && s[j] <= '9' && digits < 16) {
		u = u * 10 + (uint64_t)(s[j] - '0');
		j++;
		digits++;
	}
	if (!digits || digits > 15 || (digits > 1 && s[i + (neg ? 1 : 0)] == '0'))
		return NULL;
	if (j < n && (s[j] == '.' || s[j] == 'e' || s[j] == 'E' || (s[j] >= '0' && s[j] <= '9')))
		return NULL;
	*next = j;
	/* exact for up to 15 digits, as strtod; "-0" is -0.0 */
	return json_real(neg ? -(double)u : (double)u);
}

static json_t *flat_object(const unsigned char *s, size_t n, bool whole)
{
	size_t i = skip_ws(s, n, 0);
	if (i >= n || s[i] != '{')
		return NULL;
	json_t *obj = json_object();
	i = skip_ws(s, n, i + 1);
	if (i < n && s[i] == '}') {
		i++;
		goto end;
	}
	for (;;) {
		size_t ka, kb;
		if (i >= n || s[i] != '"' || !(i = flat_string(s, n, i, &ka, &kb)))
			goto fail;
		i = skip_ws(s, n, i);
		if (i >= n || s[i] != ':')
			goto fail;
		i = skip_ws(s, n, i + 1);
		if (i >= n)
			goto fail;
		json_t *v = flat_value(s, n, i, &i);
		if (!v)
			goto fail;
		if (json_object_setn_new_nocheck(obj, (const char *)s + ka, kb - ka, v) != 0)
			goto fail;
		i = skip_ws(s, n, i);
		if (i < n && s[i] == ',') {
			i = skip_ws(s, n, i + 1);
			continue;
		}
		if (i < n && s[i] == '}') {
			i++;
			break;
		}
		goto fail;
	}
end:
	if (whole && skip_ws(s, n, i) != n)
		goto fail;
	return obj;
fail:
	json_decref(obj);
	return NULL;
}

json_t *pb_body_json_load(const unsigned char *buf, size_t len, bool whole)
{
	size_t flags = JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL | JSON_ALLOW_NUL;
	if (!whole)
		flags |= JSON_DISABLE_EOF_CHECK;
	json_error_t jerr;
	if (len && !needs_prepare(buf, len)) {
		json_t *flat = flat_object(buf, len, whole);
		return flat ? flat : json_loadb((const char *)buf, len, flags, &jerr);
	}
	struct pb_strbuf b = PB_STRBUF_INIT;
	prepare(buf, len, &b);
	json_t *j = json_loadb(b.data ? b.data : "", b.len, flags, &jerr);
	pb_strbuf_deinit(&b);
	return j;
}
