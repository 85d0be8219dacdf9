/* app — the application object: configuration, the pb_data paths, the writer connection
 * and the published schema snapshot. One per process. Mirrors PocketBase's core.BaseApp
 * bootstrap: open the data dir (creating it as PocketBase would when empty), load the
 * collections and the settings into immutable snapshots, then hand over to a command (serve, …). */
#ifndef POCKETC_CORE_APP_H
#define POCKETC_CORE_APP_H

#include <sqlite3.h>
#include <stdbool.h>

#include "core/backup.h"
#include "core/config.h"
#include "core/error.h"
#include "core/pool.h"
#include "core/writer.h"

struct pb_app {
	struct pb_config *cfg;  /* borrowed */
	char *data_db_path;     /* owned: <dir>/data.db */
	char *aux_db_path;      /* owned: <dir>/auxiliary.db */
	sqlite3 *data;          /* owned: the one write connection of data.db */
	sqlite3 *aux;           /* owned: auxiliary.db connection */
	char *storage_dir;      /* owned: <dir>/storage */
	struct pb_writer writer; /* the writer thread over `data` (started by pb_app_start_writer) */
	struct pb_pool pool;    /* blocking work: bcrypt, thumbs, mail (started with the writer) */
	struct pb_backups backups; /* the running backup/restore mark, a prepared restore */
	struct pb_cron *cron;   /* owned: the scheduler while serving (auto backups), else NULL */
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

/* Opens a read connection of data.db for one worker thread (caller closes it). */
sqlite3 *pb_app_open_reader(const struct pb_app *app, struct pb_error *err);

#endif
