/* auth_record — flow-driven saves of auth records and the auth save hooks (see auth_record.h). */
#include "collections/auth_record.h"

#include <stdlib.h>
#include <string.h>

#include "collections/auth_lookup.h"
#include "collections/auth_options.h"
#include "collections/auth_refs.h"
#include "collections/field_type.h"
#include "collections/record_assign.h"
#include "collections/record_save_internal.h"
#include "collections/record_validate.h"
#include "core/datetime.h"
#include "core/random_regex.h"

char *pb_auth_new_token_key(const struct pb_collection *c, struct pb_error *err)
{
	const struct pb_field *tk = pb_collection_field(c, "tokenKey");
	const char *pattern = tk ? pb_field_opt_str(tk, "autogeneratePattern") : "";
	return pb_random_string_by_regex(*pattern ? pattern : "[a-zA-Z0-9]{50}", err);
}

static int set_new_token_key(struct pb_write_ctx *w, const struct pb_collection *c, json_t *record)
{
	char *key = pb_auth_new_token_key(c, w->err);
	if (!key)
		return -1;
	json_object_set_new(record, "tokenKey", json_string(key));
	free(key);
	return 0;
}

int pb_auth_record_before_update(struct pb_write_ctx *w, const struct pb_collection *c, const json_t *original,
                                 json_t *record)
{
	if (c->type != PB_COLLECTION_AUTH || !original)
		return 0;
	bool upgraded = !json_is_true(json_object_get(original, "verified")) &&
	                json_is_true(json_object_get(record, "verified"));
	if (!upgraded)
		return 0;
	int n = 0;
	if (pb_auth_ref_delete_by_record(w, PB_EXTERNAL_AUTHS, c->id, pb_auth_str(original, "id"), &n) != 0)
		return -1;
	/* force the tokens reset (if not already) */
	if (n > 0 && !strcmp(pb_auth_str(record, "tokenKey"), pb_auth_str(original, "tokenKey")))
		return set_new_token_key(w, c, record);
	return 0;
}

/* The first password field's value (the hash), "" when none. */
static const char *password_hash_of(const struct pb_collection *c, const json_t *record)
{
	const struct pb_field *f = pb_collection_field(c, "password");
	return f ? pb_auth_str(record, f->name) : "";
}

int pb_auth_record_after_update(struct pb_write_ctx *w, const struct pb_collection *c, const json_t *original,
                                const json_t *record)
{
	if (c->type != PB_COLLECTION_AUTH || !original)
		return 0;
	const char *id = pb_auth_str(record, "id");
	if (strcmp(password_hash_of(c, original), password_hash_of(c, record)) != 0) {
		if (pb_auth_ref_delete_by_record(w, PB_MFAS, c->id, id, NULL) != 0 ||
		    pb_auth_ref_delete_by_record(w, PB_AUTH_ORIGINS, c->id, id, NULL) != 0)
			return -1;
	}
	if (strcmp(pb_auth_str(original, "tokenKey"), pb_auth_str(record, "tokenKey")) != 0 &&
	    pb_auth_ref_delete_by_record(w, PB_OTPS, c->id, id, NULL) != 0)
		return -1;
	return 0;
}

int pb_auth_record_after_create(struct pb_write_ctx *w, const struct pb_schema *schema, const struct pb_collection *c,
                                const json_t *record)
{
	if (!pb_collection_is_superusers(c) || !strcmp(pb_auth_str(record, "email"), PB_INSTALLER_EMAIL))
		return 0;
	json_t *installer = pb_auth_find_by_email(w->stmts, c, PB_INSTALLER_EMAIL, NULL);
	if (!installer)
		return 0; /* already deleted (or a lookup failure, which PocketBase only logs) */
	const char *id = pb_auth_str(installer, "id");
	int rc = pb_auth_ref_delete(w, c->name, id);
	static const char *const refs[] = {PB_EXTERNAL_AUTHS, PB_MFAS, PB_OTPS, PB_AUTH_ORIGINS};
	for (size_t i = 0; rc == 0 && i < sizeof refs / sizeof refs[0]; i++)
		rc = pb_auth_ref_delete_by_record(w, refs[i], c->id, id, NULL);
	if (rc == 0) {
		json_t *pub = pb_auth_record_public(c, installer);
		pb_save_event(w, "delete", c, pub);
		json_decref(pub);
	}
	json_decref(installer);
	(void)schema;
	return rc;
}

int pb_auth_record_save_changes(struct pb_write_ctx *w, const struct pb_schema *schema, const struct pb_collection *c,
                                const char *id, const struct pb_auth_change *ch, const char *message, json_t **out)
{
	if (out)
		*out = NULL;
	json_t *stored = pb_save_load_stored(w, c, id);
	if (!stored)
		return pb_error_set(w->err, 404, "%s", "");
	struct pb_record_form form;
	pb_record_form_init(&form, c, stored);
	pb_record_form_grant(&form, PB_ACCESS_SUPERUSER);
	int rc = -1;
	if (ch->email)
		json_object_set_new(form.record, "email", json_string(ch->email));
	if (ch->verified >= 0 && pb_collection_field(c, "verified"))
		json_object_set_new(form.record, "verified", json_boolean(ch->verified));
	if (ch->password_plain)
		json_object_set_new(form.plain, "password", json_string(ch->password_plain));

	/* App.Save validates the whole record */
	json_t *checks = json_array();
	int v = pb_record_form_validate(&form, checks, message, w->err);
	int k = pb_record_run_checks(w->stmts, schema, checks, message, w->err);
	json_decref(checks);
	if (v != 0 || k != 0)
		goto done;
	json_object_clear(form.plain);

	bool password_changed = false;
	if (ch->password_hash && pb_collection_field(c, "password")) {
		json_object_set_new(form.record, "password", json_string(ch->password_hash));
		password_changed = true;
	}
	if (pb_collection_is_superusers(c) && pb_collection_field(c, "verified"))
		json_object_set_new(form.record, "verified", json_true());
	bool key_same = !strcmp(pb_auth_str(form.record, "tokenKey"), pb_auth_str(form.original, "tokenKey"));
	bool email_changed = strcmp(pb_auth_str(form.record, "email"), pb_auth_str(form.original, "email")) != 0;
	if (key_same && (password_changed || email_changed) && set_new_token_key(w, c, form.record) != 0)
		goto done;
	if (pb_auth_record_before_update(w, c, form.original, form.record) != 0)
		goto done;
	int64_t now = pb_now_ms();
	for (size_t i = 0; i < c->nfields; i++) {
		const struct pb_field_ops *ops = pb_field_impl(&c->fields[i]);
		if (ops->on_write)
			ops->on_write(&c->fields[i], form.record, form.original, now);
	}
	if (pb_save_update_row(w, c, form.record, id, message) != 0)
		goto done;
	if (pb_auth_record_after_update(w, c, form.original, form.record) != 0)
		goto done;
	json_t *pub = pb_save_public_copy(c, form.record);
	pb_save_event(w, "update", c, pub);
	if (out)
		*out = pub;
	else
		json_decref(pub);
	rc = 0;
done:
	pb_record_form_deinit(&form);
	json_decref(stored);
	return rc;
}
