/* filter_frag — building blocks shared by the filter modules: the pending-parameter table,
 * SQL fragments with value markers, join registration (PocketBase's registerJoin, including
 * the client-filter list-rule checks of joined collections) and the JSON helper expressions
 * of PocketBase's tools/dbutils (json_each / json_array_length / JSON_EXTRACT wrappers). */
#include "collections/filter_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json_write.h"

void fb_init(struct fb_build *b, const struct pb_filter_ctx *ctx, const struct pb_collection *base,
             const char *base_alias, bool allow_hidden, unsigned *alias_seq, struct pb_error *err)
{
	memset(b, 0, sizeof *b);
	b->ctx = ctx;
	b->err = err;
	b->base = base;
	b->base_alias = base_alias;
	b->join_suffix = "";
	b->allow_hidden = allow_hidden;
	b->alias_seq = alias_seq;
}

void fb_deinit(struct fb_build *b)
{
	for (size_t i = 0; i < b->nparams; i++)
		free(b->params[i].text);
	free(b->params);
	for (size_t i = 0; i < b->nrule_joins; i++)
		free(b->rule_joins[i].alias);
	free(b->rule_joins);
	b->params = NULL;
	b->rule_joins = NULL;
	b->nparams = b->nrule_joins = 0;
}

static struct fb_param *new_param(struct fb_build *b, size_t *idx)
{
	if (b->nparams == b->params_cap) {
		b->params_cap = b->params_cap ? b->params_cap * 2 : 16;
		struct fb_param *np = realloc(b->params, b->params_cap * sizeof *np);
		if (!np)
			abort();
		b->params = np;
	}
	*idx = b->nparams;
	struct fb_param *p = &b->params[b->nparams++];
	memset(p, 0, sizeof *p);
	return p;
}

size_t fb_param_text(struct fb_build *b, const char *s, size_t len)
{
	size_t idx;
	struct fb_param *p = new_param(b, &idx);
	p->kind = PB_BIND_TEXT;
	p->text = malloc(len + 1);
	if (!p->text)
		abort();
	if (len)
		memcpy(p->text, s, len);
	p->text[len] = '\0';
	p->len = len;
	return idx;
}

size_t fb_param_float(struct fb_build *b, double v)
{
	size_t idx;
	struct fb_param *p = new_param(b, &idx);
	p->kind = PB_BIND_FLOAT;
	p->f = v;
	return idx;
}

size_t fb_param_int(struct fb_build *b, int64_t v)
{
	size_t idx;
	struct fb_param *p = new_param(b, &idx);
	p->kind = PB_BIND_INT;
	p->i = v;
	return idx;
}

void fb_mark(struct pb_strbuf *frag, size_t idx)
{
	pb_strbuf_putc(frag, FB_MARK_START);
	pb_strbuf_put_uint(frag, idx);
	pb_strbuf_putc(frag, FB_MARK_END);
}

/* Parses a marker at s (s[0] == FB_MARK_START); returns its length, index in *idx. */
static size_t read_mark(const char *s, size_t *idx)
{
	size_t i = 1, v = 0;
	while (s[i] >= '0' && s[i] <= '9')
		v = v * 10 + (size_t)(s[i++] - '0');
	*idx = v;
	return s[i] == FB_MARK_END ? i + 1 : i;
}

size_t fb_frag_params(const struct fb_build *b, const char *frag, bool *has_empty)
{
	size_t count = 0;
	size_t seen[64];
	*has_empty = false;
	for (const char *s = frag; *s; s++) {
		if (*s != FB_MARK_START)
			continue;
		size_t idx, n = read_mark(s, &idx);
		s += n - 1;
		if (idx >= b->nparams)
			continue;
		bool dup = false;
		for (size_t k = 0; k < count && k < 64; k++)
			dup = dup || seen[k] == idx;
		if (dup)
			continue;
		if (count < 64)
			seen[count] = idx;
		count++;
		const struct fb_param *p = &b->params[idx];
		if (p->kind == PB_BIND_NULL || (p->kind == PB_BIND_TEXT && p->len == 0))
			*has_empty = true;
	}
	return count;
}

void fb_frag_each_param(struct fb_build *b, const char *frag, void (*fn)(struct fb_param *p))
{
	for (const char *s = frag; *s; s++) {
		if (*s != FB_MARK_START)
			continue;
		size_t idx, n = read_mark(s, &idx);
		s += n - 1;
		if (idx < b->nparams)
			fn(&b->params[idx]); /* callers' functions are idempotent */
	}
}

void fb_materialize(struct fb_build *b, const char *frag, size_t len, struct pb_strbuf *out)
{
	struct pb_query *q = b->ctx->query;
	size_t i = 0;
	while (i < len) {
		const char *m = memchr(frag + i, FB_MARK_START, len - i);
		size_t upto = m ? (size_t)(m - frag) : len;
		pb_strbuf_append(out, frag + i, upto - i);
		if (!m)
			break;
		size_t idx, n = read_mark(m, &idx);
		i = upto + n;
		if (idx >= b->nparams) {
			pb_strbuf_puts(out, "NULL");
			continue;
		}
		struct fb_param *p = &b->params[idx];
		if (!p->bound) {
			switch (p->kind) {
			case PB_BIND_TEXT: p->bound = pb_query_bind_text(q, p->text, p->len); break;
			case PB_BIND_INT: p->bound = pb_query_bind_int(q, p->i); break;
			case PB_BIND_FLOAT: p->bound = pb_query_bind_float(q, p->f); break;
			default: p->bound = pb_query_bind_null(q); break;
			}
		}
		pb_strbuf_putc(out, '?');
		pb_strbuf_put_uint(out, (unsigned)p->bound);
	}
}

static bool query_has_alias(const struct pb_query *q, const char *alias)
{
	for (size_t i = 0; i < q->njoins; i++)
		if (strcmp(q->joins[i].alias, alias) == 0)
			return true;
	return false;
}

int fb_join(struct fb_build *b, const char *table_sql, const char *alias, const char *on_frag,
            const struct pb_collection *c)
{
	if (c && !b->allow_hidden) {
		if (!c->rules[PB_RULE_LIST])
			return pb_error_set(b->err, 400, "Invalid filter: %s fields can be accessed only by superusers.",
			                    c->name);
		if (c->rules[PB_RULE_LIST][0] != '\0') {
			bool found = false;
			for (size_t i = 0; i < b->nrule_joins && !found; i++) {
				if (strcmp(b->rule_joins[i].alias, alias) == 0) {
					b->rule_joins[i].collection = c;
					found = true;
				}
			}
			if (!found) {
				if (b->nrule_joins == b->rule_joins_cap) {
					b->rule_joins_cap = b->rule_joins_cap ? b->rule_joins_cap * 2 : 4;
					struct fb_rule_join *nj = realloc(b->rule_joins, b->rule_joins_cap * sizeof *nj);
					if (!nj)
						abort();
					b->rule_joins = nj;
				}
				b->rule_joins[b->nrule_joins].collection = c;
				b->rule_joins[b->nrule_joins].alias = strdup(alias);
				b->nrule_joins++;
			}
		}
	}
	struct pb_query *q = b->ctx->query;
	if (query_has_alias(q, alias))
		return 0;
	struct pb_strbuf sql = PB_STRBUF_INIT;
	pb_strbuf_puts(&sql, " LEFT JOIN ");
	fb_materialize(b, table_sql, strlen(table_sql), &sql);
	pb_strbuf_putc(&sql, ' ');
	pb_sql_ident(&sql, alias);
	if (on_frag) {
		pb_strbuf_puts(&sql, " ON ");
		fb_materialize(b, on_frag, strlen(on_frag), &sql);
	}
	pb_query_add_join(q, alias, pb_strbuf_cstr(&sql));
	pb_strbuf_deinit(&sql);
	return 0;
}

void fb_operand_init(struct fb_operand *o) { memset(o, 0, sizeof *o); }

void fb_mm_deinit(struct fb_mm *m)
{
	free(m->target_alias);
	free(m->from_table);
	free(m->from_alias);
	pb_strbuf_deinit(&m->joins);
	pb_strbuf_deinit(&m->value);
	memset(m, 0, sizeof *m);
}

void fb_operand_deinit(struct fb_operand *o)
{
	pb_strbuf_deinit(&o->id);
	fb_mm_deinit(&o->mm);
	free(o->email_guard);
	memset(o, 0, sizeof *o);
}

void fb_col(struct pb_strbuf *out, const char *alias, const char *col) { pb_sql_column(out, alias, col); }

void fb_json_each(struct pb_strbuf *out, const char *alias, const char *col)
{
	pb_strbuf_puts(out, "json_each(CASE WHEN iif(json_valid(");
	fb_col(out, alias, col);
	pb_strbuf_puts(out, "), json_type(");
	fb_col(out, alias, col);
	pb_strbuf_puts(out, ")='array', FALSE) THEN ");
	fb_col(out, alias, col);
	pb_strbuf_puts(out, " ELSE json_array(");
	fb_col(out, alias, col);
	pb_strbuf_puts(out, ") END)");
}

void fb_json_array_length(struct pb_strbuf *out, const char *alias, const char *col)
{
	pb_strbuf_puts(out, "json_array_length(CASE WHEN iif(json_valid(");
	fb_col(out, alias, col);
	pb_strbuf_puts(out, "), json_type(");
	fb_col(out, alias, col);
	pb_strbuf_puts(out, ")='array', FALSE) THEN ");
	fb_col(out, alias, col);
	pb_strbuf_puts(out, " ELSE (CASE WHEN ");
	fb_col(out, alias, col);
	pb_strbuf_puts(out, " = '' OR ");
	fb_col(out, alias, col);
	pb_strbuf_puts(out, " IS NULL THEN json_array() ELSE json_array(");
	fb_col(out, alias, col);
	pb_strbuf_puts(out, ") END) END)");
}

/* `path` holds only [A-Za-z0-9_.[\]] (sanitised by the caller), so it is safe inline. */
void fb_json_extract(struct pb_strbuf *out, const char *alias, const char *col, const char *path)
{
	const char *dot = (path[0] && path[0] != '[') ? "." : "";
	pb_strbuf_puts(out, "(CASE WHEN json_valid(");
	fb_col(out, alias, col);
	pb_strbuf_puts(out, ") THEN JSON_EXTRACT(");
	fb_col(out, alias, col);
	pb_strbuf_printf(out, ", '$%s%s') ELSE JSON_EXTRACT(json_object('pb', ", dot, path);
	fb_col(out, alias, col);
	pb_strbuf_printf(out, "), '$.pb%s%s') END)", dot, path);
}

char *fb_cat(const char *a, const char *b, const char *c, const char *d)
{
	struct pb_strbuf s = PB_STRBUF_INIT;
	const char *parts[4] = {a, b, c, d};
	for (int i = 0; i < 4; i++)
		if (parts[i])
			pb_strbuf_puts(&s, parts[i]);
	return pb_strbuf_steal(&s);
}

void fb_mm_sql(const struct fb_mm *m, struct pb_strbuf *out)
{
	pb_strbuf_puts(out, "SELECT ");
	pb_strbuf_append(out, m->value.data ? m->value.data : "", m->value.len);
	pb_strbuf_puts(out, " as `multiMatchValue` FROM ");
	pb_sql_ident(out, m->from_table);
	pb_strbuf_putc(out, ' ');
	pb_sql_ident(out, m->from_alias);
	pb_strbuf_putc(out, ' ');
	pb_strbuf_append(out, m->joins.data ? m->joins.data : "", m->joins.len);
	pb_strbuf_puts(out, " WHERE ");
	fb_col(out, m->from_alias, "id");
	pb_strbuf_puts(out, " = ");
	fb_col(out, m->target_alias, "id");
}

void fb_format_float(double v, char *buf, size_t cap) { pb_json_format_float_fixed(v, buf, cap); }
