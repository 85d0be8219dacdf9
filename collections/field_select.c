/* field_select — the "select" field (core/field_select.go). Values are
 * list.ToUniqueStringSlice of the input (a string, an array, or a string holding a JSON array);
 * single (maxSelect <= 1) keeps the last value or "", multiple the list. Setters: `+f`
 * prepends, `f+` appends, `f-` removes. Validation: required; more than max(maxSelect, 1)
 * values; any value not in `values` (case-sensitive). Stored as text (single) or a JSON array
 * text (multiple). */
#include "collections/field_cast.h"
#include "collections/field_internal.h"

json_t *pbf_list_prepare(const struct pb_field *f, const json_t *raw)
{
	return pbf_list_value(f, pb_cast_unique_strings(raw));
}

json_t *pbf_list_modify(const struct pb_field *f, enum pb_modifier m, const json_t *current, const json_t *arg,
                        struct pb_error *err)
{
	json_t *cur = pb_cast_unique_strings(current), *add = pb_cast_unique_strings(arg);
	json_t *merged = pbf_list_apply(m, cur, add);
	json_decref(cur);
	json_decref(add);
	json_t *v = pbf_list_prepare(f, merged);
	json_decref(merged);
	return v;
}

static int select_validate(const struct pb_field *f, const struct pb_field_value *v, struct pb_field_error *out)
{
	json_t *vals = pb_cast_unique_strings(v->value);
	int rc = 0;
	size_t n = json_array_size(vals);
	if (n == 0) {
		rc = f->required ? pb_field_error_set(out, PB_VMSG_REQUIRED, NULL) : 0;
		goto done;
	}
	long long max = f->max_select > 1 ? f->max_select : 1;
	if ((long long)n > max) {
		rc = pb_field_error_set(out, PB_VMSG_TOO_MANY_VALUES, pbf_param_int("maxSelect", max));
		goto done;
	}
	size_t i;
	json_t *it;
	json_array_foreach(vals, i, it)
	{
		if (!pb_field_opt_list_has(f, "values", json_string_value(it))) {
			json_t *p = json_object();
			json_object_set(p, "value", it);
			rc = pb_field_error_set(out, PB_VMSG_INVALID_SELECT_VALUE, p);
			goto done;
		}
	}
done:
	json_decref(vals);
	return rc;
}

const struct pb_field_ops pb_field_select_type = {
	.type = PB_FIELD_SELECT,
	.modifiers = PB_MOD_BIT(PB_MOD_SET) | PB_MOD_BIT(PB_MOD_APPEND) | PB_MOD_BIT(PB_MOD_PREPEND) |
	             PB_MOD_BIT(PB_MOD_SUBTRACT),
	.prepare = pbf_list_prepare,
	.modify = pbf_list_modify,
	.validate = select_validate,
	.to_db = pbf_list_to_db,
	.from_column = pbf_list_from_column,
	.zero = pbf_list_zero,
	.column_def = pbf_list_column_def,
};
