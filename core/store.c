/* store — a chained hash table of markers and window counters under one mutex (see store.h). */
#include "core/store.h"

#include <stdlib.h>
#include <string.h>

#define COUNTER_FORGET_AFTER 1800 /* rateLimiter minDeleteInterval */

struct pb_store_entry {
	char *key;
	int64_t expires; /* unix seconds; the entry is gone at or after this instant */
	bool counter;
	int available;   /* counter: requests left in the window */
	int64_t start;   /* counter: window start */
	char *value;     /* a string value (pb_store_set_value), else NULL */
	struct pb_store_entry *next;
};

static unsigned bucket_of(const char *key)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h % PB_STORE_BUCKETS;
}

static void entry_free(struct pb_store_entry *e)
{
	free(e->key);
	free(e->value);
	free(e);
}

/* Finds `key` in its chain, dropping expired entries met on the way. Lock held. */
static struct pb_store_entry *find(struct pb_store *s, const char *key, int64_t now, struct pb_store_entry ***slot)
{
	struct pb_store_entry **pp = &s->buckets[bucket_of(key)];
	while (*pp) {
		struct pb_store_entry *e = *pp;
		if (e->expires <= now) {
			*pp = e->next;
			entry_free(e);
			continue;
		}
		if (strcmp(e->key, key) == 0) {
			if (slot)
				*slot = pp;
			return e;
		}
		pp = &e->next;
	}
	if (slot)
		*slot = pp;
	return NULL;
}

static struct pb_store_entry *insert(struct pb_store *s, const char *key)
{
	struct pb_store_entry *e = calloc(1, sizeof *e);
	if (!e || !(e->key = strdup(key)))
		abort();
	unsigned b = bucket_of(key);
	e->next = s->buckets[b];
	s->buckets[b] = e;
	return e;
}

void pb_store_init(struct pb_store *s)
{
	memset(s, 0, sizeof *s);
	pthread_mutex_init(&s->lock, NULL);
	s->initialized = true;
}

void pb_store_deinit(struct pb_store *s)
{
	if (!s || !s->initialized)
		return;
	for (int i = 0; i < PB_STORE_BUCKETS; i++) {
		struct pb_store_entry *e = s->buckets[i];
		while (e) {
			struct pb_store_entry *next = e->next;
			entry_free(e);
			e = next;
		}
	}
	pthread_mutex_destroy(&s->lock);
	memset(s, 0, sizeof *s);
}

bool pb_store_has(struct pb_store *s, const char *key, int64_t now)
{
	pthread_mutex_lock(&s->lock);
	bool has = find(s, key, now, NULL) != NULL;
	pthread_mutex_unlock(&s->lock);
	return has;
}

void pb_store_set_value(struct pb_store *s, const char *key, const char *value, int64_t ttl, int64_t now)
{
	char *copy = value ? strdup(value) : NULL;
	if (value && !copy)
		abort();
	pthread_mutex_lock(&s->lock);
	struct pb_store_entry *e = find(s, key, now, NULL);
	if (!e)
		e = insert(s, key);
	e->counter = false;
	free(e->value);
	e->value = copy;
	e->expires = now + ttl;
	pthread_mutex_unlock(&s->lock);
}

char *pb_store_take_value(struct pb_store *s, const char *key, int64_t now)
{
	pthread_mutex_lock(&s->lock);
	struct pb_store_entry **slot = NULL;
	struct pb_store_entry *e = find(s, key, now, &slot);
	char *value = NULL;
	if (e && e->value) {
		value = e->value;
		e->value = NULL;
		*slot = e->next;
		entry_free(e);
	}
	pthread_mutex_unlock(&s->lock);
	return value;
}

void pb_store_remove(struct pb_store *s, const char *key)
{
	pthread_mutex_lock(&s->lock);
	struct pb_store_entry **slot = NULL;
	struct pb_store_entry *e = find(s, key, INT64_MIN, &slot);
	if (e) {
		*slot = e->next;
		entry_free(e);
	}
	pthread_mutex_unlock(&s->lock);
}

bool pb_store_consume(struct pb_store *s, const char *key, int max, int64_t interval, int64_t now)
{
	pthread_mutex_lock(&s->lock);
	struct pb_store_entry *e = find(s, key, now, NULL);
	if (!e || !e->counter) {
		if (!e)
			e = insert(s, key);
		free(e->value);
		e->value = NULL;
		e->counter = true;
		e->available = max;
		e->start = now;
	} else if (now - e->start >= interval) {
		e->available = max;
		e->start = now;
	}
	bool ok = e->available > 0;
	if (ok)
		e->available--;
	e->expires = e->start + interval + COUNTER_FORGET_AFTER + 1;
	pthread_mutex_unlock(&s->lock);
	return ok;
}

void pb_store_set(struct pb_store *s, const char *key, int64_t ttl, int64_t now) { pb_store_set_value(s, key, NULL, ttl, now); }
