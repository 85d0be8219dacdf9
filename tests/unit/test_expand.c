/* test_expand — collections/expand.c on a temporary copy of PocketBase's test fixture: the
 * scenarios of core/record_query_expand_test.go (non-empty expand counts, failures,
 * normalisation, depth limit, back-relations incl. the legacy syntax, shared paths, single
 * vs array back-relations), the expand fetch of apis/record_helpers.go (viewRule per
 * requester, null viewRule, request context "expand", email visibility of expanded auth
 * records, hidden relation fields) and the list/view expectations of record_crud_test.go. */
#include "collections/expand.h"
#include "collections/record_read.h"
#include "read_test_util.h"
#include "test.h"

static struct rtu T;
static struct pb_request_info GUEST, USER, USER2, SU, CLIENT;

/* Loads records of coll by ids (superuser, everything visible), expands, dumps. */
static char *expand_dump(const struct pb_request_info *r, const char *coll, const char *ids_csv, const char *expand)
{
	struct pb_read_ctx ctx = {T.schema, &T.stmts, r, NULL};
	const struct pb_collection *c = pb_schema_find(T.schema, coll);
	json_t *ids = json_array();
	char *dup = strdup(ids_csv), *save = NULL;
	for (char *t = strtok_r(dup, ",", &save); t; t = strtok_r(NULL, ",", &save))
		json_array_append_new(ids, json_string(t));
	free(dup);
	struct pb_error err = PB_ERROR_INIT;
	json_t *recs = pb_records_fetch_by_ids(&ctx, c, ids, NULL, &err);
	json_decref(ids);
	pb_expand_records(&ctx, c, recs, expand);
	pb_records_export(&ctx, c, recs);
	char *s = rtu_dump(recs);
	json_decref(recs);
	return s;
}

static int nonempty_expands(const char *s) { return rtu_count(s, "\"expand\":") - rtu_count(s, "\"expand\":{}"); }

static void check_count(const char *coll, const char *ids, const char *expand, int want)
{
	char *s = expand_dump(&SU, coll, ids, expand);
	int got = nonempty_expands(s);
	CHECK(got == want);
	if (got != want)
		fprintf(stderr, "  %s [%s] expand=%s: %d non-empty expands, want %d\n  %s\n", coll, ids, expand, got, want, s);
	free(s);
}

static void test_upstream_counts(void)
{
	const char *d4 = "i9naidtvr6qsgb4,qzaqccwrmva4o1n";
	check_count("demo4", d4, "", 0);
	check_count("demo4", d4, "missing", 0);
	check_count("demo4", d4, "title", 0);
	check_count("demo4", d4, "rel_one_no_cascade.title", 0);
	check_count("users", "bgs820n361vj1qd,4q1xlclmfloku33,oap640cot4yru2s", "rel", 2);
	const char *norm = "self_rel_one,self_rel_many.self_rel_many.rel_one_no_cascade,"
	                   "self_rel_many.self_rel_one.self_rel_many.self_rel_one.rel_one_no_cascade,"
	                   "self_rel_many,self_rel_many.,  self_rel_many  ,";
	check_count("demo4", d4, norm, 9);
	check_count("demo4", "qzaqccwrmva4o1n", norm, 8);
	check_count("demo4", "qzaqccwrmva4o1n",
	            "self_rel_many.self_rel_many.self_rel_many.self_rel_many.self_rel_many.self_rel_many.self_rel_many."
	            "self_rel_many.self_rel_many.self_rel_many.self_rel_many.self_rel_many",
	            6);
	check_count("demo3", "lcl9d87w22ml6jy", "demo4(rel_one_no_cascade_required)", 1);
	check_count("demo3", "lcl9d87w22ml6jy", "demo4_via_rel_one_no_cascade_required", 1);
	check_count("demo3", "lcl9d87w22ml6jy", "demo4_via_rel_one_no_cascade_required.self_rel_many.self_rel_many.self_rel_one",
	            5);
	check_count("demo3", "lcl9d87w22ml6jy", "demo4(rel_one_no_cascade_required).self_rel_many.self_rel_many.self_rel_one",
	            5);
	check_count("demo3", "lcl9d87w22ml6jy",
	            "demo4_via_rel_many_no_cascade_required.self_rel_many.rel_many_no_cascade_required."
	            "demo4_via_rel_many_no_cascade_required",
	            7);
	check_count("demo4", "qzaqccwrmva4o1n",
	            "rel_one_no_cascade,rel_many_no_cascade,self_rel_many.self_rel_one.rel_many_cascade,"
	            "self_rel_many.self_rel_one.rel_many_no_cascade_required",
	            5);
	check_count("users", "oap640cot4yru2s", "rel", 0);
	/* back-relation names that do not resolve */
	check_count("demo3", "lcl9d87w22ml6jy", "demo4_via_title", 0);
	check_count("demo3", "lcl9d87w22ml6jy", "missing_via_rel_one_cascade", 0);
	check_count("demo3", "lcl9d87w22ml6jy", "demo2_via_rel", 0);   /* users.rel → demo2, not demo3 */
	check_count("demo3", "lcl9d87w22ml6jy", "demo4(rel_one_no_cascade_required", 0);
}

static void test_shapes(void)
{
	/* a failing path adds no expand key at all; an empty relation gets expand:{} */
	char *s = expand_dump(&SU, "demo4", "qzaqccwrmva4o1n", "missing,rel_one_no_cascade.title");
	CHECK(s && !strstr(s, "\"expand\""));
	free(s);
	s = expand_dump(&SU, "users", "oap640cot4yru2s", "rel");
	CHECK(s && strstr(s, "\"emailVisibility\":false,\"expand\":{},\"file\":"));
	free(s);
	/* a level with no records ends the path without error (upstream quirk): the empty
	 * rel_one of 84nmscqy84lsi1t makes "rel_one.missing" succeed with expand:{} */
	s = expand_dump(&SU, "demo1", "84nmscqy84lsi1t", "rel_one.missing");
	CHECK(s && rtu_count(s, "\"expand\":{}") == 1);
	free(s);
	s = expand_dump(&SU, "demo1", "al1h9ijdeojtsjy", "rel_many.missing");
	CHECK(s && !strstr(s, "\"expand\""));
	free(s);

	/* shared paths are merged below self_rel_many[0].self_rel_one */
	struct pb_read_ctx ctx = {T.schema, &T.stmts, &SU, NULL};
	const struct pb_collection *d4 = pb_schema_find(T.schema, "demo4");
	struct pb_error err = PB_ERROR_INIT;
	json_t *rec = pb_records_view(&ctx, d4, "qzaqccwrmva4o1n",
	                              "self_rel_many.self_rel_one.rel_many_cascade,"
	                              "self_rel_many.self_rel_one.rel_many_no_cascade_required,rel_one_no_cascade",
	                              &err);
	json_t *exp = json_object_get(rec, "expand");
	char *keys = NULL;
	{
		struct pb_strbuf b = PB_STRBUF_INIT;
		const char *k;
		json_t *v;
		json_object_foreach(exp, k, v)
		{
			pb_strbuf_printf(&b, "%s;", k);
		}
		keys = pb_strbuf_steal(&b);
	}
	CHECK_STR(keys, "rel_one_no_cascade;self_rel_many;");
	free(keys);
	CHECK(json_is_object(json_object_get(exp, "rel_one_no_cascade")));
	json_t *srm = json_object_get(exp, "self_rel_many");
	CHECK(json_array_size(srm) == 2);
	json_t *a = json_object_get(json_object_get(json_object_get(json_array_get(srm, 0), "expand"), "self_rel_one"), "expand");
	json_t *b = json_object_get(json_object_get(json_object_get(json_array_get(srm, 1), "expand"), "self_rel_one"), "expand");
	s = rtu_ids(json_object_get(a, "rel_many_cascade"));
	CHECK_STR(s, "mk5fmymtx4wsprk");
	free(s);
	s = rtu_ids(json_object_get(a, "rel_many_no_cascade_required"));
	CHECK_STR(s, "lcl9d87w22ml6jy,1tmknxy2868d869");
	free(s);
	CHECK(json_object_size(b) == 1);
	s = rtu_ids(json_object_get(b, "rel_many_no_cascade_required"));
	CHECK_STR(s, "7nwo8tuiatetxdm");
	free(s);
	json_decref(rec);
	pb_error_clear(&err);

	/* back-relation without a unique index → array, ids in SQLite's order */
	s = expand_dump(&SU, "demo3", "7nwo8tuiatetxdm", "demo4_via_rel_one_cascade");
	CHECK(s && strstr(s, "\"demo4_via_rel_one_cascade\":[{"));
	free(s);
	s = expand_dump(&SU, "demo3", "lcl9d87w22ml6jy", "demo4_via_rel_many_no_cascade_required");
	CHECK(s && strstr(s, "\"demo4_via_rel_many_no_cascade_required\":[{") && strstr(s, "\"id\":\"qzaqccwrmva4o1n\""));
	free(s);
}

static void test_exact_bytes(void)
{
	/* "expand" sits between "emailVisibility" and "file" */
	struct pb_read_ctx ctx = {T.schema, &T.stmts, &SU, NULL};
	struct pb_error err = PB_ERROR_INIT;
	json_t *rec = pb_records_view(&ctx, pb_schema_find(T.schema, "users"), "4q1xlclmfloku33", "rel", &err);
	char *s = rtu_dump(rec);
	CHECK_STR(s, "{\"avatar\":\"300_1SEi6Q6U72.png\",\"collectionId\":\"_pb_users_auth_\",\"collectionName\":\"users\","
	             "\"created\":\"2022-10-10 10:36:26.879Z\",\"email\":\"test@example.com\",\"emailVisibility\":false,"
	             "\"expand\":{\"rel\":{\"active\":false,\"collectionId\":\"sz5l5z67tg7gku0\",\"collectionName\":\"demo2\","
	             "\"created\":\"2022-10-12 11:42:51.509Z\",\"id\":\"llvuca81nly1qls\",\"title\":\"test1\",\"updated\":"
	             "\"2022-10-12 11:42:51.509Z\"}},\"file\":[],\"id\":\"4q1xlclmfloku33\",\"name\":\"test1\",\"rel\":"
	             "\"llvuca81nly1qls\",\"updated\":\"2022-10-12 11:46:10.490Z\",\"username\":\"users75657\",\"verified\":false}");
	free(s);
	json_decref(rec);
	pb_error_clear(&err);
}

static void test_crud_expectations(void)
{
	/* record_crud_test "expand relations" (list): superuser, demo1, perPage=2, sort=created */
	struct pb_read_ctx ctx = {T.schema, &T.stmts, &SU, NULL};
	struct pb_error err = PB_ERROR_INIT;
	const struct pb_collection *d1 = pb_schema_find(T.schema, "demo1");
	json_t *out = pb_records_list(&ctx, d1, NULL, "2", NULL, NULL, "created", "rel_one,rel_many.rel,missing", &err);
	char *s = rtu_dump(out);
	CHECK(s != NULL);
	if (s) {
		const char *must[] = {"\"page\":1", "\"perPage\":2", "\"totalPages\":2", "\"totalItems\":3", "\"items\":[{",
		                      "\"collectionName\":\"demo1\"", "\"id\":\"84nmscqy84lsi1t\"", "\"id\":\"al1h9ijdeojtsjy\"",
		                      "\"expand\":{", "\"rel_one\":\"\"", "\"rel_one\":{\"", "\"rel_many\":[{", "\"rel\":{",
		                      "\"rel\":\"\"", "\"select_many\":[\"optionB\",\"optionC\"]", "\"select_many\":[\"optionB\"]",
		                      "\"id\":\"0yxhwia2amd8gec\"", "\"id\":\"llvuca81nly1qls\"", "\"email\":\"test@example.com\"",
		                      "\"email\":\"test2@example.com\"", "\"email\":\"test3@example.com\""};
		for (size_t i = 0; i < sizeof must / sizeof must[0]; i++) {
			CHECK(strstr(s, must[i]) != NULL);
			if (!strstr(s, must[i]))
				fprintf(stderr, "  missing %s\n", must[i]);
		}
	}
	json_t *items = json_object_get(out, "items");
	json_t *e0 = json_object_get(json_array_get(items, 0), "expand"), *e1 = json_object_get(json_array_get(items, 1), "expand");
	CHECK(json_object_size(e0) == 1 && json_object_get(e0, "rel_many")); /* rel_one is empty */
	char *ids = rtu_ids(json_object_get(e1, "rel_many"));
	CHECK_STR(ids, "bgs820n361vj1qd,4q1xlclmfloku33,oap640cot4yru2s");
	free(ids);
	CHECK_STR(json_string_value(json_object_get(json_object_get(e1, "rel_one"), "id")), "84nmscqy84lsi1t");
	CHECK_STR(json_string_value(json_object_get(
	              json_object_get(json_object_get(json_array_get(json_object_get(e1, "rel_many"), 0), "expand"), "rel"),
	              "id")),
	          "0yxhwia2amd8gec");
	free(s);
	json_decref(out);

	/* record_crud_test "expand relations" (view) */
	json_t *rec = pb_records_view(&ctx, d1, "al1h9ijdeojtsjy", "rel_one,rel_many.rel,missing", &err);
	s = rtu_dump(rec);
	CHECK(s && strstr(s, "\"rel_many\":[{") && strstr(s, "\"rel_one\":{") && strstr(s, "\"collectionName\":\"users\"") &&
	      strstr(s, "\"id\":\"bgs820n361vj1qd\"") && strstr(s, "\"expand\":{\"rel\":{") &&
	      strstr(s, "\"id\":\"0yxhwia2amd8gec\"") && strstr(s, "\"collectionName\":\"demo2\""));
	free(s);
	json_decref(rec);
	pb_error_clear(&err);
}

static json_t *list_with(const struct pb_request_info *r, const char *coll, const char *expand)
{
	struct pb_read_ctx ctx = {T.schema, &T.stmts, r, NULL};
	struct pb_error err = PB_ERROR_INIT;
	json_t *out = pb_records_list(&ctx, pb_schema_find(T.schema, coll), NULL, NULL, NULL, NULL, NULL, expand, &err);
	pb_error_clear(&err);
	return out;
}

static void test_rules(void)
{
	/* demo3's viewRule needs a non-users auth record: guests get empty expands */
	json_t *out = list_with(&GUEST, "demo4", "rel_one_no_cascade,rel_many_no_cascade");
	char *s = rtu_dump(out);
	CHECK(s && rtu_count(s, "\"expand\":{}") == 2 && nonempty_expands(s) == 0);
	free(s);
	json_decref(out);
	out = list_with(&CLIENT, "demo4", "rel_one_no_cascade,rel_many_no_cascade");
	json_t *qz = NULL, *item;
	size_t idx;
	json_array_foreach(json_object_get(out, "items"), idx, item)
	{
		if (!strcmp(json_string_value(json_object_get(item, "id")), "qzaqccwrmva4o1n"))
			qz = item;
	}
	CHECK(qz != NULL);
	CHECK_STR(json_string_value(json_object_get(json_object_get(json_object_get(qz, "expand"), "rel_one_no_cascade"), "id")),
	          "mk5fmymtx4wsprk");
	s = rtu_ids(json_object_get(json_object_get(qz, "expand"), "rel_many_no_cascade"));
	CHECK_STR(s, "1tmknxy2868d869");
	free(s);
	json_decref(out);

	/* view1.rel_one → demo1 (null viewRule): the path fails for non-superusers;
	 * view1.rel_many → users (viewRule id = @request.auth.id): only the requester, with email */
	out = list_with(&USER2, "view1", "rel_one,rel_many");
	s = rtu_dump(out);
	json_t *it = json_array_get(json_object_get(out, "items"), 0);
	json_t *exp = json_object_get(it, "expand");
	CHECK(json_object_size(exp) == 1);
	json_t *um = json_object_get(exp, "rel_many");
	CHECK(json_array_size(um) == 1);
	CHECK_STR(json_string_value(json_object_get(json_array_get(um, 0), "email")), "test2@example.com");
	free(s);
	json_decref(out);
	out = list_with(&USER, "view1", "rel_one,rel_many");
	s = rtu_dump(out);
	CHECK(s && rtu_count(s, "\"expand\":{}") == 1 && nonempty_expands(s) == 0);
	free(s);
	json_decref(out);
	out = list_with(&USER, "view1", "rel_one");
	s = rtu_dump(out);
	CHECK(s && !strstr(s, "\"expand\"") && strstr(s, "\"id\":\"84nmscqy84lsi1t\""));
	free(s);
	json_decref(out);

	/* expanded auth records: email only when visible to the requester */
	out = list_with(&SU, "view1", "rel_many");
	s = rtu_dump(out);
	CHECK(s && strstr(s, "\"email\":\"test2@example.com\",\"emailVisibility\":false") &&
	      strstr(s, "\"email\":\"test3@example.com\",\"emailVisibility\":true"));
	free(s);
	json_decref(out);
}

static void test_normalize(void)
{
	struct {
		const char *in, *want;
	} cases[] = {
		{"a.b.c,a.b,   test  ,  ,test", "[\"a.b.c\",\"test\"]"},
		{"", "[]"},
		{",,.,", "[]"},
		{".a.,a", "[\"a\"]"},
		{"a,a.b,a.b.c,b", "[\"a.b.c\",\"b\"]"},
		{"a b,ab", "[\"ab\"]"},
		{"a.b,a.c", "[\"a.b\",\"a.c\"]"},
		{"ab,a", "[\"ab\",\"a\"]"},
		{"a..b", "[\"a..b\"]"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *v = pb_expand_normalize(cases[i].in);
		char *s = rtu_dump(v);
		CHECK_STR(s, cases[i].want);
		free(s);
		json_decref(v);
	}
}

/* Schema changes on the temp copy (run last). */
static void test_altered(void)
{
	/* hidden relation fields are still expanded (the value itself is hidden) */
	CHECK(rtu_alter(&T, "UPDATE _collections SET fields = (SELECT json_group_array(CASE WHEN json_extract(value, "
	                    "'$.name') = 'rel' THEN json_set(value, '$.hidden', json('true')) ELSE json(value) END) FROM "
	                    "json_each(fields)) WHERE name = 'users'") == 0);
	struct pb_read_ctx u = {T.schema, &T.stmts, &USER, NULL}, su = {T.schema, &T.stmts, &SU, NULL};
	struct pb_error err = PB_ERROR_INIT;
	json_t *rec = pb_records_view(&u, pb_schema_find(T.schema, "users"), "4q1xlclmfloku33", "rel", &err);
	char *s = rtu_dump(rec);
	CHECK(s && !strstr(s, "\"rel\":\"") && strstr(s, "\"expand\":{\"rel\":{\"active\":false") &&
	      strstr(s, "\"email\":\"test@example.com\""));
	free(s);
	json_decref(rec);
	rec = pb_records_view(&su, pb_schema_find(T.schema, "users"), "4q1xlclmfloku33", "rel", &err);
	s = rtu_dump(rec);
	CHECK(s && strstr(s, "\"rel\":\"llvuca81nly1qls\""));
	free(s);
	json_decref(rec);

	/* viewRule seeing @request.context = "expand" */
	CHECK(rtu_alter(&T, "UPDATE _collections SET viewRule = '@request.context = ''expand''' WHERE name = 'demo2'") == 0);
	struct pb_read_ctx g = {T.schema, &T.stmts, &GUEST, NULL};
	u.schema = T.schema;
	rec = pb_records_view(&g, pb_schema_find(T.schema, "demo2"), "llvuca81nly1qls", NULL, &err);
	CHECK(rec == NULL && err.status == 404);
	pb_error_clear(&err);
	rec = pb_records_view(&u, pb_schema_find(T.schema, "users"), "4q1xlclmfloku33", "rel", &err);
	s = rtu_dump(rec);
	CHECK(s && strstr(s, "\"expand\":{\"rel\":{\"active\":false"));
	free(s);
	json_decref(rec);

	/* back-relations stop at 1000 ids per record */
	CHECK(rtu_alter(&T, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1005) INSERT INTO demo4 "
	                    "(id, rel_one_cascade) SELECT printf('bulk%011d', i), 'mk5fmymtx4wsprk' FROM n") == 0);
	struct pb_read_ctx sctx = {T.schema, &T.stmts, &SU, NULL};
	json_t *one = json_pack("[s]", "mk5fmymtx4wsprk");
	json_t *recs = pb_records_fetch_by_ids(&sctx, pb_schema_find(T.schema, "demo3"), one, NULL, &err);
	pb_expand_records(&sctx, pb_schema_find(T.schema, "demo3"), recs, "demo4_via_rel_one_cascade");
	CHECK(json_array_size(json_object_get(json_object_get(json_array_get(recs, 0), "expand"), "demo4_via_rel_one_cascade")) ==
	      1000);
	json_decref(recs);
	json_decref(one);

	/* a single-column UNIQUE index on the back-relation field makes it a single record */
	CHECK(rtu_alter(&T, "UPDATE _collections SET indexes = json_insert(indexes, '$[#]', 'create unique index "
	                    "idx_unique_expand on demo4 (rel_one_cascade)') WHERE name = 'demo4'") == 0);
	char *d = expand_dump(&SU, "demo3", "7nwo8tuiatetxdm", "demo4_via_rel_one_cascade");
	CHECK(d && strstr(d, "\"demo4_via_rel_one_cascade\":{\"collectionId\""));
	free(d);
	pb_error_clear(&err);
}

int main(void)
{
	if (rtu_open(&T) != 0) {
		CHECK(0);
		TEST_DONE();
	}
	GUEST = rtu_req(&T, NULL, NULL);
	USER = rtu_req(&T, "users", "4q1xlclmfloku33");
	USER2 = rtu_req(&T, "users", "oap640cot4yru2s");
	SU = rtu_req(&T, "_superusers", "sywbhecnh46rhm0");
	CLIENT = rtu_req(&T, "clients", "gk390qegs4y47wn");
	CHECK(USER.auth && USER2.auth && SU.superuser && CLIENT.auth);

	test_normalize();
	test_upstream_counts();
	test_shapes();
	test_exact_bytes();
	test_crud_expectations();
	test_rules();
	test_altered();

	rtu_req_free(&GUEST);
	rtu_req_free(&USER);
	rtu_req_free(&USER2);
	rtu_req_free(&SU);
	rtu_req_free(&CLIENT);
	rtu_close(&T);
	TEST_DONE();
}
