/* schema_sync — a collection change turned into SQL the way PocketBase's
 * SyncRecordTableSchema (core/collection_record_table_sync.go) writes it, so that a table
 * pocketc creates or alters is the same as one PocketBase would:
 *  - create: CREATE TABLE `name` (`col` <ColumnType>, …) with the columns sorted by name (byte
 *    order), then every index rebuilt for this table (index_sql.h) and executed;
 *  - update: when the table is renamed, the fields or the indexes changed, every old index is
 *    dropped first; a rename (case-insensitive difference) is ALTER TABLE … RENAME TO; a field
 *    whose id disappeared is DROP COLUMN; a new field is ADD `<name><5 random>` and a renamed
 *    one RENAME COLUMN to `<name><5 random>`, then every temporary name is renamed to its field
 *    name; select/relation/file fields whose multiplicity flipped get their column re-added with
 *    the new type and their values converted (views dropped and re-created around it); then the
 *    indexes are created again;
 *  - delete: DROP TABLE / DROP VIEW IF EXISTS.
 * Index creation failures come back as PocketBase's validation errors under `indexes.<i>`. */
#ifndef POCKETC_COLLECTIONS_SCHEMA_SYNC_H
#define POCKETC_COLLECTIONS_SCHEMA_SYNC_H

#include <jansson.h>
#include <sqlite3.h>

#include "collections/collection.h"
#include "core/error.h"

/* Syncs the record table of `newc` (a base or auth collection) from `oldc` (NULL, or its stored
 * version: NULL or a missing table means create). Runs on `db` inside the caller's
 * transaction. Returns 0, or -1 with err: a 400 whose data holds {"indexes":{…}} for index
 * failures, otherwise a 400 with the SQLite error as message. */
int pb_schema_sync_table(sqlite3 *db, const struct pb_collection *newc, const struct pb_collection *oldc,
                         struct pb_error *err);

/* True when a table or view named `name` exists (case-insensitive), as App.HasTable. */
bool pb_schema_has_table(sqlite3 *db, const char *name);

/* DROP TABLE IF EXISTS `name` (base/auth) or DROP VIEW IF EXISTS `name` (view). */
int pb_schema_drop(sqlite3 *db, const struct pb_collection *c, struct pb_error *err);

#endif
