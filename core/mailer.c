/* mailer — choosing the transport of a message like PocketBase's NewMailClient (SMTP when
 * enabled, else sendmail) plus the logged fallback when there is no sendmail; reading the
 * SMTP and sender settings (see mailer.h). */
#include "core/mailer.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/mailer_internal.h"
#include "core/strbuf.h"

int pb_mailer_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void pb_mailer_global_cleanup(void)
{
	curl_global_cleanup();
}

static const char *str_at(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

void pb_mail_settings_read(const json_t *settings, struct pb_smtp_config *cfg, const char **sender_name,
                           const char **sender_address)
{
	const json_t *smtp = json_object_get(settings, "smtp");
	const json_t *meta = json_object_get(settings, "meta");
	if (cfg) {
		*cfg = (struct pb_smtp_config){0};
		cfg->enabled = json_is_true(json_object_get(smtp, "enabled"));
		cfg->host = str_at(smtp, "host");
		cfg->port = (int)json_integer_value(json_object_get(smtp, "port"));
		cfg->username = str_at(smtp, "username");
		cfg->password = str_at(smtp, "password");
		cfg->auth_method = str_at(smtp, "authMethod");
		cfg->tls = json_is_true(json_object_get(smtp, "tls"));
		cfg->local_name = str_at(smtp, "localName");
	}
	if (sender_name)
		*sender_name = str_at(meta, "senderName");
	if (sender_address)
		*sender_address = str_at(meta, "senderAddress");
}

/* Appends s with control characters turned into spaces. */
static void put_clean(struct pb_strbuf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++)
		pb_strbuf_putc(b, *p < 0x20 || *p == 0x7F ? ' ' : (char)*p);
}

static void put_list(struct pb_strbuf *b, const char *const *list, size_t n, bool *first)
{
	for (size_t i = 0; i < n; i++) {
		if (!*first)
			pb_strbuf_puts(b, ", ");
		put_clean(b, list[i]);
		*first = false;
	}
}

void pb_mail_log_unsent(FILE *f, const struct pb_mail *m)
{
	struct pb_strbuf b = PB_STRBUF_INIT;
	bool first = true;
	pb_strbuf_puts(&b, "pocketc: mail not sent: SMTP is not configured and no sendmail was found; to: ");
	put_list(&b, m->to, m->nto, &first);
	put_list(&b, m->cc, m->ncc, &first);
	put_list(&b, m->bcc, m->nbcc, &first);
	pb_strbuf_puts(&b, "; subject: \"");
	put_clean(&b, m->subject);
	pb_strbuf_puts(&b, "\"\n");
	fputs(b.data, f); /* one write, so concurrent notices do not interleave */
	fflush(f);
	pb_strbuf_deinit(&b);
}

int pb_mail_send(const struct pb_smtp_config *cfg, const struct pb_mail *m, struct pb_error *err)
{
	if (cfg && cfg->enabled)
		return pb_mail_smtp_send(cfg, m, NULL, err);
	char *sendmail = pb_mail_sendmail_find(getenv("PATH"));
	if (!sendmail) {
		pb_mail_log_unsent(stderr, m);
		return 0;
	}
	int rc = pb_mail_sendmail_run(sendmail, m, err);
	free(sendmail);
	return rc;
}
