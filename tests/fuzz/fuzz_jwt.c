/* fuzz_jwt — libFuzzer target for the token parsers that see Authorization header bytes:
 * base64url decoding, unverified JWT parsing and HS256 verification (core/jwt.c), plus a
 * sign → verify round trip of whatever claims object the input parses to. Any crash, leak,
 * sanitizer report or failed round trip is a bug. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/base64url.h"
#include "core/jwt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	size_t n;
	free(pb_base64url_decode(s, size, &n));

	json_t *claims = pb_jwt_parse_unverified(s);
	(void)pb_jwt_verify_hs256(s, "key", 3, 1700000000);
	if (claims) {
		char *t = pb_jwt_sign_hs256(claims, "key", 3);
		json_t *back = NULL;
		/* re-signed claims must verify whenever their time claims allow it */
		if (t && pb_jwt_verify_hs256_claims(t, "key", 3, 1700000000, &back) == 0 && !json_equal(claims, back))
			abort();
		json_decref(back);
		free(t);
		json_decref(claims);
	}
	free(s);
	return 0;
}
