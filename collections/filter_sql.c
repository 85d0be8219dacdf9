/* filter_sql — renders parsed filters to SQL, mirroring tools/search/filter.go of PocketBase
 * v0.39.11: operand resolution (macros first, then fields, falling back to the literals
 * null/true/false; texts and numbers — always REAL — as bound values), the operator table,
 * the NULL ≡ '' normalisation of = and != (IS / IS NOT / COALESCE forms), LIKE value
 * wrapping and escaping, the "all values" NOT EXISTS multi-match constraints of the plain
 * operators (many-vs-one and many-vs-many), the auth-email visibility guard, the flat
 * AND/OR list with PocketBase's parenthesisation, the 200-comparison limit, the list-rule
 * constraints of collections joined by a client filter, and the public pb_filter_to_sql. */
#include "collections/filter_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int fb_resolve_operand(struct fb_build *b, const struct pb_foperand *o, struct fb_operand *out)
{
	switch (o->kind) {
	case PB_FOPERAND_TEXT: fb_mark(&out->id, fb_param_text(b, o->lit, o->len)); return 0;
	case PB_FOPERAND_NUMBER: fb_mark(&out->id, fb_param_float(b, strtod(o->lit, NULL))); return 0;
	case PB_FOPERAND_FUNC: return fb_resolve_function(b, o, out);
	case PB_FOPERAND_IDENT: break;
	}
	if (fb_macro(b, o->lit, out))
		return 0;
	int rc = fb_resolve_identifier(b, o->lit, out);
	if (rc != 0 || out->id.len == 0) {
		static const char *const lits[][2] = {{"null", "NULL"}, {"true", "1"}, {"false", "0"}};
		for (size_t i = 0; i < 3; i++) {
			if (strcasecmp(o->lit, lits[i][0]) == 0) {
				fb_operand_deinit(out);
				pb_strbuf_puts(&out->id, lits[i][1]);
				if (rc != 0 && b->err)
					pb_error_clear(b->err);
				return 0;
			}
		}
		if (rc == 0)
			return pb_error_set(b->err, 400, "Invalid filter: invalid operand \"%s\".", o->lit);
	}
	return rc;
}

/* Operand view used while rendering one comparison. */
struct side {
	const char *id;
	enum fb_fallback fallback;
	bool opaque;
	size_t extra;
};

static size_t side_params(struct fb_build *b, const struct side *s, bool *has_empty)
{
	*has_empty = false;
	return (s->opaque ? 0 : fb_frag_params(b, s->id, has_empty)) + s->extra;
}

static bool is_empty_ident(const char *id)
{
	return id[0] == '\0' || strcasecmp(id, "null") == 0 || strcmp(id, "''") == 0 || strcmp(id, "\"\"") == 0 ||
	       strcmp(id, "``") == 0;
}

static bool known_non_empty(struct fb_build *b, const struct side *s)
{
	if (s->fallback == FB_ENFORCED)
		return false;
	if (strcmp(s->id, "1") == 0 || strcmp(s->id, "0") == 0 || strcasecmp(s->id, "true") == 0 ||
	    strcasecmp(s->id, "false") == 0)
		return true;
	bool empty;
	return side_params(b, s, &empty) > 0 && !empty && !is_empty_ident(s->id);
}

/* "a op b" (the common binary shape, without printf) */
static void put_binary(struct pb_strbuf *o, const char *a, const char *op, const char *b)
{
	pb_strbuf_puts(o, a);
	pb_strbuf_putc(o, ' ');
	pb_strbuf_puts(o, op);
	pb_strbuf_putc(o, ' ');
	pb_strbuf_puts(o, b);
}

static void equal_expr(struct fb_build *b, bool eq, const struct side *l, const struct side *r, struct pb_strbuf *o)
{
	const char *eq_op = eq ? "=" : "IS NOT", *null_eq = eq ? "IS" : "IS NOT";
	const char *concat = eq ? "OR" : "AND", *null_expr = eq ? "IS NULL" : "IS NOT NULL";
	if (l->fallback == FB_DISABLED || r->fallback == FB_DISABLED) {
		put_binary(o, l->id, null_eq, r->id);
		return;
	}
	bool le, re;
	size_t ln = side_params(b, l, &le), rn = side_params(b, r, &re);
	bool l_empty = is_empty_ident(l->id) || (l->fallback == FB_AUTO && ln == 1 && le);
	bool r_empty = is_empty_ident(r->id) || (r->fallback == FB_AUTO && rn == 1 && re);
	if (l_empty && r_empty) {
		pb_strbuf_printf(o, "'' %s ''", eq_op);
	} else if (known_non_empty(b, l) || known_non_empty(b, r)) {
		put_binary(o, l_empty ? "''" : l->id, eq_op, r_empty ? "''" : r->id);
	} else if (l_empty) {
		pb_strbuf_printf(o, "('' %s %s %s %s %s)", eq_op, r->id, concat, r->id, null_expr);
	} else if (r_empty) {
		pb_strbuf_printf(o, "(%s %s '' %s %s %s)", l->id, eq_op, concat, l->id, null_expr);
	} else {
		pb_strbuf_printf(o, "COALESCE(%s, '') %s COALESCE(%s, '')", l->id, eq_op, r->id);
	}
}

/* containsUnescapedChar(s, '%'): a '%' not preceded by a (non-escaped) backslash. */
static bool has_unescaped_percent(const char *s, size_t n)
{
	char prev = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%' && prev != '\\')
			return true;
		prev = (c == '\\' && prev == '\\') ? 0 : c;
	}
	return false;
}

/* escapeUnescapedChars(s, '\\', '%', '_') — scans from the end, escaping each special char
 * not already preceded by a backslash — then wraps the result as %…%. */
static void like_wrap(struct fb_param *p)
{
	char buf[400];
	const char *s;
	size_t n;
	if (p->kind == PB_BIND_TEXT) {
		s = p->text;
		n = p->len;
	} else if (p->kind == PB_BIND_FLOAT) {
		fb_format_float(p->f, buf, sizeof buf);
		s = buf;
		n = strlen(buf);
	} else if (p->kind == PB_BIND_INT) {
		snprintf(buf, sizeof buf, "%lld", (long long)p->i);
		s = buf;
		n = strlen(buf);
	} else {
		s = "";
		n = 0;
	}
	if (has_unescaped_percent(s, n)) {
		if (p->kind != PB_BIND_TEXT) {
			char *t = strndup(s, n);
			p->kind = PB_BIND_TEXT;
			p->text = t;
			p->len = n;
		}
		return;
	}
	/* reversed build */
	char *rev = malloc(2 * n + 3), *out;
	if (!rev)
		abort();
	size_t k = 0;
	bool match = false;
	for (size_t j = n; j-- > 0;) {
		char c = s[j];
		if (match) {
			if (c != '\\')
				rev[k++] = '\\';
			match = false;
		} else {
			match = c == '\\' || c == '%' || c == '_';
		}
		rev[k++] = c;
		if (j == 0 && match)
			rev[k++] = '\\';
	}
	out = malloc(k + 3);
	if (!out)
		abort();
	out[0] = '%';
	for (size_t j = 0; j < k; j++)
		out[1 + j] = rev[k - 1 - j];
	out[k + 1] = '%';
	out[k + 2] = '\0';
	free(rev);
	free(p->text);
	p->kind = PB_BIND_TEXT;
	p->text = out;
	p->len = k + 2;
}

static const char *const op_sql[] = {"=", "IS NOT", ">", ">=", "<", "<=", "LIKE", "NOT LIKE"};

/* buildResolversExpr without the multi-match/guard wrappers. */
static void basic_expr(struct fb_build *b, const struct side *l, enum pb_fop op, const struct side *r,
                       struct pb_strbuf *o)
{
	switch (op) {
	case PB_FOP_EQ: equal_expr(b, true, l, r, o); return;
	case PB_FOP_NEQ: equal_expr(b, false, l, r, o); return;
	case PB_FOP_LIKE:
	case PB_FOP_NLIKE: {
		bool empty;
		if (side_params(b, r, &empty) == 0) {
			pb_strbuf_printf(o, "%s %s ('%%' || %s || '%%') ESCAPE '\\'", l->id, op_sql[op], r->id);
		} else {
			fb_frag_each_param(b, r->id, like_wrap);
			pb_strbuf_printf(o, "%s %s %s ESCAPE '\\'", l->id, op_sql[op], r->id);
		}
		return;
	}
	default: put_binary(o, l->id, op_sql[op], r->id); return;
	}
}

static struct side side_of(const struct fb_operand *x)
{
	struct side s = {pb_strbuf_cstr(&x->id), x->fallback, x->opaque, x->extra_params};
	return s;
}

static void many_vs_one(struct fb_build *b, const struct fb_operand *multi, const struct fb_operand *other,
                        enum pb_fop op, bool inverse, struct pb_strbuf *o)
{
	char alias[32], value[64];
	snprintf(alias, sizeof alias, "__sm%u", ++*b->alias_seq);
	snprintf(value, sizeof value, "`%s`.`multiMatchValue`", alias);
	struct side r1 = {value, multi->fallback, false, 0};
	struct side r2 = {pb_strbuf_cstr(&other->id), FB_AUTO, other->opaque, other->extra_params};
	struct pb_strbuf sub = PB_STRBUF_INIT, where = PB_STRBUF_INIT;
	fb_mm_sql(&multi->mm, &sub);
	if (inverse)
		basic_expr(b, &r2, op, &r1, &where);
	else
		basic_expr(b, &r1, op, &r2, &where);
	pb_strbuf_printf(o, "NOT EXISTS (SELECT 1 FROM (%s) `%s` WHERE NOT (%s))", pb_strbuf_cstr(&sub), alias,
	                 pb_strbuf_cstr(&where));
	pb_strbuf_deinit(&sub);
	pb_strbuf_deinit(&where);
}

static void many_vs_many(struct fb_build *b, const struct fb_operand *l, const struct fb_operand *r, enum pb_fop op,
                         struct pb_strbuf *o)
{
	unsigned seq = ++*b->alias_seq;
	char la[32], ra[32], lv[64], rv[64];
	snprintf(la, sizeof la, "__ml%u", seq);
	snprintf(ra, sizeof ra, "__mr%u", seq);
	snprintf(lv, sizeof lv, "`%s`.`multiMatchValue`", la);
	snprintf(rv, sizeof rv, "`%s`.`multiMatchValue`", ra);
	struct side s1 = {lv, l->fallback, false, 0}, s2 = {rv, r->fallback, false, 0};
	struct pb_strbuf subl = PB_STRBUF_INIT, subr = PB_STRBUF_INIT, where = PB_STRBUF_INIT;
	fb_mm_sql(&l->mm, &subl);
	fb_mm_sql(&r->mm, &subr);
	basic_expr(b, &s1, op, &s2, &where);
	pb_strbuf_printf(o, "NOT EXISTS (SELECT 1 FROM (%s) `%s` LEFT JOIN (%s) `%s` WHERE NOT (%s))",
	                 pb_strbuf_cstr(&subl), la, pb_strbuf_cstr(&subr), ra, pb_strbuf_cstr(&where));
	pb_strbuf_deinit(&subl);
	pb_strbuf_deinit(&subr);
	pb_strbuf_deinit(&where);
}

/* expr := ((expr) AND (extra)) */
static void and_wrap(struct pb_strbuf *expr, const char *extra)
{
	char *e = pb_strbuf_steal(expr);
	pb_strbuf_printf(expr, "((%s) AND (%s))", e, extra);
	free(e);
}

static void email_guard(struct pb_strbuf *expr, const char *alias)
{
	struct pb_strbuf g = PB_STRBUF_INIT;
	fb_col(&g, alias, "emailVisibility");
	pb_strbuf_puts(&g, " = TRUE");
	and_wrap(expr, pb_strbuf_cstr(&g));
	pb_strbuf_deinit(&g);
}

static int build_comparison(struct fb_build *b, const struct pb_fitem *it, struct pb_strbuf *o)
{
	struct fb_operand l, r;
	fb_operand_init(&l);
	fb_operand_init(&r);
	int rc = -1;
	if (fb_resolve_operand(b, &it->left, &l) != 0)
		goto done;
	if (fb_resolve_operand(b, &it->right, &r) != 0)
		goto done;
	struct side ls = side_of(&l), rs = side_of(&r);
	struct pb_strbuf expr = PB_STRBUF_INIT, mm = PB_STRBUF_INIT;
	basic_expr(b, &ls, it->op, &rs, &expr);
	if (!it->any) {
		if (l.mm.active && r.mm.active)
			many_vs_many(b, &l, &r, it->op, &mm);
		else if (l.mm.active)
			many_vs_one(b, &l, &r, it->op, false, &mm);
		else if (r.mm.active)
			many_vs_one(b, &r, &l, it->op, true, &mm);
		if (mm.len)
			and_wrap(&expr, pb_strbuf_cstr(&mm));
	}
	if (l.email_guard)
		email_guard(&expr, l.email_guard);
	if (r.email_guard)
		email_guard(&expr, r.email_guard);
	pb_strbuf_append(o, expr.data ? expr.data : "", expr.len);
	pb_strbuf_deinit(&expr);
	pb_strbuf_deinit(&mm);
	rc = 0;
done:
	fb_operand_deinit(&l);
	fb_operand_deinit(&r);
	return rc;
}

static bool has_and_or(const char *s)
{
	for (const char *p = s; *p; p++) {
		if (*p != ' ')
			continue;
		if ((toupper((unsigned char)p[1]) == 'A' && toupper((unsigned char)p[2]) == 'N' &&
		     toupper((unsigned char)p[3]) == 'D' && p[4] == ' ') ||
		    (toupper((unsigned char)p[1]) == 'O' && toupper((unsigned char)p[2]) == 'R' && p[3] == ' '))
			return true;
	}
	return false;
}

static int build_list(struct fb_build *b, const struct pb_flist *l, struct pb_strbuf *o, int *budget)
{
	struct pb_strbuf acc = PB_STRBUF_INIT, part = PB_STRBUF_INIT;
	size_t nparts = 0;
	int rc = 0;
	if (l->n == 0) {
		rc = pb_error_set(b->err, 400, "Invalid filter: empty filter expression.");
		goto done;
	}
	for (size_t i = 0; i < l->n; i++) {
		const struct pb_fitem *it = &l->items[i];
		pb_strbuf_reset(&part);
		if (it->is_group) {
			rc = build_list(b, it->group, &part, budget);
		} else if (*budget <= 0) {
			rc = pb_error_set(b->err, 400, "Invalid filter: max filter expressions limit reached.");
		} else {
			(*budget)--;
			rc = build_comparison(b, it, &part);
		}
		if (rc != 0)
			goto done;
		if (part.len == 0)
			continue;
		if (nparts)
			pb_strbuf_puts(&acc, it->join_or ? " OR " : " AND ");
		pb_strbuf_append(&acc, part.data, part.len);
		nparts++;
	}
	if (nparts == 1 && !has_and_or(pb_strbuf_cstr(&acc))) {
		pb_strbuf_append(o, acc.data, acc.len);
	} else if (nparts) {
		pb_strbuf_putc(o, '(');
		pb_strbuf_append(o, acc.data, acc.len);
		pb_strbuf_putc(o, ')');
	}
done:
	pb_strbuf_deinit(&acc);
	pb_strbuf_deinit(&part);
	return rc;
}

int fb_build_string(struct fb_build *b, const char *src, size_t len, struct pb_strbuf *out, int *budget)
{
	struct pb_flist list;
	if (pb_filter_parse(src, len, &list, b->err) != 0)
		return -1;
	int rc = build_list(b, &list, out, budget);
	pb_flist_free(&list);
	return rc;
}

int fb_rule_constraints(struct fb_build *b, struct pb_strbuf *out)
{
	for (size_t i = 0; i < b->nrule_joins; i++) {
		const struct fb_rule_join *j = &b->rule_joins[i];
		char suffix[32];
		snprintf(suffix, sizeof suffix, "_lr%u", ++*b->alias_seq);
		struct fb_build sub;
		fb_init(&sub, b->ctx, j->collection, j->alias, true, b->alias_seq, b->err);
		sub.join_suffix = suffix;
		struct pb_strbuf src = PB_STRBUF_INIT, frag = PB_STRBUF_INIT;
		pb_strbuf_printf(&src, "id='' || (\n%s\n)", j->collection->rules[PB_RULE_LIST]);
		int budget = PB_FILTER_MAX_EXPRESSIONS;
		int rc = fb_build_string(&sub, src.data, src.len, &frag, &budget);
		if (rc == 0) {
			if (out->len)
				pb_strbuf_puts(out, " AND ");
			pb_strbuf_putc(out, '(');
			fb_materialize(&sub, frag.data ? frag.data : "", frag.len, out);
			pb_strbuf_putc(out, ')');
		}
		pb_strbuf_deinit(&src);
		pb_strbuf_deinit(&frag);
		fb_deinit(&sub);
		if (rc != 0)
			return -1;
	}
	return 0;
}

static int filter_to_sql(const struct pb_filter_ctx *ctx, const char *const *fields, const char *expr,
                         struct pb_strbuf *out, struct pb_error *err)
{
	if (!ctx || !ctx->collection || !ctx->query || !expr)
		return pb_error_set(err, 400, "Invalid filter: missing context.");
	unsigned seq = 0;
	struct fb_build b;
	fb_init(&b, ctx, ctx->collection, ctx->collection->name, ctx->allow_hidden && !ctx->client_filter, &seq, err);
	b.simple_fields = fields;
	struct pb_strbuf frag = PB_STRBUF_INIT, cons = PB_STRBUF_INIT;
	int budget = PB_FILTER_MAX_EXPRESSIONS;
	int rc = fb_build_string(&b, expr, strlen(expr), &frag, &budget);
	if (rc == 0) {
		struct pb_strbuf sql = PB_STRBUF_INIT;
		fb_materialize(&b, frag.data ? frag.data : "", frag.len, &sql);
		rc = fb_rule_constraints(&b, &cons);
		if (rc == 0 && cons.len)
			pb_strbuf_printf(out, "(%s) AND %s", pb_strbuf_cstr(&sql), pb_strbuf_cstr(&cons));
		else if (rc == 0)
			pb_strbuf_append(out, sql.data ? sql.data : "", sql.len);
		pb_strbuf_deinit(&sql);
	}
	pb_strbuf_deinit(&frag);
	pb_strbuf_deinit(&cons);
	fb_deinit(&b);
	return rc;
}

int pb_filter_to_sql_uncached(const struct pb_filter_ctx *ctx, const char *expr, struct pb_strbuf *out,
                              struct pb_error *err)
{
	return filter_to_sql(ctx, NULL, expr, out, err);
}

int pb_filter_to_sql(const struct pb_filter_ctx *ctx, const char *expr, struct pb_strbuf *out, struct pb_error *err)
{
	if (ctx && ctx->cache && !ctx->trace)
		return pb_filter_cache_to_sql(ctx->cache, ctx, expr, out, err);
	return filter_to_sql(ctx, NULL, expr, out, err);
}

int pb_filter_to_sql_fields(const struct pb_filter_ctx *ctx, const char *const *fields, const char *expr,
                            struct pb_strbuf *out, struct pb_error *err)
{
	if (!fields)
		return pb_error_set(err, 400, "Invalid filter: missing context.");
	return filter_to_sql(ctx, fields, expr, out, err);
}
