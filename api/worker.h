/* worker — one server thread: a libevent loop, an evhttp listener on the shared port and a
 * SQLite read connection used only by this thread. */
#ifndef POCKETC_API_WORKER_H
#define POCKETC_API_WORKER_H

#include <event2/event.h>
#include <event2/http.h>
#include <pthread.h>
#include <sqlite3.h>

#include "core/app.h"
#include "core/stmt_cache.h"

struct pb_worker {
	int index;
	struct pb_app *app;         /* borrowed */
	struct event_base *base;    /* owned */
	struct evhttp *http;        /* owned */
	sqlite3 *db;                /* owned: read connection */
	struct pb_stmt_cache stmts; /* owned: prepared statements of db */
	pthread_t thread;
};

#endif
