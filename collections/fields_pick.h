/* fields_pick — PocketBase's `fields` query parameter (tools/picker).
 * An expression is a comma-separated list of dot paths (`id,expand.author.name`), `*` for
 * every key of a level not otherwise listed, and an optional `:excerpt(max[,withEllipsis])`
 * modifier per path. Picking works on the response as Go re-decodes it (every object's keys
 * in byte-wise order, integers beyond ±2^53 rounded to float64): at each object level only
 * keys named by some path are kept, nested objects and arrays of objects are picked with the
 * rest of the path, arrays whose first element is not an object are left alone, unknown
 * names are simply absent. */
#ifndef POCKETC_COLLECTIONS_FIELDS_PICK_H
#define POCKETC_COLLECTIONS_FIELDS_PICK_H

#include <jansson.h>
#include <stdbool.h>

#include "core/error.h"

struct pb_fields_pick;

/* Parses a `fields` value (borrowed). Returns a new picker (free with pb_fields_pick_free),
 * or NULL: with err->status == 0 when `expr` is NULL or "" (PocketBase skips picking), with
 * status 400 and PocketBase's generic message when the expression is invalid (unbalanced
 * quotes or parentheses, an empty, unknown or badly argued modifier). A value of only blanks
 * and commas yields a picker without paths, which keeps everything but still re-sorts keys,
 * as Pick does. */
struct pb_fields_pick *pb_fields_pick_parse(const char *expr, struct pb_error *err);

/* Returns a new value (caller decrefs; never NULL, NULL `v` gives null) picked from `v`
 * (borrowed, unchanged). With `is_list` and `v` an object, picking applies to each element
 * of its "items" array and the envelope keys stay (sorted too). A NULL `p` only re-decodes. */
json_t *pb_fields_pick_apply(const struct pb_fields_pick *p, const json_t *v, bool is_list);

/* Frees a picker (NULL is a no-op). */
void pb_fields_pick_free(struct pb_fields_pick *p);

#endif
