/* field_password — the "password" field (core/field_password.go). The record value is the
 * stored bcrypt hash ("" when none; a stored string is taken as is). Setting the field gives a
 * new plain text: PocketBase hashes it at once, pocketc keeps the plain text beside the record
 * (record_assign) so validation can check it, and hashes it later off the event loop
 * (pb_record_hash_passwords) with the field's cost (0 → 10). Validation: a plain text over 72
 * bytes cannot be hashed (Go's ErrPasswordTooLong → "Invalid value."); required needs a
 * (pending) hash; a new plain text must have >= min and <= max (0 → 71) code points and match
 * `pattern`. Those two length messages carry the number in the text and no params. */
#include <string.h>

#include "collections/field_cast.h"
#include "collections/field_internal.h"
#include "core/password.h"
#include "core/regex.h"

static int password_validate(const struct pb_field *f, const struct pb_field_value *v, struct pb_field_error *out)
{
	const char *hash = json_is_string(v->value) ? json_string_value(v->value) : "";
	if (v->plain && strlen(v->plain) > PB_BCRYPT_MAX_BYTES)
		return pb_field_error_set(out, PB_VMSG_UNSAFE_ERROR, NULL);
	bool has_hash = v->plain ? *v->plain != '\0' : *hash != '\0';
	if (f->required && !has_hash)
		return pb_field_error_set(out, PB_VMSG_REQUIRED, NULL);
	if (!v->plain || !*v->plain)
		return 0;
	long long len = (long long)pb_utf8_runes(v->plain);
	long long min = (long long)f->opt_min;
	if (len < min)
		return pb_field_error_set(out, PB_VMSG_PASSWORD_MIN, pbf_param_int("min", min));
	long long max = (long long)f->opt_max;
	if (max <= 0)
		max = 71;
	if (len > max)
		return pb_field_error_set(out, PB_VMSG_PASSWORD_MAX, pbf_param_int("max", max));
	const char *pattern = f->opt_pattern;
	if (*pattern && pb_regex_match(pattern, v->plain, strlen(v->plain)) != 1)
		return pb_field_error_set(out, PB_VMSG_PASSWORD_FORMAT, NULL);
	return 0;
}

const struct pb_field_ops pb_field_password_type = {
	.type = PB_FIELD_PASSWORD,
	.modifiers = PB_MOD_BIT(PB_MOD_SET),
	.flags = PB_FT_PLAIN_SECRET,
	.prepare = pbf_string_prepare,
	.validate = password_validate,
	.to_db = pbf_string_to_db,
	.from_column = pbf_string_from_column,
	.write_column = pbf_string_write_column,
	.zero = pbf_string_zero,
	.column_def = pbf_text_column_def,
};
