/* auth_mail — the auth emails rendered with the collection templates (collections/record_mail.h)
 * and sent with the app's mailer (core/mailer.h), see auth_mail.h. */
#include "api/auth_mail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collections/record_mail.h"
#include "core/mailer.h"
#include "core/settings.h"

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

static enum pb_mail_template_kind template_kind(enum pb_auth_mail_kind k)
{
	switch (k) {
	case PB_AUTH_MAIL_VERIFICATION: return PB_MAIL_TEMPLATE_VERIFICATION;
	case PB_AUTH_MAIL_PASSWORD_RESET: return PB_MAIL_TEMPLATE_RESET_PASSWORD;
	case PB_AUTH_MAIL_EMAIL_CHANGE: return PB_MAIL_TEMPLATE_CONFIRM_EMAIL_CHANGE;
	case PB_AUTH_MAIL_OTP: return PB_MAIL_TEMPLATE_OTP;
	case PB_AUTH_MAIL_LOGIN_ALERT: break;
	}
	return PB_MAIL_TEMPLATE_AUTH_ALERT;
}

int pb_auth_mail_render(const struct pb_auth_mail *m, char **subject, char **body, struct pb_error *err)
{
	struct pb_settings *s = pb_settings_current();
	struct pb_record_mail_vars v = {
		.app_name = s ? s->meta.app_name : "",
		.app_url = s ? s->meta.app_url : "",
		.token = m->token,
		.otp_id = m->otp_id,
		.otp = m->otp,
		.alert_info = m->alert_info,
	};
	int rc = pb_record_mail_render(m->c, m->record, template_kind(m->kind), &v, subject, body, err);
	pb_settings_unref(s);
	return rc;
}

int pb_auth_mail_send(const struct pb_auth_mail *m, struct pb_error *err)
{
	char *subject = NULL, *html = NULL;
	if (pb_auth_mail_render(m, &subject, &html, err) != 0)
		return -1;
	struct pb_settings *s = pb_settings_current();
	struct pb_smtp_config cfg = {0};
	const char *sender_name = "", *sender_address = "";
	if (s)
		pb_mail_settings_read(pb_settings_json(s), &cfg, &sender_name, &sender_address);
	const char *to[] = {m->to};
	struct pb_mail msg = {
		.from_name = sender_name,
		.from_address = sender_address,
		.to = to,
		.nto = 1,
		.subject = subject,
		.html = html,
	};
	int rc = pb_mail_send(&cfg, &msg, err);
	pb_settings_unref(s);
	free(subject);
	free(html);
	return rc;
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
