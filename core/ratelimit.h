/* ratelimit — the store of PocketBase's settings rate limiters (apis/middlewares_rate_limit.go
 * of v0.39.11): one limiter per rule key (e.g. "/api/" + audience, or a collection id + route
 * pattern + tags + audience), created with the rule's maxRequests/duration the first time the
 * key is used; inside a limiter one fixed-window counter per client key (the real IP). A
 * window starts with the first request of a client; once `duration` seconds have passed since
 * its start the counter is refilled to maxRequests. The store is shared by every worker thread
 * (one mutex), owned by the app, emptied when the settings are saved, and cleaned hourly of
 * clients idle for more than 1800 s after their last window ended. Nothing here knows about
 * HTTP; time is passed in (Unix seconds) so the behaviour is testable. */
#ifndef POCKETC_CORE_RATELIMIT_H
#define POCKETC_CORE_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* PocketBase's minDeleteInterval of every limiter: idle clients are dropped this long after
 * their last window ended. */
#define PB_RATELIMIT_IDLE_S 1800

struct pb_ratelimit;

/* A new, empty store. Never NULL (aborts on out of memory). */
struct pb_ratelimit *pb_ratelimit_new(void);
/* Frees the store and every limiter. NULL is a no-op. */
void pb_ratelimit_free(struct pb_ratelimit *rl);

/* rateLimiter.isAllowed: consumes one request of client `client` in limiter `key` (both
 * copied on first use; the limiter keeps the max_requests/duration_s it was created with
 * until the store is reset). Returns true when allowed. *store_created (may be NULL) is set to
 * true when the store held no limiter before this call (the moment PocketBase initialises its
 * limiters store and registers the cleanup cron job). Callable from any thread. */
bool pb_ratelimit_allow(struct pb_ratelimit *rl, const char *key, const char *client, int64_t max_requests,
                        int64_t duration_s, int64_t now_s, bool *store_created);

/* Drops every limiter (the settings-reload reset). */
void pb_ratelimit_reset(struct pb_ratelimit *rl);

/* rateLimiter.clean for every limiter: removes the clients with
 * now_s - (window start + duration) > idle_s. Returns the number of clients removed. */
size_t pb_ratelimit_clean(struct pb_ratelimit *rl, int64_t now_s, int64_t idle_s);

/* Number of limiters / of clients over all limiters (diagnostics and tests). */
size_t pb_ratelimit_limiters(struct pb_ratelimit *rl);
size_t pb_ratelimit_clients(struct pb_ratelimit *rl);

#endif
