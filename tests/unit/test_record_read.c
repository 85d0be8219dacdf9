/* test_record_read — list and view of records (collections/record_read.c, list_query.c,
 * record_rule.c, record_export.c) on a temporary copy of PocketBase's test fixture, with the
 * expectations of PocketBase's apis/record_crud_test.go (ids, counts, 403/404/400 cases,
 * email visibility) plus exact record bytes derived from the fixture rows. */
#include "collections/record_read.h"
#include "read_test_util.h"
#include "test.h"

static struct rtu T;
static struct pb_request_info GUEST, USER, USER2, SU, CLIENT, NOLOGIN;

static const char *DEMO2_LLVU =
	"{\"active\":false,\"collectionId\":\"sz5l5z67tg7gku0\",\"collectionName\":\"demo2\",\"created\":\"2022-10-12 "
	"11:42:51.509Z\",\"id\":\"llvuca81nly1qls\",\"title\":\"test1\",\"updated\":\"2022-10-12 11:42:51.509Z\"}";

/* list helper: returns the envelope (new ref) or NULL with *status */
static json_t *list(const struct pb_request_info *r, const char *coll, const char *page, const char *per_page,
                    const char *skip, const char *filter, const char *sort, const char *expand, int *status,
                    char *msg)
{
	struct pb_read_ctx ctx = {T.schema, &T.stmts, r, NULL};
	struct pb_error err = PB_ERROR_INIT;
	json_t *out = pb_records_list(&ctx, pb_schema_find(T.schema, coll), page, per_page, skip, filter, sort, expand, &err);
	if (status)
		*status = out ? 200 : err.status;
	if (msg)
		snprintf(msg, PB_ERROR_MSG_MAX, "%s", err.message);
	if (!out && err.data)
		fprintf(stderr, "unexpected error data\n");
	pb_error_clear(&err);
	return out;
}

static json_t *view(const struct pb_request_info *r, const char *coll, const char *id, const char *expand, int *status,
                    char *msg)
{
	struct pb_read_ctx ctx = {T.schema, &T.stmts, r, NULL};
	struct pb_error err = PB_ERROR_INIT;
	json_t *out = pb_records_view(&ctx, pb_schema_find(T.schema, coll), id, expand, &err);
	if (status)
		*status = out ? 200 : err.status;
	if (msg)
		snprintf(msg, PB_ERROR_MSG_MAX, "%s", err.message);
	pb_error_clear(&err);
	return out;
}

/* Checks the list ids and the envelope numbers (page, perPage, totalItems, totalPages). */
static void check_list(const struct pb_request_info *r, const char *coll, const char *page, const char *per_page,
                       const char *skip, const char *filter, const char *sort, const char *want_ids, long long want_page,
                       long long want_per_page, long long want_total, long long want_pages)
{
	int status;
	json_t *out = list(r, coll, page, per_page, skip, filter, sort, NULL, &status, NULL);
	CHECK(status == 200);
	if (!out) {
		fprintf(stderr, "  list %s filter=[%s] sort=[%s] failed (%d)\n", coll, filter ? filter : "", sort ? sort : "",
		        status);
		return;
	}
	char *ids = rtu_ids(out);
	CHECK_STR(ids, want_ids);
	if (strcmp(ids, want_ids) != 0)
		fprintf(stderr, "  (list %s page=%s perPage=%s filter=%.40s sort=%s)\n", coll, page ? page : "", per_page ? per_page : "",
		        filter ? filter : "", sort ? sort : "");
	free(ids);
	CHECK(json_integer_value(json_object_get(out, "page")) == want_page);
	CHECK(json_integer_value(json_object_get(out, "perPage")) == want_per_page);
	CHECK(json_integer_value(json_object_get(out, "totalItems")) == want_total);
	CHECK(json_integer_value(json_object_get(out, "totalPages")) == want_pages);
	/* key order of the envelope */
	const char *order[] = {"items", "page", "perPage", "totalItems", "totalPages"};
	size_t i = 0;
	const char *k;
	json_t *v;
	json_object_foreach(out, k, v)
	{
		CHECK(i < 5 && strcmp(k, order[i]) == 0);
		i++;
	}
	json_decref(out);
}

static void check_list_error(const struct pb_request_info *r, const char *coll, const char *page, const char *per_page,
                             const char *skip, const char *filter, const char *sort, int want_status,
                             const char *want_msg)
{
	int status;
	char msg[PB_ERROR_MSG_MAX];
	json_t *out = list(r, coll, page, per_page, skip, filter, sort, NULL, &status, msg);
	CHECK(out == NULL);
	CHECK(status == want_status);
	CHECK_STR(msg, want_msg);
	if (out || status != want_status)
		fprintf(stderr, "  list %s page=%s perPage=%s skip=%s filter=%s sort=%s\n", coll, page, per_page, skip, filter,
		        sort);
	json_decref(out);
}

static const char *BAD = "Something went wrong while processing your request.";
static const char *SU_ONLY = "Only superusers can perform this action.";
static const char *NOT_FOUND = "The requested resource wasn't found.";

static void test_list_basics(void)
{
	/* public collection; natural (rowid) order as SQLite returns it without ORDER BY */
	check_list(&GUEST, "demo2", NULL, NULL, NULL, NULL, NULL, "llvuca81nly1qls,achvryl401bhse3,0yxhwia2amd8gec", 1, 30,
	           3, 1);
	check_list(&GUEST, "sz5l5z67tg7gku0", NULL, NULL, NULL, NULL, NULL,
	           "llvuca81nly1qls,achvryl401bhse3,0yxhwia2amd8gec", 1, 30, 3, 1);
	/* exact bytes of the first item */
	json_t *out = list(&GUEST, "demo2", NULL, "1", NULL, NULL, "title", NULL, NULL, NULL);
	char *s = rtu_dump(json_array_get(json_object_get(out, "items"), 0));
	CHECK_STR(s, DEMO2_LLVU);
	free(s);
	json_decref(out);

	/* null list rule: superusers only, before anything else (even a bad page) */
	check_list_error(&GUEST, "demo1", NULL, NULL, NULL, NULL, NULL, 403, SU_ONLY);
	check_list_error(&USER, "demo1", "abc", NULL, NULL, NULL, NULL, 403, SU_ONLY);
	check_list_error(&USER, "users", NULL, NULL, NULL, NULL, NULL, 403, SU_ONLY);
	check_list(&SU, "demo1", NULL, NULL, NULL, NULL, NULL, "84nmscqy84lsi1t,al1h9ijdeojtsjy,imy661ixudk5izi", 1, 30, 3, 1);
	check_list(&SU, "users", NULL, NULL, NULL, NULL, "created", "4q1xlclmfloku33,oap640cot4yru2s,bgs820n361vj1qd", 1, 30,
	           3, 1);
	check_list(&SU, "_superusers", NULL, NULL, NULL, NULL, "email",
	           "sbmbsdb40jyxf7h,9q2trqumvlyr3bd,q911776rrfy658l,sywbhecnh46rhm0", 1, 30, 4, 1);
	check_list(&SU, "demo1", NULL, NULL, NULL, "text~'test'", "-bool", "84nmscqy84lsi1t,al1h9ijdeojtsjy", 1, 30, 2, 1);
	check_list_error(&SU, "demo1", NULL, NULL, NULL, "invalid~'test'", NULL, 400, BAD);
}

static void test_list_params(void)
{
	check_list(&GUEST, "demo2", "2", "2", NULL, NULL, "title", "0yxhwia2amd8gec", 2, 2, 3, 2);
	check_list(&GUEST, "demo2", "+2", "+2", NULL, NULL, "title", "0yxhwia2amd8gec", 2, 2, 3, 2);
	check_list(&GUEST, "demo2", NULL, "1", "1", NULL, "created", "llvuca81nly1qls", 1, 1, -1, -1);
	check_list(&GUEST, "demo2", NULL, "1", "true", NULL, "-created", "0yxhwia2amd8gec", 1, 1, -1, -1);
	check_list(&GUEST, "demo2", NULL, "2", "False", NULL, "-created", "0yxhwia2amd8gec,achvryl401bhse3", 1, 2, 3, 2);
	check_list(&GUEST, "demo2", "0", "5000", NULL, NULL, "title", "llvuca81nly1qls,achvryl401bhse3,0yxhwia2amd8gec", 1,
	           1000, 3, 1);
	check_list(&GUEST, "demo2", "-3", "-1", NULL, NULL, "title", "llvuca81nly1qls,achvryl401bhse3,0yxhwia2amd8gec", 1, 30,
	           3, 1);
	/* a page past the end (the provider test: page=10 perPage=0 → offset 270) */
	check_list(&GUEST, "demo2", "10", "0", NULL, NULL, NULL, "", 10, 30, 3, 1);
	/* Go's int overflow: 1000*(2^63-2) wraps negative → no OFFSET → the first page */
	check_list(&GUEST, "demo2", "9223372036854775807", "1000", NULL, NULL, NULL,
	           "llvuca81nly1qls,achvryl401bhse3,0yxhwia2amd8gec", 9223372036854775807LL, 1000, 3, 1);
	check_list(&GUEST, "demo2", "4611686018427387904", "2", NULL, NULL, NULL, "", 4611686018427387904LL, 2, 3, 2);
	check_list(&GUEST, "demo2", "", "", "", "", "", "llvuca81nly1qls,achvryl401bhse3,0yxhwia2amd8gec", 1, 30, 3, 1);
	const char *bad[][3] = {{"abc", NULL, NULL},  {NULL, "1.5", NULL},  {NULL, NULL, "yes"},
	                        {" 1", NULL, NULL},   {"1 ", NULL, NULL},   {"0x10", NULL, NULL},
	                        {"9223372036854775808", NULL, NULL},        {NULL, "1e3", NULL},
	                        {"+", NULL, NULL},    {NULL, NULL, "2"},    {NULL, NULL, "tRUE"}};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		check_list_error(&GUEST, "demo2", bad[i][0], bad[i][1], bad[i][2], NULL, NULL, 400, BAD);
	/* bad filters and sorts: 400 with the default message */
	const char *bad_filters[] = {"title =", "missing=1", "((a", " ", "title ~"};
	for (size_t i = 0; i < sizeof bad_filters / sizeof bad_filters[0]; i++)
		check_list_error(&GUEST, "demo2", NULL, NULL, NULL, bad_filters[i], NULL, 400, BAD);
	const char *bad_sorts[] = {"nope", "title,", " ", "a,b,c,d,e,f,g,h,i"};
	for (size_t i = 0; i < sizeof bad_sorts / sizeof bad_sorts[0]; i++)
		check_list_error(&GUEST, "demo2", NULL, NULL, NULL, NULL, bad_sorts[i], 400, BAD);
	/* filter length limit: 3500 bytes pass, 3501 fail */
	char longf[3502];
	memset(longf, ' ', sizeof longf);
	memcpy(longf, "id!=''", 6);
	longf[3500] = '\0';
	check_list(&GUEST, "demo2", NULL, NULL, NULL, longf, "title", "llvuca81nly1qls,achvryl401bhse3,0yxhwia2amd8gec", 1, 30,
	           3, 1);
	longf[3500] = ' ';
	longf[3501] = '\0';
	check_list_error(&GUEST, "demo2", NULL, NULL, NULL, longf, NULL, 400, BAD);
}

static void test_list_sort(void)
{
	check_list(&GUEST, "demo2", NULL, NULL, NULL, NULL, "-title", "0yxhwia2amd8gec,achvryl401bhse3,llvuca81nly1qls", 1, 30,
	           3, 1);
	check_list(&GUEST, "demo2", NULL, NULL, NULL, NULL, "-@rowid", "0yxhwia2amd8gec,achvryl401bhse3,llvuca81nly1qls", 1,
	           30, 3, 1);
	check_list(&GUEST, "demo2", NULL, NULL, NULL, NULL, "active,-created",
	           "llvuca81nly1qls,0yxhwia2amd8gec,achvryl401bhse3", 1, 30, 3, 1);
	/* @random: same set, any order */
	json_t *out = list(&GUEST, "demo2", NULL, NULL, NULL, NULL, "@random", NULL, NULL, NULL);
	char *ids = rtu_ids(out);
	CHECK(ids && strlen(ids) == 47 && strstr(ids, "llvuca81nly1qls") && strstr(ids, "achvryl401bhse3") &&
	      strstr(ids, "0yxhwia2amd8gec"));
	free(ids);
	json_decref(out);
	/* relation sort: joins make the page query DISTINCT and still count 2 */
	check_list(&GUEST, "demo4", NULL, NULL, NULL, NULL, "-self_rel_one.title,@rowid", "qzaqccwrmva4o1n,i9naidtvr6qsgb4", 1,
	           30, 2, 1);
}

static void test_list_forbidden_fields(void)
{
	check_list_error(&GUEST, "demo2", NULL, NULL, NULL, "@collection.demo2.title='test1'", NULL, 403,
	                 "Only superusers can filter by @collection.");
	check_list_error(&GUEST, "demo2", NULL, NULL, NULL, NULL, "@request.auth.title", 403,
	                 "Only superusers can filter by @request.");
	check_list_error(&USER, "demo2", NULL, NULL, NULL, "title = '@request.x'", NULL, 403,
	                 "Only superusers can filter by @request.");
	/* the filter is checked before the sort; within one value @collection. first */
	check_list_error(&GUEST, "demo2", NULL, NULL, NULL, "'@request.' = '@collection.'", "@request.x", 403,
	                 "Only superusers can filter by @collection.");
	check_list_error(&GUEST, "demo2", NULL, NULL, NULL, "'@request.'", "@collection.x", 403,
	                 "Only superusers can filter by @request.");
	/* the 403 comes before parameter parsing */
	check_list_error(&GUEST, "demo2", "abc", NULL, NULL, "@request.auth.id = ''", NULL, 403,
	                 "Only superusers can filter by @request.");
	/* superusers may */
	check_list(&SU, "demo2", NULL, NULL, NULL, "@collection.demo2.title ?= 'test1'", "title",
	           "llvuca81nly1qls,achvryl401bhse3,0yxhwia2amd8gec", 1, 30, 3, 1);
	check_list(&SU, "demo2", NULL, NULL, NULL, "@collection.demo2.title = 'test1'", NULL, "", 1, 30, 0, 0); /* "all" */
	check_list(&SU, "demo2", NULL, NULL, NULL, "@request.auth.id != '' && title = 'test2'", NULL, "achvryl401bhse3", 1, 30,
	           1, 1);
}

static void test_list_rules(void)
{
	/* demo3: listRule needs a non-users auth record */
	check_list(&GUEST, "demo3", NULL, NULL, NULL, NULL, NULL, "", 1, 30, 0, 0);
	check_list(&USER, "demo3", NULL, NULL, NULL, NULL, NULL, "", 1, 30, 0, 0);
	check_list(&CLIENT, "demo3", NULL, NULL, NULL, NULL, NULL,
	           "1tmknxy2868d869,lcl9d87w22ml6jy,7nwo8tuiatetxdm,mk5fmymtx4wsprk", 1, 30, 4, 1);
	/* demo5: ":length" modifier in the rule */
	check_list(&GUEST, "demo5", NULL, NULL, NULL, NULL, NULL, "qjeql998mtp1azp", 1, 30, 1, 1);
	/* multi-match through a relation to demo3, whose list rule is added as a constraint */
	check_list(&GUEST, "demo4", NULL, NULL, NULL, "rel_many_no_cascade_required.files:length?=2", NULL, "", 1, 30, 0, 0);
	check_list(&CLIENT, "demo4", NULL, NULL, NULL, "rel_many_no_cascade_required.files:length?=2", NULL,
	           "qzaqccwrmva4o1n", 1, 30, 1, 1);
	check_list(&CLIENT, "demo4", NULL, NULL, NULL, "rel_many_no_cascade_required.files:length=2", NULL, "", 1, 30, 0, 0);
	/* a client filter through users (null list rule) is a 400 for non-superusers only */
	check_list_error(&CLIENT, "demo1", NULL, NULL, NULL, NULL, NULL, 403, SU_ONLY);
	check_list_error(&USER, "view2", NULL, NULL, NULL, "rel_many.name != ''", NULL, 400, BAD);
	check_list(&SU, "view2", NULL, NULL, NULL, "rel_many.name ?= 'test3'", NULL, "al1h9ijdeojtsjy", 1, 30, 1, 1);
	/* view collections */
	check_list(&GUEST, "view2", NULL, NULL, NULL, "state=false", NULL, "al1h9ijdeojtsjy,imy661ixudk5izi", 1, 30, 2, 1);
	check_list(&GUEST, "view1", NULL, NULL, NULL, NULL, NULL, "", 1, 30, 0, 0);
	check_list(&USER, "view1", NULL, NULL, NULL, NULL, NULL, "84nmscqy84lsi1t", 1, 30, 1, 1);
	check_list(&GUEST, "numeric_id_view", NULL, NULL, NULL, NULL, NULL, "1,2", 1, 30, 2, 1);
	json_t *out = list(&GUEST, "view2", NULL, NULL, NULL, "state=false", NULL, NULL, NULL, NULL);
	char *s = rtu_dump(out);
	CHECK(s && !strstr(s, "\"created\"") && !strstr(s, "\"updated\""));
	free(s);
	json_decref(out);
	out = list(&USER, "view1", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
	CHECK(json_is_true(json_object_get(json_array_get(json_object_get(out, "items"), 0), "bool")));
	json_decref(out);
}

/* The emails present in a list as "a|b|…" (items order). */
static char *emails(json_t *out)
{
	struct pb_strbuf o = PB_STRBUF_INIT;
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(out, "items"), i, e)
	{
		const char *m = json_string_value(json_object_get(e, "email"));
		if (m) {
			if (o.len)
				pb_strbuf_putc(&o, '|');
			pb_strbuf_puts(&o, m);
		}
	}
	return pb_strbuf_steal(&o);
}

static void test_email_visibility(void)
{
	struct {
		const struct pb_request_info *who;
		const char *want;
	} cases[] = {
		{&GUEST, "test2@example.com"},                                      /* emailVisibility only */
		{&CLIENT, "test2@example.com"},                                     /* any auth record */
		{&USER, "test@example.com|test2@example.com|test3@example.com"},    /* matches nologin manageRule */
		{&SU, "test@example.com|test2@example.com|test3@example.com"},      /* superuser */
		{&NOLOGIN, "test@example.com|test2@example.com"},                   /* own record */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *out = list(cases[i].who, "nologin", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
		char *ids = rtu_ids(out), *got = emails(out), *s = rtu_dump(out);
		CHECK_STR(ids, "dc49k6jgejn40h3,phhq3wr65cap535,oos036e9xvqeexy");
		CHECK_STR(got, cases[i].want);
		CHECK(s && !strstr(s, "tokenKey") && !strstr(s, "password"));
		CHECK(s && strstr(s, "\"emailVisibility\":true") && strstr(s, "\"emailVisibility\":false"));
		free(ids);
		free(got);
		free(s);
		json_decref(out);
	}
	/* superusers see every users email, never password/tokenKey */
	json_t *out = list(&SU, "users", NULL, NULL, NULL, NULL, "created", NULL, NULL, NULL);
	char *got = emails(out), *s = rtu_dump(out);
	CHECK_STR(got, "test@example.com|test2@example.com|test3@example.com");
	CHECK(s && !strstr(s, "tokenKey") && !strstr(s, "password"));
	free(got);
	free(s);
	json_decref(out);
}

static void test_hidden_fields(void)
{
	/* as PocketBase's tests: demo3.title hidden, list rule "title ~ 'test'" */
	CHECK(rtu_alter(&T, "UPDATE _collections SET listRule = 'title ~ ''test''', fields = (SELECT json_group_array("
	                    "CASE WHEN json_extract(value, '$.name') = 'title' THEN json_set(value, '$.hidden', json('true')) "
	                    "ELSE json(value) END) FROM json_each(fields)) WHERE name = 'demo3'") == 0);
	check_list(&CLIENT, "demo3", NULL, NULL, NULL, NULL, NULL,
	           "1tmknxy2868d869,lcl9d87w22ml6jy,7nwo8tuiatetxdm,mk5fmymtx4wsprk", 1, 30, 4, 1);
	json_t *out = list(&CLIENT, "demo3", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
	char *s = rtu_dump(out);
	CHECK(s && !strstr(s, "\"title\"") && strstr(s, "\"files\""));
	free(s);
	json_decref(out);
	check_list_error(&CLIENT, "demo3", NULL, NULL, NULL, "title~'test'", NULL, 400, BAD);
	check_list_error(&CLIENT, "demo3", NULL, NULL, NULL, NULL, "title", 400, BAD);
	check_list(&SU, "demo3", NULL, NULL, NULL, "title~'test'", NULL,
	           "1tmknxy2868d869,lcl9d87w22ml6jy,7nwo8tuiatetxdm,mk5fmymtx4wsprk", 1, 30, 4, 1);
	out = list(&SU, "demo3", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
	s = rtu_dump(out);
	CHECK(s && strstr(s, "\"title\":\"test1\""));
	free(s);
	json_decref(out);
	/* view: hidden for everyone but superusers */
	json_t *rec = view(&CLIENT, "demo3", "lcl9d87w22ml6jy", NULL, NULL, NULL);
	s = rtu_dump(rec);
	CHECK(s && !strstr(s, "\"title\"") && strstr(s, "\"id\":\"lcl9d87w22ml6jy\""));
	free(s);
	json_decref(rec);
	rec = view(&SU, "demo3", "lcl9d87w22ml6jy", NULL, NULL, NULL);
	s = rtu_dump(rec);
	CHECK(s && strstr(s, "\"title\":\"test2\""));
	free(s);
	json_decref(rec);
}

static void check_view(const struct pb_request_info *r, const char *coll, const char *id, int want_status,
                       const char *want_msg, const char *must_have, const char *must_not_have)
{
	int status;
	char msg[PB_ERROR_MSG_MAX];
	json_t *rec = view(r, coll, id, NULL, &status, msg);
	CHECK(status == want_status);
	if (want_status != 200) {
		CHECK(rec == NULL);
		CHECK_STR(msg, want_msg);
	} else {
		char *s = rtu_dump(rec);
		if (must_have)
			CHECK(s && strstr(s, must_have));
		if (must_not_have)
			CHECK(s && !strstr(s, must_not_have));
		free(s);
	}
	if (status != want_status)
		fprintf(stderr, "  view %s/%s: %d %s\n", coll, id, status, msg);
	json_decref(rec);
}

static void test_view(void)
{
	check_view(&GUEST, "demo2", "missing", 404, NOT_FOUND, NULL, NULL);
	check_view(&GUEST, "demo2", "", 404, NOT_FOUND, NULL, NULL);
	check_view(&GUEST, "demo1", "", 404, NOT_FOUND, NULL, NULL); /* empty id before the null rule */
	check_view(&GUEST, "demo1", "imy661ixudk5izi", 403, SU_ONLY, NULL, NULL);
	check_view(&USER, "demo1", "missing", 403, SU_ONLY, NULL, NULL); /* 403 before the lookup */
	check_view(&USER, "users", "bgs820n361vj1qd", 404, NOT_FOUND, NULL, NULL);
	check_view(&USER2, "users", "4q1xlclmfloku33", 404, NOT_FOUND, NULL, NULL);
	check_view(&USER, "users", "4q1xlclmfloku33", 200, NULL, "\"email\":\"test@example.com\",\"emailVisibility\":false",
	           "tokenKey");
	check_view(&SU, "demo1", "imy661ixudk5izi", 200, NULL, "\"collectionName\":\"demo1\"", NULL);
	json_t *rec = view(&GUEST, "demo2", "llvuca81nly1qls", NULL, NULL, NULL);
	char *s = rtu_dump(rec);
	CHECK_STR(s, DEMO2_LLVU);
	free(s);
	json_decref(rec);
	/* nologin email visibility, record oos036e9xvqeexy (emailVisibility false) */
	check_view(&GUEST, "nologin", "oos036e9xvqeexy", 200, NULL, "\"emailVisibility\":false", "\"email\":");
	check_view(&CLIENT, "nologin", "oos036e9xvqeexy", 200, NULL, "\"verified\":true", "\"email\":");
	check_view(&USER, "nologin", "oos036e9xvqeexy", 200, NULL, "\"email\":\"test3@example.com\"", "password");
	check_view(&SU, "nologin", "oos036e9xvqeexy", 200, NULL, "\"email\":\"test3@example.com\"", "tokenKey");
	check_view(&NOLOGIN, "nologin", "dc49k6jgejn40h3", 200, NULL, "\"email\":\"test@example.com\"", "\"verified\":true");
	check_view(&NOLOGIN, "nologin", "oos036e9xvqeexy", 200, NULL, "\"id\":\"oos036e9xvqeexy\"", "\"email\":");
	/* views */
	check_view(&GUEST, "view2", "84nmscqy84lsi1t", 200, NULL, "\"rel_many\":[\"", "\"created\"");
	check_view(&GUEST, "view2", "84nmscqy84lsi1t", 200, NULL, "\"state\":true", "\"updated\"");
	check_view(&GUEST, "view2", "84nmscqy84lsi1t", 200, NULL, "\"file_many\":[\"", NULL);
	check_view(&GUEST, "view1", "84nmscqy84lsi1t", 404, NOT_FOUND, NULL, NULL);
	check_view(&USER, "view1", "84nmscqy84lsi1t", 200, NULL, "\"bool\":true", NULL);
	check_view(&USER, "view1", "al1h9ijdeojtsjy", 404, NOT_FOUND, NULL, NULL); /* bool = false */
	check_view(&GUEST, "numeric_id_view", "1", 200, NULL, "\"id\":\"1\"", NULL);
	check_view(&GUEST, "numeric_id_view", "3", 404, NOT_FOUND, NULL, NULL);
}

static void test_rule_check(void)
{
	const struct pb_collection *users = pb_schema_find(T.schema, "users");
	const char *rule = users->rules[PB_RULE_VIEW];
	struct pb_read_ctx u = {T.schema, &T.stmts, &USER, NULL}, g = {T.schema, &T.stmts, &GUEST, NULL}, su = {T.schema, &T.stmts, &SU, NULL};
	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_record_rule_check(&u, users, "4q1xlclmfloku33", rule, &err) == 1);
	CHECK(pb_record_rule_check(&u, users, "bgs820n361vj1qd", rule, &err) == 0);
	CHECK(pb_record_rule_check(&g, users, "4q1xlclmfloku33", rule, &err) == 0);
	CHECK(pb_record_rule_check(&su, users, "bgs820n361vj1qd", NULL, &err) == 1);
	CHECK(pb_record_rule_check(&u, users, "4q1xlclmfloku33", NULL, &err) == 0);
	CHECK(pb_record_rule_check(&g, users, "4q1xlclmfloku33", "", &err) == 1);
	CHECK(pb_record_rule_check(&u, users, "missing", "id != ''", &err) == 0);
	/* joins (a relation path) and a broken rule */
	const struct pb_collection *demo4 = pb_schema_find(T.schema, "demo4");
	CHECK(pb_record_rule_check(&g, demo4, "qzaqccwrmva4o1n", "self_rel_many.title ?= 'test1'", &err) == 1);
	CHECK(pb_record_rule_check(&g, demo4, "i9naidtvr6qsgb4", "self_rel_many.title ?= 'test1'", &err) == 0);
	CHECK(err.status == 0);
	CHECK(pb_record_rule_check(&g, demo4, "qzaqccwrmva4o1n", "missing_field = 1", &err) == -1);
	CHECK(err.status == 400);
	pb_error_clear(&err);
	/* fetch helpers */
	json_t *ids = json_pack("[sss]", "bgs820n361vj1qd", "4q1xlclmfloku33", "nope");
	json_t *got = pb_records_match_ids(&u, users, ids, rule, &err);
	char *s = rtu_dump(got);
	CHECK_STR(s, "[\"4q1xlclmfloku33\"]");
	free(s);
	json_decref(got);
	got = pb_records_fetch_by_ids(&g, users, ids, NULL, &err);
	CHECK(json_array_size(got) == 2);
	json_decref(got);
	json_decref(ids);
	ids = json_array();
	got = pb_records_fetch_by_ids(&g, users, ids, "missing_field = 1", &err);
	CHECK(got == NULL && err.status == 400);
	pb_error_clear(&err);
	got = pb_records_fetch_by_ids(&g, users, ids, rule, &err);
	CHECK(json_is_array(got) && json_array_size(got) == 0);
	json_decref(got);
	json_decref(ids);
}

static void test_export(void)
{
	/* pb_records_export on records loaded with everything: strips per requester */
	const struct pb_collection *users = pb_schema_find(T.schema, "users");
	json_t *ids = json_pack("[ss]", "4q1xlclmfloku33", "bgs820n361vj1qd");
	struct pb_read_ctx su = {T.schema, &T.stmts, &SU, NULL}, u = {T.schema, &T.stmts, &USER, NULL}, g = {T.schema, &T.stmts, &GUEST, NULL};
	struct pb_error err = PB_ERROR_INIT;
	json_t *recs = pb_records_fetch_by_ids(&su, users, ids, NULL, &err);
	CHECK(json_array_size(recs) == 2);
	json_t *copy_u = json_deep_copy(recs), *copy_g = json_deep_copy(recs);
	CHECK(pb_records_export(&su, users, recs) == 0);
	CHECK(pb_records_export(&u, users, copy_u) == 0);
	CHECK(pb_records_export(&g, users, copy_g) == 0);
	char *a = rtu_dump(recs), *b = rtu_dump(copy_u), *c = rtu_dump(copy_g);
	CHECK(rtu_count(a, "\"email\":") == 2);
	CHECK(rtu_count(b, "\"email\":") == 2); /* own record + bgs820 has emailVisibility */
	CHECK(rtu_count(c, "\"email\":") == 1 && strstr(c, "test3@example.com"));
	CHECK(!strstr(a, "tokenKey") && !strstr(a, "password"));
	free(a);
	free(b);
	free(c);
	json_decref(recs);
	json_decref(copy_u);
	json_decref(copy_g);
	json_decref(ids);
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
	NOLOGIN = rtu_req(&T, "nologin", "dc49k6jgejn40h3");
	CHECK(USER.auth && USER2.auth && SU.auth && SU.superuser && CLIENT.auth && NOLOGIN.auth && !USER.superuser);

	test_list_basics();
	test_list_params();
	test_list_sort();
	test_list_forbidden_fields();
	test_list_rules();
	test_email_visibility();
	test_view();
	test_rule_check();
	test_export();
	test_hidden_fields(); /* alters the schema: keep last */

	rtu_req_free(&GUEST);
	rtu_req_free(&USER);
	rtu_req_free(&USER2);
	rtu_req_free(&SU);
	rtu_req_free(&CLIENT);
	rtu_req_free(&NOLOGIN);
	rtu_close(&T);
	TEST_DONE();
}
