/* test_json_write — the Go-exact JSON writer (core/json_write.h).
 * Expected bytes are what Go's encoding/json (Go >= 1.22, escapeHTML on) and
 * strconv.FormatFloat print for the same values. */
#include "core/json_write.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "test.h"

static void check_dump(json_t *v, const char *expected, int line)
{
	char *s = pb_json_dumps(v);
	if (strcmp(s, expected) != 0)
		fprintf(stderr, "line %d:\n", line);
	CHECK_STR(s, expected);
	free(s);
	json_decref(v);
}
#define DUMP(v, expected) check_dump((v), (expected), __LINE__)

static void check_float(double d, const char *json, const char *fixed)
{
	char a[PB_JSON_FLOAT_MAX], b[PB_JSON_FLOAT_FIXED_MAX];
	pb_json_format_float(d, a, sizeof a);
	pb_json_format_float_fixed(d, b, sizeof b);
	CHECK_STR(a, json);
	if (fixed)
		CHECK_STR(b, fixed);
	/* a json_real goes through the same formatter */
	if (isfinite(d)) {
		json_t *r = json_real(d);
		char *s = pb_json_dumps(r);
		CHECK_STR(s, json);
		free(s);
		json_decref(r);
	}
}

static void test_strings(void)
{
	DUMP(json_string(""), "\"\"");
	DUMP(json_string("plain text 123"), "\"plain text 123\"");
	DUMP(json_string("q\" b\\ n\n r\r t\t b\b f\f"), "\"q\\\" b\\\\ n\\n r\\r t\\t b\\b f\\f\"");
	DUMP(json_string("\x01\x1f\x0b\x1b"), "\"\\u0001\\u001f\\u000b\\u001b\"");
	DUMP(json_string("del\x7f!"), "\"del\x7f!\"");
	DUMP(json_string("<svg>&amp;</svg>"), "\"\\u003csvg\\u003e\\u0026amp;\\u003c/svg\\u003e\"");
	DUMP(json_string("a\xe2\x80\xa8"
	                 "b\xe2\x80\xa9"
	                 "c"),
	     "\"a\\u2028b\\u2029c\"");
	DUMP(json_string("/slash' apos"), "\"/slash' apos\"");
	/* valid multi-byte UTF-8 is written verbatim */
	DUMP(json_string("é€😀\xe2\x80\xa7"), "\"é€😀\xe2\x80\xa7\"");
	/* embedded NUL */
	DUMP(json_stringn("a\0b", 3), "\"a\\u0000b\"");
	/* invalid UTF-8: each offending byte becomes \ufffd (lone byte, bad continuation,
	 * surrogate, truncated sequence, overlong, > U+10FFFF) */
	DUMP(json_stringn_nocheck("\xff", 1), "\"\\ufffd\"");
	DUMP(json_stringn_nocheck("\xc3\x28", 2), "\"\\ufffd(\"");
	DUMP(json_stringn_nocheck("\xed\xa0\x80", 3), "\"\\ufffd\\ufffd\\ufffd\"");
	DUMP(json_stringn_nocheck("x\xe2\x82", 3), "\"x\\ufffd\\ufffd\"");
	DUMP(json_stringn_nocheck("\xc0\xaf", 2), "\"\\ufffd\\ufffd\"");
	DUMP(json_stringn_nocheck("\xf4\x90\x80\x80", 4), "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
	/* keys are escaped the same way */
	json_t *o = json_object();
	json_object_set_new(o, "<k>\n", json_true());
	DUMP(o, "{\"\\u003ck\\u003e\\n\":true}");
}

static void test_numbers(void)
{
	DUMP(json_integer(0), "0");
	DUMP(json_integer(-42), "-42");
	DUMP(json_integer(INT64_MAX), "9223372036854775807");
	DUMP(json_integer(INT64_MIN), "-9223372036854775808");

	check_float(0, "0", "0");
	check_float(-0.0, "-0", "-0");
	check_float(1, "1", "1");
	check_float(1.5, "1.5", "1.5");
	check_float(-2.5, "-2.5", "-2.5");
	check_float(0.1, "0.1", "0.1");
	check_float(0.3, "0.3", "0.3");
	check_float(100, "100", "100");
	check_float(1.0 / 3, "0.3333333333333333", "0.3333333333333333");
	check_float(1e20, "100000000000000000000", "100000000000000000000");
	check_float(1e21, "1e+21", "1000000000000000000000");
	check_float(9.999999999999999e20, "999999999999999900000", "999999999999999900000");
	check_float(8.41e21, "8.41e+21", "8410000000000000000000");
	check_float(1e23, "1e+23", "100000000000000000000000");
	check_float(1e100, "1e+100", NULL);
	check_float(1e-6, "0.000001", "0.000001");
	check_float(1e-5, "0.00001", "0.00001");
	check_float(0.000001234, "0.000001234", "0.000001234");
	check_float(1e-7, "1e-7", "0.0000001");
	check_float(-1e-7, "-1e-7", "-0.0000001");
	check_float(5e-7, "5e-7", "0.0000005");
	check_float(1.23e-18, "1.23e-18", "0.00000000000000000123");
	check_float(123456789.123, "123456789.123", "123456789.123");
	check_float(12345678901234567890.0, "12345678901234567000", "12345678901234567000");
	check_float(9007199254740993.0, "9007199254740992", "9007199254740992");
	check_float(ldexp(1, 70), "1.1805916207174113e+21", "1180591620717411300000");
	check_float(5e-324, "5e-324", NULL);
	check_float(2.2250738585072014e-308, "2.2250738585072014e-308", NULL);
	check_float(1.7976931348623157e308, "1.7976931348623157e+308", NULL);
	/* powers of two whose shortest form is not printf's correctly rounded one at that
	 * precision (asymmetric rounding interval) */
	check_float(ldexp(1, -1017), "7.120236347223045e-307", NULL);
	check_float(ldexp(1, -808), "5.858190679279809e-244", NULL);

	/* 'f' form of the extremes */
	char b[PB_JSON_FLOAT_FIXED_MAX];
	pb_json_format_float_fixed(5e-324, b, sizeof b);
	CHECK(strncmp(b, "0.000000000", 11) == 0 && strlen(b) == 326 && b[325] == '5');
	pb_json_format_float_fixed(1.7976931348623157e308, b, sizeof b);
	CHECK(strncmp(b, "17976931348623157000", 20) == 0 && strlen(b) == 309);

	/* non-finite: Go cannot encode them; we write null (strconv text for 'f') */
	char a[PB_JSON_FLOAT_MAX];
	pb_json_format_float(NAN, a, sizeof a);
	CHECK_STR(a, "null");
	pb_json_format_float(-INFINITY, a, sizeof a);
	CHECK_STR(a, "null");
	pb_json_format_float_fixed(NAN, b, sizeof b);
	CHECK_STR(b, "NaN");
	pb_json_format_float_fixed(INFINITY, b, sizeof b);
	CHECK_STR(b, "+Inf");
	pb_json_format_float_fixed(-INFINITY, b, sizeof b);
	CHECK_STR(b, "-Inf");
}

static void test_structures(void)
{
	DUMP(json_true(), "true");
	DUMP(json_false(), "false");
	DUMP(json_null(), "null");
	DUMP(json_object(), "{}");
	DUMP(json_array(), "[]");
	char *s = pb_json_dumps(NULL);
	CHECK_STR(s, "null");
	free(s);

	/* stored order, not sorted; compact */
	json_t *v = json_pack("{s:[i,f,s,n,{}],s:{s:b,s:[]},s:s}", "zeta", 1, 2.5, "x", "alpha", "y", 1, "b", "mid", "<");
	DUMP(v, "{\"zeta\":[1,2.5,\"x\",null,{}],\"alpha\":{\"y\":true,\"b\":[]},\"mid\":\"\\u003c\"}");

	/* pb_json_write appends */
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_strbuf_puts(&b, "data:");
	json_t *a = json_pack("[i,i]", 1, 2);
	pb_json_write(&b, a);
	CHECK_STR(pb_strbuf_cstr(&b), "data:[1,2]");
	json_decref(a);
	pb_strbuf_reset(&b);
	pb_json_write_string(&b, "a\0<", 3);
	CHECK_STR(pb_strbuf_cstr(&b), "\"a\\u0000\\u003c\"");
	pb_strbuf_deinit(&b);
}

static void test_sorted(void)
{
	json_t *o = json_pack("{s:i,s:i,s:i}", "a", 1, "c", 3, "e", 5);
	pb_json_object_set_sorted_new(o, "d", json_integer(4));
	pb_json_object_set_sorted_new(o, "0", json_integer(0));
	pb_json_object_set_sorted_new(o, "z", json_integer(26));
	pb_json_object_set_sorted_new(o, "c", json_string("three")); /* replaced in place */
	pb_json_object_set_sorted_new(o, "B", json_null());          /* 'B' < 'a' byte-wise */
	DUMP(json_incref(o), "{\"0\":0,\"B\":null,\"a\":1,\"c\":\"three\",\"d\":4,\"e\":5,\"z\":26}");
	json_decref(o);

	/* a record gaining its expand */
	json_t *rec = json_pack("{s:s,s:s,s:s,s:s,s:s}", "collectionId", "pbc_1", "collectionName", "posts", "created",
	                        "2024-01-01 00:00:00.000Z", "id", "r1", "title", "x");
	pb_json_object_set_sorted_new(rec, "expand", json_object());
	DUMP(rec, "{\"collectionId\":\"pbc_1\",\"collectionName\":\"posts\",\"created\":\"2024-01-01 00:00:00.000Z\","
	          "\"expand\":{},\"id\":\"r1\",\"title\":\"x\"}");

	json_t *empty = json_object();
	pb_json_object_set_sorted_new(empty, "k", json_integer(1));
	DUMP(empty, "{\"k\":1}");
	/* not an object: the value is still released (LeakSanitizer checks) */
	json_t *arr = json_array();
	pb_json_object_set_sorted_new(arr, "k", json_string("leak?"));
	DUMP(arr, "[]");

	/* deep sorted copy: every object level, through arrays, byte-wise (prefix first,
	 * upper case before lower case, UTF-8 lead bytes after ASCII) */
	json_t *src = json_pack("{s:i,s:{s:i,s:i},s:[{s:i,s:i},i],s:i,s:i,s:i}", "b", 1, "a", "y", 2, "x", 1, "list", "k2",
	                        2, "k1", 1, 7, "é", 9, "aa", 3, "B", 0);
	json_t *cp = pb_json_sorted_copy(src);
	DUMP(cp, "{\"B\":0,\"a\":{\"x\":1,\"y\":2},\"aa\":3,\"b\":1,\"list\":[{\"k1\":1,\"k2\":2},7],\"é\":9}");
	/* the source is untouched */
	DUMP(src, "{\"b\":1,\"a\":{\"y\":2,\"x\":1},\"list\":[{\"k2\":2,\"k1\":1},7],\"é\":9,\"aa\":3,\"B\":0}");
	json_t *scalar = json_real(0.5);
	json_t *sc = pb_json_sorted_copy(scalar);
	CHECK(sc != scalar && json_real_value(sc) == 0.5);
	json_decref(sc);
	json_decref(scalar);
	CHECK(pb_json_sorted_copy(NULL) == NULL);
}

/* The escaped form of s[0..len) (the writer's output without the quotes), caller frees. */
static char *escaped(const char *s, size_t len)
{
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_json_write_string(&b, s, len);
	char *out = strndup(b.data + 1, b.len - 2);
	pb_strbuf_deinit(&b);
	return out;
}

/* Long strings are scanned 16 bytes at a time: every byte value (and the multi-byte sequences
 * that are escaped or kept) at every position of strings around the block sizes must come out
 * as the plain text around the escape of that piece on its own (short: scanned byte by byte). */
static void test_long_string_scan(void)
{
	static const char *const pieces[] = {"\xc3\xa9", "\xe2\x80\xa8", "\xe2\x80\xa9", "\xf0\x9f\x98\x80", "\xc3", "\xff\xfe"};
	char piece[8];
	int bad = 0;
	for (int k = 0; k < 256 + (int)(sizeof pieces / sizeof pieces[0]); k++) {
		size_t plen = 1;
		if (k < 256)
			piece[0] = (char)k;
		else
			plen = strlen(strcpy(piece, pieces[k - 256]));
		char *esc = escaped(piece, plen);
		for (size_t len = 15; len <= 50; len += 7) {
			for (size_t pos = 0; pos + plen <= len; pos++) {
				char in[64], want[128];
				memset(in, 'a', len);
				memcpy(in + pos, piece, plen);
				snprintf(want, sizeof want, "%.*s%s%.*s", (int)pos, in, esc, (int)(len - pos - plen), in + pos + plen);
				char *got = escaped(in, len);
				bad += strcmp(got, want) != 0;
				free(got);
			}
		}
		free(esc);
	}
	CHECK(bad == 0);
	char *plain = escaped("0123456789abcdef0123456789ABCDEF!#~\x7f", 36);
	CHECK_STR(plain, "0123456789abcdef0123456789ABCDEF!#~\x7f");
	free(plain);
}

int main(void)
{
	test_long_string_scan();
	test_strings();
	test_numbers();
	test_structures();
	test_sorted();
	TEST_DONE();
}
