/* test_stmt_cache — statement reuse, nested use and eviction, grouped read transactions
 * (core/stmt_cache.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/stmt_cache.h"
#include "tests/unit/test.h"

static int count_rows(struct pb_stmt_cache *c)
{
	const char *q = "SELECT COUNT(*) FROM t";
	sqlite3_stmt *st = pb_stmt_cache_get(c, q, strlen(q));
	int n = st && sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	pb_stmt_cache_release(c, st);
	return n;
}

/* pb_stmt_cache_read_begin/end: the reads between them see one snapshot of a WAL database
 * (a commit of another connection shows only after the end), the connection is back in
 * autocommit mode after it, and a transaction already open is left to its owner. */
static void test_read_transaction(void)
{
	char dir[] = "/tmp/pocketc-stmtcache-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char path[300];
	snprintf(path, sizeof path, "%s/data.db", dir);
	sqlite3 *w = NULL, *r = NULL;
	sqlite3_open(path, &w);
	CHECK(sqlite3_exec(w, "PRAGMA journal_mode=WAL; CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1)", NULL, NULL,
	                   NULL) == SQLITE_OK);
	sqlite3_open_v2(path, &r, SQLITE_OPEN_READONLY, NULL);
	struct pb_stmt_cache c;
	pb_stmt_cache_init(&c, r);
	bool began = pb_stmt_cache_read_begin(&c);
	CHECK(began);
	CHECK(count_rows(&c) == 1);
	CHECK(sqlite3_exec(w, "INSERT INTO t VALUES (2)", NULL, NULL, NULL) == SQLITE_OK);
	CHECK(count_rows(&c) == 1); /* the same snapshot */
	pb_stmt_cache_read_end(&c, began);
	CHECK(sqlite3_get_autocommit(r));
	CHECK(count_rows(&c) == 2);
	/* inside a transaction begun by someone else: nothing begun, nothing ended */
	CHECK(sqlite3_exec(r, "BEGIN", NULL, NULL, NULL) == SQLITE_OK);
	began = pb_stmt_cache_read_begin(&c);
	CHECK(!began);
	pb_stmt_cache_read_end(&c, began);
	CHECK(!sqlite3_get_autocommit(r));
	CHECK(sqlite3_exec(r, "COMMIT", NULL, NULL, NULL) == SQLITE_OK);
	pb_stmt_cache_deinit(&c);
	sqlite3_close(r);
	sqlite3_close(w);
	CHECK(test_remove_dir(dir));
}

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
	test_read_transaction();
	TEST_DONE();
}
