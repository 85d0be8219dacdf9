/* test_index_sql — PocketBase's ParseIndex / Build cases (tools/dbutils/index_test.go) plus the
 * statements of the fixture and of bootstrap, rebuilt byte for byte. */
#include <stdlib.h>

#include "collections/index_sql.h"
#include "tests/unit/test.h"

static void parse_case(const char *sql, const char *schema, const char *name, const char *table, const char *where,
                       int unique, int optional, size_t ncols)
{
	struct pb_index idx;
	pb_index_parse(sql, &idx);
	CHECK_STR(idx.schema_name, schema);
	CHECK_STR(idx.index_name, name);
	CHECK_STR(idx.table_name, table);
	CHECK_STR(idx.where, where);
	CHECK(idx.unique == (unique != 0));
	CHECK(idx.optional == (optional != 0));
	CHECK(idx.ncolumns == ncols);
	pb_index_deinit(&idx);
}

static void build_case(const char *sql, const char *expected)
{
	struct pb_index idx;
	pb_index_parse(sql, &idx);
	char *b = pb_index_build(&idx);
	CHECK_STR(b, expected);
	free(b);
	pb_index_deinit(&idx);
}

int main(void)
{
	parse_case("invalid", "", "", "", "", 0, 0, 0);
	parse_case("create index indexname on tablename   (col1)", "", "indexname", "tablename", "", 0, 0, 1);
	parse_case("create index indexname on tablename(col1)", "", "indexname", "tablename", "", 0, 0, 1);
	/* PocketBase's "all fields" case */
	const char *all = "CREATE UNIQUE INDEX IF NOT EXISTS \"schemaname\".[indexname] on 'tablename' (\n"
	                  "\t\t\t\tcol0,\n\t\t\t\t`col1`,\n\t\t\t\tjson_extract(\"col2\", \"$.a\") asc,\n"
	                  "\t\t\t\t\"col3\" collate NOCASE,\n\t\t\t\t\"col4\" collate RTRIM desc\n\t\t\t) where test = 1";
	parse_case(all, "schemaname", "indexname", "tablename", "test = 1", 1, 1, 5);
	{
		struct pb_index idx;
		pb_index_parse(all, &idx);
		CHECK_STR(idx.columns[0].name, "col0");
		CHECK_STR(idx.columns[1].name, "col1");
		CHECK_STR(idx.columns[2].name, "json_extract(\"col2\", \"$.a\")");
		CHECK_STR(idx.columns[2].sort, "ASC");
		CHECK_STR(idx.columns[3].name, "col3");
		CHECK_STR(idx.columns[3].collate, "NOCASE");
		CHECK_STR(idx.columns[4].collate, "RTRIM");
		CHECK_STR(idx.columns[4].sort, "DESC");
		char *b = pb_index_build(&idx);
		CHECK_STR(b, "CREATE UNIQUE INDEX IF NOT EXISTS `schemaname`.`indexname` ON `tablename` (\n  `col0`,\n  "
		             "`col1`,\n  json_extract(\"col2\", \"$.a\") ASC,\n  `col3` COLLATE NOCASE,\n  `col4` COLLATE "
		             "RTRIM DESC\n) WHERE test = 1");
		free(b);
		pb_index_deinit(&idx);
	}
	/* a missing INDEX keyword does not parse (PocketBase's update scenario) */
	parse_case("create unique idx_test1 on demo1 (text)", "", "", "", "", 0, 0, 0);
	/* the column list runs to the last ')': a parenthesised WHERE unbalances it (no columns) */
	parse_case("create index a on t (x) where (y > 1)", "", "a", "t", "", 0, 0, 0);
	/* bootstrap's declared forms rebuild into the executed ones */
	build_case("CREATE INDEX `idx_mfas_collectionRef_recordRef` ON `_mfas` (collectionRef,recordRef)",
	           "CREATE INDEX `idx_mfas_collectionRef_recordRef` ON `_mfas` (\n  `collectionRef`,\n  `recordRef`\n)");
	build_case("CREATE UNIQUE INDEX `idx_email__pb_users_auth_` ON `users` (`email`) WHERE `email` != ''",
	           "CREATE UNIQUE INDEX `idx_email__pb_users_auth_` ON `users` (`email`) WHERE `email` != ''");
	build_case("create index idx_test2 on anything (id, test)",
	           "CREATE INDEX `idx_test2` ON `anything` (\n  `id`,\n  `test`\n)");
	build_case("CREATE INDEX x ON t (lower(name) COLLATE nocase desc)",
	           "CREATE INDEX `x` ON `t` (lower(name) COLLATE nocase DESC)");
	build_case("invalid", "");
	char *n = pb_index_name_of("create index `my_idx` on t (a)");
	CHECK_STR(n, "my_idx");
	free(n);
	TEST_DONE();
}
