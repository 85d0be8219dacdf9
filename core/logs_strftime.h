/* logs_strftime — a faster two-argument strftime() on the `_logs` connection. Every log row
 * enters the index idx_logs_created_hour ON `_logs` (strftime('%Y-%m-%d %H:00:00', `created`)),
 * and SQLite's own strftime parses the date and prints each field through its printf: a good
 * part of a log row's cost. For exactly that format and a canonical `created`
 * (pb_datetime_is_canonical: "YYYY-MM-DD HH:MM:SS.mmmZ", a valid date) the answer is the text's
 * first 13 bytes and ":00:00"; every other call is answered by SQLite's own strftime on a
 * private in-memory connection. So the results are the built-in's byte for byte (the unit test
 * compares them) and the index holds what PocketBase's SQLite computes for it. */
#ifndef POCKETC_CORE_LOGS_STRFTIME_H
#define POCKETC_CORE_LOGS_STRFTIME_H

#include <sqlite3.h>

/* Installs the function on db (borrowed; the function's state is freed when db closes).
 * Returns 0, or -1 when SQLite refused it (db then keeps the built-in). */
int pb_logs_strftime_install(sqlite3 *db);

#endif
