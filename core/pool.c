/* pool — blocking-work threads (see pool.h). */
#include "core/pool.h"

#include <stdlib.h>
#include <string.h>

struct pb_pool_task {
	void (*fn)(void *arg);
	void *arg;
	struct pb_pool_task *next;
};

static void *pool_main(void *arg)
{
	struct pb_pool *p = arg;
	pthread_setname_np(pthread_self(), "pb-pool");
	for (;;) {
		pthread_mutex_lock(&p->lock);
		while (!p->head && !p->stopping)
			pthread_cond_wait(&p->cond, &p->lock);
		struct pb_pool_task *t = p->head;
		if (!t) {
			pthread_mutex_unlock(&p->lock);
			break;
		}
		p->head = t->next;
		if (!p->head)
			p->tail = NULL;
		pthread_mutex_unlock(&p->lock);
		t->fn(t->arg);
		free(t);
	}
	return NULL;
}

int pb_pool_start(struct pb_pool *p, int nthreads, struct pb_error *err)
{
	memset(p, 0, sizeof *p);
	if (nthreads < 1)
		nthreads = 1;
	if (nthreads > PB_POOL_MAX_THREADS)
		nthreads = PB_POOL_MAX_THREADS;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	for (int i = 0; i < nthreads; i++) {
		if (pthread_create(&p->threads[i], NULL, pool_main, p) != 0) {
			pb_pool_stop(p);
			return pb_error_set(err, 500, "failed to start the blocking pool");
		}
		p->nthreads++;
	}
	return 0;
}

void pb_pool_submit(struct pb_pool *p, void (*fn)(void *arg), void *arg)
{
	pthread_mutex_lock(&p->lock);
	if (p->stopping || p->nthreads == 0) {
		pthread_mutex_unlock(&p->lock);
		fn(arg);
		return;
	}
	struct pb_pool_task *t = malloc(sizeof *t);
	if (!t)
		abort();
	t->fn = fn;
	t->arg = arg;
	t->next = NULL;
	if (p->tail)
		p->tail->next = t;
	else
		p->head = t;
	p->tail = t;
	pthread_cond_signal(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

void pb_pool_stop(struct pb_pool *p)
{
	if (p->nthreads == 0 && !p->head)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = true;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	for (int i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	p->nthreads = 0;
}
