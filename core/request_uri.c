/* request_uri — url.URL.RequestURI() of a received request (see request_uri.h). */
#include "core/request_uri.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

static bool is_alnum(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

/* shouldEscape(c, encodePath) of net/url */
static bool path_should_escape(unsigned char c)
{
	if (is_alnum(c))
		return false;
	switch (c) {
	case '-': case '_': case '.': case '~':
	case '$': case '&': case '+': case ',': case '/': case ':': case ';': case '=': case '@':
		return false;
	default:
		return true;
	}
}

/* validEncoded(s, encodePath): every byte is one of !$&'()*+,;=:@[]% or one shouldEscape
 * keeps (alphanumerics, -_.~ and $&+,/:;=@) — as a bit set over the byte values. */
static bool path_valid_encoded(const char *s)
{
	static const uint32_t valid[8] = {0x00000000, 0x2ffffff2, 0xafffffff, 0x47fffffe, 0, 0, 0, 0};
	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		if (!(valid[*c >> 5] >> (*c & 31) & 1))
			return false;
	return true;
}

const char *pb_request_uri(const char *path, const char *query, struct pb_strbuf *out)
{
	const char *p = path ? path : "/";
	bool valid = path_valid_encoded(p);
	if (valid && !query)
		return p; /* the common case: the path as sent */
	size_t n = strlen(p);
	char *decoded = NULL;
	ssize_t dn = -1;
	if (!valid) {
		if (!(decoded = malloc(n + 1)))
			abort();
		dn = pb_text_unescape(p, n, 0, decoded);
	}
	if (dn < 0) { /* valid as sent, or not decodable (kept as is) */
		pb_strbuf_append(out, p, n);
	} else {
		static const char hex[] = "0123456789ABCDEF";
		for (const unsigned char *c = (const unsigned char *)decoded, *end = c + dn; c < end; c++) {
			if (path_should_escape(*c)) {
				char esc[3] = {'%', hex[*c >> 4], hex[*c & 15]};
				pb_strbuf_append(out, esc, 3);
			} else {
				pb_strbuf_putc(out, (char)*c);
			}
		}
	}
	free(decoded);
	if (query) {
		pb_strbuf_putc(out, '?');
		pb_strbuf_puts(out, query);
	}
	return pb_strbuf_cstr(out);
}
