/* json_float — float64 → text exactly as Go prints it (see json_write.h).
 * Go's strconv uses the shortest decimal digit string that parses back to the same float64
 * (closest to the exact value when several of that length do). Here the digits come from
 * glibc's correctly rounded printf at increasing precision, checked with strtod; when the
 * correctly rounded candidate misses, its neighbours at that precision are tried too, which
 * covers the asymmetric rounding interval just above a power of two. The digits are then
 * laid out as strconv's 'f' or 'e' format, and encoding/json's switch between the two
 * (exponent outside [1e-6, 1e21)) and its exponent clean-up (e-07 → e-7) are applied. */
#include "core/json_write.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Decimal digits of a finite v > 0: up to 17 digits, no trailing zeros. */
struct digits {
	char d[24]; /* NUL-terminated */
	int n;      /* number of digits */
	int exp;    /* v ≈ d[0].d[1]d[2]… × 10^exp */
};

/* Parses printf's "%.*e" output ("d.ddde±XX") into `out`. */
static void parse_sci(const char *s, struct digits *out)
{
	out->n = 0;
	for (; *s && *s != 'e'; s++)
		if (*s >= '0' && *s <= '9')
			out->d[out->n++] = *s;
	out->d[out->n] = '\0';
	out->exp = *s == 'e' ? atoi(s + 1) : 0;
}

static bool round_trips(const struct digits *c, double v)
{
	char buf[64];
	snprintf(buf, sizeof buf, "%c.%se%d", c->d[0], c->d + 1, c->exp);
	return strtod(buf, NULL) == v;
}

/* c ± one unit in its last digit, renormalised (carry may add a leading digit, a borrow may
 * drop one). Returns false when the result would be zero. */
static bool neighbour(const struct digits *c, int delta, struct digits *out)
{
	*out = *c;
	int i = out->n - 1;
	if (delta > 0) {
		while (i >= 0 && out->d[i] == '9')
			out->d[i--] = '0';
		if (i < 0) { /* 99…9 + 1 = 100…0 */
			memmove(out->d + 1, out->d, (size_t)out->n + 1);
			out->d[0] = '1';
			out->n++;
			out->exp++;
		} else
			out->d[i]++;
	} else {
		while (i >= 0 && out->d[i] == '0')
			out->d[i--] = '9';
		if (i < 0)
			return false;
		out->d[i]--;
		if (out->d[0] == '0') { /* 100…0 - 1 = 099…9 */
			if (out->n == 1)
				return false;
			memmove(out->d, out->d + 1, (size_t)out->n);
			out->n--;
			out->exp--;
		}
	}
	return true;
}

static void shortest(double v, struct digits *out)
{
	char buf[64];
	for (int p = 1; p <= 17; p++) {
		snprintf(buf, sizeof buf, "%.*e", p - 1, v);
		parse_sci(buf, out);
		if (p == 17 || round_trips(out, v))
			break;
		struct digits alt;
		if ((neighbour(out, +1, &alt) && round_trips(&alt, v)) || (neighbour(out, -1, &alt) && round_trips(&alt, v))) {
			*out = alt;
			break;
		}
	}
	while (out->n > 1 && out->d[out->n - 1] == '0')
		out->d[--out->n] = '\0';
}

/* strconv 'f' layout of the digits. */
static void layout_fixed(const struct digits *c, bool neg, char *buf, size_t cap)
{
	struct pb_strbuf b = PB_STRBUF_INIT;
	if (neg)
		pb_strbuf_putc(&b, '-');
	if (c->exp < 0) {
		pb_strbuf_puts(&b, "0.");
		for (int i = 0; i < -c->exp - 1; i++)
			pb_strbuf_putc(&b, '0');
		pb_strbuf_puts(&b, c->d);
	} else if (c->exp >= c->n - 1) {
		pb_strbuf_puts(&b, c->d);
		for (int i = 0; i < c->exp - (c->n - 1); i++)
			pb_strbuf_putc(&b, '0');
	} else {
		pb_strbuf_append(&b, c->d, (size_t)c->exp + 1);
		pb_strbuf_putc(&b, '.');
		pb_strbuf_puts(&b, c->d + c->exp + 1);
	}
	snprintf(buf, cap, "%s", pb_strbuf_cstr(&b));
	pb_strbuf_deinit(&b);
}

void pb_json_format_float_fixed(double v, char *buf, size_t cap)
{
	if (isnan(v)) {
		snprintf(buf, cap, "NaN");
		return;
	}
	if (isinf(v)) {
		snprintf(buf, cap, v > 0 ? "+Inf" : "-Inf");
		return;
	}
	bool neg = signbit(v);
	if (v == 0) {
		snprintf(buf, cap, neg ? "-0" : "0");
		return;
	}
	struct digits c;
	shortest(fabs(v), &c);
	layout_fixed(&c, neg, buf, cap);
}

void pb_json_format_float(double v, char *buf, size_t cap)
{
	if (!isfinite(v)) {
		snprintf(buf, cap, "null");
		return;
	}
	double a = fabs(v);
	if (a == 0 || (a >= 1e-6 && a < 1e21)) {
		pb_json_format_float_fixed(v, buf, cap);
		return;
	}
	struct digits c;
	shortest(a, &c);
	/* strconv 'e': d[.ddd]e±XX (at least two exponent digits); encoding/json then turns
	 * e-0X into e-X. Positive exponents here are >= 21, so e+0X cannot occur. */
	int e = c.exp;
	snprintf(buf, cap, "%s%c%s%se%c%d", signbit(v) ? "-" : "", c.d[0], c.n > 1 ? "." : "", c.d + 1, e < 0 ? '-' : '+',
	         e < 0 ? -e : e);
}

void pb_json_format_float_general(double v, char *buf, size_t cap)
{
	if (isnan(v) || isinf(v) || v == 0) {
		pb_json_format_float_fixed(v, buf, cap);
		return;
	}
	struct digits c;
	shortest(fabs(v), &c);
	if (c.exp >= -4 && c.exp < 6) { /* strconv: %e when exp < -4 || exp >= eprec (6 for -1) */
		layout_fixed(&c, signbit(v), buf, cap);
		return;
	}
	int e = c.exp;
	snprintf(buf, cap, "%s%c%s%se%c%02d", signbit(v) ? "-" : "", c.d[0], c.n > 1 ? "." : "", c.d + 1, e < 0 ? '-' : '+',
	         e < 0 ? -e : e);
}
