/* auth_mail — rendering the auth emails from the collection templates and "sending" them
 * (stderr until the SMTP mailer exists), see auth_mail.h. */
#include "api/auth_mail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json_write.h"
#include "core/settings.h"
#include "core/strbuf.h"

struct pb_auth_mail *pb_auth_mail_new(enum pb_auth_mail_kind kind, struct pb_schema *schema,
                                      const struct pb_collection *c, const json_t *record, const char *to)
{
	struct pb_auth_mail *m = calloc(1, sizeof *m);
	if (!m || !(m->to = strdup(to ? to : "")))
		abort();
	m->kind = kind;
	m->schema = pb_schema_ref(schema);
	m->c = c;
	m->record = json_deep_copy(record);
	return m;
}

void pb_auth_mail_free(struct pb_auth_mail *m)
{
	if (!m)
		return;
	json_decref(m->record);
	free(m->to);
	free(m->token);
	free(m->otp);
	free(m->otp_id);
	free(m->alert_info);
	pb_schema_unref(m->schema);
	free(m);
}

static void html_escape(struct pb_strbuf *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': pb_strbuf_puts(out, "&lt;"); break;
		case '>': pb_strbuf_puts(out, "&gt;"); break;
		case '&': pb_strbuf_puts(out, "&amp;"); break;
		case '\'': pb_strbuf_puts(out, "&#39;"); break;
		case '"': pb_strbuf_puts(out, "&#34;"); break;
		default: pb_strbuf_putc(out, *s);
		}
	}
}

/* strings.ReplaceAll(text, key, value) into a new string. */
static char *replace_all(const char *text, const char *key, const char *value)
{
	struct pb_strbuf b = PB_STRBUF_INIT;
	size_t klen = strlen(key);
	const char *p = text;
	for (const char *hit; klen && (hit = strstr(p, key));) {
		pb_strbuf_append(&b, p, (size_t)(hit - p));
		pb_strbuf_puts(&b, value);
		p = hit + klen;
	}
	pb_strbuf_puts(&b, p);
	return pb_strbuf_steal(&b);
}

static const json_t *template_of(const struct pb_auth_mail *m)
{
	const json_t *o = m->c->options;
	switch (m->kind) {
	case PB_AUTH_MAIL_VERIFICATION: return json_object_get(o, "verificationTemplate");
	case PB_AUTH_MAIL_PASSWORD_RESET: return json_object_get(o, "resetPasswordTemplate");
	case PB_AUTH_MAIL_EMAIL_CHANGE: return json_object_get(o, "confirmEmailChangeTemplate");
	case PB_AUTH_MAIL_OTP: return json_object_get(json_object_get(o, "otp"), "emailTemplate");
	case PB_AUTH_MAIL_LOGIN_ALERT: return json_object_get(json_object_get(o, "authAlert"), "emailTemplate");
	}
	return NULL;
}

/* Record.GetString of a field value (cast.ToString). */
static void value_text(const json_t *v, struct pb_strbuf *out)
{
	char buf[64];
	if (json_is_string(v))
		pb_strbuf_puts(out, json_string_value(v));
	else if (json_is_boolean(v))
		pb_strbuf_puts(out, json_is_true(v) ? "true" : "false");
	else if (json_is_number(v)) {
		pb_json_format_float_fixed(json_number_value(v), buf, sizeof buf);
		pb_strbuf_puts(out, buf);
	}
}

static void replace_in(char **subject, char **body, const char *key, const char *value)
{
	char *s = replace_all(*subject, key, value), *b = replace_all(*body, key, value);
	free(*subject);
	free(*body);
	*subject = s;
	*body = b;
}

int pb_auth_mail_render(const struct pb_auth_mail *m, char **subject, char **body)
{
	const json_t *t = template_of(m);
	const char *ts = json_string_value(json_object_get(t, "subject"));
	const char *tb = json_string_value(json_object_get(t, "body"));
	if (!ts || !tb)
		return -1;
	*subject = strdup(ts);
	*body = strdup(tb);
	if (!*subject || !*body)
		abort();
	if (m->token)
		replace_in(subject, body, "{TOKEN}", m->token);
	if (m->otp)
		replace_in(subject, body, "{OTP}", m->otp);
	if (m->otp_id)
		replace_in(subject, body, "{OTP_ID}", m->otp_id);
	if (m->alert_info) {
		struct pb_strbuf e = PB_STRBUF_INIT;
		html_escape(&e, m->alert_info);
		replace_in(subject, body, "{ALERT_INFO}", pb_strbuf_cstr(&e));
		pb_strbuf_deinit(&e);
	}
	struct pb_settings *s = pb_settings_current();
	replace_in(subject, body, "{APP_NAME}", s ? s->meta.app_name : "");
	replace_in(subject, body, "{APP_URL}", s ? s->meta.app_url : "");
	pb_settings_unref(s);
	for (size_t i = 0; i < m->c->nfields; i++) {
		const struct pb_field *f = &m->c->fields[i];
		if (f->hidden)
			continue;
		struct pb_strbuf key = PB_STRBUF_INIT, raw = PB_STRBUF_INIT, val = PB_STRBUF_INIT;
		pb_strbuf_printf(&key, "{RECORD:%s}", f->name);
		value_text(json_object_get(m->record, f->name), &raw);
		bool plain = f->type == PB_FIELD_AUTODATE || f->type == PB_FIELD_DATE || f->type == PB_FIELD_BOOL ||
		             f->type == PB_FIELD_NUMBER;
		if (plain)
			pb_strbuf_puts(&val, pb_strbuf_cstr(&raw));
		else
			html_escape(&val, pb_strbuf_cstr(&raw));
		replace_in(subject, body, pb_strbuf_cstr(&key), pb_strbuf_cstr(&val));
		pb_strbuf_deinit(&key);
		pb_strbuf_deinit(&raw);
		pb_strbuf_deinit(&val);
	}
	return 0;
}

int pb_auth_mail_send(const struct pb_auth_mail *m, struct pb_error *err)
{
	char *subject = NULL, *body = NULL;
	if (pb_auth_mail_render(m, &subject, &body) != 0)
		return pb_error_set(err, 400, "missing email template");
	struct pb_settings *s = pb_settings_current();
	fprintf(stderr, "[mail] From: %s <%s>\n[mail] To: %s\n[mail] Subject: %s\n%s\n[mail] --\n",
	        s ? s->meta.sender_name : "", s ? s->meta.sender_address : "", m->to, subject, body);
	fflush(stderr);
	pb_settings_unref(s);
	free(subject);
	free(body);
	return 0;
}

struct mail_job {
	struct pb_app *app;
	struct pb_auth_mail *m;
	void (*after)(struct pb_app *app, const struct pb_auth_mail *m, bool ok, void *arg);
	void *arg;
};

static void mail_run(void *p)
{
	struct mail_job *j = p;
	struct pb_error err = PB_ERROR_INIT;
	bool ok = pb_auth_mail_send(j->m, &err) == 0;
	if (!ok)
		fprintf(stderr, "Failed to send %s email: %s\n", j->m->c->name, err.message);
	pb_error_clear(&err);
	if (j->after)
		j->after(j->app, j->m, ok, j->arg);
	pb_auth_mail_free(j->m);
	free(j);
}

void pb_auth_mail_async(struct pb_app *app, struct pb_auth_mail *m,
                        void (*after)(struct pb_app *app, const struct pb_auth_mail *m, bool ok, void *arg),
                        void *arg)
{
	struct mail_job *j = calloc(1, sizeof *j);
	if (!j)
		abort();
	j->app = app;
	j->m = m;
	j->after = after;
	j->arg = arg;
	pb_pool_submit(&app->pool, mail_run, j);
}
