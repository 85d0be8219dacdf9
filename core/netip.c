/* netip — Go net/netip address and prefix parsing (see netip.h). */
#include "core/netip.h"

#include <string.h>

/* Four decimal octets in s[0..len) into out[0..3] (parseIPv4Fields). */
static bool parse_v4(const char *s, size_t len, unsigned char *out)
{
	int val = 0, pos = 0, digits = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c >= '0' && c <= '9') {
			if (digits == 1 && val == 0)
				return false; /* leading zero */
			val = val * 10 + (c - '0');
			digits++;
			if (val > 255)
				return false;
		} else if (c == '.') {
			if (i == 0 || i == len - 1 || s[i - 1] == '.' || pos == 3)
				return false;
			out[pos++] = (unsigned char)val;
			val = 0;
			digits = 0;
		} else
			return false;
	}
	if (pos < 3)
		return false;
	out[3] = (unsigned char)val;
	return true;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool parse_v6(const char *in, size_t inlen, struct pb_netip_addr *out)
{
	const char *s = in;
	size_t len = inlen;
	const char *pct = memchr(in, '%', inlen);
	bool zone = false;
	if (pct) {
		if ((size_t)(pct - in) + 1 == inlen)
			return false; /* empty zone */
		len = (size_t)(pct - in);
		zone = true;
	}
	size_t addr_len = len; /* the address part without "%zone" */
	unsigned char ip[16] = {0};
	int ellipsis = -1, i = 0;
	if (len >= 2 && s[0] == ':' && s[1] == ':') {
		ellipsis = 0;
		s += 2, len -= 2;
		if (len == 0)
			goto ok;
	}
	while (i < 16) {
		size_t off = 0;
		unsigned acc = 0;
		for (; off < len; off++) {
			int h = hex_digit(s[off]);
			if (h < 0)
				break;
			acc = (acc << 4) + (unsigned)h;
			if (off > 3 || acc > 0xFFFF)
				return false;
		}
		if (off == 0)
			return false;
		if (off < len && s[off] == '.') {
			if ((ellipsis < 0 && i != 12) || i + 4 > 16)
				return false;
			/* the IPv4 part runs from s to the end of the address part */
			if (!parse_v4(s, (size_t)(in + addr_len - s), ip + i))
				return false;
			len = 0;
			i += 4;
			break;
		}
		ip[i] = (unsigned char)(acc >> 8);
		ip[i + 1] = (unsigned char)acc;
		i += 2;
		s += off, len -= off;
		if (len == 0)
			break;
		if (s[0] != ':' || len == 1)
			return false;
		s++, len--;
		if (s[0] == ':') {
			if (ellipsis >= 0)
				return false;
			ellipsis = i;
			s++, len--;
			if (len == 0)
				break;
		}
	}
	if (len != 0)
		return false;
	if (i < 16) {
		if (ellipsis < 0)
			return false;
		int n = 16 - i;
		for (int j = i - 1; j >= ellipsis; j--)
			ip[j + n] = ip[j];
		memset(ip + ellipsis, 0, (size_t)n);
	} else if (ellipsis >= 0)
		return false;
ok:
	if (out) {
		memcpy(out->b, ip, 16);
		out->is4 = false;
		out->has_zone = zone;
	}
	return true;
}

bool pb_netip_parse_addr(const char *s, size_t len, struct pb_netip_addr *out)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '.') {
			unsigned char b[4];
			if (!parse_v4(s, len, b))
				return false;
			if (out) {
				memset(out, 0, sizeof *out);
				memcpy(out->b, b, 4);
				out->is4 = true;
			}
			return true;
		}
		if (s[i] == ':')
			return parse_v6(s, len, out);
		if (s[i] == '%')
			return false;
	}
	return false;
}

bool pb_netip_is_ip(const char *s, size_t len)
{
	struct pb_netip_addr a;
	return pb_netip_parse_addr(s, len, &a) && !a.has_zone;
}

bool pb_netip_parse_prefix(const char *s, size_t len, struct pb_netip_addr *addr, int *bits)
{
	size_t slash = len;
	while (slash > 0 && s[slash - 1] != '/')
		slash--;
	if (slash == 0)
		return false;
	struct pb_netip_addr a;
	if (!pb_netip_parse_addr(s, slash - 1, &a) || a.has_zone)
		return false;
	const char *b = s + slash;
	size_t blen = len - slash;
	if (blen == 0 || (blen > 1 && (b[0] < '1' || b[0] > '9')))
		return false;
	int v = 0;
	for (size_t i = 0; i < blen; i++) {
		if (b[i] < '0' || b[i] > '9' || v > 1000)
			return false;
		v = v * 10 + (b[i] - '0');
	}
	if (v > (a.is4 ? 32 : 128))
		return false;
	if (addr)
		*addr = a;
	if (bits)
		*bits = v;
	return true;
}
