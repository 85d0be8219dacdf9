/* query — joins and bound values of a SELECT under construction (see query.h). */
#include "collections/query.h"

#include <stdlib.h>
#include <string.h>

void pb_query_init(struct pb_query *q) { memset(q, 0, sizeof *q); }

void pb_query_deinit(struct pb_query *q)
{
	for (size_t i = 0; i < q->njoins; i++) {
		free(q->joins[i].alias);
		free(q->joins[i].sql);
	}
	free(q->joins);
	for (size_t i = 0; i < q->nbinds; i++)
		free(q->binds[i].text);
	free(q->binds);
	memset(q, 0, sizeof *q);
}

void pb_query_add_join(struct pb_query *q, const char *alias, const char *join_sql)
{
	for (size_t i = 0; i < q->njoins; i++) {
		if (strcmp(q->joins[i].alias, alias) == 0) {
			free(q->joins[i].sql);
			q->joins[i].sql = strdup(join_sql);
			return;
		}
	}
	if (q->njoins == q->joins_cap) {
		q->joins_cap = q->joins_cap ? q->joins_cap * 2 : 4;
		q->joins = realloc(q->joins, q->joins_cap * sizeof *q->joins);
		if (!q->joins)
			abort();
	}
	q->joins[q->njoins].alias = strdup(alias);
	q->joins[q->njoins].sql = strdup(join_sql);
	q->njoins++;
}

bool pb_query_has_joins(const struct pb_query *q) { return q->njoins > 0; }

void pb_query_write_joins(const struct pb_query *q, struct pb_strbuf *out)
{
	for (size_t i = 0; i < q->njoins; i++)
		pb_strbuf_puts(out, q->joins[i].sql);
}

static struct pb_bind *new_bind(struct pb_query *q)
{
	if (q->nbinds == q->binds_cap) {
		q->binds_cap = q->binds_cap ? q->binds_cap * 2 : 8;
		q->binds = realloc(q->binds, q->binds_cap * sizeof *q->binds);
		if (!q->binds)
			abort();
	}
	struct pb_bind *b = &q->binds[q->nbinds++];
	memset(b, 0, sizeof *b);
	return b;
}

int pb_query_bind_text(struct pb_query *q, const char *s, size_t len)
{
	struct pb_bind *b = new_bind(q);
	b->kind = PB_BIND_TEXT;
	b->text = malloc(len + 1);
	if (!b->text)
		abort();
	memcpy(b->text, s, len);
	b->text[len] = '\0';
	b->len = len;
	return (int)q->nbinds;
}

int pb_query_bind_int(struct pb_query *q, int64_t v)
{
	struct pb_bind *b = new_bind(q);
	b->kind = PB_BIND_INT;
	b->i = v;
	return (int)q->nbinds;
}

int pb_query_bind_float(struct pb_query *q, double v)
{
	struct pb_bind *b = new_bind(q);
	b->kind = PB_BIND_FLOAT;
	b->f = v;
	return (int)q->nbinds;
}

int pb_query_bind_null(struct pb_query *q)
{
	new_bind(q)->kind = PB_BIND_NULL;
	return (int)q->nbinds;
}

static void put_placeholder(struct pb_strbuf *out, int n)
{
	pb_strbuf_putc(out, '?');
	pb_strbuf_put_uint(out, (unsigned)n);
}

void pb_query_put_text(struct pb_query *q, struct pb_strbuf *out, const char *s, size_t len)
{
	put_placeholder(out, pb_query_bind_text(q, s, len));
}

void pb_query_put_int(struct pb_query *q, struct pb_strbuf *out, int64_t v)
{
	put_placeholder(out, pb_query_bind_int(q, v));
}

void pb_query_put_float(struct pb_query *q, struct pb_strbuf *out, double v)
{
	put_placeholder(out, pb_query_bind_float(q, v));
}

int pb_query_bind_all(const struct pb_query *q, sqlite3_stmt *st)
{
	for (size_t i = 0; i < q->nbinds; i++) {
		const struct pb_bind *b = &q->binds[i];
		int idx = (int)i + 1, rc;
		switch (b->kind) {
		case PB_BIND_INT: rc = sqlite3_bind_int64(st, idx, b->i); break;
		case PB_BIND_FLOAT: rc = sqlite3_bind_double(st, idx, b->f); break;
		case PB_BIND_TEXT: rc = sqlite3_bind_text(st, idx, b->text, (int)b->len, SQLITE_STATIC); break;
		default: rc = sqlite3_bind_null(st, idx); break;
		}
		if (rc != SQLITE_OK)
			return rc;
	}
	return SQLITE_OK;
}

void pb_sql_ident(struct pb_strbuf *out, const char *name)
{
	pb_strbuf_putc(out, '`');
	for (const char *p = name;;) {
		size_t n = strcspn(p, "`"); /* a run without backquotes, copied at once */
		pb_strbuf_append(out, p, n);
		if (!p[n])
			break;
		pb_strbuf_append(out, "``", 2);
		p += n + 1;
	}
	pb_strbuf_putc(out, '`');
}

void pb_sql_column(struct pb_strbuf *out, const char *alias, const char *column)
{
	pb_sql_ident(out, alias);
	pb_strbuf_putc(out, '.');
	pb_sql_ident(out, column);
}
