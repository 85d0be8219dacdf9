/* auth_cleanup — the hourly removal of expired MFA and OTP rows, as PocketBase's
 * DeleteExpiredMFAs / DeleteExpiredOTPs (core/mfa_query.go, core/otp_query.go): for every auth
 * collection, the rows of `_mfas` / `_otps` referencing it that were created more than the
 * collection's `mfa.duration` / `otp.duration` seconds ago (0 when unset, as Go's zero value).
 * Done for every auth collection, whether MFA/OTP is enabled or not. Both tables have no
 * files and nothing references them, so a plain DELETE is what PocketBase's per-record
 * app.Delete amounts to. */
#ifndef POCKETC_COLLECTIONS_AUTH_CLEANUP_H
#define POCKETC_COLLECTIONS_AUTH_CLEANUP_H

#include <sqlite3.h>
#include <stdint.h>

#include "collections/schema.h"
#include "core/error.h"

enum pb_auth_cleanup_kind { PB_AUTH_CLEANUP_MFA, PB_AUTH_CLEANUP_OTP };

/* Deletes the expired rows of `kind` on `db` (the writer connection, inside the caller's
 * transaction) for the auth collections of `s` (borrowed), with now_ms as the current time.
 * Returns the number of rows deleted, or -1 with err (500, SQLite's message). */
long long pb_auth_cleanup_expired(sqlite3 *db, const struct pb_schema *s, enum pb_auth_cleanup_kind kind,
                                  int64_t now_ms, struct pb_error *err);

#endif
