/* field_settings — a collection field's definition as PocketBase binds and stores it.
 * A submitted field object is decoded like FieldsList.UnmarshalJSON does: its "type" picks the
 * Go field struct (core/field_*.go), the object is unmarshalled onto that struct's zero value
 * (unknown keys dropped, wrong value types rejected) and the result is serialized the way
 * PocketBase stores it: every struct key plus "type", in byte-wise key order. Fields are then
 * added to a list with FieldsList.add: an id-less field gets `type + crc32(name)` (with 2..999
 * appended while taken) and replaces, in place and inheriting its id, an earlier field of the
 * same name; a field with an id replaces the field with that id; anything else is appended. */
#ifndef POCKETC_COLLECTIONS_FIELD_SETTINGS_H
#define POCKETC_COLLECTIONS_FIELD_SETTINGS_H

#include <jansson.h>
#include <stdbool.h>

#include "collections/collection.h"

/* Decodes one field object (borrowed). Returns the canonical field (new reference), or NULL
 * when `src` is not an object, its type is missing/unknown or a value has the wrong type. */
json_t *pb_field_settings_decode(const json_t *src);

/* The canonical form of `f` (borrowed) for its own "type" (e.g. after options were changed in
 * place): same as decoding it onto the zero struct. NULL for an unknown type. */
json_t *pb_field_settings_canonical(const json_t *f);

/* FieldsList.add(-1, field): `list` (borrowed JSON array) gets `field` (stolen). */
void pb_fields_list_add(json_t *list, json_t *field);

/* NewFieldsList(list...): a new array with every field of `fields` (borrowed) added in order
 * (deep copies). New reference. */
json_t *pb_fields_list_new(const json_t *fields);

/* Lookups over a JSON field list (borrowed results; NULL when absent): exact name / exact id. */
json_t *pb_fields_by_name(const json_t *list, const char *name);
json_t *pb_fields_by_id(const json_t *list, const char *id);

/* Small accessors of a field object: its string member ("" when absent), bool, number. */
const char *pb_fjson_str(const json_t *f, const char *key);
bool pb_fjson_bool(const json_t *f, const char *key);
double pb_fjson_num(const json_t *f, const char *key);

/* True when a select/relation/file field object has maxSelect > 1 (IsMultiple). */
bool pb_fjson_is_multiple(const json_t *f);

#endif
