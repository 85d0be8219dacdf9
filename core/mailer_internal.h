/* mailer_internal — the transports behind pb_mail_send (mailer.h), split out so that tests
 * can drive each one directly: SMTP through libcurl (mail_smtp.c), the sendmail command
 * (mail_sendmail.c) and the log line written when neither is available (mailer.c). */
#ifndef POCKETC_CORE_MAILER_INTERNAL_H
#define POCKETC_CORE_MAILER_INTERNAL_H

#include <stdio.h>

#include "core/error.h"
#include "core/mail_mime.h"
#include "core/mailer.h"

/* Sends m over SMTP per cfg (borrowed). params (may be NULL) fixes the generated message
 * parts (mail_mime.h). Returns 0, or -1 with err (status 500): the server's 4xx/5xx reply line
 * when it refused something, else libcurl's description of the failure. */
int pb_mail_smtp_send(const struct pb_smtp_config *cfg, const struct pb_mail *m,
                      const struct pb_mail_mime_params *params, struct pb_error *err);

/* The sendmail executable as PocketBase looks for it: /usr/sbin/sendmail, /usr/bin/sendmail,
 * then "sendmail" in the absolute directories of path_env (a PATH value, may be NULL).
 * Returns a malloc'd path (caller frees) or NULL when there is none. */
char *pb_mail_sendmail_find(const char *path_env);

/* Runs `<cmd> -i -t` with the sendmail form of m on its standard input (stdout and stderr to
 * /dev/null, like Go's exec.Cmd). Returns 0 when it exits with status 0, else -1 with err
 * (status 500, "exit status N" / "signal: …" / the spawn error). */
int pb_mail_sendmail_run(const char *cmd, const struct pb_mail *m, struct pb_error *err);

/* Writes the one-line "mail not sent" notice (recipients and subject, control characters
 * blanked, never the body) to f. */
void pb_mail_log_unsent(FILE *f, const struct pb_mail *m);

#endif
