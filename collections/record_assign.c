/* record_assign — request body → record (see record_assign.h). Field names come from parsed
 * JSON (valid UTF-8), so records are keyed by them with jansson's _nocheck setters. */
#include "collections/record_assign.h"

#include <stdlib.h>
#include <string.h>

#include "collections/field_cast.h"
#include "collections/field_type.h"
#include "collections/record_validate.h"
#include "collections/validation_messages.h"
#include "core/password.h"

static bool is_auth(const struct pb_record_form *form) { return form->c->type == PB_COLLECTION_AUTH; }

static const char *default_message(const struct pb_record_form *form)
{
	return form->original ? "Failed to update record." : "Failed to create record.";
}

void pb_record_form_init(struct pb_record_form *form, const struct pb_collection *c, const json_t *stored)
{
	memset(form, 0, sizeof *form);
	form->c = c;
	form->record = json_object();
	form->plain = json_object();
	form->uploads = json_object();
	form->field_uploads = json_object();
	form->password = strdup("");
	form->password_confirm = strdup("");
	form->old_password = strdup("");
	for (size_t i = 0; i < c->nfields; i++) {
		const struct pb_field *f = &c->fields[i];
		const struct pb_field_ops *ops = pb_field_impl(f);
		json_t *v = stored ? json_object_get(stored, f->name) : NULL;
		/* NewRecord leaves the id empty; stored values are already normalised (from_column) */
		json_object_set_new_nocheck(form->record, f->name, v ? json_deep_copy(v) : ops->zero(f));
	}
	if (stored)
		form->original = json_deep_copy(form->record);
}

void pb_record_form_deinit(struct pb_record_form *form)
{
	json_decref(form->record);
	json_decref(form->original);
	json_decref(form->plain);
	json_decref(form->uploads);
	json_decref(form->field_uploads);
	free(form->password);
	free(form->password_confirm);
	free(form->old_password);
	memset(form, 0, sizeof *form);
}

void pb_record_form_grant(struct pb_record_form *form, enum pb_record_access access)
{
	if (access > form->access)
		form->access = access;
}

int pb_record_form_add_upload(struct pb_record_form *form, const char *key, const char *name,
                              const char *original_name, int64_t size, const char *mime, struct pb_error *err)
{
	enum pb_modifier mod;
	const struct pb_field *f = pb_collection_setter_field(form->c, key, &mod);
	if (!f || f->type != PB_FIELD_FILE || mod == PB_MOD_SUBTRACT)
		return pb_error_set(err, 400, "\"%s\" is not a file field key", key);
	json_t *list = json_object_get(form->uploads, key);
	if (!list) {
		list = json_array();
		json_object_set_new(form->uploads, key, list);
	}
	json_t *up = json_object();
	json_object_set_new(up, "name", json_string(name ? name : ""));
	json_object_set_new(up, "originalName", json_string(original_name ? original_name : ""));
	json_object_set_new(up, "size", json_integer(size));
	json_object_set_new(up, "mime", json_string(mime ? mime : ""));
	json_array_append_new(list, up);
	return 0;
}

/* the keys of obj ordered by length (stable: equal lengths keep their order) */
static const char **keys_by_length(const json_t *obj, size_t *n_out)
{
	size_t n = json_object_size(obj), k = 0;
	const char **keys = malloc((n ? n : 1) * sizeof *keys);
	if (!keys)
		abort();
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)obj, key, v) keys[k++] = key;
	for (size_t i = 1; i < n; i++) { /* insertion sort keeps it stable */
		const char *x = keys[i];
		size_t j = i;
		while (j > 0 && strlen(keys[j - 1]) > strlen(x)) {
			keys[j] = keys[j - 1];
			j--;
		}
		keys[j] = x;
	}
	*n_out = n;
	return keys;
}

/* Record.SetIfFieldExists on (record, plain): applies `key` when a field accepts it.
 * Returns the field or NULL. */
static const struct pb_field *set_if_field_exists(const struct pb_collection *c, json_t *record, json_t *plain,
                                                  const char *key, const json_t *arg)
{
	enum pb_modifier mod;
	const struct pb_field *f = pb_collection_setter_field(c, key, &mod);
	if (!f)
		return NULL;
	const struct pb_field_ops *ops = pb_field_impl(f);
	if (ops->flags & PB_FT_IGNORES_SET)
		return f;
	if (ops->flags & PB_FT_PLAIN_SECRET) {
		char *s = pb_cast_to_string(arg);
		json_object_set_new(plain, f->name, json_string(s));
		json_object_set_new(record, f->name, json_string("")); /* hashed before the write */
		free(s);
		return f;
	}
	json_t *v;
	if (mod == PB_MOD_SET || !ops->modify)
		v = ops->prepare(f, arg);
	else
		v = ops->modify(f, mod, json_object_get(record, f->name), arg, NULL);
	if (!v)
		v = ops->zero(f);
	json_object_set_new_nocheck(record, f->name, v);
	return f;
}

/* Record.Get of a field on the working copy: a password gives its plain text */
static json_t *get_value(const struct pb_field *f, const json_t *record, const json_t *plain)
{
	if (pb_field_impl(f)->flags & PB_FT_PLAIN_SECRET) {
		const char *p = json_string_value(json_object_get(plain, f->name));
		return json_string(p ? p : "");
	}
	json_t *v = json_object_get(record, f->name);
	return v ? json_deep_copy(v) : json_null();
}

/* replace_modifiers when every key that names a field plainly sets it (no modifier, no
 * password, no field ignoring sets): each such value is the field's prepared value, which
 * reads nothing of the record, so no working copy is needed. Same keys, values and key order.
 * NULL when some key needs the general path. */
static json_t *replace_plain_sets(const struct pb_record_form *form, const json_t *data)
{
	size_t n;
	const char **keys = keys_by_length(data, &n);
	const struct pb_field *stack[16], **fields = n <= 16 ? stack : malloc(n * sizeof *fields);
	if (!fields)
		abort();
	json_t *out = NULL;
	for (size_t i = 0; i < n; i++) {
		enum pb_modifier mod;
		const struct pb_field *f = pb_collection_setter_field(form->c, keys[i], &mod);
		if (f && (mod != PB_MOD_SET || (pb_field_impl(f)->flags & (PB_FT_IGNORES_SET | PB_FT_PLAIN_SECRET))))
			goto done;
		fields[i] = f;
	}
	out = json_copy((json_t *)data);
	for (size_t i = 0; i < n; i++) {
		const struct pb_field *f = fields[i];
		if (!f)
			continue;
		const struct pb_field_ops *ops = pb_field_impl(f);
		json_t *v = ops->prepare(f, json_object_get(data, keys[i]));
		if (!v)
			v = ops->zero(f);
		json_object_del(out, keys[i]);
		json_object_set_new_nocheck(out, f->name, v);
	}
done:
	if (fields != stack)
		free(fields);
	free(keys);
	return out;
}

/* Record.ReplaceModifiers on a fresh copy of the form's record */
static json_t *replace_modifiers(const struct pb_record_form *form, const json_t *data)
{
	json_t *plain_sets = replace_plain_sets(form, data);
	if (plain_sets)
		return plain_sets;
	json_t *out = json_copy((json_t *)data);
	/* the copy is made field by field as keys reach them: a key only ever reads and writes its
	 * own field's value */
	json_t *record = json_object();
	json_t *plain = json_object();
	size_t n;
	const char **keys = keys_by_length(data, &n);
	for (size_t i = 0; i < n; i++) {
		enum pb_modifier mod;
		const struct pb_field *target = pb_collection_setter_field(form->c, keys[i], &mod);
		if (target && !json_object_get(record, target->name)) {
			json_t *current = json_object_get(form->record, target->name);
			if (current)
				json_object_set_new(record, target->name, json_deep_copy(current));
		}
		const struct pb_field *f = set_if_field_exists(form->c, record, plain, keys[i], json_object_get(data, keys[i]));
		if (!f)
			continue;
		json_object_del(out, keys[i]);
		json_object_set_new_nocheck(out, f->name, get_value(f, record, plain));
	}
	free(keys);
	json_decref(record);
	json_decref(plain);
	return out;
}

static bool is_modifier_key(const char *key)
{
	size_t n = strlen(key);
	return key[0] == '+' || (n && (key[n - 1] == '+' || key[n - 1] == '-'));
}

/* recordDataFromRequest: resolve modifiers, merge uploads, drop hidden fields */
static json_t *data_from_request(const struct pb_record_form *form, const json_t *body)
{
	json_t *result = replace_modifiers(form, body);
	if (json_object_size(form->uploads) > 0) {
		const char *key;
		json_t *ups;
		json_object_foreach(form->uploads, key, ups)
		{
			json_t *merged = json_array();
			json_t *sent = json_object_get(body, key);
			if (sent && !json_is_null(sent) && !is_modifier_key(key)) {
				json_t *names = pb_cast_unique_strings(sent);
				json_array_extend(merged, names);
				json_decref(names);
			}
			size_t i;
			json_t *up;
			json_array_foreach(ups, i, up) json_array_append(merged, json_object_get(up, "name"));
			json_object_set_new(result, key, merged);
		}
		json_t *again = replace_modifiers(form, result);
		json_decref(result);
		result = again;
	}
	if (form->access != PB_ACCESS_SUPERUSER) {
		for (size_t i = 0; i < form->c->nfields; i++) {
			const struct pb_field *f = &form->c->fields[i];
			if (f->hidden && !(is_auth(form) && !strcmp(f->name, "password")))
				json_object_del(result, f->name);
		}
	}
	return result;
}

static void set_form_string(char **slot, const json_t *v)
{
	free(*slot);
	*slot = pb_cast_to_string(v);
}

/* the uploads still present in each file field's value */
static void collect_field_uploads(struct pb_record_form *form)
{
	json_object_clear(form->field_uploads);
	const char *key;
	json_t *ups;
	json_object_foreach(form->uploads, key, ups)
	{
		enum pb_modifier mod;
		const struct pb_field *f = pb_collection_setter_field(form->c, key, &mod);
		if (!f)
			continue;
		json_t *names = pb_cast_unique_strings(json_object_get(form->record, f->name));
		json_t *list = json_object_get(form->field_uploads, f->name);
		size_t i;
		json_t *up;
		json_array_foreach(ups, i, up)
		{
			const char *name = json_string_value(json_object_get(up, "name"));
			bool present = false;
			for (size_t k = 0; k < json_array_size(names) && !present; k++)
				present = !strcmp(json_string_value(json_array_get(names, k)), name);
			if (!present)
				continue;
			if (!list) {
				list = json_array();
				json_object_set_new(form->field_uploads, f->name, list);
			}
			json_array_append(list, up);
		}
		json_decref(names);
	}
}

json_t *pb_record_form_assign(struct pb_record_form *form, const json_t *body)
{
	json_t *empty = json_object();
	if (!json_is_object(body))
		body = empty;
	json_t *data = data_from_request(form, body);

	/* RecordUpsert.Load */
	if (is_auth(form)) {
		json_t *v;
		if ((v = json_object_get(data, "password")))
			set_form_string(&form->password, v);
		if ((v = json_object_get(data, "passwordConfirm")))
			set_form_string(&form->password_confirm, v);
		if ((v = json_object_get(data, "oldPassword")))
			set_form_string(&form->old_password, v);
	}
	size_t n;
	const char **keys = keys_by_length(data, &n);
	for (size_t i = 0; i < n; i++) {
		const char *k = keys[i];
		if (!strcmp(k, "expand") || (is_auth(form) && (!strcmp(k, "passwordConfirm") || !strcmp(k, "oldPassword"))))
			continue;
		const struct pb_field *f = set_if_field_exists(form->c, form->record, form->plain, k, json_object_get(data, k));
		if (f && form->access != PB_ACCESS_SUPERUSER && f->hidden && !(is_auth(form) && !strcmp(f->name, "password"))) {
			/* restore the original value of a hidden field */
			json_t *orig = form->original ? json_object_get(form->original, f->name) : NULL;
			json_object_set_new_nocheck(form->record, f->name, orig ? json_deep_copy(orig) : pb_field_impl(f)->zero(f));
			json_object_del(form->plain, f->name);
		}
	}
	free(keys);
	collect_field_uploads(form);
	json_decref(empty);
	return data;
}

bool pb_record_form_needs_bcrypt(const struct pb_record_form *form)
{
	return is_auth(form) && !form->skip_password_checks && form->original && form->access == PB_ACCESS_DEFAULT &&
	       (*form->password || *form->password_confirm) && *form->old_password;
}

static void form_error(struct pb_error *err, const char *key, enum pb_vmsg m)
{
	struct pb_field_error fe = {0};
	pb_field_error_set(&fe, m, NULL);
	pb_error_add_field(err, key, &fe);
	pb_field_error_clear(&fe);
}

int pb_record_form_validate_auth(struct pb_record_form *form, const char *message, struct pb_error *err)
{
	if (!is_auth(form))
		return 0;
	bool is_new = form->original == NULL, manage = form->access != PB_ACCESS_DEFAULT;
	bool checks = !form->skip_password_checks, failed = false;
	const char *pw = form->password, *confirm = form->password_confirm, *old = form->old_password;

	const char *email = json_string_value(json_object_get(form->record, "email"));
	const char *orig_email = form->original ? json_string_value(json_object_get(form->original, "email")) : "";
	if (!is_new && !manage && strcmp(email ? email : "", orig_email ? orig_email : "") != 0)
		form_error(err, "email", PB_VMSG_VALUES_MISMATCH), failed = true;

	bool verified = json_is_true(json_object_get(form->record, "verified"));
	bool orig_verified = form->original && json_is_true(json_object_get(form->original, "verified"));
	if (!manage && verified != orig_verified)
		form_error(err, "verified", PB_VMSG_VALUES_MISMATCH), failed = true;

	if (checks && (is_new || *confirm || *old) && !*pw)
		form_error(err, "password", PB_VMSG_REQUIRED), failed = true;

	if (checks && (is_new || *pw || *old) && !*confirm)
		form_error(err, "passwordConfirm", PB_VMSG_REQUIRED), failed = true;
	else if (checks && strcmp(confirm, pw) != 0)
		form_error(err, "passwordConfirm", PB_VMSG_VALUES_MISMATCH), failed = true;

	if (checks && !is_new && !manage && (*pw || *confirm)) {
		if (!*old) {
			form_error(err, "oldPassword", PB_VMSG_REQUIRED), failed = true;
		} else {
			const char *hash = json_string_value(json_object_get(form->original, "password"));
			if (!pb_password_verify(old, hash))
				form_error(err, "oldPassword", PB_VMSG_INVALID_OLD_PASSWORD), failed = true;
		}
	}
	if (!failed)
		return 0;
	return pb_error_set(err, 400, "%s", message ? message : default_message(form));
}

int pb_record_form_validate(struct pb_record_form *form, json_t *checks, const char *message, struct pb_error *err)
{
	const char *msg = message ? message : default_message(form);
	for (size_t i = 0; i < form->c->nfields; i++) {
		const struct pb_field *f = &form->c->fields[i];
		const struct pb_field_ops *ops = pb_field_impl(f);
		if (ops->on_validate && ops->on_validate(f, form->record, form->original == NULL, NULL) != 0) {
			/* not a validation error: PocketBase answers with its generic 400 and no data */
			return pb_error_set(err, 400, "%s", msg);
		}
	}
	struct pb_record_validate_opts opts = {
		.plain = form->plain,
		.uploads = form->field_uploads,
		.checks = checks,
		.message = msg,
	};
	return pb_record_validate(form->c, form->record, form->original, &opts, err);
}

const json_t *pb_record_form_field_uploads(const struct pb_record_form *form, const char *field)
{
	return json_object_get(form->field_uploads, field);
}
