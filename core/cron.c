/* cron — the job registry and ticker of core/cron.h, mirroring tools/cron/cron.go and
 * apis/cron.go of PocketBase v0.39.11: Add replaces by id and appends, Remove/RemoveAll, the
 * list order of GET /api/crons, a ticker aligned to UTC minute boundaries that runs every
 * due job in the background, and "run now". Jobs are reference counted so a job removed
 * while one of its runs is in flight is only released (arg_free) after that run returns. */
#include "core/cron.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

struct cron_job {
	char *id;   /* owned */
	char *expr; /* owned: macro-expanded */
	struct pb_cron_schedule sched;
	pb_cron_fn fn;
	void *arg;
	void (*arg_free)(void *);
	unsigned refs; /* the list's reference + one per run in flight; guarded by pb_cron.mu */
};

struct pb_cron {
	pthread_mutex_t mu;
	pthread_cond_t cv; /* ticker wake-up (stop) and idle notification */
	struct cron_job **jobs;
	size_t njobs, cap;
	size_t inflight;
	pthread_t ticker;
	bool ticking;   /* the ticker thread exists */
	bool stop_req;  /* asks the ticker thread to exit */
};

struct pb_cron *pb_cron_new(void)
{
	struct pb_cron *c = calloc(1, sizeof *c);
	if (!c)
		abort();
	pthread_mutex_init(&c->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&c->cv, &ca);
	pthread_condattr_destroy(&ca);
	return c;
}

/* Drops one reference; returns the job when it must be destroyed (outside the lock). */
static struct cron_job *job_unref_locked(struct cron_job *j)
{
	return --j->refs == 0 ? j : NULL;
}

static void job_destroy(struct cron_job *j)
{
	if (!j)
		return;
	if (j->arg_free)
		j->arg_free(j->arg);
	free(j->id);
	free(j->expr);
	free(j);
}

/* Removes the job at index i from the list; returns it when it must be destroyed. */
static struct cron_job *take_at_locked(struct pb_cron *c, size_t i)
{
	struct cron_job *j = c->jobs[i];
	memmove(c->jobs + i, c->jobs + i + 1, (c->njobs - i - 1) * sizeof *c->jobs);
	c->njobs--;
	return job_unref_locked(j);
}

static ssize_t find_locked(struct pb_cron *c, const char *id)
{
	for (size_t i = 0; i < c->njobs; i++)
		if (strcmp(c->jobs[i]->id, id) == 0)
			return (ssize_t)i;
	return -1;
}

int pb_cron_add(struct pb_cron *c, const char *id, const char *expr, pb_cron_fn fn, void *arg,
                void (*arg_free)(void *), struct pb_error *err)
{
	struct pb_cron_schedule s;
	char perr[PB_CRON_ERROR_MAX];
	if (!fn || !id || !expr) {
		pb_error_set(err, 400, "failed to add new cron job: fn must be non-nil function");
		if (arg_free)
			arg_free(arg);
		return -1;
	}
	if (pb_cron_schedule_parse(expr, &s, perr, sizeof perr) != 0) {
		pb_error_set(err, 400, "failed to add new cron job: %s", perr);
		if (arg_free)
			arg_free(arg);
		return -1;
	}
	struct cron_job *j = calloc(1, sizeof *j);
	if (!j)
		abort();
	j->id = strdup(id);
	j->expr = strdup(pb_cron_schedule_expand(expr));
	if (!j->id || !j->expr)
		abort();
	j->sched = s;
	j->fn = fn;
	j->arg = arg;
	j->arg_free = arg_free;
	j->refs = 1;
	pthread_mutex_lock(&c->mu);
	struct cron_job *old = NULL;
	ssize_t at = find_locked(c, id);
	if (at >= 0)
		old = take_at_locked(c, (size_t)at);
	if (c->njobs == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 8;
		c->jobs = realloc(c->jobs, c->cap * sizeof *c->jobs);
		if (!c->jobs)
			abort();
	}
	c->jobs[c->njobs++] = j;
	pthread_mutex_unlock(&c->mu);
	job_destroy(old);
	return 0;
}

bool pb_cron_remove(struct pb_cron *c, const char *id)
{
	struct cron_job *gone = NULL;
	bool found = false;
	pthread_mutex_lock(&c->mu);
	ssize_t at = id ? find_locked(c, id) : -1;
	if (at >= 0) {
		found = true;
		gone = take_at_locked(c, (size_t)at);
	}
	pthread_mutex_unlock(&c->mu);
	job_destroy(gone);
	return found;
}

void pb_cron_remove_all(struct pb_cron *c)
{
	pthread_mutex_lock(&c->mu);
	struct cron_job **jobs = c->jobs;
	size_t n = c->njobs;
	for (size_t i = 0; i < n; i++)
		jobs[i] = job_unref_locked(jobs[i]);
	c->jobs = NULL;
	c->njobs = c->cap = 0;
	pthread_mutex_unlock(&c->mu);
	for (size_t i = 0; i < n; i++)
		job_destroy(jobs[i]);
	free(jobs);
}

size_t pb_cron_total(struct pb_cron *c)
{
	pthread_mutex_lock(&c->mu);
	size_t n = c->njobs;
	pthread_mutex_unlock(&c->mu);
	return n;
}

static bool is_system(const struct cron_job *j)
{
	return strncmp(j->id, PB_CRON_SYSTEM_PREFIX, strlen(PB_CRON_SYSTEM_PREFIX)) == 0;
}

json_t *pb_cron_list(struct pb_cron *c)
{
	json_t *arr = json_array();
	pthread_mutex_lock(&c->mu);
	size_t n = c->njobs, nuser = 0;
	struct cron_job **order = malloc((n ? n : 1) * sizeof *order);
	if (!order)
		abort();
	/* user jobs: insertion sort by id (stable; ids are unique anyway) */
	for (size_t i = 0; i < n; i++) {
		struct cron_job *j = c->jobs[i];
		if (is_system(j))
			continue;
		size_t k = nuser++;
		while (k > 0 && strcmp(j->id, order[k - 1]->id) < 0) {
			order[k] = order[k - 1];
			k--;
		}
		order[k] = j;
	}
	for (size_t i = 0, k = nuser; i < n; i++)
		if (is_system(c->jobs[i]))
			order[k++] = c->jobs[i];
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "id", json_stringn_nocheck(order[i]->id, strlen(order[i]->id)));
		json_object_set_new(o, "expression", json_stringn_nocheck(order[i]->expr, strlen(order[i]->expr)));
		json_array_append_new(arr, o);
	}
	pthread_mutex_unlock(&c->mu);
	free(order);
	return arr;
}

struct run_ctx {
	struct pb_cron *c;
	struct cron_job *job;
};

static void *run_thread(void *p)
{
	struct run_ctx *r = p;
	r->job->fn(r->job->arg);
	struct pb_cron *c = r->c;
	struct cron_job *job = r->job;
	free(r);
	pthread_mutex_lock(&c->mu);
	struct cron_job *gone = job_unref_locked(job);
	pthread_mutex_unlock(&c->mu);
	job_destroy(gone); /* before the run counts as finished: wait_idle implies arg_free ran */
	pthread_mutex_lock(&c->mu);
	c->inflight--;
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

/* Starts one run of j on a detached thread. Called with c->mu held. Returns 0 or -1. */
static int spawn_locked(struct pb_cron *c, struct cron_job *j)
{
	struct run_ctx *r = malloc(sizeof *r);
	if (!r)
		abort();
	r->c = c;
	r->job = j;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_t t;
	j->refs++;
	c->inflight++;
	int rc = pthread_create(&t, &attr, run_thread, r);
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		j->refs--; /* the list still holds it */
		c->inflight--;
		free(r);
		fprintf(stderr, "cron: failed to start job %s: %s\n", j->id, strerror(rc));
		return -1;
	}
	return 0;
}

int pb_cron_run_now(struct pb_cron *c, const char *id, struct pb_error *err)
{
	pthread_mutex_lock(&c->mu);
	ssize_t at = id ? find_locked(c, id) : -1;
	int rc = at < 0 ? -2 : spawn_locked(c, c->jobs[at]);
	pthread_mutex_unlock(&c->mu);
	if (rc == -2)
		return pb_error_set(err, 404, PB_CRON_MSG_NOT_FOUND);
	if (rc != 0)
		return pb_error_set(err, 500, "Failed to start the cron job.");
	return 0;
}

static size_t tick_locked(struct pb_cron *c, int64_t unix_s)
{
	struct pb_cron_moment m;
	pb_cron_moment_at(unix_s, &m);
	size_t started = 0;
	for (size_t i = 0; i < c->njobs; i++)
		if (pb_cron_is_due(&c->jobs[i]->sched, &m) && spawn_locked(c, c->jobs[i]) == 0)
			started++;
	return started;
}

size_t pb_cron_tick(struct pb_cron *c, int64_t unix_s)
{
	pthread_mutex_lock(&c->mu);
	size_t n = tick_locked(c, unix_s);
	pthread_mutex_unlock(&c->mu);
	return n;
}

void pb_cron_wait_idle(struct pb_cron *c)
{
	pthread_mutex_lock(&c->mu);
	while (c->inflight > 0)
		pthread_cond_wait(&c->cv, &c->mu);
	pthread_mutex_unlock(&c->mu);
}

/* The ticker: sleeps until the next UTC minute boundary of the wall clock, then ticks for
 * the minute it wakes in (Cron.Start's aligned time.Ticker). The wait runs on the monotonic
 * clock and the boundary is recomputed after every wake-up, so wall-clock steps only shift
 * the next tick; only minutes later than the last ticked one are ticked (after the clock is
 * set back, ticking resumes once it passes that minute again). */
static void *ticker_thread(void *p)
{
	struct pb_cron *c = p;
	int64_t last = INT64_MIN;
	pthread_mutex_lock(&c->mu);
	while (!c->stop_req) {
		struct timespec real, mono;
		clock_gettime(CLOCK_REALTIME, &real);
		clock_gettime(CLOCK_MONOTONIC, &mono);
		int64_t now_ms = (int64_t)real.tv_sec * 1000 + real.tv_nsec / 1000000;
		int64_t minute = now_ms / 60000;
		if (last != INT64_MIN && minute > last) {
			last = minute;
			tick_locked(c, minute * 60);
			continue;
		}
		if (last == INT64_MIN)
			last = minute; /* the first tick is at the next boundary */
		int64_t delay = (minute + 1) * 60000 - now_ms;
		int64_t wake = (int64_t)mono.tv_sec * 1000 + mono.tv_nsec / 1000000 + delay;
		struct timespec at = {.tv_sec = wake / 1000, .tv_nsec = (wake % 1000) * 1000000};
		pthread_cond_timedwait(&c->cv, &c->mu, &at);
	}
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

void pb_cron_stop(struct pb_cron *c)
{
	pthread_mutex_lock(&c->mu);
	if (!c->ticking) {
		pthread_mutex_unlock(&c->mu);
		return;
	}
	c->stop_req = true;
	pthread_cond_broadcast(&c->cv);
	pthread_t t = c->ticker;
	pthread_mutex_unlock(&c->mu);
	pthread_join(t, NULL);
	pthread_mutex_lock(&c->mu);
	c->ticking = false;
	c->stop_req = false;
	pthread_mutex_unlock(&c->mu);
}

int pb_cron_start(struct pb_cron *c, struct pb_error *err)
{
	pb_cron_stop(c);
	pthread_mutex_lock(&c->mu);
	int rc = pthread_create(&c->ticker, NULL, ticker_thread, c);
	c->ticking = rc == 0;
	pthread_mutex_unlock(&c->mu);
	if (rc != 0)
		return pb_error_set(err, 500, "Failed to start the cron ticker: %s", strerror(rc));
	return 0;
}

bool pb_cron_has_started(struct pb_cron *c)
{
	pthread_mutex_lock(&c->mu);
	bool t = c->ticking;
	pthread_mutex_unlock(&c->mu);
	return t;
}

void pb_cron_free(struct pb_cron *c)
{
	if (!c)
		return;
	pb_cron_stop(c);
	pb_cron_wait_idle(c);
	pb_cron_remove_all(c);
	pthread_cond_destroy(&c->cv);
	pthread_mutex_destroy(&c->mu);
	free(c);
}
