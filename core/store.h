/* store — the app's small in-memory key store, PocketBase's app.Store() as the auth flows use
 * it: short-lived marker keys ("a password reset mail was sent for this record in the last 2
 * minutes", `@limitPasswordResetEmail_<collectionId><recordId>`), short-lived string values (the
 * Apple user name an /api/oauth2-redirect forwards to auth-with-oauth2) and fixed-window request
 * counters (the always-on OTP brute-force guard of auth-with-otp: 5 attempts per 180 s per
 * record and client IP, apis/middlewares_rate_limit.go rateClient.consume). Thread-safe (one
 * mutex); owned by the app, never global. Keys are copied. Times are unix seconds passed in by
 * the caller so tests control the clock; expired entries are dropped lazily. */
#ifndef POCKETC_CORE_STORE_H
#define POCKETC_CORE_STORE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define PB_STORE_BUCKETS 256

struct pb_store_entry;

struct pb_store {
	pthread_mutex_t lock;
	struct pb_store_entry *buckets[PB_STORE_BUCKETS]; /* owned chains */
	bool initialized;
};

void pb_store_init(struct pb_store *s);
/* Frees every entry. Safe on a zeroed store. */
void pb_store_deinit(struct pb_store *s);

/* True when `key` was set and has not expired at `now`. */
bool pb_store_has(struct pb_store *s, const char *key, int64_t now);
/* Sets `key` (a marker) until now + ttl seconds, replacing any earlier value or counter. */
void pb_store_set(struct pb_store *s, const char *key, int64_t ttl, int64_t now);
/* Sets `key` to a string value (copied; NULL = a marker) until now + ttl seconds, replacing
 * what was there. */
void pb_store_set_value(struct pb_store *s, const char *key, const char *value, int64_t ttl, int64_t now);
/* Removes `key` and returns its unexpired string value (caller frees), or NULL when the key is
 * absent, expired or holds no value (a non-value entry is left in place). */
char *pb_store_take_value(struct pb_store *s, const char *key, int64_t now);
/* Removes `key` (no-op when absent). */
void pb_store_remove(struct pb_store *s, const char *key);

/* One request against the fixed-window counter `key` allowing `max` requests per `interval`
 * seconds: a window starts at the first request and is renewed once `interval` has elapsed.
 * Returns true when the request is allowed (and counted), false when the window's allowance
 * is used up. An idle counter is forgotten 1800 s after its window ended, as upstream. */
bool pb_store_consume(struct pb_store *s, const char *key, int max, int64_t interval, int64_t now);

#endif
