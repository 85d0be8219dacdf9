/* rt_test_util — shared helpers of the realtime broker tests: a capturing transport (every
 * stream is a `struct cap` buffer that can be told to refuse writes; posted tasks are queued
 * and run by the test), subscribers authenticated with PocketBase's pre-signed fixture tokens
 * (resolved like the auth middleware does, then bound with a subscription POST), and change
 * events built from fixture rows the way the write path shapes them. */
#ifndef POCKETC_TESTS_UNIT_RT_TEST_UTIL_H
#define POCKETC_TESTS_UNIT_RT_TEST_UTIL_H

#include <time.h>

#include "collections/auth_token.h"
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function" /* helpers this test does not need */
#include "read_test_util.h"
#pragma GCC diagnostic pop
#include "realtime/realtime_internal.h"
#include "tests/unit/fixture_tokens.h"

struct cap {
	struct pb_strbuf out; /* everything written to the stream */
	bool refuse;          /* make writes fail (a full or gone stream) */
	int drops;            /* transport->drop calls */
};

struct posted {
	void *loop;
	void (*fn)(void *);
	void *arg;
};
static struct posted rt_posted[64];
static size_t rt_nposted;

static void cap_post(void *loop, void (*fn)(void *), void *arg)
{
	if (rt_nposted < sizeof rt_posted / sizeof rt_posted[0])
		rt_posted[rt_nposted++] = (struct posted){loop, fn, arg};
}

static int cap_write(void *conn, const char *data, size_t len)
{
	struct cap *c = conn;
	if (c->refuse)
		return -1;
	pb_strbuf_append(&c->out, data, len);
	return 0;
}

static void cap_drop(void *conn) { ((struct cap *)conn)->drops++; }

static const struct pb_rt_transport CAP_TRANSPORT = {cap_post, cap_write, cap_drop};

/* Runs the queued tasks (in order) and returns how many ran. */
__attribute__((unused)) static size_t rt_run_posted(void)
{
	size_t n = rt_nposted;
	for (size_t i = 0; i < n; i++)
		rt_posted[i].fn(rt_posted[i].arg);
	rt_nposted = 0;
	return n;
}

__attribute__((unused)) static void cap_reset(struct cap *c) { pb_strbuf_reset(&c->out); }

/* Fills a subscribe request for `token` (NULL = guest) as the POST handler does. */
static void rt_fill_auth(struct rtu *t, struct pb_rt_subscribe *r, const char *token)
{
	if (!token)
		return;
	struct pb_auth a;
	if (pb_auth_token_resolve(t->schema, &t->stmts, token, "auth", (int64_t)time(NULL), &a) != 0) {
		fprintf(stderr, "token did not resolve\n");
		return;
	}
	char *tk = NULL;
	const struct pb_record_export x = {0};
	json_decref(pb_record_find_by_id(t->db, a.collection, json_string_value(json_object_get(a.record, "id")), &x,
	                                 &tk));
	r->auth = json_incref(a.record);
	r->auth_collection_id = strdup(a.collection->id);
	r->superuser = a.superuser;
	r->token_key_hash = tk ? pb_rt_hash64(tk, strlen(tk)) : 0;
	const char *secret = NULL;
	pb_collection_token_config(a.collection, "authToken", &secret, NULL);
	r->secret_hash = secret ? pb_rt_hash64(secret, strlen(secret)) : 0;
	free(tk);
	pb_auth_clear(&a);
}

/* A POST {clientId, subscriptions} from 127.0.0.1 with `token`; returns the result. */
static enum pb_rt_subscribe_result rt_post(struct rtu *t, struct pb_rt_shard *s, const char *client_id,
                                           const char *token, const char *const *topics, size_t n)
{
	struct pb_rt_subscribe r;
	pb_rt_subscribe_init(&r);
	r.client_id = strdup(client_id);
	snprintf(r.ip, sizeof r.ip, "127.0.0.1");
	size_t lens[64];
	for (size_t i = 0; i < n; i++)
		lens[i] = strlen(topics[i]);
	r.subs = pb_rt_subs_parse(topics, lens, n);
	rt_fill_auth(t, &r, token);
	pb_rt_subscribe_apply(s, &r);
	enum pb_rt_subscribe_result out = r.result;
	pb_rt_subscribe_deinit(&r);
	return out;
}

/* A client on s writing into cap, bound to `token` and subscribed to `topics`. */
__attribute__((unused)) static struct pb_rt_client *rt_subscriber(struct rtu *t, struct pb_rt_shard *s,
                                                                  struct cap *cap, const char *token,
                                                                  const char *const *topics, size_t n)
{
	struct pb_rt_client *c = pb_rt_client_open(s, "127.0.0.1", cap);
	if (c && rt_post(t, s, pb_rt_client_id(c), token, topics, n) != PB_RT_SUB_OK)
		fprintf(stderr, "subscribe failed\n");
	return c;
}

/* {"action","collectionId","record"} for the fixture row `id` of `coll` (new reference). */
__attribute__((unused)) static json_t *rt_event(struct rtu *t, const char *action, const char *coll, const char *id)
{
	const struct pb_collection *c = pb_schema_find(t->schema, coll);
	const struct pb_record_export x = {.show_hidden = true, .show_email = true};
	json_t *rec = c ? pb_record_find_by_id(t->db, c, id, &x, NULL) : NULL;
	if (!rec) {
		fprintf(stderr, "no record %s/%s\n", coll, id);
		rec = json_object();
	}
	return json_pack("{s:s,s:s,s:o}", "action", action, "collectionId", c ? c->id : "", "record", rec);
}

/* The SSE frame a client with id `cid` gets for `topic` and `data`; caller frees. */
__attribute__((unused)) static char *rt_frame(const char *cid, const char *topic, const char *data)
{
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_sse_frame(&b, cid, topic, strlen(topic), data, strlen(data));
	return pb_strbuf_steal(&b);
}

#endif
