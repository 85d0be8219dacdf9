/* filter_macros — the datetime identifier macros of PocketBase's filter language
 * (tools/search/identifier_macros.go): @now @yesterday @tomorrow @todayStart @todayEnd
 * @monthStart @monthEnd @yearStart @yearEnd as UTC datetime strings
 * "YYYY-MM-DD HH:MM:SS.mmmZ", and @second @minute @hour @day @month @year @weekday
 * (Sunday = 0) as integers. Evaluated at build time from the current UTC clock; matched
 * exactly, before field resolution. */
#include "collections/filter_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static void fmt_dt(char *buf, size_t cap, const struct tm *t, int ms)
{
	snprintf(buf, cap, "%04d-%02d-%02d %02d:%02d:%02d.%03dZ", t->tm_year + 1900, t->tm_mon + 1, t->tm_mday,
	         t->tm_hour, t->tm_min, t->tm_sec, ms);
}

static void shift_days(int64_t secs, int ms, int days, char *buf, size_t cap)
{
	time_t t = (time_t)(secs + (int64_t)days * 86400);
	struct tm tm;
	gmtime_r(&t, &tm);
	fmt_dt(buf, cap, &tm, ms);
}

static int days_in_month(int year, int mon0)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return mon0 == 1 && leap ? 29 : d[mon0];
}

int fb_macro_value(const char *name, int64_t now_ms, char *buf, size_t cap, int64_t *ival)
{
	int64_t secs = now_ms >= 0 ? now_ms / 1000 : (now_ms - 999) / 1000;
	int ms = (int)(now_ms - secs * 1000);
	time_t t = (time_t)secs;
	struct tm tm;
	gmtime_r(&t, &tm);
	int y = tm.tm_year + 1900, m = tm.tm_mon + 1;
	if (strcmp(name, "@now") == 0) {
		fmt_dt(buf, cap, &tm, ms);
	} else if (strcmp(name, "@yesterday") == 0) {
		shift_days(secs, ms, -1, buf, cap);
	} else if (strcmp(name, "@tomorrow") == 0) {
		shift_days(secs, ms, 1, buf, cap);
	} else if (strcmp(name, "@todayStart") == 0) {
		snprintf(buf, cap, "%04d-%02d-%02d 00:00:00.000Z", y, m, tm.tm_mday);
	} else if (strcmp(name, "@todayEnd") == 0) {
		snprintf(buf, cap, "%04d-%02d-%02d 23:59:59.999Z", y, m, tm.tm_mday);
	} else if (strcmp(name, "@monthStart") == 0) {
		snprintf(buf, cap, "%04d-%02d-01 00:00:00.000Z", y, m);
	} else if (strcmp(name, "@monthEnd") == 0) {
		snprintf(buf, cap, "%04d-%02d-%02d 23:59:59.999Z", y, m, days_in_month(y, tm.tm_mon));
	} else if (strcmp(name, "@yearStart") == 0) {
		snprintf(buf, cap, "%04d-01-01 00:00:00.000Z", y);
	} else if (strcmp(name, "@yearEnd") == 0) {
		snprintf(buf, cap, "%04d-12-31 23:59:59.999Z", y);
	} else {
		static const char *const ints[] = {"@second", "@minute", "@hour", "@day", "@month", "@year", "@weekday"};
		int64_t vals[] = {tm.tm_sec, tm.tm_min, tm.tm_hour, tm.tm_mday, m, y, tm.tm_wday};
		for (size_t i = 0; i < 7; i++) {
			if (strcmp(name, ints[i]) == 0) {
				*ival = vals[i];
				return 2;
			}
		}
		return 0;
	}
	return 1;
}

int fb_macro(struct fb_build *b, const char *name, struct fb_operand *out)
{
	if (name[0] != '@')
		return 0;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	int64_t now_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	char buf[64];
	int64_t iv = 0;
	int kind = fb_macro_value(name, now_ms, buf, sizeof buf, &iv);
	if (kind == 0)
		return 0;
	if (b->ctx->trace)
		pb_filter_trace_uncacheable(b->ctx->trace); /* the value depends on the clock */
	fb_mark(&out->id, kind == 1 ? fb_param_text(b, buf, strlen(buf)) : fb_param_int(b, iv));
	return 1;
}
