/* ratelimit — the rate limiters store (see ratelimit.h): a short list of limiters (one per
 * rule key in use), each with a chained hash table of fixed-window client counters, all
 * behind one mutex. The fixed window follows rateClient.consume: refill when
 * now - start >= interval, then allow while tokens remain. */
#include "core/ratelimit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"

struct rl_client {
	struct rl_client *next;
	uint64_t hash;
	int64_t available;
	int64_t start;
	char key[]; /* the client key (IP) */
};

struct rl_limiter {
	struct rl_limiter *next;
	int64_t max_allowed;
	int64_t interval;
	struct rl_client **buckets;
	size_t nbuckets, nclients;
	char key[];
};

struct pb_ratelimit {
	pthread_mutex_t mu;
	struct rl_limiter *limiters;
	size_t nlimiters;
};

struct pb_ratelimit *pb_ratelimit_new(void)
{
	struct pb_ratelimit *rl = calloc(1, sizeof *rl);
	if (!rl)
		abort();
	pthread_mutex_init(&rl->mu, NULL);
	return rl;
}

static void limiter_free(struct rl_limiter *l)
{
	for (size_t i = 0; i < l->nbuckets; i++) {
		struct rl_client *c = l->buckets[i];
		while (c) {
			struct rl_client *next = c->next;
			free(c);
			c = next;
		}
	}
	free(l->buckets);
	free(l);
}

static void drop_all(struct pb_ratelimit *rl)
{
	struct rl_limiter *l = rl->limiters;
	while (l) {
		struct rl_limiter *next = l->next;
		limiter_free(l);
		l = next;
	}
	rl->limiters = NULL;
	rl->nlimiters = 0;
}

void pb_ratelimit_free(struct pb_ratelimit *rl)
{
	if (!rl)
		return;
	drop_all(rl);
	pthread_mutex_destroy(&rl->mu);
	free(rl);
}

void pb_ratelimit_reset(struct pb_ratelimit *rl)
{
	pthread_mutex_lock(&rl->mu);
	drop_all(rl);
	pthread_mutex_unlock(&rl->mu);
}

static struct rl_limiter *find_limiter(struct pb_ratelimit *rl, const char *key, int64_t max, int64_t interval)
{
	for (struct rl_limiter *l = rl->limiters; l; l = l->next)
		if (strcmp(l->key, key) == 0)
			return l;
	size_t n = strlen(key);
	struct rl_limiter *l = calloc(1, sizeof *l + n + 1);
	if (!l)
		abort();
	memcpy(l->key, key, n + 1);
	l->max_allowed = max;
	l->interval = interval;
	l->next = rl->limiters;
	rl->limiters = l;
	rl->nlimiters++;
	return l;
}

static void grow(struct rl_limiter *l)
{
	size_t nb = l->nbuckets ? l->nbuckets * 2 : 64;
	struct rl_client **b = calloc(nb, sizeof *b);
	if (!b)
		abort();
	for (size_t i = 0; i < l->nbuckets; i++) {
		struct rl_client *c = l->buckets[i];
		while (c) {
			struct rl_client *next = c->next;
			size_t at = (size_t)(c->hash & (nb - 1));
			c->next = b[at];
			b[at] = c;
			c = next;
		}
	}
	free(l->buckets);
	l->buckets = b;
	l->nbuckets = nb;
}

static struct rl_client *find_client(struct rl_limiter *l, const char *key, int64_t now_s)
{
	uint64_t h = pb_hash_str(key);
	if (l->nbuckets) {
		for (struct rl_client *c = l->buckets[h & (l->nbuckets - 1)]; c; c = c->next)
			if (c->hash == h && strcmp(c->key, key) == 0)
				return c;
	}
	if (l->nclients >= l->nbuckets)
		grow(l);
	size_t n = strlen(key);
	struct rl_client *c = calloc(1, sizeof *c + n + 1);
	if (!c)
		abort();
	memcpy(c->key, key, n + 1);
	c->hash = h;
	/* a new client starts with an elapsed window, so the first consume refills it (Go's zero
	 * start time is always a whole interval ago) */
	c->start = now_s - l->interval;
	size_t at = (size_t)(h & (l->nbuckets - 1));
	c->next = l->buckets[at];
	l->buckets[at] = c;
	l->nclients++;
	return c;
}

bool pb_ratelimit_allow(struct pb_ratelimit *rl, const char *key, const char *client, int64_t max_requests,
                        int64_t duration_s, int64_t now_s, bool *store_created)
{
	pthread_mutex_lock(&rl->mu);
	if (store_created)
		*store_created = rl->nlimiters == 0;
	struct rl_limiter *l = find_limiter(rl, key, max_requests, duration_s);
	struct rl_client *c = find_client(l, client, now_s);
	if (now_s - c->start >= l->interval) {
		c->available = l->max_allowed;
		c->start = now_s;
	}
	bool ok = c->available > 0;
	if (ok)
		c->available--;
	pthread_mutex_unlock(&rl->mu);
	return ok;
}

size_t pb_ratelimit_clean(struct pb_ratelimit *rl, int64_t now_s, int64_t idle_s)
{
	size_t removed = 0;
	pthread_mutex_lock(&rl->mu);
	for (struct rl_limiter *l = rl->limiters; l; l = l->next) {
		for (size_t i = 0; i < l->nbuckets; i++) {
			struct rl_client **pp = &l->buckets[i];
			while (*pp) {
				struct rl_client *c = *pp;
				if (now_s - (c->start + l->interval) > idle_s) {
					*pp = c->next;
					free(c);
					l->nclients--;
					removed++;
				} else {
					pp = &c->next;
				}
			}
		}
	}
	pthread_mutex_unlock(&rl->mu);
	return removed;
}

size_t pb_ratelimit_limiters(struct pb_ratelimit *rl)
{
	pthread_mutex_lock(&rl->mu);
	size_t n = rl->nlimiters;
	pthread_mutex_unlock(&rl->mu);
	return n;
}

size_t pb_ratelimit_clients(struct pb_ratelimit *rl)
{
	size_t n = 0;
	pthread_mutex_lock(&rl->mu);
	for (struct rl_limiter *l = rl->limiters; l; l = l->next)
		n += l->nclients;
	pthread_mutex_unlock(&rl->mu);
	return n;
}
