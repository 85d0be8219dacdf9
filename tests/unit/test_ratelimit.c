/* test_ratelimit — the rate limiters store (core/ratelimit.h) against PocketBase's
 * rateLimiter/rateClient semantics (apis/middlewares_rate_limit.go): fixed windows that start
 * with a client's first request and refill once `duration` whole seconds have passed,
 * separate counters per client and per limiter key, a limiter keeping the rule it was
 * created with, the reset of a settings save and the hourly idle-client cleanup. */
#include "core/ratelimit.h"

#include <pthread.h>

#include "test.h"

static void fixed_window(void)
{
	struct pb_ratelimit *rl = pb_ratelimit_new();
	bool created = false;
	/* TestDefaultRateLimitMiddleware's /rate/a: 2 per 1 s */
	CHECK(pb_ratelimit_allow(rl, "/rate/", "1.2.3.4", 2, 1, 1000, &created));
	CHECK(created);
	CHECK(pb_ratelimit_allow(rl, "/rate/", "1.2.3.4", 2, 1, 1000, &created));
	CHECK(!created);
	CHECK(!pb_ratelimit_allow(rl, "/rate/", "1.2.3.4", 2, 1, 1000, NULL));
	/* a new window once a whole duration has passed since the window started */
	CHECK(pb_ratelimit_allow(rl, "/rate/", "1.2.3.4", 2, 1, 1001, NULL));
	CHECK(pb_ratelimit_allow(rl, "/rate/", "1.2.3.4", 2, 1, 1001, NULL));
	CHECK(!pb_ratelimit_allow(rl, "/rate/", "1.2.3.4", 2, 1, 1001, NULL));
	/* longer windows: still closed 9 s in, open at 10 s */
	for (int i = 0; i < 3; i++)
		CHECK(pb_ratelimit_allow(rl, "/api/", "1.2.3.4", 3, 10, 2000, NULL));
	CHECK(!pb_ratelimit_allow(rl, "/api/", "1.2.3.4", 3, 10, 2009, NULL));
	CHECK(pb_ratelimit_allow(rl, "/api/", "1.2.3.4", 3, 10, 2010, NULL));
	pb_ratelimit_free(rl);
}

static void separation(void)
{
	struct pb_ratelimit *rl = pb_ratelimit_new();
	CHECK(pb_ratelimit_allow(rl, "k", "10.0.0.1", 1, 60, 100, NULL));
	CHECK(!pb_ratelimit_allow(rl, "k", "10.0.0.1", 1, 60, 100, NULL));
	/* another client of the same limiter has its own window */
	CHECK(pb_ratelimit_allow(rl, "k", "10.0.0.2", 1, 60, 100, NULL));
	/* another limiter key (e.g. another audience) too */
	CHECK(pb_ratelimit_allow(rl, "k@auth", "10.0.0.1", 1, 60, 100, NULL));
	/* the limiter keeps the rule it was created with until the store is reset */
	CHECK(!pb_ratelimit_allow(rl, "k", "10.0.0.1", 100, 60, 100, NULL));
	CHECK(pb_ratelimit_limiters(rl) == 2);
	CHECK(pb_ratelimit_clients(rl) == 3);
	pb_ratelimit_reset(rl);
	CHECK(pb_ratelimit_limiters(rl) == 0 && pb_ratelimit_clients(rl) == 0);
	bool created = false;
	CHECK(pb_ratelimit_allow(rl, "k", "10.0.0.1", 100, 60, 100, &created));
	CHECK(created);
	CHECK(pb_ratelimit_allow(rl, "k", "10.0.0.1", 100, 60, 100, NULL));
	pb_ratelimit_free(rl);
}

static void many_clients_and_clean(void)
{
	struct pb_ratelimit *rl = pb_ratelimit_new();
	char ip[32];
	for (int i = 0; i < 5000; i++) {
		snprintf(ip, sizeof ip, "10.%d.%d.%d", i >> 16, (i >> 8) & 255, i & 255);
		CHECK(pb_ratelimit_allow(rl, "k", ip, 1, 10, i < 2500 ? 0 : 5000, NULL));
	}
	CHECK(pb_ratelimit_clients(rl) == 5000);
	snprintf(ip, sizeof ip, "10.0.%d.%d", 7 >> 8, 7);
	CHECK(!pb_ratelimit_allow(rl, "k", ip, 1, 10, 5, NULL)); /* found again after the growth */
	/* hasExpired: now - (start + interval) > 1800 → the 2500 clients of window 0 go */
	CHECK(pb_ratelimit_clean(rl, 1810, PB_RATELIMIT_IDLE_S) == 0);
	CHECK(pb_ratelimit_clean(rl, 1811, PB_RATELIMIT_IDLE_S) == 2500);
	CHECK(pb_ratelimit_clients(rl) == 2500);
	/* a cleaned client starts over with a full window */
	CHECK(pb_ratelimit_allow(rl, "k", ip, 1, 10, 1811, NULL));
	pb_ratelimit_free(rl);
}

struct hammer {
	struct pb_ratelimit *rl;
	int allowed;
};

static void *hammer_run(void *arg)
{
	struct hammer *h = arg;
	for (int i = 0; i < 1000; i++)
		h->allowed += pb_ratelimit_allow(h->rl, "shared", "9.9.9.9", 1500, 60, 42, NULL);
	return NULL;
}

static void threads(void)
{
	struct pb_ratelimit *rl = pb_ratelimit_new();
	pthread_t t[4];
	struct hammer h[4];
	for (int i = 0; i < 4; i++) {
		h[i] = (struct hammer){rl, 0};
		pthread_create(&t[i], NULL, hammer_run, &h[i]);
	}
	int total = 0;
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		total += h[i].allowed;
	}
	CHECK(total == 1500); /* exactly maxRequests of the 4000 attempts got through */
	pb_ratelimit_free(rl);
}

int main(void)
{
	fixed_window();
	separation();
	many_clients_and_clean();
	threads();
	TEST_DONE();
}
