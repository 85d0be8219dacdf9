/* list_query — list parameters and the page/count statements (see list_query.h). Mirrors
 * tools/search/provider.go: Parse (skipTotal, page, perPage with strconv), Exec (filter
 * length limit, filter and sort built with the same resolver state, joins and list-rule
 * constraints applied, DISTINCT when joined, COUNT(DISTINCT <first table>.<countCol>) with
 * ORDER BY dropped, LIMIT perPage OFFSET perPage*(page-1)). */
#include "collections/list_query.h"

#include <limits.h>
#include <string.h>

/* strconv.Atoi (base 10, 64-bit int): [+-]digits, nothing else. */
static int go_atoi(const char *s, long long *out)
{
	const char *p = s;
	bool neg = false;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (!*p)
		return -1;
	unsigned long long v = 0, lim = neg ? (unsigned long long)LLONG_MAX + 1ULL : (unsigned long long)LLONG_MAX;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		unsigned d = (unsigned)(*p - '0');
		if (v > (lim - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = neg ? (long long)(0ULL - v) : (long long)v;
	return 0;
}

/* strconv.ParseBool */
static int go_parse_bool(const char *s, bool *out)
{
	static const char *const t[] = {"1", "t", "T", "TRUE", "true", "True"};
	static const char *const f[] = {"0", "f", "F", "FALSE", "false", "False"};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		if (strcmp(s, t[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcmp(s, f[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

static int bad_request(struct pb_error *err)
{
	return pb_error_set(err, 400, "%s", pb_error_default_message(400));
}

int pb_list_params_parse(struct pb_list_params *p, const char *page, const char *per_page, const char *skip_total,
                         struct pb_error *err)
{
	p->page = 1;
	p->per_page = PB_LIST_DEFAULT_PER_PAGE;
	p->skip_total = false;
	/* same order as the provider's Parse */
	if (skip_total && *skip_total && go_parse_bool(skip_total, &p->skip_total) != 0)
		return bad_request(err);
	if (page && *page && go_atoi(page, &p->page) != 0)
		return bad_request(err);
	if (per_page && *per_page && go_atoi(per_page, &p->per_page) != 0)
		return bad_request(err);
	if (p->page <= 0)
		p->page = 1;
	if (p->per_page <= 0)
		p->per_page = PB_LIST_DEFAULT_PER_PAGE;
	else if (p->per_page > PB_LIST_MAX_PER_PAGE)
		p->per_page = PB_LIST_MAX_PER_PAGE;
	return 0;
}

static void add_where(struct pb_strbuf *where, const struct pb_strbuf *part)
{
	if (!part->len)
		return;
	pb_strbuf_puts(where, where->len ? " AND (" : " WHERE (");
	pb_strbuf_append(where, part->data, part->len);
	pb_strbuf_putc(where, ')');
}

static int build(struct pb_list_sql *out, const struct pb_schema *schema, const struct pb_collection *c,
                 const struct pb_request_info *req, const char *rule, const struct pb_list_params *p, bool client,
                 const char *const *fields, struct pb_error *err)
{
	pb_query_init(&out->query);
	pb_strbuf_init(&out->select);
	pb_strbuf_init(&out->count);
	out->limit = p->per_page;
	/* Go's int multiplication wraps; a negative offset is then left out, as OFFSET 0 */
	out->offset = (long long)((unsigned long long)p->per_page * ((unsigned long long)p->page - 1ULL));
	if (out->offset < 0)
		out->offset = 0;

	struct pb_strbuf where = PB_STRBUF_INIT, part = PB_STRBUF_INIT, order = PB_STRBUF_INIT;
	struct pb_filter_ctx fc = {schema, c, req, &out->query, true, false, NULL, NULL};
	int rc = 0;
	if (rule && *rule) {
		rc = pb_filter_to_sql(&fc, rule, &part, err);
		add_where(&where, &part);
		pb_strbuf_reset(&part);
	}
	fc.allow_hidden = !client;
	fc.client_filter = client;
	if (rc == 0 && p->filter && *p->filter) {
		if (strlen(p->filter) > PB_FILTER_MAX_LEN)
			rc = pb_error_set(err, 400, "Invalid filter: max filter length limit reached.");
		else
			rc = fields ? pb_filter_to_sql_fields(&fc, fields, p->filter, &part, err)
			            : pb_filter_to_sql(&fc, p->filter, &part, err);
		add_where(&where, &part);
		pb_strbuf_reset(&part);
	}
	if (rc == 0 && p->sort && *p->sort) {
		rc = fields ? pb_sort_to_sql_fields(&fc, fields, p->sort, &order, err)
		            : pb_sort_to_sql_where(&fc, p->sort, &order, &part, err);
		add_where(&where, &part);
	}
	if (rc == 0) {
		struct pb_strbuf from = PB_STRBUF_INIT;
		pb_strbuf_puts(&from, " FROM ");
		pb_sql_ident(&from, c->name);
		pb_query_write_joins(&out->query, &from);
		pb_strbuf_append(&from, where.data ? where.data : "", where.len);

		pb_strbuf_puts(&out->select, pb_query_has_joins(&out->query) ? "SELECT DISTINCT " : "SELECT ");
		pb_sql_ident(&out->select, c->name);
		pb_strbuf_puts(&out->select, ".*");
		pb_strbuf_append(&out->select, from.data, from.len);
		if (order.len) {
			pb_strbuf_puts(&out->select, " ORDER BY ");
			pb_strbuf_append(&out->select, order.data, order.len);
		}
		pb_strbuf_puts(&out->select, " LIMIT ?");
		pb_strbuf_put_uint(&out->select, out->query.nbinds + 1);
		pb_strbuf_puts(&out->select, " OFFSET ?");
		pb_strbuf_put_uint(&out->select, out->query.nbinds + 2);

		if (!fields && c->type != PB_COLLECTION_VIEW && !pb_query_has_joins(&out->query)) {
			/* a record table without joins: every row is one record, the same number as
			 * PocketBase's COUNT(DISTINCT rowid) without SQLite's temporary b-tree of rowids
			 * (the plain-table lists, logs and collections, keep PocketBase's form) */
			pb_strbuf_puts(&out->count, "SELECT COUNT(*)");
		} else {
			pb_strbuf_puts(&out->count, "SELECT COUNT(DISTINCT ");
			pb_sql_column(&out->count, c->name, c->type == PB_COLLECTION_VIEW ? "id" : "_rowid_");
			pb_strbuf_putc(&out->count, ')');
		}
		pb_strbuf_append(&out->count, from.data, from.len);
		pb_strbuf_deinit(&from);
	}
	pb_strbuf_deinit(&where);
	pb_strbuf_deinit(&part);
	pb_strbuf_deinit(&order);
	return rc;
}

int pb_list_sql_build(struct pb_list_sql *out, const struct pb_schema *schema, const struct pb_collection *c,
                      const struct pb_request_info *req, const char *rule, const struct pb_list_params *p,
                      bool client, struct pb_error *err)
{
	return build(out, schema, c, req, rule, p, client, NULL, err);
}

int pb_list_sql_build_fields(struct pb_list_sql *out, const struct pb_collection *table, const char *const *fields,
                             const struct pb_list_params *p, struct pb_error *err)
{
	if (!fields) {
		pb_query_init(&out->query);
		pb_strbuf_init(&out->select);
		pb_strbuf_init(&out->count);
		return pb_error_set(err, 400, "Invalid filter: missing context.");
	}
	return build(out, NULL, table, NULL, NULL, p, false, fields, err);
}

void pb_list_sql_deinit(struct pb_list_sql *s)
{
	pb_query_deinit(&s->query);
	pb_strbuf_deinit(&s->select);
	pb_strbuf_deinit(&s->count);
}

int pb_list_sql_bind_select(const struct pb_list_sql *s, sqlite3_stmt *st)
{
	int rc = pb_query_bind_all(&s->query, st);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, (int)s->query.nbinds + 1, s->limit);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, (int)s->query.nbinds + 2, s->offset);
	return rc;
}
