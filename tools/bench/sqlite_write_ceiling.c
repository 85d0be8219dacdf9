/* sqlite_write_ceiling — the database ceiling of the write benchmark: rows shaped like the
 * benchmark's `message` records (15-char [a-z0-9] id primary key, owner, body, created,
 * updated, an index on owner) inserted straight through SQLite, ONE ROW PER TRANSACTION, with
 * PocketBase's settings (WAL, synchronous=NORMAL), on a fresh database, for a fixed time.
 * IDS picks the ids: "ordered" (default) makes them as pocketc's records get theirs
 * (pb_random_id: time prefix, random tail), "random" as PocketBase does (15 random chars,
 * each row on a random page of the primary-key index). Prints inserts/s.
 * Usage: sqlite_write_ceiling DB_PATH SECONDS [ordered|random] */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/random.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s DB_PATH SECONDS\n", argv[0]);
		return 2;
	}
	double secs = atof(argv[2]);
	int ordered = argc < 4 || strcmp(argv[3], "random") != 0;
	sqlite3 *db;
	if (sqlite3_open(argv[1], &db) != SQLITE_OK)
		return 1;
	sqlite3_exec(db,
	             "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;"
	             "CREATE TABLE IF NOT EXISTS message (id TEXT PRIMARY KEY NOT NULL, owner TEXT DEFAULT '' NOT NULL,"
	             " body TEXT DEFAULT '' NOT NULL, created TEXT DEFAULT '' NOT NULL, updated TEXT DEFAULT '' NOT NULL);"
	             "CREATE INDEX IF NOT EXISTS idx_message_owner ON message (owner);",
	             NULL, NULL, NULL);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db, "INSERT INTO message (id, owner, body, created, updated) VALUES (?1, ?2, ?3, ?4, ?4)", -1,
	                   &st, NULL);
	static const char alpha[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	unsigned seed = 12345;
	long long n = 0;
	double start = now(), end = start + secs;
	char id[16], body[64], date[32];
	while (now() < end) {
		if (ordered) {
			pb_random_id(id);
		} else {
			for (int i = 0; i < 15; i++)
				id[i] = alpha[rand_r(&seed) % 36];
			id[15] = 0;
		}
		snprintf(body, sizeof body, "message body number %lld", n);
		time_t t = time(NULL);
		strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S.000Z", gmtime(&t));
		sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, "4q1xlclmfloku33", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, body, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, date, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_DONE)
			n++;
		sqlite3_reset(st);
		sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	}
	double el = now() - start;
	printf("%-28s %10.0f rows/s   (%lld rows, 1 row per transaction, WAL, synchronous=NORMAL, %s ids)\n",
	       "sqlite-insert-ceiling", n / el, n, ordered ? "ordered" : "random");
	sqlite3_finalize(st);
	sqlite3_close(db);
	return 0;
}
