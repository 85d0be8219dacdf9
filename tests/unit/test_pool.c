/* test_pool — the blocking pool (core/pool.c): every job runs exactly once on a pool thread,
 * also the ones still queued when it stops; after the stop, and on a never-started pool,
 * jobs run inline on the caller's thread. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

#include "core/pool.h"
#include "tests/unit/test.h"

struct counter {
	atomic_int runs;
	atomic_int inline_runs;
	pthread_t main_thread;
};

static void job(void *arg)
{
	struct counter *c = arg;
	usleep(200);
	if (pthread_equal(pthread_self(), c->main_thread))
		c->inline_runs++;
	c->runs++;
}

static void test_pool(void)
{
	struct counter c = {.main_thread = pthread_self()};
	struct pb_pool p;
	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_pool_start(&p, 2, &err) == 0);
	CHECK(p.nthreads == 2);
	for (int i = 0; i < 200; i++)
		pb_pool_submit(&p, job, &c);
	pb_pool_stop(&p); /* runs what is still queued */
	CHECK(c.runs == 200);
	CHECK(c.inline_runs == 0);
	pb_pool_submit(&p, job, &c); /* after the stop: inline */
	CHECK(c.runs == 201 && c.inline_runs == 1);
	pb_pool_stop(&p);

	struct pb_pool zero = {0};
	pb_pool_submit(&zero, job, &c); /* never started: inline */
	CHECK(c.runs == 202 && c.inline_runs == 2);
	pb_pool_stop(&zero);
}

int main(void)
{
	test_pool();
	TEST_DONE();
}
