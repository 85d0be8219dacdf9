/* random — CSPRNG strings (see random.h). */
#include "core/random.h"

#include <openssl/rand.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Each thread draws the bytes of its strings from its own buffer, refilled from the CSPRNG
 * 512 bytes at a time (one RAND_bytes call costs about as much for 64 bytes as for 512).
 * Every byte is used once and wiped when taken. */
static _Thread_local struct {
	unsigned char b[512];
	size_t pos;
	bool filled;
} pool;

static int pool_byte(unsigned *out)
{
	if (!pool.filled || pool.pos == sizeof pool.b) {
		if (RAND_bytes(pool.b, sizeof pool.b) != 1)
			return -1;
		pool.pos = 0;
		pool.filled = true;
	}
	*out = pool.b[pool.pos];
	pool.b[pool.pos++] = 0;
	return 0;
}

int pb_random_string(char *out, size_t n, const char *alphabet)
{
	size_t k = alphabet ? strlen(alphabet) : 0;
	if (k == 0 || k > 256) {
		if (out)
			out[0] = '\0';
		return -1;
	}
	/* Accept a byte only below the largest multiple of k that fits in 256 values, so that
	 * `b % k` is uniform (for 62 characters: bytes 248..255 are drawn again). */
	const unsigned limit = 256u - 256u % (unsigned)k;
	size_t have = 0;
	while (have < n) {
		unsigned b;
		if (pool_byte(&b) != 0) {
			out[0] = '\0';
			return -1;
		}
		if (b < limit)
			out[have++] = alphabet[b % k];
	}
	out[n] = '\0';
	return 0;
}

int pb_random_id(char out[PB_RECORD_ID_LEN + 1])
{
	return pb_random_string(out, PB_RECORD_ID_LEN, PB_ALPHABET_ID);
}

int pb_random_bytes(void *buf, size_t n)
{
	unsigned char *b = buf;
	while (n > 0) {
		int chunk = n > (1u << 30) ? 1 << 30 : (int)n;
		if (RAND_bytes(b, chunk) != 1)
			return -1;
		b += chunk;
		n -= (size_t)chunk;
	}
	return 0;
}

uint64_t pb_random_below(uint64_t n)
{
	if (n <= 1)
		return 0;
	uint64_t limit = UINT64_MAX - UINT64_MAX % n, v;
	do {
		if (pb_random_bytes(&v, sizeof v) != 0)
			abort();
	} while (v >= limit);
	return v % n;
}
