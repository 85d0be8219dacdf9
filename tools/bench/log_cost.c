/* log_cost — the cost of the request activity log alone, deterministically: a fresh pb_data's
 * auxiliary.db, PREFILL request entries written first (so `_logs` and its four indexes have a
 * realistic depth), then ROWS entries shaped like the read benchmark's (GET of a random record
 * by id, status 200, wrk's headers, logIP on) queued with pb_logs_add_request and written with
 * pb_logs_flush every BATCH entries on this thread. Prints ns per entry for each side. Run it
 * under `valgrind --tool=callgrind --toggle-collect=measure_*` for instructions per entry:
 * measure_queue is the worker's side, measure_write the log writer's.
 * Usage: log_cost [ROWS [BATCH [PREFILL]]] (defaults 20000 1000 50000) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "core/bootstrap.h"
#include "core/logs.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Queues n entries. */
__attribute__((noinline)) static void measure_queue(struct pb_logs *l, int n, unsigned *seed)
{
	for (int i = 0; i < n; i++) {
		char url[64];
		snprintf(url, sizeof url, "/api/collections/messages/records/r%014d", rand_r(seed) % 100000);
		struct pb_request_log r = {.method = "GET", .url = url, .status = 200, .has_exec_time = true,
		                           .exec_time_ms = (rand_r(seed) % 2000) / 1000.0, .user_ip = "127.0.0.1",
		                           .remote_ip = "127.0.0.1", .log_ip = true};
		if (pb_logs_add_request(l, &r) != 0)
			abort();
	}
}

__attribute__((noinline)) static void measure_write(struct pb_logs *l)
{
	struct pb_error err = PB_ERROR_INIT;
	if (pb_logs_flush(l, &err) != 0) {
		fprintf(stderr, "%s\n", err.message);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	int rows = argc > 1 ? atoi(argv[1]) : 20000, batch = argc > 2 ? atoi(argv[2]) : 1000,
	    prefill = argc > 3 ? atoi(argv[3]) : 50000;
	if (rows <= 0 || batch <= 0 || prefill < 0)
		return 2;
	char dir[] = "/tmp/pocketc_log_cost_XXXXXX", aux[64];
	if (!mkdtemp(dir))
		return 1;
	snprintf(aux, sizeof aux, "%s/auxiliary.db", dir);
	sqlite3 *data = NULL, *auxdb = NULL;
	struct pb_error err = PB_ERROR_INIT;
	if (pb_bootstrap_open_dir(dir, &data, &auxdb, &err) != 0) {
		fprintf(stderr, "%s\n", err.message);
		return 1;
	}
	sqlite3_close_v2(data);
	sqlite3_close_v2(auxdb);
	struct pb_logs l;
	struct pb_logs_options opt = {.batch_size = 1u << 30, .flush_interval_ms = 3600 * 1000,
	                              .max_pending = 1u << 30, .config = {5, 0, true, false}};
	if (pb_logs_start(&l, aux, &opt, &err) != 0) {
		fprintf(stderr, "%s\n", err.message);
		return 1;
	}
	unsigned seed = 42;
	for (int done = 0; done < prefill; done += batch) {
		struct pb_logs *lp = &l;
		int n = prefill - done < batch ? prefill - done : batch;
		for (int i = 0; i < n; i++) {
			struct pb_request_log r = {.method = "GET", .url = "/api/health", .status = 200, .log_ip = true};
			pb_logs_add_request(lp, &r);
		}
		pb_logs_flush(lp, &err);
	}
	double tq = 0, tw = 0;
	for (int done = 0; done < rows; done += batch) {
		int n = rows - done < batch ? rows - done : batch;
		double t0 = now();
		measure_queue(&l, n, &seed);
		double t1 = now();
		measure_write(&l);
		tq += t1 - t0;
		tw += now() - t1;
	}
	printf("log_cost: %d entries, batches of %d, after %d rows: queue %.0f ns/entry, write %.0f ns/entry, "
	       "dropped %llu\n",
	       rows, batch, prefill, tq * 1e9 / rows, tw * 1e9 / rows, (unsigned long long)pb_logs_dropped(&l));
	pb_logs_stop(&l);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : 1;
}
