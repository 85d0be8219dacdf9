/* db — SQLite connection setup with PocketBase's per-connection PRAGMAs (see db.h). */
#include "core/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"

int pb_db_exec(sqlite3 *db, const char *sql, struct pb_error *err)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		pb_error_set(err, 500, "%s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* Runs `sql` and fails with a message that names the statement. */
static int exec_named(sqlite3 *db, const char *sql, struct pb_error *err)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		pb_error_set(err, 500, "%s: %s", sql, msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int pb_db_global_init(void)
{
	int rc = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	int init = sqlite3_initialize();
	return rc != SQLITE_OK ? rc : init;
}

sqlite3 *pb_db_open(const char *path, bool readonly, struct pb_error *err)
{
	sqlite3 *db = NULL;
	struct pb_strbuf name = PB_STRBUF_INIT;

	/* Even without SQLITE_OPEN_URI a build with SQLITE_USE_URI=1 would read "file:..." as a
	 * URI; a relative path is therefore always passed as "./path". */
	if (path[0] != '/' && strncmp(path, "./", 2) != 0)
		pb_strbuf_puts(&name, "./");
	pb_strbuf_puts(&name, path);

	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	if (!readonly)
		flags |= SQLITE_OPEN_CREATE;

	int rc = sqlite3_open_v2(pb_strbuf_cstr(&name), &db, flags, NULL);
	if (rc != SQLITE_OK) {
		pb_error_set(err, 500, "failed to open %s: %s", path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		goto fail;
	}

	/* Same list and order as PocketBase's DSN pragmas. */
	if (exec_named(db, "PRAGMA busy_timeout = 10000", err) != 0)
		goto fail;
	if (exec_named(db, "PRAGMA journal_mode = WAL", err) != 0) {
		if (!readonly)
			goto fail;
		pb_error_clear(err); /* a reader keeps whatever mode the file already has */
	}
	if (exec_named(db, "PRAGMA journal_size_limit = 200000000", err) != 0 ||
	    exec_named(db, "PRAGMA synchronous = NORMAL", err) != 0 ||
	    exec_named(db, "PRAGMA foreign_keys = ON", err) != 0 ||
	    exec_named(db, "PRAGMA temp_store = MEMORY", err) != 0 ||
	    exec_named(db, "PRAGMA cache_size = -32000", err) != 0)
		goto fail;
	if (readonly && exec_named(db, "PRAGMA query_only = ON", err) != 0)
		goto fail;

	pb_strbuf_deinit(&name);
	return db;

fail:
	if (db)
		sqlite3_close_v2(db);
	pb_strbuf_deinit(&name);
	return NULL;
}
