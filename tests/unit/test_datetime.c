/* test_datetime — PocketBase date text parsing/formatting (core/datetime.c). */
#include "core/datetime.h"
#include "tests/unit/test.h"

static void norm(const char *in, const char *want)
{
	char out[PB_DATETIME_LEN + 1];
	pb_datetime_normalize(in, out);
	CHECK_STR(out, want);
}

int main(void)
{
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
