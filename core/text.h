/* text — small byte-string scanners several layers share: the value of a hex digit, %XX
 * unescaping as Go's net/url does it (QueryUnescape with '+' as a space, PathUnescape without;
 * strict: a '%' that does not start two hex digits is an error — or, lenient, kept as is), and
 * the items of a comma-separated list (flags such as --origins or --forwardAuthProxies). Pure
 * functions on (pointer, length) byte strings; they allocate nothing themselves. */
#ifndef POCKETC_CORE_TEXT_H
#define POCKETC_CORE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "core/strbuf.h"

/* 0..15 for an ASCII hex digit [0-9a-fA-F] (c as an unsigned char value, or a char that may be
 * negative), -1 for anything else. */
int pb_text_hex_value(int c);

/* pb_text_unescape flags */
#define PB_UNESCAPE_PLUS 1u    /* '+' decodes to ' ' (query strings, form bodies) */
#define PB_UNESCAPE_LENIENT 2u /* a malformed '%' escape is kept as is instead of failing */

/* True when every '%' of s[0..n) starts a %XX escape. */
bool pb_text_escapes_valid(const char *s, size_t n);

/* Decodes s[0..n) into out (at least n + 1 bytes; the result is never longer) and
 * NUL-terminates it. Returns the decoded length, or -1 on a malformed escape (strict mode;
 * out is then unspecified). */
ssize_t pb_text_unescape(const char *s, size_t n, unsigned flags, char *out);

/* pb_text_unescape appended to `out`. Returns 0, or -1 with out unchanged. */
int pb_text_unescape_append(const char *s, size_t n, unsigned flags, struct pb_strbuf *out);

/* The next item of the comma-separated list at *p (advanced past it): leading spaces and
 * commas are skipped, trailing spaces trimmed, empty items skipped. Returns true with *item
 * (borrowed, not NUL-terminated) and *len, or false at the end of the string. */
bool pb_text_list_next(const char **p, const char **item, size_t *len);

#endif
