/* field_autodate — the "autodate" field (core/field_autodate.go): a date (see field_date.c)
 * that API input cannot set (the setter is a no-op), that is never validated, and that is
 * stamped with the write time right before the INSERT (onCreate) / UPDATE (onUpdate) — unless
 * its value was changed from the last saved one by other means (hooks, raw access). */
#include <string.h>

#include "collections/field_internal.h"
#include "core/datetime.h"

static json_t *autodate_modify(const struct pb_field *f, enum pb_modifier m, const json_t *current, const json_t *arg,
                               struct pb_error *err)
{
	return current ? json_deep_copy(current) : json_string(""); /* the setter is a no-op */
}

static int autodate_validate(const struct pb_field *f, const struct pb_field_value *v, struct pb_field_error *out)
{
	return 0;
}

static void autodate_on_write(const struct pb_field *f, json_t *record, const json_t *original, int64_t now_ms)
{
	bool on = original ? f->opt_on_update : f->opt_on_create;
	if (!on)
		return;
	const char *cur = json_string_value(json_object_get(record, f->name));
	const char *last = original ? json_string_value(json_object_get(original, f->name)) : "";
	if (strcmp(cur ? cur : "", last ? last : "") != 0)
		return; /* changed explicitly (hooks, raw access): keep it */
	char buf[PB_DATETIME_LEN + 1];
	pb_datetime_format(now_ms, buf);
	/* field names come from parsed JSON and the date is ASCII: both valid UTF-8 */
	json_object_set_new_nocheck(record, f->name, json_stringn_nocheck(buf, PB_DATETIME_LEN));
}

const struct pb_field_ops pb_field_autodate_type = {
	.type = PB_FIELD_AUTODATE,
	.modifiers = PB_MOD_BIT(PB_MOD_SET),
	.flags = PB_FT_IGNORES_SET,
	.prepare = pbf_date_prepare,
	.modify = autodate_modify,
	.validate = autodate_validate,
	.to_db = pbf_string_to_db,
	.from_column = pbf_date_from_column,
	.write_column = pbf_date_write_column,
	.zero = pbf_date_zero,
	.column_def = pbf_text_column_def,
	.on_write = autodate_on_write,
};
