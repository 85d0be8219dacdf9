/* record_enrich — PocketBase's EnrichRecord for one record about to be returned by a write
 * (create/update response, batch results, auth responses): `expand` resolved for the requester
 * (request context "expand"), then the requester's visibility applied (hidden fields, email). */
#ifndef POCKETC_COLLECTIONS_RECORD_ENRICH_H
#define POCKETC_COLLECTIONS_RECORD_ENRICH_H

#include <jansson.h>

#include "collections/read_ctx.h"

/* `record` (borrowed) holds every field incl. hidden ones and email. Returns the exported copy
 * (new reference). `expand` may be NULL. */
json_t *pb_record_enrich(const struct pb_read_ctx *ctx, const struct pb_collection *c, const json_t *record,
                         const char *expand);
/* The same, exporting `record` itself (stolen: the caller's reference is consumed, and nothing
 * else may use the record or its values afterwards). */
json_t *pb_record_enrich_owned(const struct pb_read_ctx *ctx, const struct pb_collection *c, json_t *record,
                               const char *expand);

#endif
