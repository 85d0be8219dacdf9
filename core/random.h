/* random — cryptographically random strings and record ids.
 * Mirrors PocketBase's security.RandomString / RandomStringWithAlphabet (uniform choice of
 * each character from the CSPRNG) and the default record id form: 15 characters of
 * [a-z0-9], ours led by a time prefix (pb_random_id). Bytes come from OpenSSL's RAND_bytes; rejection sampling keeps every character
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

/* A new record id: PB_RECORD_ID_LEN characters of PB_ALPHABET_ID plus NUL, the form of
 * PocketBase's default id pattern [a-z0-9]{15}. The first PB_RECORD_ID_TIME_CHARS are a clock
 * in microseconds, base 36 with the digits in byte order ('0' < '9' < 'a' < 'z'), strictly
 * increasing across all threads of the process; the other characters are random. So ids
 * sort in creation order and a new row goes to the right edge of its primary-key index
 * instead of dirtying a random page of it (the insert cost at depth), and stay unique (the
 * prefix never repeats in a process; across restarts the clock has moved on) and
 * unguessable (a guess must hit the microsecond and 36^5 random tails). Returns 0 or -1 when
 * the RNG fails. Thread-safe. */
int pb_random_id(char out[PB_RECORD_ID_LEN + 1]);
/* The time characters of pb_random_id: 36^10 us is 115 years, increasing until 2085. */
#define PB_RECORD_ID_TIME_CHARS 10

#endif
