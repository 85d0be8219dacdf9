/* list_query — the SELECT and COUNT statements of a paginated list, as PocketBase's
 * search provider builds them: `SELECT [DISTINCT] t.* FROM t <joins> WHERE (rule) AND
 * (filter) AND (joined list-rule constraints) ORDER BY … LIMIT n OFFSET m`, and
 * `SELECT COUNT(DISTINCT t._rowid_) …` without ORDER BY (views count DISTINCT ids; a record
 * table without joins counts COUNT(*), the same number without the DISTINCT work). Also
 * parses the list query parameters with PocketBase's rules (Go strconv). */
#ifndef POCKETC_COLLECTIONS_LIST_QUERY_H
#define POCKETC_COLLECTIONS_LIST_QUERY_H

#include <sqlite3.h>
#include <stdbool.h>

#include "collections/filter.h"
#include "collections/query.h"

#define PB_LIST_DEFAULT_PER_PAGE 30
#define PB_LIST_MAX_PER_PAGE 1000
#define PB_FILTER_MAX_LEN 3500

struct pb_list_params {
	long long page;     /* ≥ 1 (Go int: 64-bit) */
	long long per_page; /* 1..1000 */
	bool skip_total;
	const char *filter; /* borrowed; NULL or "" = none */
	const char *sort;   /* borrowed; NULL or "" = none */
};

/* Parses page/perPage/skipTotal (Go strconv rules: strconv.Atoi — optional sign, decimal
 * digits only, 64-bit range — else 400; page ≤ 0 → 1, perPage ≤ 0 → 30, > 1000 → 1000;
 * skipTotal via ParseBool). Values are borrowed strings, NULL or "" when absent (defaults).
 * filter/sort are left untouched (set them yourself). Returns 0, or -1 with err (400, the
 * default message, no data). */
int pb_list_params_parse(struct pb_list_params *p, const char *page, const char *per_page, const char *skip_total,
                         struct pb_error *err);

struct pb_list_sql {
	struct pb_query query;     /* joins + binds shared by both statements (?1..?N) */
	struct pb_strbuf select;   /* the page query; LIMIT/OFFSET are ?N+1 and ?N+2 */
	struct pb_strbuf count;    /* the total query (uses only ?1..?N) */
	long long limit, offset;   /* bound by pb_list_sql_bind_select */
};

/* Builds both statements. `rule` (may be NULL or "" = none) is ANDed as an access rule
 * (hidden fields allowed). The client filter/sort of `p` are resolved with the non-superuser
 * restrictions when `client` is set (hidden fields → 400, auth email guard, joined
 * collections' list rules as constraints / null list rule → 400), with hidden fields allowed
 * otherwise. Filters longer than 3500 bytes → 400. `req` (borrowed, may be NULL) feeds
 * @request.*. Returns 0 or -1 with err (400; the resolver's message is kept: callers that
 * answer HTTP replace it with the default one). Always free with pb_list_sql_deinit. */
int pb_list_sql_build(struct pb_list_sql *out, const struct pb_schema *schema, const struct pb_collection *c,
                      const struct pb_request_info *req, const char *rule, const struct pb_list_params *p,
                      bool client, struct pb_error *err);
/* pb_list_sql_build for a plain table searched like PocketBase's search.SimpleFieldResolver
 * (no rule, no joins): only `table`'s name is used, filter and sort identifiers are resolved
 * with pb_filter_to_sql_fields / pb_sort_to_sql_fields over `fields` (borrowed,
 * NULL-terminated). Same errors and cleanup contract as pb_list_sql_build. */
int pb_list_sql_build_fields(struct pb_list_sql *out, const struct pb_collection *table, const char *const *fields,
                             const struct pb_list_params *p, struct pb_error *err);
void pb_list_sql_deinit(struct pb_list_sql *s);

/* Binds the shared values and LIMIT/OFFSET to a prepared `select` statement. Returns the
 * sqlite3 result code. (The count statement takes pb_query_bind_all(&s->query, st).) */
int pb_list_sql_bind_select(const struct pb_list_sql *s, sqlite3_stmt *st);

#endif
