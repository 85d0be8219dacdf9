/* record_rule — record lookups that apply an access rule for the requester, shared by view,
 * expand, visibility export and (later) update/delete/realtime. Mirrors PocketBase's
 * FindRecordById / FindRecordsByIds with a rule filter func and CanAccessRecord: the rule is
 * resolved with hidden fields allowed and the request's @request.* data (ctx->req), its joins
 * make the SELECT DISTINCT, and every value is bound. All queries go through ctx->stmts.
 *
 * Records come back exported for internal use: hidden fields and email present, password
 * and tokenKey never (struct pb_record_export {.show_hidden = true, .show_email = true});
 * pass them through pb_records_export (record_export.h) before answering a request. */
#ifndef POCKETC_COLLECTIONS_RECORD_RULE_H
#define POCKETC_COLLECTIONS_RECORD_RULE_H

#include <jansson.h>

#include "collections/read_ctx.h"
#include "collections/record_json.h"
#include "core/error.h"

/* CanAccessRecord: 1 when the requester may access record `id` of c under `rule`, 0 when not,
 * -1 on error (err: 400 when the rule does not build, 500 on SQLite errors). Superusers → 1
 * without a query; a NULL rule → 0; "" → 1 (no existence check either, as upstream);
 * otherwise `SELECT [DISTINCT] (1) FROM c <joins> WHERE c.id = ? AND (rule) LIMIT 1`.
 * Everything is borrowed. */
int pb_record_rule_check(const struct pb_read_ctx *ctx, const struct pb_collection *c, const char *id,
                         const char *rule, struct pb_error *err);

/* FindRecordById with a rule: `SELECT [DISTINCT] c.* FROM c <joins> WHERE c.id = ? AND (rule)
 * LIMIT 1`. `rule` NULL or "" = no rule (the caller handles null rules and the superuser
 * bypass). Returns the record (new reference) or NULL with err: 404 (default message) when no
 * row matches, 400 when the rule does not build, 500 on SQLite errors. */
json_t *pb_record_fetch_with_rule(const struct pb_read_ctx *ctx, const struct pb_collection *c, const char *id,
                                  const char *rule, struct pb_error *err);

/* pb_record_fetch_with_rule writing the record's JSON text straight to `out` (borrowed) as
 * pb_record_write_row does with export `x` (borrowed), without building it. Returns 1 when
 * written, 0 when no row matches, -1 with err (400 rule build, 500 SQLite). */
int pb_record_write_with_rule(const struct pb_read_ctx *ctx, const struct pb_collection *c, const char *id,
                              const char *rule, const struct pb_record_export *x, struct pb_strbuf *out,
                              struct pb_error *err);

/* FindRecordsByIds with a rule: the records of c whose id is one of `ids` (borrowed JSON array
 * of strings; the whole list is bound as one JSON value, so the SQL text does not depend on
 * its length) and that match `rule` (NULL or "" = none), in SQLite's natural order. An empty
 * `ids` still builds the rule (so a broken rule still fails) but runs no query. Returns a new
 * array or NULL with err (400 rule build, 500 SQLite). */
json_t *pb_records_fetch_by_ids(const struct pb_read_ctx *ctx, const struct pb_collection *c, json_t *ids,
                                const char *rule, struct pb_error *err);

/* The ids among `ids` (borrowed array of strings) whose records match `rule` (must be non-empty):
 * `SELECT [DISTINCT] c.id FROM c <joins> WHERE c.id IN (…) AND (rule)`. Returns a new array of
 * strings or NULL with err as above. */
json_t *pb_records_match_ids(const struct pb_read_ctx *ctx, const struct pb_collection *c, json_t *ids,
                             const char *rule, struct pb_error *err);

#endif
