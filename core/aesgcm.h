/* aesgcm — PocketBase's tools/security Encrypt/Decrypt: AES-GCM keyed with the raw bytes of a
 * key string (16, 24 or 32 bytes → AES-128/192/256; PocketBase documents 32), a random 12-byte
 * nonce, and the result written as standard padded base64 of nonce ‖ ciphertext ‖ 16-byte tag.
 * Used for the `_params` settings row when the app runs with --encryptionEnv. */
#ifndef POCKETC_CORE_AESGCM_H
#define POCKETC_CORE_AESGCM_H

#include <stddef.h>

#include "core/error.h"

#define PB_AESGCM_NONCE_LEN 12
#define PB_AESGCM_TAG_LEN 16

/* Encrypts data[0..len) with `key` (borrowed NUL-terminated string). Returns the base64 text
 * (malloc'ed, caller frees) or NULL with err set (500; "crypto/aes: invalid key size N" like
 * Go for a key of the wrong length). */
char *pb_aesgcm_encrypt(const void *data, size_t len, const char *key, struct pb_error *err);

/* Decrypts the base64 text `b64` (b64_len bytes; Go's StdEncoding: padding required, CR/LF
 * ignored). Returns the plaintext (malloc'ed with a NUL after *out_len bytes, caller frees) or
 * NULL with err set (500) for a bad key size, bad base64, short input or a failed tag check. */
unsigned char *pb_aesgcm_decrypt(const char *b64, size_t b64_len, const char *key, size_t *out_len,
                                 struct pb_error *err);

#endif
