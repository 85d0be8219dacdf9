/* mail_templates — the auth e-mail templates of a collection and their rendering, as
 * PocketBase's mails/record.go resolves them: pick the template from the collection options
 * (verificationTemplate, resetPasswordTemplate, confirmEmailChangeTemplate,
 * otp.emailTemplate, authAlert.emailTemplate), replace the placeholders in subject and body
 * ({TOKEN}, {OTP}, {OTP_ID}, {ALERT_INFO} of the flow, then {APP_NAME} / {APP_URL} from
 * settings.meta, then {RECORD:<field>} for the record's visible fields — a key registered
 * first wins), and wrap the body in the HTML mail layout (our own markup; PocketBase's
 * templates/layout.go plays that role there).
 *
 * Placeholders are replaced in one left-to-right pass, so a value that itself contains a
 * placeholder (a user-chosen name "{TOKEN}") is never expanded; PocketBase's sequential
 * ReplaceAll in map order may or may not expand it, depending on the order. The
 * {RECORD:<field>} values are built in collections/record_mail.h. */
#ifndef POCKETC_CORE_MAIL_TEMPLATES_H
#define POCKETC_CORE_MAIL_TEMPLATES_H

#include <jansson.h>
#include <stddef.h>

#include "core/auth_defaults.h"
#include "core/error.h"

#define PB_MAIL_PH_APP_NAME "{APP_NAME}"
#define PB_MAIL_PH_APP_URL "{APP_URL}"
#define PB_MAIL_PH_TOKEN "{TOKEN}"
#define PB_MAIL_PH_OTP "{OTP}"
#define PB_MAIL_PH_OTP_ID "{OTP_ID}"
#define PB_MAIL_PH_ALERT_INFO "{ALERT_INFO}"

enum pb_mail_template_kind {
	PB_MAIL_TEMPLATE_VERIFICATION,
	PB_MAIL_TEMPLATE_RESET_PASSWORD,
	PB_MAIL_TEMPLATE_CONFIRM_EMAIL_CHANGE,
	PB_MAIL_TEMPLATE_OTP,
	PB_MAIL_TEMPLATE_AUTH_ALERT,
};

/* The template of `kind` in an auth collection's stored options (borrowed). The returned
 * strings borrow from options; a template missing from options (or not a string) is the
 * default one of auth_defaults.h, as a collection created by NewCollection would have it. */
struct pb_email_template pb_mail_template_get(const json_t *options, enum pb_mail_template_kind kind);

struct pb_mail_placeholder {
	char *key;   /* owned, e.g. "{TOKEN}" */
	char *value; /* owned, inserted as is (already escaped where needed) */
};

/* An ordered set of placeholders. */
struct pb_mail_placeholders {
	struct pb_mail_placeholder *items; /* owned */
	size_t n, cap;
};

#define PB_MAIL_PLACEHOLDERS_INIT {NULL, 0, 0}

void pb_mail_placeholders_init(struct pb_mail_placeholders *ph);
/* Frees every key and value. */
void pb_mail_placeholders_deinit(struct pb_mail_placeholders *ph);
/* Adds key → value (both copied; value NULL = "") unless key is already there. Empty keys are
 * ignored. */
void pb_mail_placeholders_add(struct pb_mail_placeholders *ph, const char *key, const char *value);
/* The value of key (borrowed) or NULL. */
const char *pb_mail_placeholders_get(const struct pb_mail_placeholders *ph, const char *key);

/* s with every placeholder replaced (one pass; where several keys match at a position the
 * longest wins). Returns a malloc'd string (caller frees); s NULL → "". */
char *pb_mail_placeholders_apply(const struct pb_mail_placeholders *ph, const char *s);

/* Go's html.EscapeString: & < > ' " → &amp; &lt; &gt; &#39; &#34;. Returns a malloc'd string. */
char *pb_mail_html_escape(const char *s);

/* Renders t (borrowed) with ph: *subject gets the subject, *html the body inside the mail
 * layout (both malloc'd, caller frees). Returns 0, or -1 with err (status 500) when the
 * template has no subject or body pointer. */
int pb_mail_template_render(const struct pb_email_template *t, const struct pb_mail_placeholders *ph,
                            char **subject, char **html, struct pb_error *err);

#endif
