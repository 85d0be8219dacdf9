/* forward_auth — the trusted-proxy header authentication (see forward_auth.h). The lookup
 * runs on the worker's read connection; a creation is a writer job that first looks the email
 * up again on the writer connection (two first requests of one user create one record), then
 * runs the records create path as a superuser would (no create rule, verified settable). */
#include "api/forward_auth.h"

#include <stdlib.h>
#include <string.h>

#include "api/http_conn.h"
#include "api/worker.h"
#include "collections/query.h"
#include "collections/record_find.h"
#include "collections/record_save.h"
#include "core/netip.h"
#include "core/random.h"

#define PASSWORD_LEN 30

struct pb_forward_auth {
	struct pb_record_save save;   /* the create job's input/output */
	struct pb_request_info info;  /* who creates: a superuser, no request data */
	struct pb_schema *schema;     /* owned reference */
	struct pb_app *app;           /* borrowed */
	struct pb_worker *worker;     /* borrowed: where the outcome is handed back */
	struct pb_req *req;           /* the exchange, NULL once detached */
	const struct pb_collection *c; /* borrowed from schema */
	json_t *body;                 /* owned: {email, password, passwordConfirm, verified} */
	char *email;                  /* owned */
	char *id;                     /* owned: the found or created record id, NULL on failure */
	char error[PB_ERROR_MSG_MAX];
	bool done;                    /* the job's outcome is in */
	void (*resume)(struct pb_req *req); /* set when the exchange is parked */
};

static void fa_free(struct pb_forward_auth *fa)
{
	pb_record_save_deinit(&fa->save);
	pb_schema_unref(fa->schema);
	json_decref(fa->body);
	free(fa->email);
	free(fa->id);
	free(fa);
}

/* "SELECT `id` FROM `<table>` WHERE `email` = ?1 COLLATE NOCASE LIMIT 1" */
static void lookup_sql(const struct pb_collection *c, struct pb_strbuf *sql)
{
	pb_strbuf_puts(sql, "SELECT `id` FROM ");
	pb_sql_ident(sql, c->name);
	pb_strbuf_puts(sql, " WHERE `email` = ?1 COLLATE NOCASE LIMIT 1");
}

/* The id of the record with this email read with `st` (prepared lookup_sql), or NULL. */
static char *lookup_id(sqlite3_stmt *st, const char *email)
{
	char *id = NULL;
	sqlite3_bind_text(st, 1, email, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		id = strdup((const char *)sqlite3_column_text(st, 0));
	return id;
}

/* Sets req's auth to record `id` of c as the auth-token middleware would. Returns true when
 * the record was found. */
static bool authenticate(struct pb_req *req, const struct pb_collection *c, const char *id)
{
	const struct pb_record_export x = {.show_hidden = true, .show_email = true};
	json_t *rec = pb_record_find_by_id_cached(req->stmts, c, id, &x, NULL);
	if (!rec)
		return false;
	json_decref(req->auth);
	req->auth = rec;
	req->auth_collection = c;
	req->superuser = strcmp(c->name, "_superusers") == 0;
	/* the claims a regular auth token of the record would carry (so auth-refresh issues one) */
	json_decref(req->auth_claims);
	req->auth_claims = json_pack("{s:s, s:s, s:s, s:b}", "id", id, "collectionId", c->id, "type", "auth",
	                             "refreshable", 1);
	return true;
}

static void warn(struct pb_app *app, const char *email, const char *error)
{
	json_t *data = json_object();
	json_object_set_new(data, "email", json_string(email));
	json_object_set_new(data, "error", json_string(error));
	pb_logs_add(&app->logs, PB_LOG_WARN, "Failed to create the forward-auth record", data);
}

/* ---- the creation job ------------------------------------------------------------------- */

static int create_run(struct pb_write_ctx *ctx, void *arg)
{
	struct pb_forward_auth *fa = arg;
	struct pb_strbuf sql = PB_STRBUF_INIT;
	lookup_sql(fa->c, &sql);
	sqlite3_stmt *st = pb_stmt_cache_get(ctx->stmts, sql.data, sql.len);
	pb_strbuf_deinit(&sql);
	if (!st)
		return pb_error_set(ctx->err, 500, "%s", sqlite3_errmsg(ctx->db));
	fa->id = lookup_id(st, fa->email);
	pb_stmt_cache_release(ctx->stmts, st);
	if (fa->id)
		return 0; /* created meanwhile by another request */
	if (pb_record_create_run(ctx, &fa->save) != 0)
		return -1;
	const char *id = json_string_value(json_object_get(fa->save.record, "id"));
	fa->id = id ? strdup(id) : NULL;
	return 0;
}

static void on_outcome(void *arg)
{
	struct pb_forward_auth *fa = arg;
	struct pb_req *req = fa->req;
	if (!fa->id)
		warn(fa->app, fa->email, fa->error[0] ? fa->error : "unknown error");
	if (!req) {
		fa_free(fa);
		return;
	}
	fa->done = true;
	if (fa->id && !req->gone)
		authenticate(req, fa->c, fa->id);
	if (!fa->resume)
		return; /* the dispatcher's run step has not come yet: it picks the outcome up */
	void (*resume)(struct pb_req *) = fa->resume;
	req->forward_auth = NULL;
	fa_free(fa);
	if (req->gone) {
		req->async = false;
		pb_resp_empty(req, 204); /* dropped: releases the exchange */
		return;
	}
	req->async = false;
	pb_conn_resume(req, resume);
}

static void create_done(void *arg, int rc, struct pb_error *err)
{
	struct pb_forward_auth *fa = arg;
	if (rc != 0) {
		free(fa->id);
		fa->id = NULL;
		snprintf(fa->error, sizeof fa->error, "%s", err->message);
		if (err->data) {
			char *d = json_dumps(err->data, JSON_COMPACT | JSON_SORT_KEYS);
			size_t used = strlen(fa->error);
			snprintf(fa->error + used, sizeof fa->error - used, " %s", d ? d : "");
			free(d);
		}
	}
	pb_record_save_cleanup(&fa->save, rc);
	pb_worker_post(fa->worker, on_outcome, fa);
}

static void start_create(struct pb_req *req, const struct pb_collection *c, const char *email)
{
	struct pb_forward_auth *fa = calloc(1, sizeof *fa);
	if (!fa)
		abort();
	char password[PASSWORD_LEN + 1];
	pb_random_string(password, PASSWORD_LEN, PB_ALPHABET_ALNUM);
	fa->app = req->app;
	fa->worker = req->worker;
	fa->req = req;
	fa->schema = pb_schema_ref(req->schema);
	fa->c = c;
	fa->email = strdup(email);
	fa->body = json_pack("{s:s, s:s, s:s, s:b}", "email", email, "password", password, "passwordConfirm", password,
	                     "verified", 1);
	fa->info.context = "default";
	fa->info.method = "POST";
	fa->info.superuser = true;
	pb_record_save_init(&fa->save);
	fa->save.schema = fa->schema;
	fa->save.c = c;
	fa->save.req = &fa->info;
	fa->save.body = fa->body;
	fa->save.storage_dir = req->app->storage_dir;
	fa->save.skip_password_checks = true;
	req->forward_auth = fa;
	pb_writer_submit(&req->app->writer, create_run, create_done, fa);
}

/* ---- the middleware ---------------------------------------------------------------------- */

bool pb_forward_auth_begin(struct pb_req *req)
{
	const struct pb_config *cfg = req->app->cfg;
	if (!cfg->forward_auth_header || !cfg->nforward_auth_proxies || req->auth || !req->schema)
		return false;
	const char *email = pb_req_header(req, cfg->forward_auth_header);
	if (!email || !*email)
		return false;
	if (!pb_netip_in_list(cfg->forward_auth_proxy_list, cfg->nforward_auth_proxies, req->remote_ip))
		return false; /* not from a trusted proxy: the header means nothing */
	const struct pb_collection *c = pb_schema_find(req->schema, cfg->forward_auth_collection);
	if (!c || c->type != PB_COLLECTION_AUTH)
		return false;
	struct pb_strbuf sql = PB_STRBUF_INIT;
	lookup_sql(c, &sql);
	sqlite3_stmt *st = pb_stmt_cache_get(req->stmts, sql.data, sql.len);
	pb_strbuf_deinit(&sql);
	if (!st)
		return false;
	char *id = lookup_id(st, email);
	pb_stmt_cache_release(req->stmts, st);
	if (id) {
		authenticate(req, c, id);
		free(id);
		return false;
	}
	if (!cfg->forward_auth_create)
		return false;
	start_create(req, c, email);
	return true;
}

bool pb_forward_auth_ready(struct pb_req *req, void (*resume)(struct pb_req *req))
{
	struct pb_forward_auth *fa = req->forward_auth;
	if (!fa)
		return true;
	if (fa->done) {
		req->forward_auth = NULL;
		fa_free(fa);
		return true;
	}
	fa->resume = resume;
	pb_req_async(req);
	return false;
}

void pb_forward_auth_detach(struct pb_req *req)
{
	struct pb_forward_auth *fa = req->forward_auth;
	req->forward_auth = NULL;
	if (!fa)
		return;
	if (fa->done)
		fa_free(fa);
	else
		fa->req = NULL;
}
