/* writer — the one thread that writes data.db. Every write (record create/update/delete,
 * batch, auth flows, schema changes) is a job submitted here. The writer takes every job that
 * is waiting, opens one transaction for all of them (group commit) and runs each job inside
 * its own SAVEPOINT, so a failing job is rolled back alone and never affects the others. Only
 * after COMMIT succeeded are the jobs' completions called (in submission order), so a request
 * is acknowledged only once its data is durable in the WAL; the change events the jobs
 * recorded are handed to the event sink in the same commit order. Nothing here knows about
 * HTTP: a completion runs on the writer thread and typically posts back to a worker loop. */
#ifndef POCKETC_CORE_WRITER_H
#define POCKETC_CORE_WRITER_H

#include <jansson.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/stmt_cache.h"

#define PB_WRITER_MAX_BATCH 256
/* Tables are hashed into this many change generations (see pb_writer_table_gen). */
#define PB_WRITER_TABLE_GENS 64

struct pb_writer;
struct pb_write_job;

/* What a running job sees. */
struct pb_write_ctx {
	sqlite3 *db;                 /* the write connection, inside the job's SAVEPOINT */
	struct pb_stmt_cache *stmts; /* the writer's statement cache over db */
	struct pb_error *err;        /* the job's error: fill it when returning -1 */
	struct pb_write_job *job;    /* internal */
	const struct pb_writer *writer; /* internal; NULL in pb_writer_run_once */
};

/* Runs on the writer thread inside the job's savepoint. Returns 0 to keep its changes, -1 to
 * roll them back (with ctx->err set; status 0 is reported as 400). */
typedef int (*pb_write_fn)(struct pb_write_ctx *ctx, void *arg);
/* Called on the writer thread once the outcome is final: rc 0 = committed, -1 = failed (err
 * holds the reason; the callee may steal err->data and must not keep `err`). Runs after COMMIT
 * for successful jobs. Must not block for long. */
typedef void (*pb_write_done_fn)(void *arg, int rc, struct pb_error *err);
/* Receives each committed change event (borrowed; incref to keep) in commit order. */
typedef void (*pb_write_event_fn)(void *sink_arg, json_t *event);

struct pb_writer {
	sqlite3 *db;                   /* borrowed: the write connection */
	struct pb_stmt_cache stmts;    /* owned */
	pthread_t thread;
	bool started;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct pb_write_job *head, *tail; /* owned queue, guarded by lock */
	bool stopping;
	pb_write_event_fn event_sink;  /* may be NULL */
	void *event_sink_arg;
	bool (*event_interest)(void *sink_arg); /* may be NULL: always interested */
	/* counters (guarded by lock) for diagnostics and benchmarks */
	unsigned long long commits, jobs;
	/* change generations: bucket (hash of a table name) → bumped once after every batch that
	 * changed a row of a table of that bucket (committed or not); read by any thread */
	_Atomic uint64_t table_gen[PB_WRITER_TABLE_GENS];
	uint64_t touched;              /* writer thread: buckets changed by the running batch */
	sqlite3_int64 hooked;          /* writer thread: rows the update hook saw in the batch */
};

/* Starts the writer thread over `db` (borrowed; used only by the writer from now on).
 * Returns 0 or -1 with err set. */
int pb_writer_start(struct pb_writer *w, sqlite3 *db, struct pb_error *err);
/* Sets where committed change events go (call before submitting jobs). */
void pb_writer_set_event_sink(struct pb_writer *w, pb_write_event_fn fn, void *arg);
/* Sets how the writer asks the sink whether anyone would receive an event right now (any
 * thread may be asked; an answer may be stale by the time of the commit, as a subscription
 * racing a write is either way). */
void pb_writer_set_event_interest(struct pb_writer *w, bool (*interested)(void *sink_arg));
/* Queues a job (any thread). `run` and `done` are required; `arg` is passed to both. After
 * pb_writer_stop has begun, the job fails at once with status 503. */
void pb_writer_submit(struct pb_writer *w, pb_write_fn run, pb_write_done_fn done, void *arg);

/* Job flags. PB_WRITE_ONE_CHANGE: the job changes the database with at most one statement
 * and cannot fail after that statement succeeded, so a failing job has changed nothing (a
 * failing statement is undone by SQLite itself) and it needs no savepoint of its own. Should
 * a flagged job fail with rows changed all the same, the batch restarts without it, as after
 * a lost transaction. */
#define PB_WRITE_ONE_CHANGE 1u
/* pb_writer_submit with flags. */
void pb_writer_submit_flags(struct pb_writer *w, pb_write_fn run, pb_write_done_fn done, void *arg,
                            unsigned flags);
/* Runs every queued job, then stops the thread. Later submissions fail with 503. */
void pb_writer_stop(struct pb_writer *w);

/* Whether change events of the running job would reach anyone: false without a sink (and in
 * pb_writer_run_once) or when the sink's interest function says nobody listens, so a job may
 * skip building them. */
bool pb_write_ctx_wants_events(const struct pb_write_ctx *ctx);
/* Records a change event of the running job (steals `event`); it reaches the event sink only
 * if the job's changes are committed. */
void pb_write_ctx_event(struct pb_write_ctx *ctx, json_t *event);

/* The change generation of table `table` (case-insensitive name): it moves after every
 * batch of the writer that inserted, updated or deleted a row of that table (and sometimes
 * after batches that changed other tables: names share buckets), once that batch is over and
 * before any of its jobs is acknowledged. A reader that took the generation before reading
 * rows of the table may reuse what it read while the generation stays the same. Changes made
 * by other connections (another process) do not move it. Any thread. */
uint64_t pb_writer_table_gen(const struct pb_writer *w, const char *table);

/* Runs `run` synchronously on the calling thread's connection `db` inside a transaction, with
 * the same contract (for CLI commands and tests that have no writer thread). Returns rc. */
int pb_writer_run_once(sqlite3 *db, pb_write_fn run, void *arg, struct pb_error *err);

#endif
