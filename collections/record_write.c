/* record_write — hashing, save-time rules and the INSERT/UPDATE of a record (see record_write.h). */
#include "collections/record_write.h"

#include <stdlib.h>
#include <string.h>

#include "collections/field_type.h"
#include "core/password.h"
#include "core/random_regex.h"

int pb_record_hash_passwords(const struct pb_collection *c, json_t *record, const json_t *plain,
                             struct pb_error *err)
{
	const char *name;
	json_t *v;
	json_object_foreach((json_t *)plain, name, v)
	{
		const struct pb_field *f = pb_collection_field(c, name);
		if (!f || !(pb_field_impl(f)->flags & PB_FT_PLAIN_SECRET))
			continue;
		const char *p = json_string_value(v);
		if (!p || !*p) {
			json_object_set_new(record, name, json_string(""));
			continue;
		}
		char hash[PB_BCRYPT_HASH_LEN + 1];
		if (pb_password_hash(p, (int)pb_field_opt_num(f, "cost", 0), hash, sizeof hash, err) != 0)
			return -1;
		json_object_set_new(record, name, json_string(hash));
	}
	return 0;
}

static const char *str_of(const json_t *o, const char *key)
{
	const char *s = o ? json_string_value(json_object_get(o, key)) : NULL;
	return s ? s : "";
}

int pb_record_form_prepare_write(struct pb_record_form *form, int64_t now_ms, struct pb_error *err)
{
	const struct pb_collection *c = form->c;
	/* Get("password") of the saved record is "" while a new non-empty plain text differs */
	bool password_changed = *str_of(form->plain, "password") != '\0';
	if (pb_record_hash_passwords(c, form->record, form->plain, err) != 0)
		return -1;
	json_object_clear(form->plain);

	if (c->type == PB_COLLECTION_AUTH) {
		if (!strcmp(c->name, "_superusers") && pb_collection_field(c, "verified"))
			json_object_set_new(form->record, "verified", json_true());
		const struct pb_field *tk = pb_collection_field(c, "tokenKey");
		if (form->original && tk && !strcmp(str_of(form->record, "tokenKey"), str_of(form->original, "tokenKey")) &&
		    (password_changed || strcmp(str_of(form->record, "email"), str_of(form->original, "email")) != 0)) {
			const char *pattern = pb_field_opt_str(tk, "autogeneratePattern");
			char *key = pb_random_string_by_regex(*pattern ? pattern : "[a-zA-Z0-9]{50}", err);
			if (!key)
				return -1;
			json_object_set_new(form->record, "tokenKey", json_string(key));
			free(key);
		}
	}
	for (size_t i = 0; i < c->nfields; i++) {
		const struct pb_field *f = &c->fields[i];
		const struct pb_field_ops *ops = pb_field_impl(f);
		if (ops->on_write)
			ops->on_write(f, form->record, form->original, now_ms);
	}
	return 0;
}

int pb_record_bind(const struct pb_collection *c, const json_t *record, struct pb_query *q)
{
	int first = (int)q->nbinds + 1;
	for (size_t i = 0; i < c->nfields; i++) {
		const struct pb_field *f = &c->fields[i];
		const struct pb_field_ops *ops = pb_field_impl(f);
		json_t *v = json_object_get(record, f->name), *zero = NULL;
		if (!v)
			v = zero = ops->zero(f);
		ops->to_db(f, v, q);
		json_decref(zero);
	}
	return first;
}

void pb_record_insert_sql(const struct pb_collection *c, struct pb_strbuf *out)
{
	if (c->insert_sql && c->statements_name == c->name) {
		pb_strbuf_append(out, c->insert_sql, c->insert_sql_len);
		return;
	}
	pb_strbuf_puts(out, "INSERT INTO ");
	pb_sql_ident(out, c->name);
	pb_strbuf_puts(out, " (");
	for (size_t i = 0; i < c->nfields; i++) {
		if (i)
			pb_strbuf_puts(out, ", ");
		pb_sql_ident(out, c->fields[i].name);
	}
	pb_strbuf_puts(out, ") VALUES (");
	for (size_t i = 0; i < c->nfields; i++) {
		pb_strbuf_puts(out, i ? ", ?" : "?");
		pb_strbuf_put_int(out, (long long)i + 1);
	}
	pb_strbuf_puts(out, ")");
}

void pb_record_update_sql(const struct pb_collection *c, struct pb_strbuf *out)
{
	if (c->update_sql && c->statements_name == c->name) {
		pb_strbuf_append(out, c->update_sql, c->update_sql_len);
		return;
	}
	pb_strbuf_puts(out, "UPDATE ");
	pb_sql_ident(out, c->name);
	pb_strbuf_puts(out, " SET ");
	for (size_t i = 0; i < c->nfields; i++) {
		if (i)
			pb_strbuf_puts(out, ", ");
		pb_sql_ident(out, c->fields[i].name);
		pb_strbuf_puts(out, " = ?");
		pb_strbuf_put_int(out, (long long)i + 1);
	}
	pb_strbuf_puts(out, " WHERE `id` = ?");
	pb_strbuf_put_int(out, (long long)c->nfields + 1);
}

void pb_field_column_sql(const struct pb_field *f, struct pb_strbuf *out)
{
	pb_sql_ident(out, f->name);
	pb_strbuf_putc(out, ' ');
	pb_strbuf_puts(out, pb_field_impl(f)->column_def(f));
}
