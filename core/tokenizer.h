/* tokenizer — PocketBase's tools/tokenizer: splits text into trimmed tokens at separator
 * characters while respecting quotes ('…', "…", `…`, a backslash escaping the next quote or
 * parenthesis) and parenthesised groups. Used for the `fields` picker and its modifiers
 * (and the same splitting PocketBase applies to view SELECT columns and index columns).
 * Input is read as runes: invalid UTF-8 bytes become U+FFFD in the tokens, as Go does. */
#ifndef POCKETC_CORE_TOKENIZER_H
#define POCKETC_CORE_TOKENIZER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

struct pb_tokenizer_opts {
	const char *separators; /* ASCII separator characters; NULL means "," */
	bool keep_separator;    /* keep the separator at the end of its token */
	bool keep_empty;        /* keep empty tokens (skipped by default) */
	bool ignore_parens;     /* treat ( and ) as ordinary characters */
};

/* Splits `s` (borrowed, NUL-terminated; NULL is ""). Each token is trimmed of the whitespace
 * runes \t \n \v \f \r space U+0085 U+00A0 that are not separators. Returns a NULL-terminated
 * array of malloc'd strings (free with pb_tokens_free) and its length in *count (may be
 * NULL), or NULL with err set (status 400, "unbalanced parenthesis or quoted expression: …")
 * when a quote or parenthesis is left open. `o` may be NULL for the defaults. */
char **pb_tokenize(const char *s, const struct pb_tokenizer_opts *o, size_t *count, struct pb_error *err);

/* Frees an array returned by pb_tokenize (NULL is a no-op). */
void pb_tokens_free(char **tokens);

#endif
