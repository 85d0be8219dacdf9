/* test_stmt_cache — statement reuse, nested use and eviction (core/stmt_cache.c). */
#include <stdio.h>
#include <string.h>

#include "core/stmt_cache.h"
#include "tests/unit/test.h"

int main(void)
{
	sqlite3 *db;
	sqlite3_open(":memory:", &db);
	struct pb_stmt_cache c;
	pb_stmt_cache_init(&c, db);
	const char *q = "SELECT ?1 + 1";
	sqlite3_stmt *a = pb_stmt_cache_get(&c, q, strlen(q));
	CHECK(a != NULL);
	sqlite3_stmt *nested = pb_stmt_cache_get(&c, q, strlen(q));
	CHECK(nested != NULL && nested != a);
	sqlite3_bind_int(a, 1, 41);
	CHECK(sqlite3_step(a) == SQLITE_ROW && sqlite3_column_int(a, 0) == 42);
	pb_stmt_cache_release(&c, nested); /* uncached: finalized */
	pb_stmt_cache_release(&c, a);
	sqlite3_stmt *again = pb_stmt_cache_get(&c, q, strlen(q));
	CHECK(again == a);
	CHECK(sqlite3_step(again) == SQLITE_ROW && sqlite3_column_type(again, 0) == SQLITE_NULL); /* bindings cleared */
	pb_stmt_cache_release(&c, again);
	/* fill past capacity: everything still works, old entries evicted */
	for (int i = 0; i < PB_STMT_CACHE_SIZE * 2; i++) {
		char sql[64];
		snprintf(sql, sizeof sql, "SELECT %d", i);
		sqlite3_stmt *st = pb_stmt_cache_get(&c, sql, strlen(sql));
		CHECK(st && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == i);
		pb_stmt_cache_release(&c, st);
	}
	CHECK(pb_stmt_cache_get(&c, "SELEC nonsense", 14) == NULL);
	pb_stmt_cache_deinit(&c);
	sqlite3_close(db);
	TEST_DONE();
}
