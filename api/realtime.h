/* realtime (api) — the two realtime routes of PocketBase's apis/realtime.go on top of the
 * broker (realtime/realtime.h), and the transport that lets the broker post work to worker
 * loops and write to SSE streams:
 *   GET  /api/realtime  opens an SSE stream (a broker client on this worker's shard),
 *   POST /api/realtime  binds {clientId, subscriptions} and the request's auth to a client,
 *                       on whichever worker owns that client. */
#ifndef POCKETC_API_REALTIME_H
#define POCKETC_API_REALTIME_H

#include "api/http.h"
#include "realtime/realtime.h"

/* The transport for pb_rt_hub_new: loops are `struct pb_worker *`, streams the handlers'
 * exchanges. */
extern const struct pb_rt_transport pb_api_realtime_transport;

/* GET /api/realtime: 200 text/event-stream with the PB_CONNECT message, then the client's
 * messages until it disconnects, 5 minutes pass without a message, 30 minutes passed or the
 * server shuts down (the stream then ends cleanly). HEAD gets the headers only. */
void pb_api_realtime_connect(struct pb_req *req);
/* POST /api/realtime: 204, or 400 (body/validation, IP mismatch), 404 (unknown client),
 * 403 (auth mismatch), as PocketBase. */
void pb_api_realtime_subscribe(struct pb_req *req);

/* The request's IP as PocketBase's RequestEvent.RealIP gives it: the last value of the first
 * configured trusted-proxy header that holds a valid IP (rightmost, or leftmost when
 * configured; IPv6 fully expanded), otherwise the peer address. Writes into out. */
void pb_api_real_ip(struct pb_req *req, char *out, size_t cap);

#endif
