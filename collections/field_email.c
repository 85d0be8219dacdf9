/* field_email — the "email" field (core/field_email.go). Values are strings kept as given (no
 * trimming or lower-casing). Validation: required; govalidator's IsEmail regex
 * (validation_is_email); the domain (text after the last '@') checked case-sensitively
 * against onlyDomains / exceptDomains. */
#include <string.h>

#include "collections/field_internal.h"
#include "core/regex.h"

/* asaskevich/govalidator's Email pattern (RFC 5322-ish, Unicode ranges as \x{...}) */
static const char email_pattern[] =
	"^(((([a-zA-Z]|\\d|[!#\\$%&'\\*\\+\\-\\/=\\?\\^_`{\\|}~]|[\\x{00A0}-\\x{D7FF}\\x{F900}-\\x{FDCF}\\x{FDF0}-"
	"\\x{FFEF}])+(\\.([a-zA-Z]|\\d|[!#\\$%&'\\*\\+\\-\\/=\\?\\^_`{\\|}~]|[\\x{00A0}-\\x{D7FF}\\x{F900}-\\x{FDCF}"
	"\\x{FDF0}-\\x{FFEF}])+)*)|((\\x22)((((\\x20|\\x09)*(\\x0d\\x0a))?(\\x20|\\x09)+)?(([\\x01-\\x08\\x0b\\x0c"
	"\\x0e-\\x1f\\x7f]|\\x21|[\\x23-\\x5b]|[\\x5d-\\x7e]|[\\x{00A0}-\\x{D7FF}\\x{F900}-\\x{FDCF}\\x{FDF0}-\\x{FFEF}])"
	"|(\\([\\x01-\\x09\\x0b\\x0c\\x0d-\\x7f]|[\\x{00A0}-\\x{D7FF}\\x{F900}-\\x{FDCF}\\x{FDF0}-\\x{FFEF}]))))*"
	"(((\\x20|\\x09)*(\\x0d\\x0a))?(\\x20|\\x09)+)?(\\x22)))@((([a-zA-Z]|\\d|[\\x{00A0}-\\x{D7FF}\\x{F900}-"
	"\\x{FDCF}\\x{FDF0}-\\x{FFEF}])|(([a-zA-Z]|\\d|[\\x{00A0}-\\x{D7FF}\\x{F900}-\\x{FDCF}\\x{FDF0}-\\x{FFEF}])"
	"([a-zA-Z]|\\d|-|\\.|_|~|[\\x{00A0}-\\x{D7FF}\\x{F900}-\\x{FDCF}\\x{FDF0}-\\x{FFEF}])*([a-zA-Z]|\\d|"
	"[\\x{00A0}-\\x{D7FF}\\x{F900}-\\x{FDCF}\\x{FDF0}-\\x{FFEF}])))\\.)+(([a-zA-Z]|[\\x{00A0}-\\x{D7FF}\\x{F900}-"
	"\\x{FDCF}\\x{FDF0}-\\x{FFEF}])|(([a-zA-Z]|[\\x{00A0}-\\x{D7FF}\\x{F900}-\\x{FDCF}\\x{FDF0}-\\x{FFEF}])"
	"([a-zA-Z]|\\d|-|_|~|[\\x{00A0}-\\x{D7FF}\\x{F900}-\\x{FDCF}\\x{FDF0}-\\x{FFEF}])*([a-zA-Z]|[\\x{00A0}-"
	"\\x{D7FF}\\x{F900}-\\x{FDCF}\\x{FDF0}-\\x{FFEF}])))\\.?$";

static int email_validate(const struct pb_field *f, const struct pb_field_value *v, struct pb_field_error *out)
{
	const char *val = json_is_string(v->value) ? json_string_value(v->value) : "";
	if (f->required && pbf_required_string(val, out))
		return 1;
	if (!*val)
		return 0;
	if (pb_regex_match(email_pattern, val, strlen(val)) != 1)
		return pb_field_error_set(out, PB_VMSG_IS_EMAIL, NULL);
	const char *at = strrchr(val, '@');
	const char *domain = at ? at + 1 : val;
	const json_t *only = pb_field_opt_list(f, "onlyDomains"), *except = pb_field_opt_list(f, "exceptDomains");
	if (json_array_size(only) > 0 && !pb_field_opt_list_has(f, "onlyDomains", domain))
		return pb_field_error_set(out, PB_VMSG_EMAIL_DOMAIN, NULL);
	if (json_array_size(except) > 0 && pb_field_opt_list_has(f, "exceptDomains", domain))
		return pb_field_error_set(out, PB_VMSG_EMAIL_DOMAIN, NULL);
	return 0;
}

const struct pb_field_ops pb_field_email_type = {
	.type = PB_FIELD_EMAIL,
	.modifiers = PB_MOD_BIT(PB_MOD_SET),
	.prepare = pbf_string_prepare,
	.validate = email_validate,
	.to_db = pbf_string_to_db,
	.from_column = pbf_string_from_column,
	.write_column = pbf_string_write_column,
	.zero = pbf_string_zero,
	.column_def = pbf_text_column_def,
};
