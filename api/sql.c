/* sql — the SQL console endpoint (see sql.h). */
#include "api/sql.h"

#include <stdlib.h>
#include <string.h>

#include "api/form.h"
#include "api/messages.h"
#include "api/worker.h"
#include "core/sql_console.h"
#include "core/validation.h"

#define MSG_LOAD_FAILED "An error occurred while loading the submitted data."
#define MSG_VALIDATE_FAILED "An error occurred while validating the submitted data."
#define MSG_EXEC_FAILED "Failed to execute query. Raw error:\n"

struct sql_job {
	struct pb_req *req;
	struct pb_app *app;
	char *query;        /* owned */
	json_t *result;     /* owned: the answer, or NULL */
	struct pb_error err;
};

static void respond(void *arg)
{
	struct sql_job *j = arg;
	struct pb_req *req = j->req;
	req->async = false;
	if (req->gone) {
		pb_resp_empty(req, 204); /* dropped: releases the exchange */
	} else if (!j->result) {
		size_t n = strlen(MSG_EXEC_FAILED) + strlen(j->err.message) + 1;
		char *msg = malloc(n);
		if (!msg)
			abort();
		snprintf(msg, n, "%s%s", MSG_EXEC_FAILED, j->err.message);
		pb_resp_error(req, 400, msg, NULL);
		free(msg);
	} else {
		pb_resp_json(req, 200, j->result);
	}
	json_decref(j->result);
	pb_error_clear(&j->err);
	free(j->query);
	free(j);
}

/* ---- writes: a writer job ------------------------------------------------------------------ */

static int write_run(struct pb_write_ctx *ctx, void *arg)
{
	struct sql_job *j = arg;
	j->result = pb_sql_write(ctx->db, j->query, PB_SQL_TIMEOUT_MS, ctx->err);
	return j->result ? 0 : -1;
}

static void write_done(void *arg, int rc, struct pb_error *err)
{
	struct sql_job *j = arg;
	if (rc != 0) {
		json_decref(j->result); /* a commit failure after a successful run */
		j->result = NULL;
		snprintf(j->err.message, sizeof j->err.message, "%s", err->message);
		j->err.status = 400;
	}
	pb_worker_post(j->req->worker, respond, j);
}

/* ---- reads: the blocking pool with a connection of its own --------------------------------- */

static void read_task(void *arg)
{
	struct sql_job *j = arg;
	sqlite3 *db = pb_app_open_reader(j->app, &j->err);
	if (db) {
		j->result = pb_sql_read(db, j->query, PB_SQL_MAX_ROWS, PB_SQL_TIMEOUT_MS, &j->err);
		sqlite3_close_v2(db);
	}
	pb_worker_post(j->req->worker, respond, j);
}

void pb_api_sql(struct pb_req *req)
{
	if (!req->superuser) {
		pb_resp_error(req, 403, NULL, NULL);
		return;
	}
	struct pb_form f;
	char *query = NULL;
	if (pb_form_bind(req, &f) != 0) {
		pb_resp_error(req, 400, MSG_LOAD_FAILED, NULL);
		return;
	}
	int bad = pb_form_string(&f, "query", &query);
	pb_form_free(&f);
	if (bad) {
		pb_resp_error(req, 400, MSG_LOAD_FAILED, NULL);
		return;
	}
	json_t *item = !*query ? pb_validation_item(PB_VCODE_REQUIRED, PB_VMSG_REQUIRED, NULL)
	               : strlen(query) > PB_SQL_MAX_QUERY ? /* ozzo's Length counts bytes */ pb_validation_length(0, PB_SQL_MAX_QUERY)
	                                          : NULL;
	if (item) {
		json_t *data = json_pack("{s:o}", "query", item);
		pb_resp_error(req, 400, MSG_VALIDATE_FAILED, data);
		json_decref(data);
		free(query);
		return;
	}
	struct sql_job *j = calloc(1, sizeof *j);
	if (!j)
		abort();
	j->req = req;
	j->app = req->app;
	j->query = query;
	pb_req_async(req);
	if (pb_sql_is_write(query))
		pb_writer_submit(&req->app->writer, write_run, write_done, j);
	else
		pb_pool_submit(&req->app->pool, read_task, j);
}
