/* auth_record — saving auth records outside the records API (what the auth flows do with
 * app.Save: set a new password, mark verified, change the email) and the model hooks PocketBase
 * attaches to every auth record save:
 *   - a changed password hash or email renews tokenKey (all issued tokens die), as does a
 *     random password (Record.SetRandomPassword);
 *   - `_superusers` records are always verified;
 *   - a verified false → true upgrade deletes the record's `_externalAuths` rows and, when
 *     there were any, renews tokenKey (core/external_auth_model.go);
 *   - after the UPDATE: a changed password hash deletes the record's `_mfas` and
 *     `_authOrigins` rows (core/mfa_model.go, core/auth_origin_model.go), a changed tokenKey
 *     its `_otps` rows (core/otp_model.go);
 *   - creating a `_superusers` record other than the installer placeholder deletes
 *     `__pbinstaller@example.com` (core/record_model_superusers.go).
 * The hooks are also called by the records write path (record_save.c). Everything runs on
 * the writer inside the job's savepoint; bcrypt never runs here: callers pass hashes made on
 * the blocking pool. */
#ifndef POCKETC_COLLECTIONS_AUTH_RECORD_H
#define POCKETC_COLLECTIONS_AUTH_RECORD_H

#include <jansson.h>
#include <stdbool.h>

#include "collections/schema.h"
#include "core/error.h"
#include "core/writer.h"

/* What a flow changes on one auth record. */
struct pb_auth_change {
	const char *email;          /* new email, or NULL to keep it */
	int verified;               /* -1 keep, 0 false, 1 true */
	const char *password_plain; /* a user-chosen new password (validated by the password field
	                             * rules), or NULL */
	const char *password_hash;  /* bcrypt hash of password_plain, or of a random password when
	                             * password_plain is NULL; NULL = password unchanged */
};

/* Loads record `id` of auth collection c, applies `ch`, validates the whole record like
 * App.Save (field rules with the new plain password; database checks), applies the save hooks
 * above and writes it, recording an "update" change event. `message` is the error message of
 * a validation failure (400 with the field errors in data). Returns 0 and, when out is
 * non-NULL, *out = the saved record without secrets (new reference); or -1 with w->err (404
 * when the record is gone, 400, 500). */
int pb_auth_record_save_changes(struct pb_write_ctx *w, const struct pb_schema *schema, const struct pb_collection *c,
                                const char *id, const struct pb_auth_change *ch, const char *message, json_t **out);

/* The UpdateExecute hooks before the row is written: `record` (borrowed, modified: tokenKey)
 * is what will be stored, `original` (borrowed) what is stored now, both with secrets. Returns
 * 0 or -1 with w->err (500). No-op for non-auth collections. */
int pb_auth_record_before_update(struct pb_write_ctx *w, const struct pb_collection *c, const json_t *original,
                                 json_t *record);

/* The hooks after the row was written (same arguments, both borrowed). Returns 0 or -1 with
 * w->err (500). No-op for non-auth collections. */
int pb_auth_record_after_update(struct pb_write_ctx *w, const struct pb_collection *c, const json_t *original,
                                const json_t *record);

/* After a record of c was inserted (`record` borrowed, with its email): deletes the installer
 * superuser when c is `_superusers` and the new record is not the installer. Returns 0 or -1
 * with w->err (500). */
int pb_auth_record_after_create(struct pb_write_ctx *w, const struct pb_schema *schema, const struct pb_collection *c,
                                const json_t *record);

/* A fresh tokenKey for c (its autogeneratePattern, default [a-zA-Z0-9]{50}); caller frees.
 * NULL with err on failure. */
char *pb_auth_new_token_key(const struct pb_collection *c, struct pb_error *err);

#endif
