/* datetime — PocketBase's DateTime text form: "YYYY-MM-DD HH:MM:SS.mmmZ" in UTC.
 * Parsing is lenient like types.ParseDateTime: it accepts that form, RFC 3339 ("T"
 * separator, any fraction, Z or ±hh:mm offset) and a bare date; output is always the
 * canonical form with milliseconds. */
#ifndef POCKETC_CORE_DATETIME_H
#define POCKETC_CORE_DATETIME_H

#include <stdbool.h>
#include <stdint.h>

#define PB_DATETIME_LEN 24 /* "2024-05-01 10:00:00.123Z" */

/* Parses `s` into milliseconds since the Unix epoch. Returns 0 or -1 when unparsable. */
int pb_datetime_parse(const char *s, int64_t *ms_out);
/* Writes the canonical form of `ms` into out (at least PB_DATETIME_LEN + 1 bytes). */
void pb_datetime_format(int64_t ms, char *out);
/* Canonicalises `s` into out; an empty or unparsable input gives "". */
void pb_datetime_normalize(const char *s, char *out);
/* Current time in milliseconds since the epoch (UTC). */
int64_t pb_now_ms(void);

#endif
