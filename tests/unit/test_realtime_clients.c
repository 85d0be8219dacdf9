/* test_realtime_clients — the broker's client side (realtime/clients.c) on a temporary copy of
 * PocketBase's test fixture: ids routed to their shard and found again after many
 * opens/closes, the subscription POST outcomes of apis/realtime_test.go TestRealtimeSubscribe
 * (unknown client, other IP, guest → auth upgrade, same auth, mismatched auth, guest after
 * auth, replaced subscription sets), the auth maintenance of TestRealtimeAuthRecord*
 * (update refreshes, tokenKey change and delete unset, a changed collection secret unsets),
 * direct `@oauth2` messages, fan-out of published events to interested shards only, and
 * slow clients dropped through the transport. */
#include "rt_test_util.h"
#include "test.h"

static struct rtu T;

static void test_routing_and_table(struct pb_rt_hub *hub)
{
	enum { N = 300 };
	struct pb_rt_client *cls[N];
	struct cap dummy = {0};
	for (int i = 0; i < N; i++) {
		struct pb_rt_shard *s = pb_rt_hub_shard(hub, (size_t)i % 3);
		cls[i] = pb_rt_client_open(s, "127.0.0.1", &dummy);
		const char *id = pb_rt_client_id(cls[i]);
		CHECK(strlen(id) == PB_RT_CLIENT_ID_LEN);
		CHECK(strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == PB_RT_CLIENT_ID_LEN);
		CHECK(pb_rt_hub_route(hub, id) == s);
	}
	CHECK(strcmp(pb_rt_client_id(cls[0]), pb_rt_client_id(cls[3])) != 0);
	/* close every other one, the rest must still be found (backward-shift deletion) */
	for (int i = 0; i < N; i += 2)
		pb_rt_client_close(cls[i]);
	int found = 0;
	for (int i = 1; i < N; i += 2)
		found += pb_rt_shard_find(pb_rt_hub_shard(hub, (size_t)i % 3), pb_rt_client_id(cls[i])) == cls[i];
	CHECK(found == N / 2);
	CHECK(pb_rt_shard_find(pb_rt_hub_shard(hub, 0), "missing") == NULL);
	size_t total = 0;
	for (size_t k = 0; k < 3; k++)
		total += pb_rt_shard_nclients(pb_rt_hub_shard(hub, k));
	CHECK(total == N / 2);
	for (int i = 1; i < N; i += 2)
		pb_rt_client_close(cls[i]);
}

static void test_deadlines(struct pb_rt_hub *hub)
{
	struct cap cap = {0};
	struct pb_rt_client *c = pb_rt_client_open(pb_rt_hub_shard(hub, 0), "127.0.0.1", &cap);
	/* PocketBase's defaults: 5 min idle (from the opening until a message is delivered) */
	CHECK(pb_rt_client_deadline_ms(c) == pb_rt_client_opened_ms(c) + PB_RT_IDLE_TIMEOUT_MS);
	pb_rt_hub_set_timeouts(hub, 1000, 1500);
	CHECK(pb_rt_client_deadline_ms(c) == pb_rt_client_opened_ms(c) + 1000);
	c->active_ms = c->opened_ms + 800; /* a message 800 ms in: the lifetime cap wins */
	CHECK(pb_rt_client_deadline_ms(c) == pb_rt_client_opened_ms(c) + 1500);
	c->active_ms = c->opened_ms + 200;
	CHECK(pb_rt_client_deadline_ms(c) == pb_rt_client_opened_ms(c) + 1200);
	pb_rt_hub_set_timeouts(hub, PB_RT_IDLE_TIMEOUT_MS, PB_RT_MAX_LIFETIME_MS);
	pb_rt_client_close(c);
}

static void test_subscribe_outcomes(struct pb_rt_shard *s)
{
	struct cap cap = {0};
	struct pb_rt_client *c = pb_rt_client_open(s, "127.0.0.1", &cap);
	char id[PB_RT_CLIENT_ID_LEN + 1];
	snprintf(id, sizeof id, "%s", pb_rt_client_id(c));
	const char *t2[] = {"test1", "test2"};
	CHECK(rt_post(&T, s, "missing", NULL, t2, 2) == PB_RT_SUB_NO_CLIENT);

	/* the request IP must match the stream's */
	struct pb_rt_subscribe r;
	pb_rt_subscribe_init(&r);
	r.client_id = strdup(id);
	snprintf(r.ip, sizeof r.ip, "127.0.0.2");
	pb_rt_subscribe_apply(s, &r);
	CHECK(r.result == PB_RT_SUB_BAD_IP);
	pb_rt_subscribe_deinit(&r);

	/* replaced sets: 2 → 0 (empty) → 1000 */
	CHECK(rt_post(&T, s, id, NULL, t2, 2) == PB_RT_SUB_OK);
	CHECK(pb_rt_subs_count(c->subs) == 2);
	CHECK(rt_post(&T, s, id, NULL, NULL, 0) == PB_RT_SUB_OK);
	CHECK(pb_rt_subs_count(c->subs) == 0);
	CHECK(!c->interested);

	/* guest → user upgrade, then the same user, a different one, a guest and a superuser */
	CHECK(rt_post(&T, s, id, TOK_USER, t2, 2) == PB_RT_SUB_OK);
	CHECK(c->auth && !strcmp(json_string_value(json_object_get(c->auth, "id")), "4q1xlclmfloku33"));
	CHECK_STR(c->auth_key, "_pb_users_auth_/4q1xlclmfloku33");
	CHECK(c->interested);
	CHECK(rt_post(&T, s, id, TOK_USER, t2, 1) == PB_RT_SUB_OK);
	CHECK(pb_rt_subs_count(c->subs) == 1);
	CHECK(rt_post(&T, s, id, TOK_USER2, t2, 2) == PB_RT_SUB_AUTH_MISMATCH);
	CHECK(rt_post(&T, s, id, NULL, t2, 2) == PB_RT_SUB_AUTH_MISMATCH);
	CHECK(rt_post(&T, s, id, TOK_SUPERUSER, t2, 2) == PB_RT_SUB_AUTH_MISMATCH);
	CHECK(pb_rt_subs_count(c->subs) == 1); /* unchanged by the refused POSTs */
	CHECK(c->auth && !c->superuser);

	struct pb_rt_client *c2 = pb_rt_client_open(s, "127.0.0.1", &cap);
	CHECK(rt_post(&T, s, pb_rt_client_id(c2), TOK_SUPERUSER, t2, 2) == PB_RT_SUB_OK);
	CHECK(c2->superuser);
	/* a client registered without IP (custom clients upstream) skips the IP check */
	struct pb_rt_client *c3 = pb_rt_client_open(s, "", &cap);
	pb_rt_subscribe_init(&r);
	r.client_id = strdup(pb_rt_client_id(c3));
	snprintf(r.ip, sizeof r.ip, "10.0.0.1");
	pb_rt_subscribe_apply(s, &r);
	CHECK(r.result == PB_RT_SUB_OK);
	pb_rt_subscribe_deinit(&r);
	pb_rt_client_close(c);
	pb_rt_client_close(c2);
	pb_rt_client_close(c3);
	CHECK(rt_post(&T, s, id, NULL, t2, 2) == PB_RT_SUB_NO_CLIENT); /* gone with its stream */
	pb_strbuf_deinit(&cap.out);
}

static const char *auth_name(const struct pb_rt_client *c)
{
	return c->auth ? json_string_value(json_object_get(c->auth, "name")) : NULL;
}

static void test_auth_follows_records(struct pb_rt_shard *s)
{
	struct cap a = {0}, b = {0}, d = {0};
	const char *own[] = {"users/4q1xlclmfloku33"};
	struct pb_rt_client *c1 = rt_subscriber(&T, s, &a, TOK_USER, own, 1);
	struct pb_rt_client *c2 = rt_subscriber(&T, s, &b, TOK_USER, NULL, 0);
	struct pb_rt_client *c3 = rt_subscriber(&T, s, &d, TOK_USER2, NULL, 0);
	CHECK(c2->interested); /* auth alone keeps it interested in events */

	/* an update of the record refreshes the stored copy, and the rule sees it */
	CHECK(sqlite3_exec(T.db, "UPDATE users SET name = 'test_new_name' WHERE id = '4q1xlclmfloku33'", NULL, NULL, NULL) ==
	      SQLITE_OK);
	json_t *ev = rt_event(&T, "update", "users", "4q1xlclmfloku33");
	pb_rt_shard_broadcast(s, T.schema, ev);
	json_decref(ev);
	CHECK_STR(auth_name(c1), "test_new_name");
	CHECK_STR(auth_name(c2), "test_new_name");
	CHECK_STR(auth_name(c3), ""); /* another record: untouched */
	CHECK(strstr(pb_strbuf_cstr(&a.out), "\"name\":\"test_new_name\"") != NULL);

	/* a new tokenKey (password change, token reset) unsets the auth of its clients */
	CHECK(sqlite3_exec(T.db, "UPDATE users SET tokenKey = 'changed' WHERE id = '4q1xlclmfloku33'", NULL, NULL, NULL) ==
	      SQLITE_OK);
	ev = rt_event(&T, "update", "users", "4q1xlclmfloku33");
	pb_rt_shard_broadcast(s, T.schema, ev);
	json_decref(ev);
	CHECK(!c1->auth && !c2->auth && c3->auth);
	CHECK_STR(c1->auth_key, "");
	CHECK(!c2->interested);
	/* after the unset any auth may be associated again */
	const char *none[] = {"x"};
	CHECK(rt_post(&T, s, pb_rt_client_id(c2), TOK_USER2, none, 1) == PB_RT_SUB_OK);

	/* deleting an auth record unsets its clients only */
	ev = rt_event(&T, "delete", "users", "oap640cot4yru2s");
	pb_rt_shard_broadcast(s, T.schema, ev);
	json_decref(ev);
	CHECK(!c2->auth && !c3->auth);

	pb_rt_client_close(c1);
	pb_rt_client_close(c2);
	pb_rt_client_close(c3);
	pb_strbuf_deinit(&a.out);
	pb_strbuf_deinit(&b.out);
	pb_strbuf_deinit(&d.out);
}

/* TestRealtimeAuthRecordUnsetOnCollectionSecretChange: users' secret changes, clients' not */
static void test_secret_change(struct pb_rt_shard *s)
{
	struct cap a = {0}, b = {0};
	struct pb_rt_client *cu = rt_subscriber(&T, s, &a, TOK_USER2, NULL, 0);
	struct pb_rt_client *cc = rt_subscriber(&T, s, &b, TOK_CLIENT, NULL, 0);
	json_t *ev = rt_event(&T, "update", "demo2", "llvuca81nly1qls");
	pb_rt_shard_broadcast(s, T.schema, ev); /* same schema: nothing changes */
	CHECK(cu->auth && cc->auth);
	CHECK(rtu_alter(&T, "UPDATE _collections SET options = json_set(options, '$.authToken.secret', "
	                    "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa') WHERE name = 'users'") == 0);
	CHECK(rtu_alter(&T, "UPDATE _collections SET listRule = NULL WHERE name = 'clients'") == 0);
	pb_rt_shard_broadcast(s, T.schema, ev);
	json_decref(ev);
	CHECK(!cu->auth && cc->auth);
	/* a subscription POST also brings the shard up to the current snapshot first */
	struct pb_rt_client *cc2 = rt_subscriber(&T, s, &b, TOK_CLIENT, NULL, 0);
	CHECK(cc2->auth);
	CHECK(rtu_alter(&T, "UPDATE _collections SET options = json_set(options, '$.authToken.secret', "
	                    "'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb') WHERE name = 'clients'") == 0);
	pb_schema_publish(pb_schema_ref(T.schema));
	const char *none[] = {"x"};
	CHECK(rt_post(&T, s, pb_rt_client_id(cu), NULL, none, 1) == PB_RT_SUB_OK);
	CHECK(!cc->auth && !cc2->auth);
	pb_schema_publish(NULL);
	pb_rt_client_close(cc2);
	pb_rt_client_close(cu);
	pb_rt_client_close(cc);
	pb_strbuf_deinit(&a.out);
	pb_strbuf_deinit(&b.out);
}

static void test_direct(struct pb_rt_shard *s)
{
	struct cap a = {0};
	const char *topics[] = {"@oauth2", "demo2/*"};
	struct pb_rt_client *c = rt_subscriber(&T, s, &a, NULL, topics, 2);
	struct pb_rt_direct d = {pb_rt_client_id(c), "127.0.0.2", "@oauth2", "@oauth2", "{\"state\":\"x\"}", 13, true,
	                         false};
	pb_rt_direct_apply(s, &d);
	CHECK(!d.delivered && a.out.len == 0); /* other IP: nothing sent ... */
	CHECK(pb_rt_subs_count(c->subs) == 1); /* ... but unsubscribed, as PocketBase's defer */
	d.ip = "127.0.0.1";
	pb_rt_direct_apply(s, &d);
	CHECK(!d.delivered);
	const char *again[] = {"@oauth2", "demo2/*"};
	pb_rt_client_close(c);
	pb_strbuf_deinit(&a.out);
	a = (struct cap){0};
	c = rt_subscriber(&T, s, &a, NULL, again, 2);
	d.client_id = pb_rt_client_id(c);
	pb_rt_direct_apply(s, &d);
	CHECK(d.delivered);
	char *want = rt_frame(pb_rt_client_id(c), "@oauth2", "{\"state\":\"x\"}");
	CHECK_STR(pb_strbuf_cstr(&a.out), want);
	free(want);
	CHECK(pb_rt_subs_count(c->subs) == 1); /* unsubscribed from @oauth2 */
	pb_rt_direct_apply(s, &d);
	CHECK(!d.delivered);
	d.client_id = "missing";
	pb_rt_direct_apply(s, &d);
	CHECK(!d.delivered);
	pb_rt_client_close(c);
	pb_strbuf_deinit(&a.out);
}

static void test_publish_and_drops(struct pb_rt_hub *hub)
{
	struct pb_rt_shard *s0 = pb_rt_hub_shard(hub, 0), *s1 = pb_rt_hub_shard(hub, 1);
	struct cap idle = {0}, a = {0}, slow = {0};
	/* publishing needs the process-wide schema */
	pb_schema_publish(pb_schema_ref(T.schema));
	struct pb_rt_client *ci = pb_rt_client_open(s0, "127.0.0.1", &idle); /* no subscriptions: not interested */
	const char *topics[] = {"demo2/*"};
	struct pb_rt_client *ca = rt_subscriber(&T, s1, &a, NULL, topics, 1);
	struct pb_rt_client *cs = rt_subscriber(&T, s1, &slow, NULL, topics, 1);
	json_t *ev = rt_event(&T, "create", "demo2", "llvuca81nly1qls");
	pb_rt_hub_publish(hub, ev);
	json_decref(ev); /* the broker holds its own reference */
	CHECK(rt_nposted == 1 && rt_posted[0].loop == (void *)s1);
	CHECK(rt_run_posted() == 1);
	CHECK(strstr(pb_strbuf_cstr(&a.out), "\"action\":\"create\"") != NULL);
	CHECK(strstr(pb_strbuf_cstr(&slow.out), "\"action\":\"create\"") != NULL);
	CHECK(idle.out.len == 0);

	/* a stream that refuses bytes gets its client dropped, once */
	slow.refuse = true;
	ev = rt_event(&T, "update", "demo2", "llvuca81nly1qls");
	pb_rt_hub_publish(hub, ev);
	json_decref(ev);
	rt_run_posted();
	CHECK(slow.drops == 1);
	CHECK(pb_rt_shard_nclients(s1) == 1);
	CHECK(pb_rt_shard_find(s1, pb_rt_client_id(ca)) == ca);
	struct pb_rt_stats st;
	pb_rt_shard_stats(s1, &st);
	CHECK(st.dropped == 1 && st.events == 2);
	(void)cs;

	/* nobody interested: nothing is posted */
	pb_rt_client_close(ca);
	ev = rt_event(&T, "update", "demo2", "llvuca81nly1qls");
	pb_rt_hub_publish(hub, ev);
	json_decref(ev);
	CHECK(rt_nposted == 0);
	pb_rt_client_close(ci);
	pb_schema_publish(NULL);
	pb_strbuf_deinit(&idle.out);
	pb_strbuf_deinit(&a.out);
	pb_strbuf_deinit(&slow.out);
}

int main(void)
{
	if (rtu_open(&T) != 0) {
		fprintf(stderr, "fixture missing\n");
		return 1;
	}
	struct pb_rt_hub *hub = pb_rt_hub_new(3, &CAP_TRANSPORT);
	for (size_t i = 0; i < 3; i++)
		pb_rt_shard_attach(pb_rt_hub_shard(hub, i), pb_rt_hub_shard(hub, i), &T.stmts);
	test_routing_and_table(hub);
	test_deadlines(hub);
	struct pb_rt_shard *s = pb_rt_hub_shard(hub, 2);
	test_subscribe_outcomes(s);
	test_auth_follows_records(s);
	test_direct(s);
	test_publish_and_drops(hub);
	test_secret_change(s);
	pb_rt_hub_free(hub);
	rtu_close(&T);
	TEST_DONE();
}
