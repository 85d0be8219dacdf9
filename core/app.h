/* app — the application object: configuration, the pb_data paths, the writer connection
 * and the published schema snapshot. One per process. Mirrors PocketBase's core.BaseApp
 * bootstrap: open the data dir (creating it as PocketBase would when empty), load the
 * collections and the settings into immutable snapshots, then hand over to a command (serve, …). */
#ifndef POCKETC_CORE_APP_H
#define POCKETC_CORE_APP_H

#include <sqlite3.h>
#include <stdbool.h>

#include "core/backup.h"
#include "core/checkpointer.h"
#include "core/config.h"
#include "core/cron.h"
#include "core/error.h"
#include "core/logs.h"
#include "core/pool.h"
#include "core/ratelimit.h"
#include "core/settings.h"
#include "core/store.h"
#include "core/writer.h"

struct pb_app {
	struct pb_config *cfg;  /* borrowed */
	char *data_db_path;     /* owned: <dir>/data.db */
	char *aux_db_path;      /* owned: <dir>/auxiliary.db */
	sqlite3 *data;          /* owned: the one write connection of data.db */
	sqlite3 *aux;           /* owned: auxiliary.db connection */
	char *storage_dir;      /* owned: <dir>/storage */
	struct pb_writer writer; /* the writer thread over `data` (started by pb_app_start_writer) */
	struct pb_checkpointer checkpointer; /* data.db's WAL checkpoints (started with the writer) */
	struct pb_pool pool;    /* blocking work: bcrypt, thumbs, mail (started with the writer) */
	struct pb_backups backups; /* the running backup/restore mark, a prepared restore */
	struct pb_logs logs;    /* the `_logs` writer of auxiliary.db (started by pb_app_start_services) */
	struct pb_cron *cron;   /* owned: the scheduler with PocketBase's built-in jobs and the auto
	                         * backups (ticking while serving, started by pb_app_start_services) */
	struct pb_ratelimit *ratelimit; /* owned: the settings rate limiters (reset on settings save) */
	struct pb_store store;  /* app.Store(): resend markers, the OTP attempt limiter */
};

/* Opens cfg->dir (bootstrapping a fresh pb_data when needed) and publishes the first schema
 * and settings snapshots (settings decrypted with the --encryptionEnv key when set; a missing
 * settings row is saved with the defaults). Returns 0 or -1 with err set. */
int pb_app_bootstrap(struct pb_app *app, struct pb_config *cfg, struct pb_error *err);
void pb_app_close(struct pb_app *app);

/* Starts / stops the writer thread and the blocking pool (serve only; CLI commands write
 * synchronously). */
int pb_app_start_writer(struct pb_app *app, struct pb_error *err);
void pb_app_stop_writer(struct pb_app *app);

/* Starts the logs writer (configured from the current settings' `logs`), registers the
 * built-in cron jobs (pb_app_register_jobs) and the auto-backup job of the settings (an
 * invalid schedule is only a warning) and starts the cron ticker (serve only, after
 * pb_app_start_writer). Returns 0 or -1 with err. */
int pb_app_start_services(struct pb_app *app, struct pb_error *err);
/* Stops the cron ticker and waits for running jobs (call before pb_app_stop_writer). */
void pb_app_stop_cron(struct pb_app *app);
/* Writes the pending logs and stops the logs writer (call last: request logs are queued
 * until every exchange has finished). No-op when not started. */
void pb_app_stop_logs(struct pb_app *app);

/* Registers PocketBase's built-in jobs on app->cron (app_jobs.c): __pbDBOptimize__,
 * __pbMFACleanup__, __pbOTPCleanup__ and __pbLogsCleanup__, in that order (__pbAutoBackup__
 * belongs to core/backup.h). The jobs borrow `app`, which must outlive the scheduler's runs. */
void pb_app_register_jobs(struct pb_app *app);

/* The rate limiters cleanup job id PocketBase registers once a limiter is first used
 * (__pbRateLimitersCleanup__, "2 * * * *"): adds it (idempotent). */
void pb_app_register_ratelimit_job(struct pb_app *app);

/* OnSettingsReload after a settings save: publishes `s` (stolen), hands the new `logs` block
 * to the logs writer, resets the rate limiters (removing their cleanup job), re-syncs the
 * auto-backup job (pb_backup_cron_sync) and prunes the logs that no longer match (on the
 * blocking pool when it runs, else here). */
void pb_app_apply_settings(struct pb_app *app, struct pb_settings *s);

/* Opens a read connection of data.db for one worker thread (caller closes it). */
sqlite3 *pb_app_open_reader(const struct pb_app *app, struct pb_error *err);

#endif
