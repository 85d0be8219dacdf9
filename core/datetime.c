/* datetime — parsing and formatting PocketBase dates (see datetime.h). */
#include "core/datetime.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

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

int pb_datetime_parse(const char *s, int64_t *ms_out)
{
	if (!s)
		return -1;
	size_t n = strlen(s);
	int Y, M, D, h = 0, mi = 0, sec = 0;
	if (n < 10 || digits(s, 4, &Y) || s[4] != '-' || digits(s + 5, 2, &M) || s[7] != '-' || digits(s + 8, 2, &D))
		return -1;
	if (M < 1 || M > 12 || D < 1 || D > 31)
		return -1;
	const char *p = s + 10;
	int64_t frac_ms = 0, offset_s = 0;
	if (*p) {
		if (*p != ' ' && *p != 'T')
			return -1;
		p++;
		if (strlen(p) < 8 || digits(p, 2, &h) || p[2] != ':' || digits(p + 3, 2, &mi) || p[5] != ':' ||
		    digits(p + 6, 2, &sec))
			return -1;
		if (h > 23 || mi > 59 || sec > 60)
			return -1;
		p += 8;
		if (*p == '.') {
			p++;
			int scale = 100, nd = 0;
			while (*p >= '0' && *p <= '9') {
				if (nd < 3)
					frac_ms += (*p - '0') * scale, scale /= 10;
				nd++, p++;
			}
			if (nd == 0)
				return -1;
		}
		if (*p == 'Z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			int oh, om;
			if (strlen(p) < 6 || digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om))
				return -1;
			offset_s = (oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
			p += 6;
		} else if (*p == ' ') {
			/* "2006-01-02 15:04:05 +0000 UTC"-style suffixes are not produced by PocketBase */
			return -1;
		}
		if (*p)
			return -1;
	}
	int64_t days = days_from_civil(Y, (unsigned)M, (unsigned)D);
	int64_t secs = days * 86400 + h * 3600 + mi * 60 + sec - offset_s;
	*ms_out = secs * 1000 + frac_ms;
	return 0;
}

void pb_datetime_format(int64_t ms, char *out)
{
	int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
	int millis = (int)(ms - secs * 1000);
	time_t t = (time_t)secs;
	struct tm tm;
	gmtime_r(&t, &tm);
	char tmp[64];
	snprintf(tmp, sizeof tmp, "%04d-%02d-%02d %02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	         tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
	memcpy(out, tmp, PB_DATETIME_LEN);
	out[PB_DATETIME_LEN] = '\0';
}

void pb_datetime_normalize(const char *s, char *out)
{
	int64_t ms;
	if (!s || !*s || pb_datetime_parse(s, &ms) != 0) {
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
