/* collection_doc — a collection while it is being created, changed or imported: one JSON object
 * shaped like PocketBase's Go Collection struct as json.Unmarshal sees it (BaseModel id, the
 * baseCollection keys, the auth options and the view options all flattened to the top level,
 * secrets included). Request bodies are decoded onto it with Go's rules (gostruct.h; `fields`
 * is decoded by field_settings.h), and it converts to the stored `_collections` row (options
 * per type, in Go struct order, `secret`/`clientSecret` omitted when empty) and to the
 * immutable model (collection.h) that the filter engine, schema sync and the API JSON use.
 * Mirrors core/collection_model.go (MarshalJSON, DBExport, PostScan/unmarshalRawOptions). */
#ifndef POCKETC_COLLECTIONS_COLLECTION_DOC_H
#define POCKETC_COLLECTIONS_COLLECTION_DOC_H

#include <jansson.h>

#include "collections/collection.h"
#include "collections/gostruct.h"

/* The Collection struct (fields is PB_GO_SKIP) and its auth / view option parts. */
extern const struct pb_go_field pb_collection_doc_schema[];
extern const struct pb_go_field pb_collection_auth_schema[];
extern const struct pb_go_field pb_collection_view_schema[];

/* A zero Collection (every key with its Go zero value, "fields": []). New reference. */
json_t *pb_collection_doc_zero(void);

/* The doc of a stored collection (borrowed): its row values plus its options decoded onto the
 * zero options (legacy rows with missing keys get zero values). New reference. */
json_t *pb_collection_doc_from(const struct pb_collection *c);

/* Doc accessors (borrowed strings, "" when absent). */
const char *pb_collection_doc_str(const json_t *doc, const char *key);
/* The doc's type: "auth", "view" or anything else as "base". */
enum pb_collection_type pb_collection_doc_type(const json_t *doc);

/* The stored `options` text of the doc's type: "{}" (base), {"viewQuery":…} (view) or the
 * auth options. The `fields` / `indexes` texts ("[]" for null). All malloc'd; caller frees. */
char *pb_collection_doc_options_text(const json_t *doc);
char *pb_collection_doc_fields_text(const json_t *doc);
char *pb_collection_doc_indexes_text(const json_t *doc);

/* The model of the doc (caller frees with pb_collection_free), or NULL when its JSON cannot be
 * parsed back (never for docs made here). */
struct pb_collection *pb_collection_doc_build(const json_t *doc);

/* The API JSON of the doc (collection_json.h form: secrets stripped). New reference. */
json_t *pb_collection_doc_api_json(const json_t *doc);

#endif
