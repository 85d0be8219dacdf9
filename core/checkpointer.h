/* checkpointer — WAL checkpoints of data.db off the writer's critical path.
 * SQLite's automatic checkpoint runs inside the commit that crossed 1000 WAL frames: the
 * writer copies the frames into the database file and waits for two fsyncs while every
 * acknowledgement behind it waits too. Here the writer's connection has no automatic
 * checkpoint; its WAL hook (after each commit, on the writer thread) wakes a background
 * thread once PB_CKPT_FRAMES frames were added since that thread last backfilled, and that
 * thread runs a PASSIVE checkpoint on its own connection (it copies what was committed,
 * concurrently with new commits, and never blocks the writer). A WAL is rewritten from its
 * start (instead of growing) only when a write begins after every frame was backfilled,
 * which a concurrent checkpoint cannot reach under steady writes: so once the WAL holds
 * PB_CKPT_RESTART_FRAMES frames, the writer's hook runs a PASSIVE checkpoint itself, which
 * then only has the frames committed since the background one to copy. Durability is
 * SQLite's: a commit is in the WAL when it is acknowledged; checkpoints only move committed
 * pages into the database file. */
#ifndef POCKETC_CORE_CHECKPOINTER_H
#define POCKETC_CORE_CHECKPOINTER_H

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "core/error.h"

/* SQLite's default automatic checkpoint size, in frames (pages). */
#define PB_CKPT_FRAMES 1000
/* The WAL size at which the writer checkpoints itself so that the WAL can restart. */
#define PB_CKPT_RESTART_FRAMES 4000

struct pb_checkpointer {
	sqlite3 *db;        /* owned: the checkpoint connection (opened by start) */
	sqlite3 *writer_db; /* borrowed: the connection whose WAL hook is set */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t wake;
	bool pending, stopping, running; /* under mu */
	_Atomic int backfilled;          /* frames of the current WAL the last checkpoint copied */
	_Atomic unsigned long runs, writer_runs; /* checkpoints run by the thread / by the writer */
};

/* Opens a second connection to db_path (borrowed) and starts the thread, then takes over the
 * automatic checkpoints of writer_db (borrowed; must outlive pb_checkpointer_stop, and its
 * commits must all happen on one thread at a time, as the writer's do). Returns 0, or -1 with
 * err and writer_db left with SQLite's automatic checkpoint. */
int pb_checkpointer_start(struct pb_checkpointer *cp, const char *db_path, sqlite3 *writer_db, struct pb_error *err);

/* Gives writer_db SQLite's automatic checkpoint back, stops the thread and closes its
 * connection. Call when no commit runs on writer_db. No-op when not running. */
void pb_checkpointer_stop(struct pb_checkpointer *cp);

#endif
