/* mail_templates — auth e-mail template lookup, placeholder substitution, HTML escaping and
 * the mail layout (see mail_templates.h). */
#include "core/mail_templates.h"

#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"

/* The document every auth mail body is placed in. The .btn class is what the default
 * templates use for their call-to-action link. */
static const char layout_head[] =
	"<!DOCTYPE html>\n"
	"<html lang=\"en\">\n"
	"<head>\n"
	"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\" />\n"
	"<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\" />\n"
	"<style>\n"
	"  html, body { margin: 0; padding: 0; background: #ffffff; }\n"
	"  body { padding: 24px 28px; color: #1d1f24; font-size: 14px; line-height: 21px;\n"
	"         font-family: -apple-system, \"Segoe UI\", Roboto, Helvetica, Arial, sans-serif; }\n"
	"  p { margin: 0 0 12px; }\n"
	"  a { color: inherit; }\n"
	"  strong { font-weight: 600; }\n"
	"  em, i { font-style: italic; }\n"
	"  small { font-size: 12px; line-height: 17px; }\n"
	"  hr { height: 1px; margin: 12px 0; border: 0; background: #dde2e8; }\n"
	"  .hidden { display: none !important; }\n"
	"  .btn { display: inline-block; min-width: 140px; margin: 4px 0; padding: 0 22px;\n"
	"         border-radius: 5px; background: #1d1f24 !important; color: #ffffff !important;\n"
	"         line-height: 38px; text-align: center; text-decoration: none !important;\n"
	"         font-weight: 600; }\n"
	"</style>\n"
	"</head>\n"
	"<body>\n";
static const char layout_tail[] = "\n</body>\n</html>\n";

static const char *str_or(const json_t *v, const char *def)
{
	const char *s = json_string_value(v);
	return s ? s : def;
}

struct pb_email_template pb_mail_template_get(const json_t *options, enum pb_mail_template_kind kind)
{
	const struct pb_email_template *def;
	const json_t *t;
	switch (kind) {
	case PB_MAIL_TEMPLATE_VERIFICATION:
		def = &pb_default_verification_template;
		t = json_object_get(options, "verificationTemplate");
		break;
	case PB_MAIL_TEMPLATE_RESET_PASSWORD:
		def = &pb_default_reset_password_template;
		t = json_object_get(options, "resetPasswordTemplate");
		break;
	case PB_MAIL_TEMPLATE_CONFIRM_EMAIL_CHANGE:
		def = &pb_default_confirm_email_change_template;
		t = json_object_get(options, "confirmEmailChangeTemplate");
		break;
	case PB_MAIL_TEMPLATE_OTP:
		def = &pb_default_otp_template;
		t = json_object_get(json_object_get(options, "otp"), "emailTemplate");
		break;
	default:
		def = &pb_default_auth_alert_template;
		t = json_object_get(json_object_get(options, "authAlert"), "emailTemplate");
		break;
	}
	struct pb_email_template r = {str_or(json_object_get(t, "subject"), def->subject),
	                              str_or(json_object_get(t, "body"), def->body)};
	return r;
}

void pb_mail_placeholders_init(struct pb_mail_placeholders *ph)
{
	*ph = (struct pb_mail_placeholders)PB_MAIL_PLACEHOLDERS_INIT;
}

void pb_mail_placeholders_deinit(struct pb_mail_placeholders *ph)
{
	for (size_t i = 0; i < ph->n; i++) {
		free(ph->items[i].key);
		free(ph->items[i].value);
	}
	free(ph->items);
	pb_mail_placeholders_init(ph);
}

const char *pb_mail_placeholders_get(const struct pb_mail_placeholders *ph, const char *key)
{
	for (size_t i = 0; i < ph->n; i++)
		if (strcmp(ph->items[i].key, key) == 0)
			return ph->items[i].value;
	return NULL;
}

static char *xstrdup(const char *s)
{
	char *r = strdup(s);
	if (!r)
		abort();
	return r;
}

void pb_mail_placeholders_add(struct pb_mail_placeholders *ph, const char *key, const char *value)
{
	if (!key || !*key || pb_mail_placeholders_get(ph, key))
		return;
	if (ph->n == ph->cap) {
		size_t cap = ph->cap ? ph->cap * 2 : 16;
		struct pb_mail_placeholder *items = realloc(ph->items, cap * sizeof *items);
		if (!items)
			abort();
		ph->items = items;
		ph->cap = cap;
	}
	ph->items[ph->n].key = xstrdup(key);
	ph->items[ph->n].value = xstrdup(value ? value : "");
	ph->n++;
}

char *pb_mail_placeholders_apply(const struct pb_mail_placeholders *ph, const char *s)
{
	struct pb_strbuf out = PB_STRBUF_INIT;
	pb_strbuf_puts(&out, "");
	for (const char *p = s ? s : ""; *p;) {
		const struct pb_mail_placeholder *best = NULL;
		size_t best_len = 0;
		for (size_t i = 0; i < ph->n; i++) {
			size_t kl = strlen(ph->items[i].key);
			if (kl > best_len && strncmp(p, ph->items[i].key, kl) == 0) {
				best = &ph->items[i];
				best_len = kl;
			}
		}
		if (best) {
			pb_strbuf_puts(&out, best->value);
			p += best_len;
		} else {
			pb_strbuf_putc(&out, *p++);
		}
	}
	return pb_strbuf_steal(&out);
}

char *pb_mail_html_escape(const char *s)
{
	struct pb_strbuf out = PB_STRBUF_INIT;
	pb_strbuf_puts(&out, "");
	for (const char *p = s ? s : ""; *p; p++) {
		switch (*p) {
		case '&': pb_strbuf_puts(&out, "&amp;"); break;
		case '<': pb_strbuf_puts(&out, "&lt;"); break;
		case '>': pb_strbuf_puts(&out, "&gt;"); break;
		case '\'': pb_strbuf_puts(&out, "&#39;"); break;
		case '"': pb_strbuf_puts(&out, "&#34;"); break;
		default: pb_strbuf_putc(&out, *p); break;
		}
	}
	return pb_strbuf_steal(&out);
}

int pb_mail_template_render(const struct pb_email_template *t, const struct pb_mail_placeholders *ph,
                            char **subject, char **html, struct pb_error *err)
{
	*subject = NULL;
	*html = NULL;
	if (!t || !t->subject || !t->body)
		return pb_error_set(err, 500, "missing email template");
	*subject = pb_mail_placeholders_apply(ph, t->subject);
	char *body = pb_mail_placeholders_apply(ph, t->body);
	struct pb_strbuf doc = PB_STRBUF_INIT;
	pb_strbuf_puts(&doc, layout_head);
	pb_strbuf_puts(&doc, body);
	pb_strbuf_puts(&doc, layout_tail);
	free(body);
	*html = pb_strbuf_steal(&doc);
	return 0;
}
