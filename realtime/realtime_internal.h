/* realtime_internal — the broker's data structures, shared by the realtime/ files only
 * (clients.c: hub, shards and the client registry; subscriptions.c: parsed subscriptions;
 * broadcast.c: per-event filtering; sse.c: framing and sending). */
#ifndef POCKETC_REALTIME_REALTIME_INTERNAL_H
#define POCKETC_REALTIME_REALTIME_INTERNAL_H

#include <stdatomic.h>

#include "realtime/realtime.h"

/* One subscription string with its decoded options. */
struct pb_rt_sub {
	char *topic;       /* owned: the exact string, NUL-terminated (may hold NUL bytes) */
	size_t len;
	size_t base_len;   /* bytes before the first '?' (the part topics are matched on) */
	json_t *query;     /* owned object name → string, NULL when the options have none */
	json_t *headers;   /* owned object snake_name → string, NULL when none */
	char *options_key; /* owned: canonical JSON of the options ("" when there are none) —
	                    * subscriptions with equal keys see the same @request data */
};

struct pb_rt_subs {
	struct pb_rt_sub *items; /* owned array */
	size_t n;
};

struct pb_rt_client {
	struct pb_rt_client *next, *prev; /* the shard's list, in registration order */
	struct pb_rt_shard *shard;
	char id[PB_RT_CLIENT_ID_LEN + 1];
	char ip[64];
	void *conn;                  /* the transport's stream */
	int64_t opened_ms, active_ms;
	bool interested;             /* counted in shard->ninterested (has subscriptions or auth) */
	bool doomed;                 /* a write failed during a broadcast: drop afterwards */

	struct pb_rt_subs *subs;     /* owned, NULL = none */

	/* auth state (the Go client's store["auth"]) */
	json_t *auth;                /* owned reference (shared between clients of a shard after a
	                              * refresh; never modified), NULL for a guest */
	char *auth_cid;              /* owned: collection id of the auth record */
	char *auth_key;              /* owned: "<collectionId>/<id>", "" for a guest — the cache key */
	bool superuser;
	uint64_t token_key_hash;
	uint64_t secret_hash;
};

struct pb_rt_shard {
	struct pb_rt_hub *hub;
	size_t index;
	void *loop;                  /* transport's loop handle */
	struct pb_stmt_cache *stmts; /* borrowed: the loop's read connection */
	struct pb_rt_client *head, *tail;
	size_t nclients;
	atomic_size_t ninterested;   /* read by the publishing thread */
	struct pb_rt_client **table; /* owned open-addressing id table (cap a power of two) */
	size_t table_cap, table_used;
	struct pb_schema *seen_schema; /* owned reference: the snapshot auth states were checked against */
	struct pb_rt_stats stats;
};

struct pb_rt_hub {
	const struct pb_rt_transport *t; /* borrowed */
	struct pb_rt_shard *shards;      /* owned array */
	size_t nshards;
	int64_t idle_ms, max_ms;         /* stream timeouts */
};

/* clients.c */
/* Replaces c's auth state (steals `auth`, copies `cid`); NULL auth = guest. */
void pb_rt_client_set_auth(struct pb_rt_client *c, json_t *auth, const char *cid, bool superuser,
                           uint64_t token_key_hash, uint64_t secret_hash);
/* Recomputes whether c counts as interested. */
void pb_rt_client_update_interest(struct pb_rt_client *c);
/* Drops the clients marked doomed: unregistered, freed, transport->drop called. */
void pb_rt_shard_reap(struct pb_rt_shard *s);
/* Re-checks every authenticated client against `schema` (borrowed): its auth collection must
 * still exist with the same authToken secret, else the auth is unset. */
void pb_rt_shard_check_schema(struct pb_rt_shard *s, const struct pb_schema *schema);

/* sse.c */
/* Queues one message for c (frame built in `scratch`); counts it and marks c active. On a
 * write failure marks c doomed and returns -1. */
int pb_rt_client_write(struct pb_rt_client *c, struct pb_strbuf *scratch, const char *name, size_t name_len,
                       const char *data, size_t data_len);

/* subscriptions.c */
/* Frees the subscriptions' contents (not the array itself). */
void pb_rt_sub_deinit(struct pb_rt_sub *s);

#endif
