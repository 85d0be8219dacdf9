/* base64url — unpadded URL-safe base64 (see base64url.h); decoding follows Go's non-strict
 * RawURLEncoding rules. */
#include "core/base64url.h"

#include <stdint.h>
#include <stdlib.h>

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* Value 0..63 of a base64url character, -1 for anything else. */
static int value_of(unsigned char ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == '-')
		return 62;
	if (ch == '_')
		return 63;
	return -1;
}

size_t pb_base64url_encoded_len(size_t n)
{
	return n / 3 * 4 + (n % 3 == 0 ? 0 : n % 3 + 1);
}

void pb_base64url_encode(struct pb_strbuf *b, const void *in, size_t n)
{
	const unsigned char *p = in;
	pb_strbuf_reserve(b, pb_base64url_encoded_len(n));
	size_t i = 0;
	for (; i + 3 <= n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		char q[4] = {alphabet[v >> 18], alphabet[v >> 12 & 63], alphabet[v >> 6 & 63], alphabet[v & 63]};
		pb_strbuf_append(b, q, 4);
	}
	if (n - i == 1) {
		uint32_t v = (uint32_t)p[i] << 16;
		char q[2] = {alphabet[v >> 18], alphabet[v >> 12 & 63]};
		pb_strbuf_append(b, q, 2);
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
		char q[3] = {alphabet[v >> 18], alphabet[v >> 12 & 63], alphabet[v >> 6 & 63]};
		pb_strbuf_append(b, q, 3);
	}
}

unsigned char *pb_base64url_decode(const char *in, size_t len, size_t *out_len)
{
	unsigned char *out = malloc(len / 4 * 3 + 3 + 1);
	if (!out)
		return NULL;
	size_t n = 0;
	uint32_t acc = 0;
	int have = 0; /* characters in the current 4-character group */
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)in[i];
		if (ch == '\r' || ch == '\n')
			continue;
		int v = value_of(ch);
		if (v < 0)
			goto fail;
		acc = acc << 6 | (uint32_t)v;
		if (++have == 4) {
			out[n++] = (unsigned char)(acc >> 16);
			out[n++] = (unsigned char)(acc >> 8);
			out[n++] = (unsigned char)acc;
			acc = 0;
			have = 0;
		}
	}
	if (have == 1)
		goto fail;
	if (have == 2) {
		out[n++] = (unsigned char)(acc >> 4); /* 12 bits: 8 data + 4 unused */
	} else if (have == 3) {
		out[n++] = (unsigned char)(acc >> 10); /* 18 bits: 16 data + 2 unused */
		out[n++] = (unsigned char)(acc >> 2);
	}
	out[n] = '\0';
	*out_len = n;
	return out;
fail:
	free(out);
	return NULL;
}
