/* db — opening SQLite connections the way PocketBase does, plus a small exec helper.
 * Every connection PocketBase opens (data.db and auxiliary.db alike) runs the same PRAGMA list
 * in the same order (core/db_connect.go): busy_timeout first so that switching to WAL can wait
 * on locks, then journal_mode=WAL, journal_size_limit, synchronous=NORMAL, foreign_keys=ON,
 * temp_store=MEMORY and cache_size=-32000. pb_db_open applies that list to one connection.
 *
 * Connections are opened with SQLITE_OPEN_NOMUTEX (each one is used by a single thread at a
 * time) and without SQLITE_OPEN_URI (a file name is always a plain path). */
#ifndef POCKETC_CORE_DB_H
#define POCKETC_CORE_DB_H

#include <sqlite3.h>
#include <stdbool.h>

#include "core/error.h"

/* The PocketBase per-connection settings, exposed for tests and diagnostics. */
#define PB_DB_BUSY_TIMEOUT_MS 10000
#define PB_DB_JOURNAL_SIZE_LIMIT 200000000
#define PB_DB_CACHE_SIZE (-32000)

/* Process-wide SQLite settings, before any connection exists (main calls it first): memory
 * statistics off (SQLITE_CONFIG_MEMSTATUS = 0). The system library is built without lookaside,
 * so every value a statement copies out of a row is a malloc; with the statistics on each of
 * those and each free takes SQLite's global memory mutex and updates its counters. Nothing
 * reads those counters (no sqlite3_memory_used, no soft heap limit). Then sqlite3_initialize.
 * Returns SQLITE_OK or the first error (the settings are then SQLite's defaults). */
int pb_db_global_init(void);

/* Opens `path` (borrowed) and applies PocketBase's PRAGMAs.
 *
 * readonly == false: the file is created when missing (SQLITE_OPEN_READWRITE|CREATE). This is
 * the writer / bootstrap connection.
 *
 * readonly == true: a reader for a worker thread. It is deliberately NOT opened with
 * SQLITE_OPEN_READONLY: a WAL reader must be able to create and write the -shm index and to
 * run WAL recovery after a crash, which a read-only handle cannot do (SQLITE_CANTOPEN /
 * SQLITE_READONLY_RECOVERY when the -shm file does not exist yet). Instead the file is opened
 * READWRITE without CREATE (a missing database is an error) and `PRAGMA query_only=ON` is set
 * last, so any attempt to write through a reader fails with SQLITE_READONLY. A failing
 * journal_mode switch is tolerated for readers (the writer sets WAL; it is persistent).
 *
 * Returns a new connection (caller closes it with sqlite3_close_v2) or NULL with `err` set
 * (status 500, SQLite's message). */
sqlite3 *pb_db_open(const char *path, bool readonly, struct pb_error *err);

/* Runs one or more ';'-separated statements (sqlite3_exec; result rows are discarded).
 * For static SQL only: values must go through prepared statements with bound parameters.
 * Returns 0, or -1 with `err` set (status 500, SQLite's message). */
int pb_db_exec(sqlite3 *db, const char *sql, struct pb_error *err);

#endif
