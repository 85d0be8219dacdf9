/* worker — one server thread: a libevent loop, a listening socket on the shared port
 * (SO_REUSEPORT, so the kernel spreads connections over the workers), a SQLite read
 * connection with its statement cache, and a task queue other threads use to hand results back
 * to this loop (the writer's commit acknowledgements, the blocking pool's results, shutdown).
 * Everything a worker owns is touched only by its own thread, except the task queue. */
#ifndef POCKETC_API_WORKER_H
#define POCKETC_API_WORKER_H

#include <event2/event.h>
#include <event2/listener.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <time.h>

#include "core/app.h"
#include "collections/auth_token.h"
#include "collections/filter_cache.h"
#include "core/stmt_cache.h"

struct pb_conn;
struct pb_task;
struct pb_rt_shard;
struct pb_router;

struct pb_worker {
	int index;
	struct pb_app *app;               /* borrowed */
	struct event_base *base;          /* owned */
	struct evconnlistener *listener;  /* owned (closes its socket) */
	sqlite3 *db;                      /* owned: read connection */
	struct pb_stmt_cache stmts;       /* owned: prepared statements of db */
	struct pb_filter_cache filters;   /* owned: compiled rules memo (collections/filter_cache.h) */
	struct pb_auth_cache auth_cache;  /* owned: tokens whose signature this worker verified */
	struct pb_router *router;         /* owned: pb_routes compiled (api/router.h) */
	sqlite3 *aux;                     /* owned: read connection of auxiliary.db, opened on first
	                                   * use by pb_worker_aux (the logs API), else NULL */
	pthread_t thread;

	int wake_fd;                      /* owned eventfd: "the queue has tasks" */
	struct event *wake_ev;            /* owned */
	pthread_mutex_t queue_lock;
	struct pb_task *queue_head, *queue_tail; /* owned, guarded by queue_lock */

	struct pb_conn *conns;            /* intrusive list of open connections (owned) */
	size_t nconns;
	bool stopping;
	struct event *stop_timer;         /* owned: forced exit after the grace period */

	struct pb_rt_shard *realtime;     /* borrowed: this loop's realtime shard (set by the server) */

	time_t date_sec;                  /* cached Date header for date_sec */
	char date[40];
};

/* Creates worker `index` around an already bound, listening socket `fd` (taken over). Opens
 * the read connection. Returns 0 or -1 with err set (everything created is freed). */
int pb_worker_init(struct pb_worker *w, int index, struct pb_app *app, int fd, struct pb_error *err);
/* Starts the worker's thread (runs its loop until pb_worker_stop). Returns 0 or -1. */
int pb_worker_start(struct pb_worker *w);
/* Asks the worker to stop (any thread): stop accepting, close idle connections, give running
 * exchanges `grace_ms` to finish, then leave the loop. */
void pb_worker_stop(struct pb_worker *w, int grace_ms);
/* Waits for the worker's loop to end (after pb_worker_stop). */
void pb_worker_join(struct pb_worker *w);
/* Joins the thread (if still running) and frees everything the worker owns. */
void pb_worker_deinit(struct pb_worker *w);

/* Runs fn(arg) on the worker's loop thread soon. Callable from any thread; fn is always run
 * (also during shutdown, before the loop exits). */
void pb_worker_post(struct pb_worker *w, void (*fn)(void *arg), void *arg);

/* The worker's read connection of auxiliary.db, opened on first use (PocketBase's PRAGMAs,
 * query_only). Borrowed; NULL with err set when it cannot be opened. Worker thread only. */
sqlite3 *pb_worker_aux(struct pb_worker *w, struct pb_error *err);

/* The HTTP Date header value for now ("Wed, 02 Dec 2026 04:07:55 GMT"). Borrowed; changes
 * once a second. */
const char *pb_worker_date(struct pb_worker *w);

#endif
