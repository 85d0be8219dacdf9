/* validation_messages — the code/message table and rendering (see validation_messages.h). */
#include "collections/validation_messages.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "collections/field_cast.h"
#include "core/strbuf.h"

static const struct {
	const char *code;
	const char *message;
	bool hide_params; /* Sprintf-built message: values in the text, no params on the wire */
} table[PB_VMSG_COUNT] = {
	[PB_VMSG_REQUIRED] = {"validation_required", "cannot be blank", false},
	[PB_VMSG_VALUES_MISMATCH] = {"validation_values_mismatch", "Values don't match.", false},
	[PB_VMSG_LENGTH_OUT_OF_RANGE] = {"validation_length_out_of_range", "the length must be between {{.min}} and {{.max}}", false},
	[PB_VMSG_MATCH_INVALID] = {"validation_match_invalid", "must be in a valid format", false},
	[PB_VMSG_IS_EMAIL] = {"validation_is_email", "must be a valid email address", false},
	[PB_VMSG_DATE_MIN] = {"validation_min_greater_equal_than_required", "must be no less than {{.threshold}}", false},
	[PB_VMSG_DATE_MAX] = {"validation_max_less_equal_than_required", "must be no greater than {{.threshold}}", false},
	[PB_VMSG_UNSAFE_ERROR] = {"validation_invalid_value", "Invalid value.", false},
	[PB_VMSG_NOT_UNIQUE] = {"validation_not_unique", "Value must be unique", false},
	[PB_VMSG_INVALID_AUTH_ID] = {"validation_invalid_auth_id", "Invalid or duplicated auth record id.", false},
	[PB_VMSG_INVALID_OLD_PASSWORD] = {"validation_invalid_old_password", "Missing or invalid old password.", false},
	[PB_VMSG_PK_CHANGE] = {"validation_pk_change", "The record primary key cannot be changed.", false},
	[PB_VMSG_PK_INVALID] = {"validation_pk_invalid", "The record primary key is invalid or already exists.", false},
	[PB_VMSG_TEXT_MIN] = {"validation_min_text_constraint", "Must be at least {{.min}} character(s).", false},
	[PB_VMSG_TEXT_MAX] = {"validation_max_text_constraint", "Must be no more than {{.max}} character(s).", false},
	[PB_VMSG_INVALID_FORMAT] = {"validation_invalid_format", "Invalid value format.", false},
	[PB_VMSG_FORBIDDEN_PK_CHAR] = {"validation_forbidden_pk_character", "'{{.ch}}' is not a valid primary key character.", false},
	[PB_VMSG_RESERVED_PK] = {"validation_reserved_pk", "The primary key '{{.reserved}}' is reserved and cannot be used.", false},
	[PB_VMSG_NOT_A_NUMBER] = {"validation_not_a_number", "The submitted number is not properly formatted", false},
	[PB_VMSG_ONLY_INT] = {"validation_only_int_constraint", "Decimal numbers are not allowed", false},
	[PB_VMSG_NUMBER_MIN] = {"validation_min_number_constraint", "Must be greater or equal than {{.min}}", false},
	[PB_VMSG_NUMBER_MAX] = {"validation_max_number_constraint", "Must be less or equal than {{.max}}", false},
	[PB_VMSG_EMAIL_DOMAIN] = {"validation_email_domain_not_allowed", "Email domain is not allowed", false},
	[PB_VMSG_INVALID_URL] = {"validation_invalid_url", "Must be a valid url", false},
	[PB_VMSG_URL_DOMAIN] = {"validation_url_domain_not_allowed", "Url domain is not allowed", false},
	[PB_VMSG_CONTENT_SIZE] = {"validation_content_size_limit", "The maximum allowed content size is {{.maxSize}} bytes", false},
	[PB_VMSG_TOO_MANY_VALUES] = {"validation_too_many_values", "Select no more than {{.maxSelect}}", false},
	[PB_VMSG_INVALID_SELECT_VALUE] = {"validation_invalid_value", "Invalid value {{.value}}", false},
	[PB_VMSG_NOT_ENOUGH_VALUES] = {"validation_not_enough_values", "Select at least {{.minSelect}}", false},
	[PB_VMSG_MISSING_REL_COLLECTION] = {"validation_missing_rel_collection", "Relation connection is missing or cannot be accessed", false},
	[PB_VMSG_MISSING_REL_RECORDS] = {"validation_missing_rel_records", "Failed to find all relation records with the provided ids", false},
	[PB_VMSG_INVALID_FILE] = {"validation_invalid_file", "Invalid new files: {{.invalidFiles}}.", false},
	[PB_VMSG_TOO_MANY_FILES] = {"validation_too_many_files", "The maximum allowed files is {{.maxSelect}}", false},
	[PB_VMSG_FILE_SIZE] = {"validation_file_size_limit", "Failed to upload {{.file}} - the maximum allowed file size is {{.maxSize}} bytes.", false},
	[PB_VMSG_MIME_UNDETECTED] = {"validation_invalid_mime_type", "Failed to upload {{.file}} due to unsupported file type.", true},
	[PB_VMSG_MIME_NOT_ALLOWED] = {"validation_invalid_mime_type", "{{.file}} mime type must be one of: {{.types}}.", true},
	[PB_VMSG_JSON_SIZE] = {"validation_json_size_limit", "The maximum allowed JSON size is {{.maxSize}} bytes", false},
	[PB_VMSG_INVALID_JSON] = {"validation_invalid_json", "Must be a valid json value", false},
	[PB_VMSG_PASSWORD_MIN] = {"validation_min_text_constraint", "Must be at least {{.min}} character(s)", true},
	[PB_VMSG_PASSWORD_MAX] = {"validation_max_text_constraint", "Must be less than {{.max}} character(s)", true},
	[PB_VMSG_PASSWORD_FORMAT] = {"validation_invalid_format", "Invalid value format", false},
	[PB_VMSG_INVALID_LATITUDE] = {"validation_invalid_latitude", "Latitude must be between -90 and 90 degrees.", false},
	[PB_VMSG_INVALID_LONGITUDE] = {"validation_invalid_longitude", "Longitude must be between -180 and 180 degrees.", false},
};

const char *pb_vmsg_code(enum pb_vmsg m) { return (unsigned)m < PB_VMSG_COUNT ? table[m].code : ""; }
const char *pb_vmsg_template(enum pb_vmsg m) { return (unsigned)m < PB_VMSG_COUNT ? table[m].message : ""; }

/* fmt's %v of one value */
static void put_value(struct pb_strbuf *b, const json_t *v)
{
	char buf[64];
	switch (json_typeof(v)) {
	case JSON_STRING: pb_strbuf_append(b, json_string_value(v), json_string_length(v)); break;
	case JSON_INTEGER: pb_strbuf_printf(b, "%lld", (long long)json_integer_value(v)); break;
	case JSON_REAL:
		pb_go_format_float(json_real_value(v), 'v', buf, sizeof buf);
		pb_strbuf_puts(b, buf);
		break;
	case JSON_TRUE: pb_strbuf_puts(b, "true"); break;
	case JSON_FALSE: pb_strbuf_puts(b, "false"); break;
	case JSON_ARRAY:
		pb_strbuf_putc(b, '[');
		for (size_t i = 0; i < json_array_size(v); i++) {
			if (i)
				pb_strbuf_putc(b, ' ');
			put_value(b, json_array_get(v, i));
		}
		pb_strbuf_putc(b, ']');
		break;
	case JSON_OBJECT: pb_strbuf_puts(b, "map[]"); break;
	default: pb_strbuf_puts(b, "<nil>"); break;
	}
}

char *pb_vmsg_render(const char *tmpl, const json_t *params)
{
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_strbuf_puts(&b, "");
	for (const char *p = tmpl; *p;) {
		if (p[0] == '{' && p[1] == '{' && p[2] == '.') {
			const char *end = strstr(p, "}}");
			if (end) {
				char key[64];
				size_t n = (size_t)(end - (p + 3));
				if (n < sizeof key) {
					memcpy(key, p + 3, n);
					key[n] = '\0';
					json_t *v = params ? json_object_get(params, key) : NULL;
					if (v)
						put_value(&b, v);
					else
						pb_strbuf_puts(&b, "<no value>");
					p = end + 2;
					continue;
				}
			}
		}
		pb_strbuf_putc(&b, *p++);
	}
	return pb_strbuf_steal(&b);
}

int pb_field_error_set(struct pb_field_error *e, enum pb_vmsg m, json_t *params)
{
	pb_field_error_clear(e);
	e->id = m;
	e->message = pb_vmsg_render(table[m].message, params);
	if (table[m].hide_params || (params && json_object_size(params) == 0)) {
		json_decref(params);
		params = NULL;
	}
	e->params = params;
	return 1;
}

void pb_field_error_clear(struct pb_field_error *e)
{
	free(e->message);
	json_decref(e->params);
	e->message = NULL;
	e->params = NULL;
}

json_t *pb_field_error_item(const struct pb_field_error *e)
{
	const char *raw = e->message ? e->message : "";
	size_t cap = strlen(raw) + 3;
	char *msg = malloc(cap);
	if (!msg)
		abort();
	pb_sentenize(raw, msg, cap);
	json_t *item = json_object();
	json_object_set_new(item, "code", json_string(pb_vmsg_code(e->id)));
	json_object_set_new(item, "message", json_string(msg));
	free(msg);
	if (e->params)
		json_object_set(item, "params", e->params);
	return item;
}

void pb_error_add_field(struct pb_error *err, const char *field, const struct pb_field_error *e)
{
	if (!err)
		return;
	if (!err->data)
		err->data = json_object();
	json_object_set_new(err->data, field, pb_field_error_item(e));
}
