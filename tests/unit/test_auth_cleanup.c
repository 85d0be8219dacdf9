/* test_auth_cleanup — the hourly __pbMFACleanup__ / __pbOTPCleanup__ deletes
 * (collections/auth_cleanup.h) on a copy of PocketBase's test fixture: per auth collection,
 * rows created more than its mfa.duration (1800 s) / otp.duration (300 s) ago go, newer ones
 * and rows of the other kind stay, as DeleteExpiredMFAs / DeleteExpiredOTPs do. */
#include "collections/auth_cleanup.h"

#include "core/datetime.h"
#include "filter_test_util.h"
#include "test.h"

static long long count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	long long n = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void insert(sqlite3 *db, const char *table, const char *id, const char *coll, int64_t created_ms)
{
	char created[PB_DATETIME_LEN + 1], sql[512];
	pb_datetime_format(created_ms, created);
	snprintf(sql, sizeof sql, "INSERT INTO %s (id, collectionRef, recordRef, created, updated) VALUES ('%s', '%s', 'r', '%s', '%s')",
	         table, id, coll, created, created);
	CHECK(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK);
}

int main(void)
{
	sqlite3 *db = ftu_open_fixture();
	CHECK(db != NULL);
	if (!db)
		TEST_DONE();
	struct pb_error err = PB_ERROR_INIT;
	struct pb_schema *s = pb_schema_load(db, &err);
	CHECK(s != NULL);
	int64_t now = 1700000000000;
	insert(db, "_mfas", "m_old_users", "_pb_users_auth_", now - 1801000);
	insert(db, "_mfas", "m_new_users", "_pb_users_auth_", now - 1799000);
	insert(db, "_mfas", "m_old_super", "pbc_3142635823", now - 3600000);
	insert(db, "_mfas", "m_other", "not_a_collection", now - 99999999);
	insert(db, "_otps", "o_old", "v851q4r790rhknl", now - 301000);
	insert(db, "_otps", "o_new", "v851q4r790rhknl", now - 200000);

	CHECK(pb_auth_cleanup_expired(db, s, PB_AUTH_CLEANUP_MFA, now, &err) == 2);
	CHECK(count(db, "SELECT count(*) FROM _mfas WHERE id IN ('m_new_users', 'm_other')") == 2);
	CHECK(count(db, "SELECT count(*) FROM _mfas") == 2);
	CHECK(count(db, "SELECT count(*) FROM _otps") == 2); /* untouched by the MFA job */
	CHECK(pb_auth_cleanup_expired(db, s, PB_AUTH_CLEANUP_OTP, now, &err) == 1);
	CHECK(count(db, "SELECT count(*) FROM _otps WHERE id = 'o_new'") == 1);
	CHECK(pb_auth_cleanup_expired(db, s, PB_AUTH_CLEANUP_OTP, now, &err) == 0);
	pb_schema_unref(s);
	pb_error_clear(&err);
	ftu_cleanup(db);
	TEST_DONE();
}
