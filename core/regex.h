/* regex — matching a value against a user pattern (PCRE2).
 * PocketBase validates text/password `pattern` options with Go's regexp (RE2 syntax,
 * unanchored unless the pattern anchors, UTF-8 aware). RE2 syntax is a subset of PCRE2, so the
 * pattern is compiled with PCRE2 in UTF mode with Go-like options: `$` matches only at the very
 * end (PCRE2_DOLLAR_ENDONLY, as Go without (?m)), invalid UTF-8 in the subject is tolerated
 * (PCRE2_MATCH_INVALID_UTF), \d \w \s \b stay ASCII like Go. Patterns are compiled per call:
 * no cache (schema snapshots own nothing mutable). */
#ifndef POCKETC_CORE_REGEX_H
#define POCKETC_CORE_REGEX_H

#include <stddef.h>

/* 1 when `subject` (len bytes) contains a match of `pattern`, 0 when not, -1 when the
 * pattern does not compile. Both borrowed. */
int pb_regex_match(const char *pattern, const char *subject, size_t len);

/* Go's Regexp.FindStringSubmatchIndex for a fixed pattern: the leftmost-first match of
 * `pattern` in subject[start..len) (backtracking, which picks the same match as Go's RE2 for
 * the patterns PocketBase uses). On a match returns the number of groups filled (≥ 1) and
 * writes byte offsets into ovec: ovec[2i], ovec[2i+1] for group i (0 = whole match), (size_t)-1
 * for a group that did not take part; `ngroups` is the capacity in pairs. Returns 0 when there
 * is no match (or the match limit is hit), -1 when the pattern does not compile. */
int pb_regex_submatch(const char *pattern, const char *subject, size_t len, size_t start, size_t *ovec,
                      int ngroups);

/* 0 when `pattern` compiles, -1 otherwise (the message is written to msg, cap bytes). */
int pb_regex_check(const char *pattern, char *msg, size_t cap);

#endif
