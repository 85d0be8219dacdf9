/* fuzz_http_head — libFuzzer target for the HTTP request head parser and the router's path
 * cleaning: any bytes must parse or fail cleanly, and a parsed head's strings must lie inside
 * the input buffer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/http_parse.h"
#include "api/router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	struct pb_http_head h;
	if (pb_http_parse_head(buf, size, &h) == PB_HTTP_PARSE_DONE) {
		if (h.method < buf || h.method >= buf + size || h.head_len > size)
			abort();
		for (int i = 0; i < h.nheaders; i++)
			if (!pb_http_head_get(&h, h.headers[i].name))
				abort();
		char *clean = pb_router_clean_path(h.target);
		free(clean);
	}
	free(buf);
	return 0;
}
