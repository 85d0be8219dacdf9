/* bootstrap_internal — declarations shared by bootstrap.c and bootstrap_collections.c. */
#ifndef POCKETC_CORE_BOOTSTRAP_INTERNAL_H
#define POCKETC_CORE_BOOTSTRAP_INTERNAL_H

#include <jansson.h>
#include <sqlite3.h>

#include "core/error.h"

/* Length of "YYYY-MM-DD HH:MM:SS.mmmZ". */
#define PB_BOOTSTRAP_DATE_LEN 24

/* Current UTC time as PocketBase's DateTime text into out (PB_BOOTSTRAP_DATE_LEN + 1 bytes). */
void pb_bootstrap_now_date(char *out);

/* Inserts the six system collections (_mfas, _otps, _externalAuths, _authOrigins,
 * _superusers, users) into `_collections` in PocketBase's order and creates their record
 * tables and indexes. `db` must be inside a transaction that already created `_collections`.
 * Returns 0 or -1 with err set. */
int pb_bootstrap_create_system_collections(sqlite3 *db, struct pb_error *err);

#endif
