/* test_datetime — PocketBase date text parsing/formatting (core/datetime.c). */
#include "core/datetime.h"

#include <stdio.h>
#include <string.h>

#include "tests/unit/test.h"

static void norm(const char *in, const char *want)
{
	char out[PB_DATETIME_LEN + 1];
	pb_datetime_normalize(in, out);
	CHECK_STR(out, want);
}

/* The shape check of the canonical form byte by byte, as it was written first: the reference
 * for the word-at-a-time pb_datetime_is_canonical. */
static bool canonical_ref(const char *s)
{
#define D(i) ((unsigned)(s[i] - '0') < 10u)
	if (strlen(s) != PB_DATETIME_LEN ||
	    !(D(0) && D(1) && D(2) && D(3) && s[4] == '-' && D(5) && D(6) && s[7] == '-' && D(8) && D(9) &&
	      s[10] == ' ' && D(11) && D(12) && s[13] == ':' && D(14) && D(15) && s[16] == ':' && D(17) && D(18) &&
	      s[19] == '.' && D(20) && D(21) && D(22) && s[23] == 'Z'))
		return false;
#undef D
#define N2(i) ((s[i] - '0') * 10 + (s[i + 1] - '0'))
	int year = N2(0) * 100 + N2(2), month = N2(5), day = N2(8);
	if (month < 1 || month > 12 || day < 1 || N2(11) > 23 || N2(14) > 59 || N2(17) > 59)
		return false;
#undef N2
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return day <= mdays[month - 1] + (month == 2 && leap) && strcmp(s, "0001-01-01 00:00:00.000Z") != 0;
}

/* Every byte value at every position of a few canonical dates, every length, and field values
 * across their ranges: the fast check agrees with the reference (and normalize copies exactly
 * the canonical ones). */
static void test_canonical_check(void)
{
	static const char *const bases[] = {"2022-10-12 11:42:51.509Z", "2024-02-29 23:59:59.999Z", "0001-01-01 00:00:00.001Z",
	                                    "1999-12-31 00:00:00.000Z", "2100-02-28 09:09:09.090Z"};
	int mismatches = 0, canonical = 0;
	for (size_t b = 0; b < sizeof bases / sizeof bases[0]; b++) {
		for (int pos = 0; pos <= PB_DATETIME_LEN; pos++) {
			for (int v = 1; v < 256; v++) {
				char s[PB_DATETIME_LEN + 2];
				strcpy(s, bases[b]);
				s[pos] = (char)v;
				s[PB_DATETIME_LEN + 1] = '\0';
				bool want = canonical_ref(s);
				mismatches += pb_datetime_is_canonical(s) != want;
				canonical += want;
			}
		}
		for (int len = 0; len <= PB_DATETIME_LEN; len++) {
			char s[PB_DATETIME_LEN + 1];
			memcpy(s, bases[b], (size_t)len);
			s[len] = '\0';
			mismatches += pb_datetime_is_canonical(s) != canonical_ref(s);
		}
	}
	for (int m = 0; m <= 13; m++)
		for (int d = 0; d <= 32; d++)
			for (int h = 22; h <= 25; h++) {
				char s[64];
				snprintf(s, sizeof s, "%04d-%02d-%02d %02d:59:%02d.123Z", 1900 + d * 4, m, d, h, 58 + h % 3);
				mismatches += pb_datetime_is_canonical(s) != canonical_ref(s);
				canonical += canonical_ref(s);
			}
	CHECK(mismatches == 0);
	CHECK(canonical > 100);
	CHECK(!pb_datetime_is_canonical("0001-01-01 00:00:00.000Z"));
	CHECK(pb_datetime_is_canonical("2022-10-12 11:42:51.509Z"));
}

int main(void)
{
	test_canonical_check();
	norm("2022-10-12 11:42:51.509Z", "2022-10-12 11:42:51.509Z");
	norm("2022-10-12T11:42:51.509Z", "2022-10-12 11:42:51.509Z");
	norm("2022-10-12 11:42:51Z", "2022-10-12 11:42:51.000Z");
	norm("2022-10-12 11:42:51.123456789Z", "2022-10-12 11:42:51.123Z");
	norm("2022-10-12T13:42:51+02:00", "2022-10-12 11:42:51.000Z");
	norm("2022-10-12T01:00:00-02:30", "2022-10-12 03:30:00.000Z");
	norm("2022-10-12", "2022-10-12 00:00:00.000Z");
	/* the canonical fast path must agree with the parser on edge cases */
	norm("2024-02-29 23:59:59.999Z", "2024-02-29 23:59:59.999Z");
	norm("2023-02-29 10:00:00.000Z", "");
	norm("2022-13-01 10:00:00.000Z", "");
	norm("2022-10-12 24:00:00.000Z", "");
	norm("0001-01-01 00:00:00.000Z", "");
	norm("2022-10-12 11:42:51.509Zx", "");
	norm("2000-02-29 23:59:59.999Z", "2000-02-29 23:59:59.999Z");
	norm("1969-12-31 23:59:59.500Z", "1969-12-31 23:59:59.500Z");
	norm("", "");
	norm("not a date", "");
	norm("2022-13-01 00:00:00Z", "");
	norm("2022-10-12 11:42", "");
	norm("2022-10-12 11:42:51.Z", "");
	norm("2022-10-12 11:42:51Zjunk", "");

	int64_t ms = 0;
	CHECK(pb_datetime_parse("1970-01-01 00:00:01.250Z", &ms) == 0 && ms == 1250);
	CHECK(pb_datetime_parse("2024-05-01 10:00:00.123Z", &ms) == 0 && ms == 1714557600123LL);
	char buf[PB_DATETIME_LEN + 1];
	pb_datetime_format(0, buf);
	CHECK_STR(buf, "1970-01-01 00:00:00.000Z");
	CHECK(pb_now_ms() > 1700000000000LL);
	TEST_DONE();
}
