/* view_memo — memoised rule-free view-by-id statements and row plans (see view_memo.h). */
#include "collections/view_memo.h"

#include <stdlib.h>
#include <string.h>

void pb_view_memo_init(struct pb_view_memo *m, sqlite3 *db)
{
	memset(m, 0, sizeof *m);
	m->db = db;
}

static void entry_clear(struct pb_view_memo_entry *e)
{
	sqlite3_finalize(e->st);
	pb_row_plan_free(e->plan);
	memset(e, 0, sizeof *e);
}

/* Drops every entry and the snapshot reference (entries in use are never dropped: only called
 * when none is, see pb_view_memo_write). */
static void clear_all(struct pb_view_memo *m)
{
	for (size_t i = 0; i < PB_VIEW_MEMO_SIZE; i++)
		entry_clear(&m->e[i]);
	if (m->schema)
		pb_schema_unref(m->schema);
	m->schema = NULL;
}

void pb_view_memo_deinit(struct pb_view_memo *m)
{
	clear_all(m);
	memset(m, 0, sizeof *m);
}

static bool same_export(const struct pb_record_export *a, const struct pb_record_export *b)
{
	return a->show_hidden == b->show_hidden && a->show_email == b->show_email &&
	       a->keep_secrets == b->keep_secrets && a->no_collection_keys == b->no_collection_keys;
}

static bool any_in_use(const struct pb_view_memo *m)
{
	for (size_t i = 0; i < PB_VIEW_MEMO_SIZE; i++)
		if (m->e[i].in_use)
			return true;
	return false;
}

/* The entry of (c, x), prepared on a miss; NULL with *rc set (2: cannot serve, -1: error). */
static struct pb_view_memo_entry *entry_for(struct pb_view_memo *m, const struct pb_schema *schema,
                                            const struct pb_collection *c, const struct pb_record_export *x,
                                            int (*sql)(const struct pb_collection *, struct pb_strbuf *), int *rc)
{
	if (m->schema != schema) {
		if (any_in_use(m)) {
			*rc = 2;
			return NULL;
		}
		clear_all(m);
		m->schema = pb_schema_ref((struct pb_schema *)schema);
	}
	struct pb_view_memo_entry *victim = NULL;
	for (size_t i = 0; i < PB_VIEW_MEMO_SIZE; i++) {
		struct pb_view_memo_entry *e = &m->e[i];
		if (e->c == c && same_export(&e->x, x)) {
			if (e->in_use) {
				*rc = 2;
				return NULL;
			}
			m->hits++;
			return e;
		}
		if (!e->in_use && (!victim || (victim->c && (!e->c || e->used_at < victim->used_at))))
			victim = e;
	}
	if (!victim) {
		*rc = 2;
		return NULL;
	}
	m->misses++;
	struct pb_strbuf text = PB_STRBUF_INIT;
	sqlite3_stmt *st = NULL;
	if (sql(c, &text) != 0) {
		*rc = -1;
	} else if (sqlite3_prepare_v3(m->db, pb_strbuf_cstr(&text), (int)text.len, SQLITE_PREPARE_PERSISTENT, &st,
	                              NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		st = NULL;
		*rc = -1;
	} else if (sqlite3_bind_parameter_count(st) != 1) {
		sqlite3_finalize(st);
		st = NULL;
		*rc = 2;
	}
	pb_strbuf_deinit(&text);
	if (!st)
		return NULL;
	entry_clear(victim);
	victim->c = c;
	victim->x = *x;
	victim->st = st;
	return victim;
}

int pb_view_memo_write(struct pb_view_memo *m, const struct pb_schema *schema, const struct pb_collection *c,
                       const char *id, const struct pb_record_export *x,
                       int (*sql)(const struct pb_collection *c, struct pb_strbuf *out), struct pb_strbuf *out)
{
	int rc = 2;
	struct pb_view_memo_entry *e = entry_for(m, schema, c, x, sql, &rc);
	if (!e)
		return rc;
	e->in_use = true;
	e->used_at = ++m->tick;
	sqlite3_stmt *st = e->st;
	if (sqlite3_bind_text(st, 1, id, (int)strlen(id), SQLITE_STATIC) != SQLITE_OK) {
		rc = -1;
	} else {
		int step = sqlite3_step(st);
		if (step == SQLITE_ROW) {
			/* planned after the step: a schema change re-prepares the statement there */
			int prepares = sqlite3_stmt_status(st, SQLITE_STMTSTATUS_REPREPARE, 0);
			if (!e->plan || e->prepares != prepares) {
				int small[64], *map = c->nfields <= 64 ? small : malloc(c->nfields * sizeof *map);
				if (!map)
					abort();
				pb_record_colmap_fill(c, st, map);
				pb_row_plan_free(e->plan);
				e->plan = pb_row_plan_new(c, map, x);
				e->prepares = prepares;
				if (map != small)
					free(map);
			}
			pb_row_plan_write(e->plan, st, out);
			rc = 1;
		} else {
			rc = step == SQLITE_DONE ? 0 : -1;
		}
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	e->in_use = false;
	return rc;
}
