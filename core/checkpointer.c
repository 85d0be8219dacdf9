/* checkpointer — see checkpointer.h. */
#include "core/checkpointer.h"

#include <string.h>

#include "core/db.h"

/* The WAL hook of the writer's connection: runs on the writer thread after every commit with
 * the WAL's size in frames (SQLite's own automatic checkpoint is this hook, replaced here). */
static int on_commit(void *arg, sqlite3 *db, const char *name, int frames)
{
	struct pb_checkpointer *cp = arg;
	int backfilled = atomic_load(&cp->backfilled);
	if (frames < backfilled) { /* the WAL was restarted: nothing of it is backfilled yet */
		backfilled = 0;
		atomic_store(&cp->backfilled, 0);
	}
	if (frames >= PB_CKPT_RESTART_FRAMES) {
		/* so that the next write can restart the WAL: whatever the thread has not copied yet
		 * (SQLITE_BUSY while the thread checkpoints: the next commit tries again) */
		int log = 0, done = 0;
		if (sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, &log, &done) == SQLITE_OK) {
			atomic_store(&cp->backfilled, done);
			atomic_fetch_add(&cp->writer_runs, 1);
		}
		return SQLITE_OK;
	}
	if (frames - backfilled >= PB_CKPT_FRAMES) {
		pthread_mutex_lock(&cp->mu);
		if (!cp->pending) {
			cp->pending = true;
			pthread_cond_signal(&cp->wake);
		}
		pthread_mutex_unlock(&cp->mu);
	}
	return SQLITE_OK;
}

static void *checkpoint_main(void *arg)
{
	struct pb_checkpointer *cp = arg;
	pthread_setname_np(pthread_self(), "pb-checkpoint");
	pthread_mutex_lock(&cp->mu);
	while (!cp->stopping) {
		if (!cp->pending) {
			pthread_cond_wait(&cp->wake, &cp->mu);
			continue;
		}
		cp->pending = false;
		pthread_mutex_unlock(&cp->mu);
		int log = 0, done = 0;
		/* PASSIVE: copies the frames committed so far without waiting for (or blocking) the
		 * writer or any reader; SQLITE_BUSY when the writer is checkpointing itself */
		if (sqlite3_wal_checkpoint_v2(cp->db, "main", SQLITE_CHECKPOINT_PASSIVE, &log, &done) == SQLITE_OK) {
			atomic_store(&cp->backfilled, done);
			atomic_fetch_add(&cp->runs, 1);
		}
		pthread_mutex_lock(&cp->mu);
	}
	pthread_mutex_unlock(&cp->mu);
	return NULL;
}

int pb_checkpointer_start(struct pb_checkpointer *cp, const char *db_path, sqlite3 *writer_db, struct pb_error *err)
{
	memset(cp, 0, sizeof *cp);
	cp->db = pb_db_open(db_path, false, err);
	if (!cp->db)
		return -1;
	sqlite3_wal_autocheckpoint(cp->db, 0); /* it never commits; explicit nonetheless */
	cp->writer_db = writer_db;
	pthread_mutex_init(&cp->mu, NULL);
	pthread_cond_init(&cp->wake, NULL);
	if (pthread_create(&cp->thread, NULL, checkpoint_main, cp) != 0) {
		pthread_cond_destroy(&cp->wake);
		pthread_mutex_destroy(&cp->mu);
		sqlite3_close_v2(cp->db);
		memset(cp, 0, sizeof *cp);
		return pb_error_set(err, 500, "failed to start the checkpoint thread");
	}
	cp->running = true;
	sqlite3_wal_hook(writer_db, on_commit, cp); /* replaces the automatic checkpoint */
	return 0;
}

void pb_checkpointer_stop(struct pb_checkpointer *cp)
{
	if (!cp->running)
		return;
	sqlite3_wal_autocheckpoint(cp->writer_db, PB_CKPT_FRAMES); /* SQLite's hook again */
	pthread_mutex_lock(&cp->mu);
	cp->stopping = true;
	pthread_cond_signal(&cp->wake);
	pthread_mutex_unlock(&cp->mu);
	pthread_join(cp->thread, NULL);
	pthread_cond_destroy(&cp->wake);
	pthread_mutex_destroy(&cp->mu);
	sqlite3_close_v2(cp->db);
	memset(cp, 0, sizeof *cp);
}
