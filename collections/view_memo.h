/* view_memo — a per-thread memo of the rule-free view-by-id lookup: for one collection of one
 * schema snapshot (and one export of its rows), the prepared statement
 *   SELECT `c`.* FROM `c` WHERE `c`.`id` = ?1 LIMIT 1
 * and the row plan (collections/record_json.h) that writes its row as the record's JSON. A
 * view of a collection whose view rule is "" (or any view by a superuser) otherwise builds that
 * SQL text, looks it up in the statement cache by text and rebuilds the row plan on every
 * request, although all three only depend on the snapshot. With a rule the SQL depends on the
 * request, so those views are not memoised.
 *
 * Exact by construction: an entry is reused only for the same snapshot (it holds a reference;
 * a request of another snapshot drops every entry first), the same collection of it and the
 * same export flags. The row plan maps fields to result columns; it is rebuilt when SQLite
 * re-prepared the statement since (a schema change can reorder the columns of `c`.*).
 * The memo is owned by one thread (a worker) together with its read connection, never shared. */
#ifndef POCKETC_COLLECTIONS_VIEW_MEMO_H
#define POCKETC_COLLECTIONS_VIEW_MEMO_H

#include <sqlite3.h>
#include <stdbool.h>

#include "collections/record_json.h"
#include "collections/schema.h"

#define PB_VIEW_MEMO_SIZE 16

struct pb_view_memo_entry {
	const struct pb_collection *c; /* borrowed from the memo's snapshot; NULL = free slot */
	struct pb_record_export x;
	sqlite3_stmt *st;              /* owned */
	struct pb_row_plan *plan;      /* owned; NULL until the first row */
	int prepares;                  /* the statement's SQLITE_STMTSTATUS_REPREPARE when planned */
	unsigned long used_at;
	bool in_use;
};

struct pb_view_memo {
	sqlite3 *db;                   /* borrowed: the read connection the statements belong to */
	struct pb_schema *schema;      /* owned reference: the snapshot of every entry, or NULL */
	struct pb_view_memo_entry e[PB_VIEW_MEMO_SIZE];
	unsigned long tick;
	unsigned long hits, misses;    /* counters for tests and profiles */
};

/* db is borrowed and must outlive the memo (deinit the memo before closing it). */
void pb_view_memo_init(struct pb_view_memo *m, sqlite3 *db);
/* Finalizes every statement, frees the plans, releases the snapshot reference. */
void pb_view_memo_deinit(struct pb_view_memo *m);

/* The lookup of record `id` (borrowed, NUL-terminated) of collection c (borrowed from schema)
 * with export x (borrowed): writes the row's JSON text to out (borrowed) exactly as
 * pb_record_write_row would. `sql` (borrowed) is called on a miss to build the statement text
 * into its strbuf (its only parameter is the id, ?1); it returns 0 or -1 (then the lookup
 * fails). Returns 1 when written, 0 when no row has that id, -1 on SQLite errors (message on
 * the memo's connection), 2 when the memo cannot serve this lookup now (its entry is in use by
 * an outer lookup, or the statement does not take exactly the id): the caller runs it itself. */
int pb_view_memo_write(struct pb_view_memo *m, const struct pb_schema *schema, const struct pb_collection *c,
                       const char *id, const struct pb_record_export *x,
                       int (*sql)(const struct pb_collection *c, struct pb_strbuf *out), struct pb_strbuf *out);

#endif
