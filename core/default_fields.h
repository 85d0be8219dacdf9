/* default_fields — the JSON of the system fields PocketBase puts into collections it creates:
 * the record `id` (text primary key, 15 chars [a-z0-9]), the auth fields `password`,
 * `tokenKey`, `email`, `emailVisibility`, `verified`, and the `created`/`updated` autodates.
 * Shared by the first-start bootstrap (core/bootstrap_collections.c) and by new collections
 * (collections/collection_defaults.c), so both store byte-identical field objects. Each
 * object has every key of the Go field struct plus "type", inserted alphabetically (how
 * PocketBase serializes a field: through a map), with the checksum id PocketBase derives
 * (type + CRC-32 of the name). Mirrors core/collection_model.go initIdField … initVerifiedField. */
#ifndef POCKETC_CORE_DEFAULT_FIELDS_H
#define POCKETC_CORE_DEFAULT_FIELDS_H

#include <jansson.h>
#include <stdbool.h>

/* Every builder returns a new reference (caller json_decref's it); they never fail (out of
 * memory aborts inside jansson users). */

/* The record id field's autogeneratePattern. */
#define PB_DEFAULT_ID_AUTOGENERATE "[a-z0-9]{15}"

/* The record id field: text3208210256, min/max 15, pattern ^[a-z0-9]+$, autogenerate
 * [a-z0-9]{15}, primary key, required, system. */
json_t *pb_default_field_id(void);
/* A text field with the given options (pattern "", not a primary key). */
json_t *pb_default_field_text(const char *id, const char *name, bool system, bool hidden, bool required, int min,
                              int max, const char *autogenerate);
/* The system, hidden, required `password` field (password901924565) with `cost` and `min`. */
json_t *pb_default_field_password(int cost, int min);
/* The auth `tokenKey` field: text2504183744, system, hidden, required, min 30, max 60,
 * autogenerate [a-zA-Z0-9]{50}. */
json_t *pb_default_field_token_key(void);
/* The auth `email` field: email3885137012, system, required, no domain lists. */
json_t *pb_default_field_email(void);
/* A system bool field (emailVisibility: bool1547992806, verified: bool256245529). */
json_t *pb_default_field_bool(const char *id, const char *name);
/* `created` (onCreate) or, with `updated`, `updated` (onCreate + onUpdate) autodate. */
json_t *pb_default_field_autodate(bool updated, bool system);

/* Appends the six fields every new auth collection starts with, in PocketBase's order:
 * id, password (min 8), tokenKey, email, emailVisibility, verified. `fields` is borrowed. */
void pb_default_auth_fields_append(json_t *fields);

#endif
