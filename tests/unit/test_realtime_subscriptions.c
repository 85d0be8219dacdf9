/* test_realtime_subscriptions — subscription strings parsed as PocketBase's
 * DefaultClient.Subscribe does (options from url.Parse + Query().Get("options"), lenient JSON,
 * cast.ToString values, inflector.Snakecase header names), de-duplication, and the SSE frame
 * bytes of subscriptions.Message.WriteSSE. Expected values follow Go's behaviour for each
 * input (net/url, encoding/json, spf13/cast, tools/inflector). */
#include <stdlib.h>

#include "realtime/realtime.h"
#include "test.h"

static struct pb_rt_subs *parse1(const char *topic)
{
	const char *t[1] = {topic};
	size_t l[1] = {strlen(topic)};
	return pb_rt_subs_parse(t, l, 1);
}

/* "query|headers" dumps (sorted keys) of the single subscription of `topic`; caller frees */
static char *options_of(const char *topic)
{
	struct pb_rt_subs *s = parse1(topic);
	json_t *q = pb_rt_subs_query(s, 0), *h = pb_rt_subs_headers(s, 0);
	char *qs = q ? json_dumps(q, JSON_COMPACT | JSON_SORT_KEYS) : strdup("-");
	char *hs = h ? json_dumps(h, JSON_COMPACT | JSON_SORT_KEYS) : strdup("-");
	struct pb_strbuf out = PB_STRBUF_INIT;
	pb_strbuf_printf(&out, "%s|%s", qs, hs);
	free(qs);
	free(hs);
	pb_rt_subs_free(s);
	return pb_strbuf_steal(&out);
}

#define CHECK_OPTIONS(topic, expected)            \
	do {                                          \
		char *got_ = options_of(topic);           \
		CHECK_STR(got_, expected);                \
		free(got_);                               \
	} while (0)

static void test_snakecase(void)
{
	static const char *const cases[][2] = {
		{"X-Token", "x_token"},   {"myHeader", "my_header"}, {"myTestDB", "my_test_db"},
		{"ABC", "abc"},           {"a__b--c", "a_b_c"},      {"_x_", "x"},
		{"HTTPServer", "httpserver"}, {"fooBar9Baz", "foo_bar9_baz"}, {"", ""},
		{"héllo wörld", "h_llo_w_rld"}, {"Content-Type", "content_type"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct pb_strbuf b = PB_STRBUF_INIT;
		pb_rt_snakecase(cases[i][0], strlen(cases[i][0]), &b);
		CHECK_STR(pb_strbuf_cstr(&b), cases[i][1]);
		pb_strbuf_deinit(&b);
	}
}

static void test_options(void)
{
	/* what the JS SDK builds: topic + "?options=" + encodeURIComponent(JSON) */
	CHECK_OPTIONS("demo2/*?options=%7B%22query%22%3A%7B%22expand%22%3A%22rel%22%2C%22n%22%3A1.5%2C%22b%22%3Atrue%2C"
	              "%22z%22%3Anull%2C%22o%22%3A%7B%22a%22%3A1%7D%2C%22l%22%3A%5B1%5D%7D%2C%22headers%22%3A%7B%22X-Token"
	              "%22%3A%22abc%22%2C%22myHeader%22%3A%22v%22%7D%7D",
	              "{\"b\":\"true\",\"expand\":\"rel\",\"l\":\"\",\"n\":\"1.5\",\"o\":\"\",\"z\":\"\"}|"
	              "{\"my_header\":\"v\",\"x_token\":\"abc\"}");
	/* plain topics and topics without options */
	CHECK_OPTIONS("demo2/*", "-|-");
	CHECK_OPTIONS("demo2/abc?other=1", "-|-");
	CHECK_OPTIONS("demo2/abc?", "-|-");
	/* float64 formatting of numbers ('f', -1) */
	CHECK_OPTIONS("t?options={\"query\":{\"a\":100,\"b\":1e21,\"c\":-0,\"d\":0.000001}}",
	              "{\"a\":\"100\",\"b\":\"1000000000000000000000\",\"c\":\"-0\",\"d\":\"0.000001\"}|-");
	/* '+' is a space in query values; keys match case-insensitively */
	CHECK_OPTIONS("t?options=%7B%22QUERY%22%3A%7B%22a%22%3A%22x+y%22%7D%7D", "{\"a\":\"x y\"}|-");
	/* the first `options` wins, even when it is empty of data */
	CHECK_OPTIONS("t?options=%7B%7D&options=%7B%22query%22%3A%7B%22a%22%3A%221%22%7D%7D", "-|-");
	/* a pair with a bad escape is skipped, the next `options` is used */
	CHECK_OPTIONS("t?options=%zz&options=%7B%22query%22%3A%7B%22a%22%3A%221%22%7D%7D", "{\"a\":\"1\"}|-");
	/* a pair with ';' is rejected by ParseQuery */
	CHECK_OPTIONS("t?options=%7B%22query%22%3A%7B%22a%22%3A%221%22%7D%7D;x", "-|-");
	/* a fragment is cut off first (and must unescape) */
	CHECK_OPTIONS("t?options=%7B%22query%22%3A%7B%22a%22%3A%221%22%7D%7D#frag", "{\"a\":\"1\"}|-");
	CHECK_OPTIONS("t?options=%7B%22query%22%3A%7B%22a%22%3A%221%22%7D%7D#%zz", "-|-");
	/* url.Parse failures: control characters, bad path escapes, colons */
	CHECK_OPTIONS("t\x01?options=%7B%22query%22%3A%7B%22a%22%3A%221%22%7D%7D", "-|-");
	CHECK_OPTIONS("t/100%?options=%7B%22query%22%3A%7B%22a%22%3A%221%22%7D%7D", "-|-");
	CHECK_OPTIONS(":x?options=%7B%22query%22%3A%7B%22a%22%3A%221%22%7D%7D", "-|-");
	CHECK_OPTIONS("1a:b?options=%7B%22query%22%3A%7B%22a%22%3A%221%22%7D%7D", "-|-");
	/* "a:b" has the scheme "a" (opaque URL): the query is still there */
	CHECK_OPTIONS("a:b?options=%7B%22query%22%3A%7B%22a%22%3A%221%22%7D%7D", "{\"a\":\"1\"}|-");
	/* lenient JSON: invalid JSON or a non-object → nothing; a mistyped member alone is ignored */
	CHECK_OPTIONS("t?options={\"query\":{\"a\":\"1\"}", "-|-");
	CHECK_OPTIONS("t?options=[1]", "-|-");
	CHECK_OPTIONS("t?options={\"query\":{\"a\":\"1\"}} x", "-|-");
	CHECK_OPTIONS("t?options={\"query\":\"x\",\"headers\":{\"A\":1}}", "-|{\"a\":\"1\"}");
	/* null resets a map decoded from an earlier (differently cased) key */
	CHECK_OPTIONS("t?options={\"Query\":{\"a\":\"1\"},\"query\":null}", "-|-");
}

static void test_sets(void)
{
	const char *t[] = {"a", "", "b?x", "a", "c\0d", "b?x"};
	size_t l[] = {1, 0, 3, 1, 3, 3};
	struct pb_rt_subs *s = pb_rt_subs_parse(t, l, 6);
	CHECK(pb_rt_subs_count(s) == 3);
	size_t len = 0;
	CHECK_STR(pb_rt_subs_topic(s, 0, &len), "a");
	CHECK_STR(pb_rt_subs_topic(s, 1, &len), "b?x");
	const char *third = pb_rt_subs_topic(s, 2, &len);
	CHECK(third && len == 3 && !memcmp(third, "c\0d", 3));
	CHECK(pb_rt_subs_topic(s, 3, &len) == NULL);
	pb_rt_subs_free(s);
	s = pb_rt_subs_parse(NULL, NULL, 0);
	CHECK(pb_rt_subs_count(s) == 0);
	pb_rt_subs_free(s);
}

static void test_frame(void)
{
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_sse_frame(&b, "abc", "posts/*?options=x", 17, "{\"a\":1}", 7);
	CHECK_STR(pb_strbuf_cstr(&b), "id:abc\nevent:posts/*?options=x\ndata:{\"a\":1}\n\n");
	pb_strbuf_deinit(&b);
}

int main(void)
{
	test_snakecase();
	test_options();
	test_sets();
	test_frame();
	TEST_DONE();
}
