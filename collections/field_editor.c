/* field_editor — the "editor" field (core/field_editor.go): HTML text stored as given (no
 * sanitising on the server). Validation: required; byte length above maxSize (0 → 5 MiB) →
 * validation_content_size_limit. */
#include <string.h>

#include "collections/field_internal.h"

#define DEFAULT_EDITOR_MAX_SIZE (5LL << 20)

static int editor_validate(const struct pb_field *f, const struct pb_field_value *v, struct pb_field_error *out)
{
	const char *val = json_is_string(v->value) ? json_string_value(v->value) : "";
	size_t len = json_is_string(v->value) ? json_string_length(v->value) : 0;
	if (f->required && pbf_required_string(val, out))
		return 1;
	long long max = (long long)pb_field_opt_num(f, "maxSize", 0);
	if (max <= 0)
		max = DEFAULT_EDITOR_MAX_SIZE;
	if ((long long)len > max)
		return pb_field_error_set(out, PB_VMSG_CONTENT_SIZE, pbf_param_int("maxSize", max));
	return 0;
}

const struct pb_field_ops pb_field_editor_type = {
	.type = PB_FIELD_EDITOR,
	.modifiers = PB_MOD_BIT(PB_MOD_SET),
	.prepare = pbf_string_prepare,
	.validate = editor_validate,
	.to_db = pbf_string_to_db,
	.from_column = pbf_string_from_column,
	.write_column = pbf_string_write_column,
	.zero = pbf_string_zero,
	.column_def = pbf_text_column_def,
};
