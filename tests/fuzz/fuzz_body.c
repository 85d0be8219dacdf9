/* fuzz_body — libFuzzer target for request body decoding (api/body.h) and upload sniffing
 * (core/mime.h). The first input byte picks the mode: 0 JSON, 1 multipart/form-data with the
 * fixed boundary "XB", 2 application/x-www-form-urlencoded (also as a GET), 3 the rest is a
 * multipart Content-Type header (media type parser) for a fixed body; the remaining bytes are
 * the body. Every decoded upload and the body itself go through pb_mime_detect. Any crash,
 * leak or sanitizer report is a bug. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/body.h"
#include "core/mime.h"

static const char fixed_body[] = "--XB\r\nContent-Disposition: form-data; name=\"a\"; filename=\"f.txt\"\r\n\r\n"
                                 "hello\r\n--XB\r\nContent-Disposition: form-data; name=b\r\n\r\n1\r\n--XB--\r\n";

static void run(const char *method, const char *ct, const unsigned char *body, size_t len, const char *query)
{
	struct pb_body b;
	struct pb_error err = PB_ERROR_INIT;
	struct pb_mime m;
	if (pb_body_decode_method(method, ct, body, len, query, &b, &err) == 0) {
		for (size_t i = 0; i < b.nfiles; i++)
			pb_mime_detect(b.files[i].data, b.files[i].len, &m);
		char *s = json_dumps(b.data, JSON_COMPACT);
		free(s);
		pb_body_free(&b);
	}
	pb_error_clear(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 65536)
		return 0;
	const unsigned char *body = data + 1;
	size_t len = size - 1;
	struct pb_mime m;
	pb_mime_detect(body, len, &m);
	pb_mime_is(&m, "text/plain");
	switch (data[0] % 4) {
	case 0:
		run("POST", "application/json", body, len, NULL);
		break;
	case 1:
		run("POST", "multipart/form-data; boundary=XB", body, len, "q=1&q=2&@jsonPayload=%7B%22z%22%3A1%7D");
		break;
	case 2:
		run("POST", "application/x-www-form-urlencoded", body, len, "a=1&a=2");
		run("GET", "application/x-www-form-urlencoded", body, len, "a=1");
		break;
	default: {
		char *ct = malloc(len + 1);
		memcpy(ct, body, len);
		ct[len] = '\0';
		run("POST", ct, (const unsigned char *)fixed_body, sizeof fixed_body - 1, NULL);
		free(ct);
	}
	}
	return 0;
}
