/* test_pool_store — the blocking pool (core/pool.c: every job runs exactly once, also the ones
 * queued when it stops, and inline after the stop) and the app key store (core/store.c:
 * markers with a TTL, and the fixed-window counter behind the OTP limiter: 5 per 180 s with
 * the window renewed once it elapsed, as rateClient.consume does). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

#include "core/pool.h"
#include "core/store.h"
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
	CHECK(pb_pool_start(&p, 0, &err) == 0);
	CHECK(p.nthreads == PB_POOL_DEFAULT_THREADS);
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

	struct pb_pool big;
	CHECK(pb_pool_start(&big, 99, &err) == 0 && big.nthreads == PB_POOL_MAX_THREADS);
	pb_pool_stop(&big);
}

static void test_store(void)
{
	struct pb_store s;
	pb_store_init(&s);
	int64_t t = 1000;
	CHECK(!pb_store_has(&s, "@limitPasswordResetEmail_ab", t));
	pb_store_set(&s, "@limitPasswordResetEmail_ab", 120, t);
	CHECK(pb_store_has(&s, "@limitPasswordResetEmail_ab", t));
	CHECK(pb_store_has(&s, "@limitPasswordResetEmail_ab", t + 119));
	CHECK(!pb_store_has(&s, "@limitPasswordResetEmail_ab", t + 120));
	CHECK(!pb_store_has(&s, "@limitPasswordResetEmail_a", t));
	pb_store_set(&s, "k", 10, t);
	pb_store_remove(&s, "k");
	CHECK(!pb_store_has(&s, "k", t));
	pb_store_remove(&s, "never-set");

	/* the OTP guard: 5 per 180 s; a 6th in the window fails, also for a right password */
	for (int i = 0; i < 5; i++)
		CHECK(pb_store_consume(&s, "@pb_otp_x\x1f" "127.0.0.1", 5, 180, t + i));
	CHECK(!pb_store_consume(&s, "@pb_otp_x\x1f" "127.0.0.1", 5, 180, t + 10));
	CHECK(!pb_store_consume(&s, "@pb_otp_x\x1f" "127.0.0.1", 5, 180, t + 179));
	CHECK(pb_store_consume(&s, "@pb_otp_x\x1f" "10.0.0.1", 5, 180, t + 10)); /* another client */
	CHECK(pb_store_consume(&s, "@pb_otp_x\x1f" "127.0.0.1", 5, 180, t + 180)); /* new window */
	/* max 0 never allows */
	CHECK(!pb_store_consume(&s, "zero", 0, 60, t));
	/* many keys spread over the buckets and expire lazily */
	char key[32];
	for (int i = 0; i < 2000; i++) {
		snprintf(key, sizeof key, "key%d", i);
		pb_store_set(&s, key, 5, t);
	}
	CHECK(pb_store_has(&s, "key1999", t + 4));
	CHECK(!pb_store_has(&s, "key1999", t + 5));
	pb_store_deinit(&s);
	pb_store_deinit(&s); /* safe twice */
}

int main(void)
{
	test_pool();
	test_store();
	TEST_DONE();
}
