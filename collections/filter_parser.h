/* filter_parser — builds the syntax tree of a filter string (fexpr's Parse).
 * A filter is a flat list of items, each either `operand SIGN operand` or a parenthesised
 * group, every item after the first carrying the join (&& / ||) that precedes it. There is
 * no precedence tree: like PocketBase the list is later emitted as flat SQL, so SQL's own
 * AND-over-OR precedence applies. Operands are identifiers, texts, numbers or function
 * calls (`name(arg, …)`, nesting at most 3 levels). */
#ifndef POCKETC_COLLECTIONS_FILTER_PARSER_H
#define POCKETC_COLLECTIONS_FILTER_PARSER_H

#include <stdbool.h>
#include <stddef.h>

#include "collections/filter_lexer.h"
#include "core/error.h"

enum pb_foperand_kind { PB_FOPERAND_IDENT, PB_FOPERAND_TEXT, PB_FOPERAND_NUMBER, PB_FOPERAND_FUNC };

struct pb_foperand {
	enum pb_foperand_kind kind;
	char *lit;                 /* owned: identifier / decoded text / number literal / function name */
	size_t len;
	struct pb_foperand *args;  /* owned array (functions only) */
	size_t nargs;
};

struct pb_flist;

struct pb_fitem {
	bool join_or;              /* join before this item (ignored for the first) */
	bool is_group;
	struct pb_flist *group;    /* owned, when is_group */
	struct pb_foperand left, right;
	enum pb_fop op;
	bool any;
};

struct pb_flist {
	struct pb_fitem *items;    /* owned */
	size_t n, cap;
};

#define PB_FILTER_MAX_GROUP_DEPTH 64
#define PB_FILTER_MAX_FUNC_DEPTH 3

/* Parses `src` (len bytes) into `out` (initialised by the call). Returns 0, or -1 with err
 * (400) on any syntax error, including an empty filter. On failure `out` is left empty.
 * Free a successful result with pb_flist_free. */
int pb_filter_parse(const char *src, size_t len, struct pb_flist *out, struct pb_error *err);
/* Frees everything owned by `l` (not `l` itself). */
void pb_flist_free(struct pb_flist *l);

#endif
