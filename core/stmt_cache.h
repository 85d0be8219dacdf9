/* stmt_cache — a small per-connection cache of prepared statements keyed by SQL text.
 * Owned by one worker thread together with its read connection. The hot read paths (view
 * by id, list pages, auth-token record lookups) produce the same SQL text again and again
 * with different bound values, so re-preparing them is pure overhead. A statement handed out
 * is marked in use until released; asking for the same SQL while it is in use prepares an
 * uncached one, so nested use is safe. Least recently used entries are evicted. */
#ifndef POCKETC_CORE_STMT_CACHE_H
#define POCKETC_CORE_STMT_CACHE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PB_STMT_CACHE_SIZE 64

struct pb_stmt_entry {
	char *sql;            /* owned */
	size_t len;
	sqlite3_stmt *st;     /* owned */
	unsigned long used_at;
	bool in_use;
};

struct pb_stmt_cache {
	sqlite3 *db;          /* borrowed */
	uint64_t hashes[PB_STMT_CACHE_SIZE]; /* hashes[i]: the hash of e[i].sql (e[i].st set), apart
	                                      * so that a lookup scans one compact array */
	struct pb_stmt_entry e[PB_STMT_CACHE_SIZE];
	size_t last;          /* the entry handed out last (release looks there first) */
	unsigned long tick;
};

void pb_stmt_cache_init(struct pb_stmt_cache *c, sqlite3 *db);
/* Finalizes every cached statement. */
void pb_stmt_cache_deinit(struct pb_stmt_cache *c);
/* A prepared statement for `sql` (borrowed until pb_stmt_cache_release), or NULL with the
 * connection's error message available through sqlite3_errmsg. */
sqlite3_stmt *pb_stmt_cache_get(struct pb_stmt_cache *c, const char *sql, size_t len);
/* Resets and unbinds st and returns it to the cache (or finalizes it if it was uncached). */
void pb_stmt_cache_release(struct pb_stmt_cache *c, sqlite3_stmt *st);

/* Groups the reads that follow, up to pb_stmt_cache_read_end, in one (deferred) transaction of
 * the cache's connection: one snapshot and one WAL read lock for all of them instead of one
 * per statement. Returns whether it began one (false when the connection already is in a
 * transaction, or BEGIN failed: the reads then run as before). Every statement must be
 * released before the end. Pass its result to pb_stmt_cache_read_end, which always leaves the
 * connection in autocommit mode again when it began the transaction. */
bool pb_stmt_cache_read_begin(struct pb_stmt_cache *c);
void pb_stmt_cache_read_end(struct pb_stmt_cache *c, bool began);

#endif
