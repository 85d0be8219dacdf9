/* record_export — the requester-dependent part of record JSON, shared by list, view, expand
 * and (later) create/update/auth responses and realtime. Mirrors PocketBase's
 * autoResolveRecordsFlags + Record.PublicExport: records are loaded with every field
 * (struct pb_record_export {.show_hidden = true, .show_email = true}) and then stripped per
 * requester:
 *   - superusers keep everything (hidden fields and email);
 *   - everyone else loses hidden fields;
 *   - auth collections: `email` stays when emailVisibility is true, or the record's id is the
 *     requester's id, or the requester satisfies the collection's manageRule for that record
 *     (one `SELECT c.id … WHERE c.id IN (…) AND (manageRule)` per call); password/tokenKey
 *     are never present in the first place.
 * The `expand` member of a record is not touched (expanded records are exported per fetch). */
#ifndef POCKETC_COLLECTIONS_RECORD_EXPORT_H
#define POCKETC_COLLECTIONS_RECORD_EXPORT_H

#include <jansson.h>

#include "collections/read_ctx.h"

/* Applies the visibility of ctx->req to `records` (borrowed JSON array of record objects of c,
 * modified in place). Returns 0, or -1 when the manageRule query failed: the records are
 * still stripped, treating them as not managed (email hidden), as upstream only logs it. */
int pb_records_export(const struct pb_read_ctx *ctx, const struct pb_collection *c, json_t *records);

#endif
