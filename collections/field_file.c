/* field_file — the "file" field (core/field_file.go). A value holds file names: existing ones
 * (strings already saved on the record) and the generated names of new uploads, which the
 * caller describes separately ({"name","originalName","size","mime"[, "aliases"]}). Lists are
 * normalised like FileField.toSliceValue (array elements that are not exactly one name are
 * dropped, duplicates by name removed); single (maxSelect <= 1) keeps the last name. Setters:
 * `+f`, `f+`, `f-` (remove by name). Validation: required; a string name that is not in the
 * last saved value → validation_invalid_file; more than max(maxSelect, 1) names; per upload:
 * name length 1..150 and ^[^./\\][^/\\]+$, size <= maxSize (0 → 5 MiB), the detected MIME type
 * in mimeTypes (when set). Stored like select: names only. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "collections/field_cast.h"
#include "collections/field_internal.h"
#include "core/regex.h"

#define DEFAULT_FILE_MAX_SIZE (5LL << 20)

static void push_unique(json_t *out, json_t *name)
{
	if (!pbf_list_has(out, json_string_value(name)))
		json_array_append(out, name);
}

/* FileField.toSliceValue over names: a new array of unique non-empty names */
static json_t *file_list(const json_t *raw)
{
	if (!json_is_array(raw))
		return pb_cast_unique_strings(raw);
	json_t *out = json_array();
	size_t i;
	json_t *it;
	json_array_foreach(raw, i, it)
	{
		json_t *sub = file_list(it);
		if (json_array_size(sub) == 1)
			push_unique(out, json_array_get(sub, 0));
		json_decref(sub);
	}
	return out;
}

static json_t *file_prepare(const struct pb_field *f, const json_t *raw) { return pbf_list_value(f, file_list(raw)); }

static json_t *file_modify(const struct pb_field *f, enum pb_modifier m, const json_t *current, const json_t *arg,
                           struct pb_error *err)
{
	json_t *cur = file_list(current), *add = file_list(arg);
	json_t *merged = pbf_list_apply(m, cur, add);
	json_decref(cur);
	json_decref(add);
	json_t *v = file_prepare(f, merged);
	json_decref(merged);
	return v;
}

static const json_t *find_upload(const json_t *uploads, const char *name)
{
	size_t i;
	json_t *it;
	json_array_foreach(uploads, i, it)
	{
		const char *n = json_string_value(json_object_get(it, "name"));
		if (n && !strcmp(n, name))
			return it;
	}
	return NULL;
}

/* mime.ParseMediaType's type part: lower-cased, parameters and spaces dropped */
static void media_type(const char *in, char *out, size_t cap)
{
	size_t w = 0;
	while (*in == ' ' || *in == '\t')
		in++;
	for (; *in && *in != ';' && w + 1 < cap; in++)
		out[w++] = (char)tolower((unsigned char)*in);
	while (w > 0 && (out[w - 1] == ' ' || out[w - 1] == '\t'))
		w--;
	out[w] = '\0';
}

static bool mime_allowed(const struct pb_field *f, const json_t *upload)
{
	char detected[128], want[128];
	media_type(json_string_value(json_object_get(upload, "mime")), detected, sizeof detected);
	const json_t *types = pb_field_opt_list(f, "mimeTypes");
	size_t i;
	json_t *t;
	json_array_foreach(types, i, t)
	{
		if (!json_is_string(t))
			continue;
		media_type(json_string_value(t), want, sizeof want);
		if (!strcmp(want, detected))
			return true;
		size_t k;
		json_t *alias;
		json_array_foreach(json_object_get(upload, "aliases"), k, alias)
		{
			char a[128];
			media_type(json_string_value(alias) ? json_string_value(alias) : "", a, sizeof a);
			if (!strcmp(want, a))
				return true;
		}
	}
	return false;
}

static char *cut(const char *s, size_t max)
{
	size_t n = strlen(s);
	return strndup(s, n > max ? max : n);
}

static int validate_upload(const struct pb_field *f, const json_t *up, struct pb_field_error *out)
{
	const char *name = json_string_value(json_object_get(up, "name"));
	const char *orig = json_string_value(json_object_get(up, "originalName"));
	name = name ? name : "";
	orig = orig ? orig : "";
	size_t runes = pb_utf8_runes(name);
	if (runes < 1 || runes > 150) {
		json_t *p = json_object();
		json_object_set_new(p, "max", json_integer(150));
		json_object_set_new(p, "min", json_integer(1));
		return pb_field_error_set(out, PB_VMSG_LENGTH_OUT_OF_RANGE, p);
	}
	if (pb_regex_match("^[^\\./\\\\][^/\\\\]+$", name, strlen(name)) != 1)
		return pb_field_error_set(out, PB_VMSG_MATCH_INVALID, NULL);
	long long max = (long long)pb_field_opt_num(f, "maxSize", 0);
	if (max <= 0)
		max = DEFAULT_FILE_MAX_SIZE;
	long long size = (long long)json_number_value(json_object_get(up, "size"));
	if (size > max) {
		json_t *p = json_object();
		char *o = cut(orig, 300);
		json_object_set_new(p, "file", json_string(o));
		json_object_set_new(p, "maxSize", json_integer(max));
		free(o);
		return pb_field_error_set(out, PB_VMSG_FILE_SIZE, p);
	}
	const json_t *types = pb_field_opt_list(f, "mimeTypes");
	if (json_array_size(types) == 0)
		return 0;
	const char *mime = json_string_value(json_object_get(up, "mime"));
	struct pb_strbuf q = PB_STRBUF_INIT;
	json_t *p = json_object();
	if (!mime || !*mime) {
		char *o = cut(orig, 300);
		pb_go_quote(&q, o);
		free(o);
		json_object_set_new(p, "file", json_string(pb_strbuf_cstr(&q)));
		pb_strbuf_deinit(&q);
		return pb_field_error_set(out, PB_VMSG_MIME_UNDETECTED, p);
	}
	if (mime_allowed(f, up)) {
		json_decref(p);
		return 0;
	}
	pb_go_quote(&q, name);
	json_object_set_new(p, "file", json_string(pb_strbuf_cstr(&q)));
	pb_strbuf_reset(&q);
	size_t i;
	json_t *t;
	json_array_foreach(types, i, t)
	{
		if (i)
			pb_strbuf_puts(&q, ", ");
		pb_strbuf_puts(&q, json_is_string(t) ? json_string_value(t) : "");
	}
	json_object_set_new(p, "types", json_string(pb_strbuf_cstr(&q)));
	pb_strbuf_deinit(&q);
	return pb_field_error_set(out, PB_VMSG_MIME_NOT_ALLOWED, p);
}

static int file_validate(const struct pb_field *f, const struct pb_field_value *v, struct pb_field_error *out)
{
	json_t *files = file_list(v->value);
	json_t *old = file_list(v->old_value);
	json_t *invalid = json_array();
	int rc = 0;
	size_t n = json_array_size(files), i;
	json_t *it;
	if (n == 0) {
		rc = f->required ? pb_field_error_set(out, PB_VMSG_REQUIRED, NULL) : 0;
		goto done;
	}
	json_array_foreach(files, i, it)
	{
		const char *name = json_string_value(it);
		if (find_upload(v->uploads, name) || pbf_list_has(old, name))
			continue;
		char *c = cut(name, 250);
		json_array_append_new(invalid, json_string(c));
		free(c);
	}
	if (json_array_size(invalid) > 0) {
		json_t *p = json_object();
		json_object_set(p, "invalidFiles", invalid);
		rc = pb_field_error_set(out, PB_VMSG_INVALID_FILE, p);
		goto done;
	}
	long long max = f->max_select > 1 ? f->max_select : 1;
	if ((long long)n > max) {
		rc = pb_field_error_set(out, PB_VMSG_TOO_MANY_FILES, pbf_param_int("maxSelect", max));
		goto done;
	}
	json_array_foreach(files, i, it)
	{
		const json_t *up = find_upload(v->uploads, json_string_value(it));
		if (up && (rc = validate_upload(f, up, out)) != 0)
			goto done;
	}
done:
	json_decref(files);
	json_decref(old);
	json_decref(invalid);
	return rc;
}

static json_t *file_from_column(const struct pb_field *f, sqlite3_stmt *st, int col)
{
	return pbf_list_from_column(f, st, col);
}

const struct pb_field_ops pb_field_file_type = {
	.type = PB_FIELD_FILE,
	.modifiers = PB_MOD_BIT(PB_MOD_SET) | PB_MOD_BIT(PB_MOD_APPEND) | PB_MOD_BIT(PB_MOD_PREPEND) |
	             PB_MOD_BIT(PB_MOD_SUBTRACT),
	.prepare = file_prepare,
	.modify = file_modify,
	.validate = file_validate,
	.to_db = pbf_list_to_db,
	.from_column = file_from_column,
	.zero = pbf_list_zero,
	.column_def = pbf_list_column_def,
};
