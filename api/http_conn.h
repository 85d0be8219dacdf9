/* http_conn — one client connection on a worker loop: reads request heads and bodies
 * (Content-Length or chunked), hands each exchange to the dispatcher, writes responses, keeps
 * the connection alive between exchanges (pipelined requests are answered in order) and closes
 * it the way Go's server does after an early answer: flush, half-close, drain for a moment.
 * The response writers of http.h (http_resp.c) queue their bytes through the functions below. */
#ifndef POCKETC_API_HTTP_CONN_H
#define POCKETC_API_HTTP_CONN_H

#include <event2/bufferevent.h>
#include <event2/util.h>
#include <stdbool.h>
#include <stddef.h>

#include "api/http.h"
#include "api/worker.h"

/* Takes over an accepted socket and starts reading requests from it. */
void pb_conn_accept(struct pb_worker *w, evutil_socket_t fd, const struct sockaddr *sa, int salen);
/* Shutdown helpers for the worker: close connections with no exchange in progress / all. */
void pb_conn_close_idle(struct pb_worker *w);
void pb_conn_close_all(struct pb_worker *w);
/* Frees every connection and exchange left, pending or not (the very end of a worker). */
void pb_conn_free_all(struct pb_worker *w);
/* Called by the connection layer when a connection of a stopping worker is gone (worker.c). */
void pb_worker_conn_closed(struct pb_worker *w);

/* Runs fn(req) on the worker loop as dispatcher code does: an answer given inside completes
 * the exchange only once fn has returned, so fn may touch req after answering. For resuming a
 * parked exchange (req->async) from a task posted to the loop. */
void pb_conn_resume(struct pb_req *req, void (*fn)(struct pb_req *req));

/* ---- used by http_resp.c ---- */

/* The output buffer of req's connection, or NULL when the client is gone. Borrowed. */
struct evbuffer *pb_conn_output(struct pb_req *req);
/* Writes what the socket takes of data[0..len) at once, when nothing is queued before it (so
 * a small answer needs no write event); returns how many bytes went out (0..len): the caller
 * queues the rest on pb_conn_output. */
size_t pb_conn_send_now(struct pb_req *req, const void *data, size_t len);
/* The response of req is fully queued: finish the exchange (free req, continue with the next
 * request or close, as req->close_after and the protocol say). */
void pb_conn_exchange_done(struct pb_req *req);
/* Bytes queued but not yet written to the socket. */
size_t pb_conn_pending(const struct pb_req *req);

#endif
