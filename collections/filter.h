/* filter — PocketBase's filter language and sort strings turned into SQLite SQL.
 * A filter (a client `?filter=` or a collection rule) is tokenized, parsed and every
 * comparison rendered the way PocketBase v0.39.11 renders it (tools/search/filter.go and
 * core/record_field_resolver*.go): NULL ≡ '' equality, LIKE wrapping, "all"/"any" multi-match
 * subqueries, relation / back-relation / @collection joins, JSON paths, modifiers,
 * @request.* values and datetime macros. Every literal value is bound in `query`; joins are
 * registered there too (deduplicated by alias). */
#ifndef POCKETC_COLLECTIONS_FILTER_H
#define POCKETC_COLLECTIONS_FILTER_H

#include <stdbool.h>

#include "collections/query.h"
#include "collections/request_info.h"
#include "collections/schema.h"
#include "core/error.h"
#include "core/strbuf.h"

#define PB_FILTER_MAX_EXPRESSIONS 200

struct pb_filter_cache;
struct pb_filter_trace;
#define PB_SORT_MAX_ITEMS 8
#define PB_SORT_MAX_NAME_LEN 255

struct pb_filter_ctx {
	const struct pb_schema *schema;         /* all collections (relations, @collection, back-relations) */
	const struct pb_collection *collection; /* the main collection; its SQL alias is its name */
	const struct pb_request_info *req;      /* may be NULL: then @request.* values are NULL/empty */
	struct pb_query *query;                 /* joins and bound values are added here */
	bool allow_hidden;  /* hidden fields may be used (rules; superuser requests) */
	bool client_filter; /* a non-superuser's ?filter=/?sort=: auth `email` gets the emailVisibility
	                     * guard, hidden fields error, joined collections with a null list rule error
	                     * and joined collections' non-empty list rules are ANDed as constraints */
	struct pb_filter_cache *cache; /* borrowed, optional: the calling thread's memo of compiled
	                                * filters (collections/filter_cache.h); NULL = compile each time */
	struct pb_filter_trace *trace; /* internal to filter_cache.c (NULL elsewhere) */
};

/* Hidden fields are rejected, and auth `email` gets the emailVisibility guard, when
 * `client_filter` is set or `allow_hidden` is not (PocketBase's single allowHiddenFields
 * flag is `allow_hidden && !client_filter`). */

/* Appends one SQL boolean expression for `expr` to `out`. Borrows everything in ctx; adds
 * joins and bound values to ctx->query (they stay there even on failure: discard the query
 * then). For client filters the list-rule constraints of joined collections are ANDed to the
 * expression. Returns 0, or -1 with err (status 400) on any lexer/parser/resolver error or
 * limit (200 comparisons). */
int pb_filter_to_sql(const struct pb_filter_ctx *ctx, const char *expr, struct pb_strbuf *out, struct pb_error *err);
/* pb_filter_to_sql without ctx->cache (what the memo runs on a miss). */
int pb_filter_to_sql_uncached(const struct pb_filter_ctx *ctx, const char *expr, struct pb_strbuf *out,
                              struct pb_error *err);

/* Appends the ORDER BY items (comma-separated, without the "ORDER BY" keyword) for a ?sort=
 * value. `@random` → RANDOM(), `@rowid` → the main table's _rowid_, `-x` DESC, `+x`/`x` ASC,
 * relation paths allowed (joins added), max 8 items, names ≤255 chars. Returns 0 or -1 (400).
 * For client sorts, list-rule constraints of joined collections are not applied here: use
 * pb_sort_to_sql_where. */
int pb_sort_to_sql(const struct pb_filter_ctx *ctx, const char *sort, struct pb_strbuf *out, struct pb_error *err);

/* Like pb_sort_to_sql, and additionally appends to `where` (when ctx->client_filter and a
 * joined collection has a non-empty list rule) a boolean SQL expression the caller must AND
 * into the WHERE clause; nothing is appended when there is no constraint. */
int pb_sort_to_sql_where(const struct pb_filter_ctx *ctx, const char *sort, struct pb_strbuf *out,
                         struct pb_strbuf *where, struct pb_error *err);

/* The same two conversions with identifiers resolved as PocketBase's
 * search.SimpleFieldResolver (the logs API, other plain-table searches) instead of a
 * collection's fields: `fields` (borrowed, NULL-terminated) lists the accepted names, each an
 * exact name or, when written as "^…$", a regular expression the whole name must match.
 * `a` becomes the column `a` of ctx->collection's table (NULL/'' normalisation as for
 * fields), `a.b.0.c` becomes JSON_EXTRACT(`a`, '$.b[0].c') without NULL fallback (path parts
 * pass inflector.Columnify; parts strconv.Atoi accepts become [n]). Other names — including
 * @request.*, @collection.* and relation paths — are errors (400); macros such as @now and
 * the literals null/true/false work as in any filter. Only ctx->collection's name and
 * ctx->query are used. */
int pb_filter_to_sql_fields(const struct pb_filter_ctx *ctx, const char *const *fields, const char *expr,
                            struct pb_strbuf *out, struct pb_error *err);
int pb_sort_to_sql_fields(const struct pb_filter_ctx *ctx, const char *const *fields, const char *sort,
                          struct pb_strbuf *out, struct pb_error *err);

#endif
