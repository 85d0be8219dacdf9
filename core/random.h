/* random — cryptographically random strings and record ids.
 * Mirrors PocketBase's security.RandomString / RandomStringWithAlphabet (uniform choice of
 * each character from the CSPRNG) and the default record id form: 15 characters of
 * [a-z0-9]. Bytes come from OpenSSL's RAND_bytes; rejection sampling keeps every character
 * equally likely for any alphabet size. */
#ifndef POCKETC_CORE_RANDOM_H
#define POCKETC_CORE_RANDOM_H

#include <stddef.h>
#include <stdint.h>

/* [a-zA-Z0-9]: token secrets, tokenKey values, random passwords. */
#define PB_ALPHABET_ALNUM "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
/* [a-z0-9]: record ids. */
#define PB_ALPHABET_ID "abcdefghijklmnopqrstuvwxyz0123456789"

/* Length of a default record id. */
#define PB_RECORD_ID_LEN 15

/* Writes n characters drawn uniformly from the positions of `alphabet` (borrowed; a non-empty
 * NUL-terminated string of at most 256 bytes) to out, then a NUL (out must hold n + 1 bytes).
 * Returns 0, or -1 when the alphabet is NULL, empty or longer than 256 bytes or the RNG fails
 * (out then holds "" when out is non-NULL). */
int pb_random_string(char *out, size_t n, const char *alphabet);

/* Fills buf with n bytes from the CSPRNG (OpenSSL's DRBG: no system call per draw). Returns
 * 0 or -1. */
int pb_random_bytes(void *buf, size_t n);
/* A uniform random integer in [0, n) from the CSPRNG (n > 0; 0 for n <= 1). Aborts when the
 * RNG fails: nothing sensible can continue without one. */
uint64_t pb_random_below(uint64_t n);

/* A new record id: PB_RECORD_ID_LEN characters of PB_ALPHABET_ID plus NUL. Returns 0 or -1
 * when the RNG fails. */
int pb_random_id(char out[PB_RECORD_ID_LEN + 1]);

#endif
