/* test_random_regex — security.RandomStringByRegex (core/random_regex.c): the patterns of
 * tools/security/random_by_regex_test.go produce strings matching them (checked with the
 * PCRE2 matcher), unsupported ones error, and PocketBase's repetition quirks hold. */
#include "core/random_regex.h"
#include "core/regex.h"
#include "tests/unit/test.h"

#include <stdlib.h>

static void gen_ok(const char *pattern)
{
	char anchored[256];
	snprintf(anchored, sizeof anchored, "^(?:%s)$", pattern);
	for (int i = 0; i < 20; i++) {
		struct pb_error err = PB_ERROR_INIT;
		char *s = pb_random_string_by_regex(pattern, &err);
		CHECK(s != NULL);
		if (!s) {
			fprintf(stderr, "  %s: %s\n", pattern, err.message);
			return;
		}
		int m = pb_regex_match(anchored, s, strlen(s));
		CHECK(m == 1);
		if (m != 1)
			fprintf(stderr, "  %s generated [%s]\n", pattern, s);
		free(s);
	}
}

static void gen_err(const char *pattern)
{
	struct pb_error err = PB_ERROR_INIT;
	char *s = pb_random_string_by_regex(pattern, &err);
	CHECK(s == NULL && err.status == 400 && err.message[0]);
	free(s);
}

int main(void)
{
	gen_ok("test");
	gen_ok("\\d+");
	gen_ok("\\d*");
	gen_ok("\\d{1,20}");
	gen_ok("\\d{5}");
	gen_ok("\\d{0,}-abc");
	gen_ok("[a-zA-Z_]*");
	gen_ok("[^a-zA-Z]{5,30}");
	gen_ok("\\w+_abc");
	gen_ok("[2-9]{10}-\\w+");
	gen_ok("(a|b|c)");
	gen_ok("[a-z0-9]{15}");
	gen_ok("[a-zA-Z0-9_]{50}");
	gen_ok("users[0-9]{5}");
	gen_ok("(?:ab|cd)-(?P<n>x{2,3})[[:digit:]]\\.");
	gen_ok("(?i)abc");
	gen_ok("\\x41\\x{263A}[\\d_-]");
	gen_err("");
	gen_err("^abc$");
	gen_err("a\\b");
	gen_err("(abc");
	gen_err("abc)");
	gen_err("*a");
	gen_err("[a-");
	gen_err("\\pL");
	gen_err("a**");

	/* exact lengths and PocketBase's exclusive upper bound: x{2,3} is always "xx", x? never x */
	for (int i = 0; i < 10; i++) {
		char *s = pb_random_string_by_regex("[a-z0-9]{15}", NULL);
		CHECK(s && strlen(s) == 15 && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789") == 15);
		free(s);
		s = pb_random_string_by_regex("x{2,3}y?", NULL);
		CHECK_STR(s, "xx");
		free(s);
		s = pb_random_string_by_regex("z+", NULL);
		CHECK(s && strlen(s) >= 1 && strlen(s) <= 5);
		free(s);
		s = pb_random_string_by_regex("w{8,}", NULL);
		CHECK_STR(s, "wwwwwwww");
		free(s);
	}
	/* two ids are (practically) never equal */
	char *a = pb_random_string_by_regex("[a-z0-9]{15}", NULL), *b = pb_random_string_by_regex("[a-z0-9]{15}", NULL);
	CHECK(a && b && strcmp(a, b) != 0);
	free(a);
	free(b);
	TEST_DONE();
}
