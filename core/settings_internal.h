/* settings_internal — declarations shared by the settings files (settings.c, settings_json.c,
 * settings_store.c, settings_validate.c). The settings structs are described by field tables
 * (JSON name, kind, offset, nested table) so that decoding, encoding, copying and freeing
 * follow the Go struct definitions in one place. */
#ifndef POCKETC_CORE_SETTINGS_INTERNAL_H
#define POCKETC_CORE_SETTINGS_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/settings.h"

enum pb_sf_kind { PB_SF_BOOL, PB_SF_INT, PB_SF_STR, PB_SF_STRLIST, PB_SF_STRUCT, PB_SF_RULES };

#define PB_SF_OMITEMPTY 1u /* `json:",omitempty"`: not written when "" */
#define PB_SF_SECRET 2u    /* not part of the API view */

struct pb_sf {
	const char *name; /* JSON key; NULL ends a table */
	enum pb_sf_kind kind;
	size_t off;
	const struct pb_sf *sub; /* PB_SF_STRUCT: the nested table */
	unsigned flags;
};

/* The table of struct pb_settings (Go's `settings` struct, in field order). */
extern const struct pb_sf pb_settings_table[];

/* Zero value: strings "", lists empty, numbers 0, false. */
void pb_settings_fields_init(void *base, const struct pb_sf *table);
void pb_settings_fields_free(void *base, const struct pb_sf *table);
/* Deep copy of src into uninitialised dst. */
void pb_settings_fields_copy(void *dst, const void *src, const struct pb_sf *table);

/* json.Unmarshal of `v` (borrowed) onto the struct at base. Every assignable value is applied
 * even after a type mismatch (as Go continues); returns 0, or -1 when any value had the wrong
 * JSON type. */
int pb_settings_fields_decode(void *base, const struct pb_sf *table, const json_t *v);

/* The struct as a JSON object in table order: stored form (api_view false) or API view.
 * New reference. */
json_t *pb_settings_fields_encode(const void *base, const struct pb_sf *table, bool api_view);

/* Go's json.Marshal bytes of `v` (objects in stored order, HTML-escaped strings). Caller
 * frees. */
char *pb_settings_go_dump(const json_t *v);

/* A snapshot with zero values and refcount 1 (no doc yet). */
struct pb_settings *pb_settings_alloc(void);
/* Builds s->doc from the typed fields; call once when the snapshot is complete. */
void pb_settings_seal(struct pb_settings *s);

#endif
