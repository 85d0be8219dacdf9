/* collection_test_util — shared helpers of the collection write-path tests: a temporary copy of
 * PocketBase's fixture (never the shared file) with its schema, SQL probes of sqlite_master and
 * table contents, and a schema reload after each change. */
#ifndef POCKETC_TESTS_UNIT_COLLECTION_TEST_UTIL_H
#define POCKETC_TESTS_UNIT_COLLECTION_TEST_UTIL_H

#include <jansson.h>
#include <stdlib.h>

#include "collections/schema.h"
#include "core/strbuf.h"
#include "filter_test_util.h"

struct ctu {
	sqlite3 *db;
	struct pb_schema *schema;
};

static int ctu_open(struct ctu *t)
{
	memset(t, 0, sizeof *t);
	t->db = ftu_open_fixture();
	if (!t->db)
		return -1;
	struct pb_error err = PB_ERROR_INIT;
	t->schema = pb_schema_load(t->db, &err);
	pb_error_clear(&err);
	return t->schema ? 0 : -1;
}

__attribute__((unused)) static void ctu_reload(struct ctu *t)
{
	struct pb_error err = PB_ERROR_INIT;
	struct pb_schema *s = pb_schema_load(t->db, &err);
	pb_error_clear(&err);
	if (s) {
		pb_schema_unref(t->schema);
		t->schema = s;
	}
}

static void ctu_close(struct ctu *t)
{
	if (t->schema)
		pb_schema_unref(t->schema);
	ftu_cleanup(t->db);
}

/* The first column of the first row of `sql` with ?1 = arg (may be NULL) as a malloc'd string
 * ("" for NULL, "(none)" when there is no row). */
__attribute__((unused)) static char *ctu_scalar(sqlite3 *db, const char *sql, const char *arg)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "ctu_scalar: %s\n", sqlite3_errmsg(db));
		return strdup("(error)");
	}
	if (arg)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_TRANSIENT);
	char *out;
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);
		out = strdup(v ? v : "");
	} else {
		out = strdup("(none)");
	}
	sqlite3_finalize(st);
	return out;
}

/* The sqlite_master SQL of `name` (malloc'd; "(none)" when absent). */
__attribute__((unused)) static char *ctu_ddl(sqlite3 *db, const char *name)
{
	return ctu_scalar(db, "SELECT sql FROM sqlite_master WHERE name = ?1", name);
}

/* Every row of `sql` joined: columns by '|', rows by ';' (malloc'd). */
__attribute__((unused)) static char *ctu_rows(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_strbuf_puts(&b, "");
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "ctu_rows: %s\n", sqlite3_errmsg(db));
		return pb_strbuf_steal(&b);
	}
	for (int r = 0; sqlite3_step(st) == SQLITE_ROW; r++) {
		if (r)
			pb_strbuf_putc(&b, ';');
		for (int c = 0; c < sqlite3_column_count(st); c++) {
			const char *v = (const char *)sqlite3_column_text(st, c);
			pb_strbuf_printf(&b, "%s%s", c ? "|" : "", v ? v : "NULL");
		}
	}
	sqlite3_finalize(st);
	return pb_strbuf_steal(&b);
}

#endif
