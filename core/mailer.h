/* mailer — sending one e-mail message, the way PocketBase's NewMailClient does.
 * When settings.smtp.enabled, the message goes to the configured SMTP server (libcurl:
 * implicit TLS with `tls`, otherwise STARTTLS when the server offers it, AUTH PLAIN or LOGIN
 * when a username or password is set), like tools/mailer/smtp.go (mailyak). Otherwise it is
 * piped to `sendmail -i -t` like tools/mailer/sendmail.go. When there is no sendmail either,
 * the recipients and the subject (never the body) are logged to stderr and the send counts
 * as done, so nothing is dropped without a trace.
 *
 * Everything here blocks (network, child process): call it from the blocking pool, never
 * from an event loop. No global state; libcurl is initialised lazily by the first send
 * (thread-safe since libcurl 7.84) or explicitly by pb_mailer_global_init at start-up. */
#ifndef POCKETC_CORE_MAILER_H
#define POCKETC_CORE_MAILER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

/* One extra header (PocketBase Message.Headers). Borrowed. */
struct pb_mail_header {
	const char *name, *value;
};

/* One attachment (Message.Attachments / InlineAttachments). Borrowed. PocketBase sniffs the
 * type from the content; here the caller names it (NULL → application/octet-stream). An inline
 * attachment gets `Content-Disposition: inline` and is referenced as cid:<name>. */
struct pb_mail_attachment {
	const char *name;
	const void *data;
	size_t len;
	const char *content_type;
	bool is_inline;
};

/* A message (PocketBase's mailer.Message); everything borrowed. Addresses are "addr" or
 * "Name <addr>" (the name may be a quoted string). */
struct pb_mail {
	const char *from_name, *from_address;
	const char *const *to;
	size_t nto;
	const char *const *cc;
	size_t ncc;
	const char *const *bcc; /* envelope only, never written as a header */
	size_t nbcc;
	const char *subject;
	const char *html;
	const char *text; /* NULL or "" → derived from html (pb_html2text), as PocketBase does */
	const struct pb_mail_header *headers;
	size_t nheaders;
	const struct pb_mail_attachment *attachments;
	size_t nattachments;
};

/* settings.smtp (pb-data-model §8.2) plus our timeout. Strings borrowed. */
struct pb_smtp_config {
	bool enabled;
	const char *host;
	int port;
	const char *username, *password;
	const char *auth_method; /* "PLAIN" (also for NULL/"") or "LOGIN" */
	bool tls;                /* true: implicit TLS (smtps); false: STARTTLS when offered */
	const char *local_name;  /* EHLO name; NULL/"" → "localhost" like Go's net/smtp */
	long timeout_ms;         /* whole transaction; 0 → 5 minutes */
};

/* Initialises libcurl once for the process (call from main before threads start). Returns 0
 * or -1. Optional: pb_mail_send works without it. */
int pb_mailer_global_init(void);
/* Releases what pb_mailer_global_init set up (call at exit, after every send finished). */
void pb_mailer_global_cleanup(void);

/* Fills *cfg and the sender from a settings document (the `_params` value as JSON, borrowed;
 * the strings point into it). Missing keys give PocketBase's zero values; sender_name /
 * sender_address may be NULL when not wanted. */
void pb_mail_settings_read(const json_t *settings, struct pb_smtp_config *cfg, const char **sender_name,
                           const char **sender_address);

/* Sends m. cfg (borrowed) decides the transport: SMTP when cfg->enabled, else `sendmail -i -t`
 * found at /usr/sbin/sendmail, /usr/bin/sendmail or on PATH, else a log line on stderr
 * ("mail not sent: SMTP is not configured …" with recipients and subject) and success.
 * Returns 0, or -1 with err (status 500, message = the SMTP server's rejection such as
 * "550 5.1.1 no such user", or the transport error) when the message was not accepted. */
int pb_mail_send(const struct pb_smtp_config *cfg, const struct pb_mail *m, struct pb_error *err);

#endif
