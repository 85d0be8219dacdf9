/* filter_parser — recursive-descent parser of the filter language (see filter_parser.h).
 * Mirrors fexpr.Parse as used by PocketBase v0.39.11: `item (join item)*`, groups must not
 * be empty, no bare operands, functions with an optional single trailing comma. */
#include "collections/filter_parser.h"

#include <stdlib.h>
#include <string.h>

struct parser {
	struct pb_flexer lx;
	struct pb_flex_token tok; /* current look-ahead token */
	struct pb_error *err;
};

static int advance(struct parser *p)
{
	pb_flex_token_clear(&p->tok);
	return pb_flexer_next(&p->lx, &p->tok, p->err);
}

static int syntax_error(struct parser *p, const char *what)
{
	return pb_error_set(p->err, 400, "Invalid filter: %s at position %zu.", what, p->lx.pos);
}

static void operand_free(struct pb_foperand *o)
{
	for (size_t i = 0; i < o->nargs; i++)
		operand_free(&o->args[i]);
	free(o->args);
	free(o->lit);
	memset(o, 0, sizeof *o);
}

void pb_flist_free(struct pb_flist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct pb_fitem *it = &l->items[i];
		if (it->group) {
			pb_flist_free(it->group);
			free(it->group);
		}
		operand_free(&it->left);
		operand_free(&it->right);
	}
	free(l->items);
	memset(l, 0, sizeof *l);
}

static int parse_operand(struct parser *p, struct pb_foperand *o, int depth);

/* Steals the current token's text into o. */
static void take_lit(struct parser *p, struct pb_foperand *o)
{
	o->lit = p->tok.text;
	o->len = p->tok.len;
	p->tok.text = NULL;
}

static int parse_function(struct parser *p, struct pb_foperand *o, int depth)
{
	if (depth >= PB_FILTER_MAX_FUNC_DEPTH)
		return syntax_error(p, "too many nested function calls");
	o->kind = PB_FOPERAND_FUNC;
	take_lit(p, o);
	if (advance(p) != 0)
		return -1;
	size_t cap = 0;
	for (;;) {
		if (p->tok.kind == PB_FLEX_RPAREN)
			return advance(p);
		if (o->nargs == cap) {
			cap = cap ? cap * 2 : 4;
			struct pb_foperand *na = realloc(o->args, cap * sizeof *na);
			if (!na)
				abort();
			o->args = na;
		}
		memset(&o->args[o->nargs], 0, sizeof o->args[0]);
		o->nargs++;
		if (parse_operand(p, &o->args[o->nargs - 1], depth + 1) != 0)
			return -1;
		if (p->tok.kind == PB_FLEX_COMMA) {
			if (advance(p) != 0)
				return -1;
			if (p->tok.kind == PB_FLEX_COMMA)
				return syntax_error(p, "unexpected comma");
		} else if (p->tok.kind != PB_FLEX_RPAREN) {
			return syntax_error(p, "expected ',' or ')' in function arguments");
		}
	}
}

static int parse_operand(struct parser *p, struct pb_foperand *o, int depth)
{
	switch (p->tok.kind) {
	case PB_FLEX_IDENT: o->kind = PB_FOPERAND_IDENT; break;
	case PB_FLEX_TEXT: o->kind = PB_FOPERAND_TEXT; break;
	case PB_FLEX_NUMBER: o->kind = PB_FOPERAND_NUMBER; break;
	case PB_FLEX_FUNC: return parse_function(p, o, depth);
	default: return syntax_error(p, "expected an operand");
	}
	take_lit(p, o);
	return advance(p);
}

static int parse_list(struct parser *p, struct pb_flist *l, int depth);

static struct pb_fitem *new_item(struct pb_flist *l)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 4;
		struct pb_fitem *ni = realloc(l->items, l->cap * sizeof *ni);
		if (!ni)
			abort();
		l->items = ni;
	}
	struct pb_fitem *it = &l->items[l->n++];
	memset(it, 0, sizeof *it);
	return it;
}

static int parse_item(struct parser *p, struct pb_fitem *it, int depth)
{
	if (p->tok.kind == PB_FLEX_LPAREN) {
		if (depth >= PB_FILTER_MAX_GROUP_DEPTH)
			return syntax_error(p, "too deeply nested groups");
		if (advance(p) != 0)
			return -1;
		if (p->tok.kind == PB_FLEX_RPAREN)
			return syntax_error(p, "empty group");
		it->is_group = true;
		it->group = calloc(1, sizeof *it->group);
		if (!it->group)
			abort();
		if (parse_list(p, it->group, depth + 1) != 0)
			return -1;
		if (p->tok.kind != PB_FLEX_RPAREN)
			return syntax_error(p, "unbalanced parenthesis");
		return advance(p);
	}
	if (parse_operand(p, &it->left, 0) != 0)
		return -1;
	if (p->tok.kind != PB_FLEX_SIGN)
		return syntax_error(p, "expected a comparison operator");
	it->op = p->tok.op;
	it->any = p->tok.any;
	if (advance(p) != 0)
		return -1;
	return parse_operand(p, &it->right, 0);
}

static int parse_list(struct parser *p, struct pb_flist *l, int depth)
{
	bool join_or = false;
	for (;;) {
		struct pb_fitem *it = new_item(l);
		it->join_or = join_or;
		if (parse_item(p, it, depth) != 0)
			return -1;
		if (p->tok.kind != PB_FLEX_JOIN)
			return 0;
		join_or = p->tok.join_or;
		if (advance(p) != 0)
			return -1;
	}
}

int pb_filter_parse(const char *src, size_t len, struct pb_flist *out, struct pb_error *err)
{
	struct parser p;
	memset(&p, 0, sizeof p);
	memset(out, 0, sizeof *out);
	p.err = err;
	pb_flexer_init(&p.lx, src, len);
	if (advance(&p) != 0)
		goto fail;
	if (p.tok.kind == PB_FLEX_EOF) {
		pb_error_set(err, 400, "Invalid filter: empty filter expression.");
		goto fail;
	}
	if (parse_list(&p, out, 0) != 0)
		goto fail;
	if (p.tok.kind != PB_FLEX_EOF) {
		syntax_error(&p, p.tok.kind == PB_FLEX_RPAREN ? "unbalanced parenthesis" : "unexpected token");
		goto fail;
	}
	pb_flex_token_clear(&p.tok);
	return 0;
fail:
	pb_flex_token_clear(&p.tok);
	pb_flist_free(out);
	return -1;
}
