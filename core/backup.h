/* backup — pb_data backups as PocketBase's core/base_backup.go makes them, stored like its
 * backups filesystem (NewBackupsFilesystem: `pb_data/backups` through fileblob, with `.attrs`
 * sidecars, or the settings.backups.s3 bucket when enabled).
 *
 * Create: a zip of pb_data minus `backups`, `.pb_temp_to_delete`, `.notify`, `.autocert_cache`
 * and `lost+found`. PocketBase blocks every write while it zips the live files; pocketc keeps
 * serving instead and still gets one consistent moment: inside one writer job (so no commit can
 * happen in between) it opens a read transaction on a separate data.db connection and
 * hard-links the storage tree into a staging directory; after the job, SQLite's online backup
 * copies that read snapshot into the stage (writers go on meanwhile — WAL), auxiliary.db is
 * copied the same way, the other root files are linked, the stage is zipped under
 * `.pb_temp_to_delete` and the zip moved into the backups store. Every write acknowledged
 * before the backup began is in it, with the files its records reference (uploads are stored
 * before their row commits; stale files are removed only after the commit that drops them).
 * The zip holds data.db and auxiliary.db without -wal/-shm files: the snapshots are complete.
 *
 * Restore: extract the zip into `.pb_temp_to_delete/pb_restore_<rand>`, require a data.db
 * that passes PRAGMA quick_check, then (after the server has shut down cleanly and closed
 * every connection) move the current pb_data content into `.pb_temp_to_delete/old_pb_data_*`
 * and the extracted content into pb_data (both moves skip `backups`, `.pb_temp_to_delete`,
 * `.autocert_cache`, `lost+found`; a failed move is reverted) and re-exec the process; the
 * next bootstrap wipes `.pb_temp_to_delete`.
 *
 * One backup or restore runs at a time: `struct pb_backups` (one per app) holds the "active
 * backup" mark PocketBase keeps in its store (what GET /api/health's canBackup reads). */
#ifndef POCKETC_CORE_BACKUP_H
#define POCKETC_CORE_BACKUP_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/settings.h"

struct pb_app;
struct pb_cron;

#define PB_BACKUP_DIR "backups"
#define PB_BACKUP_TEMP_DIR ".pb_temp_to_delete"
#define PB_BACKUP_DEFAULT_PREFIX "pb_backup_"
#define PB_BACKUP_AUTO_PREFIX "@auto_pb_backup_"
#define PB_BACKUP_CRON_ID "__pbAutoBackup__"
#define PB_BACKUP_NAME_MAX 150 /* backupCreateForm: validation.Length(1, 150) */
#define PB_BACKUP_KEY_CAP 1024
#define PB_BACKUP_CONTENT_TYPE "application/zip"
#define PB_BACKUP_MSG_BUSY "try again later - another backup/restore operation has already been started"

/* ---- the "active backup" mark --------------------------------------------------------------- */

struct pb_backups {
	pthread_mutex_t lock;
	bool active;           /* a backup or restore runs (guarded by lock) */
	char *active_name;     /* owned: its name ("" for a generated one), NULL when idle */
	char *pending_restore; /* owned: extracted pb_data waiting for the swap at restart */
};

void pb_backups_init(struct pb_backups *b);
/* Frees what b owns (a pending restore directory is left on disk). */
void pb_backups_deinit(struct pb_backups *b);
/* Marks a backup/restore named `name` (copied; NULL = "") as running. Returns false (and
 * changes nothing) when one already runs. */
bool pb_backups_begin(struct pb_backups *b, const char *name);
/* Clears the mark. */
void pb_backups_end(struct pb_backups *b);
/* Whether a backup/restore runs (canBackup is its negation). */
bool pb_backups_busy(struct pb_backups *b);
/* Whether the running one is named `key` (non-empty): DELETE refuses that backup. */
bool pb_backups_is_active(struct pb_backups *b, const char *key);
/* Hands over (steals) / takes back (caller frees; NULL when none) the extracted directory a
 * prepared restore waits with until the process restarts. */
void pb_backups_set_pending_restore(struct pb_backups *b, char *dir);
char *pb_backups_take_pending_restore(struct pb_backups *b);

/* ---- names ----------------------------------------------------------------------------------- */

/* inflector.Snakecase (ASCII): split at every run of non-[A-Za-z0-9], '_' before an upper-case
 * letter that follows a non-upper-case byte, lower-cased, words joined by '_'. Writes at most
 * cap-1 bytes + NUL. */
void pb_backup_snakecase(const char *in, char *out, size_t cap);
/* generateBackupName: prefix + Snakecase(app_name) cut to 50 bytes + "_" + the UTC time of
 * unix_s as YYYYMMDDHHMMSS + ".zip". */
void pb_backup_generate_name(const char *app_name, const char *prefix, int64_t unix_s, char *out, size_t cap);
/* The create form's name rules: 1..150 characters matching ^[a-z0-9_-]+\.zip$. */
bool pb_backup_name_valid(const char *name);
/* Whether `key` can name a file of the local backups directory: a single path component, not
 * "." / "..", no control bytes, not ending in ".attrs" (fileblob's sidecars). */
bool pb_backup_key_ok(const char *key);

/* ---- the store (local directory or S3) --------------------------------------------------------- */

/* Where backups go: `s3` (borrowed) when non-NULL and enabled, else <data_dir>/backups. */
struct pb_backup_store {
	const char *data_dir;             /* borrowed */
	const struct pb_settings_s3 *s3;  /* borrowed; NULL or disabled = local */
};

struct pb_backup_item {
	char key[PB_BACKUP_KEY_CAP];
	int64_t size;
	int64_t modified_ms;
};

/* The store of `data_dir` for settings `s` (borrowed; NULL = local). */
struct pb_backup_store pb_backup_store_of(const char *data_dir, const struct pb_settings *s);

/* Every backup whose key starts with `prefix` (NULL/"" = all): local files in fileblob's walk
 * order (lexical, recursive, sidecars left out), S3 objects in key order. On 0 *out is a new
 * array (caller frees) of *n items; -1 with err (500 local I/O, S3 errors as core/s3.h). */
int pb_backup_list(const struct pb_backup_store *st, const char *prefix, struct pb_backup_item **out, size_t *n,
                   struct pb_error *err);
/* 1 when backup `key` exists, 0 when not (also for a key the local store cannot hold), -1 with
 * err when the store cannot tell. */
int pb_backup_exists(const struct pb_backup_store *st, const char *key, struct pb_error *err);
/* Deletes backup `key` (and its sidecar). Returns 0, or -1 with err (404 "[key: <key>] resource
 * not found" for a missing local file, else the failure). */
int pb_backup_delete(const struct pb_backup_store *st, const char *key, struct pb_error *err);
/* Stores `len` bytes (borrowed) as `key`, content type application/zip, original name `key`
 * (UploadFile with OriginalName = key). Returns 0 or -1 with err. */
int pb_backup_store_bytes(const struct pb_backup_store *st, const char *key, const void *data, size_t len,
                          struct pb_error *err);
/* Stores the finished zip `tmp_path` as `key` (moved locally, uploaded then unlinked on S3).
 * On failure tmp_path is removed. Returns 0 or -1 with err. */
int pb_backup_store_file(const struct pb_backup_store *st, const char *tmp_path, const char *key,
                         struct pb_error *err);
/* A local path holding backup `key`: the file itself (local store; *is_temp = false) or a
 * download into <data_dir>/.pb_temp_to_delete (S3; *is_temp = true: the caller unlinks it).
 * Returns a new string (caller frees), or NULL with err (404 when missing). */
char *pb_backup_fetch(const struct pb_backup_store *st, const char *key, bool *is_temp, struct pb_error *err);

/* ---- create / restore / auto backups ----------------------------------------------------------- */

/* CreateBackup: begins the active mark (failing with 400 PB_BACKUP_MSG_BUSY when taken), runs
 * pb_backup_create_marked, ends the mark. `name` NULL/"" = generated (pb_backup_ prefix). */
int pb_backup_create(struct pb_app *app, const char *name, struct pb_error *err);
/* The backup itself, for a caller that already holds the active mark. Blocking (seconds to
 * minutes): run it on the blocking pool or a cron thread. Uses the app's writer thread for the
 * consistent moment when it runs, else takes it directly on app->data (no writer = no
 * concurrent writes). The store comes from the current settings. Returns 0 or -1 with err. */
int pb_backup_create_marked(struct pb_app *app, const char *name, struct pb_error *err);

/* RestoreBackup's first half, for a caller that holds the active mark: fetches and extracts
 * backup `key`, checks its data.db, and leaves the extracted directory as the app's pending
 * restore. Returns 0 (the caller then stops the server; main swaps and re-execs), or -1 with
 * err (400 "missing or invalid backup file …" / "data.db file is missing or invalid: …",
 * 500 I/O); nothing is left behind on failure. */
int pb_backup_restore_prepare(struct pb_app *app, const char *key, struct pb_error *err);
/* The swap, with every connection of pb_data closed: moves the content of `data_dir` into
 * <data_dir>/.pb_temp_to_delete/old_pb_data_<rand> and the content of `extracted` into
 * `data_dir` (reverting both on failure), then removes `extracted`. Returns 0 or -1 with err. */
int pb_backup_restore_swap(const char *data_dir, const char *extracted, struct pb_error *err);

/* The auto-backup job body (registered by pb_backup_cron_sync with `app` as argument): creates
 * "@auto_pb_backup_<app>_<time>.zip", then keeps only the settings.backups.cronMaxKeep newest
 * auto backups (0 = no limit). Failures are printed to stderr. */
void pb_backup_auto_run(void *app);
/* Deletes all but the `max_keep` most recently modified backups whose key starts with
 * PB_BACKUP_AUTO_PREFIX (max_keep <= 0: nothing). Returns 0 or -1 with err (the first failure;
 * the other deletions are still tried). */
int pb_backup_rotate(const struct pb_backup_store *st, int64_t max_keep, struct pb_error *err);
/* registerAutobackupHooks' loadJob: (re)registers job __pbAutoBackup__ on `cron` with the
 * schedule of `s` (borrowed) — or removes it when settings.backups.cron is "". Call at start
 * and after every settings change. Returns 0 or -1 with err (an invalid expression). */
int pb_backup_cron_sync(struct pb_cron *cron, struct pb_app *app, const struct pb_settings *s, struct pb_error *err);

#endif
