/* netip — Go net/netip address and prefix parsing (see netip.h). */
#include "core/netip.h"

#include <stdio.h>
#include <string.h>

#include "core/text.h"

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
			int h = pb_text_hex_value(s[off]);
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

void pb_netip_format_expanded(const struct pb_netip_addr *a, char *out, size_t cap)
{
	if (a->is4) {
		snprintf(out, cap, "%u.%u.%u.%u", a->b[0], a->b[1], a->b[2], a->b[3]);
		return;
	}
	const unsigned char *b = a->b;
	snprintf(out, cap, "%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x", b[0], b[1], b[2],
	         b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

bool pb_netip_prefix_contains(const struct pb_netip_addr *prefix, int bits, const struct pb_netip_addr *a)
{
	if (a->is4 != prefix->is4 || a->has_zone)
		return false;
	int full = bits / 8, rest = bits % 8;
	if (memcmp(prefix->b, a->b, (size_t)full) != 0)
		return false;
	if (rest) {
		unsigned char mask = (unsigned char)(0xFF << (8 - rest));
		if ((prefix->b[full] & mask) != (a->b[full] & mask))
			return false;
	}
	return true;
}

/* Addr equality: same family, same bytes, same zone presence (zone texts are not kept). */
static bool addr_equal(const struct pb_netip_addr *x, const struct pb_netip_addr *y)
{
	return x->is4 == y->is4 && x->has_zone == y->has_zone && memcmp(x->b, y->b, x->is4 ? 4 : 16) == 0;
}

bool pb_netip_in_list(char *const *items, size_t n, const char *ip)
{
	struct pb_netip_addr search;
	if (!n || !ip || !*ip || !pb_netip_parse_addr(ip, strlen(ip), &search))
		return false;
	for (size_t i = 0; i < n; i++) {
		struct pb_netip_addr a;
		int bits;
		size_t len = strlen(items[i]);
		if (pb_netip_parse_prefix(items[i], len, &a, &bits)) {
			if (pb_netip_prefix_contains(&a, bits, &search))
				return true;
			continue;
		}
		if (pb_netip_parse_addr(items[i], len, &a) && addr_equal(&a, &search))
			return true;
	}
	return false;
}
