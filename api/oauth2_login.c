/* oauth2_login — the hops of one auth-with-oauth2 request (see oauth2_login.h and
 * api/record_auth_with_oauth2.c): network and bcrypt on the blocking pool, lookups and the
 * create preparation on the worker, every database change in one writer job. */
#include "api/oauth2_login.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/record_auth_internal.h"
#include "api/worker.h"
#include "collections/auth_lookup.h"
#include "collections/auth_options.h"
#include "collections/field_type.h"
#include "collections/index_parse.h"
#include "collections/query.h"

#define MSG_FETCH_TOKEN "Failed to fetch OAuth2 token."
#define MSG_FETCH_USER "Failed to fetch OAuth2 user."
#define RANDOM_PASSWORD_LEN 30
#define AVATAR_TIMEOUT_MS 10000
#define AVATAR_MAX (32u << 20)

struct pb_oauth2_login *pb_oauth2_login_new(struct pb_req *req, const struct pb_collection *c)
{
	struct pb_oauth2_login *l = calloc(1, sizeof *l);
	if (!l)
		abort();
	l->req = req;
	l->c = c;
	pb_record_save_init(&l->save);
	return l;
}

void pb_oauth2_login_free(struct pb_oauth2_login *l)
{
	if (!l)
		return;
	pb_oauth2_provider_deinit(&l->provider);
	pb_oauth2_token_deinit(&l->token);
	pb_oauth2_user_deinit(&l->user);
	free(l->code);
	free(l->verifier);
	free(l->mfa_id);
	free(l->auth_id);
	json_decref(l->create_data);
	json_decref(l->payload);
	free(l->avatar);
	free(l->avatar_name);
	pb_record_save_deinit(&l->save);
	free(l->random_hash);
	free(l);
}

/* The request went away or failed: answer (or drop) and free. */
static bool gone(struct pb_oauth2_login *l)
{
	if (!l->req->gone)
		return false;
	l->req->async = false;
	pb_resp_empty(l->req, 204); /* dropped: releases the exchange */
	pb_oauth2_login_free(l);
	return true;
}

static void fail(struct pb_oauth2_login *l, int status, const char *message, const json_t *data)
{
	pb_resp_error(l->req, status, message, data);
	pb_oauth2_login_free(l);
}

/* ---- the writer job ------------------------------------------------------------------------ */

static int pre_run(struct pb_write_ctx *ctx, void *arg)
{
	struct pb_oauth2_login *l = arg;
	return pb_oauth2_submit_run(ctx, &l->submit);
}

static void pre_done(void *arg, int rc)
{
	struct pb_oauth2_login *l = arg;
	if (l->has_save)
		pb_record_save_cleanup(&l->save, l->submit.is_new ? rc : -1);
}

static json_t *pre_meta(void *arg)
{
	struct pb_oauth2_login *l = arg;
	return pb_oauth2_user_meta(&l->user, l->submit.is_new);
}

static void pre_free(void *arg) { pb_oauth2_login_free(arg); }

static void submit_job(struct pb_oauth2_login *l)
{
	struct pb_req *req = l->req;
	l->submit.create = l->has_save ? &l->save : NULL;
	l->submit.random_password_hash = l->random_hash;
	struct pb_auth_finish *f = pb_auth_finish_new();
	pb_auth_finish_prepare(req, f, l->c, l->submit.record_id); /* filled by pre_run */
	f->method = PB_AUTH_METHOD_OAUTH2;
	f->mfa_id = l->mfa_id;
	struct pb_auth_pre pre = {pre_run, l, pre_done, pre_meta, pre_free};
	pb_auth_respond_with(req, f, &pre);
}

/* ---- sign-up: payload, avatar, create preparation ---------------------------------------------- */

static void hashed_create(void *arg);

static void prepare_create(struct pb_oauth2_login *l)
{
	struct pb_req *req = l->req;
	l->has_save = true;
	l->save.schema = req->schema;
	l->save.c = l->c;
	l->save.req = pb_req_info(req);
	l->save.body = l->payload;
	l->save.storage_dir = req->app->storage_dir;
	l->save.skip_password_checks = !json_object_get(l->create_data, "password");
	if (l->avatar) {
		l->upload.key = l->avatar_field;
		l->upload.original_name = l->avatar_name;
		l->upload.data = l->avatar;
		l->upload.len = l->avatar_len;
		l->upload.mime = pb_mime_detect(l->avatar, l->avatar_len, &l->avatar_mime);
		l->save.uploads = &l->upload;
		l->save.nuploads = 1;
	}
	struct pb_error err = PB_ERROR_INIT;
	if (pb_record_create_prepare(&l->save, req->stmts, true, &err) != 0) {
		pb_resp_pb_error(req, &err);
		pb_oauth2_login_free(l);
		return;
	}
	if (pb_record_save_needs_hashing(&l->save))
		pb_pool_submit(&req->app->pool, hashed_create, l);
	else
		submit_job(l);
}

static void create_hashed_back(void *arg)
{
	struct pb_oauth2_login *l = arg;
	if (gone(l))
		return;
	if (l->fail_message)
		fail(l, 500, NULL, NULL);
	else
		submit_job(l);
}

static void hashed_create(void *arg)
{
	struct pb_oauth2_login *l = arg;
	struct pb_error err = PB_ERROR_INIT;
	if (pb_record_save_hash(&l->save, &err) != 0)
		l->fail_message = "hash";
	pb_error_clear(&err);
	pb_worker_post(l->req->worker, create_hashed_back, l);
}

static void downloaded(void *arg)
{
	struct pb_oauth2_login *l = arg;
	if (!gone(l))
		prepare_create(l);
}

static void download_run(void *arg)
{
	struct pb_oauth2_login *l = arg;
	struct pb_error err = PB_ERROR_INIT;
	l->avatar = pb_oauth2_download(l->user.avatar_url, AVATAR_TIMEOUT_MS, AVATAR_MAX, &l->avatar_len,
	                               &l->avatar_name, &err);
	if (!l->avatar)
		fprintf(stderr, "Failed to retrieve OAuth2 avatar: %s\n", err.message);
	pb_error_clear(&err);
	pb_worker_post(l->req->worker, downloaded, l);
}

/* oldCanAssignUsername: the mapped field exists, a text field accepts the value, and no record
 * holds it yet when the field has a single-column unique index (NOCASE as declared). */
static bool can_assign_username(struct pb_oauth2_login *l, const char *field, const char *username)
{
	const struct pb_field *f = pb_collection_field(l->c, field);
	if (!f)
		return false;
	if (f->type == PB_FIELD_TEXT && !pb_field_text_plain_valid(f, username))
		return false;
	bool nocase = false;
	if (!pb_collection_unique_index_nocase(l->c, f->name, &nocase))
		return true;
	struct pb_strbuf sql = PB_STRBUF_INIT;
	pb_strbuf_puts(&sql, "SELECT 1 FROM ");
	pb_sql_ident(&sql, l->c->name);
	pb_strbuf_puts(&sql, " WHERE ");
	pb_sql_ident(&sql, f->name);
	pb_strbuf_puts(&sql, nocase ? " = ?1 COLLATE NOCASE LIMIT 1" : " = ?1 LIMIT 1");
	bool taken = false;
	sqlite3_stmt *st = pb_stmt_cache_get(l->req->stmts, sql.data, sql.len);
	if (st) {
		sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
		taken = sqlite3_step(st) == SQLITE_ROW;
		pb_stmt_cache_release(l->req->stmts, st);
	}
	pb_strbuf_deinit(&sql);
	return !taken;
}

static const char *mapped(const json_t *mf, const char *key, const struct pb_collection *c)
{
	const char *name = json_string_value(json_object_get(mf, key));
	return name && *name && pb_collection_field(c, name) ? name : NULL;
}

static void sign_up(struct pb_oauth2_login *l)
{
	const struct pb_oauth2_user *u = &l->user;
	json_t *p = l->create_data ? json_deep_copy(l->create_data) : json_object();
	l->payload = p;
	const char *email = json_string_value(json_object_get(p, "email"));
	if (!email || !*email)
		json_object_set_new(p, "email", json_string(u->email));
	const json_t *mf = json_object_get(json_object_get(l->c->options, "oauth2"), "mappedFields");
	const char *f;
	if ((f = mapped(mf, "id", l->c)) && !json_object_get(p, f))
		json_object_set_new(p, f, json_string(u->id));
	if ((f = mapped(mf, "name", l->c)) && !json_object_get(p, f))
		json_object_set_new(p, f, json_string(u->name));
	if ((f = mapped(mf, "username", l->c)) && !json_object_get(p, f) && can_assign_username(l, f, u->username))
		json_object_set_new(p, f, json_string(u->username));
	if (!json_object_get(p, "password")) {
		char pass[RANDOM_PASSWORD_LEN + 1];
		pb_random_string(pass, RANDOM_PASSWORD_LEN, PB_ALPHABET_ALNUM);
		json_object_set_new(p, "password", json_string(pass));
		json_object_set_new(p, "passwordConfirm", json_string(pass));
	}
	if ((f = mapped(mf, "avatarURL", l->c)) && !json_object_get(p, f) && *u->avatar_url) {
		if (pb_collection_field(l->c, f)->type == PB_FIELD_FILE) {
			l->avatar_field = f;
			pb_pool_submit(&l->req->app->pool, download_run, l);
			return;
		}
		json_object_set_new(p, f, json_string(u->avatar_url));
	}
	prepare_create(l);
}

/* ---- after the fetch: resolve the record ------------------------------------------------------ */

static void random_hashed(void *arg, const char *hash)
{
	struct pb_oauth2_login *l = arg;
	if (gone(l))
		return;
	if (!hash) {
		fail(l, 500, NULL, NULL);
		return;
	}
	l->random_hash = strdup(hash);
	submit_job(l);
}

/* Apple gives the name only to the redirect (api/oauth2_redirect.c keeps it by code) */
static void apple_name(struct pb_oauth2_login *l)
{
	char key[1100];
	snprintf(key, sizeof key, "%s%s", PB_OAUTH2_APPLE_NAME_PREFIX, l->code);
	char *name = pb_store_take_value(&l->req->app->store, key, (int64_t)time(NULL));
	if (name) {
		free(l->user.name);
		l->user.name = name;
	}
}

static void fetched(void *arg)
{
	struct pb_oauth2_login *l = arg;
	if (gone(l))
		return;
	if (l->fail_message) {
		fail(l, 400, l->fail_message, NULL);
		return;
	}
	if (!strcmp(l->provider.name, "apple") && !*l->user.name)
		apple_name(l);
	struct pb_oauth2_submit *s = &l->submit;
	s->schema = l->req->schema;
	s->c = l->c;
	s->provider = l->provider.name;
	s->user = &l->user;
	s->auth_id = l->auth_id;
	s->password_cost = pb_auth_password_cost(l->c);
	char *found = NULL;
	bool unverified = false;
	struct pb_error err = PB_ERROR_INIT;
	if (pb_oauth2_submit_predict(l->req->stmts, s, &found, &unverified, &err) != 0) {
		/* a link to a deleted record is PocketBase's 404 (FindRecordById), others 500 */
		pb_resp_pb_error(l->req, &err);
		pb_oauth2_login_free(l);
		return;
	}
	if (!found) {
		if (pb_collection_is_superusers(l->c))
			submit_job(l); /* refused inside the job, as PocketBase's transaction does */
		else
			sign_up(l);
		return;
	}
	bool own = l->auth_id && !strcmp(l->auth_id, found);
	free(found);
	if (unverified && !own) {
		char pass[RANDOM_PASSWORD_LEN + 1];
		pb_random_string(pass, RANDOM_PASSWORD_LEN, PB_ALPHABET_ALNUM);
		pb_auth_hash_async(l->req, pass, s->password_cost, random_hashed, l);
		return;
	}
	submit_job(l);
}

static void fetch_run(void *arg)
{
	struct pb_oauth2_login *l = arg;
	struct pb_error err = PB_ERROR_INIT;
	if (pb_oauth2_fetch_token(&l->provider, l->code, l->verifier, &l->token, &err) != 0)
		l->fail_message = MSG_FETCH_TOKEN;
	else if (pb_oauth2_fetch_user(&l->provider, &l->token, &l->user, &err) != 0)
		l->fail_message = MSG_FETCH_USER;
	if (l->fail_message)
		fprintf(stderr, "auth-with-oauth2 (%s): %s\n", l->provider.name, err.message);
	pb_error_clear(&err);
	pb_worker_post(l->req->worker, fetched, l);
}

void pb_oauth2_login_start(struct pb_oauth2_login *l)
{
	pb_req_async(l->req);
	pb_pool_submit(&l->req->app->pool, fetch_run, l);
}
