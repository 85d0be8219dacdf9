/* test_field_cast — Go conversions used by the field types (collections/field_cast.c): cast's
 * ToString/ToFloat64/ToBool, list.ToUniqueStringSlice, strconv/fmt/json float text, %q. */
#include "collections/field_cast.h"
#include "tests/unit/test.h"

#include <math.h>
#include <stdlib.h>

static void fmt(double v, char mode, const char *want)
{
	char buf[64];
	pb_go_format_float(v, mode, buf, sizeof buf);
	CHECK_STR(buf, want);
}

static void str(const char *json, const char *want)
{
	json_t *v = json ? json_loads(json, JSON_DECODE_ANY, NULL) : NULL;
	char *s = pb_cast_to_string(v);
	CHECK_STR(s, want);
	free(s);
	json_decref(v);
}

static void flt(const char *json, double want)
{
	json_t *v = json_loads(json, JSON_DECODE_ANY, NULL);
	double d = pb_cast_to_float(v);
	CHECK(d == want || (isnan(want) && isnan(d)));
	if (!(d == want || (isnan(want) && isnan(d))))
		fprintf(stderr, "  %s → %g (want %g)\n", json, d, want);
	json_decref(v);
}

static void uniq(const char *json, const char *want)
{
	json_t *v = json_loads(json, JSON_DECODE_ANY, NULL);
	json_t *l = pb_cast_unique_strings(v);
	char *s = pb_go_json_marshal(l, false);
	CHECK_STR(s, want);
	free(s);
	json_decref(l);
	json_decref(v);
}

int main(void)
{
	/* strconv.FormatFloat(v, 'f', -1, 64) */
	fmt(12, 'f', "12");
	fmt(1.5, 'f', "1.5");
	fmt(-0.25, 'f', "-0.25");
	fmt(1e21, 'f', "1000000000000000000000");
	fmt(1e-7, 'f', "0.0000001");
	fmt(123.456, 'f', "123.456");
	fmt(0.1 + 0.2, 'f', "0.30000000000000004");
	/* fmt %v */
	fmt(5, 'v', "5");
	fmt(0.5, 'v', "0.5");
	fmt(123456, 'v', "123456");
	fmt(1e6, 'v', "1e+06");
	fmt(1234567, 'v', "1.234567e+06");
	fmt(0.0001, 'v', "0.0001");
	fmt(0.00001, 'v', "1e-05");
	fmt(-2.5, 'v', "-2.5");
	/* encoding/json */
	fmt(1e20, 'j', "100000000000000000000");
	fmt(1e21, 'j', "1e+21");
	fmt(1e-7, 'j', "1e-7");
	fmt(0.000001, 'j', "0.000001");
	fmt(1.5e-7, 'j', "1.5e-7");
	fmt(-0.0, 'j', "-0");

	/* cast.ToString */
	str("\"abc\"", "abc");
	str("true", "true");
	str("false", "false");
	str("123", "123");
	str("12.5", "12.5");
	str("1e21", "1000000000000000000000");
	str("null", "");
	str(NULL, "");
	str("[1,2]", "");
	str("{\"a\":1}", "");

	/* cast.ToFloat64 */
	flt("\"12.5\"", 12.5);
	flt("\"12\"", 12);
	flt("\"-1e3\"", -1000);
	flt("\"0x1p4\"", 16);
	flt("\" 12\"", 0);
	flt("\"12abc\"", 0);
	flt("\"\"", 0);
	flt("\"1e400\"", 0);
	flt("\"NaN\"", NAN);
	flt("\"+Inf\"", INFINITY);
	flt("true", 1);
	flt("false", 0);
	flt("null", 0);
	flt("[1]", 0);
	flt("7", 7);

	/* cast.ToBool / strconv.ParseBool */
	json_t *t = json_string("T"), *bad = json_string("yes"), *one = json_real(2), *z = json_integer(0);
	CHECK(pb_cast_to_bool(t) && !pb_cast_to_bool(bad) && pb_cast_to_bool(one) && !pb_cast_to_bool(z));
	json_decref(t), json_decref(bad), json_decref(one), json_decref(z);
	CHECK(pb_go_parse_bool("True") == 1 && pb_go_parse_bool("FALSE") == 0 && pb_go_parse_bool("tRue") == -1);

	/* list.ToUniqueStringSlice */
	uniq("null", "[]");
	uniq("\"\"", "[]");
	uniq("\"a\"", "[\"a\"]");
	uniq("\"[\\\"a\\\",\\\"b\\\",\\\"a\\\",\\\"\\\"]\"", "[\"a\",\"b\"]");
	uniq("\"[1,2\"", "[\"[1,2\"]");
	uniq("\"[\\\"a\\\",1]\"", "[\"a\",\"[\\\"a\\\",1]\"]");
	uniq("[\"a\",\"b\",\"a\",\"\",\"c\"]", "[\"a\",\"b\",\"c\"]");
	uniq("[1,2.5,true,null]", "[\"1\",\"2.5\",\"true\"]");
	uniq("[\"a\",{\"x\":1}]", "[]");
	uniq("123", "[\"123\"]");
	uniq("{\"a\":1}", "[]");

	/* json.Marshal text */
	json_t *o = json_loads("{\"b\":[1,2.5,\"<x>&\"],\"a\":{\"d\":null,\"c\":true}}", 0, NULL);
	char *s = pb_go_json_marshal(o, true);
	CHECK_STR(s, "{\"a\":{\"c\":true,\"d\":null},\"b\":[1,2.5,\"\\u003cx\\u003e\\u0026\"]}");
	free(s);
	s = pb_go_json_marshal(o, false);
	CHECK_STR(s, "{\"b\":[1,2.5,\"\\u003cx\\u003e\\u0026\"],\"a\":{\"d\":null,\"c\":true}}");
	free(s);
	json_decref(o);

	struct pb_strbuf q = PB_STRBUF_INIT;
	pb_go_quote(&q, "a \"b\"\n\xc3\xa9\x01");
	CHECK_STR(pb_strbuf_cstr(&q), "\"a \\\"b\\\"\\né\\x01\"");
	pb_strbuf_deinit(&q);
	CHECK(pb_utf8_runes("h\xc3\xa9llo") == 5);
	TEST_DONE();
}
