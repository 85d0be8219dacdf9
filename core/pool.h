/* pool — a small pool of threads for blocking work that must never run on an event loop:
 * bcrypt, thumbnails, SMTP and OAuth2 HTTP calls, backups. A task runs fn(arg) on a pool
 * thread; it hands its result back to the loop that asked (e.g. with pb_worker_post). Tasks
 * run in submission order per thread; nothing here knows about HTTP. */
#ifndef POCKETC_CORE_POOL_H
#define POCKETC_CORE_POOL_H

#include <pthread.h>
#include <stdbool.h>

#include "core/error.h"

#define PB_POOL_MAX_THREADS 64

struct pb_pool_task;

struct pb_pool {
	pthread_t threads[PB_POOL_MAX_THREADS];
	int nthreads;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct pb_pool_task *head, *tail; /* owned queue, guarded by lock */
	bool stopping;
};

/* Starts `nthreads` (1..PB_POOL_MAX_THREADS) threads. Returns 0 or -1 with err. */
int pb_pool_start(struct pb_pool *p, int nthreads, struct pb_error *err);
/* Queues fn(arg) (any thread). After pb_pool_stop began, fn runs on the calling thread. */
void pb_pool_submit(struct pb_pool *p, void (*fn)(void *arg), void *arg);
/* Runs every queued task, then joins the threads. Safe on a never-started pool. */
void pb_pool_stop(struct pb_pool *p);

#endif
