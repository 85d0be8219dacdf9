/* rx — a small regular-expression matcher with Go RE2 semantics for fixed validator patterns.
 * PocketBase's validators (ozzo-validation's `is` rules built on govalidator, the rate-limit
 * label pattern, …) are Go `regexp` patterns evaluated with MatchString. This module accepts
 * the RE2 (Perl-flavoured) subset those patterns use — literals, `.`, classes with ranges and
 * negation, \d \D \s \S \w \W, \xHH and \x{HHHH}, escaped punctuation, groups `(…)` and `(?:…)`,
 * `|`, the quantifiers `*` `+` `?` `{n}` `{n,}` `{n,m}` (non-greedy forms accepted), and the
 * `^` / `$` text anchors — and answers "does the pattern match anywhere in the text" in linear
 * time (a Pike VM over runes; no backtracking). Like Go, invalid UTF-8 bytes in the text are
 * read as U+FFFD one byte at a time. Captures, flags and multi-line mode are not supported. */
#ifndef POCKETC_CORE_RX_H
#define POCKETC_CORE_RX_H

#include <stdbool.h>
#include <stddef.h>

struct pb_rx;

/* Compiles `pattern` (borrowed, UTF-8). Returns a program (caller frees with pb_rx_free) or
 * NULL when the pattern is malformed or uses syntax outside the supported subset. */
struct pb_rx *pb_rx_compile(const char *pattern);
void pb_rx_free(struct pb_rx *rx);

/* Go's Regexp.MatchString: true when the pattern matches some substring of s[0..len). */
bool pb_rx_match(const struct pb_rx *rx, const char *s, size_t len);

/* Compiles, matches once and frees. A pattern that does not compile gives false. */
bool pb_rx_match_once(const char *pattern, const char *s, size_t len);

/* Decodes one rune of s[0..len) (len > 0) like Go's utf8.DecodeRuneInString: an invalid or
 * truncated sequence gives U+FFFD with *size 1. */
unsigned pb_rx_decode_rune(const char *s, size_t len, size_t *size);

#endif
