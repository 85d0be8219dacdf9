/* password — bcrypt hashing and verification of record passwords (libxcrypt).
 * Mirrors golang.org/x/crypto/bcrypt as PocketBase's password field uses it: hashes are
 * "$2a$<cost>$…" (60 chars), cost 4..31 (PocketBase's default 10), and only the first 72
 * bytes of a password count — longer inputs are refused like Go's ErrPasswordTooLong.
 * Both functions are slow by design (tens of milliseconds at cost 10): call them from a
 * blocking pool, never on an event loop. */
#ifndef POCKETC_CORE_PASSWORD_H
#define POCKETC_CORE_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

#define PB_BCRYPT_HASH_LEN 60
#define PB_BCRYPT_DEFAULT_COST 10
#define PB_BCRYPT_MAX_BYTES 72

/* Hashes `plain` (borrowed, NUL-terminated) with a fresh random salt at `cost` (<= 0 means
 * the default 10). Writes the hash into out (at least PB_BCRYPT_HASH_LEN + 1 bytes).
 * Returns 0, or -1 with `err` set (status 400 when the password exceeds 72 bytes or the cost is
 * out of range, 500 when libcrypt fails). */
int pb_password_hash(const char *plain, int cost, char *out, size_t cap, struct pb_error *err);

/* True when `plain` matches the bcrypt `hash` (any $2a$/$2b$/$2y$ hash; like Go only the first
 * 72 bytes of `plain` are compared). An empty or malformed hash never matches. */
bool pb_password_verify(const char *plain, const char *hash);

#endif
