/* datetime — parsing and formatting PocketBase dates (see datetime.h).
 * Parsing mirrors types.ParseDateTime: the canonical layout first, then cast.ToTime's layout
 * list, each matched the way Go's time.Parse matches a layout (fixed/variable width numbers,
 * month/day names, zones, fractional seconds accepted after the seconds field). */
#include "core/datetime.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* days since 1970-01-01 for a proleptic Gregorian date */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

/* The layouts tried in order: PocketBase's DefaultDateLayout, then cast's TimeFormats.
 * `named` marks layouts whose zone is a name only (the wall clock is then taken as UTC). */
static const struct {
	const char *layout;
	int named;
} layouts[] = {
	{"2006-01-02 15:04:05.000Z", 0},
	{"2006-01-02", 0},
	{"2006-01-02T15:04:05Z07:00", 0},
	{"2006-01-02T15:04:05", 0},
	{"Mon, 02 Jan 2006 15:04:05 -0700", 0},
	{"Mon, 02 Jan 2006 15:04:05 MST", 1},
	{"02 Jan 06 15:04 -0700", 0},
	{"02 Jan 06 15:04 MST", 1},
	{"Monday, 02-Jan-06 15:04:05 MST", 1},
	{"2006-01-02 15:04:05.999999999 -0700 MST", 0},
	{"2006-01-02T15:04:05-0700", 0},
	{"2006-01-02 15:04:05Z0700", 0},
	{"2006-01-02 15:04:05", 0},
	{"Mon Jan _2 15:04:05 2006", 0},
	{"Mon Jan _2 15:04:05 MST 2006", 1},
	{"Mon Jan 02 15:04:05 -0700 2006", 0},
	{"2006-01-02 15:04:05Z07:00", 0},
	{"02 Jan 2006", 0},
	{"2006-01-02 15:04:05 -07:00", 0},
	{"2006-01-02 15:04:05 -0700", 0},
	{"3:04PM", 0},
	{"Jan _2 15:04:05", 0},
	{"Jan _2 15:04:05.000", 0},
	{"Jan _2 15:04:05.000000", 0},
	{"Jan _2 15:04:05.000000000", 0},
};

static const char *const month_names[] = {"January", "February", "March",     "April",   "May",      "June",
                                          "July",    "August",   "September", "October", "November", "December"};
static const char *const day_names[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                        "Thursday", "Friday", "Saturday"};

struct tparts {
	int year, month, day, hour, min, sec, pm; /* pm: -1 none, 0 AM, 1 PM */
	int64_t frac_ms;
	int64_t offset_s;
};

static int isdig(char c) { return c >= '0' && c <= '9'; }

/* Go's getnum: 1 or 2 digits (fixed: exactly 2). Returns chars consumed or -1. */
static int getnum(const char *s, int fixed, int *out)
{
	if (!isdig(s[0]))
		return -1;
	if (!isdig(s[1])) {
		if (fixed)
			return -1;
		*out = s[0] - '0';
		return 1;
	}
	*out = (s[0] - '0') * 10 + (s[1] - '0');
	return 2;
}

/* A name from `names` (full, or its 3-letter abbreviation), ASCII case-insensitive like Go. */
static int lookup_name(const char *s, const char *const *names, int n, int abbrev, int *idx)
{
	for (int i = 0; i < n; i++) {
		size_t len = abbrev ? 3 : strlen(names[i]);
		if (strncasecmp(s, names[i], len) == 0) {
			*idx = i;
			return (int)len;
		}
	}
	return -1;
}

/* fraction digits after '.' or ','; n digits; keeps milliseconds (truncated) */
static int64_t frac_ms_of(const char *digits, int n)
{
	int64_t ms = 0;
	for (int i = 0; i < 3; i++)
		ms = ms * 10 + (i < n ? digits[i] - '0' : 0);
	return ms;
}

/* numeric zone: sign hh[:]mm; colon = require ':' */
static int parse_offset(const char *s, int colon, int64_t *off)
{
	if (s[0] != '+' && s[0] != '-')
		return -1;
	int hh, mm;
	if (getnum(s + 1, 1, &hh) != 2)
		return -1;
	const char *p = s + 3;
	if (colon) {
		if (*p != ':')
			return -1;
		p++;
	}
	if (getnum(p, 1, &mm) != 2)
		return -1;
	if (hh > 24 || mm > 60)
		return -1;
	*off = (int64_t)(hh * 3600 + mm * 60) * (s[0] == '-' ? -1 : 1);
	return (int)(p + 2 - s);
}

/* a zone abbreviation such as UTC, MST, CEST (3 to 5 upper-case letters) */
static int parse_zone_name(const char *s)
{
	int n = 0;
	while (s[n] >= 'A' && s[n] <= 'Z')
		n++;
	return n >= 3 && n <= 5 ? n : -1;
}

static int match_layout(const char *lay, const char *s, struct tparts *t)
{
	while (*lay) {
		int n = -1, v, idx;
		if (!strncmp(lay, "2006", 4)) {
			if (!isdig(s[0]) || !isdig(s[1]) || !isdig(s[2]) || !isdig(s[3]))
				return -1;
			t->year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
			lay += 4, n = 4;
		} else if (!strncmp(lay, "January", 7) || !strncmp(lay, "Jan", 3)) {
			int full = lay[3] == 'u';
			if ((n = lookup_name(s, month_names, 12, !full, &idx)) < 0)
				return -1;
			t->month = idx + 1;
			lay += full ? 7 : 3;
		} else if (!strncmp(lay, "Monday", 6) || !strncmp(lay, "Mon", 3)) {
			int full = lay[3] == 'd';
			if ((n = lookup_name(s, day_names, 7, !full, &idx)) < 0)
				return -1;
			lay += full ? 6 : 3;
		} else if (!strncmp(lay, "MST", 3)) {
			if ((n = parse_zone_name(s)) < 0)
				return -1;
			lay += 3;
		} else if (!strncmp(lay, "Z07:00", 6) || !strncmp(lay, "Z0700", 5)) {
			int colon = lay[3] == ':';
			if (*s == 'Z')
				n = 1, t->offset_s = 0;
			else if ((n = parse_offset(s, colon, &t->offset_s)) < 0)
				return -1;
			lay += colon ? 6 : 5;
		} else if (!strncmp(lay, "-07:00", 6) || !strncmp(lay, "-0700", 5)) {
			int colon = lay[3] == ':';
			if ((n = parse_offset(s, colon, &t->offset_s)) < 0)
				return -1;
			lay += colon ? 6 : 5;
		} else if (!strncmp(lay, "01", 2) || !strncmp(lay, "02", 2) || !strncmp(lay, "04", 2) ||
		           !strncmp(lay, "05", 2) || !strncmp(lay, "06", 2) || !strncmp(lay, "15", 2)) {
			char a = lay[0], k = lay[1];
			if ((n = getnum(s, a == '0', &v)) < 0)
				return -1;
			if (a == '1') { /* "15" */
				t->hour = v;
			} else if (k == '6') {
				if (n != 2)
					return -1;
				t->year = v >= 69 ? 1900 + v : 2000 + v;
			} else if (k == '1') {
				t->month = v;
			} else if (k == '2') {
				t->day = v;
			} else if (k == '4') {
				t->min = v;
			} else { /* "05": seconds, optionally followed by an implicit fraction */
				t->sec = v;
				const char *p = s + n;
				if ((*p == '.' || *p == ',') && isdig(p[1]) && strncmp(lay + 2, ".0", 2) && strncmp(lay + 2, ".9", 2)) {
					int d = 1;
					while (isdig(p[d]))
						d++;
					t->frac_ms = frac_ms_of(p + 1, d - 1);
					n += d;
				}
			}
			lay += 2;
		} else if (!strncmp(lay, "_2", 2)) {
			const char *p = s;
			if (*p == ' ')
				p++;
			if ((n = getnum(p, 0, &v)) < 0)
				return -1;
			n += (int)(p - s);
			t->day = v;
			lay += 2;
		} else if (lay[0] == '3' && !isdig(lay[1])) {
			if ((n = getnum(s, 0, &v)) < 0 || v > 12)
				return -1;
			t->hour = v;
			lay += 1;
		} else if (!strncmp(lay, "PM", 2)) {
			if (!strncmp(s, "PM", 2))
				t->pm = 1;
			else if (!strncmp(s, "AM", 2))
				t->pm = 0;
			else
				return -1;
			n = 2, lay += 2;
		} else if ((lay[0] == '.' || lay[0] == ',') && (lay[1] == '0' || lay[1] == '9')) {
			char z = lay[1];
			int nd = 0;
			while (lay[1 + nd] == z)
				nd++;
			if (z == '0') { /* exactly nd digits */
				if (s[0] != '.' && s[0] != ',')
					return -1;
				for (int i = 1; i <= nd; i++)
					if (!isdig(s[i]))
						return -1;
				t->frac_ms = frac_ms_of(s + 1, nd);
				n = nd + 1;
			} else if ((s[0] == '.' || s[0] == ',') && isdig(s[1])) {
				int d = 1;
				while (isdig(s[d]))
					d++;
				t->frac_ms = frac_ms_of(s + 1, d - 1);
				n = d;
			} else {
				n = 0;
			}
			lay += 1 + nd;
		} else {
			if (*s != *lay)
				return -1;
			n = 1, lay++;
		}
		s += n;
	}
	return *s ? -1 : 0;
}

static int parse_with(const char *layout, int named, const char *s, int64_t *ms_out)
{
	struct tparts t = {.year = 0, .month = 1, .day = 1, .pm = -1};
	if (match_layout(layout, s, &t) != 0)
		return -1;
	if (t.pm >= 0) {
		if (t.hour > 12)
			return -1;
		if (t.pm == 1 && t.hour < 12)
			t.hour += 12;
		else if (t.pm == 0 && t.hour == 12)
			t.hour = 0;
	}
	if (t.month < 1 || t.month > 12 || t.day < 1 || t.day > days_in_month(t.year, t.month) || t.hour > 23 ||
	    t.min > 59 || t.sec > 59)
		return -1;
	if (named)
		t.offset_s = 0;
	int64_t days = days_from_civil(t.year, (unsigned)t.month, (unsigned)t.day);
	int64_t secs = days * 86400 + t.hour * 3600 + t.min * 60 + t.sec - t.offset_s;
	*ms_out = secs * 1000 + t.frac_ms;
	return 0;
}

int pb_datetime_parse(const char *s, int64_t *ms_out)
{
	if (!s || !*s)
		return -1;
	for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++)
		if (parse_with(layouts[i].layout, layouts[i].named, s, ms_out) == 0)
			return 0;
	return -1;
}

/* The proleptic Gregorian date of `days` since 1970-01-01 (the inverse of days_from_civil):
 * 400-year eras of 146097 days, years starting on March 1st so that the leap day ends one. */
static void civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
	days += 719468; /* from 0000-03-01 */
	const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
	const unsigned doe = (unsigned)(days - era * 146097);                      /* [0, 146096] */
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);              /* [0, 365] */
	const unsigned mp = (5 * doy + 2) / 153;                                   /* March = 0 */
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

/* The UTC calendar fields of ms (year, month, day, hour, minute, second: what gmtime_r fills
 * of them, without its time zone lock) and the milliseconds, floored for instants before 1970. */
static void civil(int64_t ms, struct tm *tm, int *millis)
{
	int64_t secs = ms >= 0 ? ms / 1000 : -((-(ms + 1)) / 1000) - 1;
	*millis = (int)(ms - secs * 1000);
	int64_t days = secs >= 0 ? secs / 86400 : -((-(secs + 1)) / 86400) - 1;
	int sod = (int)(secs - days * 86400);
	int64_t y;
	int m, d;
	civil_from_days(days, &y, &m, &d);
	memset(tm, 0, sizeof *tm);
	tm->tm_year = (int)(y - 1900);
	tm->tm_mon = m - 1;
	tm->tm_mday = d;
	tm->tm_hour = sod / 3600;
	tm->tm_min = sod / 60 % 60;
	tm->tm_sec = sod % 60;
}

void pb_datetime_format(int64_t ms, char *out)
{
	struct tm tm;
	int millis;
	civil(ms, &tm, &millis);
	int year = tm.tm_year + 1900;
	if (year >= 0 && year <= 9999 && millis >= 0 && millis <= 999) {
		/* the usual case written digit by digit (what the snprintf below writes for it) */
		char *o = out;
		o[0] = (char)('0' + year / 1000), o[1] = (char)('0' + year / 100 % 10);
		o[2] = (char)('0' + year / 10 % 10), o[3] = (char)('0' + year % 10);
		o[4] = '-', o[5] = (char)('0' + (tm.tm_mon + 1) / 10), o[6] = (char)('0' + (tm.tm_mon + 1) % 10);
		o[7] = '-', o[8] = (char)('0' + tm.tm_mday / 10), o[9] = (char)('0' + tm.tm_mday % 10);
		o[10] = ' ', o[11] = (char)('0' + tm.tm_hour / 10), o[12] = (char)('0' + tm.tm_hour % 10);
		o[13] = ':', o[14] = (char)('0' + tm.tm_min / 10), o[15] = (char)('0' + tm.tm_min % 10);
		o[16] = ':', o[17] = (char)('0' + tm.tm_sec / 10), o[18] = (char)('0' + tm.tm_sec % 10);
		o[19] = '.', o[20] = (char)('0' + millis / 100), o[21] = (char)('0' + millis / 10 % 10);
		o[22] = (char)('0' + millis % 10), o[23] = 'Z', o[24] = '\0';
		return;
	}
	char tmp[64];
	snprintf(tmp, sizeof tmp, "%04d-%02d-%02d %02d:%02d:%02d.%03dZ", year, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	         tm.tm_min, tm.tm_sec, millis);
	memcpy(out, tmp, PB_DATETIME_LEN);
	out[PB_DATETIME_LEN] = '\0';
}

/* ".5", ".123" (trailing zeros trimmed) or "" */
static void frac_text(int millis, char *out)
{
	out[0] = '\0';
	if (!millis)
		return;
	snprintf(out, 8, ".%03d", millis);
	size_t n = strlen(out);
	while (n > 1 && out[n - 1] == '0')
		out[--n] = '\0';
}

/* YYYY-MM-DD<sep>HH:MM:SS, the trimmed fraction, then `zone` (UTC). */
static void format_trimmed(int64_t ms, char sep, const char *zone, char *out, size_t cap)
{
	struct tm tm;
	int millis;
	civil(ms, &tm, &millis);
	char frac[8];
	frac_text(millis, frac);
	snprintf(out, cap, "%04d-%02d-%02d%c%02d:%02d:%02d%s%s", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, sep,
	         tm.tm_hour, tm.tm_min, tm.tm_sec, frac, zone);
}

void pb_datetime_go_string(int64_t ms, char *out, size_t cap) { format_trimmed(ms, ' ', " +0000 UTC", out, cap); }

void pb_datetime_rfc3339(int64_t ms, char *out, size_t cap) { format_trimmed(ms, 'T', "Z", out, cap); }

/* The 8 bytes of s at i as a little-endian word (memcpy: no alignment assumed). */
static uint64_t word_at(const char *s, size_t i)
{
	uint64_t w;
	memcpy(&w, s + i, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

/* Whether the word w of "YYYY-MM-DD HH:MM:SS.mmmZ" holds digits where `digits` has 0xFF bytes
 * and exactly the bytes of `seps` elsewhere. */
static bool word_shape(uint64_t w, uint64_t digits, uint64_t seps)
{
	if ((w & ~digits) != seps)
		return false;
	uint64_t t = (w ^ 0x3030303030303030ULL) & digits; /* a digit byte becomes 0..9 */
	/* every digit byte below 0x10, and no carry into bit 4 when adding 6 (so at most 9); the
	 * bytes are all below 0x10 here, so no addition carries into the next byte */
	return (t & 0xF0F0F0F0F0F0F0F0ULL) == 0 && ((t + 0x0606060606060606ULL) & digits & 0x1010101010101010ULL) == 0;
}

/* True when s is already the canonical "YYYY-MM-DD HH:MM:SS.mmmZ" form of a valid, non-zero
 * date: what nearly every stored date looks like, so reading it needs no parsing. The shape is
 * checked 8 bytes at a time (bytes 0-7 "YYYY-MM-", 8-15 "DD HH:MM", 16-23 ":SS.mmmZ"). */
bool pb_datetime_is_canonical(const char *s)
{
	if (strnlen(s, PB_DATETIME_LEN + 1) != PB_DATETIME_LEN)
		return false;
	/* little-endian: the first byte of the text is the lowest byte of the word */
	if (!word_shape(word_at(s, 0), 0x00FFFF00FFFFFFFFULL, 0x2D00002D00000000ULL) ||
	    !word_shape(word_at(s, 8), 0xFFFF00FFFF00FFFFULL, 0x00003A0000200000ULL) ||
	    !word_shape(word_at(s, 16), 0x00FFFFFF00FFFF00ULL, 0x5A0000002E00003AULL))
		return false;
#define N2(i) ((s[i] - '0') * 10 + (s[i + 1] - '0'))
	int month = N2(5), day = N2(8);
	if (month < 1 || month > 12 || day < 1 || N2(11) > 23 || N2(14) > 59 || N2(17) > 59)
		return false;
	if (day > 28) { /* every month has 28 days: the year only matters past them */
		int year = N2(0) * 100 + N2(2);
		static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
		bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
		if (day > mdays[month - 1] + (month == 2 && leap))
			return false;
	}
#undef N2
	/* Go's zero time is not a date (year 1: "0001") */
	return memcmp(s, "0001", 4) != 0 || strcmp(s, "0001-01-01 00:00:00.000Z") != 0;
}

void pb_datetime_normalize(const char *s, char *out)
{
	if (s && pb_datetime_is_canonical(s)) {
		memcpy(out, s, PB_DATETIME_LEN + 1);
		return;
	}
	int64_t ms;
	if (!s || !*s || pb_datetime_parse(s, &ms) != 0 || ms == PB_DATETIME_ZERO_MS) {
		out[0] = '\0';
		return;
	}
	pb_datetime_format(ms, out);
}

int64_t pb_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
