/* gostruct — decoding JSON the way Go's encoding/json decodes it into a struct, over a small
 * schema that describes the struct. PocketBase binds request bodies (and reads its stored
 * JSON) by unmarshalling onto existing Go values, and the exact semantics are observable:
 *  - keys match the struct's json tag exactly, else case-insensitively; unknown keys are ignored;
 *  - `null` leaves a string/bool/number/struct unchanged but clears a pointer, slice or map;
 *  - a JSON value of the wrong type is an error (the whole bind fails);
 *  - objects decode into the existing struct key by key (nested structs merge);
 *  - arrays decode into a slice element by element: existing elements are decoded into (a
 *    struct element keeps the keys the new one omits), the length becomes the array's;
 *  - an object decodes into a non-nil map by adding/replacing keys.
 * Values are jansson objects whose keys follow the schema order (Go struct order), so the same
 * schema also produces the zero value and the marshalled form (omitempty strings dropped). */
#ifndef POCKETC_COLLECTIONS_GOSTRUCT_H
#define POCKETC_COLLECTIONS_GOSTRUCT_H

#include <jansson.h>
#include <stdbool.h>

enum pb_go_kind {
	PB_GO_STRING,     /* string */
	PB_GO_STRPTR,     /* *string: null allowed */
	PB_GO_BOOL,       /* bool */
	PB_GO_BOOLPTR,    /* *bool */
	PB_GO_INT,        /* int / int64: integral JSON numbers only */
	PB_GO_FLOATPTR,   /* *float64 */
	PB_GO_STRLIST,    /* []string (zero: null) */
	PB_GO_STRUCT,     /* a nested struct (`sub`) */
	PB_GO_STRUCTLIST, /* []struct (zero: null) */
	PB_GO_MAP,        /* map[string]any (zero: null) */
	PB_GO_DATETIME,   /* types.DateTime: a date string, canonicalised ("" = zero) */
	PB_GO_SKIP,       /* decoded by the caller (the key is only reserved) */
};

struct pb_go_field {
	const char *key;                /* json tag; NULL ends a schema */
	enum pb_go_kind kind;
	const struct pb_go_field *sub;  /* PB_GO_STRUCT / PB_GO_STRUCTLIST element */
	bool omitempty;                 /* marshal: drop an empty string */
};

/* The zero value of a struct schema: every key in order with its zero value. New reference. */
json_t *pb_go_zero(const struct pb_go_field *schema);

/* The schema entry `key` matches (exact tag first, then ASCII case-insensitive), or NULL. */
const struct pb_go_field *pb_go_lookup(const struct pb_go_field *schema, const char *key);

/* Decodes `src` (borrowed; must be an object or null) onto `dst` (borrowed, an object of this
 * schema, modified in place; missing schema keys are added with their zero value first).
 * PB_GO_SKIP keys are left to the caller. Returns 0, or -1 when a value has the wrong type
 * (dst may then be partly updated, as in Go). */
int pb_go_decode(const struct pb_go_field *schema, json_t *dst, const json_t *src);

/* The marshalled form of `v` (borrowed, an object of this schema): keys in schema order,
 * missing ones as zero values, unknown ones dropped, omitempty empty strings dropped;
 * PB_GO_SKIP keys are copied as they are when present. New reference. */
json_t *pb_go_marshal(const struct pb_go_field *schema, const json_t *v);

#endif
