/* record_find — loading single records by id, for auth-token resolution, view and expand.
 * Mirrors PocketBase's FindRecordById (optionally with an access-rule filter). */
#ifndef POCKETC_COLLECTIONS_RECORD_FIND_H
#define POCKETC_COLLECTIONS_RECORD_FIND_H

#include <jansson.h>
#include <sqlite3.h>

#include "collections/record_json.h"
#include "core/stmt_cache.h"

/* Loads record `id` of `c` from `db` and returns its JSON (new reference) or NULL when it does
 * not exist. When token_key_out is non-NULL and c is an auth collection, *token_key_out gets
 * a malloc'd copy of the record's tokenKey (caller frees). */
json_t *pb_record_find_by_id(sqlite3 *db, const struct pb_collection *c, const char *id,
                             const struct pb_record_export *x, char **token_key_out);
/* Same, preparing the statement through a worker's statement cache (borrowed). */
json_t *pb_record_find_by_id_cached(struct pb_stmt_cache *cache, const struct pb_collection *c, const char *id,
                                    const struct pb_record_export *x, char **token_key_out);

#endif
