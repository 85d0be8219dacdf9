/* filter_lexer — the tokenizer of PocketBase's filter language (the fexpr scanner).
 * Splits a filter string into identifiers, function names, quoted texts, numbers, the 16
 * comparison signs, the `&&`/`||` joins, parentheses and commas, skipping whitespace and
 * `//` comments. Quoted texts are unescaped as PocketBase v0.39 (fexpr v0.6) does for the
 * JS SDK's JSON-quoted strings: `\" \' \\ \/ \n \r \t \b \f \uXXXX` are decoded, any other
 * backslash pair is kept verbatim so LIKE escapes such as '50\%' survive. */
#ifndef POCKETC_COLLECTIONS_FILTER_LEXER_H
#define POCKETC_COLLECTIONS_FILTER_LEXER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

enum pb_flex_kind {
	PB_FLEX_EOF = 0,
	PB_FLEX_IDENT,  /* field path, macro or literal word (null/true/false) */
	PB_FLEX_FUNC,   /* identifier immediately followed by '(' (the '(' is consumed) */
	PB_FLEX_TEXT,   /* quoted text, unescaped */
	PB_FLEX_NUMBER, /* decimal number as written */
	PB_FLEX_SIGN,   /* comparison operator: see op/any */
	PB_FLEX_JOIN,   /* && or ||: see join_or */
	PB_FLEX_LPAREN,
	PB_FLEX_RPAREN,
	PB_FLEX_COMMA,
};

enum pb_fop { PB_FOP_EQ, PB_FOP_NEQ, PB_FOP_GT, PB_FOP_GTE, PB_FOP_LT, PB_FOP_LTE, PB_FOP_LIKE, PB_FOP_NLIKE };

struct pb_flex_token {
	enum pb_flex_kind kind;
	char *text;      /* owned (NUL-terminated, may contain NULs for TEXT): literal / decoded text */
	size_t len;
	enum pb_fop op;  /* PB_FLEX_SIGN */
	bool any;        /* PB_FLEX_SIGN: the `?` any-of variant */
	bool join_or;    /* PB_FLEX_JOIN: true for ||, false for && */
};

struct pb_flexer {
	const char *src; /* borrowed */
	size_t len;
	size_t pos;
};

void pb_flexer_init(struct pb_flexer *lx, const char *src, size_t len);
/* Reads the next token into `tok` (its text is newly allocated: free with
 * pb_flex_token_clear). Returns 0 (PB_FLEX_EOF at the end) or -1 with err (400). */
int pb_flexer_next(struct pb_flexer *lx, struct pb_flex_token *tok, struct pb_error *err);
/* Frees the token's text and zeroes it. */
void pb_flex_token_clear(struct pb_flex_token *tok);

#endif
