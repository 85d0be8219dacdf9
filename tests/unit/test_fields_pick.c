/* test_fields_pick — the `fields` picker (collections/fields_pick.h) and the tokenizer it
 * uses (core/tokenizer.h). The table in fields_pick_cases.h holds PocketBase's expected
 * output for each input; the rest checks the API contract: empty/blank expressions, error
 * status and message, inputs left untouched, a picker reused across calls. */
#include "collections/fields_pick.h"

#include <stdlib.h>

#include "core/json_write.h"
#include "core/strbuf.h"
#include "core/tokenizer.h"
#include "fields_pick_cases.h"
#include "test.h"

static json_t *load(const char *text)
{
	json_error_t e;
	json_t *v = json_loads(text, JSON_DECODE_ANY, &e);
	if (!v)
		fprintf(stderr, "bad test JSON: %s: %s\n", e.text, text);
	return v;
}

/* Runs pb_fields_pick_parse + apply and returns the Go encoding, or NULL when rejected. */
static char *pick(const char *fields, const json_t *data, bool is_list, int *status)
{
	struct pb_error err = PB_ERROR_INIT;
	struct pb_fields_pick *p = pb_fields_pick_parse(fields, &err);
	*status = err.status;
	if (!p && err.status) {
		pb_error_clear(&err);
		return NULL;
	}
	json_t *out = pb_fields_pick_apply(p, data, is_list);
	char *s = pb_json_dumps(out);
	json_decref(out);
	pb_fields_pick_free(p);
	return s;
}

static void test_table(void)
{
	for (size_t i = 0; i < sizeof pick_cases / sizeof *pick_cases; i++) {
		const struct pick_case *c = &pick_cases[i];
		json_t *data;
		if (c->deep) {
			struct pb_strbuf h = PB_STRBUF_INIT;
			for (int k = 0; k < c->deep; k++)
				pb_strbuf_puts(&h, "<div>");
			pb_strbuf_putc(&h, 'x');
			data = json_pack("{s:s}", "h", pb_strbuf_cstr(&h));
			pb_strbuf_deinit(&h);
		} else
			data = load(c->data);
		char *before = pb_json_dumps(data);
		int status = 0;
		char *got = pick(c->fields, data, c->is_list, &status);
		if (!c->expected) {
			if (got || status != 400)
				fprintf(stderr, "case \"%s\": expected a 400 error, got %s\n", c->name, got ? got : "(none)");
			CHECK(!got && status == 400);
		} else {
			if (!got || strcmp(got, c->expected) != 0)
				fprintf(stderr, "case \"%s\" (fields=%s):\n", c->name, c->fields);
			CHECK_STR(got, c->expected);
		}
		char *after = pb_json_dumps(data); /* the input is never modified */
		CHECK_STR(after, before);
		free(before);
		free(after);
		free(got);
		json_decref(data);
	}
}

static void test_api(void)
{
	struct pb_error err = PB_ERROR_INIT;
	/* "" and NULL: no picking at all, and no error */
	CHECK(pb_fields_pick_parse("", &err) == NULL && err.status == 0);
	CHECK(pb_fields_pick_parse(NULL, &err) == NULL && err.status == 0);
	/* an invalid expression: PocketBase's generic 400 */
	CHECK(pb_fields_pick_parse("a,b:excerpt(0)", &err) == NULL);
	CHECK(err.status == 400);
	CHECK_STR(err.message, "Something went wrong while processing your request.");
	pb_error_clear(&err);
	CHECK(pb_fields_pick_parse("a,(b", NULL) == NULL); /* err may be NULL */

	/* one picker, several values: the `*` expansion of one call does not leak into the next */
	struct pb_fields_pick *p = pb_fields_pick_parse("*,rel.id", &err);
	CHECK(p != NULL);
	json_t *a = load("{\"x\":1,\"rel\":{\"id\":\"r\",\"n\":2}}");
	json_t *b = load("{\"y\":2,\"x\":{\"deep\":true}}");
	json_t *pa = pb_fields_pick_apply(p, a, false), *pb = pb_fields_pick_apply(p, b, false);
	char *sa = pb_json_dumps(pa), *sb = pb_json_dumps(pb);
	CHECK_STR(sa, "{\"rel\":{\"id\":\"r\"},\"x\":1}");
	CHECK_STR(sb, "{\"x\":{\"deep\":true},\"y\":2}");
	free(sa);
	free(sb);
	json_decref(pa);
	json_decref(pb);
	json_decref(a);
	json_decref(b);

	/* NULL value → null; list mode on a value without items changes nothing but key order */
	json_t *n = pb_fields_pick_apply(p, NULL, false);
	CHECK(json_is_null(n));
	json_decref(n);
	json_t *env = load("{\"page\":1,\"items\":null}");
	json_t *pe = pb_fields_pick_apply(p, env, true);
	char *se = pb_json_dumps(pe);
	CHECK_STR(se, "{\"items\":null,\"page\":1}");
	free(se);
	json_decref(pe);
	json_decref(env);
	pb_fields_pick_free(p);
	pb_fields_pick_free(NULL);
}

static void check_tokens(const char *in, const struct pb_tokenizer_opts *o, const char *joined)
{
	struct pb_error err = PB_ERROR_INIT;
	size_t n = 0;
	char **t = pb_tokenize(in, o, &n, &err);
	struct pb_strbuf b = PB_STRBUF_INIT;
	for (size_t i = 0; t && i < n; i++)
		pb_strbuf_printf(&b, "%s[%s]", i ? "," : "", t[i]);
	CHECK_STR(t ? pb_strbuf_cstr(&b) : "ERROR", joined);
	CHECK(!t || t[n] == NULL);
	pb_strbuf_deinit(&b);
	pb_tokens_free(t);
	pb_error_clear(&err);
}

/* Expectations from PocketBase's tools/tokenizer/tokenizer_test.go behaviour. */
static void test_tokenizer(void)
{
	check_tokens("a, b, (c, d)", NULL, "[a],[b],[(c, d)]");
	check_tokens(" a ,, b ,", NULL, "[a],[b]");
	check_tokens("", NULL, "");
	check_tokens("'a,b',\"c,d\",`e,f`", NULL, "['a,b'],[\"c,d\"],[`e,f`]");
	check_tokens("a\\'b,c", NULL, "[a\\'b],[c]");
	check_tokens("\xc2\xa0x\xc2\xa0,\ty\x0b", NULL, "[x],[y]");
	check_tokens("a,(b", NULL, "ERROR");
	check_tokens("a,'b", NULL, "ERROR");
	check_tokens("a)b,c", NULL, "[a)b],[c]");
	check_tokens("bad\xff", NULL, "[bad\xef\xbf\xbd]");
	const struct pb_tokenizer_opts keep = {.keep_separator = true, .keep_empty = true};
	check_tokens("a,,b", &keep, "[a,],[,],[b]");
	const struct pb_tokenizer_opts mod = {.separators = "(), ", .ignore_parens = true};
	check_tokens("excerpt(200, true)", &mod, "[excerpt],[200],[true]");
	check_tokens("excerpt('a b')", &mod, "[excerpt],['a b']");

	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_tokenize("x,(y", NULL, NULL, &err) == NULL);
	CHECK(err.status == 400);
	CHECK_STR(err.message, "unbalanced parenthesis or quoted expression: \"(y\"");
	pb_error_clear(&err);
}

int main(void)
{
	test_table();
	test_api();
	test_tokenizer();
	TEST_DONE();
}
