/* record_probe — does one record match a filter expression for a requester? The query shape
 * of PocketBase's CanAccessRecord (a rule: hidden fields allowed) and of the realtime
 * subscription filter check (apis/realtime.go realtimeCanAccessRecord: a client-side filter
 * resolved with allowHiddenFields=false, so hidden fields are rejected, auth `email` gets the
 * emailVisibility guard and joined collections' list rules apply). No superuser bypass and no
 * null/empty rule handling here: the caller decides those (record_rule.h does for rules).
 *
 * Two sources for the record: the stored row (`SELECT [DISTINCT] (1) FROM c <joins> WHERE
 * c.id = ? AND (expr) LIMIT 1`), or its values when it is not stored (any more) — a deleted
 * record as it was: the values are exposed through a CTE named after a copy of c
 * (`<name>__pb_probe`), so plain fields see the values while relations, back-relations and
 * @collection.* read the real tables. Statements go through ctx->stmts (cached). */
#ifndef POCKETC_COLLECTIONS_RECORD_PROBE_H
#define POCKETC_COLLECTIONS_RECORD_PROBE_H

#include <jansson.h>
#include <stdbool.h>

#include "collections/read_ctx.h"
#include "core/error.h"

/* Returns 1 when the stored record `id` of c matches `expr` (non-empty), 0 when not, -1 with
 * err (400 when the expression does not build, 500 on SQLite errors). `client_filter` selects
 * the client-filter restrictions described above. Everything is borrowed. */
int pb_record_probe(const struct pb_read_ctx *ctx, const struct pb_collection *c, const char *id, const char *expr,
                    bool client_filter, struct pb_error *err);

/* The same for a record given by its values (borrowed JSON object in the write path's shape:
 * every field by name; missing fields count as their zero value). */
int pb_record_probe_values(const struct pb_read_ctx *ctx, const struct pb_collection *c, const json_t *values,
                           const char *expr, bool client_filter, struct pb_error *err);

#endif
