/* test_datetime_format — pb_datetime_format (core/datetime.c) writes PocketBase's canonical
 * "YYYY-MM-DD HH:MM:SS.mmmZ" without printf for years 0..9999; its text must be what the
 * printf form of gmtime's fields gives, over a spread of instants (epoch, leap days, ends of
 * years and months, millisecond edges, year 9999), and before 1970, before year 0 and after
 * 9999 (the printf form cut to the canonical length). */
#include "core/datetime.h"
#include "tests/unit/test.h"

#include <stdint.h>
#include <time.h>

static void check_ms(int64_t ms)
{
	char got[PB_DATETIME_LEN + 1];
	pb_datetime_format(ms, got);
	int64_t floor_secs = ms >= 0 ? ms / 1000 : -((-(ms + 1)) / 1000) - 1;
	time_t secs = (time_t)floor_secs;
	struct tm tm;
	gmtime_r(&secs, &tm);
	char want[64];
	snprintf(want, sizeof want, "%04d-%02d-%02d %02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	         tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms - floor_secs * 1000));
	want[PB_DATETIME_LEN] = '\0'; /* years past 9999 or before 0 are cut to the canonical length */
	CHECK_STR(got, want);
}

int main(void)
{
	static const int64_t fixed[] = {0, 1, 999, 1000, 59999, 951782400000 /* 2000-02-29 */, 1709208000123,
	                                1735689599999 /* 2024-12-31 23:59:59.999 */, 253402300799999 /* 9999-12-31 */};
	for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
		check_ms(fixed[i]);
	uint64_t x = 88172645463325252ull;
	for (int i = 0; i < 2000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		check_ms((int64_t)(x % 253402300800000ull));
	}
	/* before 1970 (floored seconds), before year 0, after 9999: the printf form, cut */
	static const int64_t other[] = {-1, -999, -1000, -1001, -86400000, -86400001, -62135596800000 /* 0001-01-01 */,
	                                -62167219200001 /* before 0000-01-01 */, -62198755200000 /* -0001 */,
	                                253402300800000 /* 10000-01-01 */, 32503680000000123LL};
	for (size_t i = 0; i < sizeof other / sizeof *other; i++)
		check_ms(other[i]);
	for (int i = 0; i < 2000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		check_ms(-(int64_t)(x % 100000000000000ull)); /* back to about 1200 BC */
	}
	TEST_DONE();
}
