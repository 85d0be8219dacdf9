/* hash — the one non-cryptographic byte hash of pocketc, for in-memory caches and tables
 * (statement texts, tokens, filter expressions, rate-limit keys): eight bytes at a time, a
 * multiply-xorshift mix of each little-endian word, then a final avalanche. Not for anything
 * an attacker must not steer (every user of it compares the full key after a hash match). */
#ifndef POCKETC_CORE_HASH_H
#define POCKETC_CORE_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The hash of the n bytes at s (borrowed; n may be 0). */
static inline uint64_t pb_hash_bytes(const char *s, size_t n)
{
	uint64_t h = 0x9E3779B97F4A7C15ULL ^ n;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
		h ^= h >> 32;
	}
	uint64_t w = 0;
	memcpy(&w, s + i, n - i);
	h = (h ^ w) * 0xC4CEB9FE1A85EC53ULL;
	return h ^ (h >> 29);
}

/* The hash of the NUL-terminated s (borrowed). */
static inline uint64_t pb_hash_str(const char *s) { return pb_hash_bytes(s, strlen(s)); }

#endif
