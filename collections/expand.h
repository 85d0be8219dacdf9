/* expand — PocketBase's `?expand=` on already loaded records (core/record_query_expand.go and
 * the expand fetch of apis/record_helpers.go): comma-separated dot paths of relation fields
 * and back-relations (`coll_via_field`, legacy `coll(field)`), at most 6 levels, one fetch per
 * level of the unique related ids with the related collection's viewRule applied for the
 * requester (request context "expand"; superusers bypass; a null viewRule fails the path for
 * everyone else), back-relations limited to 1000 ids per record and single only with a
 * single-column UNIQUE index, `expand:{}` on records whose relation is empty, failing paths
 * silently skipped (a failure at any depth leaves the whole path out), nested expands of
 * several paths merged. Expanded records go through pb_records_export. */
#ifndef POCKETC_COLLECTIONS_EXPAND_H
#define POCKETC_COLLECTIONS_EXPAND_H

#include <jansson.h>

#include "collections/read_ctx.h"

#define PB_EXPAND_MAX_DEPTH 6
#define PB_EXPAND_BACK_RELATION_LIMIT 1000

/* Expands `records` (borrowed JSON array of record objects of c, modified in place: an
 * `expand` object is inserted in each record's byte-wise key order). The records must still
 * hold their relation values, i.e. be loaded with show_hidden and not yet passed through
 * pb_records_export (hidden relation fields are expanded too, as upstream). `expand` (the raw
 * query value, borrowed) may be NULL or "". Failures are not reported: PocketBase only logs
 * them and answers 200. Everything in ctx is borrowed. */
void pb_expand_records(const struct pb_read_ctx *ctx, const struct pb_collection *c, json_t *records,
                       const char *expand);

/* normalizeExpands on the raw value: spaces removed, dots trimmed, empty parts dropped, a path
 * that is a "prefix." of another dropped, duplicates removed. Returns a new array of strings
 * (possibly empty). */
json_t *pb_expand_normalize(const char *expand);

#endif
