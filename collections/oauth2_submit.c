/* oauth2_submit — find-or-create-and-link of an OAuth2 login on the writer (see
 * oauth2_submit.h). */
#include "collections/oauth2_submit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collections/auth_finish.h"
#include "collections/auth_lookup.h"
#include "collections/auth_options.h"
#include "collections/auth_record.h"
#include "collections/auth_refs.h"
#include "core/datetime.h"
#include "core/password.h"

#define RANDOM_PASSWORD_LEN 30

/* the recordRef of the (collection, provider, providerId) link, or NULL (caller frees) */
static char *linked_record(struct pb_stmt_cache *stmts, const struct pb_oauth2_submit *s, struct pb_error *err)
{
	static const char sql[] = "SELECT `recordRef` FROM `_externalAuths` WHERE `collectionRef` = ?1 AND "
	                          "`provider` = ?2 AND `providerId` = ?3 LIMIT 1";
	sqlite3_stmt *st = pb_stmt_cache_get(stmts, sql, sizeof sql - 1);
	if (!st) {
		pb_error_set(err, 500, "Failed OAuth2 relation check.");
		return NULL;
	}
	sqlite3_bind_text(st, 1, s->c->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, s->provider, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, s->user->id, -1, SQLITE_STATIC);
	char *id = NULL;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		id = strdup(sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "");
	else if (rc != SQLITE_DONE)
		pb_error_set(err, 500, "Failed OAuth2 relation check.");
	pb_stmt_cache_release(stmts, st);
	return id;
}

/* step 1: the stored record (new reference) and whether it came from a link; NULL when none
 * (err->status 0) or on errors */
static json_t *locate(struct pb_stmt_cache *stmts, const struct pb_oauth2_submit *s, bool *linked,
                      struct pb_error *err)
{
	*linked = false;
	char *id = linked_record(stmts, s, err);
	if (err->status)
		return NULL;
	if (id) {
		json_t *r = pb_auth_find_stored(stmts, s->c, id);
		free(id);
		if (!r)
			pb_error_set(err, 404, "%s", pb_error_default_message(404));
		*linked = r != NULL;
		return r;
	}
	if (s->auth_id)
		return pb_auth_find_stored(stmts, s->c, s->auth_id);
	if (s->user->email && *s->user->email) {
		json_t *r = pb_auth_find_by_email(stmts, s->c, s->user->email, err);
		if (!r && err->status) {
			pb_error_clear(err);
			pb_error_set(err, 500, "Failed OAuth2 auth record check.");
		}
		return r;
	}
	return NULL;
}

int pb_oauth2_submit_predict(struct pb_stmt_cache *stmts, const struct pb_oauth2_submit *s, char **found_id,
                             bool *unverified, struct pb_error *err)
{
	bool linked;
	*found_id = NULL;
	*unverified = false;
	json_t *r = locate(stmts, s, &linked, err);
	if (!r)
		return err->status ? -1 : 0;
	*found_id = strdup(pb_auth_str(r, "id"));
	*unverified = !json_is_true(json_object_get(r, "verified"));
	json_decref(r);
	return 0;
}

static int failed(struct pb_write_ctx *ctx, const char *why)
{
	fprintf(stderr, "auth-with-oauth2: %s\n", why);
	pb_error_clear(ctx->err);
	return pb_error_set(ctx->err, 400, PB_MSG_FAILED_AUTH);
}

/* step 2 */
static int create(struct pb_write_ctx *ctx, struct pb_oauth2_submit *s)
{
	if (pb_collection_is_superusers(s->c))
		return failed(ctx, "superusers are not allowed to sign-up with OAuth2");
	if (!s->create)
		return failed(ctx, "failed to create OAuth2 auth record");
	if (pb_record_create_commit(ctx, s->create) != 0)
		return -1;
	const json_t *rec = s->create->record;
	snprintf(s->record_id, sizeof s->record_id, "%s", pb_auth_str(rec, "id"));
	s->is_new = true;
	if (!strcmp(pb_auth_str(rec, "email"), s->user->email) && !json_is_true(json_object_get(rec, "verified"))) {
		struct pb_auth_change ch = {.verified = 1};
		if (pb_auth_record_save_changes(ctx, s->schema, s->c, s->record_id, &ch, PB_MSG_FAILED_AUTH, NULL) != 0)
			return -1;
	}
	return 0;
}

/* step 3 */
static int update_existing(struct pb_write_ctx *ctx, struct pb_oauth2_submit *s, const json_t *stored, bool *linked)
{
	const char *id = pb_auth_str(stored, "id");
	bool verified = json_is_true(json_object_get(stored, "verified"));
	bool own = s->auth_id && !strcmp(s->auth_id, id);
	struct pb_auth_change ch = {.verified = -1};
	char hash[PB_BCRYPT_HASH_LEN + 8];
	if (!own && !verified) {
		if (s->random_password_hash) {
			ch.password_hash = s->random_password_hash;
		} else {
			/* the worker predicted otherwise (a concurrent change): hash here, rarely */
			char plain[RANDOM_PASSWORD_LEN + 1];
			if (pb_random_string(plain, RANDOM_PASSWORD_LEN, PB_ALPHABET_ALNUM) != 0 ||
			    pb_password_hash(plain, s->password_cost, hash, sizeof hash, ctx->err) != 0)
				return -1;
			ch.password_hash = hash;
		}
	}
	if (!verified) {
		if (pb_auth_ref_delete_by_record(ctx, PB_EXTERNAL_AUTHS, s->c->id, id, NULL) != 0)
			return -1;
		*linked = false;
	}
	const char *email = pb_auth_str(stored, "email");
	if (!*email && *s->user->email) {
		ch.email = s->user->email;
		email = s->user->email;
	}
	if (!verified && (!*email || !strcmp(email, s->user->email)))
		ch.verified = 1;
	snprintf(s->record_id, sizeof s->record_id, "%s", id);
	if (ch.password_hash || ch.email || ch.verified >= 0)
		return pb_auth_record_save_changes(ctx, s->schema, s->c, id, &ch, PB_MSG_FAILED_AUTH, NULL);
	return 0;
}

int pb_oauth2_submit_run(struct pb_write_ctx *ctx, struct pb_oauth2_submit *s)
{
	bool linked = false;
	s->is_new = false;
	s->record_id[0] = '\0';
	json_t *stored = locate(ctx->stmts, s, &linked, ctx->err);
	if (!stored && ctx->err->status)
		return -1;
	int rc = stored ? update_existing(ctx, s, stored, &linked) : create(ctx, s);
	json_decref(stored);
	if (rc != 0)
		return -1;
	if (!linked) {
		json_t *v = json_pack("{ssssssss}", "collectionRef", s->c->id, "recordRef", s->record_id, "provider",
		                      s->provider, "providerId", s->user->id);
		char link_id[PB_RECORD_ID_LEN + 1];
		rc = pb_auth_ref_insert(ctx, s->schema, PB_EXTERNAL_AUTHS, v, pb_now_ms(), link_id);
		json_decref(v);
		if (rc != 0)
			return failed(ctx, "failed to save linked rel");
	}
	return 0;
}
