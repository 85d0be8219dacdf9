/* test_store — the app key store (core/store.c): markers with a TTL, string values, and the fixed-window
 * counter behind the OTP limiter (5 per 180 s with the window renewed once it elapsed, as
 * rateClient.consume does). */
#include <stdio.h>
#include <stdlib.h>

#include "core/store.h"
#include "tests/unit/test.h"

static void test_store(void)
{
	struct pb_store s;
	pb_store_init(&s);
	int64_t t = 1000;
	CHECK(!pb_store_has(&s, "@limitPasswordResetEmail_ab", t));
	pb_store_set(&s, "@limitPasswordResetEmail_ab", 120, t);
	CHECK(pb_store_has(&s, "@limitPasswordResetEmail_ab", t));
	CHECK(pb_store_has(&s, "@limitPasswordResetEmail_ab", t + 119));
	CHECK(!pb_store_has(&s, "@limitPasswordResetEmail_ab", t + 120));
	CHECK(!pb_store_has(&s, "@limitPasswordResetEmail_a", t));
	pb_store_set(&s, "k", 10, t);
	pb_store_remove(&s, "k");
	CHECK(!pb_store_has(&s, "k", t));
	pb_store_remove(&s, "never-set");

	/* string values: taken once, gone after the TTL, markers are not values */
	pb_store_set_value(&s, "@redirect_name_c1", "Ann Lee", 60, t);
	CHECK(pb_store_has(&s, "@redirect_name_c1", t + 59));
	CHECK(pb_store_take_value(&s, "@redirect_name_c1", t + 60) == NULL);
	pb_store_set_value(&s, "@redirect_name_c1", "first", 60, t);
	pb_store_set_value(&s, "@redirect_name_c1", "Ann Lee", 60, t);
	char *v = pb_store_take_value(&s, "@redirect_name_c1", t + 1);
	CHECK_STR(v, "Ann Lee");
	free(v);
	CHECK(pb_store_take_value(&s, "@redirect_name_c1", t + 1) == NULL);
	pb_store_set(&s, "marker", 10, t);
	CHECK(pb_store_take_value(&s, "marker", t) == NULL);
	CHECK(pb_store_has(&s, "marker", t));
	pb_store_set_value(&s, "marker", "v", 10, t);
	pb_store_set(&s, "marker", 10, t); /* a marker again: the value is dropped */
	CHECK(pb_store_take_value(&s, "marker", t) == NULL);
	pb_store_set_value(&s, "left", "freed by deinit", 10, t);

	/* the OTP guard: 5 per 180 s; a 6th in the window fails, also for a right password */
	for (int i = 0; i < 5; i++)
		CHECK(pb_store_consume(&s, "@pb_otp_x\x1f" "127.0.0.1", 5, 180, t + i));
	CHECK(!pb_store_consume(&s, "@pb_otp_x\x1f" "127.0.0.1", 5, 180, t + 10));
	CHECK(!pb_store_consume(&s, "@pb_otp_x\x1f" "127.0.0.1", 5, 180, t + 179));
	CHECK(pb_store_consume(&s, "@pb_otp_x\x1f" "10.0.0.1", 5, 180, t + 10)); /* another client */
	CHECK(pb_store_consume(&s, "@pb_otp_x\x1f" "127.0.0.1", 5, 180, t + 180)); /* new window */
	/* max 0 never allows */
	CHECK(!pb_store_consume(&s, "zero", 0, 60, t));
	/* many keys spread over the buckets and expire lazily */
	char key[32];
	for (int i = 0; i < 2000; i++) {
		snprintf(key, sizeof key, "key%d", i);
		pb_store_set(&s, key, 5, t);
	}
	CHECK(pb_store_has(&s, "key1999", t + 4));
	CHECK(!pb_store_has(&s, "key1999", t + 5));
	pb_store_deinit(&s);
	pb_store_deinit(&s); /* safe twice */
}

int main(void)
{
	test_store();
	TEST_DONE();
}
