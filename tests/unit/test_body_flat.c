/* test_body_flat — the flat-object shortcut of pb_body_json_load (api/body_json.c) must give
 * exactly what jansson's reader gives for the same bytes and flags: same values (numbers as
 * reals, -0 as -0.0), same key order (a repeated key keeps its first place with its last
 * value), same failures. Checked on hand-picked edge cases and on many random bodies built
 * from JSON-ish pieces, first value only and whole-input ("@jsonPayload") reading alike. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/body_internal.h"
#include "test.h"

static char *dump(json_t *j)
{
	if (!j)
		return strdup("<error>");
	char *s = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT | JSON_REAL_PRECISION(17));
	json_decref(j);
	return s;
}

static int compared;

static void same_as_jansson(const char *in, size_t len)
{
	for (int whole = 0; whole < 2; whole++) {
		size_t flags = JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL | JSON_ALLOW_NUL;
		if (!whole)
			flags |= JSON_DISABLE_EOF_CHECK;
		json_error_t e;
		char *want = dump(json_loadb(in, len, flags, &e));
		char *got = dump(pb_body_json_load((const unsigned char *)in, len, whole));
		if (strcmp(want, got) != 0) {
			fprintf(stderr, "input %.*s (whole %d): jansson %s, flat %s\n", (int)len, in, whole, want, got);
			CHECK(0);
		}
		compared++;
		free(want);
		free(got);
	}
}

int main(void)
{
	static const char *const cases[] = {
		"{}", " {} ", "{\"a\":\"b\"}", "{\"owner\":\"4q1xlclmfloku33\",\"body\":\"message body number 1\"}",
		"{\"a\":1,\"b\":-2,\"c\":0,\"d\":-0}", "{\"a\":123456789012345}", "{\"a\":1234567890123456}",
		"{\"a\":01}", "{\"a\":-}", "{\"a\":1.5}", "{\"a\":1e3}", "{\"a\":1E3}", "{\"a\":true,\"b\":false,\"c\":null}",
		"{\"a\":truex}", "{\"a\":nul}", "{\"a\":\"x\",\"a\":\"y\",\"b\":1,\"a\":2}", "{\"\":\"\"}", "{\"a\":\"\t\"}",
		"{\"a\":\"b\"", "{\"a\" \"b\"}", "{\"a\":\"b\",}", "{,}", "{\"a\":[1]}", "{\"a\":{}}", "{\"a\":\"b\"} x",
		"{\"a\":\"b\"}  \n", "{\"a\":\"b\"}{", "\t\r\n{ \"a\" : \"b\" , \"c\" : 3 }\n", "{\"a\":1}}", "{\"a\":+1}",
		"{\"a\":\"\x7f\"}", "{\"a\":1-}", "{\"a\":-01}", "{\"a\":00}", "{a:1}", "{\"a\":1 2}", "[1]", "\"s\"", "1",
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		same_as_jansson(cases[i], strlen(cases[i]));

	/* random bodies from pieces that the shortcut reads and pieces that send it to jansson */
	static const char *const pieces[] = {"{", "}", "\"", "\"k\"", "\"v w\"", ":", ",", " ", "\n", "1", "-", "0",
	                                     "12", ".", "e", "true", "false", "null", "x", "[", "]", "\t", "\"a\"",
	                                     "\x01", "999999999999999", "+"};
	const size_t npieces = sizeof pieces / sizeof pieces[0];
	srand(12345);
	char buf[512];
	for (int round = 0; round < 40000; round++) {
		size_t len = 0;
		if (round % 2 == 0)
			buf[len++] = '{';
		int n = 1 + rand() % 14;
		for (int k = 0; k < n; k++) {
			const char *p = pieces[(size_t)rand() % npieces];
			size_t pl = strlen(p);
			if (len + pl >= sizeof buf)
				break;
			memcpy(buf + len, p, pl);
			len += pl;
		}
		if (round % 3 == 0 && len + 1 < sizeof buf)
			buf[len++] = '}';
		same_as_jansson(buf, len);
	}
	/* well-formed flat objects of every shape the shortcut accepts */
	for (int round = 0; round < 5000; round++) {
		size_t len = 0;
		len += (size_t)snprintf(buf + len, sizeof buf - len, "{");
		int n = rand() % 6;
		for (int k = 0; k < n; k++) {
			const char *vals[] = {"\"s\"", "true", "false", "null", "-0", "7", "-123456789012345", "\"\""};
			len += (size_t)snprintf(buf + len, sizeof buf - len, "%s\"k%d\" : %s", k ? "," : "", rand() % 4,
			                        vals[rand() % 8]);
		}
		len += (size_t)snprintf(buf + len, sizeof buf - len, "}");
		same_as_jansson(buf, len);
	}
	CHECK(compared > 90000);
	TEST_DONE();
}
