/* html_internal — the pieces behind core/html.h: the tokenizer (html_tokenizer.c), the
 * character-reference decoder (html_entities.c) and the tree builder shared by html_tree.c
 * (nodes, stack, the phases before the body, the parse loop) and html_body.c (the body,
 * table and foreign-content rules). */
#ifndef POCKETC_CORE_HTML_INTERNAL_H
#define POCKETC_CORE_HTML_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/html.h"
#include "core/strbuf.h"

enum pb_html_tok {
	PB_HTML_TOK_EOF,     /* end of input (also an unterminated tag at the end, which is dropped) */
	PB_HTML_TOK_TEXT,    /* text: newlines normalised, references decoded unless raw */
	PB_HTML_TOK_START,   /* start tag; name lower-cased */
	PB_HTML_TOK_END,     /* end tag; name lower-cased */
	PB_HTML_TOK_COMMENT, /* comment, bogus comment or </> (no data kept) */
	PB_HTML_TOK_DOCTYPE, /* doctype (no data kept) */
};

struct pb_html_token {
	enum pb_html_tok type;
	struct pb_strbuf data; /* text, or the tag name; owned by the token */
	bool self_closing;     /* start tag written as <x/> */
	bool font_breakout;    /* start tag has a color, face or size attribute */
	bool raw;              /* text came from a raw-text/RCDATA/CDATA/plaintext section */
};

struct pb_html_tokenizer {
	const char *s; /* borrowed input */
	size_t len, pos;
	char raw_tag[16]; /* "" or the element whose raw text comes next ("script", …) */
	bool allow_cdata; /* <![CDATA[…]]> is text (set by the tree builder in foreign content) */
};

void pb_html_tokenizer_init(struct pb_html_tokenizer *z, const char *s, size_t len);
/* Reads the next token into `t` (its buffer is reused; init with PB_STRBUF_INIT fields). */
void pb_html_next(struct pb_html_tokenizer *z, struct pb_html_token *t);
/* Cancels the raw-text mode the last start tag switched on (foreign content). */
void pb_html_tokenizer_not_raw(struct pb_html_tokenizer *z);

/* Appends s[0..len) to out with character references decoded as x/net/html does in text
 * (not attribute values): numeric &#NN; / &#xNN; (with or without ';', C1 range mapped
 * through windows-1252, 0 / surrogates / > U+10FFFF → U+FFFD) and the named references of
 * a built-in table — every legacy name that may omit its ';' plus common ones — with the
 * longest-prefix rule for names written without ';'. Unknown references stay verbatim. */
void pb_html_unescape(struct pb_strbuf *out, const char *s, size_t len);

/* ---- tree builder ------------------------------------------------------------------------ */

struct hb_builder {
	struct pb_html_tokenizer z;
	struct pb_html_token tok;
	struct pb_html_node *doc, *html, *head, *body, *form; /* form: the open <form>, if any */
	struct pb_html_node **oe;                             /* stack of open elements; oe[0] is <html> */
	size_t noe, cap;
	bool in_body;     /* false while before the body */
	bool in_head;     /* the head was opened (by <head> or head content) */
	bool after_head;  /* </head> seen */
	bool frameset_ok; /* a <frameset> may still replace the body */
	bool frameset;    /* a <frameset> document: only <noframes> text counts */
	bool foster;      /* the current token is foster-parented out of a table */
	bool text_break;  /* a comment was seen: the next text starts a new node */
	bool overflow;    /* more than PB_HTML_MAX_OPEN open elements */
};

/* A NULL-terminated list of names for hb_in_set. */
#define HB_SET(...) ((const char *const[]){__VA_ARGS__, NULL})

enum hb_scope { HB_SCOPE_DEFAULT, HB_SCOPE_LIST_ITEM, HB_SCOPE_BUTTON, HB_SCOPE_TABLE };

bool hb_in_set(const char *name, const char *const *set);
bool hb_foreign(const struct pb_html_node *n);
/* An HTML-namespace element with this name. */
bool hb_is_html(const struct pb_html_node *n, const char *name);
/* The parser's "special" category (end tags of other elements stop there). */
bool hb_is_special(const struct pb_html_node *n);
struct pb_html_node *hb_top(const struct hb_builder *b);
/* Creates an element (a copy of `name`) under the current node — or before the table when
 * foster parenting — and pushes it when `open`. Returns the node (owned by the tree). */
struct pb_html_node *hb_insert(struct hb_builder *b, const char *name, enum pb_html_ns ns, bool open);
/* Adds text under the current node (or before the table), merging with adjacent text. */
void hb_insert_text(struct hb_builder *b, const char *s, size_t len);
/* Index of the topmost open HTML element named in `names` that is in scope `s`, or -1. */
long hb_in_scope(const struct hb_builder *b, enum hb_scope s, const char *const *names);
/* Pops up to and including the element hb_in_scope finds; false when there is none. */
bool hb_pop_until(struct hb_builder *b, enum hb_scope s, const char *const *names);
bool hb_stack_has(const struct hb_builder *b, const char *name);
/* Replaces the body (and what it held) with a <frameset>; later tokens go to the frameset
 * rules. */
void hb_start_frameset(struct hb_builder *b);
/* Processes the current token with the body rules (html_body.c). */
void hb_body_token(struct hb_builder *b);

#endif
