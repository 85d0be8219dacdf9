/* cron_schedule — cron expressions as PocketBase's tools/cron.NewSchedule parses them.
 * An expression is a macro (@yearly, @annually, @monthly, @weekly, @daily, @midnight,
 * @hourly) or exactly five single-space separated segments (minute 0-59, hour 0-23, day 1-31,
 * month 1-12, day of week 0-6). A segment is a comma list of `*`, `N` or `A-B`, each optionally
 * followed by a `/S` step (a step other than 1 needs `*` or a range).
 * On failure the error text is PocketBase's, word for word (including Go's strconv.Atoi
 * messages such as `strconv.Atoi: parsing "x": invalid syntax`), because settings validation
 * returns it as the message of `validation_invalid_cron`. */
#ifndef POCKETC_CORE_CRON_SCHEDULE_H
#define POCKETC_CORE_CRON_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pb_cron_schedule {
	uint64_t minutes;      /* bit m = minute m */
	uint32_t hours;        /* bit h */
	uint32_t days;         /* bit d (1..31) */
	uint16_t months;       /* bit m (1..12) */
	uint8_t days_of_week;  /* bit w (0 = Sunday) */
};

#define PB_CRON_ERROR_MAX 256

/* Parses `expr` (borrowed). Returns 0 and fills *out (may be NULL), or -1 with the Go error
 * text in errbuf (errcap bytes, truncated if needed; may be NULL). */
int pb_cron_schedule_parse(const char *expr, struct pb_cron_schedule *out, char *errbuf, size_t errcap);

/* The expression a macro stands for ("@daily" → "0 0 * * *"; what Job.Expression() reports),
 * or `expr` (borrowed) itself when it is not a macro. Returns a static string or `expr`. */
const char *pb_cron_schedule_expand(const char *expr);

/* Schedule.IsDue for a moment given as minute, hour, day of month, month, weekday. */
bool pb_cron_schedule_is_due(const struct pb_cron_schedule *s, int minute, int hour, int day, int month, int weekday);

#endif
