/* record_read — the records read endpoints' domain logic, called by the HTTP handlers of
 * GET /api/collections/{c}/records[/{id}]. Mirrors apis/record_crud.go recordsList /
 * recordView and EnrichRecords: null-rule 403s before any lookup, the forbidden
 * @collection./@request. client filter check, list rule ANDed as a WHERE clause (a failed
 * rule means fewer items), view rule failures as 404, superusers bypassing every rule, then
 * expand and per-requester visibility. The shared pieces the write path reuses live in
 * record_rule.h (rule probes, rule-filtered fetches) and record_export.h (visibility). */
#ifndef POCKETC_COLLECTIONS_RECORD_READ_H
#define POCKETC_COLLECTIONS_RECORD_READ_H

#include <jansson.h>

#include "collections/read_ctx.h"
#include "collections/record_export.h"
#include "collections/record_rule.h"
#include "core/error.h"

/* Wire messages of the records endpoints (shared with the write path). */
#define PB_MSG_SUPERUSERS_ONLY "Only superusers can perform this action."
#define PB_MSG_SUPERUSERS_ONLY_FILTER "Only superusers can filter by %s" /* "@collection." or "@request." */

/* GET …/records: returns the envelope {"items":[…],"page":…,"perPage":…,"totalItems":…,"totalPages":…}
 * (new ref, key order exactly that) or NULL with err: null listRule for non-superusers → 403
 * "Only superusers can perform this action."; a non-superuser filter/sort containing
 * "@collection." / "@request." → 403 "Only superusers can filter by @collection." /
 * "…@request."; bad params/filter/sort (or a failing query) → 400 (default message, data {}).
 * All strings are borrowed raw query values, NULL or "" when absent; `expand` may be NULL.
 * With skip_total the count query is not run and totalItems/totalPages are -1. */
json_t *pb_records_list(const struct pb_read_ctx *ctx, const struct pb_collection *c, const char *page,
                        const char *per_page, const char *skip_total, const char *filter, const char *sort,
                        const char *expand, struct pb_error *err);

/* GET …/records/{id}: the exported record (new ref) or NULL with err: 404 (default message)
 * for an empty id (before the rule check, as upstream), 403 "Only superusers can perform this
 * action." for a null viewRule, 404 (default message) when missing, when the viewRule rejects
 * it, or when the lookup fails. `expand` may be NULL. */
json_t *pb_records_view(const struct pb_read_ctx *ctx, const struct pb_collection *c, const char *id,
                        const char *expand, struct pb_error *err);

/* pb_records_list written straight as JSON text to `out` (borrowed), under the same
 * conditions as pb_records_view_write. Returns 0 with the bytes pb_json_write gives for
 * pb_records_list's envelope, -1 with err exactly as pb_records_list (out unchanged), or 1
 * (nothing written or checked) when not applicable: call pb_records_list. */
int pb_records_list_write(const struct pb_read_ctx *ctx, const struct pb_collection *c, const char *page,
                          const char *per_page, const char *skip_total, const char *filter, const char *sort,
                          const char *expand, struct pb_strbuf *out, struct pb_error *err);

/* pb_records_view written straight as JSON text to `out` (borrowed) where nothing needs the
 * built record: no `expand` (NULL or "") and a superuser or a non-auth collection (no
 * per-record email visibility). Returns 0 with the same bytes pb_json_write gives for
 * pb_records_view's record, -1 with err exactly as pb_records_view, or 1 (nothing written, err
 * untouched) when not applicable: call pb_records_view. */
int pb_records_view_write(const struct pb_read_ctx *ctx, const struct pb_collection *c, const char *id,
                          const char *expand, struct pb_strbuf *out, struct pb_error *err);

#endif
