/* backup_restore — RestoreBackup in two halves (see backup.h): prepare (fetch, extract, check)
 * while the server still runs, and the directory swap once it has stopped, right before the
 * process re-executes itself. The moves are PocketBase's (osutils.MoveDirContent with its
 * root exclusions), so a pb_data restored by pocketc looks as PocketBase would leave it. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/app.h"
#include "core/archive.h"
#include "core/backup.h"
#include "core/dirs.h"
#include "core/random.h"
#include "core/settings.h"

static const char *const restore_exclude[] = {PB_BACKUP_DIR, PB_BACKUP_TEMP_DIR, ".autocert_cache", "lost+found"};
#define NEXCLUDE (sizeof restore_exclude / sizeof restore_exclude[0])

static char *random_child(const char *dir, const char *prefix, struct pb_error *err)
{
	char rnd[9], name[64];
	if (pb_random_string(rnd, 8, PB_ALPHABET_ALNUM) != 0) {
		pb_error_set(err, 500, "failed to generate a random name");
		return NULL;
	}
	snprintf(name, sizeof name, "%s%s", prefix, rnd);
	return pb_dirs_join(dir, name);
}

/* the extracted data.db must be a database that passes quick_check */
static int check_db(const char *dir, struct pb_error *err)
{
	char *path = pb_dirs_join(dir, "data.db");
	struct stat st;
	int rc = -1;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
		pb_error_set(err, 400, "data.db file is missing or invalid: stat %s: no such file or directory", path);
		free(path);
		return -1;
	}
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &stmt, NULL) == SQLITE_OK &&
	    sqlite3_step(stmt) == SQLITE_ROW && !strcmp((const char *)sqlite3_column_text(stmt, 0), "ok"))
		rc = 0;
	else
		pb_error_set(err, 400, "data.db file is missing or invalid: %s", db ? sqlite3_errmsg(db) : "cannot open");
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	free(path);
	return rc;
}

int pb_backup_restore_prepare(struct pb_app *app, const char *key, struct pb_error *err)
{
	const char *data_dir = app->cfg->dir;
	struct pb_settings *s = pb_settings_current();
	struct pb_backup_store st = pb_backup_store_of(data_dir, s);
	char *temp_dir = pb_dirs_join(data_dir, PB_BACKUP_TEMP_DIR), *extracted = NULL, *zip = NULL;
	bool zip_is_temp = false;
	int rc = -1;
	if (pb_dirs_mkdir_p(temp_dir, err) != 0)
		goto done;
	if (pb_backup_exists(&st, key, NULL) != 1) {
		pb_error_set(err, 400, "missing or invalid backup file \"%s\" to restore", key);
		goto done;
	}
	if (!(extracted = random_child(temp_dir, "pb_restore_", err)))
		goto done;
	if (!(zip = pb_backup_fetch(&st, key, &zip_is_temp, err)))
		goto done;
	if (pb_archive_extract(zip, extracted, err) != 0 || check_db(extracted, err) != 0)
		goto done;
	pb_backups_set_pending_restore(&app->backups, extracted);
	extracted = NULL;
	rc = 0;
done:
	if (zip && zip_is_temp)
		unlink(zip);
	if (extracted)
		pb_dirs_remove_tree(extracted);
	free(extracted);
	free(zip);
	free(temp_dir);
	if (s)
		pb_settings_unref(s);
	return rc;
}

int pb_backup_restore_swap(const char *data_dir, const char *extracted, struct pb_error *err)
{
	char *temp_dir = pb_dirs_join(data_dir, PB_BACKUP_TEMP_DIR);
	char *old = random_child(temp_dir, "old_pb_data_", err);
	int rc = -1;
	if (!old)
		goto done;
	if (pb_dirs_mkdir_p(temp_dir, err) != 0)
		goto done;
	if (pb_dirs_move_content(data_dir, old, restore_exclude, NEXCLUDE, err) != 0)
		goto done;
	if (pb_dirs_move_content(extracted, data_dir, restore_exclude, NEXCLUDE, err) != 0) {
		/* put the old content back (what was moved of the new one is rolled back already) */
		struct pb_error e2 = PB_ERROR_INIT;
		if (pb_dirs_move_content(old, data_dir, NULL, 0, &e2) != 0)
			fprintf(stderr, "Error: failed to revert the restore of %s: %s (the old data is in %s)\n", data_dir,
			        e2.message, old);
		pb_error_clear(&e2);
		goto done;
	}
	pb_dirs_remove_tree(extracted);
	rc = 0;
done:
	free(old);
	free(temp_dir);
	return rc;
}
