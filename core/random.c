/* random — CSPRNG strings (see random.h). */
#include "core/random.h"

#include <openssl/rand.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* The time prefix of the last id made by any thread. */
static _Atomic int64_t last_id_us;

int pb_random_id(char out[PB_RECORD_ID_LEN + 1])
{
	enum { T = PB_RECORD_ID_TIME_CHARS };
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	if (pb_random_string(out + T, PB_RECORD_ID_LEN - T, PB_ALPHABET_ID) != 0) {
		out[0] = '\0';
		return -1;
	}
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	int64_t now = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	int64_t prev = atomic_load_explicit(&last_id_us, memory_order_relaxed), next;
	do
		next = now > prev ? now : prev + 1;
	while (!atomic_compare_exchange_weak_explicit(&last_id_us, &prev, next, memory_order_relaxed,
	                                              memory_order_relaxed));
	for (int d = T - 1; d >= 0; d--, next /= 36)
		out[d] = digits[next % 36];
	return 0;
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
