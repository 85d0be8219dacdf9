/* sqlite_read_ceiling — the database ceiling of the read benchmark: the same two queries
 * the HTTP benchmark sends (view one record by id; the 30 newest rows of a room), run
 * straight through SQLite in this process with prepared statements, for a fixed time on
 * T threads (one connection each, as pocketc's workers). Prints queries/s per query.
 * Usage: sqlite_read_ceiling DB_PATH NRECORDS SECONDS THREADS */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct job {
	const char *path;
	int nrecords, mode;
	double seconds;
	long long count;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *run(void *arg)
{
	struct job *j = arg;
	sqlite3 *db;
	if (sqlite3_open_v2(j->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_exec(db, "PRAGMA cache_size=-32000", NULL, NULL, NULL);
	const char *sql = j->mode == 0 ? "SELECT `messages`.* FROM `messages` WHERE `messages`.`id` = ?1 LIMIT 1"
	                               : "SELECT `messages`.* FROM `messages` WHERE (`messages`.`room` = ?1) "
	                                 "ORDER BY `messages`.`created` DESC LIMIT 30";
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	unsigned seed = (unsigned)(size_t)j;
	double end = now() + j->seconds;
	char key[32];
	while (now() < end) {
		for (int k = 0; k < 256; k++) {
			int n = rand_r(&seed) % j->nrecords;
			if (j->mode == 0)
				snprintf(key, sizeof key, "r%014d", n);
			else
				snprintf(key, sizeof key, "room%d", n % 100);
			sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
			while (sqlite3_step(st) == SQLITE_ROW)
				for (int c = 0; c < sqlite3_column_count(st); c++)
					(void)sqlite3_column_text(st, c);
			sqlite3_reset(st);
			j->count++;
		}
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: %s DB NRECORDS SECONDS THREADS\n", argv[0]);
		return 2;
	}
	int threads = atoi(argv[4]);
	const char *names[] = {"view-by-id", "list-30-newest"};
	for (int mode = 0; mode < 2; mode++) {
		struct job jobs[64];
		pthread_t t[64];
		for (int i = 0; i < threads && i < 64; i++) {
			jobs[i] = (struct job){argv[1], atoi(argv[2]), mode, atof(argv[3]), 0};
			pthread_create(&t[i], NULL, run, &jobs[i]);
		}
		long long total = 0;
		for (int i = 0; i < threads && i < 64; i++) {
			pthread_join(t[i], NULL);
			total += jobs[i].count;
		}
		printf("sqlite %-15s %d thread(s): %.0f queries/s\n", names[mode], threads, total / atof(argv[3]));
	}
	return 0;
}
