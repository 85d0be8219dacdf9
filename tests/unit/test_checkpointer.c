/* test_checkpointer — core/checkpointer on a real WAL database in a scratch directory: under
 * a stream of commits the background thread checkpoints, the writer's own checkpoint lets
 * the WAL restart (its size in frames stays bounded instead of growing with the commits),
 * every committed row is there for another connection and the file passes integrity_check;
 * after stop a connection has SQLite's automatic checkpoint again (the WAL restarts near
 * 1000 frames without the thread). WAL sizes are read off the file, which a checkpoint
 * from the test would disturb. */
#include "core/checkpointer.h"
#include "core/db.h"
#include "test.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static sqlite3 *open_db(const char *path)
{
	struct pb_error err = PB_ERROR_INIT;
	sqlite3 *db = pb_db_open(path, false, &err);
	if (!db)
		fprintf(stderr, "open: %s\n", err.message);
	pb_error_clear(&err);
	return db;
}

/* One commit of a row of about 3 KB (one or two WAL frames). */
static int commit_row(sqlite3 *db, int i)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "INSERT INTO t (i, pad) VALUES (?1, zeroblob(3000))", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int(st, 1, i);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The most frames the WAL ever held since it was created: its file's size (a restarted WAL
 * is rewritten from its start; the file never shrinks while connections are open). Asking
 * SQLite instead (a checkpoint from another connection) would checkpoint it. */
static int wal_file_frames(const char *path)
{
	char wal[300];
	snprintf(wal, sizeof wal, "%s-wal", path);
	struct stat sb;
	if (stat(wal, &sb) != 0)
		return -1;
	return (int)(sb.st_size / (4096 + 24));
}

static long long count_rows(const char *path)
{
	sqlite3 *db = open_db(path);
	sqlite3_stmt *st = NULL;
	long long n = -1;
	if (db && sqlite3_prepare_v2(db, "SELECT count(*) FROM t", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close_v2(db);
	return n;
}

int main(void)
{
	char dir[] = "/tmp/pocketc_ckpt_XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char path[256];
	snprintf(path, sizeof path, "%s/data.db", dir);
	sqlite3 *w = open_db(path);
	CHECK(w != NULL);
	if (!w)
		TEST_DONE();
	CHECK(sqlite3_exec(w, "CREATE TABLE t (i INTEGER PRIMARY KEY, pad BLOB)", NULL, NULL, NULL) == SQLITE_OK);

	struct pb_checkpointer cp;
	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_checkpointer_start(&cp, path, w, &err) == 0);
	int failed = 0;
	for (int i = 1; i <= 8000; i++)
		failed += commit_row(w, i) != 0;
	CHECK(failed == 0);
	for (int i = 0; i < 500 && atomic_load(&cp.runs) == 0; i++)
		usleep(10000);
	CHECK(atomic_load(&cp.runs) > 0);        /* the thread checkpointed */
	CHECK(atomic_load(&cp.writer_runs) > 0); /* and the writer, for the restarts */
	/* 8000 commits wrote over 8000 frames: only restarts keep the WAL near its bound (past it
	 * by what the writer commits while the thread's checkpoint keeps its own from running) */
	int frames = wal_file_frames(path);
	if (!(frames > PB_CKPT_FRAMES && frames < PB_CKPT_RESTART_FRAMES + 2000))
		fprintf(stderr, "WAL file frames: %d\n", frames);
	CHECK(frames > PB_CKPT_FRAMES && frames < PB_CKPT_RESTART_FRAMES + 2000);
	CHECK(count_rows(path) == 8000);
	pb_checkpointer_stop(&cp);
	CHECK(cp.running == false);

	/* SQLite's automatic checkpoint again: on a new database whose commits the checkpointer
	 * saw never, its WAL restarts near 1000 frames on its own */
	char path2[256];
	snprintf(path2, sizeof path2, "%s/other.db", dir);
	sqlite3 *w2 = open_db(path2);
	CHECK(w2 != NULL && sqlite3_exec(w2, "CREATE TABLE t (i INTEGER PRIMARY KEY, pad BLOB)", NULL, NULL, NULL) == 0);
	CHECK(pb_checkpointer_start(&cp, path2, w2, &err) == 0);
	pb_checkpointer_stop(&cp);
	for (int i = 1; i <= 3000; i++)
		failed += commit_row(w2, i) != 0;
	CHECK(failed == 0);
	frames = wal_file_frames(path2);
	CHECK(frames > 0 && frames < PB_CKPT_FRAMES + 1000);
	CHECK(count_rows(path2) == 3000);
	sqlite3_close_v2(w2);
	for (int i = 8001; i <= 9000; i++)
		failed += commit_row(w, i) != 0;
	CHECK(failed == 0);
	CHECK(count_rows(path) == 9000);
	sqlite3_stmt *st = NULL;
	CHECK(sqlite3_prepare_v2(w, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK);
	CHECK(sqlite3_step(st) == SQLITE_ROW);
	CHECK_STR((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	pb_checkpointer_stop(&cp); /* no-op when stopped */
	sqlite3_close_v2(w);
	CHECK(test_remove_dir(dir));
	TEST_DONE();
}
