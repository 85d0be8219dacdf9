/* list_query — the SELECT and COUNT statements of a paginated list, as PocketBase's
 * search provider builds them: `SELECT [DISTINCT] t.* FROM t <joins> WHERE (rule) AND
 * (filter) ORDER BY … LIMIT n OFFSET m`, and `SELECT COUNT(DISTINCT t._rowid_) …` (views
 * count DISTINCT ids). Also parses the list query parameters with PocketBase's rules. */
#ifndef POCKETC_COLLECTIONS_LIST_QUERY_H
#define POCKETC_COLLECTIONS_LIST_QUERY_H

#include <stdbool.h>

#include "collections/filter.h"
#include "collections/query.h"

#define PB_LIST_DEFAULT_PER_PAGE 30
#define PB_LIST_MAX_PER_PAGE 1000
#define PB_FILTER_MAX_LEN 3500

struct pb_list_params {
	int page;         /* ≥ 1 */
	int per_page;     /* 1..1000 */
	bool skip_total;
	const char *filter; /* borrowed; NULL or "" = none */
	const char *sort;   /* borrowed; NULL or "" = none */
};

/* Parses page/perPage/skipTotal (Go strconv rules: non-integers → 400, page ≤ 0 → 1,
 * perPage ≤ 0 → 30, > 1000 → 1000; skipTotal via ParseBool). Values are borrowed strings,
 * NULL when absent. Returns 0 or -1 with err (400). */
int pb_list_params_parse(struct pb_list_params *p, const char *page, const char *per_page, const char *skip_total,
                         struct pb_error *err);

struct pb_list_sql {
	struct pb_query query;     /* joins + binds shared by both statements */
	struct pb_strbuf select;   /* the page query */
	struct pb_strbuf count;    /* the total query */
};

/* Builds both statements. `rule` (may be NULL) is ANDed as an access rule (hidden fields
 * allowed); the client filter/sort are resolved with `client` restrictions (non-superuser).
 * Returns 0 or -1 with err (400). Free with pb_list_sql_deinit. */
int pb_list_sql_build(struct pb_list_sql *out, const struct pb_schema *schema, const struct pb_collection *c,
                      const struct pb_request_info *req, const char *rule, const struct pb_list_params *p,
                      bool client, struct pb_error *err);
void pb_list_sql_deinit(struct pb_list_sql *s);

#endif
