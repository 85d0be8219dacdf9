/* mail_mime — the bytes of a message as PocketBase's two mail clients write them.
 *
 * SMTP (mailyak v3.6.2, used by tools/mailer/smtp.go), CRLF throughout:
 *   From: <name, Q-encoded> <addr>          (just "From: addr" without a name)
 *   MIME-Version: 1.0
 *   Date: <RFC 1123Z, local time>
 *   Subject: <Q-encoded ("UTF-8") when not printable ASCII>
 *   To: <addr or "Name" <addr>, comma-joined>   CC: likewise (Bcc never written)
 *   <extra headers, values Q-encoded>
 *   Message-ID: <15 random [A-Za-z0-9]@<sender domain>>   (unless given as an extra header)
 *   Content-Type: multipart/mixed;\r\n\tboundary="<60 hex>"; charset=UTF-8
 *   a multipart/alternative part holding text/plain then text/html (quoted-printable,
 *   charset=UTF-8; an empty alternative is left out), then the attachments (base64).
 * A message with neither body nor attachments ends right after the headers.
 *
 * sendmail (tools/mailer/sendmail.go): Go http.Header order (Bcc, Cc, Content-Type, From,
 * Subject, To), "Content-Type: text/html; charset=UTF-8", a blank line and the raw HTML (or the
 * text when there is no HTML). */
#ifndef POCKETC_CORE_MAIL_MIME_H
#define POCKETC_CORE_MAIL_MIME_H

#include "core/error.h"
#include "core/mailer.h"
#include "core/strbuf.h"

/* The random and time-dependent parts of a message; any NULL member is generated (boundaries
 * from the CSPRNG, the current local time, a random Message-ID). For tests and callers that
 * need stable bytes. All borrowed. */
struct pb_mail_mime_params {
	const char *date;           /* the Date header value */
	const char *mixed_boundary; /* multipart/mixed boundary */
	const char *alt_boundary;   /* multipart/alternative boundary */
	const char *message_id;     /* full value, e.g. "<abc@example.com>" */
};

/* Appends the SMTP form of m to out. params may be NULL (everything generated). Returns 0, or
 * -1 with err (status 500) when the random generator fails. */
int pb_mail_mime_build(const struct pb_mail *m, const struct pb_mail_mime_params *params, struct pb_strbuf *out,
                       struct pb_error *err);

/* Appends the sendmail form of m to out. Never fails. */
void pb_mail_mime_build_sendmail(const struct pb_mail *m, struct pb_strbuf *out);

#endif
