/* auth_mail — the auth flows' emails (PocketBase's mails/record.go): verification, password
 * reset, email change confirmation, OTP and the new-location login alert, each rendered from
 * the collection's template (collections/record_mail.h: {APP_NAME}, {APP_URL}, {TOKEN}, {OTP},
 * {OTP_ID}, {ALERT_INFO}, {RECORD:<field>}, the mail layout) and sent with the mailer
 * (core/mailer.h: SMTP from settings.smtp, else sendmail, else a log line), from
 * settings.meta's sender to one recipient. Sending blocks, so callers use pb_auth_mail_async,
 * which sends on the app's blocking pool after the request has been answered, as PocketBase
 * sends from a background goroutine (request-email-change waits for it, like upstream). */
#ifndef POCKETC_API_AUTH_MAIL_H
#define POCKETC_API_AUTH_MAIL_H

#include <jansson.h>
#include <stdbool.h>

#include "collections/schema.h"
#include "core/app.h"
#include "core/error.h"

enum pb_auth_mail_kind {
	PB_AUTH_MAIL_VERIFICATION,
	PB_AUTH_MAIL_PASSWORD_RESET,
	PB_AUTH_MAIL_EMAIL_CHANGE,
	PB_AUTH_MAIL_OTP,
	PB_AUTH_MAIL_LOGIN_ALERT,
};

struct pb_auth_mail {
	enum pb_auth_mail_kind kind;
	struct pb_schema *schema;        /* owned reference: keeps `c` alive */
	const struct pb_collection *c;   /* borrowed from schema */
	json_t *record;                  /* owned: the auth record (secrets removed) */
	char *to;                        /* owned: recipient address */
	char *token;                     /* owned, may be NULL: {TOKEN} */
	char *otp, *otp_id;              /* owned, may be NULL: {OTP}, {OTP_ID} */
	char *alert_info;                /* owned, may be NULL: {ALERT_INFO} (escaped when rendered) */
};

/* A new message of `kind` for `record` (borrowed, copied) of c, to `to` (copied), holding a
 * reference to `schema`. Set the placeholder strings with strdup'ed values. */
struct pb_auth_mail *pb_auth_mail_new(enum pb_auth_mail_kind kind, struct pb_schema *schema,
                                      const struct pb_collection *c, const json_t *record, const char *to);
void pb_auth_mail_free(struct pb_auth_mail *m);

/* Renders the subject and the HTML body of m (malloc'd, caller frees both). Returns 0, or -1
 * with err. */
int pb_auth_mail_render(const struct pb_auth_mail *m, char **subject, char **body, struct pb_error *err);

/* Sends m (blocking). Returns 0, or -1 with err. */
int pb_auth_mail_send(const struct pb_auth_mail *m, struct pb_error *err);

/* Sends m on app's blocking pool, then calls after(app, m, ok, arg) on that pool thread (may be
 * NULL) and frees m. Failures are logged like PocketBase does. Takes over m. */
void pb_auth_mail_async(struct pb_app *app, struct pb_auth_mail *m,
                        void (*after)(struct pb_app *app, const struct pb_auth_mail *m, bool ok, void *arg),
                        void *arg);

#endif
