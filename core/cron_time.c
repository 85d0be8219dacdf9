/* cron_time — UTC moments and the next-run search of core/cron.h. A moment is
 * tools/cron's Moment of a time in UTC (Cron's default timezone); the next run is the first
 * minute after a given time whose moment the schedule is due at (PocketBase has no such
 * helper; it is offered to callers that show when a job runs next). Calendar arithmetic uses the proleptic
 * Gregorian day-count conversions, so no libc time zone state is involved. */
#include "core/cron.h"

/* Days since 1970-01-01 → civil date (Howard Hinnant's algorithm). */
static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static void moment_of_day(int64_t days, struct pb_cron_moment *m)
{
	int y;
	civil_from_days(days, &y, &m->month, &m->day);
	int64_t w = (days + 4) % 7; /* 1970-01-01 was a Thursday */
	m->day_of_week = (int)(w < 0 ? w + 7 : w);
}

void pb_cron_moment_at(int64_t unix_s, struct pb_cron_moment *out)
{
	int64_t days = floor_div(unix_s, 86400);
	int64_t secs = unix_s - days * 86400;
	moment_of_day(days, out);
	out->hour = (int)(secs / 3600);
	out->minute = (int)(secs % 3600 / 60);
}

static bool bit(uint64_t set, int v, int max)
{
	return v >= 0 && v <= max && (set >> v & 1);
}

bool pb_cron_is_due(const struct pb_cron_schedule *s, const struct pb_cron_moment *m)
{
	return pb_cron_schedule_is_due(s, m->minute, m->hour, m->day, m->month, m->day_of_week);
}

int pb_cron_next(const struct pb_cron_schedule *s, int64_t after_s, int64_t *next_s)
{
	int64_t start = (floor_div(after_s, 60) + 1) * 60;
	int64_t day = floor_div(start, 86400);
	int first_min = (int)((start - day * 86400) / 60);
	for (int64_t i = 0; i <= 146097; i++, first_min = 0) { /* 400 Gregorian years */
		struct pb_cron_moment m;
		moment_of_day(day + i, &m);
		if (!bit(s->days, m.day, 31) || !bit(s->months, m.month, 12) || !bit(s->days_of_week, m.day_of_week, 6))
			continue;
		for (int hm = first_min; hm < 24 * 60; hm++) {
			if (bit(s->hours, hm / 60, 23) && bit(s->minutes, hm % 60, 59)) {
				*next_s = (day + i) * 86400 + hm * 60;
				return 0;
			}
		}
	}
	return -1;
}
