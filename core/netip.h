/* netip — IP address and CIDR prefix parsing as Go's net/netip does it.
 * PocketBase checks IP lists (settings.superuserIPs, rateLimits.excludedIPs) with
 * netip.ParsePrefix / netip.ParseAddr, and govalidator's IsIP (used by the `is.Host` rule)
 * with net.ParseIP, which since Go 1.22 is netip.ParseAddr without a zone. Rules kept:
 * IPv4 is exactly four dot-separated decimal octets 0..255 without leading zeros; IPv6 has
 * at most eight hex groups of 1..4 digits, at most one "::", an optional trailing embedded
 * IPv4 and (ParseAddr only) a non-empty "%zone"; a prefix is "<addr>/<bits>" with decimal
 * bits without sign or leading zeros, 0..32 / 0..128, and no zone. */
#ifndef POCKETC_CORE_NETIP_H
#define POCKETC_CORE_NETIP_H

#include <stdbool.h>
#include <stddef.h>

struct pb_netip_addr {
	unsigned char b[16]; /* IPv4 in b[0..3] when is4, else the 16 IPv6 bytes */
	bool is4;
	bool has_zone; /* IPv6 with a %zone (the zone text itself is not kept) */
};

/* netip.ParseAddr(s[0..len)). Returns true and fills *out (may be NULL) when valid. */
bool pb_netip_parse_addr(const char *s, size_t len, struct pb_netip_addr *out);

/* net.ParseIP(s) != nil: a valid address without a zone. */
bool pb_netip_is_ip(const char *s, size_t len);

/* netip.ParsePrefix(s[0..len)). Returns true and fills *addr / *bits (each may be NULL). */
bool pb_netip_parse_prefix(const char *s, size_t len, struct pb_netip_addr *addr, int *bits);

/* Addr.StringExpanded without the zone: IPv4 as "a.b.c.d", IPv6 as eight 4-digit lower-case
 * hex groups (IPv4-mapped addresses included). Writes into out (cap >= 40 is always enough). */
void pb_netip_format_expanded(const struct pb_netip_addr *a, char *out, size_t cap);

/* Prefix.Contains: an IPv4 address only matches an IPv4 prefix, an IPv6 one only an IPv6
 * prefix, and an address with a zone matches nothing. */
bool pb_netip_prefix_contains(const struct pb_netip_addr *prefix, int bits, const struct pb_netip_addr *a);

/* PocketBase's isIPInList (apis/middlewares_rate_limit.go): `ip` (NUL-terminated, borrowed)
 * parsed with ParseAddr is contained in one of the n items (borrowed; CIDR prefixes or single
 * addresses; unparsable items are skipped). False for an empty list or an unparsable ip. */
bool pb_netip_in_list(char *const *items, size_t n, const char *ip);

#endif
