/* settings_test_util — helpers of the settings unit tests: a temporary copy of PocketBase's
 * test fixture data.db (the shared file itself is never opened), reading the raw `_params`
 * row, building snapshots from a JSON patch and dumping JSON compactly in stored order. */
#ifndef POCKETC_TESTS_UNIT_SETTINGS_TEST_UTIL_H
#define POCKETC_TESTS_UNIT_SETTINGS_TEST_UTIL_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/settings.h"
#include "core/strbuf.h"

static char stu_dir[256];

/* Copies $POCKETC_FIXTURE/data.db into a new temp dir and opens the copy read-write. */
static inline sqlite3 *stu_open_fixture(void)
{
	const char *fx = getenv("POCKETC_FIXTURE");
	if (!fx)
		fx = "../../shared/fixtures/pb-testdata";
	snprintf(stu_dir, sizeof stu_dir, "/tmp/pocketc_settings_XXXXXX");
	if (!mkdtemp(stu_dir))
		return NULL;
	char src[512], dst[512];
	snprintf(src, sizeof src, "%s/data.db", fx);
	snprintf(dst, sizeof dst, "%s/data.db", stu_dir);
	FILE *in = fopen(src, "rb"), *out = in ? fopen(dst, "wb") : NULL;
	if (!in || !out) {
		if (in)
			fclose(in);
		if (out)
			fclose(out);
		unlink(dst);
		rmdir(stu_dir);
		return NULL;
	}
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		fwrite(buf, 1, n, out);
	fclose(in);
	fclose(out);
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(dst, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

static inline void stu_cleanup(sqlite3 *db)
{
	sqlite3_close(db);
	const char *files[] = {"data.db",      "data.db-wal",      "data.db-shm",      "data.db-journal",
	                       "auxiliary.db", "auxiliary.db-wal", "auxiliary.db-shm", "auxiliary.db-journal"};
	for (int i = 0; i < 8; i++) {
		char p[512];
		snprintf(p, sizeof p, "%s/%s", stu_dir, files[i]);
		unlink(p);
	}
	rmdir(stu_dir);
}

/* The raw `value` bytes of the settings row (caller frees), its SQLite type in *type. */
static inline char *stu_raw_value(sqlite3 *db, int *type)
{
	sqlite3_stmt *st = NULL;
	char *out = NULL;
	*type = 0;
	if (sqlite3_prepare_v2(db, "SELECT value FROM _params WHERE id = 'settings'", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*type = sqlite3_column_type(st, 0);
		const void *p = sqlite3_column_blob(st, 0);
		int n = sqlite3_column_bytes(st, 0);
		out = malloc((size_t)n + 1);
		if (out) {
			if (n)
				memcpy(out, p, (size_t)n);
			out[n] = '\0';
		}
	}
	sqlite3_finalize(st);
	return out;
}

/* Runs a statement with one optional text parameter. Returns the SQLite step code. */
static inline int stu_exec(sqlite3 *db, const char *sql, const char *param)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (param)
		sqlite3_bind_text(st, 1, param, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc;
}

/* pb_settings_merge of a JSON text onto base; NULL when the text or the merge fails. */
static inline struct pb_settings *stu_merge(const struct pb_settings *base, const char *patch_json, struct pb_error *err)
{
	json_t *patch = json_loads(patch_json, JSON_DECODE_ANY, NULL);
	if (!patch) {
		fprintf(stderr, "bad test JSON: %s\n", patch_json);
		return NULL;
	}
	struct pb_settings *s = pb_settings_merge(base, patch, err);
	json_decref(patch);
	return s;
}

/* Compact dump in stored key order (caller frees); "(null)" text for NULL. */
static inline char *stu_dump(const json_t *v)
{
	if (!v)
		return strdup("(null)");
	return json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
}

#endif
