/* writer — group commit over one write connection (see writer.h).
 *
 * A batch: BEGIN IMMEDIATE; for each job SAVEPOINT / run / (ROLLBACK TO) / RELEASE; COMMIT.
 * A job flagged PB_WRITE_ONE_CHANGE runs without its savepoint (a failing statement undoes
 * itself); if it fails with rows changed anyway, it is treated like a lost transaction.
 * Should a job's failure take the whole transaction down (SQLite rolls a transaction back by
 * itself after some I/O and "full" errors), that job fails and the batch restarts without it,
 * re-running the jobs that had succeeded before it (each job runs at most twice). If COMMIT
 * fails, every job of the batch fails: nothing of it is acknowledged. */
#include "core/writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pb_write_job {
	pb_write_fn run;
	pb_write_done_fn done;
	void *arg;
	int rc;
	int attempts;
	unsigned flags; /* PB_WRITE_* */
	struct pb_error err;
	json_t *events; /* owned array, NULL until the first event */
	struct pb_write_job *next;
};

static void fail(struct pb_write_job *j, int status, const char *msg)
{
	j->rc = -1;
	pb_error_clear(&j->err);
	pb_error_set(&j->err, status, "%s", msg);
	json_decref(j->events);
	j->events = NULL;
}

static int exec(sqlite3 *db, const char *sql) { return sqlite3_exec(db, sql, NULL, NULL, NULL); }

/* FNV-1a of the ASCII-lowercased name, folded to a bucket. */
static unsigned table_bucket(const char *table)
{
	uint64_t h = 1469598103934665603ull;
	for (; *table; table++) {
		unsigned char ch = (unsigned char)*table;
		if (ch >= 'A' && ch <= 'Z')
			ch = (unsigned char)(ch - 'A' + 'a');
		h = (h ^ ch) * 1099511628211ull;
	}
	return (unsigned)(h % PB_WRITER_TABLE_GENS);
}

/* sqlite3_update_hook of the write connection: notes the bucket of every changed row. */
static void on_row_change(void *arg, int op, const char *db_name, const char *table, sqlite3_int64 rowid)
{
	(void)op, (void)db_name, (void)rowid;
	struct pb_writer *w = arg;
	w->touched |= 1ull << table_bucket(table);
	w->hooked++;
}

/* After a batch: moves the generation of every bucket it changed. The update hook misses
 * rows deleted by the truncate optimisation and rows of WITHOUT ROWID tables; when SQLite
 * counted more changes than the hook saw, every bucket moves. */
static void publish_changes(struct pb_writer *w, sqlite3_int64 changes_before)
{
	if (sqlite3_total_changes64(w->db) - changes_before > w->hooked)
		w->touched = ~0ull;
	for (unsigned b = 0; w->touched && b < PB_WRITER_TABLE_GENS; b++)
		if (w->touched & (1ull << b))
			atomic_fetch_add_explicit(&w->table_gen[b], 1, memory_order_release);
	w->touched = 0;
	w->hooked = 0;
}

uint64_t pb_writer_table_gen(const struct pb_writer *w, const char *table)
{
	return atomic_load_explicit(&w->table_gen[table_bucket(table)], memory_order_acquire);
}

/* The transaction-control statements run for every job: prepared once, kept in the cache. */
static int exec_cached(struct pb_writer *w, const char *sql)
{
	sqlite3_stmt *st = pb_stmt_cache_get(&w->stmts, sql, strlen(sql));
	if (!st)
		return exec(w->db, sql);
	int rc = sqlite3_step(st);
	pb_stmt_cache_release(&w->stmts, st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

/* Runs one job inside its savepoint (alone = the job is the whole batch: the transaction is
 * its savepoint, the caller rolls it back when the job fails). Returns false when the
 * surrounding transaction is gone. */
static bool run_job(struct pb_writer *w, struct pb_write_job *j, bool alone)
{
	j->attempts++;
	pb_error_clear(&j->err);
	json_decref(j->events);
	j->events = NULL;
	/* a one-change job that fails has changed nothing: no savepoint to roll back to */
	bool savepoint = !alone && !(j->flags & PB_WRITE_ONE_CHANGE);
	sqlite3_int64 changes_before = sqlite3_total_changes64(w->db);
	if (savepoint && exec_cached(w, "SAVEPOINT pb_job") != SQLITE_OK) {
		fail(j, 500, "failed to start the write");
		return !sqlite3_get_autocommit(w->db);
	}
	struct pb_write_ctx ctx = {w->db, &w->stmts, &j->err, j, w};
	j->rc = j->run(&ctx, j->arg) == 0 ? 0 : -1;
	if (j->rc != 0) {
		if (!j->err.status)
			j->err.status = 400;
		json_decref(j->events);
		j->events = NULL;
	}
	if (sqlite3_get_autocommit(w->db)) {
		/* the transaction was rolled back under us */
		if (j->rc == 0)
			fail(j, 500, "the write was rolled back");
		return false;
	}
	if (alone)
		return true;
	if (!savepoint) {
		/* it broke its promise: only rolling the whole transaction back undoes its rows */
		return j->rc == 0 || sqlite3_total_changes64(w->db) == changes_before;
	}
	if (j->rc != 0)
		exec_cached(w, "ROLLBACK TO pb_job");
	exec_cached(w, "RELEASE pb_job");
	return true;
}

static void finish(struct pb_writer *w, struct pb_write_job *batch)
{
	while (batch) {
		struct pb_write_job *next = batch->next;
		if (batch->rc == 0 && batch->events && w->event_sink) {
			size_t i;
			json_t *ev;
			json_array_foreach(batch->events, i, ev)
			w->event_sink(w->event_sink_arg, ev);
		}
		batch->done(batch->arg, batch->rc, &batch->err);
		pb_error_clear(&batch->err);
		json_decref(batch->events);
		free(batch);
		batch = next;
	}
}

static void run_batch(struct pb_writer *w, struct pb_write_job *batch)
{
	/* a batch of one job needs no savepoint: rolling the transaction back undoes the same */
	bool alone = batch && !batch->next;
	sqlite3_int64 changes_before = sqlite3_total_changes64(w->db);
	w->touched = 0;
	w->hooked = 0;
	for (;;) {
		if (exec_cached(w, "BEGIN IMMEDIATE") != SQLITE_OK) {
			for (struct pb_write_job *j = batch; j; j = j->next)
				fail(j, 503, "the database is busy, try again");
			break;
		}
		bool restart = false;
		for (struct pb_write_job *j = batch; j; j = j->next) {
			if (j->rc != 0 && j->attempts > 0)
				continue; /* failed on an earlier pass */
			if (j->attempts >= 2) {
				fail(j, 500, "the write could not be completed");
				continue;
			}
			if (!run_job(w, j, alone)) {
				restart = true; /* j has failed; the transaction is gone */
				break;
			}
		}
		if (restart) {
			if (!sqlite3_get_autocommit(w->db))
				exec(w->db, "ROLLBACK");
			/* the jobs that had succeeded lost their changes with the transaction: run them
			 * again (each runs at most twice) */
			bool pending = false;
			for (struct pb_write_job *j = batch; j; j = j->next)
				if (j->rc == 0)
					pending = true;
			if (!pending)
				break;
			continue;
		}
		if (alone && batch->rc != 0) {
			exec_cached(w, "ROLLBACK");
			break;
		}
		int rc = exec_cached(w, "COMMIT");
		if (rc != SQLITE_OK) {
			exec(w->db, "ROLLBACK");
			for (struct pb_write_job *j = batch; j; j = j->next)
				if (j->rc == 0)
					fail(j, 500, "failed to commit the write");
		}
		break;
	}
	publish_changes(w, changes_before);
	size_t n = 0;
	for (struct pb_write_job *j = batch; j; j = j->next)
		n++;
	pthread_mutex_lock(&w->lock);
	w->commits++;
	w->jobs += n;
	pthread_mutex_unlock(&w->lock);
	finish(w, batch);
}

static void *writer_main(void *arg)
{
	struct pb_writer *w = arg;
	pthread_setname_np(pthread_self(), "pb-writer");
	for (;;) {
		pthread_mutex_lock(&w->lock);
		while (!w->head && !w->stopping)
			pthread_cond_wait(&w->cond, &w->lock);
		if (!w->head) {
			pthread_mutex_unlock(&w->lock);
			break;
		}
		struct pb_write_job *batch = w->head, *last = w->head;
		size_t n = 1;
		while (last->next && n < PB_WRITER_MAX_BATCH) {
			last = last->next;
			n++;
		}
		w->head = last->next;
		if (!w->head)
			w->tail = NULL;
		last->next = NULL;
		pthread_mutex_unlock(&w->lock);
		run_batch(w, batch);
	}
	return NULL;
}

int pb_writer_start(struct pb_writer *w, sqlite3 *db, struct pb_error *err)
{
	memset(w, 0, sizeof *w);
	w->db = db;
	/* generations never repeat across writer starts of one process */
	static _Atomic uint64_t starts;
	uint64_t base = (atomic_fetch_add(&starts, 1) + 1) << 40;
	for (unsigned b = 0; b < PB_WRITER_TABLE_GENS; b++)
		atomic_init(&w->table_gen[b], base);
	sqlite3_update_hook(db, on_row_change, w);
	pb_stmt_cache_init(&w->stmts, db);
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		sqlite3_update_hook(db, NULL, NULL);
		pb_stmt_cache_deinit(&w->stmts);
		return pb_error_set(err, 500, "failed to start the writer thread");
	}
	w->started = true;
	return 0;
}

void pb_writer_set_event_sink(struct pb_writer *w, pb_write_event_fn fn, void *arg)
{
	w->event_sink = fn;
	w->event_sink_arg = arg;
}

void pb_writer_submit(struct pb_writer *w, pb_write_fn run, pb_write_done_fn done, void *arg)
{
	pb_writer_submit_flags(w, run, done, arg, 0);
}

void pb_writer_submit_flags(struct pb_writer *w, pb_write_fn run, pb_write_done_fn done, void *arg, unsigned flags)
{
	struct pb_write_job *j = calloc(1, sizeof *j);
	if (!j)
		abort();
	j->flags = flags;
	j->run = run;
	j->done = done;
	j->arg = arg;
	pthread_mutex_lock(&w->lock);
	if (w->stopping || !w->started) {
		pthread_mutex_unlock(&w->lock);
		fail(j, 503, "the server is shutting down");
		done(arg, -1, &j->err);
		pb_error_clear(&j->err);
		free(j);
		return;
	}
	if (w->tail)
		w->tail->next = j;
	else
		w->head = j;
	w->tail = j;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

void pb_writer_stop(struct pb_writer *w)
{
	if (!w->started)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_mutex_lock(&w->lock);
	w->started = false;
	pthread_mutex_unlock(&w->lock);
	/* the lock and condition stay valid, so late submissions fail cleanly */
	sqlite3_update_hook(w->db, NULL, NULL);
	pb_stmt_cache_deinit(&w->stmts);
}

void pb_writer_set_event_interest(struct pb_writer *w, bool (*interested)(void *sink_arg))
{
	w->event_interest = interested;
}

bool pb_write_ctx_wants_events(const struct pb_write_ctx *ctx)
{
	const struct pb_writer *w = ctx->writer;
	if (!ctx->job || !w || !w->event_sink)
		return false;
	return !w->event_interest || w->event_interest(w->event_sink_arg);
}

void pb_write_ctx_event(struct pb_write_ctx *ctx, json_t *event)
{
	if (!event)
		return;
	if (!ctx->job) {
		json_decref(event);
		return;
	}
	if (!ctx->job->events)
		ctx->job->events = json_array();
	json_array_append_new(ctx->job->events, event);
}

int pb_writer_run_once(sqlite3 *db, pb_write_fn run, void *arg, struct pb_error *err)
{
	if (exec(db, "BEGIN IMMEDIATE") != SQLITE_OK)
		return pb_error_set(err, 503, "the database is busy, try again");
	struct pb_stmt_cache stmts;
	pb_stmt_cache_init(&stmts, db);
	struct pb_write_ctx ctx = {db, &stmts, err, NULL, NULL};
	int rc = run(&ctx, arg) == 0 ? 0 : -1;
	pb_stmt_cache_deinit(&stmts);
	if (sqlite3_get_autocommit(db))
		return rc == 0 ? pb_error_set(err, 500, "the write was rolled back") : -1;
	if (rc == 0 && exec(db, "COMMIT") == SQLITE_OK)
		return 0;
	exec(db, "ROLLBACK");
	if (rc == 0)
		pb_error_set(err, 500, "failed to commit the write");
	return -1;
}
