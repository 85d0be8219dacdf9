/* sort — a list request's `?sort=` value turned into ORDER BY items, mirroring PocketBase's
 * tools/search/sort.go and the list provider: comma-separated names, `-name` DESC,
 * `+name`/`name` ASC, `@random` → RANDOM(), `@rowid` → the main table's _rowid_, names
 * resolved like filter identifiers (relation joins are added; names resolving to a bound
 * value or NULL are rejected), at most 8 items of at most 255 bytes. */
#include "collections/filter_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int sort_item(struct fb_build *b, const char *name, bool desc, struct pb_strbuf *out)
{
	const char *dir = desc ? "DESC" : "ASC";
	if (strcmp(name, "@random") == 0) {
		pb_strbuf_puts(out, "RANDOM()");
		return 0;
	}
	if (strcmp(name, "@rowid") == 0) {
		fb_col(out, b->base_alias, "_rowid_");
		pb_strbuf_printf(out, " %s", dir);
		return 0;
	}
	struct fb_operand o;
	fb_operand_init(&o);
	int rc = fb_resolve_identifier(b, name, &o);
	bool empty;
	if (rc == 0 && (o.id.len == 0 || strcasecmp(o.id.data, "null") == 0 ||
	                (!o.opaque && fb_frag_params(b, o.id.data, &empty) > 0) || memchr(o.id.data, FB_MARK_START, o.id.len)))
		rc = pb_error_set(b->err, 400, "Invalid sort field \"%s\".", name);
	if (rc == 0) {
		fb_materialize(b, o.id.data, o.id.len, out);
		pb_strbuf_printf(out, " %s", dir);
	}
	fb_operand_deinit(&o);
	return rc;
}

static int sort_to_sql(const struct pb_filter_ctx *ctx, const char *const *fields, const char *sort,
                       struct pb_strbuf *out, struct pb_strbuf *where, struct pb_error *err)
{
	if (!ctx || !ctx->collection || !ctx->query || !sort)
		return pb_error_set(err, 400, "Invalid sort: missing context.");
	unsigned seq = 0;
	struct fb_build b;
	fb_init(&b, ctx, ctx->collection, ctx->collection->name, ctx->allow_hidden && !ctx->client_filter, &seq, err);
	b.simple_fields = fields;
	struct pb_strbuf items = PB_STRBUF_INIT;
	int rc = 0;
	size_t count = 0;
	const char *p = sort;
	for (;;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		while (len && isspace((unsigned char)*p)) {
			p++;
			len--;
		}
		while (len && isspace((unsigned char)p[len - 1]))
			len--;
		bool desc = false;
		if (len && *p == '-') {
			desc = true;
			p++;
			len--;
		} else if (len && *p == '+') {
			p++;
			len--;
		}
		if (++count > PB_SORT_MAX_ITEMS) {
			rc = pb_error_set(err, 400, "Invalid sort: too many sort fields.");
			break;
		}
		if (len == 0 || len > PB_SORT_MAX_NAME_LEN) {
			rc = pb_error_set(err, 400, "Invalid sort field.");
			break;
		}
		char *name = strndup(p, len);
		if (items.len)
			pb_strbuf_puts(&items, ", ");
		rc = sort_item(&b, name, desc, &items);
		free(name);
		if (rc != 0 || !e)
			break;
		p = e + 1;
	}
	if (rc == 0 && where)
		rc = fb_rule_constraints(&b, where);
	if (rc == 0)
		pb_strbuf_append(out, items.data ? items.data : "", items.len);
	pb_strbuf_deinit(&items);
	fb_deinit(&b);
	return rc;
}

int pb_sort_to_sql_where(const struct pb_filter_ctx *ctx, const char *sort, struct pb_strbuf *out,
                         struct pb_strbuf *where, struct pb_error *err)
{
	return sort_to_sql(ctx, NULL, sort, out, where, err);
}

int pb_sort_to_sql(const struct pb_filter_ctx *ctx, const char *sort, struct pb_strbuf *out, struct pb_error *err)
{
	return sort_to_sql(ctx, NULL, sort, out, NULL, err);
}

int pb_sort_to_sql_fields(const struct pb_filter_ctx *ctx, const char *const *fields, const char *sort,
                          struct pb_strbuf *out, struct pb_error *err)
{
	if (!fields)
		return pb_error_set(err, 400, "Invalid sort: missing context.");
	return sort_to_sql(ctx, fields, sort, out, NULL, err);
}
