/* field_url — the "url" field (core/field_url.go). Values are strings. Validation: required;
 * govalidator.IsURL (length 4..2082 runes, not starting with '.', Go's url.Parse must accept it
 * — with "http://" prepended when it has a ':' but no "://" — its host must not start with '.',
 * a host-less value needs a '.' in its path, then govalidator's URL regex: the scheme is
 * optional and one of http(s)/ws(s)/ftp/tcp/udp); then url.Parse(value).Host (port included,
 * empty for scheme-less input) checked case-sensitively against onlyDomains / exceptDomains.
 * Both come from core/is.h (pb_is_url, pb_is_go_url_parse), as the collection and settings
 * validators use them. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "collections/field_internal.h"
#include "core/is.h"

static int url_validate(const struct pb_field *f, const struct pb_field_value *v, struct pb_field_error *out)
{
	const char *val = json_is_string(v->value) ? json_string_value(v->value) : "";
	if (f->required && pbf_required_string(val, out))
		return 1;
	if (!*val)
		return 0;
	if (!pb_is_url(val, strlen(val)))
		return pb_field_error_set(out, PB_VMSG_INVALID_URL, NULL);
	char *parsed_host = NULL;
	const char *host = pb_is_go_url_parse(val, strlen(val), &parsed_host, NULL) ? parsed_host : "";
	int rc = 0;
	if (json_array_size(pb_field_opt_list(f, "onlyDomains")) > 0 && !pb_field_opt_list_has(f, "onlyDomains", host))
		rc = pb_field_error_set(out, PB_VMSG_URL_DOMAIN, NULL);
	else if (json_array_size(pb_field_opt_list(f, "exceptDomains")) > 0 &&
	         pb_field_opt_list_has(f, "exceptDomains", host))
		rc = pb_field_error_set(out, PB_VMSG_URL_DOMAIN, NULL);
	free(parsed_host);
	return rc;
}

const struct pb_field_ops pb_field_url_type = {
	.type = PB_FIELD_URL,
	.modifiers = PB_MOD_BIT(PB_MOD_SET),
	.prepare = pbf_string_prepare,
	.validate = url_validate,
	.to_db = pbf_string_to_db,
	.from_column = pbf_string_from_column,
	.write_column = pbf_string_write_column,
	.zero = pbf_string_zero,
	.column_def = pbf_text_column_def,
};
