/* test_text — core/text: hex digit values, %XX unescaping in its strict, '+'-as-space and
 * lenient forms (what net/url's QueryUnescape / PathUnescape accept and produce), escape
 * validation, and comma-separated list items as the --origins / --forwardAuthProxies flags are
 * split. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "tests/unit/test.h"

static void test_hex(void)
{
	const char *digits = "0123456789abcdefABCDEF";
	const int values[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 10, 11, 12, 13, 14, 15};
	for (size_t i = 0; digits[i]; i++)
		CHECK(pb_text_hex_value((unsigned char)digits[i]) == values[i]);
	const char *non = "gG/:@`xz %";
	for (size_t i = 0; non[i]; i++)
		CHECK(pb_text_hex_value((unsigned char)non[i]) == -1);
	CHECK(pb_text_hex_value(0) == -1);
	CHECK(pb_text_hex_value(0xC1) == -1);
	CHECK(pb_text_hex_value((char)0xE6) == -1); /* a negative char */
}

/* decodes with `flags`; NULL on failure (caller frees) */
static char *dec(const char *s, unsigned flags)
{
	char *out = malloc(strlen(s) + 1);
	if (pb_text_unescape(s, strlen(s), flags, out) < 0) {
		free(out);
		return NULL;
	}
	return out;
}

static void test_unescape(void)
{
	struct {
		const char *in;
		unsigned flags;
		const char *out; /* NULL: fails */
		bool valid;      /* pb_text_escapes_valid */
	} cases[] = {
		{"", 0, "", true},
		{"abc", 0, "abc", true},
		{"a%20b", 0, "a b", true},
		{"a+b", 0, "a+b", true},
		{"a+b", PB_UNESCAPE_PLUS, "a b", true},
		{"%2B%2b", PB_UNESCAPE_PLUS, "++", true},
		{"%C3%A9", 0, "\xc3\xa9", true},
		{"%", 0, NULL, false},
		{"%4", 0, NULL, false},
		{"x%4", 0, NULL, false},
		{"%zz", 0, NULL, false},
		{"%41%", 0, NULL, false},
		{"%%41", 0, NULL, false},
		{"100%", PB_UNESCAPE_LENIENT, "100%", false},
		{"%zz%41", PB_UNESCAPE_LENIENT, "%zzA", false},
		{"a+%4", PB_UNESCAPE_LENIENT | PB_UNESCAPE_PLUS, "a %4", false},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = dec(cases[i].in, cases[i].flags);
		if (cases[i].out)
			CHECK_STR(got, cases[i].out);
		else
			CHECK(got == NULL);
		CHECK(pb_text_escapes_valid(cases[i].in, strlen(cases[i].in)) == cases[i].valid);
		free(got);
	}
	/* a NUL byte inside the input is data */
	char out[8];
	CHECK(pb_text_unescape("a\0b%00", 6, 0, out) == 4 && memcmp(out, "a\0b\0", 4) == 0);

	/* appending keeps what the buffer had; a failure leaves it unchanged */
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_strbuf_puts(&b, "k=");
	CHECK(pb_text_unescape_append("v%21", 4, 0, &b) == 0);
	CHECK_STR(pb_strbuf_cstr(&b), "k=v!");
	CHECK(pb_text_unescape_append("bad%", 4, 0, &b) == -1);
	CHECK_STR(pb_strbuf_cstr(&b), "k=v!");
	CHECK(b.len == 4);
	pb_strbuf_deinit(&b);
}

static void test_list(void)
{
	const char *p = " a , b,,c ,  ,d e ,";
	const char *want[] = {"a", "b", "c", "d e"};
	size_t n = 0;
	const char *item;
	size_t len;
	while (pb_text_list_next(&p, &item, &len)) {
		CHECK(n < 4 && len == strlen(want[n]) && !strncmp(item, want[n], len));
		n++;
	}
	CHECK(n == 4);
	CHECK(*p == '\0');
	CHECK(!pb_text_list_next(&p, &item, &len));
	p = "";
	CHECK(!pb_text_list_next(&p, &item, &len));
	p = " , ,";
	CHECK(!pb_text_list_next(&p, &item, &len));
}

int main(void)
{
	test_hex();
	test_unescape();
	test_list();
	TEST_DONE();
}
