/* record_write — the last steps before a record row is written, run by the writer inside its
 * transaction: hashing new passwords, the save-time rules of PocketBase's record model
 * (tokenKey renewal, superusers always verified, autodate stamps) and the INSERT/UPDATE
 * statement with every field bound in collection order (DriverValue: bools 1/0, multi-values
 * as JSON array text, json as text or NULL, geoPoint as {"lon","lat"} text). PocketBase writes
 * all columns on update too (last writer wins per row). */
#ifndef POCKETC_COLLECTIONS_RECORD_WRITE_H
#define POCKETC_COLLECTIONS_RECORD_WRITE_H

#include <jansson.h>
#include <stdint.h>

#include "collections/collection.h"
#include "collections/query.h"
#include "collections/record_assign.h"
#include "core/error.h"
#include "core/strbuf.h"

/* bcrypt-hashes every plain text in `plain` (borrowed object: password field → plain) into
 * record[field] with that field's cost (0 → 10); an empty plain text clears the hash. Blocking
 * (tens of ms per password): run it on a blocking pool. Returns 0 or -1 with err. */
int pb_record_hash_passwords(const struct pb_collection *c, json_t *record, const json_t *plain,
                             struct pb_error *err);

/* The save-time rules, in PocketBase's order: hash the form's new passwords (blocking, see
 * above; the plain texts are then dropped from form->plain), `_superusers` records get
 * verified = true, an updated auth record whose password or email changed gets a fresh
 * tokenKey (unless tokenKey itself was changed), and autodate fields are stamped with now_ms.
 * Returns 0 or -1 with err. */
int pb_record_form_prepare_write(struct pb_record_form *form, int64_t now_ms, struct pb_error *err);

/* Binds every field of `record` (borrowed) in collection order as parameters ?first..?first+n-1
 * of q (the next free ones); returns the first parameter number. */
int pb_record_bind(const struct pb_collection *c, const json_t *record, struct pb_query *q);

/* "INSERT INTO `t` (`f1`, `f2`, …) VALUES (?1, ?2, …)" for pb_record_bind's parameters. */
void pb_record_insert_sql(const struct pb_collection *c, struct pb_strbuf *out);
/* "UPDATE `t` SET `f1` = ?1, … WHERE `id` = ?N+1": bind the fields, then the stored id. */
void pb_record_update_sql(const struct pb_collection *c, struct pb_strbuf *out);

/* Schema sync's column definition of one field: "`name` <column_def>" appended to out. */
void pb_field_column_sql(const struct pb_field *f, struct pb_strbuf *out);

#endif
