/* utf8 — UTF-8 validation with Go's unicode/utf8 rules (the ones PocketBase's JSON handling
 * and mimetype's charset detection apply): shortest forms only, no surrogates, at most
 * U+10FFFF; anything else is an invalid byte that Go decodes as U+FFFD of width 1. */
#ifndef POCKETC_CORE_UTF8_H
#define POCKETC_CORE_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Length (1–4) of the valid UTF-8 sequence at the start of s (len > 0), 0 if invalid. */
size_t pb_utf8_seq(const unsigned char *s, size_t len);
/* Whether all `len` bytes are valid UTF-8 (Go's utf8.Valid). */
bool pb_utf8_valid(const unsigned char *s, size_t len);

#endif
