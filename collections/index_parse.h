/* index_parse — the little of PocketBase's CREATE INDEX parser (tools/dbutils/index.go
 * ParseIndex + FindSingleColumnUniqueIndex) the read path needs: whether a collection has a
 * single-column UNIQUE index on a column (and its COLLATE). That decides if a back-relation
 * `coll_via_field` is single (expand shape, filter multi-match) or multiple, and whether auth
 * identity lookups compare case-insensitively. */
#ifndef POCKETC_COLLECTIONS_INDEX_PARSE_H
#define POCKETC_COLLECTIONS_INDEX_PARSE_H

#include <stdbool.h>

#include "collections/collection.h"

/* True when `sql` (borrowed) parses as a UNIQUE index with exactly one column whose name
 * equals `column` case-insensitively (quotes, COLLATE and ASC/DESC stripped; a WHERE part
 * is ignored), the way ParseIndex reads it. Never fails: unparsable text → false. */
bool pb_index_is_single_unique(const char *sql, const char *column);

/* dbutils.FindSingleColumnUniqueIndex over c->indexes (borrowed). */
bool pb_collection_has_unique_index(const struct pb_collection *c, const char *column);

/* The same lookup, also telling whether the found index declares its column `COLLATE NOCASE`
 * (how FindAuthRecordByEmail and the password identity lookup decide on a case-insensitive
 * compare). Returns false when there is no such index (*nocase untouched). */
bool pb_collection_unique_index_nocase(const struct pb_collection *c, const char *column, bool *nocase);

#endif
