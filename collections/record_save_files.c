/* record_save_files — uploads of a record write (see record_save_files.h). */
#include "collections/record_save_files.h"

#include <stdio.h>
#include <string.h>

#include "core/storage.h"

int pb_save_register_uploads(struct pb_record_save *s, struct pb_record_form *form, struct pb_error *err)
{
	if (!s->nuploads)
		return 0;
	json_decref(s->upload_names);
	s->upload_names = json_array();
	for (size_t i = 0; i < s->nuploads; i++) {
		const struct pb_save_upload *u = &s->uploads[i];
		char name[PB_STORAGE_FILE_NAME_CAP];
		if (pb_storage_file_name(u->original_name ? u->original_name : "", name, sizeof name) != 0)
			return pb_error_set(err, 400, "Failed to read the submitted data.");
		json_array_append_new(s->upload_names, json_string(name));
		if (pb_record_form_add_upload(form, u->key, name, u->original_name ? u->original_name : "",
		                              (int64_t)u->len, u->mime, err) != 0) {
			/* a file part under a key that is not a file field is ignored, as upstream */
			pb_error_clear(err);
		}
	}
	return 0;
}

static const struct pb_save_upload *upload_by_name(const struct pb_record_save *s, const char *name)
{
	for (size_t i = 0; i < s->nuploads && i < json_array_size(s->upload_names); i++)
		if (!strcmp(json_string_value(json_array_get(s->upload_names, i)), name))
			return &s->uploads[i];
	return NULL;
}

static void add_file(json_t **list, const char *cid, const char *rid, const char *name)
{
	if (!*list)
		*list = json_array();
	json_array_append_new(*list, json_pack("{ssssss}", "c", cid, "r", rid, "f", name));
}

static bool value_has(const json_t *v, const char *name)
{
	if (json_is_string(v))
		return !strcmp(json_string_value(v), name);
	size_t i;
	json_t *it;
	json_array_foreach(v, i, it)
	if (json_is_string(it) && !strcmp(json_string_value(it), name))
		return true;
	return false;
}

int pb_save_store_uploads(struct pb_record_save *s, const struct pb_record_form *form, const char *id,
                          const json_t *original, struct pb_error *err)
{
	const struct pb_collection *c = s->c;
	for (size_t i = 0; i < c->nfields; i++) {
		const struct pb_field *f = &c->fields[i];
		if (f->type != PB_FIELD_FILE)
			continue;
		const json_t *ups = pb_record_form_field_uploads(form, f->name);
		size_t k;
		json_t *up;
		json_array_foreach(ups, k, up)
		{
			const char *name = json_string_value(json_object_get(up, "name"));
			const struct pb_save_upload *u = name ? upload_by_name(s, name) : NULL;
			if (!u)
				continue;
			if (pb_storage_write(s->storage_dir, c->id, id, name, u->data, u->len, u->mime, u->original_name,
			                     err) != 0)
				return -1;
			add_file(&s->written_files, c->id, id, name);
		}
		if (!original)
			continue;
		/* files the new value no longer holds are deleted after the commit */
		const json_t *old = json_object_get(original, f->name);
		const json_t *now = json_object_get(form->record, f->name);
		json_t *olds = json_is_array(old) ? json_incref((json_t *)old) : json_array();
		if (json_is_string(old) && *json_string_value(old))
			json_array_append(olds, (json_t *)old);
		json_array_foreach(olds, k, up)
		{
			const char *name = json_string_value(up);
			if (name && *name && !value_has(now, name))
				add_file(&s->stale_files, c->id, id, name);
		}
		json_decref(olds);
	}
	return 0;
}

void pb_record_save_cleanup(struct pb_record_save *s, int rc)
{
	json_t *list = rc == 0 ? s->stale_files : s->written_files;
	size_t i;
	json_t *it;
	json_array_foreach(list, i, it)
	{
		struct pb_error err = PB_ERROR_INIT;
		const char *cid = json_string_value(json_object_get(it, "c"));
		const char *rid = json_string_value(json_object_get(it, "r"));
		const char *f = json_string_value(json_object_get(it, "f"));
		int r = f ? pb_storage_delete_file(s->storage_dir, cid, rid, f, &err)
		          : pb_storage_delete_record(s->storage_dir, cid, rid, &err);
		if (r != 0)
			fprintf(stderr, "failed to delete stored file(s) of %s/%s: %s\n", cid, rid, err.message);
		pb_error_clear(&err);
	}
	if (rc != 0 && json_array_size(s->written_files)) {
		/* an empty record directory left by a failed create */
		json_t *first = json_array_get(s->written_files, 0);
		struct pb_error err = PB_ERROR_INIT;
		pb_storage_prune_record_dir(s->storage_dir, json_string_value(json_object_get(first, "c")),
		                            json_string_value(json_object_get(first, "r")), &err);
		pb_error_clear(&err);
	}
}
