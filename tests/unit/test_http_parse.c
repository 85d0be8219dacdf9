/* test_http_parse — the HTTP/1.x request head parser (api/http_parse.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/http_parse.h"
#include "tests/unit/test.h"

static enum pb_http_parse_result parse(const char *text, struct pb_http_head *h, char **keep)
{
	*keep = strdup(text);
	return pb_http_parse_head(*keep, strlen(text), h);
}

/* Request targets are checked 16 bytes at a time: every byte value at every position of
 * targets around the block size is refused exactly when it is a control, a space or DEL (a
 * NUL, a CR or LF fail the head itself; a space splits the line into a bad version). */
static void test_target_bytes(void)
{
	int wrong = 0, refused = 0;
	for (size_t len = 1; len <= 40; len++) {
		for (size_t pos = 1; pos < len; pos++) {
			for (int v = 1; v < 256; v++) {
				char text[128], target[64];
				memset(target, 'a', len);
				target[0] = '/';
				target[pos] = (char)v;
				target[len] = '\0';
				int n = snprintf(text, sizeof text, "GET %s HTTP/1.1\r\nHost: a\r\n\r\n", target);
				char *buf = malloc((size_t)n + 1);
				memcpy(buf, text, (size_t)n + 1);
				struct pb_http_head h;
				enum pb_http_parse_result r = pb_http_parse_head(buf, (size_t)n, &h);
				bool bad = v <= 0x20 || v == 0x7f;
				wrong += bad ? r == PB_HTTP_PARSE_DONE : (r != PB_HTTP_PARSE_DONE || strcmp(h.target, target) != 0);
				refused += r != PB_HTTP_PARSE_DONE;
				free(buf);
			}
		}
	}
	CHECK(wrong == 0);
	CHECK(refused > 1000);
}

/* Header values are checked 16 bytes at a time too: every byte value at every position of
 * values around the block size is refused exactly when it is a control other than tab, or
 * DEL (a NUL, CR or LF fail the head itself; tabs and spaces at the ends are trimmed). Header
 * names take exactly the RFC 9110 token characters. */
static void test_header_bytes(void)
{
	int wrong = 0;
	for (size_t len = 1; len <= 40; len++) {
		for (size_t pos = 0; pos < len; pos++) {
			for (int v = 1; v < 256; v++) {
				char text[160], value[64];
				memset(value, 'b', len);
				value[pos] = (char)v;
				value[len] = '\0';
				int n = snprintf(text, sizeof text, "GET / HTTP/1.1\r\nX-V: <%s>\r\n\r\n", value);
				struct pb_http_head h;
				enum pb_http_parse_result r = pb_http_parse_head(text, (size_t)n, &h);
				bool bad = (v < 0x20 && v != '\t') || v == 0x7f;
				char want[80];
				snprintf(want, sizeof want, "<%s>", value);
				const char *got = r == PB_HTTP_PARSE_DONE ? pb_http_head_get(&h, "x-v") : NULL;
				wrong += bad ? r == PB_HTTP_PARSE_DONE : (!got || strcmp(got, want) != 0);
			}
		}
	}
	CHECK(wrong == 0);
	const char *tchars = "!#$%&'*+-.^_`|~";
	for (int v = 1; v < 256; v++) {
		char text[64];
		int n = snprintf(text, sizeof text, "GET / HTTP/1.1\r\nA%cb: 1\r\n\r\n", v);
		struct pb_http_head h;
		enum pb_http_parse_result r = pb_http_parse_head(text, (size_t)n, &h);
		bool ok = (v >= 'a' && v <= 'z') || (v >= 'A' && v <= 'Z') || (v >= '0' && v <= '9') ||
		          (v != ':' && strchr(tchars, v) != NULL);
		if (v == ':') /* the name ends there: "A" with the value "b: 1" */
			ok = true;
		if (v == '\r' || v == '\n')
			continue; /* split lines, not a name byte */
		CHECK(ok == (r == PB_HTTP_PARSE_DONE));
	}
}

int main(void)
{
	test_target_bytes();
	test_header_bytes();
	struct pb_http_head h;
	char *buf;

	CHECK(parse("GET /api/health?x=1 HTTP/1.1\r\nHost: a\r\nX-Token:  abc \r\n\r\nBODY", &h, &buf) == PB_HTTP_PARSE_DONE);
	CHECK_STR(h.method, "GET");
	CHECK_STR(h.target, "/api/health?x=1");
	CHECK(h.minor == 1);
	CHECK(h.nheaders == 2);
	CHECK_STR(pb_http_head_get(&h, "x-token"), "abc");
	CHECK_STR(pb_http_head_get(&h, "HOST"), "a");
	CHECK(pb_http_head_get(&h, "missing") == NULL);
	CHECK(h.head_len == strlen("GET /api/health?x=1 HTTP/1.1\r\nHost: a\r\nX-Token:  abc \r\n\r\n"));
	free(buf);

	/* bare LF line ends, leading empty lines, HTTP/1.0 */
	CHECK(parse("\r\n\nPOST /x HTTP/1.0\nContent-Length: 3\n\nabc", &h, &buf) == PB_HTTP_PARSE_DONE);
	CHECK_STR(h.method, "POST");
	CHECK(h.minor == 0);
	CHECK_STR(pb_http_head_get(&h, "content-length"), "3");
	free(buf);

	/* incomplete heads ask for more, without touching the buffer */
	const char *partial = "GET / HTTP/1.1\r\nHost: a\r\n";
	CHECK(parse(partial, &h, &buf) == PB_HTTP_PARSE_MORE);
	CHECK_STR(buf, partial);
	CHECK(pb_http_head_end(partial, strlen(partial)) == 0);
	free(buf);

	/* malformed */
	CHECK(parse("GET /\r\n\r\n", &h, &buf) == PB_HTTP_PARSE_BAD);
	free(buf);
	CHECK(parse("GET / HTTP/2.0\r\n\r\n", &h, &buf) == PB_HTTP_PARSE_VERSION);
	free(buf);
	CHECK(parse("GET / FTP/1.1\r\n\r\n", &h, &buf) == PB_HTTP_PARSE_BAD);
	free(buf);
	CHECK(parse("G(T / HTTP/1.1\r\n\r\n", &h, &buf) == PB_HTTP_PARSE_BAD);
	free(buf);
	CHECK(parse("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n", &h, &buf) == PB_HTTP_PARSE_BAD);
	free(buf);
	CHECK(parse("GET / HTTP/1.1\r\nNoColon\r\n\r\n", &h, &buf) == PB_HTTP_PARSE_BAD);
	free(buf);
	CHECK(parse("GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n", &h, &buf) == PB_HTTP_PARSE_BAD);
	free(buf);
	CHECK(parse("GET / HTTP/1.1\r\nA: b\x01c\r\n\r\n", &h, &buf) == PB_HTTP_PARSE_BAD);
	free(buf);
	CHECK(parse("GET /a b HTTP/1.1\r\n\r\n", &h, &buf) == PB_HTTP_PARSE_BAD);
	free(buf);

	/* too many headers */
	char big[64 * 200 + 64];
	strcpy(big, "GET / HTTP/1.1\r\n");
	for (int i = 0; i < PB_HTTP_MAX_HEADERS + 1; i++)
		sprintf(big + strlen(big), "H%d: v\r\n", i);
	strcat(big, "\r\n");
	CHECK(parse(big, &h, &buf) == PB_HTTP_PARSE_TOO_BIG);
	free(buf);

	/* a NUL byte inside the head */
	char nul[] = "GET / HTTP/1.1\r\nA: b\0c\r\n\r\n";
	CHECK(pb_http_parse_head(nul, sizeof nul - 1, &h) == PB_HTTP_PARSE_BAD);

	CHECK(pb_http_token_in_list("keep-alive, Close", "close"));
	CHECK(pb_http_token_in_list("close", "close"));
	CHECK(!pb_http_token_in_list("closed", "close"));
	CHECK(!pb_http_token_in_list(NULL, "close"));
	TEST_DONE();
}
