/* stmt_cache — prepared statements reused per connection (see stmt_cache.h). */
#include "core/stmt_cache.h"

#include <stdlib.h>
#include <string.h>

static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

void pb_stmt_cache_init(struct pb_stmt_cache *c, sqlite3 *db)
{
	memset(c, 0, sizeof *c);
	c->db = db;
}

void pb_stmt_cache_deinit(struct pb_stmt_cache *c)
{
	for (size_t i = 0; i < PB_STMT_CACHE_SIZE; i++) {
		sqlite3_finalize(c->e[i].st);
		free(c->e[i].sql);
	}
	memset(c, 0, sizeof *c);
}

sqlite3_stmt *pb_stmt_cache_get(struct pb_stmt_cache *c, const char *sql, size_t len)
{
	uint64_t h = fnv1a(sql, len);
	struct pb_stmt_entry *victim = NULL;
	for (size_t i = 0; i < PB_STMT_CACHE_SIZE; i++) {
		struct pb_stmt_entry *e = &c->e[i];
		if (e->st && e->hash == h && e->len == len && memcmp(e->sql, sql, len) == 0) {
			if (e->in_use) {
				victim = NULL; /* nested use: an uncached statement, never a duplicate entry */
				break;
			}
			e->in_use = true;
			e->used_at = ++c->tick;
			return e->st;
		}
		if (!e->in_use && (!victim || (victim->st && (!e->st || e->used_at < victim->used_at))))
			victim = e;
	}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(c->db, sql, (int)len, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return NULL;
	}
	if (!victim)
		return st;
	sqlite3_finalize(victim->st);
	free(victim->sql);
	victim->sql = malloc(len + 1);
	if (!victim->sql)
		abort();
	memcpy(victim->sql, sql, len);
	victim->sql[len] = '\0';
	victim->len = len;
	victim->hash = h;
	victim->st = st;
	victim->in_use = true;
	victim->used_at = ++c->tick;
	return st;
}

void pb_stmt_cache_release(struct pb_stmt_cache *c, sqlite3_stmt *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < PB_STMT_CACHE_SIZE; i++) {
		if (c->e[i].st == st) {
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			c->e[i].in_use = false;
			return;
		}
	}
	sqlite3_finalize(st);
}

static int step_cached(struct pb_stmt_cache *c, const char *sql)
{
	sqlite3_stmt *st = pb_stmt_cache_get(c, sql, strlen(sql));
	if (!st)
		return SQLITE_ERROR;
	int rc = sqlite3_step(st);
	pb_stmt_cache_release(c, st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

bool pb_stmt_cache_read_begin(struct pb_stmt_cache *c)
{
	if (!c || !sqlite3_get_autocommit(c->db))
		return false; /* already inside a transaction: the statements join it */
	return step_cached(c, "BEGIN") == SQLITE_OK;
}

void pb_stmt_cache_read_end(struct pb_stmt_cache *c, bool began)
{
	if (!began || sqlite3_get_autocommit(c->db))
		return;
	if (step_cached(c, "COMMIT") != SQLITE_OK && !sqlite3_get_autocommit(c->db))
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
}
