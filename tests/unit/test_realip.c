/* test_realip — RealIP() (api/realip.h) with PocketBase's TestEventRequestRealIP scenarios
 * (core/event_request_test.go: several lines per header, the last line wins, right-most or
 * left-most parseable item), IPv6 rendering as Addr.StringExpanded, and isIPInList
 * (core/netip.h) for the superuserIPs / excludedIPs checks. */
#include "api/realip.h"

#include "core/netip.h"
#include "test.h"

static struct pb_http_head head(void)
{
	struct pb_http_head h = {0};
	static const struct pb_http_header lines[] = {
	    {"CF-Connecting-IP", "1.2.3.4"},
	    {"CF-Connecting-IP", "1.1.1.1"},
	    {"Fly-Client-IP", "1.2.3.4"},
	    {"Fly-Client-IP", "1.1.1.2"},
	    {"X-Real-IP", "1.2.3.4"},
	    {"X-Real-IP", "1.1.1.3,1.1.1.4"},
	    {"X-Forwarded-For", "1.2.3.4"},
	    {"X-Forwarded-For", "invalid,1.1.1.5,1.1.1.6,invalid"},
	    {"X-V6", "2001:db8::1 , ::ffff:10.0.0.1"},
	    {"X-Empty", ""},
	};
	h.method = "GET";
	h.target = "/";
	h.minor = 1;
	h.nheaders = (int)(sizeof lines / sizeof lines[0]);
	for (int i = 0; i < h.nheaders; i++)
		h.headers[i] = lines[i];
	return h;
}

static const char *real_ip(char **headers, size_t n, bool leftmost, char *out)
{
	struct pb_http_head h = head();
	struct pb_settings_trusted_proxy tp = {{headers, n}, leftmost};
	pb_real_ip(&h, &tp, "127.0.0.1", out, 64);
	return out;
}

static void pocketbase_scenarios(void)
{
	char out[64];
	char *none[] = {NULL};
	char *nomatch[] = {"header1", "header2"};
	char *xreal[] = {"header1", "x-real-ip", "x-forwarded-for"};
	char *xff[] = {"header1", "x-forwarded-for"};
	CHECK_STR(real_ip(none, 0, false, out), "127.0.0.1");
	CHECK_STR(real_ip(nomatch, 2, false, out), "127.0.0.1");
	CHECK_STR(real_ip(xreal, 3, false, out), "1.1.1.4");
	CHECK_STR(real_ip(xreal, 3, true, out), "1.1.1.3");
	CHECK_STR(real_ip(xff, 2, false, out), "1.1.1.6");
	CHECK_STR(real_ip(xff, 2, true, out), "1.1.1.5");
}

static void ipv6_and_edge_cases(void)
{
	char out[64];
	char *v6[] = {"x-v6"};
	/* right-most: the v4-mapped address stays IPv6 and is written out in full */
	CHECK_STR(real_ip(v6, 1, false, out), "0000:0000:0000:0000:0000:ffff:0a00:0001");
	CHECK_STR(real_ip(v6, 1, true, out), "2001:0db8:0000:0000:0000:0000:0000:0001");
	/* an empty last line is skipped and the next configured header is tried */
	char *empty_then_cf[] = {"X-Empty", "cf-connecting-ip"};
	CHECK_STR(real_ip(empty_then_cf, 2, false, out), "1.1.1.1");
}

static void in_list(void)
{
	char *list[] = {"10.0.0.0/8", "192.168.1.5", "not an ip", "2001:db8::/32"};
	CHECK(pb_netip_in_list(list, 4, "10.200.3.4"));
	CHECK(pb_netip_in_list(list, 4, "192.168.1.5"));
	CHECK(!pb_netip_in_list(list, 4, "192.168.1.6"));
	CHECK(!pb_netip_in_list(list, 4, "11.0.0.1"));
	CHECK(pb_netip_in_list(list, 4, "2001:0db8:0000:0000:0000:0000:0000:0001"));
	CHECK(!pb_netip_in_list(list, 4, "2001:db9::1"));
	/* an IPv4-mapped IPv6 address does not match an IPv4 prefix (Prefix.Contains) */
	CHECK(!pb_netip_in_list(list, 4, "::ffff:10.0.0.1"));
	CHECK(!pb_netip_in_list(list, 4, ""));
	CHECK(!pb_netip_in_list(list, 4, "garbage"));
	CHECK(!pb_netip_in_list(list, 0, "10.0.0.1"));
	char *edge[] = {"0.0.0.0/0", "::/0"};
	CHECK(pb_netip_in_list(edge, 1, "8.8.8.8"));
	CHECK(!pb_netip_in_list(edge, 1, "::1"));
	CHECK(pb_netip_in_list(edge + 1, 1, "::1"));
	char *bits[] = {"172.16.0.0/12"};
	CHECK(pb_netip_in_list(bits, 1, "172.31.255.255"));
	CHECK(!pb_netip_in_list(bits, 1, "172.32.0.0"));
}

int main(void)
{
	pocketbase_scenarios();
	ipv6_and_edge_cases();
	in_list();
	TEST_DONE();
}
