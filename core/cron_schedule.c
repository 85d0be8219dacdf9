/* cron_schedule — PocketBase's cron expression parser (see cron_schedule.h). The checks run
 * in the same order as tools/cron/schedule.go so that the first error reported is the same. */
#include "core/cron_schedule.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/strbuf.h"

struct span {
	const char *p;
	size_t n;
};

static int fail(char *errbuf, size_t errcap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(char *errbuf, size_t errcap, const char *fmt, ...)
{
	if (errbuf && errcap) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(errbuf, errcap, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Go's strconv.Quote for the bytes of s (ASCII escapes; valid UTF-8 kept; bad bytes \xNN). */
static void go_quote(struct pb_strbuf *b, struct span s)
{
	static const char hex[] = "0123456789abcdef";
	pb_strbuf_putc(b, '"');
	for (size_t i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		switch (c) {
		case '"': pb_strbuf_puts(b, "\\\""); continue;
		case '\\': pb_strbuf_puts(b, "\\\\"); continue;
		case '\a': pb_strbuf_puts(b, "\\a"); continue;
		case '\b': pb_strbuf_puts(b, "\\b"); continue;
		case '\f': pb_strbuf_puts(b, "\\f"); continue;
		case '\n': pb_strbuf_puts(b, "\\n"); continue;
		case '\r': pb_strbuf_puts(b, "\\r"); continue;
		case '\t': pb_strbuf_puts(b, "\\t"); continue;
		case '\v': pb_strbuf_puts(b, "\\v"); continue;
		default: break;
		}
		if (c < 0x20 || c == 0x7f || (c >= 0x80 && (c < 0xC2 || c > 0xF4))) {
			pb_strbuf_puts(b, "\\x");
			pb_strbuf_putc(b, hex[c >> 4]);
			pb_strbuf_putc(b, hex[c & 15]);
		} else
			pb_strbuf_putc(b, (char)c);
	}
	pb_strbuf_putc(b, '"');
}

static int atoi_error(char *errbuf, size_t errcap, struct span s, const char *why)
{
	struct pb_strbuf b = PB_STRBUF_INIT;
	go_quote(&b, s);
	fail(errbuf, errcap, "strconv.Atoi: parsing %s: %s", pb_strbuf_cstr(&b), why);
	pb_strbuf_deinit(&b);
	return -1;
}

/* strconv.Atoi (base 10, 64-bit int): optional sign, digits; range checked while scanning. */
static int go_atoi(struct span s, long long *out, char *errbuf, size_t errcap)
{
	size_t i = 0;
	bool neg = false;
	if (s.n > 0 && (s.p[0] == '+' || s.p[0] == '-')) {
		neg = s.p[0] == '-';
		i = 1;
	}
	if (i == s.n)
		return atoi_error(errbuf, errcap, s, "invalid syntax");
	unsigned long long n = 0;
	for (; i < s.n; i++) {
		char c = s.p[i];
		if (c < '0' || c > '9')
			return atoi_error(errbuf, errcap, s, "invalid syntax");
		if (n >= 18446744073709551615ULL / 10 + 1)
			return atoi_error(errbuf, errcap, s, "value out of range");
		unsigned long long n1 = n * 10 + (unsigned long long)(c - '0');
		if (n1 < n * 10)
			return atoi_error(errbuf, errcap, s, "value out of range");
		n = n1;
	}
	if ((!neg && n > 9223372036854775807ULL) || (neg && n > 9223372036854775808ULL))
		return atoi_error(errbuf, errcap, s, "value out of range");
	*out = neg ? (long long)(0 - n) : (long long)n;
	return 0;
}

/* Splits s at the first `sep` into *head and *tail; returns false when sep is absent. */
static bool cut(struct span s, char sep, struct span *head, struct span *tail)
{
	const char *p = memchr(s.p, sep, s.n);
	if (!p) {
		*head = s;
		return false;
	}
	head->p = s.p;
	head->n = (size_t)(p - s.p);
	tail->p = p + 1;
	tail->n = s.n - head->n - 1;
	return true;
}

static size_t count(struct span s, char c)
{
	size_t n = 0;
	for (size_t i = 0; i < s.n; i++)
		n += s.p[i] == c;
	return n;
}

/* parseCronSegment: sets the slot bits of `seg` within [min, max] into *bits. */
static int parse_segment(struct span seg, int min, int max, uint64_t *bits, char *errbuf, size_t errcap)
{
	struct span rest = seg, part;
	bool more = true;
	while (more) {
		struct span tail = {0};
		more = cut(rest, ',', &part, &tail);
		rest = tail;
		long long step = 1;
		struct span range_s = part, step_s;
		size_t slashes = count(part, '/');
		if (slashes == 1) {
			cut(part, '/', &range_s, &step_s);
			if (go_atoi(step_s, &step, errbuf, errcap) != 0)
				return -1;
			if (step < 1 || step > max)
				return fail(errbuf, errcap,
				            "invalid segment step boundary - the step must be between 1 and the %d", max);
		} else if (slashes > 1)
			return fail(errbuf, errcap, "invalid segment step format - must be in the format */n or 1-30/n");
		long long lo, hi;
		if (range_s.n == 1 && range_s.p[0] == '*') {
			lo = min, hi = max;
		} else {
			size_t dashes = count(range_s, '-');
			struct span a, b;
			if (dashes == 0) {
				if (step != 1)
					return fail(errbuf, errcap,
					            "invalid segment step - step > 1 could be used only with the wildcard or range format");
				if (go_atoi(range_s, &lo, errbuf, errcap) != 0)
					return -1;
				if (lo < min || lo > max)
					return fail(errbuf, errcap, "invalid segment value - must be between the min and max of the segment");
				hi = lo;
			} else if (dashes == 1) {
				cut(range_s, '-', &a, &b);
				if (go_atoi(a, &lo, errbuf, errcap) != 0)
					return -1;
				if (lo < min || lo > max)
					return fail(errbuf, errcap, "invalid segment range minimum - must be between %d and %d", min, max);
				if (go_atoi(b, &hi, errbuf, errcap) != 0)
					return -1;
				if (hi < lo || hi > max)
					return fail(errbuf, errcap, "invalid segment range maximum - must be between %lld and %d", lo, max);
			} else
				return fail(errbuf, errcap, "invalid segment range format - the range must have 1 or 2 parts");
		}
		for (long long v = lo; v <= hi; v += step)
			*bits |= 1ULL << v;
	}
	return 0;
}

static const struct {
	const char *name, *expr;
} macros[] = {
	{"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"}, {"@weekly", "0 0 * * 0"},
	{"@daily", "0 0 * * *"},  {"@midnight", "0 0 * * *"}, {"@hourly", "0 * * * *"},
};

const char *pb_cron_schedule_expand(const char *expr)
{
	for (size_t i = 0; i < sizeof macros / sizeof macros[0]; i++)
		if (strcmp(expr, macros[i].name) == 0)
			return macros[i].expr;
	return expr;
}

int pb_cron_schedule_parse(const char *expr, struct pb_cron_schedule *out, char *errbuf, size_t errcap)
{
	expr = pb_cron_schedule_expand(expr);
	struct span all = {expr, strlen(expr)}, seg[5];
	if (count(all, ' ') != 4)
		return fail(errbuf, errcap,
		            "invalid cron expression - must be a valid macro or to have exactly 5 space separated segments");
	struct span rest = all;
	for (int i = 0; i < 5; i++) {
		struct span tail = {0};
		cut(rest, ' ', &seg[i], &tail);
		rest = tail;
	}
	static const int lim[5][2] = {{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 6}};
	uint64_t bits[5] = {0};
	for (int i = 0; i < 5; i++)
		if (parse_segment(seg[i], lim[i][0], lim[i][1], &bits[i], errbuf, errcap) != 0)
			return -1;
	if (out) {
		out->minutes = bits[0];
		out->hours = (uint32_t)bits[1];
		out->days = (uint32_t)bits[2];
		out->months = (uint16_t)bits[3];
		out->days_of_week = (uint8_t)bits[4];
	}
	return 0;
}

bool pb_cron_schedule_is_due(const struct pb_cron_schedule *s, int minute, int hour, int day, int month, int weekday)
{
	if (minute < 0 || minute > 59 || hour < 0 || hour > 23 || day < 1 || day > 31 || month < 1 || month > 12 ||
	    weekday < 0 || weekday > 6)
		return false;
	return (s->minutes >> minute & 1) && (s->hours >> hour & 1) && (s->days >> day & 1) && (s->months >> month & 1) &&
	       (s->days_of_week >> weekday & 1);
}
