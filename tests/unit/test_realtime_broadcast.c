/* test_realtime_broadcast — change events filtered per subscriber (realtime/broadcast.c) on a
 * temporary copy of PocketBase's test fixture: list/view rules as the fixture defines them
 * (demo3: clients and superusers only; users: listRule null, viewRule `id = @request.auth.id`;
 * nologin: manageRule for users), the exact SSE bytes (event name = subscription string, id =
 * client id, {"record":…,"action":…}), expand/fields/filter options, options as
 * @request.query/@request.headers in a rule, email and hidden-field visibility, deletes checked
 * against the record as it was, and the per-event caching of rule checks and payloads. */
#include "rt_test_util.h"
#include "test.h"

static struct rtu T;

static const char *DEMO3_1TMK =
	"{\"record\":{\"collectionId\":\"wzlqyes4orhoygb\",\"collectionName\":\"demo3\",\"created\":\"2022-10-14 "
	"11:41:09.381Z\",\"files\":[],\"id\":\"1tmknxy2868d869\",\"title\":\"test1\",\"updated\":\"2022-10-14 "
	"11:41:09.381Z\"},\"action\":\"update\"}";

static const char *DEMO2_LLVU =
	"{\"active\":false,\"collectionId\":\"sz5l5z67tg7gku0\",\"collectionName\":\"demo2\",\"created\":\"2022-10-12 "
	"11:42:51.509Z\",\"id\":\"llvuca81nly1qls\",\"title\":\"test1\",\"updated\":\"2022-10-12 11:42:51.509Z\"}";

static void broadcast(struct pb_rt_shard *s, json_t *ev)
{
	pb_rt_shard_broadcast(s, T.schema, ev);
	json_decref(ev);
}

static void check_frames(struct cap *c, struct pb_rt_client *cl, const char *topic, const char *data)
{
	char *want = rt_frame(pb_rt_client_id(cl), topic, data);
	CHECK_STR(pb_strbuf_cstr(&c->out), want);
	free(want);
	cap_reset(c);
}

/* demo3's rules admit only non-`users` auth records; everyone subscribes to demo3's wildcard */
static void test_rules_and_bytes(struct pb_rt_shard *s)
{
	struct cap g = {0}, u = {0}, u2 = {0}, su = {0}, cl = {0};
	const char *topics[] = {"demo3/*"};
	struct pb_rt_client *cg = rt_subscriber(&T, s, &g, NULL, topics, 1);
	struct pb_rt_client *cu = rt_subscriber(&T, s, &u, TOK_USER, topics, 1);
	struct pb_rt_client *cu2 = rt_subscriber(&T, s, &u2, TOK_USER2, topics, 1);
	struct pb_rt_client *csu = rt_subscriber(&T, s, &su, TOK_SUPERUSER, topics, 1);
	struct pb_rt_client *ccl = rt_subscriber(&T, s, &cl, TOK_CLIENT, topics, 1);
	broadcast(s, rt_event(&T, "update", "demo3", "1tmknxy2868d869"));
	CHECK(g.out.len == 0);
	CHECK(u.out.len == 0);
	CHECK(u2.out.len == 0);
	check_frames(&su, csu, "demo3/*", DEMO3_1TMK);
	check_frames(&cl, ccl, "demo3/*", DEMO3_1TMK);

	/* by collection id, by record id (viewRule), the deprecated bare name; other records and
	 * other collections do not match; one message per matching subscription */
	const char *more[] = {"wzlqyes4orhoygb/*", "demo3/1tmknxy2868d869", "demo3", "demo3/mk5fmymtx4wsprk", "demo2/*",
	                      "Demo3/*", "demo3/1tmknxy2868d869?x=1"};
	CHECK(rt_post(&T, s, pb_rt_client_id(ccl), TOK_CLIENT, more, 7) == PB_RT_SUB_OK);
	broadcast(s, rt_event(&T, "update", "demo3", "1tmknxy2868d869"));
	struct pb_strbuf want = PB_STRBUF_INIT;
	const char *match[] = {"wzlqyes4orhoygb/*", "demo3/1tmknxy2868d869", "demo3", "demo3/1tmknxy2868d869?x=1"};
	for (size_t i = 0; i < 4; i++)
		pb_sse_frame(&want, pb_rt_client_id(ccl), match[i], strlen(match[i]), DEMO3_1TMK, strlen(DEMO3_1TMK));
	CHECK_STR(pb_strbuf_cstr(&cl.out), pb_strbuf_cstr(&want));
	pb_strbuf_deinit(&want);
	cap_reset(&cl);
	cap_reset(&su);

	/* deletes: the row still exists here, so check the CTE path with a record that never did */
	json_t *ev = rt_event(&T, "delete", "demo3", "1tmknxy2868d869");
	json_object_set_new(json_object_get(ev, "record"), "id", json_string("gonegonegone123"));
	broadcast(s, ev);
	CHECK(g.out.len == 0 && u.out.len == 0);
	CHECK(strstr(pb_strbuf_cstr(&su.out), "\"id\":\"gonegonegone123\"") != NULL);
	CHECK(strstr(pb_strbuf_cstr(&su.out), "\"action\":\"delete\"}\n\n") != NULL);
	cap_reset(&su);
	cap_reset(&cl);

	pb_rt_client_close(cg);
	pb_rt_client_close(cu);
	pb_rt_client_close(cu2);
	pb_rt_client_close(csu);
	pb_rt_client_close(ccl);
	pb_strbuf_deinit(&g.out);
	pb_strbuf_deinit(&u.out);
	pb_strbuf_deinit(&u2.out);
	pb_strbuf_deinit(&su.out);
	pb_strbuf_deinit(&cl.out);
}

/* users: listRule null (superusers only), viewRule `id = @request.auth.id`; email for the owner
 * and superusers; expand and fields options per subscription */
static void test_auth_records_and_options(struct pb_rt_shard *s)
{
	struct cap u = {0}, u2 = {0}, su = {0}, g = {0};
	const char *own[] = {"users/4q1xlclmfloku33",
	                     "users/4q1xlclmfloku33?options=%7B%22query%22%3A%7B%22expand%22%3A%22rel%22%2C%22fields%22%3A"
	                     "%22id%2Cemail%2Cexpand.rel.title%22%7D%7D"};
	const char *all[] = {"users/*"};
	struct pb_rt_client *cu = rt_subscriber(&T, s, &u, TOK_USER, own, 2);
	struct pb_rt_client *cu2 = rt_subscriber(&T, s, &u2, TOK_USER2, own, 2);
	struct pb_rt_client *csu = rt_subscriber(&T, s, &su, TOK_SUPERUSER, all, 1);
	struct pb_rt_client *cg = rt_subscriber(&T, s, &g, NULL, all, 1);
	broadcast(s, rt_event(&T, "update", "users", "4q1xlclmfloku33"));
	const char *full =
		"{\"record\":{\"avatar\":\"300_1SEi6Q6U72.png\",\"collectionId\":\"_pb_users_auth_\",\"collectionName\":\"users\","
		"\"created\":\"2022-10-10 10:36:26.879Z\",\"email\":\"test@example.com\",\"emailVisibility\":false,\"file\":[],"
		"\"id\":\"4q1xlclmfloku33\",\"name\":\"test1\",\"rel\":\"llvuca81nly1qls\",\"updated\":\"2022-10-12 "
		"11:46:10.490Z\",\"username\":\"users75657\",\"verified\":false},\"action\":\"update\"}";
	const char *picked = "{\"record\":{\"email\":\"test@example.com\",\"expand\":{\"rel\":{\"title\":\"test1\"}},"
	                     "\"id\":\"4q1xlclmfloku33\"},\"action\":\"update\"}";
	struct pb_strbuf want = PB_STRBUF_INIT;
	pb_sse_frame(&want, pb_rt_client_id(cu), own[0], strlen(own[0]), full, strlen(full));
	pb_sse_frame(&want, pb_rt_client_id(cu), own[1], strlen(own[1]), picked, strlen(picked));
	CHECK_STR(pb_strbuf_cstr(&u.out), pb_strbuf_cstr(&want));
	CHECK(u2.out.len == 0); /* not the owner */
	CHECK(g.out.len == 0);  /* listRule null */
	check_frames(&su, csu, "users/*", full);
	cap_reset(&u);

	/* fields on the expand only and a broken fields expression (→ unpruned record) */
	const char *ex[] = {"users/4q1xlclmfloku33?options=%7B%22query%22%3A%7B%22expand%22%3A%22rel%22%7D%7D",
	                    "users/4q1xlclmfloku33?options=%7B%22query%22%3A%7B%22fields%22%3A%22id%3Aexcerpt(%22%7D%7D"};
	CHECK(rt_post(&T, s, pb_rt_client_id(cu), TOK_USER, ex, 2) == PB_RT_SUB_OK);
	broadcast(s, rt_event(&T, "update", "users", "4q1xlclmfloku33"));
	pb_strbuf_reset(&want);
	struct pb_strbuf exp = PB_STRBUF_INIT;
	pb_strbuf_append(&exp, full, strlen(full));
	/* insert the expand after emailVisibility (byte-wise key order) */
	const char *at = strstr(exp.data, "\"file\":");
	struct pb_strbuf e2 = PB_STRBUF_INIT;
	pb_strbuf_append(&e2, exp.data, (size_t)(at - exp.data));
	pb_strbuf_printf(&e2, "\"expand\":{\"rel\":%s},", DEMO2_LLVU);
	pb_strbuf_puts(&e2, at);
	pb_sse_frame(&want, pb_rt_client_id(cu), ex[0], strlen(ex[0]), e2.data, e2.len);
	pb_sse_frame(&want, pb_rt_client_id(cu), ex[1], strlen(ex[1]), full, strlen(full));
	CHECK_STR(pb_strbuf_cstr(&u.out), pb_strbuf_cstr(&want));
	pb_strbuf_deinit(&exp);
	pb_strbuf_deinit(&e2);
	pb_strbuf_deinit(&want);

	pb_rt_client_close(cu);
	pb_rt_client_close(cu2);
	pb_rt_client_close(csu);
	pb_rt_client_close(cg);
	pb_strbuf_deinit(&u.out);
	pb_strbuf_deinit(&u2.out);
	pb_strbuf_deinit(&su.out);
	pb_strbuf_deinit(&g.out);
}

/* nologin: listRule "", manageRule `@request.auth.collectionName = 'users'` → users see the email */
static void test_manage_rule_email(struct pb_rt_shard *s)
{
	struct cap u = {0}, g = {0}, cl = {0};
	const char *topics[] = {"nologin/*"};
	struct pb_rt_client *cu = rt_subscriber(&T, s, &u, TOK_USER, topics, 1);
	struct pb_rt_client *cg = rt_subscriber(&T, s, &g, NULL, topics, 1);
	struct pb_rt_client *ccl = rt_subscriber(&T, s, &cl, TOK_CLIENT, topics, 1);
	broadcast(s, rt_event(&T, "update", "nologin", "dc49k6jgejn40h3"));
	CHECK(strstr(pb_strbuf_cstr(&u.out), "\"email\":\"test@example.com\"") != NULL);
	CHECK(g.out.len > 0 && !strstr(pb_strbuf_cstr(&g.out), "\"email\""));
	CHECK(cl.out.len > 0 && !strstr(pb_strbuf_cstr(&cl.out), "\"email\""));
	/* emailVisibility true: everyone */
	cap_reset(&g);
	broadcast(s, rt_event(&T, "update", "nologin", "phhq3wr65cap535"));
	CHECK(strstr(pb_strbuf_cstr(&g.out), "\"email\":\"test2@example.com\"") != NULL);
	/* a deleted record: the manageRule is checked against its values */
	cap_reset(&u);
	broadcast(s, rt_event(&T, "delete", "nologin", "dc49k6jgejn40h3"));
	CHECK(strstr(pb_strbuf_cstr(&u.out), "\"email\":\"test@example.com\"") != NULL);
	pb_rt_client_close(cu);
	pb_rt_client_close(cg);
	pb_rt_client_close(ccl);
	pb_strbuf_deinit(&u.out);
	pb_strbuf_deinit(&g.out);
	pb_strbuf_deinit(&cl.out);
}

/* the `filter` option: a client-side filter; @request./@collection. only for superusers */
static void test_filter_option(struct pb_rt_shard *s)
{
	struct cap g = {0}, g2 = {0}, su = {0};
	const char *f1[] = {"demo2/*?options=%7B%22query%22%3A%7B%22filter%22%3A%22title%3D'test1'%22%7D%7D"};
	const char *f2[] = {"demo2/*?options=%7B%22query%22%3A%7B%22filter%22%3A%22%40request.query.x%3D''%22%7D%7D"};
	struct pb_rt_client *cg = rt_subscriber(&T, s, &g, NULL, f1, 1);
	struct pb_rt_client *cg2 = rt_subscriber(&T, s, &g2, NULL, f2, 1);
	struct pb_rt_client *csu = rt_subscriber(&T, s, &su, TOK_SUPERUSER, f2, 1);
	broadcast(s, rt_event(&T, "update", "demo2", "llvuca81nly1qls")); /* title test1 */
	CHECK(g.out.len > 0);
	CHECK(g2.out.len == 0); /* @request. in a guest's filter */
	CHECK(su.out.len > 0);
	cap_reset(&g);
	broadcast(s, rt_event(&T, "update", "demo2", "achvryl401bhse3")); /* title test2 */
	CHECK(g.out.len == 0);
	pb_rt_client_close(cg);
	pb_rt_client_close(cg2);
	pb_rt_client_close(csu);
	pb_strbuf_deinit(&g.out);
	pb_strbuf_deinit(&g2.out);
	pb_strbuf_deinit(&su.out);
}

/* options as @request.query / @request.headers inside a rule, and the per-event caches */
static void test_options_in_rules_and_caching(struct pb_rt_shard *s)
{
	CHECK(rtu_alter(&T, "UPDATE _collections SET listRule = '@request.query.key = \"k1\" && "
	                    "@request.headers.x_token = \"t\" && @request.context = \"realtime\"' WHERE name = 'demo4'") == 0);
	const char *ok = "demo4/*?options=%7B%22query%22%3A%7B%22key%22%3A%22k1%22%7D%2C%22headers%22%3A%7B%22X-Token%22%3A"
	                 "%22t%22%7D%7D";
	const char *bad = "demo4/*?options=%7B%22query%22%3A%7B%22key%22%3A%22k2%22%7D%2C%22headers%22%3A%7B%22X-Token%22%3A"
	                  "%22t%22%7D%7D";
	enum { N = 40 };
	struct cap caps[N];
	struct pb_rt_client *cls[N];
	memset(caps, 0, sizeof caps);
	for (int i = 0; i < N; i++) {
		const char *topics[] = {i % 2 ? bad : ok, "demo2/*"};
		cls[i] = rt_subscriber(&T, s, &caps[i], NULL, topics, 2);
	}
	struct pb_rt_stats before, after;
	pb_rt_shard_stats(s, &before);
	broadcast(s, rt_event(&T, "update", "demo4", "qzaqccwrmva4o1n"));
	pb_rt_shard_stats(s, &after);
	int got = 0;
	for (int i = 0; i < N; i++)
		if (caps[i].out.len) {
			got++;
			CHECK(i % 2 == 0);
			CHECK(strstr(pb_strbuf_cstr(&caps[i].out), "\nevent:demo4/*?options=") != NULL);
		}
	CHECK(got == N / 2);
	/* two distinct option sets → two rule evaluations, one payload for the allowed one */
	CHECK(after.rule_checks - before.rule_checks == 2);
	CHECK(after.payloads - before.payloads == 1);
	CHECK(after.messages - before.messages == N / 2);

	/* a public collection: no rule check at all, one payload for 40 guests */
	pb_rt_shard_stats(s, &before);
	broadcast(s, rt_event(&T, "update", "demo2", "llvuca81nly1qls"));
	pb_rt_shard_stats(s, &after);
	CHECK(after.rule_checks == before.rule_checks);
	CHECK(after.payloads - before.payloads == 1);
	CHECK(after.messages - before.messages == N);
	for (int i = 0; i < N; i++) {
		pb_rt_client_close(cls[i]);
		pb_strbuf_deinit(&caps[i].out);
	}
}

int main(void)
{
	if (rtu_open(&T) != 0) {
		fprintf(stderr, "fixture missing\n");
		return 1;
	}
	struct pb_rt_hub *hub = pb_rt_hub_new(1, &CAP_TRANSPORT);
	struct pb_rt_shard *s = pb_rt_hub_shard(hub, 0);
	pb_rt_shard_attach(s, NULL, &T.stmts);
	test_rules_and_bytes(s);
	test_auth_records_and_options(s);
	test_manage_rule_email(s);
	test_filter_option(s);
	test_options_in_rules_and_caching(s);
	CHECK(pb_rt_shard_nclients(s) == 0);
	pb_rt_hub_free(hub);
	rtu_close(&T);
	TEST_DONE();
}
