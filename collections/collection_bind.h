/* collection_bind — a request body bound onto a collection as PocketBase's BindBody does it
 * (json.Unmarshal onto the Go Collection): top-level keys matched exactly or
 * case-insensitively, options merged key by key, `indexes` replaced, `fields` rebuilt from
 * scratch through FieldsList.UnmarshalJSON (field_settings.h), wrong value types rejected. */
#ifndef POCKETC_COLLECTIONS_COLLECTION_BIND_H
#define POCKETC_COLLECTIONS_COLLECTION_BIND_H

#include <jansson.h>

/* The factory step of collectionCreate: {type, name} read from `body` (borrowed; NULL = {}).
 * Returns 0 with *out = a new object {"type":…,"name":…}, or -1 (a value is not a string). */
int pb_collection_bind_factory(const json_t *body, json_t **out);

/* Decodes `body` (borrowed object; NULL = nothing) onto `doc` (collection_doc.h, modified).
 * Returns 0, or -1 when a value has the wrong type or a field is malformed (doc may then be
 * partly changed: the caller discards it). */
int pb_collection_bind(json_t *doc, const json_t *body);

#endif
