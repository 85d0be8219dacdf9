/* realtime — PocketBase's realtime broker (apis/realtime.go + tools/subscriptions) for a
 * multi-loop server. The hub has one shard per worker loop; a client (one SSE stream) lives
 * on the shard of the loop that accepted it and is only ever touched on that loop. Which
 * shard owns a client follows from its id (pb_rt_hub_route), so a subscription POST that
 * arrives on another loop is handed to the owner without any shared client table.
 *
 * Committed change events (core/writer.h event sink, shape of collections/record_save.h) go
 * to every shard that has interested clients as one refcounted event; each shard filters it
 * for its own clients with its own read connection: listRule for the wildcard topic (`COLL/`
 * then `*`, and the bare `COLL`), viewRule for `COLL/ID`, the subscription's `options` as
 * @request.query / @request.headers, the extra `filter` option, the record exported for the
 * subscriber (hidden fields, email, expand, fields) and one SSE message per matching
 * subscription whose event name is the exact subscription string. Rule checks are done once per distinct
 * (rule, auth[, options]) and payloads built once per distinct (auth, options) per event.
 *
 * Nothing here knows HTTP: the transport callbacks (api/realtime.c) post work to a loop,
 * write bytes to a client's stream and end a stream the broker dropped. */
#ifndef POCKETC_REALTIME_REALTIME_H
#define POCKETC_REALTIME_REALTIME_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collections/schema.h"
#include "core/stmt_cache.h"
#include "core/strbuf.h"

#define PB_RT_CLIENT_ID_LEN 40                 /* security.RandomString(40) */
#define PB_RT_MAX_SUBSCRIPTIONS 1000           /* per POST */
#define PB_RT_MAX_TOPIC_LEN 2500               /* characters per subscription */
#define PB_RT_IDLE_TIMEOUT_MS (5 * 60 * 1000)  /* no message delivered for 5 min → close */
#define PB_RT_MAX_LIFETIME_MS (30 * 60 * 1000) /* absolute lifetime of a stream */
#define PB_RT_MAX_PENDING (256 << 10)          /* unsent bytes beyond which a client is dropped */

struct pb_rt_hub;
struct pb_rt_shard;
struct pb_rt_client;
struct pb_rt_subs;

/* How the broker reaches loops and streams. All three are required. */
struct pb_rt_transport {
	/* Runs fn(arg) on the thread of `loop` (a shard's pb_rt_shard_attach value) soon; callable
	 * from any thread; fn always runs (also during shutdown). */
	void (*post)(void *loop, void (*fn)(void *arg), void *arg);
	/* Queues `len` bytes (copied) on the stream `conn` (a pb_rt_client_open value). Returns 0,
	 * or -1 when the stream cannot take them (gone, or more than PB_RT_MAX_PENDING bytes still
	 * unsent): the broker then drops the client. Called on the client's loop. */
	int (*write)(void *conn, const char *data, size_t len);
	/* The broker dropped the client of `conn` (a write failed): the client is already
	 * unregistered and freed; end the stream. Called once, on the client's loop. */
	void (*drop)(void *conn);
};

/* ---- hub (created once, before the loops start) ------------------------------------------- */

/* A hub with `nshards` (>= 1) shards. `t` is borrowed and must outlive the hub. Never NULL
 * (aborts on out of memory). */
struct pb_rt_hub *pb_rt_hub_new(size_t nshards, const struct pb_rt_transport *t);
/* Replaces the idle timeout and the maximum lifetime of streams (ms, > 0; defaults
 * PB_RT_IDLE_TIMEOUT_MS / PB_RT_MAX_LIFETIME_MS). Call before the loops start. */
void pb_rt_hub_set_timeouts(struct pb_rt_hub *h, int64_t idle_ms, int64_t max_ms);
/* Frees the hub, its shards and any client still registered (without calling the transport).
 * Call after every loop has stopped and no event can be published any more. NULL is a no-op. */
void pb_rt_hub_free(struct pb_rt_hub *h);
size_t pb_rt_hub_nshards(const struct pb_rt_hub *h);
/* Shard i (borrowed), or NULL when out of range. */
struct pb_rt_shard *pb_rt_hub_shard(struct pb_rt_hub *h, size_t i);
/* The shard that owns (or would own) the client `client_id` (any string). Borrowed. */
struct pb_rt_shard *pb_rt_hub_route(struct pb_rt_hub *h, const char *client_id);
/* The writer's event sink (pb_write_event_fn, arg = the hub): when some shard has interested
 * clients, posts a deep copy of `event` (borrowed; it may share values with a record its
 * writer hands on after the sink returns) to each of them. Any thread. */
void pb_rt_hub_publish(void *hub, json_t *event);
/* Whether pb_rt_hub_publish would hand an event to anyone now (some shard has a client with a
 * subscription). Any thread; the answer may be stale at once. */
bool pb_rt_hub_interested(void *hub);

/* ---- shards --------------------------------------------------------------------------------- */

/* Binds shard s to its loop (opaque, passed to transport->post) and to that loop's statement
 * cache over its read connection (borrowed; used for rule checks, expand and auth refresh).
 * Call before the loop starts. */
void pb_rt_shard_attach(struct pb_rt_shard *s, void *loop, struct pb_stmt_cache *stmts);
void *pb_rt_shard_loop(const struct pb_rt_shard *s);
struct pb_rt_hub *pb_rt_shard_hub(const struct pb_rt_shard *s);
/* Registered clients of the shard (its own loop only). */
size_t pb_rt_shard_nclients(const struct pb_rt_shard *s);

/* What a shard did (its own loop only; counters since creation). */
struct pb_rt_stats {
	uint64_t events;       /* change events processed */
	uint64_t rule_checks;  /* rule/filter/manageRule evaluations that were not served from the
	                        * per-event cache */
	uint64_t payloads;     /* message payloads built */
	uint64_t messages;     /* SSE messages queued */
	uint64_t dropped;      /* clients dropped because a write failed */
};
void pb_rt_shard_stats(const struct pb_rt_shard *s, struct pb_rt_stats *out);

/* Processes one committed change event (borrowed) for the shard's clients: auth refresh or
 * unset for auth records, then the messages. Runs on the shard's loop (the hub's publish
 * does this; exposed for tests). `schema` (borrowed) is the snapshot to resolve the
 * collection and rules with. */
void pb_rt_shard_broadcast(struct pb_rt_shard *s, const struct pb_schema *schema, const json_t *event);

/* ---- clients (on their shard's loop only) ----------------------------------------------------- */

/* Registers a new client on s for the stream `conn` (opaque, passed to the transport) opened
 * from `ip` (copied; "" = unknown, no IP check). Its id is 40 random [A-Za-z0-9] characters
 * chosen so that pb_rt_hub_route() finds s. Returns the client (owned by the shard until
 * pb_rt_client_close or a drop) or NULL when the random source fails. */
struct pb_rt_client *pb_rt_client_open(struct pb_rt_shard *s, const char *ip, void *conn);
/* Unregisters and frees a client (its subscriptions vanish). Does not touch the stream. */
void pb_rt_client_close(struct pb_rt_client *c);
/* The client's id (borrowed, 40 characters). */
const char *pb_rt_client_id(const struct pb_rt_client *c);
/* Monotonic times (ms): when the client was opened, when its last message was queued (the
 * open time until then; PB_CONNECT does not count). */
int64_t pb_rt_client_opened_ms(const struct pb_rt_client *c);
int64_t pb_rt_client_active_ms(const struct pb_rt_client *c);
/* When the stream of c is to be closed (monotonic ms): its last message (or its opening) plus
 * the idle timeout, or its opening plus the maximum lifetime, whichever comes first. */
int64_t pb_rt_client_deadline_ms(const struct pb_rt_client *c);
/* Looks a client up by id on s (borrowed) or NULL. */
struct pb_rt_client *pb_rt_shard_find(struct pb_rt_shard *s, const char *id);

/* ---- subscriptions ------------------------------------------------------------------------------ */

/* Parses subscription strings as Client.Subscribe does: empty strings skipped, duplicates
 * kept once (first position), each string's `options` query parameter (URL-parsed as Go's
 * url.Parse, JSON decoded leniently: errors mean no options) turned into string maps, header
 * names snake_cased. `topics[i]` has `lens[i]` bytes (may hold NUL bytes). Returns a new set
 * (pb_rt_subs_free) — never NULL, possibly empty. Any thread. */
struct pb_rt_subs *pb_rt_subs_parse(const char *const *topics, const size_t *lens, size_t n);
void pb_rt_subs_free(struct pb_rt_subs *s);
/* Number of subscriptions, and subscription i's string (borrowed) and its options (borrowed
 * objects, NULL when absent). */
size_t pb_rt_subs_count(const struct pb_rt_subs *s);
const char *pb_rt_subs_topic(const struct pb_rt_subs *s, size_t i, size_t *len);
json_t *pb_rt_subs_query(const struct pb_rt_subs *s, size_t i);
json_t *pb_rt_subs_headers(const struct pb_rt_subs *s, size_t i);

/* inflector.Snakecase: words of [0-9A-Za-z] (anything else separates), "_" before an upper-case
 * letter that follows a non-upper-case one, lower-cased ("X-Token" → "x_token", "myTestDB" →
 * "my_test_db"). Appends to out. */
void pb_rt_snakecase(const char *s, size_t len, struct pb_strbuf *out);

/* ---- POST /api/realtime, applied on the client's shard ------------------------------------------ */

enum pb_rt_subscribe_result {
	PB_RT_SUB_OK = 0,        /* 204 */
	PB_RT_SUB_NO_CLIENT,     /* 404 Missing or invalid client id. */
	PB_RT_SUB_BAD_IP,        /* 400 Invalid realtime client. */
	PB_RT_SUB_AUTH_MISMATCH, /* 403 The current and the previous request authorization don't match. */
};

struct pb_rt_subscribe {
	/* in (owned by the struct; pb_rt_subscribe_deinit releases what is left) */
	char *client_id;
	char ip[64];                /* the request's real IP */
	struct pb_rt_subs *subs;    /* stolen by a successful apply */
	json_t *auth;               /* the requester's auth record as rules see it, NULL for a guest;
	                             * stolen by a successful apply */
	char *auth_collection_id;   /* NULL for a guest */
	bool superuser;
	uint64_t token_key_hash;    /* pb_rt_hash64 of the record's tokenKey */
	uint64_t secret_hash;       /* pb_rt_hash64 of its collection's authToken secret */
	/* out */
	enum pb_rt_subscribe_result result;
};

void pb_rt_subscribe_init(struct pb_rt_subscribe *r);
void pb_rt_subscribe_deinit(struct pb_rt_subscribe *r);
/* realtimeSetSubscriptions after validation, on the client's shard (auth states are first
 * re-checked against the current schema snapshot, so a deleted auth collection or a changed
 * secret has unset them): unknown client → NO_CLIENT;
 * the client's IP set and different → BAD_IP; the client has an auth record and the request's
 * is not the same record (id and collection) → AUTH_MISMATCH (nothing changes); otherwise the
 * request's auth (possibly none) replaces the client's and its subscriptions replace all
 * previous ones. Sets r->result. */
void pb_rt_subscribe_apply(struct pb_rt_shard *s, struct pb_rt_subscribe *r);

/* A message for one client (e.g. the `@oauth2` redirect), applied on the client's shard. */
struct pb_rt_direct {
	const char *client_id;  /* borrowed */
	const char *ip;         /* borrowed: the sender's real IP, checked like the subscribe IP
	                         * (a mismatch sends nothing but still unsubscribes); NULL = no check */
	const char *topic;      /* borrowed: the client must be subscribed to exactly this string */
	const char *name;       /* borrowed: the SSE event name */
	const char *data;       /* borrowed payload bytes */
	size_t len;
	bool unsubscribe;       /* remove `topic` from the client afterwards */
	bool delivered;         /* out: the client exists, matched and the message was queued */
};
void pb_rt_direct_apply(struct pb_rt_shard *s, struct pb_rt_direct *d);

/* ---- SSE framing and helpers ------------------------------------------------------------------- */

/* Appends one SSE message exactly as PocketBase writes it:
 * "id:<id>\nevent:<name>\ndata:<data>\n\n" (no spaces, no retry field). */
void pb_sse_frame(struct pb_strbuf *out, const char *id, const char *name, size_t name_len, const char *data,
                  size_t data_len);

/* 64-bit FNV-1a of `len` bytes (used to remember tokenKeys and secrets without keeping them). */
uint64_t pb_rt_hash64(const char *s, size_t len);

/* Monotonic clock in milliseconds. */
int64_t pb_rt_now_ms(void);

#endif
