/* record_assign — applying a request body to a record, as PocketBase's record create/update
 * handlers and forms.RecordUpsert do (apis/record_crud.go recordDataFromRequest,
 * Record.ReplaceModifiers / SetIfFieldExists, RecordUpsert.Load / validateFormFields).
 *
 * The caller (HTTP handler, then the writer) drives one struct pb_record_form per write:
 *
 *   pb_record_form_init(&form, c, stored_or_NULL)      load the stored record / start a new one
 *   pb_record_form_add_upload(&form, "docs+", …)        each uploaded file part (multipart only)
 *   body = pb_record_form_assign(&form, request_body)   modifiers, normalisation, hidden fields;
 *                                                       returns the resolved @request.body
 *   … create/update rule and manageRule checks (may call pb_record_form_grant) …
 *   pb_record_form_validate_auth(&form)                 auth form rules (password, passwordConfirm,
 *                                                       oldPassword, email, verified)
 *   pb_record_form_validate(&form, checks)              autogenerate + every field (no database)
 *   --- in the writer, inside the transaction ---
 *   pb_record_run_checks(db, …, checks)                 relation ids, custom pk (record_validate.h)
 *   pb_record_form_prepare_write(&form, now)            bcrypt, tokenKey, autodates (record_write.h)
 *   pb_record_bind / pb_record_insert_sql / …           the INSERT or UPDATE (record_write.h)
 *
 * Values live in form.record as normalised JSON (collections/field_type.h). A new plain
 * password is kept in form.plain and hashed only by pb_record_form_prepare_write; new uploads
 * are names in the file field's value, described in form.uploads. No HTTP, no threads, no
 * database access here. */
#ifndef POCKETC_COLLECTIONS_RECORD_ASSIGN_H
#define POCKETC_COLLECTIONS_RECORD_ASSIGN_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "collections/collection.h"
#include "core/error.h"

enum pb_record_access {
	PB_ACCESS_DEFAULT,   /* guests and ordinary auth records */
	PB_ACCESS_MANAGER,   /* matched the auth collection's manageRule */
	PB_ACCESS_SUPERUSER, /* a _superusers record: hidden fields settable */
};

struct pb_record_form {
	const struct pb_collection *c; /* borrowed; must outlive the form */
	json_t *record;   /* owned object: every field of c → normalised value */
	json_t *original; /* owned object: the last saved values; NULL when creating */
	json_t *plain;    /* owned object: password field → plain text set by assign */
	json_t *uploads;  /* owned object: upload key ("f", "+f", "f+") → array of upload objects
	                   * {"name","originalName","size","mime"} as registered */
	json_t *field_uploads; /* owned object: file field → the uploads still in its value (set by
	                        * pb_record_form_assign) */
	enum pb_record_access access;
	/* RecordUpsert's extra auth fields, as loaded from the body (owned, never NULL) */
	char *password, *password_confirm, *old_password;
	bool skip_password_checks; /* e.g. an OAuth2 sign-up with a random password */
};

/* Starts a form for collection c. `stored` (borrowed; NULL for a new record) is the stored
 * record as an object of field values with secrets (pb_record_from_row with show_hidden,
 * show_email, keep_secrets, no_collection_keys), whose values are already normalised; they
 * are copied, missing fields get their zero value. A new record gets every field's zero value and
 * an empty id. `access` is PB_ACCESS_DEFAULT; set it before assigning. */
void pb_record_form_init(struct pb_record_form *form, const struct pb_collection *c, const json_t *stored);
void pb_record_form_deinit(struct pb_record_form *form);

/* Raises the access level (never lowers it), like RecordUpsert.GrantManagerAccess. */
void pb_record_form_grant(struct pb_record_form *form, enum pb_record_access access);

/* Registers one new upload submitted under `key` (a file field's name, "+name" or "name+",
 * as extractUploadedFiles accepts them). `name` is the generated storage name, `original_name`
 * the client's file name, `mime` the content-sniffed type (NULL/"" when unknown). Strings are
 * copied. Call before pb_record_form_assign. Returns 0, or -1 with err (400) when key is not a
 * file field key of the collection. */
int pb_record_form_add_upload(struct pb_record_form *form, const char *key, const char *name,
                              const char *original_name, int64_t size, const char *mime, struct pb_error *err);

/* Applies a decoded body (borrowed JSON object; NULL or non-object = empty) to form->record:
 * keys that name a field or a modifier of one are applied in increasing key-length order
 * (each on top of the previous result), registered uploads are merged (for a plain `f` key the
 * submitted names are kept and the uploads appended), hidden fields are dropped for
 * non-superusers (except an auth collection's `password`), autodate values are ignored,
 * unknown keys are ignored; on auth collections `password`, `passwordConfirm` and
 * `oldPassword` are also kept in the form fields.
 * Returns the resolved @request.body (new reference): the body with every applied key
 * replaced by the plain field name holding the resulting normalised value (a password as its
 * plain text, upload names in file fields) and unknown keys kept as sent. Never NULL. */
json_t *pb_record_form_assign(struct pb_record_form *form, const json_t *body);

/* True when pb_record_form_validate_auth will run a bcrypt comparison (oldPassword), which
 * takes tens of milliseconds: run it on a blocking pool then. */
bool pb_record_form_needs_bcrypt(const struct pb_record_form *form);

/* RecordUpsert.validateFormFields for auth collections (no-op returning 0 otherwise):
 *   email      update without manager access: must equal the stored email
 *   verified   without manager access: must equal the stored value (false on create)
 *   password   required on create, or when passwordConfirm/oldPassword is given
 *   passwordConfirm  required on create or with password/oldPassword; must equal password
 *   oldPassword  update without manager access that changes the password: required and
 *              must match the stored hash (bcrypt)
 * All failing keys are reported together (validation_values_mismatch "Values don't match.",
 * validation_required, validation_invalid_old_password). Returns 0, or -1 with err 400
 * `message` (NULL = "Failed to create record." / "Failed to update record.") and data. */
int pb_record_form_validate_auth(struct pb_record_form *form, const char *message, struct pb_error *err);

/* Runs the fields' validate-time interceptors (a new record's empty text fields with an
 * autogeneratePattern, e.g. the id, get a generated value), then pb_record_validate with the
 * form's plain passwords and uploads, listing database checks into `checks` (borrowed array,
 * may be NULL). Returns 0, or -1 with err (400, `message` or the create/update default). */
int pb_record_form_validate(struct pb_record_form *form, json_t *checks, const char *message, struct pb_error *err);

/* The uploads of one file field (borrowed array; NULL when none) — what the writer must store
 * in the file storage before the INSERT/UPDATE. Only uploads still part of the field's value
 * are listed after pb_record_form_assign. */
const json_t *pb_record_form_field_uploads(const struct pb_record_form *form, const char *field);

#endif
