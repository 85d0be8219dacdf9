/* stmt_cache — prepared statements reused per connection (see stmt_cache.h). */
#include "core/stmt_cache.h"

#include <stdlib.h>
#include <string.h>

#include "core/hash.h"

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

/* The entry a new statement replaces: a free one, else the least recently used one not in
 * use; NULL when every entry is in use. */
static struct pb_stmt_entry *pick_victim(struct pb_stmt_cache *c)
{
	struct pb_stmt_entry *victim = NULL;
	for (size_t i = 0; i < PB_STMT_CACHE_SIZE; i++) {
		struct pb_stmt_entry *e = &c->e[i];
		if (!e->st)
			return e;
		if (!e->in_use && (!victim || e->used_at < victim->used_at))
			victim = e;
	}
	return victim;
}

sqlite3_stmt *pb_stmt_cache_get(struct pb_stmt_cache *c, const char *sql, size_t len)
{
	uint64_t h = pb_hash_bytes(sql, len);
	bool nested = false;
	for (size_t i = 0; i < PB_STMT_CACHE_SIZE; i++) {
		if (c->hashes[i] != h)
			continue;
		struct pb_stmt_entry *e = &c->e[i];
		if (!e->st || e->len != len || memcmp(e->sql, sql, len) != 0)
			continue;
		if (e->in_use) {
			nested = true; /* nested use: an uncached statement, never a duplicate entry */
			break;
		}
		e->in_use = true;
		e->used_at = ++c->tick;
		c->last = i;
		return e->st;
	}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(c->db, sql, (int)len, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return NULL;
	}
	struct pb_stmt_entry *victim = nested ? NULL : pick_victim(c);
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
	victim->st = st;
	victim->in_use = true;
	victim->used_at = ++c->tick;
	c->last = (size_t)(victim - c->e);
	c->hashes[c->last] = h;
	return st;
}

void pb_stmt_cache_release(struct pb_stmt_cache *c, sqlite3_stmt *st)
{
	if (!st)
		return;
	/* usually the statement got last */
	size_t at = c->last < PB_STMT_CACHE_SIZE && c->e[c->last].st == st ? c->last : PB_STMT_CACHE_SIZE;
	for (size_t i = 0; at == PB_STMT_CACHE_SIZE && i < PB_STMT_CACHE_SIZE; i++)
		if (c->e[i].st == st)
			at = i;
	if (at == PB_STMT_CACHE_SIZE) {
		sqlite3_finalize(st);
		return;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	c->e[at].in_use = false;
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
