/* random — CSPRNG strings (see random.h). */
#include "core/random.h"

#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

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
	/* one draw for about the whole string (a few spare bytes cover most rejections): for a
	 * batch of ids the generator's per-call cost is paid once */
	unsigned char stack_buf[64], *buf = stack_buf;
	size_t want = n + n / 16 + 8, size = sizeof stack_buf;
	if (want > size) {
		size = want < 65536 ? want : 65536;
		if (!(buf = malloc(size)))
			abort();
	}
	size_t have = 0, pos = 0, fill = 0; /* buf[pos..fill) are the drawn bytes not used yet */
	while (have < n) {
		if (pos == fill) {
			fill = n - have + (n - have) / 16 + 8;
			if (fill > size)
				fill = size;
			if (RAND_bytes(buf, (int)fill) != 1) {
				out[0] = '\0';
				if (buf != stack_buf)
					free(buf);
				return -1;
			}
			pos = 0;
		}
		unsigned b = buf[pos++];
		if (b < limit)
			out[have++] = alphabet[b % k];
	}
	out[n] = '\0';
	if (buf != stack_buf)
		free(buf);
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
