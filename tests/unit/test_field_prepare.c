/* test_field_prepare — per-type normalisation (PrepareValue / setters), modifiers, column
 * definitions, DB binding and reading, re-expressing core/field_*_test.go cases. */
#include "tests/unit/field_test_util.h"
#include "tests/unit/test.h"

#include <sqlite3.h>

#include "collections/query.h"

/* what to_db binds, as "NULL" / "I:<int>" / "F:<float %g>" / "T:<text>" */
static const char *bound(const struct pb_collection *c, const char *value_json)
{
	static char out[512];
	const struct pb_field *f = &c->fields[0];
	json_t *v = json_loads(value_json, JSON_DECODE_ANY, NULL);
	struct pb_query q;
	pb_query_init(&q);
	int ph = pb_field_impl(f)->to_db(f, v, &q);
	const struct pb_bind *b = &q.binds[ph - 1];
	switch (b->kind) {
	case PB_BIND_NULL: snprintf(out, sizeof out, "NULL"); break;
	case PB_BIND_INT: snprintf(out, sizeof out, "I:%lld", (long long)b->i); break;
	case PB_BIND_FLOAT: snprintf(out, sizeof out, "F:%g", b->f); break;
	default: snprintf(out, sizeof out, "T:%.*s", (int)b->len, b->text); break;
	}
	pb_query_deinit(&q);
	json_decref(v);
	return out;
}

/* from_column of `SELECT <sql_literal>` */
static const char *read_col(sqlite3 *db, const struct pb_collection *c, const char *sql_literal)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT %s", sql_literal);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	sqlite3_step(st);
	const char *r = js(pb_field_impl(&c->fields[0])->from_column(&c->fields[0], st, 0));
	sqlite3_finalize(st);
	return r;
}

int main(void)
{
	sqlite3 *db;
	sqlite3_open(":memory:", &db);

	/* text: cast.ToString */
	struct pb_collection *c = one_field("{\"name\":\"t\",\"type\":\"text\",\"autogeneratePattern\":\"[a-c]{3}\"}");
	CHECK_STR(prep(c, NULL), "\"\"");
	CHECK_STR(prep(c, "\"test\""), "\"test\"");
	CHECK_STR(prep(c, "false"), "\"false\"");
	CHECK_STR(prep(c, "-123.5"), "\"-123.5\"");
	CHECK_STR(prep(c, "[1,2]"), "\"\"");
	const char *gen = modi(c, PB_MOD_AUTOGENERATE, "\"\"", "\"ab-\"");
	CHECK(strlen(gen) == 2 + 6 && !strncmp(gen, "\"ab-", 4) && strspn(gen + 4, "abc") == 3);
	CHECK_STR(pb_field_impl(&c->fields[0])->column_def(&c->fields[0]), "TEXT DEFAULT '' NOT NULL");
	CHECK_STR(bound(c, "\"x\""), "T:x");
	CHECK_STR(read_col(db, c, "NULL"), "\"\"");
	CHECK_STR(read_col(db, c, "123"), "\"123\"");
	CHECK(pb_field_match_key(&c->fields[0], "t:autogenerate", NULL) && !pb_field_match_key(&c->fields[0], "t+", NULL));
	pb_collection_free(c);
	c = one_field("{\"name\":\"id\",\"type\":\"text\",\"primaryKey\":true}");
	CHECK_STR(pb_field_impl(&c->fields[0])->column_def(&c->fields[0]),
	          "TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL");
	pb_collection_free(c);

	/* number: cast.ToFloat64, n+ / n- */
	c = one_field("{\"name\":\"n\",\"type\":\"number\"}");
	CHECK_STR(prep(c, NULL), "0");
	CHECK_STR(prep(c, "\"\""), "0");
	CHECK_STR(prep(c, "\"test\""), "0");
	CHECK_STR(prep(c, "false"), "0");
	CHECK_STR(prep(c, "true"), "1");
	CHECK_STR(prep(c, "-2"), "-2");
	CHECK_STR(prep(c, "\"123.456\""), "123.456");
	CHECK_STR(modi(c, PB_MOD_APPEND, "10", "\"5.5\""), "15.5");
	CHECK_STR(modi(c, PB_MOD_SUBTRACT, "10", "3"), "7");
	CHECK(pb_field_match_key(&c->fields[0], "n+", NULL) && pb_field_match_key(&c->fields[0], "n-", NULL) &&
	      !pb_field_match_key(&c->fields[0], "+n", NULL));
	CHECK_STR(pb_field_impl(&c->fields[0])->column_def(&c->fields[0]), "NUMERIC DEFAULT 0 NOT NULL");
	CHECK_STR(bound(c, "12.5"), "F:12.5");
	CHECK_STR(read_col(db, c, "'12.5'"), "12.5");
	CHECK_STR(read_col(db, c, "' 12'"), "0");
	CHECK_STR(read_col(db, c, "7"), "7");
	pb_collection_free(c);

	/* bool */
	c = one_field("{\"name\":\"b\",\"type\":\"bool\"}");
	CHECK_STR(prep(c, NULL), "false");
	CHECK_STR(prep(c, "\"\""), "false");
	CHECK_STR(prep(c, "\"f\""), "false");
	CHECK_STR(prep(c, "\"t\""), "true");
	CHECK_STR(prep(c, "\"TRUE\""), "true");
	CHECK_STR(prep(c, "\"yes\""), "false");
	CHECK_STR(prep(c, "1"), "true");
	CHECK_STR(prep(c, "0"), "false");
	CHECK_STR(bound(c, "true"), "I:1");
	CHECK_STR(bound(c, "false"), "I:0");
	CHECK_STR(read_col(db, c, "1"), "true");
	CHECK_STR(read_col(db, c, "2"), "false");
	CHECK_STR(read_col(db, c, "'true'"), "true");
	CHECK_STR(pb_field_impl(&c->fields[0])->column_def(&c->fields[0]), "BOOLEAN DEFAULT FALSE NOT NULL");
	pb_collection_free(c);

	/* date: ParseDateTime (unparsable and numbers → "") */
	c = one_field("{\"name\":\"d\",\"type\":\"date\"}");
	CHECK_STR(prep(c, NULL), "\"\"");
	CHECK_STR(prep(c, "\"invalid\""), "\"\"");
	CHECK_STR(prep(c, "1704067200"), "\"\"");
	CHECK_STR(prep(c, "\"2024-01-01 00:00:01.123Z\""), "\"2024-01-01 00:00:01.123Z\"");
	CHECK_STR(prep(c, "\"2024-01-01\""), "\"2024-01-01 00:00:00.000Z\"");
	CHECK_STR(prep(c, "\"2024-01-01T12:30:45+02:00\""), "\"2024-01-01 10:30:45.000Z\"");
	CHECK_STR(prep(c, "\"2024-01-01 12:30:45 +0200\""), "\"2024-01-01 10:30:45.000Z\"");
	CHECK_STR(prep(c, "\"Mon, 02 Jan 2006 15:04:05 -0700\""), "\"2006-01-02 22:04:05.000Z\"");
	CHECK_STR(prep(c, "\"Mon, 02 Jan 2006 15:04:05 MST\""), "\"2006-01-02 15:04:05.000Z\"");
	CHECK_STR(prep(c, "\"02 Jan 2006\""), "\"2006-01-02 00:00:00.000Z\"");
	CHECK_STR(prep(c, "\"Mon Jan  2 15:04:05 2006\""), "\"2006-01-02 15:04:05.000Z\"");
	CHECK_STR(prep(c, "\"2024-02-30\""), "\"\"");
	CHECK_STR(prep(c, "\"0001-01-01 00:00:00.000Z\""), "\"\"");
	CHECK_STR(read_col(db, c, "'2024-05-01T10:00:00.5Z'"), "\"2024-05-01 10:00:00.500Z\"");
	pb_collection_free(c);

	/* autodate: setter ignored */
	c = one_field("{\"name\":\"created\",\"type\":\"autodate\",\"onCreate\":true}");
	CHECK(pb_field_impl(&c->fields[0])->flags & PB_FT_IGNORES_SET);
	CHECK_STR(pb_field_impl(&c->fields[0])->column_def(&c->fields[0]), "TEXT DEFAULT '' NOT NULL");
	pb_collection_free(c);

	/* select (core/field_select_test.go TestSelectFieldPrepareValue) */
	c = one_field("{\"name\":\"s\",\"type\":\"select\",\"values\":[\"a\",\"b\",\"c\"]}");
	CHECK_STR(prep(c, NULL), "\"\"");
	CHECK_STR(prep(c, "\"\""), "\"\"");
	CHECK_STR(prep(c, "123"), "\"123\"");
	CHECK_STR(prep(c, "\"a\""), "\"a\"");
	CHECK_STR(prep(c, "\"[\\\"a\\\"]\""), "\"a\"");
	CHECK_STR(prep(c, "[]"), "\"\"");
	CHECK_STR(prep(c, "[\"a\",\"b\"]"), "\"b\"");
	CHECK_STR(modi(c, PB_MOD_APPEND, "\"a\"", "\"b\""), "\"b\"");
	CHECK_STR(pb_field_impl(&c->fields[0])->column_def(&c->fields[0]), "TEXT DEFAULT '' NOT NULL");
	CHECK_STR(bound(c, "\"b\""), "T:b");
	pb_collection_free(c);
	c = one_field("{\"name\":\"s\",\"type\":\"select\",\"maxSelect\":2,\"values\":[\"a\",\"b\",\"c\"]}");
	CHECK_STR(prep(c, NULL), "[]");
	CHECK_STR(prep(c, "\"\""), "[]");
	CHECK_STR(prep(c, "123"), "[\"123\"]");
	CHECK_STR(prep(c, "\"a\""), "[\"a\"]");
	CHECK_STR(prep(c, "\"[\\\"a\\\"]\""), "[\"a\"]");
	CHECK_STR(prep(c, "[\"a\",\"b\",\"c\"]"), "[\"a\",\"b\",\"c\"]");
	CHECK_STR(prep(c, "[\"a\",\"a\",\"\",\"b\"]"), "[\"a\",\"b\"]");
	CHECK_STR(modi(c, PB_MOD_APPEND, "[\"a\"]", "[\"b\",\"a\",\"c\"]"), "[\"a\",\"b\",\"c\"]");
	CHECK_STR(modi(c, PB_MOD_PREPEND, "[\"a\"]", "\"b\""), "[\"b\",\"a\"]");
	CHECK_STR(modi(c, PB_MOD_SUBTRACT, "[\"a\",\"b\",\"c\"]", "[\"a\",\"c\",\"x\"]"), "[\"b\"]");
	CHECK(pb_field_match_key(&c->fields[0], "+s", NULL) && pb_field_match_key(&c->fields[0], "s-", NULL));
	CHECK_STR(pb_field_impl(&c->fields[0])->column_def(&c->fields[0]), "JSON DEFAULT '[]' NOT NULL");
	CHECK_STR(bound(c, "[\"a\",\"<b>\"]"), "T:[\"a\",\"\\u003cb\\u003e\"]");
	CHECK_STR(bound(c, "[]"), "T:[]");
	CHECK_STR(read_col(db, c, "'[\"a\",\"b\"]'"), "[\"a\",\"b\"]");
	CHECK_STR(read_col(db, c, "'a'"), "[\"a\"]");
	CHECK_STR(read_col(db, c, "NULL"), "[]");
	pb_collection_free(c);

	/* relation: like select */
	c = one_field("{\"name\":\"r\",\"type\":\"relation\",\"maxSelect\":1,\"collectionId\":\"x\"}");
	CHECK_STR(prep(c, "[\"a\",\"b\"]"), "\"b\"");
	CHECK_STR(read_col(db, c, "'[\"a\",\"b\"]'"), "\"b\"");
	pb_collection_free(c);

	/* file: toSliceValue (array elements that are not one name are dropped) */
	c = one_field("{\"name\":\"f\",\"type\":\"file\",\"maxSelect\":3}");
	CHECK_STR(prep(c, "\"a.txt\""), "[\"a.txt\"]");
	CHECK_STR(prep(c, "[\"a.txt\",\"\",\"b.txt\",\"a.txt\",\"[\\\"x\\\",\\\"y\\\"]\"]"), "[\"a.txt\",\"b.txt\"]");
	CHECK_STR(modi(c, PB_MOD_SUBTRACT, "[\"a\",\"b\"]", "\"a\""), "[\"b\"]");
	CHECK_STR(modi(c, PB_MOD_PREPEND, "[\"a\"]", "[\"b\"]"), "[\"b\",\"a\"]");
	pb_collection_free(c);

	/* json (core/field_json_test.go TestJSONFieldPrepareValue) */
	c = one_field("{\"name\":\"j\",\"type\":\"json\"}");
	CHECK_STR(prep(c, "\"null\""), "null");
	CHECK_STR(prep(c, "\"\""), "\"\"");
	CHECK_STR(prep(c, "\"true\""), "true");
	CHECK_STR(prep(c, "\"false\""), "false");
	CHECK_STR(prep(c, "\"test\""), "\"test\"");
	CHECK_STR(prep(c, "\"123\""), "123");
	CHECK_STR(prep(c, "\"-456\""), "-456");
	CHECK_STR(prep(c, "\"[1,2,3]\""), "[1,2,3]");
	CHECK_STR(prep(c, "\"[1,2,3\""), "\"[1,2,3\"");
	CHECK_STR(prep(c, "\"{\\\"a\\\":1,\\\"b\\\":2}\""), "{\"a\":1,\"b\":2}");
	CHECK_STR(prep(c, "\"{\\\"a\\\":1,\\\"b\\\":2\""), "\"{\\\"a\\\":1,\\\"b\\\":2\"");
	CHECK_STR(prep(c, "[1,2,3]"), "[1,2,3]");
	CHECK_STR(prep(c, "{\"b\":2,\"a\":1}"), "{\"a\":1,\"b\":2}");
	CHECK_STR(prep(c, NULL), "null");
	CHECK_STR(prep(c, "false"), "false");
	CHECK_STR(prep(c, "-78"), "-78");
	CHECK_STR(prep(c, "123.456"), "123.456");
	CHECK_STR(pb_field_impl(&c->fields[0])->column_def(&c->fields[0]), "JSON DEFAULT NULL");
	CHECK_STR(bound(c, "null"), "NULL");
	CHECK_STR(bound(c, "{\"a\":[1,\"x\"]}"), "T:{\"a\":[1,\"x\"]}");
	CHECK_STR(read_col(db, c, "NULL"), "null");
	CHECK_STR(read_col(db, c, "'abc'"), "\"abc\"");
	CHECK_STR(read_col(db, c, "123"), "123");
	pb_collection_free(c);

	/* geoPoint (core/field_geo_point_test.go) */
	c = one_field("{\"name\":\"g\",\"type\":\"geoPoint\"}");
	CHECK_STR(prep(c, NULL), "{\"lon\":0,\"lat\":0}");
	CHECK_STR(prep(c, "\"\""), "{\"lon\":0,\"lat\":0}");
	CHECK_STR(prep(c, "{\"lat\":2,\"lon\":1}"), "{\"lon\":1,\"lat\":2}");
	CHECK_STR(prep(c, "\"{\\\"lon\\\":10,\\\"lat\\\":20}\""), "{\"lon\":10,\"lat\":20}");
	CHECK_STR(prep(c, "{\"LON\":5,\"lat\":\"x\"}"), "{\"lon\":5,\"lat\":0}");
	CHECK_STR(prep(c, "[1,2]"), "{\"lon\":0,\"lat\":0}");
	CHECK_STR(bound(c, "{\"lon\":1.5,\"lat\":-2}"), "T:{\"lon\":1.5,\"lat\":-2}");
	CHECK_STR(pb_field_impl(&c->fields[0])->column_def(&c->fields[0]), "JSON DEFAULT '{\"lon\":0,\"lat\":0}' NOT NULL");
	CHECK_STR(read_col(db, c, "'{\"lon\":3,\"lat\":4}'"), "{\"lon\":3,\"lat\":4}");
	pb_collection_free(c);

	/* password: plain secret, stored hash read as is */
	c = one_field("{\"name\":\"password\",\"type\":\"password\"}");
	CHECK(pb_field_impl(&c->fields[0])->flags & PB_FT_PLAIN_SECRET);
	CHECK_STR(read_col(db, c, "'$2a$10$abc'"), "\"$2a$10$abc\"");
	pb_collection_free(c);

	/* unknown type: passthrough */
	c = one_field("{\"name\":\"u\",\"type\":\"mystery\"}");
	CHECK(pb_field_impl(&c->fields[0]) == pb_field_type_get(PB_FIELD_UNKNOWN));
	CHECK_STR(prep(c, "{\"x\":1}"), "{\"x\":1}");
	pb_collection_free(c);

	sqlite3_close(db);
	TEST_DONE();
}
