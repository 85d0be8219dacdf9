/* validation_messages — every record validation code and message PocketBase puts on the wire,
 * in one table, plus the field-error value the field types produce.
 * Messages are kept as PocketBase stores them (ozzo-validation templates such as
 * "Must be at least {{.min}} character(s)."), rendered with the error's params the way Go's
 * text/template prints them (5, 1.5, 1e+06, [a b], a time as "2022-01-01 00:00:00 +0000 UTC"),
 * and sentenized only when written into an API error's `data` (core/error.h pb_sentenize). */
#ifndef POCKETC_COLLECTIONS_VALIDATION_MESSAGES_H
#define POCKETC_COLLECTIONS_VALIDATION_MESSAGES_H

#include <jansson.h>

#include "core/error.h"

enum pb_vmsg {
	PB_VMSG_REQUIRED,               /* validation_required */
	PB_VMSG_VALUES_MISMATCH,        /* validation_values_mismatch */
	PB_VMSG_LENGTH_OUT_OF_RANGE,    /* validation_length_out_of_range */
	PB_VMSG_MATCH_INVALID,          /* validation_match_invalid */
	PB_VMSG_IS_EMAIL,               /* validation_is_email */
	PB_VMSG_DATE_MIN,               /* validation_min_greater_equal_than_required */
	PB_VMSG_DATE_MAX,               /* validation_max_less_equal_than_required */
	PB_VMSG_UNSAFE_ERROR,           /* validation_invalid_value "Invalid value." (non-validation errors) */
	PB_VMSG_NOT_UNIQUE,             /* validation_not_unique */
	PB_VMSG_INVALID_AUTH_ID,        /* validation_invalid_auth_id */
	PB_VMSG_INVALID_OLD_PASSWORD,   /* validation_invalid_old_password */
	PB_VMSG_PK_CHANGE,              /* validation_pk_change */
	PB_VMSG_PK_INVALID,             /* validation_pk_invalid */
	PB_VMSG_TEXT_MIN,               /* validation_min_text_constraint */
	PB_VMSG_TEXT_MAX,               /* validation_max_text_constraint */
	PB_VMSG_INVALID_FORMAT,         /* validation_invalid_format */
	PB_VMSG_FORBIDDEN_PK_CHAR,      /* validation_forbidden_pk_character */
	PB_VMSG_RESERVED_PK,            /* validation_reserved_pk */
	PB_VMSG_NOT_A_NUMBER,           /* validation_not_a_number */
	PB_VMSG_ONLY_INT,               /* validation_only_int_constraint */
	PB_VMSG_NUMBER_MIN,             /* validation_min_number_constraint */
	PB_VMSG_NUMBER_MAX,             /* validation_max_number_constraint */
	PB_VMSG_EMAIL_DOMAIN,           /* validation_email_domain_not_allowed */
	PB_VMSG_INVALID_URL,            /* validation_invalid_url */
	PB_VMSG_URL_DOMAIN,             /* validation_url_domain_not_allowed */
	PB_VMSG_CONTENT_SIZE,           /* validation_content_size_limit (editor) */
	PB_VMSG_TOO_MANY_VALUES,        /* validation_too_many_values */
	PB_VMSG_INVALID_SELECT_VALUE,   /* validation_invalid_value "Invalid value {{.value}}" */
	PB_VMSG_NOT_ENOUGH_VALUES,      /* validation_not_enough_values */
	PB_VMSG_MISSING_REL_COLLECTION, /* validation_missing_rel_collection */
	PB_VMSG_MISSING_REL_RECORDS,    /* validation_missing_rel_records */
	PB_VMSG_INVALID_FILE,           /* validation_invalid_file */
	PB_VMSG_TOO_MANY_FILES,         /* validation_too_many_files */
	PB_VMSG_FILE_SIZE,              /* validation_file_size_limit */
	PB_VMSG_MIME_UNDETECTED,        /* validation_invalid_mime_type (type could not be read) */
	PB_VMSG_MIME_NOT_ALLOWED,       /* validation_invalid_mime_type (type not in the list) */
	PB_VMSG_JSON_SIZE,              /* validation_json_size_limit */
	PB_VMSG_INVALID_JSON,           /* validation_invalid_json */
	PB_VMSG_PASSWORD_MIN,           /* validation_min_text_constraint, N in the text, no params */
	PB_VMSG_PASSWORD_MAX,           /* validation_max_text_constraint, N in the text, no params */
	PB_VMSG_PASSWORD_FORMAT,        /* validation_invalid_format "Invalid value format" */
	PB_VMSG_INVALID_LATITUDE,       /* validation_invalid_latitude */
	PB_VMSG_INVALID_LONGITUDE,      /* validation_invalid_longitude */
	PB_VMSG_COUNT
};

/* The error code (e.g. "validation_required") and the raw message template. Static strings. */
const char *pb_vmsg_code(enum pb_vmsg m);
const char *pb_vmsg_template(enum pb_vmsg m);

/* One field's validation failure. */
struct pb_field_error {
	enum pb_vmsg id;
	char *message;  /* owned: the template rendered with params (not sentenized) */
	json_t *params; /* owned object, or NULL when the wire item carries no params */
};

/* Fills e (any previous content freed) with message m rendered with `params` (stolen; NULL for
 * none). Messages that PocketBase formats with Sprintf keep the values in the text but expose
 * no params. Always returns 1, so validators can `return pb_field_error_set(...)`. */
int pb_field_error_set(struct pb_field_error *e, enum pb_vmsg m, json_t *params);
/* Frees the message and params; e can be reused. */
void pb_field_error_clear(struct pb_field_error *e);

/* Renders `{{.name}}` placeholders of tmpl from params (borrowed; may be NULL) with Go's
 * default formatting. Returns a malloc'd string (caller frees). */
char *pb_vmsg_render(const char *tmpl, const json_t *params);

/* The wire item {"code","message"(sentenized)[,"params"]} (new reference). */
json_t *pb_field_error_item(const struct pb_field_error *e);
/* Sets err->data[field] to that item (creating data when needed); status/message untouched. */
void pb_error_add_field(struct pb_error *err, const char *field, const struct pb_field_error *e);

#endif
