/* test_writer — group commit (core/writer.c): every job runs in its own savepoint, failing
 * jobs are rolled back alone, completions come only after COMMIT (a second connection sees
 * the row inside the completion), change events reach the sink in commit order; one-change
 * jobs skip their savepoint with the same outcomes. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/db.h"
#include "core/writer.h"
#include "tests/unit/test.h"

#define THREADS 4
#define PER_THREAD 200

static char db_path[256];
static atomic_int done_ok, done_failed, visible_at_ack;
static pthread_mutex_t ev_lock = PTHREAD_MUTEX_INITIALIZER;
static json_t *events;

struct job {
	int n;        /* value inserted */
	bool fail;    /* insert, then fail (must be rolled back) */
};

static int run(struct pb_write_ctx *ctx, void *arg)
{
	struct job *j = arg;
	sqlite3_stmt *st = pb_stmt_cache_get(ctx->stmts, "INSERT INTO t (n) VALUES (?1)", 29);
	sqlite3_bind_int(st, 1, j->n);
	int rc = sqlite3_step(st);
	pb_stmt_cache_release(ctx->stmts, st);
	if (rc != SQLITE_DONE)
		return pb_error_set(ctx->err, 500, "insert failed");
	if (j->fail)
		return pb_error_set(ctx->err, 400, "job %d fails on purpose", j->n);
	pb_write_ctx_event(ctx, json_integer(j->n));
	return 0;
}

static void done(void *arg, int rc, struct pb_error *err)
{
	struct job *j = arg;
	if (rc == 0) {
		/* acknowledged only after commit: an independent connection must see the row */
		sqlite3 *db = NULL;
		sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL);
		sqlite3_stmt *st = NULL;
		sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM t WHERE n = ?1", -1, &st, NULL);
		sqlite3_bind_int(st, 1, j->n);
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 1)
			atomic_fetch_add(&visible_at_ack, 1);
		sqlite3_finalize(st);
		sqlite3_close(db);
		atomic_fetch_add(&done_ok, 1);
	} else {
		if (err->status == 400 && strstr(err->message, "on purpose"))
			atomic_fetch_add(&done_failed, 1);
	}
	free(j);
}

static void sink(void *arg, json_t *ev)
{
	(void)arg;
	pthread_mutex_lock(&ev_lock);
	json_array_append(events, ev);
	pthread_mutex_unlock(&ev_lock);
}

static struct pb_writer writer;

static void *producer(void *arg)
{
	int base = (int)(long)arg * PER_THREAD;
	for (int i = 0; i < PER_THREAD; i++) {
		struct job *j = malloc(sizeof *j);
		j->n = base + i;
		j->fail = (i % 10) == 3;
		pb_writer_submit(&writer, run, done, j);
	}
	return NULL;
}

static int count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_finalize(st);
	return n;
}

static int failing_run(struct pb_write_ctx *ctx, void *arg)
{
	(void)arg;
	return pb_error_set(ctx->err, 0, "no status given");
}

/* ---- one-change jobs (PB_WRITE_ONE_CHANGE): no savepoint each, same outcomes ------------ */

static atomic_int blocker_started, blocker_release, savepoints;
static int flagged_rc[8];

static int blocker_run(struct pb_write_ctx *ctx, void *arg)
{
	(void)ctx, (void)arg;
	atomic_store(&blocker_started, 1);
	while (!atomic_load(&blocker_release))
		usleep(1000);
	return 0;
}

static void blocker_done(void *arg, int rc, struct pb_error *err) { (void)arg, (void)rc, (void)err; }

static void flagged_done(void *arg, int rc, struct pb_error *err)
{
	struct job *j = arg;
	(void)err;
	flagged_rc[j->n - 200000] = rc;
	free(j);
}

static int count_savepoints(unsigned type, void *ctx, void *p, void *x)
{
	(void)type, (void)ctx, (void)x;
	if (!strncmp(sqlite3_sql((sqlite3_stmt *)p), "SAVEPOINT", 9))
		atomic_fetch_add(&savepoints, 1);
	return 0;
}

/* One batch of flagged jobs (a blocker holds the writer until all are queued): good ones
 * commit; one whose INSERT fails (a duplicate key) changed nothing; one that breaks its
 * promise (inserts, then fails) is undone by restarting the batch, whose other jobs then
 * commit all the same. No SAVEPOINT statement runs. */
static void test_one_change_jobs(sqlite3 *db)
{
	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_db_exec(db, "INSERT INTO t (n) VALUES (200002)", &err) == 0);
	atomic_store(&savepoints, 0);
	sqlite3_trace_v2(db, SQLITE_TRACE_STMT, count_savepoints, NULL);
	pb_writer_submit(&writer, blocker_run, blocker_done, NULL);
	for (int w = 0; w < 5000 && !atomic_load(&blocker_started); w++)
		usleep(1000); /* the blocker is a batch of its own: the others queue behind it */
	for (int k = 0; k < 8; k++) {
		struct job *j = malloc(sizeof *j);
		j->n = 200000 + k;
		j->fail = k == 5; /* inserts, then fails: the broken promise */
		flagged_rc[k] = 1;
		pb_writer_submit_flags(&writer, run, flagged_done, j, PB_WRITE_ONE_CHANGE);
	}
	atomic_store(&blocker_release, 1);
	for (int w = 0; w < 5000; w++) {
		bool all = true;
		for (int k = 0; k < 8; k++)
			all = all && flagged_rc[k] != 1;
		if (all)
			break;
		usleep(1000);
	}
	sqlite3_trace_v2(db, 0, NULL, NULL);
	for (int k = 0; k < 8; k++)
		CHECK(flagged_rc[k] == (k == 2 || k == 5 ? -1 : 0));
	CHECK(count(db, "SELECT COUNT(*) FROM t WHERE n BETWEEN 200000 AND 200007") == 7); /* all but 5; 2 was there */
	CHECK(count(db, "SELECT COUNT(*) FROM t WHERE n = 200005") == 0);
	CHECK(atomic_load(&savepoints) == 0);
	CHECK(pb_db_exec(db, "DELETE FROM t WHERE n >= 200000", &err) == 0);
}

/* ---- event interest: a job can tell whether its events would reach anyone ---------------- */

static bool listening;
static atomic_int wants_seen = -1;

static bool interest(void *arg)
{
	(void)arg;
	return listening;
}

static int wants_run(struct pb_write_ctx *ctx, void *arg)
{
	(void)arg;
	atomic_store(&wants_seen, pb_write_ctx_wants_events(ctx) ? 1 : 0);
	return 0;
}

/* Submits a job that notes pb_write_ctx_wants_events and waits for its answer. */
static int wants_now(void)
{
	atomic_store(&wants_seen, -1);
	pb_writer_submit(&writer, wants_run, blocker_done, NULL);
	for (int w = 0; w < 5000 && atomic_load(&wants_seen) < 0; w++)
		usleep(1000);
	return atomic_load(&wants_seen);
}

static void test_event_interest(void)
{
	CHECK(wants_now() == 1); /* a sink without an interest function always listens */
	pb_writer_set_event_interest(&writer, interest);
	listening = false;
	CHECK(wants_now() == 0);
	listening = true;
	CHECK(wants_now() == 1);
	pb_writer_set_event_interest(&writer, NULL);
}

static int status_seen;
static void status_done(void *arg, int rc, struct pb_error *err)
{
	(void)arg;
	status_seen = rc == -1 ? err->status : 0;
}

int main(void)
{
	char dir[] = "/tmp/pocketc-writer-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	snprintf(db_path, sizeof db_path, "%s/data.db", dir);
	struct pb_error err = PB_ERROR_INIT;
	sqlite3 *db = pb_db_open(db_path, false, &err);
	CHECK(db != NULL);
	CHECK(pb_db_exec(db, "CREATE TABLE t (n INTEGER PRIMARY KEY)", &err) == 0);
	events = json_array();
	CHECK(pb_writer_start(&writer, db, &err) == 0);
	pb_writer_set_event_sink(&writer, sink, NULL);

	/* a job alone in its batch (the writer is idle between these): no savepoint, the same
	 * outcome — a failing one leaves nothing behind, a good one is committed */
	for (int k = 0; k < 2; k++) {
		struct job *alone = malloc(sizeof *alone);
		alone->n = 90000 + k;
		alone->fail = k == 0;
		int before_ok = atomic_load(&done_ok), before_failed = atomic_load(&done_failed);
		pb_writer_submit(&writer, run, done, alone);
		for (int w = 0; w < 2000 && atomic_load(&done_ok) == before_ok && atomic_load(&done_failed) == before_failed; w++)
			usleep(1000);
	}
	CHECK(atomic_load(&done_ok) == 1 && atomic_load(&done_failed) == 1);
	CHECK(count(db, "SELECT COUNT(*) FROM t WHERE n = 90000") == 0);
	CHECK(count(db, "SELECT COUNT(*) FROM t WHERE n = 90001") == 1);
	CHECK(pb_db_exec(db, "DELETE FROM t WHERE n >= 90000", &err) == 0);
	test_one_change_jobs(db); /* the writer is idle here too */
	test_event_interest();
	atomic_store(&done_ok, 0);
	atomic_store(&done_failed, 0);
	atomic_store(&visible_at_ack, 0);
	json_array_clear(events);
	unsigned long long jobs_before = writer.jobs;

	pthread_t th[THREADS];
	for (long i = 0; i < THREADS; i++)
		pthread_create(&th[i], NULL, producer, (void *)i);
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	/* a job without a status is reported as 400 */
	pb_writer_submit(&writer, failing_run, status_done, NULL);
	pb_writer_stop(&writer);

	int total = THREADS * PER_THREAD, failing = THREADS * (PER_THREAD / 10);
	CHECK(atomic_load(&done_ok) == total - failing);
	CHECK(atomic_load(&done_failed) == failing);
	CHECK(atomic_load(&visible_at_ack) == total - failing);
	CHECK(count(db, "SELECT COUNT(*) FROM t") == total - failing);
	CHECK(count(db, "SELECT COUNT(*) FROM t WHERE n % 200 % 10 = 3") == 0);
	CHECK(status_seen == 400);
	CHECK(writer.jobs - jobs_before == (unsigned long long)total + 1);
	CHECK(writer.commits >= 1 && writer.commits <= writer.jobs);

	/* events: one per committed job; within each producer in submission order */
	CHECK(json_array_size(events) == (size_t)(total - failing));
	int last[THREADS];
	for (int i = 0; i < THREADS; i++)
		last[i] = -1;
	bool ordered = true;
	size_t i;
	json_t *ev;
	json_array_foreach(events, i, ev)
	{
		int n = (int)json_integer_value(ev), t = n / PER_THREAD;
		if (n <= last[t])
			ordered = false;
		last[t] = n;
	}
	CHECK(ordered);

	/* after stop, submissions fail at once with 503 */
	pb_writer_submit(&writer, failing_run, status_done, NULL);
	CHECK(status_seen == 503);

	/* synchronous variant */
	struct job *j = malloc(sizeof *j);
	j->n = 100000;
	j->fail = false;
	CHECK(pb_writer_run_once(db, run, j, &err) == 0);
	j->n = 100001;
	j->fail = true;
	CHECK(pb_writer_run_once(db, run, j, &err) == -1);
	pb_error_clear(&err);
	free(j);
	CHECK(count(db, "SELECT COUNT(*) FROM t WHERE n >= 100000") == 1);
	/* the synchronous variant has no event sink */
	atomic_store(&wants_seen, -1);
	CHECK(pb_writer_run_once(db, wants_run, NULL, &err) == 0);
	CHECK(atomic_load(&wants_seen) == 0);

	json_decref(events);
	sqlite3_close_v2(db);
	CHECK(test_remove_dir(dir));
	TEST_DONE();
}
