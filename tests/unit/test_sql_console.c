/* test_sql_console — the SQL console runner (core/sql_console.h) on a copy of PocketBase's
 * test fixture, with the expectations of apis/sql_test.go (last read statement wins, one
 * column per result column with the declared type, string values, affected rows of the last
 * write, modernc's error text) plus the value conversions of database/sql (integers, 'g'
 * floats, blobs, NULL), the row cap, DDL's change count, the refused transaction control and
 * the 'g' float format itself. */
#include "core/sql_console.h"

#include "core/json_write.h"
#include "filter_test_util.h"
#include "test.h"

/* The result without execTime (which varies), as compact JSON. */
static char *dump_result(json_t *r)
{
	if (!r)
		return strdup("(null)");
	json_object_del(r, "execTime");
	char *s = pb_json_dumps(r);
	json_decref(r);
	return s;
}

static void expect_read(sqlite3 *db, const char *q, const char *expected)
{
	struct pb_error err = PB_ERROR_INIT;
	char *got = dump_result(pb_sql_read(db, q, PB_SQL_MAX_ROWS, PB_SQL_TIMEOUT_MS, &err));
	CHECK_STR(got, expected);
	if (strcmp(got, expected) != 0)
		fprintf(stderr, "  query: %s\n  error: %s\n", q, err.message);
	free(got);
	pb_error_clear(&err);
}

static void expect_read_error(sqlite3 *db, const char *q, const char *message)
{
	struct pb_error err = PB_ERROR_INIT;
	json_t *r = pb_sql_read(db, q, PB_SQL_MAX_ROWS, PB_SQL_TIMEOUT_MS, &err);
	CHECK(r == NULL);
	json_decref(r);
	CHECK(err.status == 400);
	CHECK_STR(err.message, message);
	pb_error_clear(&err);
}

static void reads(sqlite3 *db)
{
	expect_read(db, "select 1", "{\"affectedRows\":0,\"columns\":[{\"name\":\"1\",\"type\":\"\",\"nullable\":true}],\"rows\":[[\"1\"]]}");
	expect_read(db, "select 1;select 2",
	            "{\"affectedRows\":0,\"columns\":[{\"name\":\"2\",\"type\":\"\",\"nullable\":true}],\"rows\":[[\"2\"]]}");
	/* the last statement's (empty) result replaces earlier rows */
	expect_read(db, "select 1; select 2 where 0",
	            "{\"affectedRows\":0,\"columns\":[{\"name\":\"2\",\"type\":\"\",\"nullable\":true}],\"rows\":[]}");
	expect_read(db, "  \n select id, email, verified from users where id = '4q1xlclmfloku33'  ",
	            "{\"affectedRows\":0,\"columns\":[{\"name\":\"id\",\"type\":\"TEXT\",\"nullable\":true},"
	            "{\"name\":\"email\",\"type\":\"TEXT\",\"nullable\":true},"
	            "{\"name\":\"verified\",\"type\":\"BOOLEAN\",\"nullable\":true}],"
	            "\"rows\":[[\"4q1xlclmfloku33\",\"test@example.com\",\"0\"]]}");
	expect_read(db, "select 1.5, 1e6, 123456.0, 0.00001, -2.5e-7, x'4142', null, 9223372036854775807",
	            "{\"affectedRows\":0,\"columns\":[{\"name\":\"1.5\",\"type\":\"\",\"nullable\":true},"
	            "{\"name\":\"1e6\",\"type\":\"\",\"nullable\":true},{\"name\":\"123456.0\",\"type\":\"\",\"nullable\":true},"
	            "{\"name\":\"0.00001\",\"type\":\"\",\"nullable\":true},{\"name\":\"-2.5e-7\",\"type\":\"\",\"nullable\":true},"
	            "{\"name\":\"x'4142'\",\"type\":\"\",\"nullable\":true},{\"name\":\"null\",\"type\":\"\",\"nullable\":true},"
	            "{\"name\":\"9223372036854775807\",\"type\":\"\",\"nullable\":true}],"
	            "\"rows\":[[\"1.5\",\"1e+06\",\"123456\",\"1e-05\",\"-2.5e-07\",\"AB\",null,\"9223372036854775807\"]]}");
	/* at most max_rows rows */
	struct pb_error err = PB_ERROR_INIT;
	json_t *r = pb_sql_read(db, "with recursive n(i) as (select 1 union all select i + 1 from n where i < 2000) select i from n",
	                        PB_SQL_MAX_ROWS, PB_SQL_TIMEOUT_MS, &err);
	CHECK(r && json_array_size(json_object_get(r, "rows")) == 1000);
	CHECK_STR(json_string_value(json_array_get(json_array_get(json_object_get(r, "rows"), 999), 0)), "1000");
	/* key order of the answer */
	char *s = pb_json_dumps(r);
	CHECK(strncmp(s, "{\"execTime\":", 12) == 0 && strstr(s, ",\"affectedRows\":0,\"columns\":[") != NULL);
	free(s);
	json_decref(r);
	expect_read_error(db, "invalid", "SQL logic error: near \"invalid\": syntax error (1)");
	expect_read_error(db, "select * from missing_table", "SQL logic error: no such table: missing_table (1)");
	expect_read_error(db, "   ", "empty query");
}

static void expect_write(sqlite3 *db, const char *q, long long affected)
{
	struct pb_error err = PB_ERROR_INIT;
	json_t *r = pb_sql_write(db, q, PB_SQL_TIMEOUT_MS, &err);
	CHECK(r != NULL);
	if (!r)
		fprintf(stderr, "  query: %s\n  error: %s\n", q, err.message);
	char *got = dump_result(r), expected[128];
	snprintf(expected, sizeof expected, "{\"affectedRows\":%lld,\"columns\":[],\"rows\":[]}", affected);
	CHECK_STR(got, expected);
	free(got);
	pb_error_clear(&err);
}

static long long count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	long long n = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void writes(sqlite3 *db)
{
	CHECK(pb_sql_is_write("create table x(id int)"));
	CHECK(pb_sql_is_write("  \n\tInsert into x values(1)"));
	CHECK(pb_sql_is_write("REPLACE into x values(1)"));
	CHECK(pb_sql_is_write("detach db"));
	CHECK(!pb_sql_is_write("select 1; delete from x"));
	CHECK(!pb_sql_is_write("with a as (select 1) delete from x"));
	CHECK(!pb_sql_is_write("pragma table_info(users)"));

	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	/* a DML statement leaves a change count behind; a following DDL reports 0, not that */
	expect_write(db, "update users set name = name where id = '4q1xlclmfloku33'", 1);
	expect_write(db, "create table test_sql_table(id int primary key)", 0);
	expect_write(db, "insert into test_sql_table(id) values (1), (2); insert into test_sql_table(id)VALUES(3)", 1);
	expect_write(db, "delete from test_sql_table where id < 3", 2);
	CHECK(count(db, "select count(*) from test_sql_table") == 1);

	struct pb_error err = PB_ERROR_INIT;
	json_t *r = pb_sql_write(db, "insert into test_sql_table(id) values (9);invalid", PB_SQL_TIMEOUT_MS, &err);
	CHECK(r == NULL);
	CHECK_STR(err.message, "SQL logic error: near \"invalid\": syntax error (1)");
	pb_error_clear(&err);
	r = pb_sql_write(db, "insert into test_sql_table(id) values (3)", PB_SQL_TIMEOUT_MS, &err);
	CHECK(r == NULL);
	CHECK_STR(err.message, "constraint failed: UNIQUE constraint failed: test_sql_table.id (1555)");
	pb_error_clear(&err);
	/* statements that would end the caller's transaction are refused */
	r = pb_sql_write(db, "delete from test_sql_table; commit", PB_SQL_TIMEOUT_MS, &err);
	CHECK(r == NULL);
	CHECK_STR(err.message, "authorization denied: not authorized (23)");
	pb_error_clear(&err);
	CHECK(sqlite3_get_autocommit(db) == 0); /* still inside the caller's transaction */
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	CHECK(count(db, "select count(*) from sqlite_master where name = 'test_sql_table'") == 0);
	/* the authorizer is gone again: transaction control works on the connection */
	CHECK(sqlite3_exec(db, "BEGIN; COMMIT", NULL, NULL, NULL) == SQLITE_OK);
}

static void g_format(void)
{
	static const struct {
		double v;
		const char *s;
	} cases[] = {
	    {1, "1"},          {1.5, "1.5"},         {100000, "100000"},    {123456, "123456"},  {1e6, "1e+06"},
	    {1234567, "1.234567e+06"}, {0.0001, "0.0001"}, {0.00001, "1e-05"}, {-2.5e-7, "-2.5e-07"}, {1e100, "1e+100"},
	    {0.1, "0.1"},      {0, "0"},             {-0.0, "-0"},          {5e-324, "5e-324"},  {1.0 / 0.0, "+Inf"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[PB_JSON_FLOAT_MAX];
		pb_json_format_float_general(cases[i].v, buf, sizeof buf);
		CHECK_STR(buf, cases[i].s);
	}
}

int main(void)
{
	sqlite3 *db = ftu_open_fixture();
	CHECK(db != NULL);
	if (db) {
		reads(db);
		writes(db);
		ftu_cleanup(db);
	}
	g_format();
	TEST_DONE();
}
