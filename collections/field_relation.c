/* field_relation — the "relation" field (core/field_relation.go). Values, setters and storage
 * are those of select (record ids). Validation without the database: required, minSelect,
 * max(maxSelect, 1). That the target collection exists and every id is one of its records is
 * checked by the caller inside the write transaction: db_checks emits
 * {"kind":"relation","field","collectionId","ids"} when the static checks passed. */
#include "collections/field_cast.h"
#include "collections/field_internal.h"

static int relation_validate(const struct pb_field *f, const struct pb_field_value *v, struct pb_field_error *out)
{
	json_t *ids = pb_cast_unique_strings(v->value);
	size_t n = json_array_size(ids);
	json_decref(ids);
	if (n == 0)
		return f->required ? pb_field_error_set(out, PB_VMSG_REQUIRED, NULL) : 0;
	long long min = (long long)pb_field_opt_num(f, "minSelect", 0);
	if (min > 0 && (long long)n < min)
		return pb_field_error_set(out, PB_VMSG_NOT_ENOUGH_VALUES, pbf_param_int("minSelect", min));
	long long max = f->max_select > 1 ? f->max_select : 1;
	if ((long long)n > max)
		return pb_field_error_set(out, PB_VMSG_TOO_MANY_VALUES, pbf_param_int("maxSelect", max));
	return 0;
}

static void relation_db_checks(const struct pb_field *f, const struct pb_field_value *v, bool static_ok,
                               json_t *checks)
{
	json_t *ids = pb_cast_unique_strings(v->value);
	if (!static_ok || json_array_size(ids) == 0) {
		json_decref(ids);
		return;
	}
	/* built directly: json_pack's format parsing costs more than the object */
	json_t *ck = json_object();
	json_object_set_new_nocheck(ck, "kind", json_string_nocheck("relation"));
	json_object_set_new_nocheck(ck, "field", json_string(f->name));
	json_object_set_new_nocheck(ck, "collectionId", json_string(f->collection_id ? f->collection_id : ""));
	json_object_set_new_nocheck(ck, "ids", ids);
	json_array_append_new(checks, ck);
}

const struct pb_field_ops pb_field_relation_type = {
	.type = PB_FIELD_RELATION,
	.modifiers = PB_MOD_BIT(PB_MOD_SET) | PB_MOD_BIT(PB_MOD_APPEND) | PB_MOD_BIT(PB_MOD_PREPEND) |
	             PB_MOD_BIT(PB_MOD_SUBTRACT),
	.prepare = pbf_list_prepare,
	.modify = pbf_list_modify,
	.validate = relation_validate,
	.db_checks = relation_db_checks,
	.to_db = pbf_list_to_db,
	.from_column = pbf_list_from_column,
	.zero = pbf_list_zero,
	.column_def = pbf_list_column_def,
};
