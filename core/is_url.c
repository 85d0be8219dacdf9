/* is_url — the part of Go's net/url.Parse that decides whether a URL parses and what its Host
 * and Path are (see is.h). Steps as Go takes them: reject control bytes; cut the fragment at
 * the first '#' (its %-escapes must be valid); read the scheme; cut the query at the first
 * '?'; a scheme followed by a rootless rest is opaque; a scheme-less rest whose first segment
 * has a ':' is an error; "//" starts an authority: userinfo up to the last '@' (restricted
 * character set, valid escapes), host with an optional ":digits" port or a bracketed IPv6
 * literal (which must be a valid IPv6 address, per Go's CVE-2025-47912 fix), only host-safe
 * ASCII and escapes of non-ASCII bytes (or %25); finally the path's escapes must be valid. */
#include "core/is.h"

#include <stdlib.h>
#include <string.h>

#include "core/netip.h"
#include "core/text.h"

enum mode { M_PATH, M_HOST, M_ZONE, M_USER, M_FRAGMENT };

static bool is_hex(char c) { return pb_text_hex_value((unsigned char)c) >= 0; }

static bool is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* shouldEscape(c, encodeHost/encodeZone) for ASCII c. */
static bool host_should_escape(unsigned char c)
{
	if (is_alnum(c))
		return false;
	return !strchr("!$&'()*+,;=:[]<>\"-_.~", c) || c == '\0';
}

/* Go's unescape(): checks escapes (and host characters in host/zone mode) and appends the
 * decoded bytes to *out (may be NULL). Returns false on a Go error. */
static bool unescape(const char *s, size_t len, enum mode mode, char **out)
{
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		if (c == '%') {
			if (i + 2 >= len || !is_hex(s[i + 1]) || !is_hex(s[i + 2]))
				return false;
			bool is25 = s[i + 1] == '2' && s[i + 2] == '5';
			if (mode == M_HOST && pb_text_hex_value(s[i + 1]) < 8 && !is25)
				return false;
			if (mode == M_ZONE) {
				unsigned char v = (unsigned char)(pb_text_hex_value(s[i + 1]) << 4 | pb_text_hex_value(s[i + 2]));
				if (!is25 && v != ' ' && (v >= 0x80 || host_should_escape(v)))
					return false;
			}
			i += 3;
		} else {
			if ((mode == M_HOST || mode == M_ZONE) && c < 0x80 && host_should_escape(c))
				return false;
			i++;
		}
	}
	if (!out)
		return true;
	size_t have = *out ? strlen(*out) : 0;
	char *d = realloc(*out, have + len + 1);
	if (!d)
		abort();
	size_t w = have;
	for (size_t i = 0; i < len;) {
		if (s[i] == '%') {
			d[w++] = (char)(pb_text_hex_value(s[i + 1]) << 4 | pb_text_hex_value(s[i + 2]));
			i += 3;
		} else
			d[w++] = s[i++];
	}
	d[w] = '\0';
	*out = d;
	return true;
}

/* validOptionalPort: "" or ':' followed by digits only. */
static bool valid_optional_port(const char *p, size_t len)
{
	if (len == 0)
		return true;
	if (p[0] != ':')
		return false;
	for (size_t i = 1; i < len; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return true;
}

static bool parse_host(const char *h, size_t len, char **host)
{
	if (len > 0 && h[0] == '[') {
		size_t close = len;
		while (close > 0 && h[close - 1] != ']')
			close--;
		if (close == 0)
			return false;
		close--; /* index of ']' */
		if (!valid_optional_port(h + close + 1, len - close - 1))
			return false;
		const char *zone = NULL;
		for (size_t i = 0; i + 3 <= close; i++)
			if (h[i] == '%' && h[i + 1] == '2' && h[i + 2] == '5') {
				zone = h + i;
				break;
			}
		size_t zi = zone ? (size_t)(zone - h) : close;
		/* The literal between '[' and the zone or ']' must be an IPv6 address (an escape there
		 * could only encode a non-ASCII byte, which no address contains). */
		struct pb_netip_addr a;
		if (!pb_netip_parse_addr(h + 1, zi - 1, &a) || a.is4)
			return false;
		if (zone) {
			return unescape(h, zi, M_HOST, host) && unescape(h + zi, close - zi, M_ZONE, host) &&
			       unescape(h + close, len - close, M_HOST, host);
		}
	} else {
		size_t colon = len;
		while (colon > 0 && h[colon - 1] != ':')
			colon--;
		if (colon > 0 && !valid_optional_port(h + colon - 1, len - colon + 1))
			return false;
	}
	return unescape(h, len, M_HOST, host);
}

static bool valid_userinfo(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!is_alnum(c) && !strchr("-._:~!$&'()*+,;=%@", c))
			return false;
		if (c == '\0' || c >= 0x80)
			return false;
	}
	return true;
}

static bool parse_authority(const char *a, size_t len, char **host)
{
	size_t at = len;
	while (at > 0 && a[at - 1] != '@')
		at--;
	if (at == 0)
		return parse_host(a, len, host);
	if (!parse_host(a + at, len - at, host))
		return false;
	const char *user = a;
	size_t ulen = at - 1;
	return valid_userinfo(user, ulen) && unescape(user, ulen, M_USER, NULL);
}

bool pb_is_go_url_parse(const char *s, size_t len, char **host, char **path)
{
	char *h = NULL, *p = NULL;
	bool ok = false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			goto done;
	const char *hash = memchr(s, '#', len);
	size_t ulen = hash ? (size_t)(hash - s) : len;
	if (hash && !unescape(hash + 1, len - ulen - 1, M_FRAGMENT, NULL))
		goto done;
	/* getScheme */
	size_t scheme_len = 0;
	for (size_t i = 0; i < ulen; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			continue;
		if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
			if (i == 0)
				break;
			continue;
		}
		if (c == ':') {
			if (i == 0)
				goto done; /* missing protocol scheme */
			scheme_len = i;
		}
		break;
	}
	const char *rest = scheme_len ? s + scheme_len + 1 : s;
	size_t rlen = scheme_len ? ulen - scheme_len - 1 : ulen;
	const char *q = memchr(rest, '?', rlen);
	if (q)
		rlen = (size_t)(q - rest);
	if (rlen == 0 || rest[0] != '/') {
		if (scheme_len) {
			ok = true; /* opaque: no host, no path */
			goto done;
		}
		const char *slash = memchr(rest, '/', rlen);
		size_t seg = slash ? (size_t)(slash - rest) : rlen;
		if (memchr(rest, ':', seg))
			goto done; /* first path segment in URL cannot contain colon */
	}
	bool triple = rlen >= 3 && memcmp(rest, "///", 3) == 0;
	if ((scheme_len || !triple) && rlen >= 2 && rest[0] == '/' && rest[1] == '/') {
		const char *auth = rest + 2;
		size_t alen = rlen - 2;
		const char *slash = memchr(auth, '/', alen);
		size_t cut = slash ? (size_t)(slash - auth) : alen;
		if (!parse_authority(auth, cut, &h))
			goto done;
		rest = auth + cut;
		rlen = alen - cut;
	}
	ok = unescape(rest, rlen, M_PATH, &p);
done:
	if (ok && host)
		*host = h ? h : strdup("");
	else
		free(h);
	if (ok && path)
		*path = p ? p : strdup("");
	else
		free(p);
	return ok;
}
