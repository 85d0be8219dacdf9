/* test_list_query — list parameter parsing (Go strconv rules), the exact page/count SQL that
 * collections/list_query.c builds (PocketBase's search provider shapes: DISTINCT only with
 * joins, COUNT(DISTINCT _rowid_) / view ids, LIMIT/OFFSET bound last) and the single-column
 * UNIQUE index detection of collections/index_parse.c (dbutils.ParseIndex cases). */
#include "collections/index_parse.h"
#include "collections/list_query.h"
#include "filter_test_util.h"
#include "test.h"

static void test_params(void)
{
	struct {
		const char *page, *per_page, *skip;
		int ok;
		long long want_page, want_per_page;
		bool want_skip;
	} cases[] = {
		{NULL, NULL, NULL, 1, 1, 30, false},
		{"", "", "", 1, 1, 30, false},
		{"3", "7", "1", 1, 3, 7, true},
		{"+3", "-7", "t", 1, 3, 30, true},
		{"-3", "0", "T", 1, 1, 30, true},
		{"007", "1001", "TRUE", 1, 7, 1000, true},
		{"1", "1000", "True", 1, 1, 1000, true},
		{"1", "999", "0", 1, 1, 999, false},
		{"1", "1", "f", 1, 1, 1, false},
		{"1", "1", "F", 1, 1, 1, false},
		{"1", "1", "FALSE", 1, 1, 1, false},
		{"1", "1", "false", 1, 1, 1, false},
		{"1", "1", "False", 1, 1, 1, false},
		{"9223372036854775807", "-9223372036854775808", NULL, 1, 9223372036854775807LL, 30, false},
		{"9223372036854775808", NULL, NULL, 0, 0, 0, false},
		{NULL, "-9223372036854775809", NULL, 0, 0, 0, false},
		{"1.0", NULL, NULL, 0, 0, 0, false},
		{"1_000", NULL, NULL, 0, 0, 0, false},
		{"0x1", NULL, NULL, 0, 0, 0, false},
		{"-", NULL, NULL, 0, 0, 0, false},
		{" 2", NULL, NULL, 0, 0, 0, false},
		{NULL, "2 ", NULL, 0, 0, 0, false},
		{NULL, NULL, "yes", 0, 0, 0, false},
		{NULL, NULL, "tRue", 0, 0, 0, false},
		{NULL, NULL, " 1", 0, 0, 0, false},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct pb_list_params p;
		struct pb_error err = PB_ERROR_INIT;
		int rc = pb_list_params_parse(&p, cases[i].page, cases[i].per_page, cases[i].skip, &err);
		if (cases[i].ok) {
			CHECK(rc == 0);
			CHECK(p.page == cases[i].want_page);
			CHECK(p.per_page == cases[i].want_per_page);
			CHECK(p.skip_total == cases[i].want_skip);
		} else {
			CHECK(rc == -1 && err.status == 400 && err.data == NULL);
			CHECK_STR(err.message, "Something went wrong while processing your request.");
		}
		if ((rc == 0) != cases[i].ok)
			fprintf(stderr, "  case %zu\n", i);
		pb_error_clear(&err);
	}
}

struct scase {
	const char *coll, *rule, *filter, *sort;
	bool client;
	long long page, per_page;
	const char *select, *count; /* dbx notation; NULL select = must fail */
	long long limit, offset;
};

static const struct scase sql_cases[] = {
	/* no joins: COUNT(*) counts the same rows as PocketBase's COUNT(DISTINCT rowid) */
	{"demo2", NULL, NULL, NULL, false, 1, 30, "SELECT `demo2`.* FROM `demo2` LIMIT {:l} OFFSET {:o}",
	 "SELECT COUNT(*) FROM `demo2`", 30, 0},
	{"demo2", "", "title='test1'", "-created", true, 3, 10,
	 "SELECT `demo2`.* FROM `demo2` WHERE ([[demo2.title]] = {:a}) ORDER BY [[demo2.created]] DESC LIMIT {:l} OFFSET {:o}",
	 "SELECT COUNT(*) FROM `demo2` WHERE ([[demo2.title]] = {:a})", 10, 20},
	{"demo5", "select_many:length = 3", "total > 1", "@rowid", true, 1, 5,
	 "SELECT `demo5`.* FROM `demo5` WHERE ((json_array_length(CASE WHEN iif(json_valid([[demo5.select_many]]), "
	 "json_type([[demo5.select_many]])='array', FALSE) THEN [[demo5.select_many]] ELSE (CASE WHEN "
	 "[[demo5.select_many]] = '' OR [[demo5.select_many]] IS NULL THEN json_array() ELSE "
	 "json_array([[demo5.select_many]]) END) END) = {:a})) AND ([[demo5.total]] > {:b}) ORDER BY [[demo5._rowid_]] ASC "
	 "LIMIT {:l} OFFSET {:o}",
	 "SELECT COUNT(*) FROM `demo5` WHERE ((json_array_length(CASE WHEN "
	 "iif(json_valid([[demo5.select_many]]), json_type([[demo5.select_many]])='array', FALSE) THEN "
	 "[[demo5.select_many]] ELSE (CASE WHEN [[demo5.select_many]] = '' OR [[demo5.select_many]] IS NULL THEN "
	 "json_array() ELSE json_array([[demo5.select_many]]) END) END) = {:a})) AND ([[demo5.total]] > {:b})",
	 5, 0},
	{"view2", NULL, NULL, "-state", false, 2, 1,
	 "SELECT `view2`.* FROM `view2` ORDER BY [[view2.state]] DESC LIMIT {:l} OFFSET {:o}",
	 "SELECT COUNT(DISTINCT [[view2.id]]) FROM `view2`", 1, 1},
	/* a relation sort joins: DISTINCT rows, ORDER BY kept out of the count */
	{"demo4", NULL, NULL, "self_rel_one.title", false, 1, 30,
	 "SELECT DISTINCT `demo4`.* FROM `demo4` LEFT JOIN `demo4` `demo4_self_rel_one` ON [[demo4_self_rel_one.id]] = "
	 "[[demo4.self_rel_one]] ORDER BY [[demo4_self_rel_one.title]] ASC LIMIT {:l} OFFSET {:o}",
	 "SELECT COUNT(DISTINCT [[demo4._rowid_]]) FROM `demo4` LEFT JOIN `demo4` `demo4_self_rel_one` ON "
	 "[[demo4_self_rel_one.id]] = [[demo4.self_rel_one]]",
	 30, 0},
	/* client filter through demo3 (non-empty list rule): the constraint is ANDed */
	{"demo4", NULL, "rel_one_cascade.title = 'x'", NULL, true, 1, 30,
	 "SELECT DISTINCT `demo4`.* FROM `demo4` LEFT JOIN `demo3` `demo4_rel_one_cascade` ON "
	 "[[demo4_rel_one_cascade.id]] = [[demo4.rel_one_cascade]] WHERE (([[demo4_rel_one_cascade.title]] = {:a}) AND "
	 "((([[demo4_rel_one_cascade.id]] = '' OR [[demo4_rel_one_cascade.id]] IS NULL) OR ('' IS NOT '' AND '' IS NOT "
	 "{:b})))) LIMIT {:l} OFFSET {:o}",
	 NULL, 30, 0},
	/* hidden field / null-list-rule join for clients, too long filter */
	{"users", NULL, "tokenKey = ''", NULL, true, 1, 30, NULL, NULL, 0, 0},
	{"view2", NULL, "rel_many.name != ''", NULL, true, 1, 30, NULL, NULL, 0, 0},
	{"demo2", "bad rule =", NULL, NULL, true, 1, 30, NULL, NULL, 0, 0},
	{"demo2", NULL, NULL, "missing", false, 1, 30, NULL, NULL, 0, 0},
};

static void test_sql(const struct pb_schema *s)
{
	for (size_t i = 0; i < sizeof sql_cases / sizeof sql_cases[0]; i++) {
		const struct scase *c = &sql_cases[i];
		struct pb_list_params p = {c->page, c->per_page, false, c->filter, c->sort};
		struct pb_list_sql q;
		struct pb_error err = PB_ERROR_INIT;
		int rc = pb_list_sql_build(&q, s, pb_schema_find(s, c->coll), NULL, c->rule, &p, c->client, &err);
		if (!c->select) {
			CHECK(rc == -1 && err.status == 400);
		} else {
			CHECK(rc == 0);
			char *want = ftu_dbx(c->select, 1);
			CHECK_STR(pb_strbuf_cstr(&q.select), want);
			free(want);
			if (c->count) {
				want = ftu_dbx(c->count, 1);
				CHECK_STR(pb_strbuf_cstr(&q.count), want);
				free(want);
			}
			CHECK(q.limit == c->limit && q.offset == c->offset);
		}
		pb_error_clear(&err);
		pb_list_sql_deinit(&q);
	}
	/* the long-filter limit: 3500 bytes build, 3501 do not */
	char f[3502];
	memset(f, ' ', sizeof f);
	memcpy(f, "id!=''", 6);
	for (int len = 3500; len <= 3501; len++) {
		f[len] = '\0';
		struct pb_list_params p = {1, 30, false, f, NULL};
		struct pb_list_sql q;
		struct pb_error err = PB_ERROR_INIT;
		int rc = pb_list_sql_build(&q, s, pb_schema_find(s, "demo2"), NULL, NULL, &p, true, &err);
		CHECK(rc == (len == 3500 ? 0 : -1));
		pb_error_clear(&err);
		pb_list_sql_deinit(&q);
		f[len] = ' ';
	}
}

static void test_exec(sqlite3 *db, const struct pb_schema *s)
{
	/* the statements run and bind: page 2 of demo2 by title, 1 per page */
	struct pb_list_params p = {2, 1, false, "title != ''", "title"};
	struct pb_list_sql q;
	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_list_sql_build(&q, s, pb_schema_find(s, "demo2"), NULL, "", &p, true, &err) == 0);
	sqlite3_stmt *st = NULL;
	CHECK(sqlite3_prepare_v2(db, pb_strbuf_cstr(&q.select), -1, &st, NULL) == SQLITE_OK);
	CHECK(pb_list_sql_bind_select(&q, st) == SQLITE_OK);
	CHECK(sqlite3_step(st) == SQLITE_ROW);
	int col = -1;
	for (int k = 0; k < sqlite3_column_count(st); k++)
		if (!strcmp(sqlite3_column_name(st, k), "title"))
			col = k;
	CHECK_STR((const char *)sqlite3_column_text(st, col), "test2");
	CHECK(sqlite3_step(st) == SQLITE_DONE);
	sqlite3_finalize(st);
	char *n = ftu_run(db, pb_strbuf_cstr(&q.count), &q.query);
	CHECK_STR(n, "3");
	free(n);
	pb_list_sql_deinit(&q);
}

static void test_unique_index(const struct pb_schema *s)
{
	struct {
		const char *sql, *col;
		bool want;
	} cases[] = {
		{"CREATE UNIQUE INDEX `idx` ON `t` (`a`)", "a", true},
		{"create unique index idx on t (A)", "a", true},
		{"CREATE UNIQUE INDEX IF NOT EXISTS \"idx\" ON \"t\" (\"a\" COLLATE NOCASE DESC)", "a", true},
		{"CREATE UNIQUE INDEX idx ON t (a ASC) WHERE a != ''", "a", true},
		{"CREATE UNIQUE INDEX idx ON t([a])", "a", true},
		{"CREATE UNIQUE INDEX `idx_luoQV2A` ON `demo4` (`rel_one_unique`) WHERE rel_one_unique != ''", "rel_one_unique",
		 true},
		{"CREATE UNIQUE INDEX idx ON t (\n  `a`\n)", "a", true},
		{"CREATE INDEX idx ON t (a)", "a", false},
		{"CREATE UNIQUE INDEX idx ON t (a, b)", "a", false},
		{"CREATE UNIQUE INDEX idx ON t (a, ``)", "a", true}, /* empty column names are skipped */
		{"CREATE UNIQUE INDEX idx ON t (lower(a))", "a", false},
		{"CREATE UNIQUE INDEX idx ON t (b)", "a", false},
		{"CREATE UNIQUE INDEX idx ON t ('a)", "a", false}, /* unbalanced quote: no columns */
		{"CREATE UNIQUE INDEX idx ON t (a) WHERE (b = 1)", "a", false}, /* columns run to the last ')' */
		{"nonsense", "a", false},
		{"", "a", false},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		bool got = pb_index_is_single_unique(cases[i].sql, cases[i].col);
		CHECK(got == cases[i].want);
		if (got != cases[i].want)
			fprintf(stderr, "  index [%s] col %s\n", cases[i].sql, cases[i].col);
	}
	CHECK(pb_collection_has_unique_index(pb_schema_find(s, "demo4"), "rel_one_unique"));
	CHECK(pb_collection_has_unique_index(pb_schema_find(s, "demo4"), "rel_many_unique"));
	CHECK(!pb_collection_has_unique_index(pb_schema_find(s, "demo4"), "rel_one_cascade"));
	CHECK(pb_collection_has_unique_index(pb_schema_find(s, "demo2"), "title"));
	CHECK(!pb_collection_has_unique_index(pb_schema_find(s, "demo2"), "active"));
	CHECK(!pb_collection_has_unique_index(pb_schema_find(s, "_externalAuths"), "recordRef"));
}

int main(void)
{
	test_params();
	sqlite3 *db = ftu_open_fixture();
	CHECK(db != NULL);
	if (!db)
		TEST_DONE();
	struct pb_error err = PB_ERROR_INIT;
	struct pb_schema *s = pb_schema_load(db, &err);
	CHECK(s != NULL);
	if (s) {
		test_sql(s);
		test_exec(db, s);
		test_unique_index(s);
		pb_schema_unref(s);
	}
	ftu_cleanup(db);
	TEST_DONE();
}
