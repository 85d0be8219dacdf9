/* collection_json — a collection as PocketBase's API shows it: Go struct key order
 * (id, listRule, …, system, then the auth or view options flattened to the top level),
 * token secrets and OAuth2 client secrets removed. */
#ifndef POCKETC_COLLECTIONS_COLLECTION_JSON_H
#define POCKETC_COLLECTIONS_COLLECTION_JSON_H

#include <jansson.h>

#include "collections/collection.h"

/* Returns a new JSON object (caller decrefs). */
json_t *pb_collection_to_json(const struct pb_collection *c);

#endif
