/* record_mail — the record side of PocketBase's auth e-mails (mails/record.go): the
 * {RECORD:<field>} placeholders of an auth record, rendering one of its collection's templates
 * for a flow (verification, password reset, email change, OTP, login alert) and the stand-in
 * record of `POST /api/settings/test/email` (forms/test_email_send.go).
 *
 * {RECORD:<field>} exists for every field that is not hidden (so never password or tokenKey:
 * "{RECORD:tokenKey}" stays in the text) and holds Record.GetString of the value: strings as
 * they are, numbers in Go's shortest 'f' form, bools true/false, json and geoPoint values as
 * their JSON text, multi-value select/relation/file ""; HTML-escaped except for number, bool,
 * date and autodate fields. */
#ifndef POCKETC_COLLECTIONS_RECORD_MAIL_H
#define POCKETC_COLLECTIONS_RECORD_MAIL_H

#include <jansson.h>

#include "collections/collection.h"
#include "core/error.h"
#include "core/mail_templates.h"

/* Adds {RECORD:<field>} of every visible field of c with record's value, keeping keys already
 * present. record (borrowed) is the record JSON as pb_record_find_by_id loads it with
 * show_email (hidden fields are not needed); a missing key counts as Go's nil. */
void pb_record_mail_placeholders(struct pb_mail_placeholders *ph, const struct pb_collection *c,
                                 const json_t *record);

/* The flow-specific inputs of a mail; every member borrowed, NULL = not used by the flow. */
struct pb_record_mail_vars {
	const char *app_name;   /* settings.meta.appName → {APP_NAME} */
	const char *app_url;    /* settings.meta.appURL → {APP_URL} */
	const char *token;      /* {TOKEN}: verification / passwordReset / emailChange token */
	const char *otp_id;     /* {OTP_ID} */
	const char *otp;        /* {OTP}: the one-time password */
	const char *alert_info; /* {ALERT_INFO}: raw text, HTML-escaped here (SendRecordAuthAlert) */
};

/* Renders the `kind` template of auth collection c for record (borrowed) with v (borrowed).
 * On success returns 0 with *subject and *html (the body inside the mail layout) malloc'd for
 * the caller to free; -1 with err (status 400) when c is not an auth collection. */
int pb_record_mail_render(const struct pb_collection *c, const json_t *record, enum pb_mail_template_kind kind,
                          const struct pb_record_mail_vars *v, char **subject, char **html, struct pb_error *err);

/* The record a test e-mail is rendered for: zero values, every visible field set to
 * "__pb_test_<name>__" through its type's setter (so numbers become 0, bools false, …), then
 * email = `email` (borrowed). Returns a new reference. */
json_t *pb_record_mail_test_record(const struct pb_collection *c, const char *email);

#endif
