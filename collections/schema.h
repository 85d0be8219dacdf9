/* schema — an immutable, reference-counted snapshot of all collections.
 * Loaded from `_collections` in rowid order (PocketBase's cache order). A request takes a
 * reference to the current snapshot when it starts and keeps it until it ends, so a schema
 * change published meanwhile never changes what the request sees. */
#ifndef POCKETC_COLLECTIONS_SCHEMA_H
#define POCKETC_COLLECTIONS_SCHEMA_H

#include <sqlite3.h>

#include "collections/collection.h"
#include "core/error.h"

struct pb_schema {
	int refcount;                        /* atomic */
	struct pb_collection **collections;  /* owned, rowid order */
	size_t ncollections;
	bool rules_read_request_maps;        /* some rule mentions @request.headers or @request.query */
};

/* Whether `expr` (NULL allowed) mentions @request.headers or @request.query. */
bool pb_expr_reads_request_maps(const char *expr);

/* Reads every `_collections` row of `db`. Returns a snapshot with refcount 1 (caller owns
 * that reference) or NULL with `err` set. */
struct pb_schema *pb_schema_load(sqlite3 *db, struct pb_error *err);
struct pb_schema *pb_schema_ref(struct pb_schema *s);
void pb_schema_unref(struct pb_schema *s);

/* Id (exact) or name (case-insensitive), as FindCachedCollectionByNameOrId. Borrowed from s. */
const struct pb_collection *pb_schema_find(const struct pb_schema *s, const char *id_or_name);
/* Exact id lookup only. Borrowed. */
const struct pb_collection *pb_schema_find_by_id(const struct pb_schema *s, const char *id);

/* The process-wide current snapshot. pb_schema_current() returns a new reference (caller
 * unrefs). pb_schema_publish() steals `s` and drops the old snapshot's global reference. */
struct pb_schema *pb_schema_current(void);
void pb_schema_publish(struct pb_schema *s);

#endif
