/* utf8 — Go-compatible UTF-8 decoding, encoding and space trimming (see utf8.h). */
#include "core/utf8.h"

size_t pb_utf8_seq(const unsigned char *s, size_t len)
{
	if (len == 0)
		return 0;
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	size_t n;
	unsigned char lo = 0x80, hi = 0xBF; /* accepted range of the second byte */
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		if (c == 0xE0)
			lo = 0xA0; /* no overlong forms */
		else if (c == 0xED)
			hi = 0x9F; /* no surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F; /* <= U+10FFFF */
	} else {
		return 0;
	}
	if (len < n || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return n;
}

bool pb_utf8_valid(const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		size_t k = pb_utf8_seq(s + i, len - i);
		if (k == 0)
			return false;
		i += k;
	}
	return true;
}

size_t pb_utf8_decode(const char *str, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = pb_utf8_seq(s, len);
	if (n == 0) {
		*cp = PB_UTF8_REPLACEMENT;
		return 1;
	}
	static const unsigned char lead_mask[5] = {0, 0x7F, 0x1F, 0x0F, 0x07};
	uint32_t v = s[0] & lead_mask[n];
	for (size_t i = 1; i < n; i++)
		v = (v << 6) | (s[i] & 0x3Fu);
	*cp = v;
	return n;
}

size_t pb_utf8_encode(uint32_t cp, char out[4])
{
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = PB_UTF8_REPLACEMENT;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

bool pb_utf8_is_space(uint32_t cp)
{
	switch (cp) {
	case '\t':
	case '\n':
	case '\v':
	case '\f':
	case '\r':
	case ' ':
	case 0x85:
	case 0xA0:
	case 0x1680:
	case 0x2028:
	case 0x2029:
	case 0x202F:
	case 0x205F:
	case 0x3000: return true;
	default: return cp >= 0x2000 && cp <= 0x200A;
	}
}

void pb_utf8_trim_space(const char **s, size_t *len)
{
	const char *p = *s;
	size_t n = *len;
	while (n > 0) {
		uint32_t cp;
		size_t k = pb_utf8_decode(p, n, &cp);
		if (!pb_utf8_is_space(cp))
			break;
		p += k, n -= k;
	}
	while (n > 0) { /* find the start of the last rune */
		size_t start = n - 1;
		while (start > 0 && n - start < 4 && ((unsigned char)p[start] & 0xC0) == 0x80)
			start--;
		uint32_t cp;
		size_t k = pb_utf8_decode(p + start, n - start, &cp);
		if (start + k != n) /* the tail is not one rune: it ends in an invalid byte */
			start = n - 1, cp = PB_UTF8_REPLACEMENT;
		if (!pb_utf8_is_space(cp))
			break;
		n = start;
	}
	*s = p;
	*len = n;
}
