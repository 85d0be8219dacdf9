/* server — the HTTP server: N worker threads, each with its own libevent loop, its own
 * listening socket on the shared port (SO_REUSEPORT, so the kernel spreads connections) and
 * its own SQLite read connection. Requests never leave the worker that accepted them. */
#ifndef POCKETC_API_SERVER_H
#define POCKETC_API_SERVER_H

#include "core/app.h"

/* Binds cfg->http_addr, prints PocketBase's start banner and serves until SIGINT/SIGTERM
 * (the caller blocks both signals in every thread before starting any thread).
 * Returns 0 on a clean shutdown, -1 (after printing the error) when it cannot start. */
int pb_server_run(struct pb_app *app);

#endif
