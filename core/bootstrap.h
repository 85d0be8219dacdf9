/* bootstrap — open a pb_data directory, creating a fresh one exactly as PocketBase would.
 * Mirrors BaseApp.Bootstrap of PocketBase v0.39.11 for the storage part: mkdir -p the data
 * dir, open data.db then auxiliary.db with PocketBase's PRAGMAs, run the system migrations on
 * a fresh directory, insert the default settings row, and wipe `.pb_temp_to_delete`.
 *
 * Fresh directory (data.db has no `_collections` table): everything PocketBase creates on
 * first start is written in one transaction per file (the auxiliary transaction wraps the
 * data one, as PocketBase's migrations runner does):
 *   data.db      `_migrations` with the 8 system migration rows (applied = Unix µs),
 *                `_params` + `_collections` (+ idx__collections_type), the six system
 *                collections with their record tables and indexes, the `settings` row.
 *   auxiliary.db `_logs` and its three indexes.
 * Existing directory: data.db is left exactly as it is (a pb_data written by PocketBase is
 * served unchanged); only a missing `_logs` table in auxiliary.db is recreated, as
 * PocketBase's aux migration does when `_logs` is gone. */
#ifndef POCKETC_CORE_BOOTSTRAP_H
#define POCKETC_CORE_BOOTSTRAP_H

#include <sqlite3.h>

#include "core/error.h"

/* The system migrations of PocketBase v0.39.11, in the order they are applied and recorded
 * (file-name order). PB_SYSTEM_MIGRATIONS_COUNT entries; static strings. */
#define PB_SYSTEM_MIGRATIONS_COUNT 8
extern const char *const pb_system_migrations[PB_SYSTEM_MIGRATIONS_COUNT];

/* Opens (and on first use creates) the pb_data directory `dir` (borrowed).
 * On success returns 0 and stores two new connections opened with pb_db_open(readonly=false)
 * in *data_out (data.db) and *aux_out (auxiliary.db); the caller owns them and closes them
 * with sqlite3_close_v2. On failure returns -1 with `err` set, closes whatever it opened and
 * leaves both outputs NULL; a failed fresh install is rolled back (no partial schema). */
int pb_bootstrap_open_dir(const char *dir, sqlite3 **data_out, sqlite3 **aux_out, struct pb_error *err);

#endif
