/* test_logs_strftime — the `_logs` connection's strftime (core/logs_strftime.c) answers as
 * SQLite's built-in does: both are asked the same calls (the created-hour format over dates
 * of every month edge, leap days, the year range ends and every hour; other formats; dates
 * that are not canonical or not valid; non-text values) and must give the same value and
 * type. A `_logs` table with the created-hour index filled through the fast function passes
 * PRAGMA integrity_check on a plain connection (which recomputes the index with the
 * built-in). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/logs_strftime.h"
#include "tests/unit/test.h"

static int same = 0, differ = 0;

/* Evaluates "SELECT strftime(<format>, <time>)" with the two values bound, on both
 * connections, and compares type and bytes. time_kind: 't' text, 'i' integer, 'r' real, 'n'
 * NULL. */
static void compare(sqlite3 *fast, sqlite3 *plain, const char *format, char time_kind, const char *time)
{
	char got[2][64];
	int type[2];
	sqlite3 *dbs[2] = {fast, plain};
	for (int k = 0; k < 2; k++) {
		sqlite3_stmt *st = NULL;
		sqlite3_prepare_v2(dbs[k], "SELECT strftime(?1, ?2)", -1, &st, NULL);
		sqlite3_bind_text(st, 1, format, -1, SQLITE_STATIC);
		if (time_kind == 't')
			sqlite3_bind_text(st, 2, time, -1, SQLITE_STATIC);
		else if (time_kind == 'i')
			sqlite3_bind_int64(st, 2, atoll(time));
		else if (time_kind == 'r')
			sqlite3_bind_double(st, 2, atof(time));
		int rc = sqlite3_step(st);
		type[k] = rc == SQLITE_ROW ? sqlite3_column_type(st, 0) : -rc;
		const unsigned char *v = rc == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
		snprintf(got[k], sizeof got[k], "%s", v ? (const char *)v : "(null)");
		sqlite3_finalize(st);
	}
	if (type[0] == type[1] && strcmp(got[0], got[1]) == 0) {
		same++;
	} else {
		differ++;
		fprintf(stderr, "strftime('%s', %c:%s): fast %d [%s], built-in %d [%s]\n", format, time_kind, time ? time : "",
		        type[0], got[0], type[1], got[1]);
	}
}

static void test_same_answers(sqlite3 *fast, sqlite3 *plain)
{
	static const char *const hour = "%Y-%m-%d %H:00:00";
	static const int years[] = {0, 1, 4, 100, 1900, 1970, 2000, 2023, 2024, 2026, 2100, 2400, 9999};
	static const int days[] = {1, 28, 29, 30, 31, 32};
	for (size_t y = 0; y < sizeof years / sizeof years[0]; y++)
		for (int m = 0; m <= 13; m++)
			for (size_t d = 0; d < sizeof days / sizeof days[0]; d++)
				for (int h = 0; h <= 24; h += 3) {
					char t[64];
					snprintf(t, sizeof t, "%04d-%02d-%02d %02d:59:59.999Z", years[y], m, days[d], h);
					compare(fast, plain, hour, 't', t);
				}
	for (int h = 0; h < 24; h++) {
		char t[64];
		snprintf(t, sizeof t, "2026-12-03 %02d:%02d:%02d.%03dZ", h, h * 2 % 60, h * 7 % 60, h * 41 % 1000);
		compare(fast, plain, hour, 't', t);
	}
	static const char *const odd_times[] = {
		"0001-01-01 00:00:00.000Z", "2026-12-03 10:60:00.000Z", "2026-12-03 10:00:60.000Z", "2026-12-03T10:00:00.000Z",
		"2026-12-03 10:00:00.000+", "2026-12-03 10:00:00.0000", "2026-12-03 10:00:00.000z", " 2026-12-03 10:00:00.00Z",
		"2026-12-03 10:00:00", "2026-12-03", "2026-12-03 10:00:00.123+02:00", "abcd-ef-gh ij:kl:mn.opqZ", "", "now?",
		"2026-12-03 10:00:00.000Z ",
	};
	for (size_t i = 0; i < sizeof odd_times / sizeof odd_times[0]; i++)
		compare(fast, plain, hour, 't', odd_times[i]);
	compare(fast, plain, hour, 'i', "1700000000");
	compare(fast, plain, hour, 'r', "2460000.5");
	compare(fast, plain, hour, 'n', NULL);
	static const char *const formats[] = {"%Y-%m-%d %H:00:00 ", "%Y-%m-%d %H:%M:00", "%Y", "%s", "%Y-%m-%d %H:00:0",
	                                      "%Y-%m-%d %h:00:00", "", "%Y-%m-%d%H:00:00%"};
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
		compare(fast, plain, formats[i], 't', "2026-12-03 10:11:12.345Z");
	CHECK(differ == 0);
	CHECK(same > 5000);
	printf("%d calls answered alike\n", same);
}

/* The function is the one SQLite calls for the index: filled through it, the index is what
 * the built-in computes (integrity_check recomputes expression indexes). */
static void test_index_agrees(sqlite3 *fast, const char *path)
{
	CHECK(sqlite3_exec(fast,
	                   "CREATE TABLE _logs (id TEXT PRIMARY KEY, created TEXT);"
	                   "CREATE INDEX idx_logs_created_hour ON _logs (strftime('%Y-%m-%d %H:00:00', created));",
	                   NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_stmt *st = NULL;
	CHECK(sqlite3_prepare_v2(fast, "INSERT INTO _logs (id, created) VALUES (?1, ?2)", -1, &st, NULL) == SQLITE_OK);
	for (int i = 0; i < 500; i++) {
		char id[16], t[64];
		snprintf(id, sizeof id, "id%05d", i);
		if (i % 50 == 7)
			snprintf(t, sizeof t, "2026-12-%02d %02d:00:00", 1 + i % 28, i % 24); /* not canonical: the built-in's */
		else
			snprintf(t, sizeof t, "2026-%02d-%02d %02d:%02d:%02d.%03dZ", 1 + i % 12, 1 + i % 28, i % 24, i % 60, i * 7 % 60,
			         i % 1000);
		sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, t, -1, SQLITE_TRANSIENT);
		CHECK(sqlite3_step(st) == SQLITE_DONE);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	sqlite3 *plain = NULL;
	CHECK(sqlite3_open(path, &plain) == SQLITE_OK);
	CHECK(sqlite3_prepare_v2(plain, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK);
	CHECK(sqlite3_step(st) == SQLITE_ROW);
	CHECK_STR((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	/* and the index answers the queries the plain connection makes with the built-in */
	CHECK(sqlite3_prepare_v2(plain,
	                         "SELECT COUNT(*) FROM _logs INDEXED BY idx_logs_created_hour "
	                         "WHERE strftime('%Y-%m-%d %H:00:00', created) = '2026-02-02 01:00:00'",
	                         -1, &st, NULL) == SQLITE_OK);
	CHECK(sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0);
	sqlite3_finalize(st);
	sqlite3_close(plain);
}

int main(void)
{
	char dir[] = "/tmp/pocketc-strftime-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char path[300];
	snprintf(path, sizeof path, "%s/aux.db", dir);
	sqlite3 *fast = NULL, *plain = NULL;
	CHECK(sqlite3_open(path, &fast) == SQLITE_OK);
	CHECK(sqlite3_open(":memory:", &plain) == SQLITE_OK);
	CHECK(pb_logs_strftime_install(fast) == 0);
	test_same_answers(fast, plain);
	test_index_agrees(fast, path);
	sqlite3_close(plain);
	sqlite3_close(fast);
	CHECK(test_remove_dir(dir));
	TEST_DONE();
}
