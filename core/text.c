/* text — hex digits, %XX unescaping and comma-separated list items (see text.h). */
#include "core/text.h"

int pb_text_hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool escape_at(const char *s, size_t n, size_t i)
{
	return i + 2 < n && pb_text_hex_value((unsigned char)s[i + 1]) >= 0 &&
	       pb_text_hex_value((unsigned char)s[i + 2]) >= 0;
}

bool pb_text_escapes_valid(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '%') {
			if (!escape_at(s, n, i))
				return false;
			i += 2;
		}
	return true;
}

ssize_t pb_text_unescape(const char *s, size_t n, unsigned flags, char *out)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%') {
			if (escape_at(s, n, i)) {
				out[w++] = (char)(pb_text_hex_value((unsigned char)s[i + 1]) << 4 |
				                  pb_text_hex_value((unsigned char)s[i + 2]));
				i += 2;
				continue;
			}
			if (!(flags & PB_UNESCAPE_LENIENT))
				return -1;
		} else if (c == '+' && (flags & PB_UNESCAPE_PLUS)) {
			c = ' ';
		}
		out[w++] = c;
	}
	out[w] = '\0';
	return (ssize_t)w;
}

int pb_text_unescape_append(const char *s, size_t n, unsigned flags, struct pb_strbuf *out)
{
	pb_strbuf_reserve(out, n);
	ssize_t w = pb_text_unescape(s, n, flags, out->data + out->len);
	if (w < 0) {
		out->data[out->len] = '\0';
		return -1;
	}
	out->len += (size_t)w;
	return 0;
}

bool pb_text_list_next(const char **p, const char **item, size_t *len)
{
	const char *q = *p;
	while (*q == ' ' || *q == ',')
		q++;
	if (!*q) {
		*p = q;
		return false;
	}
	const char *s = q;
	while (*q && *q != ',')
		q++;
	size_t n = (size_t)(q - s);
	while (n && s[n - 1] == ' ')
		n--;
	*p = q;
	*item = s;
	*len = n;
	return true;
}
