/* record_auth_form — the small pieces every record auth endpoint uses (record_auth_internal.h):
 * findAuthCollection, BindBody into a form struct (Go's json.Decoder into a struct: case-
 * insensitive keys, strict types; router.UnmarshalRequestData for forms), ozzo string rules
 * with their wire items, the superuser IP whitelist (isIPInList) and bcrypt on the blocking
 * pool with a dummy hash for missing identities (dummyPasswordCheck). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/body.h"
#include "api/messages.h"
#include "api/record_auth_internal.h"
#include "api/worker.h"
#include "collections/field_cast.h"
#include "collections/field_type.h"
#include "collections/query.h"
#include "core/is.h"
#include "core/json_write.h"
#include "core/netip.h"
#include "core/password.h"
#include "core/settings.h"
#include "core/validation.h"

const struct pb_collection *pb_auth_collection_ctx(struct pb_req *req)
{
	const struct pb_collection *c = pb_schema_find(req->schema, pb_req_param(req, 0));
	if (!c || c->type != PB_COLLECTION_AUTH) {
		pb_resp_error(req, 404, PB_MSG_MISSING_AUTH_COLLECTION, NULL);
		return NULL;
	}
	return c;
}

/* ---- superuser IPs ------------------------------------------------------------------------- */

static bool prefix_contains(const struct pb_netip_addr *p, int bits, const struct pb_netip_addr *a)
{
	if (p->is4 != a->is4 || a->has_zone)
		return false;
	int total = p->is4 ? 32 : 128;
	if (bits < 0 || bits > total)
		return false;
	for (int i = 0; i < bits; i++) {
		int byte = i / 8, bit = 7 - i % 8;
		if (((p->b[byte] >> bit) & 1) != ((a->b[byte] >> bit) & 1))
			return false;
	}
	return true;
}

static bool ip_in_list(const struct pb_settings_strlist *list, const char *ip)
{
	struct pb_netip_addr addr;
	if (!list->n || !ip || !*ip || !pb_netip_parse_addr(ip, strlen(ip), &addr))
		return false;
	for (size_t i = 0; i < list->n; i++) {
		const char *item = list->items[i];
		struct pb_netip_addr p;
		int bits = 0;
		if (pb_netip_parse_prefix(item, strlen(item), &p, &bits)) {
			if (prefix_contains(&p, bits, &addr))
				return true;
			continue;
		}
		if (pb_netip_parse_addr(item, strlen(item), &p) && p.is4 == addr.is4 && p.has_zone == addr.has_zone &&
		    memcmp(p.b, addr.b, p.is4 ? 4 : 16) == 0)
			return true;
	}
	return false;
}

bool pb_auth_superuser_ip_denied(bool superuser, const char *ip)
{
	if (!superuser)
		return false;
	struct pb_settings *s = pb_settings_current();
	bool denied = s && s->superuser_ips.n > 0 && !ip_in_list(&s->superuser_ips, ip);
	pb_settings_unref(s);
	return denied;
}

/* ---- BindBody ------------------------------------------------------------------------------ */

static bool is_json_body(struct pb_req *req)
{
	const char *ct = pb_req_header(req, "Content-Type");
	return ct && strncmp(ct, "application/json", 16) == 0;
}

static void set_str(char **dst, const char *s)
{
	free(*dst);
	*dst = strdup(s);
	if (!*dst)
		abort();
}

/* A JSON value into a field (json.Decoder rules). Returns -1 on a type mismatch. */
static int bind_json_value(const struct pb_auth_form_field *f, const json_t *v)
{
	if (json_is_null(v))
		return 0;
	if (f->kind == PB_AUTH_FORM_STRING) {
		if (!json_is_string(v))
			return -1;
		set_str(f->str, json_string_value(v));
		return 0;
	}
	if (!json_is_number(v))
		return -1;
	double d = json_number_value(v);
	if (d != (double)(long long)d || d > 9.2e18 || d < -9.2e18)
		return -1;
	*f->num = (long long)d;
	return 0;
}

/* A form value (already type-inferred by the body decoder) into a field. */
static int bind_form_value(const struct pb_auth_form_field *f, const json_t *v)
{
	if (json_is_array(v))
		v = json_array_get(v, 0);
	char buf[64];
	const char *text = NULL;
	if (json_is_string(v))
		text = json_string_value(v);
	else if (json_is_true(v))
		text = "true";
	else if (json_is_false(v))
		text = "false";
	else if (json_is_number(v)) {
		pb_json_format_float_fixed(json_number_value(v), buf, sizeof buf);
		text = buf;
	}
	if (!text)
		return f->kind == PB_AUTH_FORM_STRING ? 0 : -1;
	if (f->kind == PB_AUTH_FORM_STRING) {
		set_str(f->str, text);
		return 0;
	}
	if (!*text)
		return 0;
	char *end;
	long long n = strtoll(text, &end, 10);
	if (*end)
		return -1;
	*f->num = n;
	return 0;
}

int pb_auth_form_bind(struct pb_req *req, const struct pb_auth_form_field *fields, size_t n, struct pb_error *err)
{
	if (req->body_len == 0)
		return 0;
	struct pb_body body = {0};
	if (pb_body_decode_method(req->method, pb_req_header(req, "Content-Type"), req->body, req->body_len,
	                          req->raw_query, &body, err) != 0) {
		/* err->message stays "Unsupported Content-Type." (an ApiError upstream, kept by
		 * firstApiError) or empty for malformed bodies */
		if (!err->status)
			err->status = 400;
		return -1;
	}
	bool json = is_json_body(req);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct pb_auth_form_field *f = &fields[i];
		const char *key;
		json_t *v;
		if (json) {
			/* encoding/json: an exact key match wins over case-insensitive ones; otherwise the
			 * last case-insensitive match */
			json_t *exact = json_object_get(body.data, f->name), *pick = NULL;
			json_object_foreach(body.data, key, v)
			{
				if (!strcasecmp(key, f->name))
					pick = v;
			}
			if (exact)
				pick = exact;
			if (pick && bind_json_value(f, pick) != 0)
				rc = -1;
		} else if ((v = json_object_get(body.data, f->name))) {
			if (bind_form_value(f, v) != 0)
				rc = -1;
		}
	}
	/* the decoded body is what @request.body shows for the rules of this request */
	json_decref(req->body_json);
	req->body_json = json_incref(body.data);
	pb_body_free(&body);
	if (rc != 0)
		pb_error_set(err, 400, "%s", "");
	return rc;
}

char *pb_auth_read_mfa_id(struct pb_req *req)
{
	const char *q = pb_req_query(req, "mfaId");
	if (q && *q)
		return strdup(q);
	char *id = NULL;
	struct pb_auth_form_field f[] = {{"mfaId", PB_AUTH_FORM_STRING, &id, NULL}};
	struct pb_error err = PB_ERROR_INIT;
	if (pb_auth_form_bind(req, f, 1, &err) != 0) {
		pb_error_clear(&err);
		free(id);
		return strdup("");
	}
	return id ? id : strdup("");
}

void pb_auth_bind_failed(struct pb_req *req, struct pb_error *err, bool first_api_error)
{
	if (first_api_error && err->message[0])
		pb_resp_error(req, 400, err->message, NULL);
	else
		pb_resp_error(req, 400, PB_MSG_LOAD_FAILED, NULL);
	pb_error_clear(err);
}

void pb_auth_form_free(const struct pb_auth_form_field *fields, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (fields[i].kind == PB_AUTH_FORM_STRING && fields[i].str) {
			free(*fields[i].str);
			*fields[i].str = NULL;
		}
}

/* ---- ozzo rules -------------------------------------------------------------------------------- */

void pb_auth_rule_error(json_t *data, const char *field, const char *code, const char *message)
{
	if (json_object_get(data, field))
		return;
	json_object_set_new(data, field, pb_validation_item(code, message, NULL));
}

bool pb_auth_rule_required(json_t *data, const char *field, const char *v)
{
	if (v && *v)
		return false;
	pb_auth_rule_error(data, field, PB_VCODE_REQUIRED, PB_VMSG_REQUIRED);
	return true;
}

bool pb_auth_rule_length(json_t *data, const char *field, const char *v, long long min, long long max)
{
	if (!v || !*v)
		return false;
	long long n = (long long)strlen(v); /* ozzo's Length counts bytes */
	if (n >= min && n <= max)
		return false;
	if (!json_object_get(data, field))
		json_object_set_new(data, field, pb_validation_length(min, max));
	return true;
}

bool pb_auth_rule_email(json_t *data, const char *field, const char *v)
{
	if (!v || !*v || pb_is_email(v, strlen(v)))
		return false;
	pb_auth_rule_error(data, field, PB_VCODE_IS_EMAIL, PB_VMSG_IS_EMAIL);
	return true;
}

bool pb_auth_validation_failed(struct pb_req *req, const json_t *data)
{
	if (!json_object_size(data))
		return false;
	json_t *sorted = pb_validation_sorted(data);
	pb_resp_error(req, 400, PB_MSG_VALIDATE_FAILED, sorted);
	json_decref(sorted);
	return true;
}

/* ---- bcrypt on the pool ----------------------------------------------------------------------- */

/* A well-formed bcrypt hash of a throwaway value; only its cost digits are adjusted. */
#define DUMMY_HASH "$2a$10$SmGODkXE/lhMVE9FPMO9duPB8ifHSyWbslgHZEeRy3oXoRjuWTHeC"

int pb_auth_password_cost(const struct pb_collection *c)
{
	const struct pb_field *f = pb_collection_field(c, "password");
	int cost = f ? (int)pb_field_opt_num(f, "cost", 0) : 0;
	return cost > 0 ? cost : PB_BCRYPT_DEFAULT_COST;
}

struct verify_job {
	struct pb_worker *worker;
	char *plain, *hash;
	bool dummy, ok;
	void (*done)(void *arg, bool ok);
	void *arg;
};

static void verify_back(void *p)
{
	struct verify_job *j = p;
	j->done(j->arg, j->ok && !j->dummy);
	free(j->plain);
	free(j->hash);
	free(j);
}

static void verify_run(void *p)
{
	struct verify_job *j = p;
	j->ok = pb_password_verify(j->plain, j->hash);
	pb_worker_post(j->worker, verify_back, j);
}

static bool well_formed_hash(const char *h)
{
	return h && strlen(h) == PB_BCRYPT_HASH_LEN && h[0] == '$' && h[1] == '2' && h[3] == '$' && h[6] == '$';
}

/* A job comparing `plain` (copied) against DUMMY_HASH at `cost` (the default when out of
 * bcrypt's range), counted as a miss whatever the comparison says; the caller may replace
 * the hash (freeing this one) and clear `dummy`. */
static struct verify_job *verify_job_new(struct pb_req *req, const char *plain, int cost,
                                         void (*done)(void *arg, bool ok), void *arg)
{
	struct verify_job *j = calloc(1, sizeof *j);
	if (!j || !(j->plain = strdup(plain ? plain : "")) || !(j->hash = strdup(DUMMY_HASH)))
		abort();
	j->worker = req->worker;
	j->done = done;
	j->arg = arg;
	j->dummy = true;
	if (cost < 4 || cost > 31)
		cost = PB_BCRYPT_DEFAULT_COST;
	j->hash[4] = (char)('0' + cost / 10);
	j->hash[5] = (char)('0' + cost % 10);
	return j;
}

void pb_auth_verify_async(struct pb_req *req, const char *plain, const char *hash, int dummy_cost,
                          void (*done)(void *arg, bool ok), void *arg)
{
	struct verify_job *j = verify_job_new(req, plain, dummy_cost, done, arg);
	if (well_formed_hash(hash)) {
		free(j->hash);
		if (!(j->hash = strdup(hash)))
			abort();
		j->dummy = false;
	}
	pb_pool_submit(&req->app->pool, verify_run, j);
}

void pb_auth_verify_dummy_async(struct pb_req *req, const char *plain, const struct pb_collection *c,
                                void (*done)(void *arg, bool ok), void *arg)
{
	/* dummyPasswordCheck: the hash of any existing record, so the cost matches the real ones */
	char *hash = NULL;
	const struct pb_field *pf = pb_collection_field(c, "password");
	if (pf) {
		struct pb_strbuf sql = PB_STRBUF_INIT;
		pb_strbuf_puts(&sql, "SELECT ");
		pb_sql_ident(&sql, pf->name);
		pb_strbuf_puts(&sql, " FROM ");
		pb_sql_ident(&sql, c->name);
		pb_strbuf_puts(&sql, " LIMIT 1");
		sqlite3_stmt *st = pb_stmt_cache_get(req->stmts, sql.data, sql.len);
		if (st) {
			if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
				hash = strdup((const char *)sqlite3_column_text(st, 0));
			pb_stmt_cache_release(req->stmts, st);
		}
		pb_strbuf_deinit(&sql);
	}
	/* whatever the comparison says, this is a miss */
	struct verify_job *j = verify_job_new(req, plain, pb_auth_password_cost(c), done, arg);
	if (well_formed_hash(hash)) {
		free(j->hash);
		j->hash = hash;
		hash = NULL;
	}
	free(hash);
	pb_pool_submit(&req->app->pool, verify_run, j);
}

struct hash_job {
	struct pb_worker *worker;
	char *plain;
	int cost;
	char hash[PB_BCRYPT_HASH_LEN + 1];
	bool ok;
	void (*done)(void *arg, const char *hash);
	void *arg;
};

static void hash_back(void *p)
{
	struct hash_job *j = p;
	j->done(j->arg, j->ok ? j->hash : NULL);
	free(j->plain);
	free(j);
}

static void hash_run(void *p)
{
	struct hash_job *j = p;
	struct pb_error err = PB_ERROR_INIT;
	j->ok = pb_password_hash(j->plain, j->cost, j->hash, sizeof j->hash, &err) == 0;
	if (!j->ok)
		fprintf(stderr, "bcrypt: %s\n", err.message);
	pb_error_clear(&err);
	pb_worker_post(j->worker, hash_back, j);
}

void pb_auth_hash_async(struct pb_req *req, const char *plain, int cost, void (*done)(void *arg, const char *hash),
                        void *arg)
{
	struct hash_job *j = calloc(1, sizeof *j);
	if (!j || !(j->plain = strdup(plain ? plain : "")))
		abort();
	j->worker = req->worker;
	j->cost = cost;
	j->done = done;
	j->arg = arg;
	pb_pool_submit(&req->app->pool, hash_run, j);
}
