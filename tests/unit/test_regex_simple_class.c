/* test_regex_simple_class — core/regex.c answers whole-value class patterns such as PocketBase's
 * id pattern `^[a-z0-9]+$` without PCRE2; the answers must be PCRE2's. Each pattern is compared
 * with the same pattern wrapped in a non-capturing group (same meaning, always run by PCRE2) on
 * subjects with empty values, other ASCII, line ends, NUL bytes, UTF-8 and invalid UTF-8. */
#include "core/regex.h"
#include "tests/unit/test.h"

int main(void)
{
	static const char *const patterns[] = {
	    "^[a-z0-9]+$", "^[a-z0-9]*$", "^[A-Za-z0-9_]+$", "^[abc]+$", "^[0-9]+$", "^[a-zA-Z]*$", "^[x]+$",
	    /* other shapes: PCRE2 path, still compared */
	    "^[^a-z]+$", "^[a-z-]+$", "^[A-z]+$", "^[a-z0-9]+", "[a-z0-9]+$", "^[a-z0-9]{3}$", "^[\\w]+$",
	};
	static const struct {
		const char *s;
		size_t len;
	} subjects[] = {
	    {"", 0},          {"abc", 3},        {"abc123", 6},       {"ABC", 3},           {"aBc", 3},
	    {"abc\n", 4},     {"\nabc", 4},      {"ab c", 4},         {"ab-c", 4},          {"ab_c", 4},
	    {"ab\0c", 4},     {"caf\xc3\xa9", 5}, {"ab\xff", 3},       {"\xe2\x82\xac", 3},  {"x", 1},
	    {"0", 1},         {"zzzzzzzzzzzzzzz", 15}, {"[]", 2},      {"a]", 2},            {"^", 1},
	};
	for (size_t p = 0; p < sizeof patterns / sizeof *patterns; p++) {
		char wrapped[64];
		snprintf(wrapped, sizeof wrapped, "(?:%s)", patterns[p]);
		for (size_t i = 0; i < sizeof subjects / sizeof *subjects; i++) {
			int fast = pb_regex_match(patterns[p], subjects[i].s, subjects[i].len);
			int pcre = pb_regex_match(wrapped, subjects[i].s, subjects[i].len);
			CHECK(fast == pcre);
			if (fast != pcre)
				fprintf(stderr, "  %s on subject #%zu: %d, PCRE2 %d\n", patterns[p], i, fast, pcre);
		}
	}
	CHECK(pb_regex_match("^[a-z0-9]+$", "r0123456789abcd", 15) == 1);
	CHECK(pb_regex_match("^[a-z0-9]+$", "R0123456789abcd", 15) == 0);
	TEST_DONE();
}
