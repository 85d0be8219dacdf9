/* pool — blocking worker threads with one FIFO queue (see pool.h). */
#include "core/pool.h"

#include <stdlib.h>
#include <string.h>

struct pb_pool_job {
	void (*fn)(void *arg);
	void *arg;
	struct pb_pool_job *next;
};

static void *pool_main(void *arg)
{
	struct pb_pool *p = arg;
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->head && !p->stopping)
			pthread_cond_wait(&p->cond, &p->lock);
		struct pb_pool_job *j = p->head;
		if (!j)
			break; /* stopping and drained */
		p->head = j->next;
		if (!p->head)
			p->tail = NULL;
		pthread_mutex_unlock(&p->lock);
		j->fn(j->arg);
		free(j);
		pthread_mutex_lock(&p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

int pb_pool_start(struct pb_pool *p, int nthreads, struct pb_error *err)
{
	memset(p, 0, sizeof *p);
	if (nthreads <= 0)
		nthreads = PB_POOL_DEFAULT_THREADS;
	if (nthreads > PB_POOL_MAX_THREADS)
		nthreads = PB_POOL_MAX_THREADS;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	p->initialized = true;
	for (int i = 0; i < nthreads; i++) {
		if (pthread_create(&p->threads[i], NULL, pool_main, p) != 0)
			break;
		p->nthreads++;
	}
	if (p->nthreads == 0) {
		pthread_cond_destroy(&p->cond);
		pthread_mutex_destroy(&p->lock);
		memset(p, 0, sizeof *p);
		return pb_error_set(err, 500, "failed to start the blocking pool");
	}
	return 0;
}

void pb_pool_submit(struct pb_pool *p, void (*fn)(void *arg), void *arg)
{
	if (!p || !p->initialized) {
		fn(arg);
		return;
	}
	pthread_mutex_lock(&p->lock);
	if (p->stopping && p->nthreads == 0) {
		pthread_mutex_unlock(&p->lock);
		fn(arg);
		return;
	}
	struct pb_pool_job *j = malloc(sizeof *j);
	if (!j)
		abort();
	j->fn = fn;
	j->arg = arg;
	j->next = NULL;
	if (p->tail)
		p->tail->next = j;
	else
		p->head = j;
	p->tail = j;
	pthread_cond_signal(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

void pb_pool_stop(struct pb_pool *p)
{
	if (!p || !p->initialized)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = true;
	pthread_cond_broadcast(&p->cond);
	int n = p->nthreads;
	pthread_mutex_unlock(&p->lock);
	for (int i = 0; i < n; i++)
		pthread_join(p->threads[i], NULL);
	/* from here on submissions run inline; a job queued while the threads were leaving runs
	 * here */
	pthread_mutex_lock(&p->lock);
	p->nthreads = 0;
	struct pb_pool_job *j = p->head;
	p->head = p->tail = NULL;
	pthread_mutex_unlock(&p->lock);
	while (j) {
		struct pb_pool_job *next = j->next;
		j->fn(j->arg);
		free(j);
		j = next;
	}
}
