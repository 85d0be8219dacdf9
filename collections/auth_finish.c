/* auth_finish — recordAuthResponse's checks and bookkeeping as a writer job (see auth_finish.h). */
#include "collections/auth_finish.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collections/auth_lookup.h"
#include "collections/auth_options.h"
#include "collections/auth_record.h"
#include "collections/auth_refs.h"
#include "collections/auth_token.h"
#include "collections/read_ctx.h"
#include "collections/record_rule.h"
#include "core/datetime.h"
#include "core/strbuf.h"

void pb_auth_finish_init(struct pb_auth_finish *f) { memset(f, 0, sizeof *f); }

void pb_auth_finish_deinit(struct pb_auth_finish *f)
{
	pb_error_clear(&f->err);
	free(f->token_out);
	json_decref(f->record);
	free(f->alert_info);
	f->token_out = NULL;
	f->record = NULL;
	f->alert_info = NULL;
	for (int i = 0; i < PB_AUTH_FINISH_OWNED; i++) {
		free(f->owned[i]);
		f->owned[i] = NULL;
	}
}

const char *pb_auth_finish_keep(struct pb_auth_finish *f, const char *s)
{
	for (int i = 0; i < PB_AUTH_FINISH_OWNED; i++)
		if (!f->owned[i]) {
			if (!(f->owned[i] = strdup(s ? s : "")))
				abort();
			return f->owned[i];
		}
	abort();
}

void pb_auth_origin_fingerprint(const char *ip, const char *user_agent, char out[33])
{
	struct pb_strbuf s = PB_STRBUF_INIT;
	pb_strbuf_puts(&s, ip ? ip : "");
	size_t ua = user_agent ? strlen(user_agent) : 0;
	if (ua > 200) {
		pb_strbuf_append(&s, user_agent, 200);
		pb_strbuf_puts(&s, "...");
	} else if (ua) {
		pb_strbuf_puts(&s, user_agent);
	}
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	EVP_Digest(s.data ? s.data : "", s.len, md, &n, EVP_md5(), NULL);
	for (unsigned int i = 0; i < n && i < 16; i++)
		sprintf(out + 2 * i, "%02x", md[i]);
	out[32] = '\0';
	pb_strbuf_deinit(&s);
}

/* A nested savepoint, so a step whose failure PocketBase only logs rolls back alone. */
static bool sub_begin(struct pb_write_ctx *w) { return sqlite3_exec(w->db, "SAVEPOINT pb_auth_step", NULL, NULL, NULL) == SQLITE_OK; }

static void sub_end(struct pb_write_ctx *w, bool ok)
{
	if (!ok)
		sqlite3_exec(w->db, "ROLLBACK TO pb_auth_step", NULL, NULL, NULL);
	sqlite3_exec(w->db, "RELEASE pb_auth_step", NULL, NULL, NULL);
}

static int fail(struct pb_auth_finish *f, int status, const char *message)
{
	f->status = status;
	pb_error_set(&f->err, status, "%s", message);
	return 0;
}

/* auth-with-otp: the used OTP goes, and a matching sentTo upgrades the record to verified. */
static void otp_pre_steps(struct pb_write_ctx *w, struct pb_auth_finish *f, const json_t *stored,
                          const struct pb_auth_options *o)
{
	struct pb_error *outer = w->err, tmp = PB_ERROR_INIT;
	w->err = &tmp;
	if (sub_begin(w)) {
		bool ok = pb_auth_ref_delete(w, PB_OTPS, f->otp_id) == 0;
		if (!ok)
			fprintf(stderr, "Failed to delete used OTP %s: %s\n", f->otp_id, tmp.message);
		sub_end(w, ok);
	}
	pb_error_clear(&tmp);
	const char *sent_to = f->otp_sent_to ? f->otp_sent_to : "";
	if (!json_is_true(json_object_get(stored, "verified")) && *sent_to &&
	    !strcmp(pb_auth_str(stored, "email"), sent_to)) {
		struct pb_auth_change ch = {.verified = 1};
		if (!o->mfa_enabled)
			ch.password_hash = f->random_password_hash;
		if (sub_begin(w)) {
			bool ok = pb_auth_record_save_changes(w, f->schema, f->c, f->record_id, &ch, PB_MSG_FAILED_AUTH, NULL) == 0;
			if (!ok)
				fprintf(stderr, "Failed to update record verified state after successful OTP validation: %s\n",
				        tmp.message);
			sub_end(w, ok);
		}
		pb_error_clear(&tmp);
	}
	w->err = outer;
}

/* checkMFA. Returns 1 when the login may continue, 0 when the outcome is set. */
static int check_mfa(struct pb_write_ctx *w, struct pb_auth_finish *f, const struct pb_auth_options *o,
                     const struct pb_read_ctx *rctx)
{
	if (!o->mfa_enabled || !f->method || !*f->method)
		return 1;
	if (*o->mfa_rule) {
		struct pb_error rerr = PB_ERROR_INIT;
		int ok = pb_record_rule_check(rctx, f->c, f->record_id, o->mfa_rule, &rerr);
		pb_error_clear(&rerr);
		if (ok < 0)
			return fail(f, 400, PB_MSG_FAILED_AUTH);
		if (ok == 0)
			return 1; /* no MFA for this record */
	}
	const char *mfa_id = f->mfa_id ? f->mfa_id : "";
	if (!*mfa_id) {
		json_t *v = json_pack("{ssssss}", "collectionRef", f->c->id, "recordRef", f->record_id, "method", f->method);
		int rc = pb_auth_ref_insert(w, f->schema, PB_MFAS, v, pb_now_ms(), f->mfa_id_out);
		json_decref(v);
		if (rc != 0)
			return -1;
		f->status = 401;
		return 0;
	}
	json_t *mfa = pb_auth_ref_find(w->stmts, f->schema, PB_MFAS, mfa_id);
	int out = 1;
	if (!mfa || pb_auth_ref_expired(mfa, o->mfa_duration, pb_now_ms())) {
		if (mfa && pb_auth_ref_delete(w, PB_MFAS, pb_auth_str(mfa, "id")) != 0)
			pb_error_clear(w->err); /* only logged upstream */
		out = fail(f, 400, PB_MSG_MFA_INVALID_OR_EXPIRED);
	} else if (strcmp(pb_auth_str(mfa, "recordRef"), f->record_id) != 0 ||
	           strcmp(pb_auth_str(mfa, "collectionRef"), f->c->id) != 0) {
		out = fail(f, 400, PB_MSG_MFA_INVALID);
	} else if (!strcmp(pb_auth_str(mfa, "method"), f->method)) {
		out = fail(f, 400, PB_MSG_MFA_DIFFERENT_METHOD);
	} else if (pb_auth_ref_delete(w, PB_MFAS, mfa_id) != 0) {
		pb_error_clear(w->err);
	}
	json_decref(mfa);
	return out;
}

static char *issue_token(const struct pb_auth_finish *f, const json_t *stored)
{
	if (f->token)
		return strdup(f->token);
	json_t *extra = f->static_token ? json_pack("{sb}", "refreshable", 0) : NULL;
	char *t = pb_auth_token_issue(f->c, f->record_id, pb_auth_str(stored, "tokenKey"), PB_TOKEN_AUTH, extra,
	                              pb_now_ms() / 1000, f->static_token ? f->static_duration : 0);
	json_decref(extra);
	return t;
}

/* authAlert's fingerprint bookkeeping; decides whether a mail is due. */
static int auth_origins(struct pb_write_ctx *w, struct pb_auth_finish *f, const json_t *stored)
{
	char fp[33];
	pb_auth_origin_fingerprint(f->real_ip, f->user_agent, fp);
	json_t *origins = pb_auth_ref_list(w->stmts, f->schema, PB_AUTH_ORIGINS, f->c->id, f->record_id);
	size_t n = json_array_size(origins);
	const json_t *current = NULL;
	for (size_t i = 0; i < n && !current; i++)
		if (!strcmp(pb_auth_str(json_array_get(origins, i), "fingerprint"), fp))
			current = json_array_get(origins, i);
	int64_t now = pb_now_ms();
	if (n > 0 && !current && *pb_auth_str(stored, "email")) {
		char date[PB_DATETIME_LEN + 1];
		pb_datetime_format(now, date);
		struct pb_strbuf info = PB_STRBUF_INIT;
		pb_strbuf_printf(&info, "%s - %s %s", date, f->real_ip ? f->real_ip : "", f->user_agent ? f->user_agent : "");
		f->alert_due = true;
		f->alert_info = strdup(pb_strbuf_cstr(&info));
		pb_strbuf_deinit(&info);
	}
	int rc = 0;
	if (!current && n >= PB_MAX_AUTH_ORIGINS) {
		for (size_t i = n; rc == 0 && i-- > PB_MAX_AUTH_ORIGINS - 1;)
			rc = pb_auth_ref_delete(w, PB_AUTH_ORIGINS, pb_auth_str(json_array_get(origins, i), "id"));
	}
	if (rc == 0) {
		if (current) {
			rc = pb_auth_ref_touch(w, f->schema, PB_AUTH_ORIGINS, pb_auth_str(current, "id"), NULL, NULL, now);
		} else {
			char id[PB_RECORD_ID_LEN + 1];
			json_t *v = json_pack("{ssssss}", "collectionRef", f->c->id, "recordRef", f->record_id, "fingerprint", fp);
			rc = pb_auth_ref_insert(w, f->schema, PB_AUTH_ORIGINS, v, now, id);
			json_decref(v);
		}
	}
	json_decref(origins);
	return rc;
}

int pb_auth_finish_run(struct pb_write_ctx *w, void *arg)
{
	struct pb_auth_finish *f = arg;
	struct pb_auth_options o;
	pb_auth_options_get(f->c, &o);
	json_t *stored = pb_auth_find_stored(w->stmts, f->c, f->record_id);
	if (!stored)
		return fail(f, 404, "");
	int rc = 0;
	if (f->otp_id) {
		otp_pre_steps(w, f, stored, &o);
		json_decref(stored);
		stored = pb_auth_find_stored(w->stmts, f->c, f->record_id);
		if (!stored)
			return fail(f, 404, "");
	}
	if (f->ip_denied) {
		fail(f, 403, "");
		goto done;
	}
	struct pb_read_ctx rctx = {f->schema, w->stmts, f->req, NULL};
	struct pb_error rerr = PB_ERROR_INIT;
	int ok = pb_record_rule_check(&rctx, f->c, f->record_id, f->c->auth_rule, &rerr);
	pb_error_clear(&rerr); /* a rule that does not build is a plain error: 403 as well */
	if (ok != 1) {
		fail(f, 403, PB_MSG_AUTH_RULE_FAILED);
		goto done;
	}
	int m = check_mfa(w, f, &o, &rctx);
	if (m < 0) {
		rc = -1;
		goto done;
	}
	if (m == 0)
		goto done;
	f->token_out = issue_token(f, stored);
	if (!f->token_out) {
		fail(f, 500, PB_MSG_FAILED_AUTH_TOKEN);
		goto done;
	}
	if (f->method && *f->method && o.auth_alert_enabled) {
		struct pb_error *outer = w->err, tmp = PB_ERROR_INIT;
		w->err = &tmp;
		if (sub_begin(w)) {
			bool okk = auth_origins(w, f, stored) == 0;
			if (!okk)
				fprintf(stderr, "[recordAuthResponse] Failed to send login alert: %s\n", tmp.message);
			sub_end(w, okk);
		}
		pb_error_clear(&tmp);
		w->err = outer;
	}
	f->record = pb_auth_record_public(f->c, stored);
	f->status = 200;
done:
	json_decref(stored);
	return rc;
}
