/* clients — the hub, its shards and the client registry (PocketBase's subscriptions.Broker and
 * DefaultClient store), the subscription POST applied on the owning shard
 * (realtimeSetSubscriptions after validation), direct messages and event fan-out.
 *
 * A client id is 40 random [A-Za-z0-9] characters, drawn again until its hash selects the
 * shard that creates it; so any loop can tell which shard owns an id without a shared table,
 * and each shard keeps its own id table (open addressing) and client list. */
#include <stdlib.h>
#include <string.h>

#include "core/random.h"
#include "realtime/realtime_internal.h"

/* ---- hub ---------------------------------------------------------------------------------- */

struct pb_rt_hub *pb_rt_hub_new(size_t nshards, const struct pb_rt_transport *t)
{
	struct pb_rt_hub *h = calloc(1, sizeof *h);
	if (!h)
		abort();
	h->t = t;
	h->idle_ms = PB_RT_IDLE_TIMEOUT_MS;
	h->max_ms = PB_RT_MAX_LIFETIME_MS;
	h->nshards = nshards ? nshards : 1;
	h->shards = calloc(h->nshards, sizeof *h->shards);
	if (!h->shards)
		abort();
	for (size_t i = 0; i < h->nshards; i++) {
		h->shards[i].hub = h;
		h->shards[i].index = i;
		atomic_init(&h->shards[i].ninterested, 0);
	}
	return h;
}

void pb_rt_hub_free(struct pb_rt_hub *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->nshards; i++) {
		struct pb_rt_shard *s = &h->shards[i];
		while (s->head)
			pb_rt_client_close(s->head);
		free(s->table);
		pb_schema_unref(s->seen_schema);
	}
	free(h->shards);
	free(h);
}

void pb_rt_hub_set_timeouts(struct pb_rt_hub *h, int64_t idle_ms, int64_t max_ms)
{
	if (idle_ms > 0)
		h->idle_ms = idle_ms;
	if (max_ms > 0)
		h->max_ms = max_ms;
}

size_t pb_rt_hub_nshards(const struct pb_rt_hub *h) { return h->nshards; }

struct pb_rt_shard *pb_rt_hub_shard(struct pb_rt_hub *h, size_t i) { return i < h->nshards ? &h->shards[i] : NULL; }

struct pb_rt_shard *pb_rt_hub_route(struct pb_rt_hub *h, const char *client_id)
{
	return &h->shards[pb_rt_hash64(client_id, strlen(client_id)) % h->nshards];
}

/* ---- shards ------------------------------------------------------------------------------- */

void pb_rt_shard_attach(struct pb_rt_shard *s, void *loop, struct pb_stmt_cache *stmts)
{
	s->loop = loop;
	s->stmts = stmts;
}

void *pb_rt_shard_loop(const struct pb_rt_shard *s) { return s->loop; }

struct pb_rt_hub *pb_rt_shard_hub(const struct pb_rt_shard *s) { return s->hub; }

size_t pb_rt_shard_nclients(const struct pb_rt_shard *s) { return s->nclients; }

void pb_rt_shard_stats(const struct pb_rt_shard *s, struct pb_rt_stats *out) { *out = s->stats; }

/* id table: linear probing on the high bits of a multiplicative hash (the low bits of the
 * plain hash chose the shard), deletion by backward shift */
static size_t slot_of(const struct pb_rt_shard *s, const char *id)
{
	uint64_t h = pb_rt_hash64(id, strlen(id)) * 0x9e3779b97f4a7c15ull;
	return (size_t)(h >> 32) & (s->table_cap - 1);
}

static void table_insert(struct pb_rt_shard *s, struct pb_rt_client *c);

static void table_grow(struct pb_rt_shard *s)
{
	struct pb_rt_client **old = s->table;
	size_t old_cap = s->table_cap;
	s->table_cap = old_cap ? old_cap * 2 : 64;
	s->table = calloc(s->table_cap, sizeof *s->table);
	if (!s->table)
		abort();
	s->table_used = 0;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i])
			table_insert(s, old[i]);
	free(old);
}

static void table_insert(struct pb_rt_shard *s, struct pb_rt_client *c)
{
	if ((s->table_used + 1) * 2 > s->table_cap)
		table_grow(s);
	size_t i = slot_of(s, c->id);
	while (s->table[i])
		i = (i + 1) & (s->table_cap - 1);
	s->table[i] = c;
	s->table_used++;
}

static void table_remove(struct pb_rt_shard *s, struct pb_rt_client *c)
{
	if (!s->table_cap)
		return;
	size_t mask = s->table_cap - 1, i = slot_of(s, c->id);
	while (s->table[i] && s->table[i] != c)
		i = (i + 1) & mask;
	if (!s->table[i])
		return;
	s->table[i] = NULL;
	s->table_used--;
	/* shift the rest of the cluster back so lookups never stop at the hole */
	for (size_t j = (i + 1) & mask; s->table[j]; j = (j + 1) & mask) {
		size_t home = slot_of(s, s->table[j]->id);
		/* move j into the hole i unless its home lies cyclically in (i, j] */
		bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
		if (!stays) {
			s->table[i] = s->table[j];
			s->table[j] = NULL;
			i = j;
		}
	}
}

struct pb_rt_client *pb_rt_shard_find(struct pb_rt_shard *s, const char *id)
{
	if (!s->table_cap || !id)
		return NULL;
	size_t mask = s->table_cap - 1;
	for (size_t i = slot_of(s, id); s->table[i]; i = (i + 1) & mask)
		if (!strcmp(s->table[i]->id, id))
			return s->table[i];
	return NULL;
}

/* ---- clients ------------------------------------------------------------------------------ */

struct pb_rt_client *pb_rt_client_open(struct pb_rt_shard *s, const char *ip, void *conn)
{
	struct pb_rt_client *c = calloc(1, sizeof *c);
	if (!c)
		abort();
	for (;;) {
		if (pb_random_string(c->id, PB_RT_CLIENT_ID_LEN, PB_ALPHABET_ALNUM) != 0) {
			free(c);
			return NULL;
		}
		if (pb_rt_hub_route(s->hub, c->id) == s && !pb_rt_shard_find(s, c->id))
			break;
	}
	c->shard = s;
	c->conn = conn;
	snprintf(c->ip, sizeof c->ip, "%s", ip ? ip : "");
	c->opened_ms = c->active_ms = pb_rt_now_ms();
	c->auth_key = strdup("");
	if (!c->auth_key)
		abort();
	c->prev = s->tail;
	if (s->tail)
		s->tail->next = c;
	else
		s->head = c;
	s->tail = c;
	s->nclients++;
	table_insert(s, c);
	return c;
}

void pb_rt_client_close(struct pb_rt_client *c)
{
	if (!c)
		return;
	struct pb_rt_shard *s = c->shard;
	table_remove(s, c);
	if (c->prev)
		c->prev->next = c->next;
	else
		s->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		s->tail = c->prev;
	s->nclients--;
	if (c->interested)
		atomic_fetch_sub(&s->ninterested, 1);
	pb_rt_subs_free(c->subs);
	json_decref(c->auth);
	free(c->auth_cid);
	free(c->auth_key);
	free(c);
}

const char *pb_rt_client_id(const struct pb_rt_client *c) { return c->id; }

int64_t pb_rt_client_opened_ms(const struct pb_rt_client *c) { return c->opened_ms; }

int64_t pb_rt_client_active_ms(const struct pb_rt_client *c) { return c->active_ms; }

int64_t pb_rt_client_deadline_ms(const struct pb_rt_client *c)
{
	const struct pb_rt_hub *h = c->shard->hub;
	int64_t idle = c->active_ms + h->idle_ms, max = c->opened_ms + h->max_ms;
	return idle < max ? idle : max;
}

void pb_rt_client_update_interest(struct pb_rt_client *c)
{
	bool now = c->auth || pb_rt_subs_count(c->subs) > 0;
	if (now != c->interested) {
		c->interested = now;
		if (now)
			atomic_fetch_add(&c->shard->ninterested, 1);
		else
			atomic_fetch_sub(&c->shard->ninterested, 1);
	}
}

void pb_rt_client_set_auth(struct pb_rt_client *c, json_t *auth, const char *cid, bool superuser,
                           uint64_t token_key_hash, uint64_t secret_hash)
{
	/* cid may be c->auth_cid itself: copy before releasing the old state */
	char *new_cid = auth ? strdup(cid ? cid : "") : NULL;
	if (auth && !new_cid)
		abort();
	json_decref(c->auth);
	free(c->auth_cid);
	free(c->auth_key);
	c->auth = auth;
	c->auth_cid = new_cid;
	c->superuser = false;
	c->token_key_hash = c->secret_hash = 0;
	struct pb_strbuf key = PB_STRBUF_INIT;
	if (auth) {
		c->superuser = superuser;
		c->token_key_hash = token_key_hash;
		c->secret_hash = secret_hash;
		const char *id = json_string_value(json_object_get(auth, "id"));
		pb_strbuf_printf(&key, "%s/%s", c->auth_cid, id ? id : "");
	}
	c->auth_key = pb_strbuf_steal(&key);
	pb_rt_client_update_interest(c);
}

void pb_rt_shard_reap(struct pb_rt_shard *s)
{
	struct pb_rt_client *c = s->head;
	while (c) {
		struct pb_rt_client *next = c->next;
		if (c->doomed) {
			void *conn = c->conn;
			pb_rt_client_close(c);
			s->stats.dropped++;
			s->hub->t->drop(conn);
		}
		c = next;
	}
}

static uint64_t secret_hash_of(const struct pb_collection *c)
{
	const char *secret = NULL;
	pb_collection_token_config(c, "authToken", &secret, NULL);
	return secret ? pb_rt_hash64(secret, strlen(secret)) : 0;
}

void pb_rt_shard_check_schema(struct pb_rt_shard *s, const struct pb_schema *schema)
{
	if (!schema || s->seen_schema == schema)
		return;
	for (struct pb_rt_client *c = s->head; c; c = c->next) {
		if (!c->auth)
			continue;
		const struct pb_collection *col = pb_schema_find_by_id(schema, c->auth_cid);
		/* realtimeUnsetClientsAuthByCollection: the collection is gone or its secret changed */
		if (!col || col->type != PB_COLLECTION_AUTH || secret_hash_of(col) != c->secret_hash)
			pb_rt_client_set_auth(c, NULL, NULL, false, 0, 0);
	}
	pb_schema_unref(s->seen_schema);
	s->seen_schema = pb_schema_ref((struct pb_schema *)schema);
}

/* ---- subscribe POST ----------------------------------------------------------------------- */

void pb_rt_subscribe_init(struct pb_rt_subscribe *r) { memset(r, 0, sizeof *r); }

void pb_rt_subscribe_deinit(struct pb_rt_subscribe *r)
{
	free(r->client_id);
	pb_rt_subs_free(r->subs);
	json_decref(r->auth);
	free(r->auth_collection_id);
	memset(r, 0, sizeof *r);
}

/* isSameAuth on the client's record and the request's one (id and collection id) */
static bool same_auth(const struct pb_rt_client *c, const struct pb_rt_subscribe *r)
{
	if (!c->auth || !r->auth)
		return !c->auth && !r->auth;
	const char *a = json_string_value(json_object_get(c->auth, "id"));
	const char *b = json_string_value(json_object_get(r->auth, "id"));
	return a && b && !strcmp(a, b) && r->auth_collection_id && !strcmp(c->auth_cid, r->auth_collection_id);
}

void pb_rt_subscribe_apply(struct pb_rt_shard *s, struct pb_rt_subscribe *r)
{
	struct pb_schema *now = pb_schema_current();
	pb_rt_shard_check_schema(s, now);
	pb_schema_unref(now);
	struct pb_rt_client *c = pb_rt_shard_find(s, r->client_id);
	if (!c) {
		r->result = PB_RT_SUB_NO_CLIENT;
		return;
	}
	if (c->ip[0] && strcmp(c->ip, r->ip) != 0) {
		r->result = PB_RT_SUB_BAD_IP;
		return;
	}
	/* only guest → auth upgrades; any other auth change is refused */
	if (c->auth && !same_auth(c, r)) {
		r->result = PB_RT_SUB_AUTH_MISMATCH;
		return;
	}
	pb_rt_client_set_auth(c, r->auth, r->auth_collection_id, r->superuser, r->token_key_hash, r->secret_hash);
	r->auth = NULL;
	pb_rt_subs_free(c->subs);
	c->subs = r->subs;
	r->subs = NULL;
	pb_rt_client_update_interest(c);
	r->result = PB_RT_SUB_OK;
}

/* ---- direct messages ---------------------------------------------------------------------- */

void pb_rt_direct_apply(struct pb_rt_shard *s, struct pb_rt_direct *d)
{
	d->delivered = false;
	struct pb_rt_client *c = pb_rt_shard_find(s, d->client_id);
	if (!c || c->doomed || !c->subs || !d->topic)
		return;
	/* a different IP than the client's gets nothing, but the subscription still goes */
	bool same_ip = !d->ip || !c->ip[0] || strcmp(c->ip, d->ip) == 0;
	size_t tlen = strlen(d->topic), at = c->subs->n;
	for (size_t i = 0; i < c->subs->n; i++)
		if (c->subs->items[i].len == tlen && !memcmp(c->subs->items[i].topic, d->topic, tlen)) {
			at = i;
			break;
		}
	if (at == c->subs->n)
		return;
	if (same_ip) {
		struct pb_strbuf frame = PB_STRBUF_INIT;
		d->delivered = pb_rt_client_write(c, &frame, d->name, strlen(d->name), d->data, d->len) == 0;
		pb_strbuf_deinit(&frame);
	}
	if (d->unsubscribe) {
		pb_rt_sub_deinit(&c->subs->items[at]);
		memmove(&c->subs->items[at], &c->subs->items[at + 1], (c->subs->n - at - 1) * sizeof *c->subs->items);
		c->subs->n--;
		pb_rt_client_update_interest(c);
	}
	pb_rt_shard_reap(s);
}

/* ---- event fan-out ------------------------------------------------------------------------ */

struct rt_event {
	atomic_int refs;
	json_t *event; /* owned reference, read-only while shared */
};

struct rt_task {
	struct pb_rt_shard *shard;
	struct rt_event *ev;
};

static void run_event(void *arg)
{
	struct rt_task *t = arg;
	struct pb_schema *schema = pb_schema_current();
	if (schema)
		pb_rt_shard_broadcast(t->shard, schema, t->ev->event);
	pb_schema_unref(schema);
	if (atomic_fetch_sub(&t->ev->refs, 1) == 1) {
		json_decref(t->ev->event);
		free(t->ev);
	}
	free(t);
}

/* Whether shard s has a client with a subscription and a loop to post events to. */
static bool shard_listens(struct pb_rt_shard *s) { return atomic_load(&s->ninterested) > 0 && s->loop; }

bool pb_rt_hub_interested(void *hub)
{
	struct pb_rt_hub *h = hub;
	for (size_t i = 0; h && i < h->nshards; i++)
		if (shard_listens(&h->shards[i]))
			return true;
	return false;
}

void pb_rt_hub_publish(void *hub, json_t *event)
{
	struct pb_rt_hub *h = hub;
	if (!h || !event)
		return;
	size_t n = 0;
	struct pb_rt_shard **targets = malloc(h->nshards * sizeof *targets);
	if (!targets)
		abort();
	for (size_t i = 0; i < h->nshards; i++)
		if (shard_listens(&h->shards[i]))
			targets[n++] = &h->shards[i];
	if (n) {
		struct rt_event *ev = malloc(sizeof *ev);
		if (!ev)
			abort();
		atomic_init(&ev->refs, (int)n);
		ev->event = json_deep_copy(event);
		for (size_t i = 0; i < n; i++) {
			struct rt_task *t = malloc(sizeof *t);
			if (!t)
				abort();
			t->shard = targets[i];
			t->ev = ev;
			h->t->post(targets[i]->loop, run_event, t);
		}
	}
	free(targets);
}
