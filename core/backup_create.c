/* backup_create — CreateBackup with a consistent snapshot taken while the server keeps
 * serving (see backup.h for the approach). The stage directory under .pb_temp_to_delete gets:
 * data.db (SQLite online backup of a read transaction opened inside a writer job), storage/
 * (hard links made in that same job), auxiliary.db (online backup), and the other root
 * entries of pb_data (linked); it is then zipped like tools/archive and moved to the store. */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/app.h"
#include "core/archive.h"
#include "core/backup.h"
#include "core/db.h"
#include "core/dirs.h"
#include "core/random.h"
#include "core/settings.h"
#include "core/storage.h"

/* root entries never copied from the live pb_data: the excluded ones, and what the snapshot
 * provides itself */
static const char *const excluded_root[] = {
	PB_BACKUP_DIR, PB_BACKUP_TEMP_DIR, ".notify", ".autocert_cache", "lost+found",
	"data.db", "data.db-wal", "data.db-shm", "data.db-journal",
	"auxiliary.db", "auxiliary.db-wal", "auxiliary.db-shm", "auxiliary.db-journal", "storage",
};

struct pin {
	sqlite3 *src;          /* the backup's own read connection of data.db */
	const char *storage;   /* live storage dir */
	const char *stage;     /* where storage/ is cloned */
	int rc;
	struct pb_error err;
	bool pinned;           /* the job ran once: a re-run keeps that moment */
	bool done;
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

/* the consistent moment: no commit can happen while this runs on the writer */
static int pin_now(struct pin *p)
{
	if (sqlite3_exec(p->src, "BEGIN; SELECT count(*) FROM sqlite_master", NULL, NULL, NULL) != SQLITE_OK)
		return pb_error_set(&p->err, 500, "failed to open the snapshot: %s", sqlite3_errmsg(p->src));
	char *dest = pb_dirs_join(p->stage, "storage");
	int rc = pb_dirs_clone_tree(p->storage, dest, &p->err);
	free(dest);
	return rc;
}

static int pin_job(struct pb_write_ctx *ctx, void *arg)
{
	(void)ctx;
	struct pin *p = arg;
	/* the writer runs a job again when a later job of its batch broke the transaction; nothing
	 * was committed in between, so the first moment is still the right one */
	if (!p->pinned) {
		p->pinned = true;
		p->rc = pin_now(p);
	}
	return 0; /* the job itself changes nothing */
}

static void pin_done(void *arg, int rc, struct pb_error *err)
{
	struct pin *p = arg;
	pthread_mutex_lock(&p->lock);
	if (rc != 0 && p->rc == 0) {
		p->rc = -1;
		pb_error_set(&p->err, err && err->status ? err->status : 500, "%s",
		             err && err->message[0] ? err->message : "the snapshot job failed");
	}
	p->done = true;
	pthread_cond_signal(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

/* copies the database `src` (its current read transaction, or a new one) into dest_path */
static int copy_db(sqlite3 *src, const char *dest_path, struct pb_error *err)
{
	sqlite3 *dest = NULL;
	if (sqlite3_open_v2(dest_path, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		pb_error_set(err, 500, "failed to create %s: %s", dest_path, dest ? sqlite3_errmsg(dest) : "out of memory");
		sqlite3_close(dest);
		return -1;
	}
	sqlite3_backup *b = sqlite3_backup_init(dest, "main", src, "main");
	int rc = -1;
	if (!b) {
		pb_error_set(err, 500, "failed to start the database copy: %s", sqlite3_errmsg(dest));
	} else {
		int step = sqlite3_backup_step(b, -1); /* all pages in one step: one read snapshot */
		int fin = sqlite3_backup_finish(b);
		if (step != SQLITE_DONE || fin != SQLITE_OK)
			pb_error_set(err, 500, "failed to copy the database: %s", sqlite3_errstr(step != SQLITE_DONE ? step : fin));
		else
			rc = 0;
	}
	if (sqlite3_close(dest) != SQLITE_OK && rc == 0)
		rc = pb_error_set(err, 500, "failed to close the database copy");
	return rc;
}

static bool excluded(const char *name)
{
	for (size_t i = 0; i < sizeof excluded_root / sizeof excluded_root[0]; i++)
		if (!strcmp(name, excluded_root[i]))
			return true;
	return false;
}

/* links (or copies) the remaining root entries of pb_data into the stage */
static int stage_others(const char *data_dir, const char *stage, struct pb_error *err)
{
	struct stat st;
	int rc = 0;
	struct dirent **entries = NULL;
	int n = scandir(data_dir, &entries, NULL, NULL);
	for (int i = 0; i < n; i++) {
		const char *name = entries[i]->d_name;
		if (rc == 0 && strcmp(name, ".") && strcmp(name, "..") && !excluded(name)) {
			char *from = pb_dirs_join(data_dir, name);
			char *to = pb_dirs_join(stage, name);
			if (lstat(from, &st) == 0) {
				if (S_ISDIR(st.st_mode))
					rc = pb_dirs_clone_tree(from, to, err);
				else if (S_ISREG(st.st_mode) && link(from, to) != 0)
					rc = pb_dirs_copy_file(from, to, err);
			}
			free(from);
			free(to);
		}
		free(entries[i]);
	}
	free(entries);
	return rc;
}

/* fills the stage with the consistent copy */
static int snapshot(struct pb_app *app, const char *data_dir, const char *stage, struct pb_error *err)
{
	struct pin p = {.storage = app->storage_dir, .stage = stage};
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.cond, NULL);
	int rc = -1;
	sqlite3 *aux = NULL;
	char *data_copy = pb_dirs_join(stage, "data.db");
	char *aux_copy = pb_dirs_join(stage, "auxiliary.db");
	if (!(p.src = pb_db_open(app->data_db_path, true, err)))
		goto done;
	if (app->writer.started) {
		pb_writer_submit(&app->writer, pin_job, pin_done, &p);
		pthread_mutex_lock(&p.lock);
		while (!p.done)
			pthread_cond_wait(&p.cond, &p.lock);
		pthread_mutex_unlock(&p.lock);
	} else {
		p.rc = pin_now(&p); /* no writer thread: nothing writes concurrently */
	}
	if (p.rc != 0) {
		*err = p.err;
		p.err.data = NULL;
		goto done;
	}
	/* writers go on from here; the read transaction keeps seeing the pinned moment */
	if (copy_db(p.src, data_copy, err) != 0)
		goto done;
	sqlite3_exec(p.src, "COMMIT", NULL, NULL, NULL);
	if (!(aux = pb_db_open(app->aux_db_path, true, err)) || copy_db(aux, aux_copy, err) != 0)
		goto done;
	rc = stage_others(data_dir, stage, err);
done:
	if (p.src)
		sqlite3_close_v2(p.src);
	if (aux)
		sqlite3_close_v2(aux);
	pb_error_clear(&p.err);
	pthread_mutex_destroy(&p.lock);
	pthread_cond_destroy(&p.cond);
	free(data_copy);
	free(aux_copy);
	return rc;
}

int pb_backup_create_marked(struct pb_app *app, const char *name, struct pb_error *err)
{
	const char *data_dir = app->cfg->dir;
	struct pb_settings *s = pb_settings_current();
	char generated[512];
	if (!name || !*name) {
		pb_backup_generate_name(s ? s->meta.app_name : "", PB_BACKUP_DEFAULT_PREFIX, (int64_t)time(NULL), generated,
		                        sizeof generated);
		name = generated;
	}
	char rnd[7], base[64];
	char *temp_dir = pb_dirs_join(data_dir, PB_BACKUP_TEMP_DIR), *stage = NULL, *zip = NULL;
	int rc = -1;
	if (pb_dirs_mkdir_p(temp_dir, err) != 0)
		goto done;
	if (pb_random_string(rnd, 6, PB_ALPHABET_ALNUM) != 0) {
		pb_error_set(err, 500, "failed to generate a random name");
		goto done;
	}
	snprintf(base, sizeof base, "pb_backup_%s", rnd);
	stage = pb_dirs_join(temp_dir, base);
	snprintf(base, sizeof base, "pb_backup_%s.zip", rnd);
	zip = pb_dirs_join(temp_dir, base);
	if (pb_dirs_mkdir_p(stage, err) != 0)
		goto done;
	if (snapshot(app, data_dir, stage, err) != 0 || pb_archive_create(stage, zip, NULL, 0, err) != 0)
		goto done;
	pb_dirs_remove_tree(stage);
	struct pb_backup_store st = pb_backup_store_of(data_dir, s);
	rc = pb_backup_store_file(&st, zip, name, err);
done:
	if (stage)
		pb_dirs_remove_tree(stage);
	if (zip)
		unlink(zip);
	free(stage);
	free(zip);
	free(temp_dir);
	if (s)
		pb_settings_unref(s);
	return rc;
}

int pb_backup_create(struct pb_app *app, const char *name, struct pb_error *err)
{
	if (!pb_backups_begin(&app->backups, name))
		return pb_error_set(err, 400, PB_BACKUP_MSG_BUSY);
	int rc = pb_backup_create_marked(app, name, err);
	pb_backups_end(&app->backups);
	return rc;
}
