/* bootstrap — open or create a pb_data directory (see bootstrap.h).
 * The fresh install replays PocketBase v0.39.11's system migrations in order: aux_init
 * (`_logs`), init (`_params`, `_collections`, the six system collections), four v0.23 upgrade
 * steps and the auth-alert template swap that change nothing on a fresh database, and
 * normalize_indexes, whose only effect on a fresh database is re-saving `users` (a new
 * `updated` time). Then the default settings row is inserted, as ReloadSettings does when
 * the row is missing. Table DDL keeps PocketBase's statement text (including its tab
 * indentation) because SQLite stores it verbatim in sqlite_master. */
#include "core/bootstrap.h"

#include <errno.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/bootstrap_internal.h"
#include "core/db.h"
#include "core/settings_defaults.h"
#include "core/strbuf.h"

const char *const pb_system_migrations[PB_SYSTEM_MIGRATIONS_COUNT] = {
	"1640988000_aux_init.go",
	"1640988000_init.go",
	"1717233556_v0.23_migrate.go",
	"1717233557_v0.23_migrate2.go",
	"1717233558_v0.23_migrate3.go",
	"1717233559_v0.23_migrate4.go",
	"1763020353_update_default_auth_alert_templates.go",
	"1778828400_normalize_indexes.go",
};

/* ---- statement text ---------------------------------------------------------------------- */

static const char migrations_table_sql[] =
	"CREATE TABLE IF NOT EXISTS `_migrations` (file VARCHAR(255) PRIMARY KEY NOT NULL, applied INTEGER NOT NULL)";

static const char params_table_sql[] =
	"CREATE TABLE `_params` (\n"
	"\t\t\t`id`      TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL,\n"
	"\t\t\t`value`   JSON DEFAULT NULL,\n"
	"\t\t\t`created` TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%fZ')) NOT NULL,\n"
	"\t\t\t`updated` TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%fZ')) NOT NULL\n"
	"\t\t);";

static const char collections_table_sql[] =
	"CREATE TABLE `_collections` (\n"
	"\t\t\t\t`id`         TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL,\n"
	"\t\t\t\t`system`     BOOLEAN DEFAULT FALSE NOT NULL,\n"
	"\t\t\t\t`type`       TEXT DEFAULT \"base\" NOT NULL,\n"
	"\t\t\t\t`name`       TEXT UNIQUE NOT NULL,\n"
	"\t\t\t\t`fields`     JSON DEFAULT \"[]\" NOT NULL,\n"
	"\t\t\t\t`indexes`    JSON DEFAULT \"[]\" NOT NULL,\n"
	"\t\t\t\t`listRule`   TEXT DEFAULT NULL,\n"
	"\t\t\t\t`viewRule`   TEXT DEFAULT NULL,\n"
	"\t\t\t\t`createRule` TEXT DEFAULT NULL,\n"
	"\t\t\t\t`updateRule` TEXT DEFAULT NULL,\n"
	"\t\t\t\t`deleteRule` TEXT DEFAULT NULL,\n"
	"\t\t\t\t`options`    JSON DEFAULT \"{}\" NOT NULL,\n"
	"\t\t\t\t`created`    TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%fZ')) NOT NULL,\n"
	"\t\t\t\t`updated`    TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%fZ')) NOT NULL\n"
	"\t\t\t);\n"
	"\n"
	"\t\t\tCREATE INDEX IF NOT EXISTS idx__collections_type on `_collections` (`type`);";

static const char logs_table_sql[] =
	"CREATE TABLE IF NOT EXISTS `_logs` (\n"
	"\t\t\t\t\t`id`      TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL,\n"
	"\t\t\t\t\t`level`   INTEGER DEFAULT 0 NOT NULL,\n"
	"\t\t\t\t\t`message` TEXT DEFAULT \"\" NOT NULL,\n"
	"\t\t\t\t\t`data`    JSON DEFAULT \"{}\" NOT NULL,\n"
	"\t\t\t\t\t`created` TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%fZ')) NOT NULL\n"
	"\t\t\t\t);\n"
	"\n"
	"\t\t\t\tCREATE INDEX IF NOT EXISTS idx_logs_level on `_logs` (`level`);\n"
	"\t\t\t\tCREATE INDEX IF NOT EXISTS idx_logs_message on `_logs` (`message`);\n"
	"\t\t\t\tCREATE INDEX IF NOT EXISTS idx_logs_created_hour on `_logs` (strftime('%Y-%m-%d %H:00:00', "
	"`created`));";

static const char insert_migration_sql[] = "INSERT INTO `_migrations` (`file`, `applied`) VALUES (?, ?)";
static const char insert_settings_sql[] =
	"INSERT INTO `_params` (`id`, `value`, `created`, `updated`) VALUES (?, ?, ?, ?)";
static const char touch_collection_sql[] = "UPDATE `_collections` SET `updated` = ? WHERE `id` = ?";
static const char table_exists_sql[] = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?";

/* ---- small helpers ----------------------------------------------------------------------- */

void pb_bootstrap_now_date(char *out)
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(out, PB_BOOTSTRAP_DATE_LEN + 1, "%Y-%m-%d %H:%M:%S", &tm); /* 19 chars */
	snprintf(out + n, PB_BOOTSTRAP_DATE_LEN + 1 - n, ".%03uZ", (unsigned)(ts.tv_nsec / 1000000) % 1000u);
}

static long long now_micros(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static char *join_path(const char *dir, const char *name)
{
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_strbuf_printf(&b, "%s/%s", dir, name);
	return pb_strbuf_steal(&b);
}

/* mkdir -p with mode 0777 (before umask), like os.MkdirAll(dir, os.ModePerm). */
static int mkdir_p(const char *dir, struct pb_error *err)
{
	char *path = strdup(dir);
	if (!path)
		abort();
	int rc = -1;
	size_t len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		path[--len] = '\0';
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST) {
			pb_error_set(err, 500, "failed to create %s: %s", path, strerror(errno));
			goto done;
		}
		*p = '/';
	}
	if (mkdir(path, 0777) != 0 && errno != EEXIST) {
		pb_error_set(err, 500, "failed to create %s: %s", path, strerror(errno));
		goto done;
	}
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		pb_error_set(err, 500, "%s is not a directory", path);
		goto done;
	}
	rc = 0;
done:
	free(path);
	return rc;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	remove(path); /* best effort, as os.RemoveAll's result is ignored by PocketBase */
	return 0;
}

/* rm -rf `path`; a missing path is fine and errors are ignored. */
static void remove_tree(const char *path)
{
	nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* 1 when `name` is a table of `db`, 0 when not, -1 on error (err set). */
static int table_exists(sqlite3 *db, const char *name, struct pb_error *err)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, table_exists_sql, -1, &st, NULL) != SQLITE_OK)
		return pb_error_set(err, 500, "failed to read the schema: %s", sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	int result = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
	if (result < 0)
		pb_error_set(err, 500, "failed to read the schema: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return result;
}

static int record_migration(sqlite3 *db, const char *file, struct pb_error *err)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, insert_migration_sql, -1, &st, NULL) != SQLITE_OK)
		return pb_error_set(err, 500, "failed to record migration %s: %s", file, sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, file, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now_micros());
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	if (rc != 0)
		pb_error_set(err, 500, "failed to record migration %s: %s", file, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc;
}

/* normalize_indexes re-saves every non-system base/auth collection with indexes; on a fresh
 * database that is `users` alone and the save changes nothing but `updated`. */
static int touch_users(sqlite3 *db, struct pb_error *err)
{
	char now[PB_BOOTSTRAP_DATE_LEN + 1];
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, touch_collection_sql, -1, &st, NULL) != SQLITE_OK)
		return pb_error_set(err, 500, "failed to re-save users: %s", sqlite3_errmsg(db));
	pb_bootstrap_now_date(now);
	sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, "_pb_users_auth_", -1, SQLITE_STATIC);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	if (rc != 0)
		pb_error_set(err, 500, "failed to re-save users: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc;
}

/* The settings row as ReloadSettings inserts it: value as a BLOB of plain JSON, created and
 * updated set to the same instant. */
static int insert_settings(sqlite3 *db, struct pb_error *err)
{
	char now[PB_BOOTSTRAP_DATE_LEN + 1];
	const char *value = pb_settings_defaults_json();
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, insert_settings_sql, -1, &st, NULL) != SQLITE_OK)
		return pb_error_set(err, 500, "failed to insert the settings: %s", sqlite3_errmsg(db));
	pb_bootstrap_now_date(now);
	sqlite3_bind_text(st, 1, PB_SETTINGS_PARAM_ID, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, value, (int)strlen(value), SQLITE_STATIC);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	if (rc != 0)
		pb_error_set(err, 500, "failed to insert the settings: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc;
}

/* Creates `_logs` and its indexes when the table is missing (the aux_init reapply rule). */
static int ensure_logs(sqlite3 *aux, struct pb_error *err)
{
	int exists = table_exists(aux, "_logs", err);
	if (exists != 0)
		return exists < 0 ? -1 : 0;
	if (pb_db_exec(aux, "BEGIN IMMEDIATE", err) != 0)
		return -1;
	if (pb_db_exec(aux, logs_table_sql, err) != 0 || pb_db_exec(aux, "COMMIT", err) != 0) {
		sqlite3_exec(aux, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

/* The migrations themselves, run inside the open transactions of both files. */
static int run_system_migrations(sqlite3 *data, sqlite3 *aux, struct pb_error *err)
{
	if (pb_db_exec(data, migrations_table_sql, err) != 0)
		return -1;

	/* 1640988000_aux_init.go */
	if (pb_db_exec(aux, logs_table_sql, err) != 0 || record_migration(data, pb_system_migrations[0], err) != 0)
		return -1;

	/* 1640988000_init.go */
	if (pb_db_exec(data, params_table_sql, err) != 0 || pb_db_exec(data, collections_table_sql, err) != 0 ||
	    pb_bootstrap_create_system_collections(data, err) != 0 ||
	    record_migration(data, pb_system_migrations[1], err) != 0)
		return -1;

	/* v0.23 upgrade steps and the auth-alert template swap: nothing to do on a fresh DB
	 * (tables already exist, ids are already checksums, _otps already has sentTo, the
	 * templates are the current ones). */
	for (int i = 2; i <= 6; i++)
		if (record_migration(data, pb_system_migrations[i], err) != 0)
			return -1;

	/* 1778828400_normalize_indexes.go */
	if (touch_users(data, err) != 0 || record_migration(data, pb_system_migrations[7], err) != 0)
		return -1;
	return 0;
}

/* Creates everything a first start creates. Returns 0 also when another process finished
 * the install first (then nothing is written). */
static int fresh_install(sqlite3 *data, sqlite3 *aux, struct pb_error *err)
{
	bool data_tx = false, aux_tx = false;

	if (pb_db_exec(data, "BEGIN IMMEDIATE", err) != 0)
		goto fail;
	data_tx = true;
	int exists = table_exists(data, "_collections", err);
	if (exists < 0)
		goto fail;
	if (exists) { /* lost a race with another process: treat as an existing directory */
		sqlite3_exec(data, "ROLLBACK", NULL, NULL, NULL);
		return ensure_logs(aux, err);
	}
	if (pb_db_exec(aux, "BEGIN IMMEDIATE", err) != 0)
		goto fail;
	aux_tx = true;

	if (run_system_migrations(data, aux, err) != 0 || insert_settings(data, err) != 0)
		goto fail;

	/* data first, then aux: the auxiliary transaction wraps the data one */
	if (pb_db_exec(data, "COMMIT", err) != 0)
		goto fail;
	data_tx = false;
	if (pb_db_exec(aux, "COMMIT", err) != 0)
		goto fail;

	/* PocketBase runs PRAGMA optimize after every record table sync. */
	sqlite3_exec(data, "PRAGMA optimize", NULL, NULL, NULL);
	return 0;

fail:
	if (data_tx)
		sqlite3_exec(data, "ROLLBACK", NULL, NULL, NULL);
	if (aux_tx)
		sqlite3_exec(aux, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

int pb_bootstrap_open_dir(const char *dir, sqlite3 **data_out, sqlite3 **aux_out, struct pb_error *err)
{
	sqlite3 *data = NULL, *aux = NULL;
	char *data_path = join_path(dir, "data.db");
	char *aux_path = join_path(dir, "auxiliary.db");
	char *temp_path = join_path(dir, ".pb_temp_to_delete");
	int rc = -1;

	*data_out = NULL;
	*aux_out = NULL;

	if (mkdir_p(dir, err) != 0)
		goto done;
	if (!(data = pb_db_open(data_path, false, err)) || !(aux = pb_db_open(aux_path, false, err)))
		goto done;

	int exists = table_exists(data, "_collections", err);
	if (exists < 0)
		goto done;
	if (exists ? ensure_logs(aux, err) != 0 : fresh_install(data, aux, err) != 0)
		goto done;

	remove_tree(temp_path);
	*data_out = data;
	*aux_out = aux;
	data = aux = NULL;
	rc = 0;

done:
	if (data)
		sqlite3_close_v2(data);
	if (aux)
		sqlite3_close_v2(aux);
	free(data_path);
	free(aux_path);
	free(temp_path);
	return rc;
}
