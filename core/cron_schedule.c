/* cron_schedule — the cron expression parser, due check and next-run search of core/cron.h.
 * Mirrors tools/cron/schedule.go of PocketBase v0.39.11: macro table, strings.Split on single
 * spaces / commas / slashes / dashes, strconv.Atoi numbers, the same checks in the same order
 * with the same messages, and the ANDed five-component IsDue. UTC calendar arithmetic uses
 * the proleptic Gregorian day-count conversions, so no libc time zone state is involved. */
#include "core/cron.h"

#include <stdio.h>
#include <string.h>

static const char *const macros[][2] = {
	{"@yearly", "0 0 1 1 *"},  {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"}, {"@weekly", "0 0 * * 0"},
	{"@daily", "0 0 * * *"},   {"@midnight", "0 0 * * *"}, {"@hourly", "0 * * * *"},
};

const char *pb_cron_expand(const char *expr)
{
	for (size_t i = 0; i < sizeof macros / sizeof macros[0]; i++)
		if (strcmp(expr, macros[i][0]) == 0)
			return macros[i][1];
	return expr;
}

/* strconv.Atoi over s[0..n): optional sign then decimal digits, int64 range. Sets the Go
 * error text on failure. */
static int go_atoi(const char *s, size_t n, long long *out, struct pb_error *err)
{
	size_t i = 0;
	bool neg = false;
	if (n > 0 && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		i = 1;
	}
	const char *why = NULL;
	unsigned long long v = 0, lim = neg ? (1ULL << 63) : (1ULL << 63) - 1;
	if (i == n)
		why = "invalid syntax";
	for (; !why && i < n; i++) {
		if (s[i] < '0' || s[i] > '9') {
			why = "invalid syntax";
		} else {
			unsigned d = (unsigned)(s[i] - '0');
			if (v > (lim - d) / 10)
				why = "value out of range";
			else
				v = v * 10 + d;
		}
	}
	if (why)
		return pb_error_set(err, 400, "strconv.Atoi: parsing \"%.*s\": %s", (int)n, s, why);
	*out = neg ? (long long)(0ULL - v) : (long long)v;
	return 0;
}

/* Number of `sep`-separated parts of s[0..n) (strings.Split count). */
static size_t count_parts(const char *s, size_t n, char sep)
{
	size_t c = 1;
	for (size_t i = 0; i < n; i++)
		c += s[i] == sep;
	return c;
}

/* One comma-list item (`*`, `n`, `a-b`, `*\/s`, `a-b/s`) into *slots. */
static int parse_item(const char *p, size_t n, int min, int max, uint64_t *slots, struct pb_error *err)
{
	size_t nsteps = count_parts(p, n, '/');
	long long step = 1;
	size_t range_len = n;
	if (nsteps == 2) {
		const char *slash = memchr(p, '/', n);
		range_len = (size_t)(slash - p);
		if (go_atoi(slash + 1, n - range_len - 1, &step, err) != 0)
			return -1;
		if (step < 1 || step > max)
			return pb_error_set(err, 400, "invalid segment step boundary - the step must be between 1 and the %d", max);
	} else if (nsteps != 1) {
		return pb_error_set(err, 400, "invalid segment step format - must be in the format */n or 1-30/n");
	}
	long long lo, hi;
	if (range_len == 1 && p[0] == '*') {
		lo = min;
		hi = max;
	} else {
		size_t nranges = count_parts(p, range_len, '-');
		if (nranges == 1) {
			if (step != 1)
				return pb_error_set(err, 400,
				                    "invalid segment step - step > 1 could be used only with the wildcard or range format");
			if (go_atoi(p, range_len, &lo, err) != 0)
				return -1;
			if (lo < min || lo > max)
				return pb_error_set(err, 400, "invalid segment value - must be between the min and max of the segment");
			hi = lo;
		} else if (nranges == 2) {
			const char *dash = memchr(p, '-', range_len);
			size_t a_len = (size_t)(dash - p);
			if (go_atoi(p, a_len, &lo, err) != 0)
				return -1;
			if (lo < min || lo > max)
				return pb_error_set(err, 400, "invalid segment range minimum - must be between %d and %d", min, max);
			if (go_atoi(dash + 1, range_len - a_len - 1, &hi, err) != 0)
				return -1;
			if (hi < lo || hi > max)
				return pb_error_set(err, 400, "invalid segment range maximum - must be between %lld and %d", lo, max);
		} else {
			return pb_error_set(err, 400, "invalid segment range format - the range must have 1 or 2 parts");
		}
	}
	for (long long v = lo; v <= hi; v += step)
		*slots |= 1ULL << v;
	return 0;
}

static int parse_segment(const char *s, size_t n, int min, int max, uint64_t *slots, struct pb_error *err)
{
	*slots = 0;
	const char *end = s + n;
	for (const char *p = s;;) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *e = comma ? comma : end;
		if (parse_item(p, (size_t)(e - p), min, max, slots, err) != 0)
			return -1;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

int pb_cron_parse(const char *expr, struct pb_cron_schedule *out, struct pb_error *err)
{
	if (!expr)
		return pb_error_set(err, 400, "invalid cron expression - must be a valid macro or to have exactly 5 space "
		                              "separated segments");
	const char *e = pb_cron_expand(expr);
	size_t n = strlen(e);
	if (count_parts(e, n, ' ') != 5)
		return pb_error_set(err, 400, "invalid cron expression - must be a valid macro or to have exactly 5 space "
		                              "separated segments");
	static const int bounds[5][2] = {{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 6}};
	uint64_t slots[5];
	const char *p = e;
	for (int i = 0; i < 5; i++) {
		const char *sp = strchr(p, ' ');
		size_t len = sp ? (size_t)(sp - p) : strlen(p);
		if (parse_segment(p, len, bounds[i][0], bounds[i][1], &slots[i], err) != 0)
			return -1;
		p += len + 1;
	}
	out->minutes = slots[0];
	out->hours = (uint32_t)slots[1];
	out->days = (uint32_t)slots[2];
	out->months = (uint16_t)slots[3];
	out->days_of_week = (uint8_t)slots[4];
	return 0;
}

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
	return bit(s->minutes, m->minute, 59) && bit(s->hours, m->hour, 23) && bit(s->days, m->day, 31) &&
	       bit(s->days_of_week, m->day_of_week, 6) && bit(s->months, m->month, 12);
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
