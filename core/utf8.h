/* utf8 — UTF-8 decoding and encoding with Go's semantics (unicode/utf8).
 * Decoding follows utf8.DecodeRune: an invalid or truncated sequence (overlong forms,
 * surrogates, code points above U+10FFFF, bad continuation bytes) yields U+FFFD and
 * consumes exactly one byte, so every invalid byte becomes its own replacement character,
 * as Go's string → []rune conversion, json encoding and range loops do. */
#ifndef POCKETC_CORE_UTF8_H
#define POCKETC_CORE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PB_UTF8_REPLACEMENT 0xFFFDu

/* Decodes the rune at s[0..len) (len > 0; s borrowed) into *cp and returns the number of
 * bytes it takes (1..4). An invalid sequence gives *cp = U+FFFD and returns 1. */
size_t pb_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Encodes cp into out (4 bytes) and returns the length; surrogates and values above
 * U+10FFFF are encoded as U+FFFD, like Go's utf8.EncodeRune. */
size_t pb_utf8_encode(uint32_t cp, char out[4]);

/* Go's unicode.IsSpace: \t \n \v \f \r space U+0085 U+00A0 and the other White_Space runes
 * (U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000). */
bool pb_utf8_is_space(uint32_t cp);

/* strings.TrimSpace: shrinks [*s, *s + *len) to exclude leading and trailing runes for which
 * pb_utf8_is_space holds. The bytes are not copied. */
void pb_utf8_trim_space(const char **s, size_t *len);

/* Length (1–4) of the valid UTF-8 sequence at the start of s (len > 0), 0 if invalid. */
size_t pb_utf8_seq(const unsigned char *s, size_t len);
/* Whether all `len` bytes are valid UTF-8 (Go's utf8.Valid). */
bool pb_utf8_valid(const unsigned char *s, size_t len);

#endif
