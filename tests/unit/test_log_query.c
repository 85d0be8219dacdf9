/* test_log_query — collections/log_query on a temp copy of the fixture's auxiliary.db with
 * PocketBase's StubLogsData rows, matching apis/logs_test.go and core/log_query_test.go
 * (list totals and ids, the data.status>200 filter, view by id / missing, hourly stats with
 * and without filter), plus exact JSON bytes (struct key order, sorted data, float64 numbers,
 * re-formatted dates), the SimpleFieldResolver SQL and its accepted/rejected names, sorting,
 * paging and the scan rules for odd `data` / `created` values. */
#include <stdlib.h>

#include "collections/log_query.h"
#include "core/datetime.h"
#include "core/json_write.h"
#include "logs_test_util.h"
#include "test.h"

static const char item1[] = "{\"id\":\"873f2133-9f38-44fb-bf82-c8f53b310d91\",\"created\":\"2022-05-01 10:00:00.123Z\","
                            "\"data\":{\"status\":200},\"message\":\"test_message1\",\"level\":0}";
static const char item2[] = "{\"id\":\"f2133873-44fb-9f38-bf82-c918f53b310d\",\"created\":\"2022-05-02 10:00:00.123Z\","
                            "\"data\":{\"status\":400},\"message\":\"test_message2\",\"level\":8}";

static char *dump(json_t *v)
{
	char *s = v ? pb_json_dumps(v) : NULL;
	json_decref(v);
	return s;
}

/* pb_log_list for the given query values; returns the JSON text or "ERR <status> <message>". */
static char *list(sqlite3 *db, const char *page, const char *per_page, const char *skip, const char *filter,
                  const char *sort)
{
	struct pb_list_params p;
	struct pb_error err = PB_ERROR_INIT;
	if (pb_list_params_parse(&p, page, per_page, skip, &err) != 0) {
		pb_error_clear(&err);
		return strdup("ERR params");
	}
	p.filter = filter;
	p.sort = sort;
	json_t *v = pb_log_list(db, &p, &err);
	if (!v) {
		char buf[600];
		snprintf(buf, sizeof buf, "ERR %d %s", err.status, err.message);
		pb_error_clear(&err);
		return strdup(buf);
	}
	return dump(v);
}

static char *ids(sqlite3 *db, const char *filter, const char *sort)
{
	struct pb_list_params p = {1, 30, true, filter, sort};
	struct pb_error err = PB_ERROR_INIT;
	json_t *v = pb_log_list(db, &p, &err);
	if (!v) {
		pb_error_clear(&err);
		return strdup("ERR");
	}
	struct pb_strbuf b = PB_STRBUF_INIT;
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(v, "items"), i, it)
	{
		pb_strbuf_puts(&b, i ? "," : "");
		const char *id = json_string_value(json_object_get(it, "id"));
		pb_strbuf_append(&b, id, strlen(id) < 4 ? strlen(id) : 4);
	}
	json_decref(v);
	return pb_strbuf_steal(&b);
}

static void test_fixture_row(sqlite3 *db)
{
	/* the request row PocketBase itself wrote (table with the legacy `updated` column) */
	char *got = list(db, NULL, NULL, NULL, NULL, NULL);
	CHECK_STR(got, "{\"items\":[{\"id\":\"zqj48gjhf7zj0nk\",\"created\":\"2026-05-14 18:15:28.528Z\",\"data\":{\"auth\":"
	               "\"_superusers\",\"execTime\":9.681131,\"method\":\"PATCH\",\"referer\":\"http://localhost:8090/_/\","
	               "\"status\":200,\"type\":\"request\",\"url\":\"/api/settings\",\"userAgent\":\"Mozilla/5.0 (X11; "
	               "Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/146.0.0.0 Safari/537.36\"},"
	               "\"message\":\"PATCH /api/settings\",\"level\":0}],\"page\":1,\"perPage\":30,\"totalItems\":1,"
	               "\"totalPages\":1}");
	free(got);
}

static void test_list(sqlite3 *db)
{
	char want[2048];
	snprintf(want, sizeof want, "{\"items\":[%s,%s],\"page\":1,\"perPage\":30,\"totalItems\":2,\"totalPages\":1}", item1,
	         item2);
	char *got = list(db, NULL, NULL, NULL, NULL, NULL);
	CHECK_STR(got, want);
	free(got);
	snprintf(want, sizeof want, "{\"items\":[%s],\"page\":1,\"perPage\":30,\"totalItems\":1,\"totalPages\":1}", item2);
	got = list(db, NULL, NULL, NULL, "data.status>200", NULL);
	CHECK_STR(got, want);
	free(got);
	snprintf(want, sizeof want, "{\"items\":[%s],\"page\":2,\"perPage\":1,\"totalItems\":2,\"totalPages\":2}", item2);
	got = list(db, "2", "1", NULL, NULL, NULL);
	CHECK_STR(got, want);
	free(got);
	snprintf(want, sizeof want, "{\"items\":[%s],\"page\":1,\"perPage\":1,\"totalItems\":-1,\"totalPages\":-1}", item1);
	got = list(db, NULL, "1", "true", NULL, NULL);
	CHECK_STR(got, want);
	free(got);
	got = list(db, "3", NULL, NULL, NULL, NULL);
	CHECK_STR(got, "{\"items\":[],\"page\":3,\"perPage\":30,\"totalItems\":2,\"totalPages\":1}");
	free(got);

	static const struct {
		const char *filter, *sort, *want;
	} cases[] = {
		{"level = 8", NULL, "f213"},
		{"level >= 0", "-level", "f213,873f"},
		{"message ~ 'message1'", NULL, "873f"},
		{"message != ''", "-message", "f213,873f"},
		{"id = '873f2133-9f38-44fb-bf82-c8f53b310d91'", NULL, "873f"},
		{"created > '2022-05-01 12:00:00.000Z'", NULL, "f213"},
		{"created < @now", "-created", "f213,873f"},
		{"data.status = 400 || data.status = 200", "-data.status", "f213,873f"},
		{"data.status > 200", "data", "f213"},
		{"data ~ '400'", NULL, "f213"},
		{"data.missing = null", "-@rowid", "f213,873f"},
		{"data.missing != null", NULL, ""},
		{"data.missing = ''", NULL, ""}, /* no NULL fallback on JSON paths */
		{"data.status:lower = null", NULL, "873f,f213"}, /* ':' is dropped: $.statuslower */
		{"data.0 = null", NULL, "873f,f213"},
		{NULL, "@rowid", "873f,f213"},
		{NULL, "-data.status,id", "f213,873f"},
		{"true = true", NULL, "873f,f213"},
		/* names outside logFilterFields */
		{"title = 1", NULL, "ERR"},
		{"data:length > 0", NULL, "ERR"},
		{"data.+1 = 1", NULL, "ERR"}, /* '+' is outside ^data\.[\w\.\:]*\w+$ */
		{"data.a- = 1", NULL, "ERR"},
		{"data. = 1", NULL, "ERR"},
		{"id:lower = 'x'", NULL, "ERR"},
		{"@request.auth.id = ''", NULL, "ERR"},
		{"@collection._logs.id = ''", NULL, "ERR"},
		{"level >", NULL, "ERR"},
		{NULL, "unknown", "ERR"},
		{NULL, "@request.method", "ERR"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		got = ids(db, cases[i].filter, cases[i].sort);
		CHECK_STR(got, cases[i].want);
		if (strcmp(got, cases[i].want) != 0)
			fprintf(stderr, "  filter %s sort %s\n", cases[i].filter ? cases[i].filter : "-",
			        cases[i].sort ? cases[i].sort : "-");
		free(got);
	}
	got = list(db, NULL, NULL, NULL, "nope = 1", NULL);
	CHECK_STR(got, "ERR 400 Something went wrong while processing your request.");
	free(got);
}

static void test_sql(void)
{
	static const struct {
		const char *filter, *sort, *want;
	} cases[] = {
		{"data.status>200", NULL,
		 "SELECT `_logs`.* FROM `_logs` WHERE (JSON_EXTRACT(`_logs`.`data`, '$.status') > ?1) LIMIT ?2 OFFSET ?3"},
		/* no NULL fallback on JSON paths: `=` is IS (resolveEqualExpr) */
		{"data.a.0.b:c = 1", NULL,
		 "SELECT `_logs`.* FROM `_logs` WHERE (JSON_EXTRACT(`_logs`.`data`, '$.a[0].bc') IS ?1) LIMIT ?2 OFFSET ?3"},
		{"data.1 != 1", "-data.x.2", "SELECT `_logs`.* FROM `_logs` WHERE (JSON_EXTRACT(`_logs`.`data`, '$[1]') IS NOT ?1) "
		                             "ORDER BY JSON_EXTRACT(`_logs`.`data`, '$.x[2]') DESC LIMIT ?2 OFFSET ?3"},
		/* plain columns keep the automatic fallback */
		{"message = ''", "created,@rowid",
		 "SELECT `_logs`.* FROM `_logs` WHERE (((`_logs`.`message` = '' OR `_logs`.`message` IS NULL))) "
		 "ORDER BY `_logs`.`created` ASC, `_logs`.`_rowid_` ASC LIMIT ?1 OFFSET ?2"},
	};
	const char *no_rules[PB_RULE_COUNT] = {0};
	struct pb_collection *t = pb_collection_from_row("_logs", "_logs", "base", 1, "[]", "[]", "{}", no_rules, "", "");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct pb_list_params p = {1, 30, false, cases[i].filter, cases[i].sort};
		struct pb_list_sql q;
		struct pb_error err = PB_ERROR_INIT;
		CHECK(pb_list_sql_build_fields(&q, t, pb_log_filter_fields, &p, &err) == 0);
		CHECK_STR(pb_strbuf_cstr(&q.select), cases[i].want);
		pb_list_sql_deinit(&q);
		pb_error_clear(&err);
	}
	struct pb_list_params p = {1, 30, false, "data.status > 1", NULL};
	struct pb_list_sql q;
	CHECK(pb_list_sql_build_fields(&q, t, pb_log_filter_fields, &p, NULL) == 0);
	CHECK_STR(pb_strbuf_cstr(&q.count),
	          "SELECT COUNT(DISTINCT `_logs`.`_rowid_`) FROM `_logs` "
	          "WHERE (JSON_EXTRACT(`_logs`.`data`, '$.status') > ?1)");
	pb_list_sql_deinit(&q);
	pb_collection_free(t);
}

static void test_view(sqlite3 *db)
{
	struct pb_error err = PB_ERROR_INIT;
	char *got = dump(pb_log_view(db, "873f2133-9f38-44fb-bf82-c8f53b310d91", &err));
	CHECK_STR(got, item1);
	free(got);
	static const char *const missing[] = {"", "invalid", "00000000-9f38-44fb-bf82-c8f53b310d91",
	                                      "missing1-9f38-44fb-bf82-c8f53b310d91", NULL};
	for (int i = 0; i < 5; i++) {
		CHECK(pb_log_view(db, missing[i], &err) == NULL);
		CHECK(err.status == 404);
		CHECK_STR(err.message, "The requested resource wasn't found.");
		pb_error_clear(&err);
	}
}

static void test_stats(sqlite3 *db)
{
	struct pb_error err = PB_ERROR_INIT;
	char *got = dump(pb_log_stats(db, NULL, &err));
	CHECK_STR(got, "[{\"date\":\"2022-05-01 10:00:00.000Z\",\"total\":1},{\"date\":\"2022-05-02 10:00:00.000Z\","
	               "\"total\":1}]");
	free(got);
	got = dump(pb_log_stats(db, "data.status>200", &err));
	CHECK_STR(got, "[{\"date\":\"2022-05-02 10:00:00.000Z\",\"total\":1}]");
	free(got);
	char now[PB_DATETIME_LEN + 1], filter[80];
	pb_datetime_format(pb_now_ms(), now);
	snprintf(filter, sizeof filter, "created <= '%s'", now);
	got = dump(pb_log_stats(db, filter, &err));
	CHECK_STR(got, "[{\"date\":\"2022-05-01 10:00:00.000Z\",\"total\":1},{\"date\":\"2022-05-02 10:00:00.000Z\","
	               "\"total\":1}]");
	free(got);
	got = dump(pb_log_stats(db, "level > 100", &err));
	CHECK_STR(got, "[]");
	free(got);
	static const char *const bad[] = {"data.status >", "title = 1", "@request.auth.id = ''"};
	for (int i = 0; i < 3; i++) {
		CHECK(pb_log_stats(db, bad[i], &err) == NULL);
		CHECK(err.status == 400);
		CHECK_STR(err.message, "Invalid filter format.");
		pb_error_clear(&err);
	}
	/* several rows in one hour, and another hour of the same day */
	sqlite3_exec(db,
	             "INSERT INTO _logs (id, level, message, data, created) VALUES"
	             " ('s1', 0, 'a', '{}', '2022-05-02 10:59:59.999Z'), ('s2', 0, 'b', '{}', '2022-05-02 11:00:00.000Z')",
	             NULL, NULL, NULL);
	got = dump(pb_log_stats(db, "", &err));
	CHECK_STR(got, "[{\"date\":\"2022-05-01 10:00:00.000Z\",\"total\":1},{\"date\":\"2022-05-02 10:00:00.000Z\","
	               "\"total\":2},{\"date\":\"2022-05-02 11:00:00.000Z\",\"total\":1}]");
	free(got);
	sqlite3_exec(db, "DELETE FROM _logs WHERE id IN ('s1','s2')", NULL, NULL, NULL);
}

static void test_scan(sqlite3 *db)
{
	/* the fixture's legacy index on JSON_EXTRACT(data, '$.auth') rejects non-JSON data */
	CHECK(sqlite3_exec(db, "DROP INDEX _logs_data_auth_idx", NULL, NULL, NULL) == SQLITE_OK);
	CHECK(sqlite3_exec(db,
	             "INSERT INTO _logs (id, level, message, data, created) VALUES"
	             " ('n1', -4, '<msg> & \"q\"', '{\"b\":{\"z\":1,\"a\":12345678901234567890},\"a\":[1,2.50,1e2]}',"
	             "  '2022-05-01T10:00:00Z'),"
	             " ('n2', 4, 'm', '', 'not a date'),"
	             " ('n3', 0, 'm', 'null', '2022-05-01 10:00:00.5Z'),"
	             " ('n4', 0, 'm', '[1]', '2022-05-01 10:00:00.000Z'),"
	             " ('n5', 0, 'm', '123', '2022-05-01 10:00:00.000Z');",
	             NULL, NULL, NULL) == SQLITE_OK);
	char *ty = ltu_text(db, "SELECT typeof(data) FROM _logs WHERE id = 'n5'");
	CHECK_STR(ty, "integer");
	free(ty);
	struct pb_error err = PB_ERROR_INIT;
	char *got = dump(pb_log_view(db, "n1", &err));
	CHECK_STR(got, "{\"id\":\"n1\",\"created\":\"2022-05-01 10:00:00.000Z\",\"data\":{\"a\":[1,2.5,100],\"b\":{\"a\":"
	               "12345678901234567000,\"z\":1}},\"message\":\"\\u003cmsg\\u003e \\u0026 \\\"q\\\"\",\"level\":-4}");
	free(got);
	got = dump(pb_log_view(db, "n2", &err));
	CHECK_STR(got, "{\"id\":\"n2\",\"created\":\"\",\"data\":{},\"message\":\"m\",\"level\":4}");
	free(got);
	got = dump(pb_log_view(db, "n3", &err));
	CHECK_STR(got, "{\"id\":\"n3\",\"created\":\"2022-05-01 10:00:00.500Z\",\"data\":{},\"message\":\"m\",\"level\":0}");
	free(got);
	/* a non-object and a number-typed `data` (JSON column affinity) cannot be scanned */
	CHECK(pb_log_view(db, "n4", &err) == NULL && err.status == 404);
	pb_error_clear(&err);
	CHECK(pb_log_view(db, "n5", &err) == NULL && err.status == 404);
	pb_error_clear(&err);
	char *l = list(db, NULL, NULL, NULL, "id = 'n4'", NULL);
	CHECK_STR(l, "ERR 400 Something went wrong while processing your request.");
	free(l);
	l = ids(db, "id ~ 'n' && id != 'n4' && id != 'n5'", "-level");
	CHECK_STR(l, "n2,n3,n1");
	free(l);
	sqlite3_exec(db, "DELETE FROM _logs WHERE id LIKE 'n_'", NULL, NULL, NULL);
}

int main(void)
{
	struct ltu t;
	if (ltu_setup(&t, 1) != 0) {
		fprintf(stderr, "fixture copy failed\n");
		return 1;
	}
	sqlite3 *db = ltu_open(&t);
	CHECK(db != NULL);
	test_fixture_row(db);
	CHECK(ltu_stub_logs(db) == 0);
	test_list(db);
	test_sql();
	test_view(db);
	test_stats(db);
	test_scan(db);
	sqlite3_close(db);
	ltu_cleanup(&t);
	TEST_DONE();
}
