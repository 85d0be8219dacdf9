/* test_validators — the building blocks of settings validation: the RE2-subset matcher (core/rx),
 * Go netip parsing (core/netip), the govalidator predicates behind ozzo's `is` rules (core/is)
 * and PocketBase's cron parser (core/cron_schedule). Expected values come from PocketBase's and
 * govalidator's tests and from running the Go originals on the same inputs. */
#include <stdlib.h>
#include <string.h>

#include "core/cron_schedule.h"
#include "core/is.h"
#include "core/netip.h"
#include "core/rx.h"
#include "tests/unit/test.h"

#define S(x) x, strlen(x)

static void test_rx(void)
{
	struct {
		const char *pattern, *text;
		bool match;
	} cases[] = {
		{"abc", "xxabcxx", true},
		{"^abc$", "xxabcxx", false},
		{"^a(b|c)*d$", "abcbcd", true},
		{"^a(b|c)*d$", "abcbxd", false},
		{"^(?:ab|a)(?:c|bcd)d$", "abcdd", true},
		{"^x{2,3}$", "xxxx", false},
		{"^x{2,3}$", "xxx", true},
		{"^x{2,}$", "xxxxxxx", true},
		{"^x{0}y$", "y", true},
		{"^[^\\s]+$", "no-space", true},
		{"^[^\\s]+$", "a b", false},
		{"^\\S+$", "tab\there", false},
		{"^[\\x{00a1}-\\x{ffff}]+$", "\xc3\xa9\xe4\xb8\xad", true},
		{"^[\\x{00a1}-\\x{ffff}]+$", "\xf0\x9f\x98\x80", false}, /* U+1F600 is outside */
		{"^.$", "\xff", true},                                  /* invalid byte = one U+FFFD rune */
		{"^[\\x{fffd}]$", "\xff", true},
		{"^a.c$", "a\nc", false},
		{"^[a-c-]+$", "a-b", true},
		{"^[\\w\\/-]*$", "/api/a_b-c", true},
		{"a{,2}", "a{,2}", true}, /* not a repeat: literal braces, as in Go */
		{"^(a|)+$", "aaa", true},
		{"(a*)*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac", false}, /* linear time */
		{"^$", "", true},
		{"x*", "", true},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		bool got = pb_rx_match_once(cases[i].pattern, S(cases[i].text));
		if (got != cases[i].match)
			fprintf(stderr, "rx case %zu: %s on %s\n", i, cases[i].pattern, cases[i].text);
		CHECK(got == cases[i].match);
	}
	const char *bad[] = {"(a", "a)", "[a", "*a", "a**", "\\q", "(?i)a", "x{3,2}", "[z-a]"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct pb_rx *rx = pb_rx_compile(bad[i]);
		if (rx)
			fprintf(stderr, "rx should not compile: %s\n", bad[i]);
		CHECK(rx == NULL);
		pb_rx_free(rx);
	}
	size_t size;
	CHECK(pb_rx_decode_rune(S("\xe2\x82\xac"), &size) == 0x20AC && size == 3);
	CHECK(pb_rx_decode_rune(S("\xed\xa0\x80"), &size) == 0xFFFD && size == 1); /* surrogate */
	CHECK(pb_rx_decode_rune(S("\xc0\xaf"), &size) == 0xFFFD && size == 1);     /* overlong */
	CHECK(pb_rx_decode_rune("\xe2\x82", 2, &size) == 0xFFFD && size == 1);     /* truncated */
}

static void test_netip(void)
{
	struct pb_netip_addr a;
	CHECK(pb_netip_parse_addr(S("127.0.0.1"), &a) && a.is4 && a.b[0] == 127 && a.b[3] == 1);
	CHECK(pb_netip_parse_addr(S("::ffff:1.2.3.4"), &a) && !a.is4 && a.b[10] == 0xff && a.b[12] == 1 && a.b[15] == 4);
	CHECK(pb_netip_parse_addr(S("2001:db8::1"), &a) && a.b[0] == 0x20 && a.b[1] == 0x01 && a.b[15] == 1);
	CHECK(pb_netip_parse_addr(S("fe80::1%eth0"), &a) && a.has_zone);
	CHECK(pb_netip_parse_addr(S("::"), &a) && !a.has_zone);
	const char *bad_addr[] = {"", "1.2.3", "1.2.3.4.5", "01.2.3.4", "256.1.1.1", "1..2.3", "1:2:3:4:5:6:7:8:9",
	                          "12345::", "1:::2", "::1:", "fe80::1%", "%eth0", "1.2.3.4%x", ":1", "1:2:3:4:5:6:7::8",
	                          "::1.2.3.4.5", "1.2.3.-4"};
	for (size_t i = 0; i < sizeof bad_addr / sizeof bad_addr[0]; i++) {
		bool ok = pb_netip_parse_addr(S(bad_addr[i]), NULL);
		if (ok)
			fprintf(stderr, "addr should fail: %s\n", bad_addr[i]);
		CHECK(!ok);
	}
	CHECK(pb_netip_parse_addr(S("1:2:3:4:5:6:1.2.3.4"), NULL));
	CHECK(!pb_netip_parse_addr(S("1:2:3:4:5:6:7:1.2.3.4"), NULL));
	CHECK(pb_netip_is_ip(S("::1")) && !pb_netip_is_ip(S("fe80::1%eth0")));
	int bits = -1;
	CHECK(pb_netip_parse_prefix(S("10.0.0.1/20"), &a, &bits) && bits == 20 && a.is4);
	CHECK(pb_netip_parse_prefix(S("::/0"), NULL, &bits) && bits == 0);
	CHECK(pb_netip_parse_prefix(S("::/128"), NULL, NULL));
	const char *bad_prefix[] = {"1.2.3.4", "1.2.3.4/33", "::/129", "1.2.3.4/024", "1.2.3.4/+1", "1.2.3.4/-0",
	                            "1.2.3.4/", "/24", "fe80::1%eth0/64", "1.2.3.4/1 "};
	for (size_t i = 0; i < sizeof bad_prefix / sizeof bad_prefix[0]; i++) {
		bool ok = pb_netip_parse_prefix(S(bad_prefix[i]), NULL, NULL);
		if (ok)
			fprintf(stderr, "prefix should fail: %s\n", bad_prefix[i]);
		CHECK(!ok);
	}
}

static void test_is(void)
{
	/* is.URL — govalidator's TestIsURL cases that apply to the pinned version */
	const char *urls_ok[] = {"http://foo.bar#com", "http://foobar.com", "https://foobar.com", "foobar.com",
	                         "http://foobar.coffee/", "http://foobar.中文网/", "http://foobar.org/", "http://foobar.ORG",
	                         "http://foobar.org:8080/", "ftp://foobar.ru/", "ftp.foo.bar", "http://user:pass@www.foobar.com/",
	                         "http://127.0.0.1/", "http://duckduckgo.com/?q=%2F", "http://localhost:3000/",
	                         "http://foobar.com/?foo=bar#baz=qux", "http://foobar.com?foo=bar", "http://www.xn--froschgrn-x9a.net/",
	                         "http://foobar.com/a-", "http://foobar.பங்கு/", "http://foo.bar/#com", "http://[::1]:80/",
	                         "http://localhost:8090", "https://example.com", "https://localhost:8090", "localhost:8090",
	                         "example.com", "http://1.2.3.4",
	                         /* accepted by the pinned govalidator */ "invalid.", "mailto:someone@example.com"};
	for (size_t i = 0; i < sizeof urls_ok / sizeof urls_ok[0]; i++) {
		bool ok = pb_is_url(S(urls_ok[i]));
		if (!ok)
			fprintf(stderr, "url should pass: %s\n", urls_ok[i]);
		CHECK(ok);
	}
	const char *urls_bad[] = {"", "xyz://foobar.com", ".com", "rtmp://foobar.com", "http://localhost:3000/\n",
	                          "http://www.-foobar.com/", "http://www.foo---bar.com/",
	                          "/abs/test/dir", "./rel/test/dir", "http://foo^bar.org", "http://foo&*bar.org",
	                          "http://foo&bar.org", "http://foo bar.org", "http://foo.bar.org#a b", "invalid",
	                          "test:test:test", "test", "http://.example.com", "http://256.1.1.1", "http://x.com/%zz",
	                          "http://[1.2.3.4]/", "ab"};
	for (size_t i = 0; i < sizeof urls_bad / sizeof urls_bad[0]; i++) {
		bool ok = pb_is_url(S(urls_bad[i]));
		if (ok)
			fprintf(stderr, "url should fail: %s\n", urls_bad[i]);
		CHECK(!ok);
	}
	/* url.Parse host/path extraction */
	char *host = NULL, *path = NULL;
	CHECK(pb_is_go_url_parse(S("http://us%40er@h%C3%A9st:80/a%20b?q#f"), &host, &path));
	CHECK_STR(host, "h\xc3\xa9st:80");
	CHECK_STR(path, "/a b");
	free(host);
	free(path);
	CHECK(!pb_is_go_url_parse(S(":nope"), NULL, NULL));
	CHECK(pb_is_go_url_parse(S("a:b/c:d"), NULL, NULL)); /* opaque with a scheme is fine */
	CHECK(pb_is_go_url_parse(S("ab/c:d/e"), NULL, NULL)); /* the colon is not in the first segment */
	CHECK(!pb_is_go_url_parse(S("1c:d"), NULL, NULL)); /* no scheme, colon in the first segment */
	CHECK(!pb_is_go_url_parse(S("http://[::1"), NULL, NULL));
	CHECK(!pb_is_go_url_parse(S("http://h:8a/"), NULL, NULL));

	/* is.Host / IsDNSName */
	const char *hosts_ok[] = {"localhost", "smtp.example.com", "example.com", "a_b", "a.", "1.2.3.4", "::1",
	                          "xn--froschgrn-x9a.net", "_srv.example"};
	for (size_t i = 0; i < sizeof hosts_ok / sizeof hosts_ok[0]; i++) {
		bool ok = pb_is_host(S(hosts_ok[i]));
		if (!ok)
			fprintf(stderr, "host should pass: %s\n", hosts_ok[i]);
		CHECK(ok);
	}
	const char *hosts_bad[] = {"", "test:test:test", "invalid!", "-a", "a..b", ".a", "fe80::1%eth0", "a b",
	                           "1.2.3.4:80"};
	for (size_t i = 0; i < sizeof hosts_bad / sizeof hosts_bad[0]; i++) {
		bool ok = pb_is_host(S(hosts_bad[i]));
		if (ok)
			fprintf(stderr, "host should fail: %s\n", hosts_bad[i]);
		CHECK(!ok);
	}
	char label[80];
	memset(label, 'a', 63);
	label[63] = '\0';
	CHECK(pb_is_dns_name(S(label)));
	label[63] = 'a', label[64] = '\0';
	CHECK(!pb_is_dns_name(S(label))); /* 64 characters */
	label[63] = '_';
	CHECK(pb_is_dns_name(S(label))); /* a trailing '_' may follow a 63-character label */
	CHECK(!pb_is_dns_name(S("1.2.3.4"))); /* an IP is not a DNS name */

	/* is.EmailFormat (govalidator IsEmail, pinned: no MX lookup, no RFC 2047 check) */
	const char *emails_ok[] = {"test@example.com", "support@example.com", "foo@bar.com", "x@x.x", "foo@bar.com.au",
	                           "foo+bar@bar.com", "foo@bar.coffee", "foo@bar.中文网", "foo@bar.भारत",
	                           "=?utf-8?q?x?=@example.com", "a@b.cd.", "foo@bar.com."};
	for (size_t i = 0; i < sizeof emails_ok / sizeof emails_ok[0]; i++) {
		bool ok = pb_is_email(S(emails_ok[i]));
		if (!ok)
			fprintf(stderr, "email should pass: %s\n", emails_ok[i]);
		CHECK(ok);
	}
	const char *emails_bad[] = {"", "invalid_email", "invalid.com", "@invalid.com", "a@b", "a..b@c.de",
	                            ".a@b.cd", "a@-b.cd", "a@b.c1", "a b@c.de", "a@b..cd",
	                            /* the pinned pattern rejects quoted local parts */ "\"ab\"@c.de"};
	for (size_t i = 0; i < sizeof emails_bad / sizeof emails_bad[0]; i++) {
		bool ok = pb_is_email(S(emails_bad[i]));
		if (ok)
			fprintf(stderr, "email should fail: %s\n", emails_bad[i]);
		CHECK(!ok);
	}
	CHECK(pb_is_hex_color(S("#1055c9")) && pb_is_hex_color(S("#fff")) && pb_is_hex_color(S("fff")));
	CHECK(!pb_is_hex_color(S("#ffff")) && !pb_is_hex_color(S("#ggg")));
}

static void test_cron(void)
{
	struct pb_cron_schedule s;
	char err[PB_CRON_ERROR_MAX];
	CHECK(pb_cron_schedule_parse("*/10 * * * *", &s, err, sizeof err) == 0);
	CHECK(s.minutes == (1ULL | 1ULL << 10 | 1ULL << 20 | 1ULL << 30 | 1ULL << 40 | 1ULL << 50));
	CHECK(s.hours == 0xFFFFFF && s.days == 0xFFFFFFFEu && s.months == 0x1FFE && s.days_of_week == 0x7F);
	CHECK(pb_cron_schedule_parse("@weekly", &s, err, sizeof err) == 0);
	CHECK(pb_cron_schedule_is_due(&s, 0, 0, 14, 7, 0) && !pb_cron_schedule_is_due(&s, 0, 0, 14, 7, 1));
	CHECK(pb_cron_schedule_parse("1-30/5 0-23 1,15 */2 0-6", &s, err, sizeof err) == 0);
	CHECK(s.days == (1u << 1 | 1u << 15) && s.months == (1u << 1 | 1u << 3 | 1u << 5 | 1u << 7 | 1u << 9 | 1u << 11));
	CHECK(pb_cron_schedule_parse("+5 * * * */+2", &s, err, sizeof err) == 0 && s.minutes == 1ULL << 5);
	static const struct {
		const char *expr, *error;
	} bad[] = {
		{"invalid", "invalid cron expression - must be a valid macro or to have exactly 5 space separated segments"},
		{"@every 5m", "invalid cron expression - must be a valid macro or to have exactly 5 space separated segments"},
		{"* * * * ", "strconv.Atoi: parsing \"\": invalid syntax"},
		{"*/0 * * * *", "invalid segment step boundary - the step must be between 1 and the 59"},
		{"5-3 * * * *", "invalid segment range maximum - must be between 5 and 59"},
		{"1/2 * * * *", "invalid segment step - step > 1 could be used only with the wildcard or range format"},
		{"99999999999999999999 * * * *", "strconv.Atoi: parsing \"99999999999999999999\": value out of range"},
		{"*/1/2 * * * *", "invalid segment step format - must be in the format */n or 1-30/n"},
		{"1-2-3 * * * *", "invalid segment range format - the range must have 1 or 2 parts"},
		{"60 * * * *", "invalid segment value - must be between the min and max of the segment"},
		{"* * 0-40 * *", "invalid segment range minimum - must be between 1 and 31"},
		{"a-1 * * * *", "strconv.Atoi: parsing \"a\": invalid syntax"},
		{"1-\"2 * * * *", "strconv.Atoi: parsing \"\\\"2\": invalid syntax"},
		{"* * * * 7", "invalid segment value - must be between the min and max of the segment"},
		{"*/-1 * * * *", "invalid segment step boundary - the step must be between 1 and the 59"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		CHECK(pb_cron_schedule_parse(bad[i].expr, NULL, err, sizeof err) == -1);
		CHECK_STR(err, bad[i].error);
	}
}

int main(void)
{
	test_rx();
	test_netip();
	test_is();
	test_cron();
	TEST_DONE();
}
