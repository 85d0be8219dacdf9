/* record_mail — {RECORD:<field>} placeholders, per-flow template rendering and the test-mail
 * record (see record_mail.h), following mails/record.go's resolveEmailTemplate: the flow's
 * placeholders first, then {APP_NAME}/{APP_URL}, then the record fields. */
#include "collections/record_mail.h"

#include <stdlib.h>
#include <string.h>

#include "collections/field_cast.h"
#include "collections/field_type.h"
#include "core/strbuf.h"

/* Record.GetString of one field value (malloc'd). */
static char *field_string(const struct pb_field *f, const json_t *v)
{
	if (v && (f->type == PB_FIELD_JSON || f->type == PB_FIELD_GEOPOINT))
		return pb_go_json_marshal(v, false); /* JSONRaw / GeoPoint String() */
	if (!v && f->type == PB_FIELD_JSON)
		return strdup("null");
	if (!v && f->type == PB_FIELD_GEOPOINT)
		return strdup("{\"lon\":0,\"lat\":0}");
	return pb_cast_to_string(v); /* arrays (multiple values) and objects → "" */
}

static bool escaped_type(enum pb_field_type t)
{
	return t != PB_FIELD_NUMBER && t != PB_FIELD_BOOL && t != PB_FIELD_DATE && t != PB_FIELD_AUTODATE;
}

void pb_record_mail_placeholders(struct pb_mail_placeholders *ph, const struct pb_collection *c,
                                 const json_t *record)
{
	struct pb_strbuf key = PB_STRBUF_INIT;
	for (size_t i = 0; i < c->nfields; i++) {
		const struct pb_field *f = &c->fields[i];
		if (f->hidden)
			continue;
		pb_strbuf_reset(&key);
		pb_strbuf_printf(&key, "{RECORD:%s}", f->name);
		char *val = field_string(f, json_object_get(record, f->name));
		if (!val)
			abort();
		if (escaped_type(f->type)) {
			char *esc = pb_mail_html_escape(val);
			free(val);
			val = esc;
		}
		pb_mail_placeholders_add(ph, key.data, val);
		free(val);
	}
	pb_strbuf_deinit(&key);
}

int pb_record_mail_render(const struct pb_collection *c, const json_t *record, enum pb_mail_template_kind kind,
                          const struct pb_record_mail_vars *v, char **subject, char **html, struct pb_error *err)
{
	*subject = NULL;
	*html = NULL;
	if (!c || c->type != PB_COLLECTION_AUTH)
		return pb_error_set(err, 400, "Missing or invalid auth collection context.");
	const struct pb_record_mail_vars none = {0};
	if (!v)
		v = &none;

	struct pb_mail_placeholders ph = PB_MAIL_PLACEHOLDERS_INIT;
	switch (kind) {
	case PB_MAIL_TEMPLATE_OTP:
		if (v->otp_id)
			pb_mail_placeholders_add(&ph, PB_MAIL_PH_OTP_ID, v->otp_id);
		if (v->otp)
			pb_mail_placeholders_add(&ph, PB_MAIL_PH_OTP, v->otp);
		break;
	case PB_MAIL_TEMPLATE_AUTH_ALERT:
		if (v->alert_info) {
			char *info = pb_mail_html_escape(v->alert_info);
			pb_mail_placeholders_add(&ph, PB_MAIL_PH_ALERT_INFO, info);
			free(info);
		}
		break;
	default:
		if (v->token)
			pb_mail_placeholders_add(&ph, PB_MAIL_PH_TOKEN, v->token);
		break;
	}
	pb_mail_placeholders_add(&ph, PB_MAIL_PH_APP_NAME, v->app_name ? v->app_name : "");
	pb_mail_placeholders_add(&ph, PB_MAIL_PH_APP_URL, v->app_url ? v->app_url : "");
	pb_record_mail_placeholders(&ph, c, record);

	struct pb_email_template t = pb_mail_template_get(c->options, kind);
	int rc = pb_mail_template_render(&t, &ph, subject, html, err);
	pb_mail_placeholders_deinit(&ph);
	return rc;
}

json_t *pb_record_mail_test_record(const struct pb_collection *c, const char *email)
{
	json_t *rec = json_object();
	struct pb_strbuf val = PB_STRBUF_INIT;
	for (size_t i = 0; i < c->nfields; i++) {
		const struct pb_field *f = &c->fields[i];
		const struct pb_field_ops *ops = pb_field_impl(f);
		json_t *v = ops->zero(f);
		if (!f->hidden && !(ops->flags & PB_FT_IGNORES_SET)) {
			pb_strbuf_reset(&val);
			pb_strbuf_printf(&val, "__pb_test_%s__", f->name);
			json_t *raw = json_string(val.data);
			json_decref(v);
			v = ops->prepare(f, raw);
			json_decref(raw);
		}
		json_object_set_new(rec, f->name, v);
	}
	pb_strbuf_deinit(&val);
	const struct pb_field *ef = pb_collection_field(c, "email");
	if (ef) {
		json_t *raw = json_string(email ? email : "");
		json_object_set_new(rec, "email", pb_field_impl(ef)->prepare(ef, raw));
		json_decref(raw);
	}
	return rec;
}
