/* body_infer — PocketBase's inferValue for multipart/urlencoded values (router package):
 * "true"/"false" become booleans; a text matching ^[-.\d]+$ whose first byte is '-' or a
 * digit becomes a number only when strconv.FormatFloat(ParseFloat(text), 'f', -1, 64)
 * gives the text back ("12", "1.5", "-0" do; "0.0", "007", "1.", "-.5" do not; "1e3" and
 * "+1" never match the pattern); everything else, "" included, stays a string.
 * Go's shortest formatting is reproduced exactly: for each digit count the correctly
 * rounded candidate and its neighbour on the other side of the value are tried, so the
 * result is the shortest digit string that parses back to the same double, the closer one
 * when two of that length do. */
#include "api/body_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct decimal {
	char d[24]; /* significant digits, no leading zeros (except "0" for zero) */
	int n;      /* number of digits */
	int e;      /* value = 0.d × 10^(e+1), i.e. d[0] has weight 10^e */
};

static double dec_value(const struct decimal *x)
{
	char buf[64];
	snprintf(buf, sizeof buf, "%c.%se%d", x->d[0], x->n > 1 ? x->d + 1 : "0", x->e);
	return strtod(buf, NULL);
}

/* The correctly rounded `p`-digit decimal of v > 0 (glibc printf is exact). */
static void dec_round(double v, int p, struct decimal *x)
{
	char buf[64];
	snprintf(buf, sizeof buf, "%.*e", p - 1, v);
	x->n = 0;
	char *s = buf;
	for (; *s && *s != 'e'; s++)
		if (*s >= '0' && *s <= '9')
			x->d[x->n++] = *s;
	x->d[x->n] = '\0';
	x->e = atoi(s + 1);
}

/* x ± one unit in its last digit. */
static void dec_step(struct decimal *x, int dir)
{
	int i = x->n - 1;
	if (dir > 0) {
		while (i >= 0 && x->d[i] == '9')
			x->d[i--] = '0';
		if (i < 0) {
			memmove(x->d + 1, x->d, (size_t)x->n + 1);
			x->d[0] = '1';
			x->n++;
			x->e++;
		} else {
			x->d[i]++;
		}
	} else {
		while (i >= 0 && x->d[i] == '0')
			x->d[i--] = '9';
		x->d[i]--; /* i >= 0: the leading digit is non-zero */
		if (x->d[0] == '0') {
			/* 10…0 − 1 unit: the p-digit decimal below a power of ten is 9…9 one decade down */
			memmove(x->d, x->d + 1, (size_t)x->n);
			x->d[x->n - 1] = '9';
			x->d[x->n] = '\0';
			x->e--;
		}
	}
	while (x->n > 1 && x->d[x->n - 1] == '0')
		x->d[--x->n] = '\0';
}

/* Go's FormatFloat(v, 'f', -1, 64) for a finite v, written into out (size ≥ 400). */
static void format_shortest(double v, char *out)
{
	char *o = out;
	if (signbit(v))
		*o++ = '-';
	v = fabs(v);
	if (v == 0) {
		strcpy(o, "0");
		return;
	}
	struct decimal best = {{0}, 0, 0};
	for (int p = 1; p <= 17; p++) {
		struct decimal c;
		dec_round(v, p, &c);
		double cv = dec_value(&c);
		if (cv == v) {
			best = c;
			break;
		}
		struct decimal other = c;
		dec_step(&other, cv > v ? -1 : 1);
		if (dec_value(&other) == v) {
			best = other;
			break;
		}
	}
	while (best.n > 1 && best.d[best.n - 1] == '0')
		best.d[--best.n] = '\0';
	if (best.e < 0) {
		*o++ = '0';
		*o++ = '.';
		for (int i = 0; i < -best.e - 1; i++)
			*o++ = '0';
		memcpy(o, best.d, (size_t)best.n);
		o += best.n;
	} else {
		for (int i = 0; i <= best.e; i++)
			*o++ = i < best.n ? best.d[i] : '0';
		if (best.n > best.e + 1) {
			*o++ = '.';
			memcpy(o, best.d + best.e + 1, (size_t)(best.n - best.e - 1));
			o += best.n - best.e - 1;
		}
	}
	*o = '\0';
}

/* strconv.ParseFloat's grammar restricted to the characters [-.0-9]: an optional leading
 * '-', digits with at most one '.', at least one digit. */
static bool float_syntax(const char *s, size_t len)
{
	size_t i = s[0] == '-' ? 1 : 0;
	bool dot = false, digit = false;
	for (; i < len; i++) {
		if (s[i] == '.') {
			if (dot)
				return false;
			dot = true;
		} else if (s[i] >= '0' && s[i] <= '9') {
			digit = true;
		} else {
			return false;
		}
	}
	return digit;
}

json_t *pb_body_infer(const char *s, size_t len)
{
	if (len == 4 && memcmp(s, "true", 4) == 0)
		return json_true();
	if (len == 5 && memcmp(s, "false", 5) == 0)
		return json_false();
	/* the longest text that can survive: '-' + 309 integer digits, or "-0." + 323 zeros +
	 * 17 digits for the smallest subnormals */
	if (len > 0 && len < 360 && (s[0] == '-' || (s[0] >= '0' && s[0] <= '9')) && float_syntax(s, len)) {
		char raw[400], fmt[400];
		memcpy(raw, s, len);
		raw[len] = '\0';
		double v = strtod(raw, NULL);
		if (isfinite(v)) {
			format_shortest(v, fmt);
			if (strcmp(fmt, raw) == 0)
				return json_real(v);
		}
	}
	return pb_body_string(s, len);
}
