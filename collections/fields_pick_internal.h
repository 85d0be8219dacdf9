/* fields_pick_internal — the `:excerpt` modifier shared by fields_pick.c and
 * fields_excerpt.c. */
#ifndef POCKETC_COLLECTIONS_FIELDS_PICK_INTERNAL_H
#define POCKETC_COLLECTIONS_FIELDS_PICK_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"

struct pb_fields_excerpt {
	int64_t max; /* > 0 */
	bool with_ellipsis;
};

/* Parses a modifier expression such as "excerpt(200, true)" (borrowed) into *out. Returns 0,
 * or -1 with err set (status 400) for an empty or unknown modifier or bad excerpt arguments:
 * none, more than two, or a max that cast.ToInt does not read as > 0. */
int pb_fields_modifier_parse(const char *raw, struct pb_fields_excerpt *out, struct pb_error *err);

/* The excerpt of a string value (borrowed) as a new string reference; NULL for non-string
 * values, which PocketBase leaves untouched. */
json_t *pb_fields_excerpt_apply(const struct pb_fields_excerpt *m, const json_t *value);

#endif
