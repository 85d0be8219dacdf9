/* logs_test_util — shared helpers of the logs tests: a temp directory holding either a copy
 * of the fixture's auxiliary.db (never the shared file) or a freshly bootstrapped pb_data,
 * PocketBase's StubLogsData rows (tests/dynamic_stubs.go), and small SQLite queries. */
#ifndef POCKETC_TESTS_UNIT_LOGS_TEST_UTIL_H
#define POCKETC_TESTS_UNIT_LOGS_TEST_UTIL_H

#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/bootstrap.h"

struct ltu {
	char dir[256];
	char aux_path[300];
};

/* Fresh pb_data (fixture == 0) or a copy of $POCKETC_FIXTURE/auxiliary.db. Returns 0/-1. */
static int ltu_setup(struct ltu *t, int fixture)
{
	snprintf(t->dir, sizeof t->dir, "/tmp/pocketc_logs_XXXXXX");
	if (!mkdtemp(t->dir))
		return -1;
	snprintf(t->aux_path, sizeof t->aux_path, "%s/auxiliary.db", t->dir);
	if (!fixture) {
		sqlite3 *data = NULL, *aux = NULL;
		struct pb_error err = PB_ERROR_INIT;
		int rc = pb_bootstrap_open_dir(t->dir, &data, &aux, &err);
		pb_error_clear(&err);
		sqlite3_close_v2(data);
		sqlite3_close_v2(aux);
		return rc;
	}
	const char *fx = getenv("POCKETC_FIXTURE");
	if (!fx)
		fx = "../../shared/fixtures/pb-testdata";
	char src[512];
	snprintf(src, sizeof src, "%s/auxiliary.db", fx);
	FILE *in = fopen(src, "rb"), *out = fopen(t->aux_path, "wb");
	char buf[65536];
	size_t n;
	while (in && out && (n = fread(buf, 1, sizeof buf, in)) > 0)
		fwrite(buf, 1, n, out);
	int ok = in && out;
	if (in)
		fclose(in);
	if (out)
		fclose(out);
	return ok ? 0 : -1;
}

static void ltu_cleanup(struct ltu *t)
{
	DIR *d = opendir(t->dir);
	struct dirent *e;
	char p[600];
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
			continue;
		snprintf(p, sizeof p, "%s/%s", t->dir, e->d_name);
		if (unlink(p) != 0) { /* pb_data subdirectories (storage, backups) are empty */
			rmdir(p);
		}
	}
	if (d)
		closedir(d);
	rmdir(t->dir);
}

static sqlite3 *ltu_open(struct ltu *t)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(t->aux_path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 5000);
	return db;
}

/* The first column of the first row of `sql` as a malloc'd string ("" for NULL, NULL when
 * there is no row). */
__attribute__((unused)) static char *ltu_text(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	char *out = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 0);
		out = strdup(s ? s : "");
	}
	sqlite3_finalize(st);
	return out;
}

__attribute__((unused)) static long long ltu_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	long long v = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* tests.StubLogsData: two rows (the fixture's table also has the legacy `updated` column). */
static int ltu_stub_logs(sqlite3 *db)
{
	return sqlite3_exec(db,
	                    "DELETE FROM _logs;"
	                    "INSERT INTO _logs (id, level, message, data, created) VALUES"
	                    " ('873f2133-9f38-44fb-bf82-c8f53b310d91', 0, 'test_message1', '{\"status\":200}',"
	                    "  '2022-05-01 10:00:00.123Z'),"
	                    " ('f2133873-44fb-9f38-bf82-c918f53b310d', 8, 'test_message2', '{\"status\":400}',"
	                    "  '2022-05-02 10:00:00.123Z');",
	                    NULL, NULL, NULL) == SQLITE_OK
	           ? 0
	           : -1;
}

#endif
