/* filter_test_util — shared helpers of the filter/sort unit tests: loads the schema of a
 * temporary copy of PocketBase's test fixture (never the shared file itself), builds request
 * infos, converts PocketBase's dbx notation ([[a.b]], {{t}}, {:p}) of expected SQL to ours,
 * renders bound values and runs generated statements returning record ids. */
#ifndef POCKETC_TESTS_UNIT_FILTER_TEST_UTIL_H
#define POCKETC_TESTS_UNIT_FILTER_TEST_UTIL_H

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collections/filter.h"

static char ftu_dir[256];

/* Copies data.db (+ -wal) of $POCKETC_FIXTURE into a temp dir; returns an open connection. */
static sqlite3 *ftu_open_fixture(void)
{
	const char *fx = getenv("POCKETC_FIXTURE");
	if (!fx)
		fx = "../../shared/fixtures/pb-testdata";
	snprintf(ftu_dir, sizeof ftu_dir, "/tmp/pocketc_filter_XXXXXX");
	if (!mkdtemp(ftu_dir))
		return NULL;
	const char *files[] = {"data.db", "data.db-wal"};
	for (int i = 0; i < 2; i++) {
		char src[512], dst[512];
		snprintf(src, sizeof src, "%s/%s", fx, files[i]);
		snprintf(dst, sizeof dst, "%s/%s", ftu_dir, files[i]);
		FILE *in = fopen(src, "rb");
		if (!in)
			continue;
		FILE *out = fopen(dst, "wb");
		char buf[65536];
		size_t n;
		while (out && (n = fread(buf, 1, sizeof buf, in)) > 0)
			fwrite(buf, 1, n, out);
		fclose(in);
		if (out)
			fclose(out);
	}
	char path[512];
	snprintf(path, sizeof path, "%s/data.db", ftu_dir);
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

static void ftu_cleanup(sqlite3 *db)
{
	sqlite3_close(db);
	char p[512];
	const char *files[] = {"data.db", "data.db-wal", "data.db-shm"};
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s/%s", ftu_dir, files[i]);
		unlink(p);
	}
	rmdir(ftu_dir);
}

/* dbx notation → our SQL: [[a.b]] → `a`.`b`, [[a]] → `a`, {{t}} → `t`, {:x} → ?N (numbered
 * from `first` in order of appearance). Newly allocated. */
__attribute__((unused)) static char *ftu_dbx(const char *s, int first)
{
	struct pb_strbuf o = PB_STRBUF_INIT;
	int n = first;
	while (*s) {
		if (s[0] == '[' && s[1] == '[') {
			const char *e = strstr(s + 2, "]]");
			const char *dot = memchr(s + 2, '.', (size_t)(e - s - 2));
			if (dot) {
				pb_strbuf_putc(&o, '`');
				pb_strbuf_append(&o, s + 2, (size_t)(dot - s - 2));
				pb_strbuf_puts(&o, "`.`");
				pb_strbuf_append(&o, dot + 1, (size_t)(e - dot - 1));
				pb_strbuf_putc(&o, '`');
			} else {
				pb_strbuf_putc(&o, '`');
				pb_strbuf_append(&o, s + 2, (size_t)(e - s - 2));
				pb_strbuf_putc(&o, '`');
			}
			s = e + 2;
		} else if (s[0] == '{' && s[1] == '{') {
			const char *e = strstr(s + 2, "}}");
			pb_strbuf_putc(&o, '`');
			pb_strbuf_append(&o, s + 2, (size_t)(e - s - 2));
			pb_strbuf_putc(&o, '`');
			s = e + 2;
		} else if (s[0] == '{' && s[1] == ':') {
			const char *e = strchr(s, '}');
			pb_strbuf_printf(&o, "?%d", n++);
			s = e + 1;
		} else {
			pb_strbuf_putc(&o, *s++);
		}
	}
	return pb_strbuf_steal(&o);
}

/* Bound values as "t:text,f:1.5,i:2,n". Newly allocated. */
__attribute__((unused)) static char *ftu_binds(const struct pb_query *q)
{
	struct pb_strbuf o = PB_STRBUF_INIT;
	for (size_t i = 0; i < q->nbinds; i++) {
		const struct pb_bind *b = &q->binds[i];
		if (i)
			pb_strbuf_putc(&o, ',');
		switch (b->kind) {
		case PB_BIND_TEXT: pb_strbuf_printf(&o, "t:%s", b->text); break;
		case PB_BIND_FLOAT: pb_strbuf_printf(&o, "f:%g", b->f); break;
		case PB_BIND_INT: pb_strbuf_printf(&o, "i:%lld", (long long)b->i); break;
		default: pb_strbuf_puts(&o, "n"); break;
		}
	}
	return pb_strbuf_steal(&o);
}

/* Runs `sql` with q's binds and returns the first column of every row joined by ','.
 * Newly allocated; "ERROR: …" on failure. */
__attribute__((unused)) static char *ftu_run(sqlite3 *db, const char *sql, const struct pb_query *q)
{
	struct pb_strbuf o = PB_STRBUF_INIT;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		pb_strbuf_printf(&o, "ERROR: %s", sqlite3_errmsg(db));
		return pb_strbuf_steal(&o);
	}
	if (q && pb_query_bind_all(q, st) != SQLITE_OK) {
		pb_strbuf_printf(&o, "ERROR: bind: %s", sqlite3_errmsg(db));
		sqlite3_finalize(st);
		return pb_strbuf_steal(&o);
	}
	int rc;
	bool first = true;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!first)
			pb_strbuf_putc(&o, ',');
		first = false;
		const unsigned char *t = sqlite3_column_text(st, 0);
		pb_strbuf_puts(&o, t ? (const char *)t : "NULL");
	}
	if (rc != SQLITE_DONE)
		pb_strbuf_printf(&o, "ERROR: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return pb_strbuf_steal(&o);
}

#endif
