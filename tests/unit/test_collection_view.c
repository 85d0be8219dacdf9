/* test_collection_view — view collections on a copy of PocketBase's fixture: field inference
 * (PocketBase's TestCreateViewFields cases: name → type), id normalization, dry runs (samples,
 * empty/duplicate ids, write statements) and that probes leave no temporary views behind. */
#include <stdlib.h>

#include "collections/field_settings.h"
#include "collections/view_infer.h"
#include "collection_test_util.h"
#include "tests/unit/test.h"

static int count_temp_views(sqlite3 *db)
{
	sqlite3_stmt *st;
	int n = -1;
	sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE type='view' AND (name LIKE '\\_temp\\_%' ESCAPE '\\' OR name LIKE 'temp_view_%')", -1, &st, NULL);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* expect: "name:type,name:type,…" in column order, or NULL when an error is expected */
static void fields_case(struct ctu *t, const char *query, const char *expect)
{
	struct pb_error err = PB_ERROR_INIT;
	json_t *fields = pb_view_create_fields(t->db, t->schema, query, NULL, &err);
	if (!expect) {
		CHECK(fields == NULL);
		CHECK(err.message[0] != 0);
	} else {
		struct pb_strbuf b = PB_STRBUF_INIT;
		size_t i;
		json_t *f;
		json_array_foreach(fields, i, f)
		pb_strbuf_printf(&b, "%s%s:%s", i ? "," : "", pb_fjson_str(f, "name"), pb_fjson_str(f, "type"));
		CHECK_STR(pb_strbuf_cstr(&b), expect);
		if (!fields)
			fprintf(stderr, "  error: %s\n", err.message);
		pb_strbuf_deinit(&b);
	}
	json_decref(fields);
	pb_error_clear(&err);
}

int main(void)
{
	struct ctu t;
	if (ctu_open(&t) != 0) {
		fprintf(stderr, "fixture missing\n");
		return 1;
	}
	fields_case(&t, "", NULL);
	fields_case(&t, "test 123456", NULL);
	fields_case(&t, "select id from missing", NULL);
	fields_case(&t, "select a.id, a.* from demo1 a", NULL);
	fields_case(&t, "select * from (select 1 as id)", NULL);
	fields_case(&t, "select text, url, created, updated from demo1", NULL);
	fields_case(&t,
	            "\n\t\t\t\tselect\n\t\t\t\t-- test single line\n\t\t\t\tdemo1.id,\n\t\t\t\tdemo1.text,\n\t\t\t\t/* multi\n"
	            "\t\t\t\t * line comment block */\n\t\t\t\tdemo1.url, demo1.created, demo1.updated from/* inline "
	            "comment block with no spaces between the identifiers */demo1\n\t\t\t\t-- comment before join\n"
	            "\t\t\t\tjoin demo2 ON (\n\t\t\t\t\t-- comment inside join\n\t\t\t\t\tdemo2.id = demo1.id\n\t\t\t\t)\n"
	            "\t\t\t\t-- comment before where\n\t\t\t\twhere (\n\t\t\t\t\t-- comment inside where\n"
	            "\t\t\t\t\tdemo2.id = demo1.id\n\t\t\t\t)\n\t\t\t",
	            "id:text,text:text,url:url,created:autodate,updated:autodate");
	fields_case(&t,
	            "select \"id\", \"created\", \"updated\", [text], `bool`, \"url\", \"select_one\", \"select_many\", "
	            "\"file_one\", \"demo1\".\"file_many\", `demo1`.`number` number_alias, \"email\", \"datetime\", "
	            "\"json\", \"rel_one\", \"rel_many\", 'single_quoted_custom_literal' as 'single_quoted_column' from "
	            "demo1",
	            "id:text,created:autodate,updated:autodate,text:text,bool:bool,url:url,select_one:select,select_many:"
	            "select,file_one:file,file_many:file,number_alias:number,email:email,datetime:date,json:json,rel_one:"
	            "relation,rel_many:relation,single_quoted_column:json");
	fields_case(&t, "select a.id, b.id as bid, b.created from demo1 as a left join demo2 b",
	            "id:text,bid:relation,created:autodate");
	fields_case(&t,
	            "select a.id as id, b.id as bid, lj.id cid, ij.id as did, a.bool, _superusers.id as eid, "
	            "_superusers.email from demo1 a, demo2 as b left join demo3 lj on lj.id = 123 inner join demo4 as ij "
	            "on ij.id = 123 join _superusers where 1=1 group by a.id limit 10",
	            "id:text,bid:relation,cid:relation,did:relation,bool:bool,eid:relation,email:email");
	fields_case(&t,
	            "select a.id, count(a.id) count, cast(a.id as int) cast_int, cast(a.id as integer) cast_integer, "
	            "cast(a.id as real) cast_real, cast(a.id as decimal) cast_decimal, cast(a.id as numeric) "
	            "cast_numeric, cast(a.id as text) cast_text, cast(a.id as bool) cast_bool, cast(a.id as boolean) "
	            "cast_boolean, avg(a.id) avg, sum(a.id) sum, total(a.id) total, min(a.id) min, max(a.id) max from "
	            "demo1 a",
	            "id:text,count:number,cast_int:number,cast_integer:number,cast_real:number,cast_decimal:number,cast_"
	            "numeric:number,cast_text:text,cast_bool:bool,cast_boolean:bool,avg:json,sum:json,total:number,min:"
	            "json,max:json");
	fields_case(&t,
	            "select\n\t\t\t\tid,\n\t\t\t\tcast(\n\t\t\t\t\t(\n\t\t\t\t\t\tcase\n\t\t\t\t\t\t\twhen count(a.id) = 1 "
	            "then 21\n\t\t\t\t\t\t\telse 0\n\t\t\t\t\t\tend\n\t\t\t\t\t) as int\n\t\t\t\t) as cast_int\n\t\t\tfrom "
	            "demo1 a",
	            "id:text,cast_int:number");
	fields_case(&t, "select id, CaSt( a.id  aS iNt ) as cast_int from demo1 a", "id:text,cast_int:number");
	fields_case(&t,
	            "select a.id, a.username, a.email, a.emailVisibility, a.verified, demo1.id relid from users a left "
	            "join demo1",
	            "id:text,username:text,email:email,emailVisibility:bool,verified:bool,relid:relation");
	fields_case(&t,
	            "select id, id as id2, text as text_alias, url as url_alias, \"demo1\".\"bool\" as bool_alias, number "
	            "as number_alias, created created_alias, updated updated_alias, 123 as custom from demo1",
	            "id:text,id2:relation,text_alias:text,url_alias:url,bool_alias:bool,number_alias:number,created_alias:"
	            "autodate,updated_alias:autodate,custom:json");
	fields_case(&t, "select distinct id as id2, id, 123 as custom from demo1", "id2:relation,id:text,custom:json");
	fields_case(&t, "select id; select 2 as id", NULL);
	CHECK(count_temp_views(t.db) == 0);

	/* the inferred id field is PocketBase's (Create "view collection" scenario) */
	{
		struct pb_error err = PB_ERROR_INIT;
		json_t *f = pb_view_create_fields(t.db, t.schema, "select 1 as id from _superusers limit 1", NULL, &err);
		char *s = json_dumps(f, JSON_COMPACT);
		CHECK_STR(s, "[{\"autogeneratePattern\":\"\",\"help\":\"\",\"hidden\":false,\"id\":\"text3208210256\","
		             "\"max\":0,\"min\":0,\"name\":\"id\",\"pattern\":\"^[a-z0-9]+$\",\"presentable\":false,"
		             "\"primaryKey\":true,\"required\":true,\"system\":true,\"type\":\"text\"}]");
		free(s);
		json_decref(f);
	}
	/* a cloned field keeps the source options under a _clone_ id */
	{
		struct pb_error err = PB_ERROR_INIT;
		json_t *f = pb_view_create_fields(t.db, t.schema, "select id, select_many as s from demo1", NULL, &err);
		json_t *s = json_array_get(f, 1);
		CHECK(!strncmp(pb_fjson_str(s, "id"), "_clone_", 7) && strlen(pb_fjson_str(s, "id")) == 11);
		CHECK_STR(pb_fjson_str(s, "name"), "s");
		CHECK(json_array_size(json_object_get(s, "values")) > 0);
		json_decref(f);
	}
	/* id normalization: a numeric id is wrapped as PocketBase stores numeric_id_view */
	{
		struct pb_error err = PB_ERROR_INIT;
		char *q = pb_view_normalize_id(t.db, "select (ROW_NUMBER() OVER()) as id, email from clients", &err);
		CHECK_STR(q, "SELECT CAST(`id` as TEXT) `id`,`email` FROM (select (ROW_NUMBER() OVER()) as id, email from "
		             "clients)");
		free(q);
		q = pb_view_normalize_id(t.db, "select id, text from demo1;", &err);
		CHECK_STR(q, "select id, text from demo1");
		free(q);
	}
	/* dry runs */
	{
		struct pb_error err = PB_ERROR_INIT;
		json_t *fields, *sample;
		CHECK(pb_view_dry_run(t.db, t.schema, "select 1 as id", 10, &fields, &sample, &err) == 0);
		CHECK(json_array_size(sample) == 1);
		CHECK_STR(json_string_value(json_object_get(json_array_get(sample, 0), "id")), "1");
		json_decref(fields);
		json_decref(sample);
		CHECK(pb_view_dry_run(t.db, t.schema, "select id, text from demo1", 3, &fields, &sample, &err) == 0);
		CHECK(json_array_size(sample) == 3);
		json_decref(fields);
		json_decref(sample);
		/* PocketBase's two scenarios fail already when the numeric id is wrapped: a parenthesised
		 * query has no parsable select list, so the wrapper selects nothing */
		CHECK(pb_view_dry_run(t.db, t.schema, "(select 1 as id union select '' as id)", 10, &fields, &sample, &err) ==
		      -1);
		CHECK_STR(err.message, "failed to retrieve query records: SQL logic error: near \"FROM\": syntax error (1)");
		pb_error_clear(&err);
		CHECK(pb_view_dry_run(t.db, t.schema, "(select 1 as id union all select 1 as id)", 10, &fields, &sample,
		                      &err) == -1);
		pb_error_clear(&err);
		CHECK(pb_view_dry_run(t.db, t.schema, "select '' as id", 10, &fields, &sample, &err) == -1);
		CHECK_STR(err.message, "the query could return records with empty or invalid ids");
		pb_error_clear(&err);
		CHECK(pb_view_dry_run(t.db, t.schema, "select 'x' as id from demo1", 10, &fields, &sample, &err) == -1);
		CHECK_STR(err.message, "the query could return records with non-unique ids");
		pb_error_clear(&err);
		CHECK(pb_view_dry_run(t.db, t.schema, "CREATE TABLE t1(x INT)", 10, &fields, &sample, &err) == -1);
		CHECK(strstr(err.message, "syntax error") != NULL);
		pb_error_clear(&err);
		CHECK(count_temp_views(t.db) == 0);
		sqlite3_stmt *st;
		sqlite3_prepare_v2(t.db, "SELECT count(*) FROM sqlite_master WHERE name = 't1'", -1, &st, NULL);
		CHECK(sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 0);
		sqlite3_finalize(st);
	}
	ctu_close(&t);
	TEST_DONE();
}
