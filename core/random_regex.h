/* random_regex — a random string that matches a regular expression.
 * Mirrors PocketBase's security.RandomStringByRegex (used for text `autogeneratePattern`,
 * e.g. the record id "[a-z0-9]{15}" and the auth tokenKey "[a-zA-Z0-9]{50}"): the pattern is
 * parsed with Go RE2 (Perl) syntax and walked with a crypto RNG. Supported: literals (incl.
 * escapes, \Q…\E, \x{…}), character classes with ranges and negation, \d \w \s (and negated
 * forms, inside and outside classes), POSIX [:classes:], `.` (one of [A-Za-z0-9]), groups
 * (capturing, (?:…), named, (?i) ASCII case folding), alternation, and the quantifiers
 * ?, *, +, {n}, {n,}, {n,m} (lazy forms too). Repetition follows PocketBase exactly: a count
 * is min + rand(max - min), i.e. the upper bound is exclusive, `?` therefore never emits,
 * and an unbounded max is 6. Anchors, word boundaries, Unicode \p classes and empty
 * alternatives/groups are errors, as they are for PocketBase. */
#ifndef POCKETC_CORE_RANDOM_REGEX_H
#define POCKETC_CORE_RANDOM_REGEX_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/* Generates a string matching `pattern` (borrowed). Returns a malloc'd NUL-terminated string
 * (caller frees) or NULL with `err` set (status 400, message describing why the pattern
 * cannot be used, e.g. "unsupported pattern operator"). */
char *pb_random_string_by_regex(const char *pattern, struct pb_error *err);

#endif
