/* record_save_internal — what record_save.c (create/update) and record_delete.c share. */
#ifndef POCKETC_COLLECTIONS_RECORD_SAVE_INTERNAL_H
#define POCKETC_COLLECTIONS_RECORD_SAVE_INTERNAL_H

#include "collections/read_ctx.h"
#include "collections/record_save.h"

/* The stored row of `id` with every field incl. secrets (password hash, tokenKey), without
 * collectionId/collectionName, through the writer's statement cache. NULL when missing. */
json_t *pb_save_load_stored(struct pb_write_ctx *w, const struct pb_collection *c, const char *id);
/* A stored row as the record the API/realtime see internally: secrets removed, plus
 * collectionId/collectionName (new reference). */
json_t *pb_save_public_copy(const struct pb_collection *c, const json_t *stored);
/* Records a change event {"action","collectionId","record"} (record borrowed, copied). */
void pb_save_event(struct pb_write_ctx *w, const char *action, const struct pb_collection *c, const json_t *record);
/* pb_save_event sharing `record` (a reference is taken, nothing copied): for a record nothing
 * changes before the job's completion (the event sink copies what it keeps before that). */
void pb_save_event_shared(struct pb_write_ctx *w, const char *action, const struct pb_collection *c, json_t *record);
/* Probes `rule` (non-empty) against a record that is not stored yet, as PocketBase's create
 * rule check does: the values are exposed through a CTE named after a dummy copy of c, so plain
 * fields see the new values while @collection.* reads the real tables. Returns 1 match, 0 no
 * match, -1 with err (400) when the rule does not build or the query fails. */
int pb_save_rule_check_new(const struct pb_read_ctx *ctx, const struct pb_collection *c, const json_t *record,
                           const char *rule, struct pb_error *err);
/* UPDATE of every field of `record` for the stored row `id` (no validation), mapping UNIQUE
 * violations to field errors with `message`. Returns 0 or -1 with err. */
int pb_save_update_row(struct pb_write_ctx *w, const struct pb_collection *c, const json_t *record, const char *id,
                       const char *message);

#endif
