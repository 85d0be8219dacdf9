/* test_body — request body decoding (api/body.h) against PocketBase's BindBody behaviour:
 * JSON (first value, trailing bytes ignored, reals, object-or-null top level), multipart
 * (value inference, repeated keys, @jsonPayload merging, files, framing and header edge
 * cases, limits), urlencoded (+ URL query merge order), unsupported types and empty bodies.
 * Expected results are those of Go's net/http + mime/multipart + PocketBase's
 * UnmarshalRequestData for the same bytes (incl. the "*map[string]any" case of
 * tools/router/unmarshal_request_data_test.go); JSON is compared as jansson's compact,
 * key-sorted dump, so numbers show as reals ("123.0"). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "api/body.h"
#include "core/strbuf.h"
#include "test.h"

#define MP "multipart/form-data; boundary=XB"

static char result[1 << 16];

/* Decodes and renders the data object, or "ERR <status> <message>". */
static const char *decode_m(const char *method, const char *ct, const void *body, size_t len, const char *query)
{
	struct pb_body b;
	struct pb_error err = PB_ERROR_INIT;
	if (pb_body_decode_method(method, ct, body, len, query, &b, &err) < 0) {
		snprintf(result, sizeof result, "ERR %d %s", err.status, err.message);
		pb_error_clear(&err);
		return result;
	}
	char *s = json_dumps(b.data, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(15));
	snprintf(result, sizeof result, "%s", s ? s : "(dump failed)");
	free(s);
	pb_body_free(&b);
	return result;
}

static const char *decode(const char *ct, const char *body, const char *query)
{
	return decode_m("POST", ct, body, strlen(body), query);
}

static const char *decode_buf(const char *ct, const struct pb_strbuf *body, const char *query)
{
	return decode_m("POST", ct, body->data, body->len, query);
}

/* Appends one part with boundary XB (filename/ctype may be NULL). */
static void part(struct pb_strbuf *b, const char *name, const char *filename, const char *ctype, const void *data,
                 size_t len)
{
	pb_strbuf_printf(b, "--XB\r\nContent-Disposition: form-data; name=\"%s\"", name);
	if (filename)
		pb_strbuf_printf(b, "; filename=\"%s\"", filename);
	pb_strbuf_puts(b, "\r\n");
	if (ctype)
		pb_strbuf_printf(b, "Content-Type: %s\r\n", ctype);
	pb_strbuf_puts(b, "\r\n");
	pb_strbuf_append(b, data, len);
	pb_strbuf_puts(b, "\r\n");
}

static void value(struct pb_strbuf *b, const char *name, const char *v)
{
	part(b, name, NULL, NULL, v, strlen(v));
}

static void test_json(void)
{
	CHECK_STR(decode("application/json", "{\"a\":123,\"b\":-456,\"c\":\"test\"}", NULL),
	          "{\"a\":123.0,\"b\":-456.0,\"c\":\"test\"}");
	CHECK_STR(decode("application/json;charset=abc", "{\"a\":1}", "q=1"), "{\"a\":1.0}");
	/* json.Decoder reads the first value only */
	CHECK_STR(decode("application/json", "{\"a\":1} trailing }}] \xff", NULL), "{\"a\":1.0}");
	CHECK_STR(decode("application/json", " \n{\"a\":1}{\"b\":2}", NULL), "{\"a\":1.0}");
	CHECK_STR(decode("application/json", "{\"a\":{\"b\":[1,{\"c\":null}],\"d\":[]},\"e\":false}", NULL),
	          "{\"a\":{\"b\":[1.0,{\"c\":null}],\"d\":[]},\"e\":false}");
	CHECK_STR(decode("application/json", "{\"a\":1,\"a\":2}", NULL), "{\"a\":2.0}");
	CHECK_STR(decode("application/json", "null", NULL), "{}");
	/* json.Decoder ends a top-level literal at the next byte, whatever it is */
	CHECK_STR(decode("application/json", " nullnull", NULL), "{}");
	CHECK_STR(decode("application/json", "nul", NULL), "ERR 400 ");
	/* raw NUL bytes are invalid characters for Go (jansson alone would skip them) */
	CHECK_STR(decode_m("POST", "application/json", "{\"a\":[false\0,1]}", 16, NULL), "ERR 400 ");
	CHECK_STR(decode_m("POST", "application/json", "{\"a\":\"x\0y\"}", 11, NULL), "ERR 400 ");
	CHECK_STR(decode_m("POST", "application/json", "{\"a\":1}\0\0", 9, NULL), "{\"a\":1.0}");
	CHECK_STR(decode("application/json", "[1]", NULL), "ERR 400 ");
	CHECK_STR(decode("application/json", "\"s\"", NULL), "ERR 400 ");
	CHECK_STR(decode("application/json", "12", NULL), "ERR 400 ");
	CHECK_STR(decode("application/json", "   ", NULL), "ERR 400 ");
	CHECK_STR(decode("application/json", "{\"a\":1", NULL), "ERR 400 ");
	CHECK_STR(decode("application/json", "{\"a\":1,}", NULL), "ERR 400 ");
	CHECK_STR(decode("application/json", "\xEF\xBB\xBF{}", NULL), "ERR 400 ");
	CHECK_STR(decode("application/json", "{\"a\":1e400}", NULL), "ERR 400 ");

	/* numbers are float64, also integers beyond 2^53 */
	struct pb_body b;
	struct pb_error err = PB_ERROR_INIT;
	const char *big = "{\"i\":12345678901234567890,\"z\":-0,\"t\":1e-400}";
	CHECK(pb_body_decode("application/json", (const unsigned char *)big, strlen(big), NULL, &b, &err) == 0);
	CHECK(json_is_real(json_object_get(b.data, "i")) && json_real_value(json_object_get(b.data, "i")) == 12345678901234567890.0);
	CHECK(json_is_real(json_object_get(b.data, "z")) && signbit(json_real_value(json_object_get(b.data, "z"))));
	CHECK(json_real_value(json_object_get(b.data, "t")) == 0);
	CHECK(b.nfiles == 0 && b.files == NULL);
	pb_body_free(&b);

	/* Go replaces invalid UTF-8 and unpaired surrogates with U+FFFD; \u0000 is a character */
	CHECK_STR(decode("application/json", "{\"a\":\"x\xff\",\"b\":\"\\ud800\\ud83d\\ude00\",\"c\":\"\\udc00\"}", NULL),
	          "{\"a\":\"x\xEF\xBF\xBD\",\"b\":\"\xEF\xBF\xBD\xF0\x9F\x98\x80\",\"c\":\"\xEF\xBF\xBD\"}");
	const char *nul = "{\"a\":\"x\\u0000y\"}";
	CHECK(pb_body_decode("application/json", (const unsigned char *)nul, strlen(nul), NULL, &b, &err) == 0);
	CHECK(json_string_length(json_object_get(b.data, "a")) == 3 &&
	      memcmp(json_string_value(json_object_get(b.data, "a")), "x\0y", 3) == 0);
	pb_body_free(&b);
}

static void test_content_types(void)
{
	/* Content-Length 0: nothing decoded, whatever the type */
	CHECK_STR(decode_m("POST", "application/rtf", "", 0, "a=1"), "{}");
	CHECK_STR(decode_m("POST", NULL, NULL, 0, NULL), "{}");
	CHECK_STR(decode_m("POST", "application/json", "", 0, NULL), "{}");
	CHECK_STR(decode("application/rtf", "{\"a\":1}", NULL), "ERR 400 Unsupported Content-Type.");
	CHECK_STR(decode("", "{\"a\":1}", NULL), "ERR 400 Unsupported Content-Type.");
	CHECK_STR(decode_m("POST", NULL, "x", 1, NULL), "ERR 400 Unsupported Content-Type.");
	CHECK_STR(decode("Application/JSON", "{\"a\":1}", NULL), "ERR 400 Unsupported Content-Type.");
	CHECK_STR(decode("multipart/mixed; boundary=XB", "--XB--", NULL), "ERR 400 Unsupported Content-Type.");
	/* the prefix decides: "application/jsonx" is JSON */
	CHECK_STR(decode("application/jsonx", "{\"a\":1}", NULL), "{\"a\":1.0}");
	/* XML cannot be decoded into a map */
	CHECK_STR(decode("text/xml", "<a>1</a>", NULL), "ERR 400 ");
	CHECK_STR(decode("application/xml;charset=abc", "<a>1</a>", NULL), "ERR 400 ");
}

static void test_inference(void)
{
	struct pb_strbuf b = PB_STRBUF_INIT;
	/* tools/router/unmarshal_request_data_test.go, "*map[string]any" */
	const char *s3[] = {"0.0",     "-0.0",     "000.1",       "000001", "-000001", "1.6E-35",  "-1.6E-35",
	                    "10e100",  "1_000_000", "1.000.000",  " 123 ",  "0b1",     "0xFF",     "1234A",
	                    "Infinity", "-Infinity", "undefined", "null"};
	value(&b, "number1", "1");
	value(&b, "number2", "2");
	value(&b, "number2", "3");
	value(&b, "number3", "2.1");
	value(&b, "number3", "-3.4");
	value(&b, "number4", "0");
	value(&b, "number4", "-0");
	value(&b, "number4", "0.0001");
	value(&b, "string0", "");
	value(&b, "string1", "a");
	value(&b, "string2", "b");
	value(&b, "string2", "c");
	for (size_t i = 0; i < sizeof s3 / sizeof *s3; i++)
		value(&b, "string3", s3[i]);
	value(&b, "bool1", "true");
	value(&b, "bool2", "true");
	value(&b, "bool2", "false");
	value(&b, "mixed", "true");
	value(&b, "mixed", "123");
	value(&b, "mixed", "test");
	value(&b, "@jsonPayload", "{\"json_a\":null,\"json_b\":123}");
	value(&b, "@jsonPayload", "{\"json_c\":[1,2,3]}");
	pb_strbuf_puts(&b, "--XB--\r\n");
	CHECK_STR(decode_buf(MP, &b, NULL),
	          "{\"bool1\":true,\"bool2\":[true,false],\"json_a\":null,\"json_b\":123.0,\"json_c\":[1.0,2.0,3.0],"
	          "\"mixed\":[true,123.0,\"test\"],\"number1\":1.0,\"number2\":[2.0,3.0],\"number3\":[2.1,-3.4],"
	          "\"number4\":[0.0,-0.0,0.0001],\"string0\":\"\",\"string1\":\"a\",\"string2\":[\"b\",\"c\"],"
	          "\"string3\":[\"0.0\",\"-0.0\",\"000.1\",\"000001\",\"-000001\",\"1.6E-35\",\"-1.6E-35\",\"10e100\","
	          "\"1_000_000\",\"1.000.000\",\" 123 \",\"0b1\",\"0xFF\",\"1234A\",\"Infinity\",\"-Infinity\","
	          "\"undefined\",\"null\"]}");
	pb_strbuf_deinit(&b);

	/* shortest-float round trip: 1e21 prints without exponent in 'f' form; 2^53+1 does not survive */
	CHECK_STR(decode("application/x-www-form-urlencoded",
	                 "a=007&b=1e3&c=%2B1&d=+1&e=1.&f=-.5&g=-&h=1000000000000000000000&i=9007199254740993&j=0.000001"
	                 "&k=TRUE&l=1.50&m=-12.75",
	                 NULL),
	          "{\"a\":\"007\",\"b\":\"1e3\",\"c\":\"+1\",\"d\":\" 1\",\"e\":\"1.\",\"f\":\"-.5\",\"g\":\"-\","
	          "\"h\":1e21,\"i\":\"9007199254740993\",\"j\":1e-6,\"k\":\"TRUE\",\"l\":\"1.50\",\"m\":-12.75}");
}

static void test_multipart_values(void)
{
	struct pb_strbuf b = PB_STRBUF_INIT;
	value(&b, "a", "1");
	value(&b, "b", "x y");
	value(&b, "a", "true");
	pb_strbuf_puts(&b, "--XB--\r\n");
	CHECK_STR(decode_buf(MP, &b, NULL), "{\"a\":[1.0,true],\"b\":\"x y\"}");
	/* URL query values come first in r.Form, then the parts */
	CHECK_STR(decode_buf(MP, &b, "a=0&c=2&b"), "{\"a\":[0.0,1.0,true],\"b\":[\"\",\"x y\"],\"c\":2.0}");
	CHECK_STR(decode_buf(MP, &b, "a=%zz"), "ERR 400 ");
	CHECK_STR(decode_buf(MP, &b, "a;b"), "ERR 400 ");
	/* a urlencoded-looking query with a leading '?' is not stripped by Go either */
	CHECK_STR(decode_buf(MP, &b, "?x=1"), "{\"?x\":1.0,\"a\":[1.0,true],\"b\":\"x y\"}");
	pb_strbuf_deinit(&b);

	/* @jsonPayload parts: decoded after the plain values, later keys win, no inference */
	pb_strbuf_init(&b);
	value(&b, "@jsonPayload", "{\"a\":[1,\"x\"],\"b\":{\"c\":\"1\"}}");
	value(&b, "a", "5");
	value(&b, "c", "7");
	value(&b, "@jsonPayload", "{\"b\":2} \n");
	pb_strbuf_puts(&b, "--XB--");
	CHECK_STR(decode_buf(MP, &b, NULL), "{\"a\":[1.0,\"x\"],\"b\":2.0,\"c\":7.0}");
	pb_strbuf_deinit(&b);

	/* a null payload clears the map like json.Unmarshal(null, &m); a later one starts afresh */
	pb_strbuf_init(&b);
	value(&b, "z", "1");
	value(&b, "@jsonPayload", "null");
	value(&b, "@jsonPayload", "{\"k\":\"v\"}");
	pb_strbuf_puts(&b, "--XB--");
	CHECK_STR(decode_buf(MP, &b, NULL), "{\"k\":\"v\"}");
	pb_strbuf_deinit(&b);

	const char *bad_payloads[] = {"{\"a\":1} x", "[1]", "\"s\"", "", "{"};
	for (size_t i = 0; i < sizeof bad_payloads / sizeof *bad_payloads; i++) {
		pb_strbuf_init(&b);
		value(&b, "@jsonPayload", bad_payloads[i]);
		pb_strbuf_puts(&b, "--XB--");
		CHECK_STR(decode_buf(MP, &b, NULL), "ERR 400 ");
		pb_strbuf_deinit(&b);
	}
	/* the query is part of r.Form, so it can carry @jsonPayload too (processed first) */
	pb_strbuf_init(&b);
	value(&b, "@jsonPayload", "{\"a\":2}");
	pb_strbuf_puts(&b, "--XB--");
	CHECK_STR(decode_buf(MP, &b, "%40jsonPayload=%7B%22a%22%3A1%2C%22q%22%3Atrue%7D"), "{\"a\":2.0,\"q\":true}");
	pb_strbuf_deinit(&b);
}

static void test_multipart_files(void)
{
	static const unsigned char bin[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x00, '-', '-', 'X', 'B', 'x', '\r', '\n', 0xff};
	struct pb_strbuf b = PB_STRBUF_INIT;
	value(&b, "title", "hello");
	part(&b, "avatar", "me.png", "image/png", bin, sizeof bin);
	part(&b, "files+", "a/b/notes.txt", NULL, "n1", 2);
	part(&b, "files+", "empty.txt", "text/plain", "", 0);
	part(&b, "requests.0.doc", "dir/", "application/pdf", "%PDF", 4);
	part(&b, "noname", "", NULL, "plain", 5); /* filename="" → a value */
	pb_strbuf_puts(&b, "--XB--\r\n");

	struct pb_body out;
	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_body_decode(MP, (const unsigned char *)b.data, b.len, NULL, &out, &err) == 0);
	char *s = json_dumps(out.data, JSON_COMPACT | JSON_SORT_KEYS);
	CHECK_STR(s, "{\"noname\":\"plain\",\"title\":\"hello\"}");
	free(s);
	CHECK(out.nfiles == 4);
	if (out.nfiles == 4) {
		CHECK_STR(out.files[0].field, "avatar");
		CHECK_STR(out.files[0].filename, "me.png");
		CHECK_STR(out.files[0].content_type, "image/png");
		CHECK(out.files[0].len == sizeof bin && memcmp(out.files[0].data, bin, sizeof bin) == 0);
		/* uploads borrow the body buffer */
		CHECK(out.files[0].data > (const unsigned char *)b.data &&
		      out.files[0].data < (const unsigned char *)b.data + b.len && out.files[0].decoded == NULL);
		CHECK_STR(out.files[1].field, "files+");
		CHECK_STR(out.files[1].filename, "notes.txt");
		CHECK_STR(out.files[1].content_type, "");
		CHECK(out.files[1].len == 2 && memcmp(out.files[1].data, "n1", 2) == 0);
		CHECK_STR(out.files[2].filename, "empty.txt");
		CHECK(out.files[2].len == 0);
		CHECK_STR(out.files[3].field, "requests.0.doc");
		CHECK_STR(out.files[3].filename, "dir");
		CHECK(out.files[3].len == 4 && memcmp(out.files[3].data, "%PDF", 4) == 0);
	}
	pb_body_free(&out);
	CHECK(out.data == NULL && out.files == NULL && out.nfiles == 0);
	pb_strbuf_deinit(&b);

	/* only files: the data object is empty; quoted-printable file parts are decoded */
	const char *qp = "--XB\r\nContent-Disposition: form-data; name=\"f\"; filename*=UTF-8''r%C3%A9sum%C3%A9.txt\r\n"
	                 "Content-Transfer-Encoding: Quoted-Printable\r\n\r\na=3Db soft=\r\nbreak\r\n--XB--";
	CHECK(pb_body_decode(MP, (const unsigned char *)qp, strlen(qp), NULL, &out, &err) == 0);
	CHECK(json_object_size(out.data) == 0 && out.nfiles == 1);
	if (out.nfiles == 1) {
		CHECK_STR(out.files[0].filename, "r\xC3\xA9sum\xC3\xA9.txt");
		CHECK(out.files[0].decoded != NULL && out.files[0].data == out.files[0].decoded);
		CHECK(out.files[0].len == 13 && memcmp(out.files[0].data, "a=b softbreak", 13) == 0);
	}
	pb_body_free(&out);
}

static void test_multipart_framing(void)
{
	/* preamble and epilogue are ignored; the final boundary may carry spaces */
	CHECK_STR(decode(MP, "preamble\r\nmore\r\n--XB\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--XB--  \r\n"
	                     "epilogue \xff",
	                 NULL),
	          "{\"a\":\"v\"}");
	/* a first boundary line ending in LF switches to LF line endings */
	CHECK_STR(decode(MP, "--XB\nContent-Disposition: form-data; name=\"a\"\n\nv1\n--XB\nContent-Disposition: form-data; "
	                     "name=\"b\"\n\nv2\r\n--XB--\n",
	                 NULL),
	          "{\"a\":\"v1\",\"b\":\"v2\\r\"}");
	/* boundary lines may have trailing spaces/tabs; the part data keeps CRLFs except the last */
	CHECK_STR(decode(MP, "--XB \t\r\nContent-Disposition: form-data; name=a\r\n\r\nl1\r\nl2\r\n\r\n--XB \r\n"
	                     "Content-Disposition: form-data; name=b\r\n\r\nw\r\n--XB--",
	                 NULL),
	          "{\"a\":\"l1\\r\\nl2\\r\\n\",\"b\":\"w\"}");
	/* "--XBX" and "--XB-" inside data are data */
	CHECK_STR(decode(MP, "--XB\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--XBX\r\n--XB-\r\n--XB--", NULL),
	          "{\"a\":\"v\\r\\n--XBX\\r\\n--XB-\"}");
	/* "--XB" right after the headers ends an empty part */
	CHECK_STR(decode(MP, "--XB\r\nContent-Disposition: form-data; name=a\r\n\r\n--XB\r\nContent-Disposition: form-data; "
	                     "name=b\r\n\r\nw\r\n--XB--",
	                 NULL),
	          "{\"a\":\"\",\"b\":\"w\"}");
	CHECK_STR(decode(MP, "--XB--", NULL), "{}");
	/* a body ending inside (or right before) a part's headers ends the form there: Go's header
	 * reader returns io.EOF, which ReadForm takes for the end */
	CHECK_STR(decode(MP, "--XB\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--XB\r\n", NULL), "{\"a\":1.0}");
	CHECK_STR(decode(MP, "--XB\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--XB\r\nContent-Disposition: fo",
	                 NULL),
	          "{\"a\":1.0}");
	CHECK_STR(decode(MP, "--XB\r\nContent-Disposition: form-data; name=\"a\"\r\n", NULL), "{}");
	CHECK_STR(decode(MP, "--XB--\r\n", NULL), "{}");
	/* the boundary may be quoted and contain spaces and tspecials */
	CHECK_STR(decode("multipart/form-data; boundary=\"a b:c\"",
	                 "--a b:c\r\nContent-Disposition: form-data; name=k\r\n\r\nv\r\n--a b:c--", NULL),
	          "{\"k\":\"v\"}");
	CHECK_STR(decode("multipart/form-data ; BOUNDARY=XB;", "--XB\r\nContent-Disposition: form-data; name=k\r\n\r\nv\r\n--XB--",
	                 NULL),
	          "{\"k\":\"v\"}");

	const char *bad[][2] = {
		/* truncated: no final boundary, cut inside part data, between parts */
		{MP, "--XB\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--XB"},
		{MP, "--XB\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nval"},
		{MP, "--XB\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n"},
		{MP, "--XB\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--XB\r\nbad"},
		/* junk between parts, a boundary line with junk after it */
		{MP, "--XB\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--XB\r\nx\r\n--XB--"},
		{MP, "--XB\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--XB x\r\n--XB--"},
		{MP, "no boundary at all"},
		{MP, "\r\n"},
		/* bad Content-Type: no boundary, empty boundary, other types, conflicting params */
		{"multipart/form-data", "--XB--"},
		{"multipart/form-data; boundary=", "----"},
		{"multipart/form-data; boundary=\"\"", "----"},
		{"multipart/form-dataX; boundary=XB", "--XB--"},
		{"multipart/form-data; boundary=XB; boundary=YB", "--XB--"},
		{"multipart/form-data; boundary=XB;;", "--XB--"},
		{"multipart/form-data; boundary=YB", "--XB\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--XB--"},
		/* malformed headers */
		{MP, "--XB\r\nContent-Disposition form-data\r\n\r\nv\r\n--XB--"},
		{MP, "--XB\r\n Content-Disposition: form-data; name=a\r\n\r\nv\r\n--XB--"},
		{MP, "--XB\r\nContent-Disposition: form-data; name=a\r\n:x\r\n\r\nv\r\n--XB--"},
		{MP, "--XB\r\nContent-Disposition: form-data; name=a\r\nX(: y\r\n\r\nv\r\n--XB--"},
		{MP, "--XB\r\nContent-Disposition: form-data; name=a\r\nX: a\rb\r\n\r\nv\r\n--XB--"},
		/* invalid quoted-printable */
		{MP, "--XB\r\nContent-Disposition: form-data; name=a\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
		     "=\r\n--XB--"},
		{MP, "--XB\r\nContent-Disposition: form-data; name=a\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
		     "ctl\x01\r\n--XB--"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		const char *got = decode(bad[i][0], bad[i][1], NULL);
		if (strcmp(got, "ERR 400 ") != 0)
			fprintf(stderr, "bad multipart case %zu decoded as %s\n", i, got);
		CHECK_STR(got, "ERR 400 ");
	}
}

static void test_multipart_headers(void)
{
	static const char *cases[][2] = {
		/* quoted names: \" and \\ unescape, other backslashes stay (MSIE paths) */
		{"Content-Disposition: form-data; name=\"a\\\"b\"", "{\"a\\\"b\":\"v\"}"},
		{"Content-Disposition: form-data; name=\"a\\\\b\"", "{\"a\\\\b\":\"v\"}"},
		{"Content-Disposition: form-data; name=\"a\\nb\"", "{\"a\\\\nb\":\"v\"}"},
		{"content-disposition: FORM-DATA; NAME=a", "{\"a\":\"v\"}"},
		{"Content-Disposition: form-data;name=a;filename=\"\"", "{\"a\":\"v\"}"},
		/* RFC 2231: extended values win over plain ones, continuations are stitched */
		{"Content-Disposition: form-data; name*=utf-8''%C3%A9t%C3%A9; name=plain", "{\"\xC3\xA9t\xC3\xA9\":\"v\"}"},
		{"Content-Disposition: form-data; name*=iso-8859-1''x; name=plain", "{\"plain\":\"v\"}"},
		{"Content-Disposition: form-data; name*0=ab; name*1*=%41; name*2=cd", "{\"abAcd\":\"v\"}"},
		/* skipped parts: not form-data, no name, empty name, unparsable disposition, none */
		{"Content-Disposition: attachment; name=a", "{}"},
		{"Content-Disposition: form-data", "{}"},
		{"Content-Disposition: form-data; name=\"\"", "{}"},
		{"Content-Disposition: form-data; name=a b", "{}"},
		{"Content-Disposition: form-data; name=a; name=b", "{}"},
		{"Content-Disposition : form-data; name=a", "{}"},
		{"X-Other: 1", "{}"},
		/* the first Content-Disposition counts; continuation lines join with one space */
		{"Content-Disposition: form-data; name=a\r\nContent-Disposition: form-data; name=b", "{\"a\":\"v\"}"},
		{"Content-Disposition: form-data;\r\n\t name=\"a\r\n  b\"", "{\"a b\":\"v\"}"},
		{"Content-Disposition: form-data; name=a\r\nX-Empty:", "{\"a\":\"v\"}"},
		/* a quoted-printable value */
		{"Content-Disposition: form-data; name=a\r\nContent-Transfer-Encoding: quoted-printable", "{\"a\":\"v\"}"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct pb_strbuf b = PB_STRBUF_INIT;
		pb_strbuf_printf(&b, "--XB\r\n%s\r\n\r\nv\r\n--XB--\r\n", cases[i][0]);
		CHECK_STR(decode_buf(MP, &b, NULL), cases[i][1]);
		pb_strbuf_deinit(&b);
	}
	static const char *qp[][2] = {
		{"a=3Db", "a=b"},
		{"soft=\r\nbreak", "softbreak"},
		{"tab\there  \r\nnext", "tab\there\r\nnext"},
		{"=41=4a=4A", "AJJ"},
		{"keep=zz", "keep=zz"},
		{"hi\xffok", "hi\xEF\xBF\xBDok"},
	};
	for (size_t i = 0; i < sizeof qp / sizeof *qp; i++) {
		struct pb_strbuf b = PB_STRBUF_INIT;
		pb_strbuf_printf(&b,
		                 "--XB\r\nContent-Disposition: form-data; name=a\r\nContent-Transfer-Encoding: "
		                 "quoted-printable\r\n\r\n%s\r\n--XB--",
		                 qp[i][0]);
		json_t *w = json_pack("{s:s}", "a", qp[i][1]);
		char *ws = json_dumps(w, JSON_COMPACT);
		CHECK_STR(decode_buf(MP, &b, NULL), ws);
		free(ws);
		json_decref(w);
		pb_strbuf_deinit(&b);
	}
}

static void test_limits(void)
{
	/* 1000 parts are fine, the 1001st is ErrMessageTooLarge (nameless parts count too) */
	struct pb_strbuf b = PB_STRBUF_INIT;
	for (int i = 0; i < 999; i++)
		value(&b, "k", "1");
	pb_strbuf_puts(&b, "--XB\r\nX-Nameless: 1\r\n\r\nv\r\n");
	struct pb_strbuf b2 = PB_STRBUF_INIT;
	pb_strbuf_append(&b2, b.data, b.len);
	pb_strbuf_puts(&b, "--XB--");
	const char *got = decode_buf(MP, &b, NULL);
	CHECK(strncmp(got, "{\"k\":[1.0,", 10) == 0);
	value(&b2, "k", "1");
	pb_strbuf_puts(&b2, "--XB--");
	CHECK_STR(decode_buf(MP, &b2, NULL), "ERR 400 ");
	pb_strbuf_deinit(&b);
	pb_strbuf_deinit(&b2);

	/* at most 10000 header lines in a part */
	for (int n = 9999; n <= 10000; n++) {
		pb_strbuf_init(&b);
		pb_strbuf_puts(&b, "--XB\r\nContent-Disposition: form-data; name=a\r\n");
		for (int i = 0; i < n; i++)
			pb_strbuf_puts(&b, "X: 1\r\n");
		pb_strbuf_puts(&b, "\r\nv\r\n--XB--");
		CHECK_STR(decode_buf(MP, &b, NULL), n == 9999 ? "{\"a\":\"v\"}" : "ERR 400 ");
		pb_strbuf_deinit(&b);
	}

	/* lines between parts go through a 4096-byte buffer */
	for (int n = 4094; n <= 4095; n++) {
		pb_strbuf_init(&b);
		for (int i = 0; i < n; i++)
			pb_strbuf_putc(&b, 'x');
		pb_strbuf_puts(&b, "\r\n");
		value(&b, "a", "1");
		pb_strbuf_puts(&b, "--XB--");
		CHECK_STR(decode_buf(MP, &b, NULL), n == 4094 ? "{\"a\":1.0}" : "ERR 400 ");
		pb_strbuf_deinit(&b);
	}

	/* url.ParseQuery allows 10000 pairs (counted by '&'), net/http 10 MiB of urlencoded body */
	for (int n = 10000; n <= 10001; n++) {
		pb_strbuf_init(&b);
		for (int i = 1; i < n; i++)
			pb_strbuf_putc(&b, '&');
		pb_strbuf_puts(&b, "a=1");
		CHECK_STR(decode_buf("application/x-www-form-urlencoded", &b, NULL), n == 10000 ? "{\"a\":1.0}" : "ERR 400 ");
		CHECK_STR(decode(MP, "--XB--", b.data), n == 10000 ? "{\"a\":1.0}" : "ERR 400 ");
		pb_strbuf_deinit(&b);
	}
	for (size_t n = (10 << 20); n <= (10 << 20) + 1; n++) {
		char *big = malloc(n);
		memset(big, 'x', n);
		memcpy(big, "a=", 2);
		const char *r = decode_m("POST", "application/x-www-form-urlencoded", big, n, NULL);
		CHECK(n == (10 << 20) ? strncmp(r, "{\"a\":\"xxx", 9) == 0 : strcmp(r, "ERR 400 ") == 0);
		free(big);
	}
}

static void test_urlencoded(void)
{
	const char *U = "application/x-www-form-urlencoded";
	CHECK_STR(decode(U, "a=123&b=-456&c=test", NULL), "{\"a\":123.0,\"b\":-456.0,\"c\":\"test\"}");
	CHECK_STR(decode("application/x-www-form-urlencoded;charset=abc", "a=1", NULL), "{\"a\":1.0}");
	CHECK_STR(decode(U, "a+b=c+d%20e&k&=x&&x=%41%2b", NULL),
	          "{\"\":\"x\",\"a b\":\"c d e\",\"k\":\"\",\"x\":\"A+\"}");
	/* body values first, then the URL query's */
	CHECK_STR(decode(U, "a=1&a=2", "a=3&q=true"), "{\"a\":[1.0,2.0,3.0],\"q\":true}");
	CHECK_STR(decode(U, "@jsonPayload=%7B%22a%22%3A%5B1%5D%7D&a=x", NULL), "{\"a\":[1.0]}");
	/* Go ≥ 1.17 rejects ';' separators and bad escapes, in the body and in the query */
	CHECK_STR(decode(U, "a=1;b=2", NULL), "ERR 400 ");
	CHECK_STR(decode(U, "a=%zz", NULL), "ERR 400 ");
	CHECK_STR(decode(U, "a=%4", NULL), "ERR 400 ");
	CHECK_STR(decode(U, "a=1", "b;c"), "ERR 400 ");
	CHECK_STR(decode(U, "a=1", "%"), "ERR 400 ");
	/* invalid UTF-8 after unescaping becomes U+FFFD */
	CHECK_STR(decode(U, "x=%ff", NULL), "{\"x\":\"\xEF\xBF\xBD\"}");
	/* a prefix match that is not exactly the urlencoded type: no post form, only the query */
	CHECK_STR(decode("application/x-www-form-urlencodedX", "a=1", "z=1"), "{\"z\":1.0}");
	/* the type's parameters must parse */
	CHECK_STR(decode("application/x-www-form-urlencoded; =", "a=1", "z=1"), "ERR 400 ");
	/* only POST, PUT and PATCH bodies are read */
	CHECK_STR(decode_m("GET", U, "a=1", 3, "z=1"), "{\"z\":1.0}");
	CHECK_STR(decode_m("DELETE", "application/x-www-form-urlencoded; =", "a=1", 3, "z=1"), "{\"z\":1.0}");
	CHECK_STR(decode_m("PATCH", U, "a=1", 3, NULL), "{\"a\":1.0}");
	CHECK_STR(decode_m("PUT", U, "a=1", 3, NULL), "{\"a\":1.0}");
	const char *mp = "--XB\r\nContent-Disposition: form-data; name=m\r\n\r\n1\r\n--XB--";
	CHECK_STR(decode_m("GET", MP, mp, strlen(mp), NULL), "{\"m\":1.0}");
}

int main(void)
{
	test_json();
	test_content_types();
	test_inference();
	test_multipart_values();
	test_multipart_files();
	test_multipart_framing();
	test_multipart_headers();
	test_limits();
	test_urlencoded();
	TEST_DONE();
}
