/* app_jobs — PocketBase's built-in cron jobs on the app's scheduler (core/base.go,
 * core/mfa_model.go, core/otp_model.go, core/base.go initLogger and
 * apis/middlewares_rate_limit.go of v0.39.11):
 *   __pbDBOptimize__ (daily): PRAGMA wal_checkpoint(TRUNCATE) on data.db and auxiliary.db,
 *     then PRAGMA optimize on data.db — on connections of its own, so neither the writer nor
 *     the logs writer is held up;
 *   __pbMFACleanup__ / __pbOTPCleanup__ (hourly): expired `_mfas` / `_otps` rows, deleted by a
 *     writer job (collections/auth_cleanup.h);
 *   __pbLogsCleanup__ (every 6 h): `_logs` rows older than settings.logs.maxDays;
 *   __pbRateLimitersCleanup__ (hourly at :02, only once a limiter was used): idle clients.
 * Failures are stored as warn-level app logs with the message PocketBase uses, like its
 * app.Logger().Warn calls. Auto backups (__pbAutoBackup__) belong to the backups code, which
 * registers itself through app->on_settings_reload. */
#include <stdlib.h>
#include <time.h>

#include "collections/auth_cleanup.h"
#include "core/app.h"
#include "core/datetime.h"
#include "core/db.h"

static void warn(struct pb_app *app, const char *message, const char *error)
{
	json_t *data = json_object();
	json_object_set_new(data, "error", json_string(error ? error : ""));
	pb_logs_add(&app->logs, PB_LOG_WARN, message, data);
}

/* One PRAGMA on a connection of its own. Returns 0, or -1 after logging `what`. */
static int pragma_on(struct pb_app *app, const char *path, const char *sql, const char *what)
{
	struct pb_error err = PB_ERROR_INIT;
	sqlite3 *db = pb_db_open(path, false, &err);
	int rc = db ? pb_db_exec(db, sql, &err) : -1;
	if (rc != 0)
		warn(app, what, err.message);
	pb_error_clear(&err);
	if (db)
		sqlite3_close_v2(db);
	return rc;
}

static void db_optimize_job(void *arg)
{
	struct pb_app *app = arg;
	pragma_on(app, app->data_db_path, "PRAGMA wal_checkpoint(TRUNCATE)",
	          "Failed to run periodic PRAGMA wal_checkpoint for the main DB");
	pragma_on(app, app->aux_db_path, "PRAGMA wal_checkpoint(TRUNCATE)",
	          "Failed to run periodic PRAGMA wal_checkpoint for the auxiliary DB");
	pragma_on(app, app->data_db_path, "PRAGMA optimize", "Failed to run periodic PRAGMA optimize");
}

/* ---- MFA / OTP cleanup (a writer job) ------------------------------------------------------ */

struct cleanup_job {
	struct pb_app *app;
	struct pb_schema *schema; /* owned reference */
	enum pb_auth_cleanup_kind kind;
};

static int cleanup_run(struct pb_write_ctx *ctx, void *arg)
{
	struct cleanup_job *j = arg;
	return pb_auth_cleanup_expired(ctx->db, j->schema, j->kind, pb_now_ms(), ctx->err) < 0 ? -1 : 0;
}

static void cleanup_done(void *arg, int rc, struct pb_error *err)
{
	struct cleanup_job *j = arg;
	if (rc != 0)
		warn(j->app,
		     j->kind == PB_AUTH_CLEANUP_MFA ? "Failed to delete expired MFA sessions"
		                                    : "Failed to delete expired OTP sessions",
		     err->message);
	pb_schema_unref(j->schema);
	free(j);
}

static void submit_cleanup(struct pb_app *app, enum pb_auth_cleanup_kind kind)
{
	struct cleanup_job *j = calloc(1, sizeof *j);
	if (!j)
		abort();
	j->app = app;
	j->kind = kind;
	j->schema = pb_schema_current();
	if (!j->schema) {
		free(j);
		return;
	}
	pb_writer_submit(&app->writer, cleanup_run, cleanup_done, j);
}

static void mfa_cleanup_job(void *arg) { submit_cleanup(arg, PB_AUTH_CLEANUP_MFA); }
static void otp_cleanup_job(void *arg) { submit_cleanup(arg, PB_AUTH_CLEANUP_OTP); }

static void logs_cleanup_job(void *arg)
{
	struct pb_app *app = arg;
	struct pb_settings_logs cfg = pb_logs_get_config(&app->logs);
	struct pb_error err = PB_ERROR_INIT;
	if (pb_logs_cleanup(&app->logs, cfg.max_days, &err) != 0)
		warn(app, "Failed to delete old logs", err.message);
	pb_error_clear(&err);
}

static void ratelimit_cleanup_job(void *arg)
{
	struct pb_app *app = arg;
	pb_ratelimit_clean(app->ratelimit, (int64_t)time(NULL), PB_RATELIMIT_IDLE_S);
}

static void add(struct pb_app *app, const char *id, const char *expr, pb_cron_fn fn)
{
	struct pb_error err = PB_ERROR_INIT;
	/* the expressions are constants that parse */
	if (pb_cron_add(app->cron, id, expr, fn, app, NULL, &err) != 0)
		abort();
}

void pb_app_register_jobs(struct pb_app *app)
{
	add(app, PB_CRON_DB_OPTIMIZE_ID, PB_CRON_DB_OPTIMIZE_EXPR, db_optimize_job);
	add(app, PB_CRON_MFA_CLEANUP_ID, PB_CRON_MFA_CLEANUP_EXPR, mfa_cleanup_job);
	add(app, PB_CRON_OTP_CLEANUP_ID, PB_CRON_OTP_CLEANUP_EXPR, otp_cleanup_job);
	add(app, PB_CRON_LOGS_CLEANUP_ID, PB_CRON_LOGS_CLEANUP_EXPR, logs_cleanup_job);
}

void pb_app_register_ratelimit_job(struct pb_app *app)
{
	add(app, PB_CRON_RATE_LIMITERS_CLEANUP_ID, PB_CRON_RATE_LIMITERS_CLEANUP_EXPR, ratelimit_cleanup_job);
}
