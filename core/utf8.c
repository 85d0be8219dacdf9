/* utf8 — Go-compatible UTF-8 decoding, encoding and space trimming (see utf8.h). */
#include "core/utf8.h"

size_t pb_utf8_decode(const char *str, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t need;
	unsigned char lo = 0x80, hi = 0xBF; /* accepted range of the second byte */
	uint32_t v;
	if (c >= 0xC2 && c <= 0xDF)
		need = 2, v = c & 0x1Fu;
	else if (c >= 0xE0 && c <= 0xEF) {
		need = 3, v = c & 0x0Fu;
		if (c == 0xE0)
			lo = 0xA0; /* no overlong forms */
		else if (c == 0xED)
			hi = 0x9F; /* no surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 4, v = c & 0x07u;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F; /* <= U+10FFFF */
	} else
		goto invalid;
	if (len < need || s[1] < lo || s[1] > hi)
		goto invalid;
	v = (v << 6) | (s[1] & 0x3Fu);
	for (size_t i = 2; i < need; i++) {
		if (s[i] < 0x80 || s[i] > 0xBF)
			goto invalid;
		v = (v << 6) | (s[i] & 0x3Fu);
	}
	*cp = v;
	return need;
invalid:
	*cp = PB_UTF8_REPLACEMENT;
	return 1;
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
