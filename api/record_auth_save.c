/* record_auth_save — the "save the auth record, then 204" tail of the confirm-* endpoints
 * (password reset, verification, email change): one writer job running
 * pb_auth_record_save_changes (collections/auth_record.h), the answer after the commit, and
 * the resend marker removal PocketBase does once the save succeeded; optionally preceded by
 * hashing the new password on the blocking pool. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/record_auth_internal.h"
#include "api/worker.h"
#include "collections/auth_record.h"
#include "core/datetime.h"
#include "core/password.h"

struct save_job {
	struct pb_req *req;
	const struct pb_collection *c;
	char *id, *email, *plain, *hash, *message, *remove_key;
	struct pb_auth_change ch;
	int rc;
	struct pb_error err;
};

static char *dup_or_null(const char *s)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		abort();
	return d;
}

static void save_free(struct save_job *j)
{
	free(j->id);
	free(j->email);
	free(j->plain);
	free(j->hash);
	free(j->message);
	free(j->remove_key);
	pb_error_clear(&j->err);
	free(j);
}

static void save_answer(void *arg)
{
	struct save_job *j = arg;
	struct pb_req *req = j->req;
	if (j->rc == 0) {
		if (j->remove_key)
			pb_store_remove(&req->app->store, j->remove_key);
		pb_resp_empty(req, 204);
	} else if (j->err.status >= 500 || j->err.status == 0) {
		fprintf(stderr, "auth save: %s\n", j->err.message);
		pb_resp_error(req, 500, NULL, NULL);
	} else {
		pb_resp_error(req, j->err.status, j->err.message, j->err.data);
	}
	save_free(j);
}

static int save_run(struct pb_write_ctx *w, void *arg)
{
	struct save_job *j = arg;
	return pb_auth_record_save_changes(w, j->req->schema, j->c, j->id, &j->ch, j->message, NULL);
}

static void save_done(void *arg, int rc, struct pb_error *err)
{
	struct save_job *j = arg;
	j->rc = rc;
	if (rc != 0) {
		j->err = *err;
		err->data = NULL;
	}
	pb_worker_post(j->req->worker, save_answer, j);
}

/* A job for `ch` (its strings copied); the hash is set by the caller when it has one. */
static struct save_job *save_job_new(struct pb_req *req, const struct pb_collection *c, const char *id,
                                     const struct pb_auth_change *ch, const char *message, const char *remove_key)
{
	struct save_job *j = calloc(1, sizeof *j);
	if (!j)
		abort();
	j->req = req;
	j->c = c;
	j->id = dup_or_null(id);
	j->email = dup_or_null(ch->email);
	j->plain = dup_or_null(ch->password_plain);
	j->hash = dup_or_null(ch->password_hash);
	j->message = dup_or_null(message);
	j->remove_key = dup_or_null(remove_key);
	j->ch.email = j->email;
	j->ch.verified = ch->verified;
	j->ch.password_plain = j->plain;
	j->ch.password_hash = j->hash;
	return j;
}

static void save_submit(struct save_job *j)
{
	pb_req_async(j->req);
	pb_writer_submit(&j->req->app->writer, save_run, save_done, j);
}

void pb_auth_save_and_answer(struct pb_req *req, const struct pb_collection *c, const char *id,
                             const struct pb_auth_change *ch, const char *message, const char *remove_key)
{
	save_submit(save_job_new(req, c, id, ch, message, remove_key));
}

static void password_hashed(void *arg, const char *hash)
{
	struct save_job *j = arg;
	if (!hash && j->plain && strlen(j->plain) > PB_BCRYPT_MAX_BYTES)
		hash = ""; /* not hashable: the password field validation reports it on save */
	if (!hash) {
		pb_resp_error(j->req, 500, NULL, NULL);
		save_free(j);
		return;
	}
	free(j->hash);
	j->hash = dup_or_null(hash);
	j->ch.password_hash = j->hash;
	save_submit(j);
}

void pb_auth_hash_save_and_answer(struct pb_req *req, const struct pb_collection *c, const char *id,
                                  const char *password, const struct pb_auth_change *ch, const char *message,
                                  const char *remove_key)
{
	struct save_job *j = save_job_new(req, c, id, ch, message, remove_key);
	pb_req_async(req);
	pb_auth_hash_async(req, password, pb_auth_password_cost(c), password_hashed, j);
}
