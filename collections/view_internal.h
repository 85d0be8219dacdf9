/* view_internal — the raw SELECT identifiers parser shared by view_infer.c (field inference,
 * id normalization). Mirrors identifiersParser of core/view.go. Not a public header. */
#ifndef POCKETC_COLLECTIONS_VIEW_INTERNAL_H
#define POCKETC_COLLECTIONS_VIEW_INTERNAL_H

#include <stddef.h>

#include "core/error.h"

struct pb_view_ident {
	char *original; /* owned: the expression, identifier quotes trimmed per dot part */
	char *alias;    /* owned: the alias (or the last dot part), quotes (incl. ') trimmed */
};

struct pb_view_idents {
	struct pb_view_ident *columns; /* the select list */
	size_t ncolumns;
	struct pb_view_ident *tables;  /* FROM items, then JOIN items */
	size_t ntables;
};

/* strings.Trim(strings.TrimSpace(query), ";"): surrounding white space, then semicolons,
 * removed (NULL reads as ""). Newly allocated; caller frees. */
char *pb_view_trim_query(const char *query);

/* Parses a SELECT the way PocketBase does (comments stripped, JOIN / WHERE…LIMIT boundaries
 * replaced by markers, tokens split on , space \n \t outside quotes and parentheses). Returns 0
 * or -1 with err (status 400, PocketBase's message). Free with pb_view_idents_free. */
int pb_view_idents_parse(const char *query, struct pb_view_idents *out, struct pb_error *err);
void pb_view_idents_free(struct pb_view_idents *p);

#endif
