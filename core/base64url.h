/* base64url — the unpadded URL-safe base64 alphabet (RFC 4648 §5) used by JWT segments.
 * Mirrors Go's base64.RawURLEncoding as golang-jwt v5 uses it by default: encoding never
 * pads; decoding rejects '=' and any byte outside [A-Za-z0-9_-], rejects a final group of a
 * single character, skips '\r' and '\n' (Go ignores them), and — not being in Strict mode —
 * ignores non-zero unused bits in the last character. */
#ifndef POCKETC_CORE_BASE64URL_H
#define POCKETC_CORE_BASE64URL_H

#include <stddef.h>

#include "core/strbuf.h"

/* Number of characters the encoding of n bytes takes (no padding, no NUL). */
size_t pb_base64url_encoded_len(size_t n);

/* Appends the unpadded base64url encoding of in[0..n) to b (in may be NULL when n == 0).
 * Cannot fail (the strbuf aborts when out of memory). */
void pb_base64url_encode(struct pb_strbuf *b, const void *in, size_t n);

/* Decodes in[0..len). Returns a malloc'd buffer holding *out_len decoded bytes followed by a
 * NUL terminator (so text can be used as a C string); caller frees. Returns NULL (and leaves
 * *out_len untouched) when the input is not valid unpadded base64url. */
unsigned char *pb_base64url_decode(const char *in, size_t len, size_t *out_len);

#endif
