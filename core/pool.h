/* pool — a small pool of blocking threads for work that must never run on an event loop:
 * bcrypt hashing and verification (tens of milliseconds each), later SMTP and other slow
 * calls. PocketBase simply blocks a goroutine for these; pocketc's worker loops hand them to
 * this pool and get the result back on their own loop (the job posts it with
 * pb_worker_post). Jobs run in submission order per thread, FIFO over the pool; there is no
 * cancellation. The pool belongs to the app (no global state). */
#ifndef POCKETC_CORE_POOL_H
#define POCKETC_CORE_POOL_H

#include <pthread.h>
#include <stdbool.h>

#include "core/error.h"

#define PB_POOL_DEFAULT_THREADS 2
#define PB_POOL_MAX_THREADS 16

struct pb_pool_job;

struct pb_pool {
	pthread_t threads[PB_POOL_MAX_THREADS];
	int nthreads;                      /* started threads */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct pb_pool_job *head, *tail;   /* owned queue, guarded by lock */
	bool stopping;
	bool initialized;
};

/* Starts `nthreads` threads (<= 0 → PB_POOL_DEFAULT_THREADS, capped at PB_POOL_MAX_THREADS).
 * Returns 0, or -1 with err set (500) when no thread could be created (nothing to stop then). */
int pb_pool_start(struct pb_pool *p, int nthreads, struct pb_error *err);

/* Queues fn(arg) for a pool thread (callable from any thread). `arg` is passed through and
 * stays the caller's: the job itself frees or hands it on. When the pool is not running (never
 * started, or stopped) fn runs at once on the calling thread, so a job is never lost. */
void pb_pool_submit(struct pb_pool *p, void (*fn)(void *arg), void *arg);

/* Runs every job still queued, then joins the threads. Later submissions run inline. Safe on a
 * zeroed or already stopped pool. */
void pb_pool_stop(struct pb_pool *p);

#endif
