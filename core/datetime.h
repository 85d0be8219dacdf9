/* datetime — PocketBase's DateTime text form: "YYYY-MM-DD HH:MM:SS.mmmZ" in UTC.
 * Parsing is lenient like types.ParseDateTime: it tries that layout, then every layout of
 * cast.ToTime's list in order (bare date, RFC 3339, RFC 1123/822/850, ANSIC, Unix/Ruby date,
 * "2006-01-02 15:04:05[.fff] ±hh[:]mm", "02 Jan 2006", time-only stamps, …) with Go's
 * time.Parse matching rules; inputs without a zone are UTC, zone names count as UTC. Output is
 * always the canonical form with milliseconds (truncated). Go's zero time (0001-01-01
 * 00:00:00) is "no date" and normalises to "". */
#ifndef POCKETC_CORE_DATETIME_H
#define POCKETC_CORE_DATETIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PB_DATETIME_LEN 24 /* "2024-05-01 10:00:00.123Z" */

/* Go's zero time.Time (0001-01-01 00:00:00 UTC) in milliseconds since the Unix epoch. */
#define PB_DATETIME_ZERO_MS (-62135596800000LL)

/* Parses `s` into milliseconds since the Unix epoch. Returns 0 or -1 when unparsable. */
int pb_datetime_parse(const char *s, int64_t *ms_out);
/* Writes the canonical form of `ms` into out (at least PB_DATETIME_LEN + 1 bytes). */
void pb_datetime_format(int64_t ms, char *out);
/* Go's Time.String() of a UTC time ("2022-01-01 00:00:00.5 +0000 UTC"), as validation
 * messages render date thresholds. Writes at most `cap` bytes into out. */
void pb_datetime_go_string(int64_t ms, char *out, size_t cap);
/* RFC 3339 with trimmed fraction ("2022-01-01T00:00:00.5Z"), how Go JSON-encodes a time. */
void pb_datetime_rfc3339(int64_t ms, char *out, size_t cap);
/* Canonicalises `s` into out; an empty, unparsable or zero-time input gives "". */
void pb_datetime_normalize(const char *s, char *out);
/* Whether s (NUL-terminated) already is the canonical form pb_datetime_normalize would copy
 * unchanged: a valid, non-zero "YYYY-MM-DD HH:MM:SS.mmmZ" (checks the shape, not a parse). */
bool pb_datetime_is_canonical(const char *s);
/* Current time in milliseconds since the epoch (UTC). */
int64_t pb_now_ms(void);

#endif
