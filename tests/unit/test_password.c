/* test_password — bcrypt through libxcrypt (core/password.c): $2a$ hashes with the requested
 * cost, verification of PocketBase's own hashes from the fixture, Go's 72-byte limit. */
#include "core/password.h"
#include "tests/unit/test.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
	char hash[PB_BCRYPT_HASH_LEN + 1];
	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_password_hash("1234567890", 4, hash, sizeof hash, &err) == 0);
	CHECK(strlen(hash) == 60 && !strncmp(hash, "$2a$04$", 7));
	CHECK(pb_password_verify("1234567890", hash));
	CHECK(!pb_password_verify("123456789", hash));
	CHECK(!pb_password_verify("1234567890", ""));
	CHECK(!pb_password_verify("1234567890", "plain"));

	char other[PB_BCRYPT_HASH_LEN + 1];
	CHECK(pb_password_hash("1234567890", 4, other, sizeof other, &err) == 0 && strcmp(hash, other) != 0);

	char longpw[80];
	memset(longpw, 'a', 73);
	longpw[73] = '\0';
	CHECK(pb_password_hash(longpw, 4, hash, sizeof hash, &err) == -1 && err.status == 400);
	pb_error_clear(&err);
	CHECK(pb_password_hash("x", 3, hash, sizeof hash, &err) == -1);
	pb_error_clear(&err);
	/* 72 bytes hash; like Go's Compare, a longer candidate with the same first 72 bytes matches */
	longpw[72] = '\0';
	CHECK(pb_password_hash(longpw, 4, hash, sizeof hash, &err) == 0);
	longpw[72] = 'b';
	CHECK(pb_password_verify(longpw, hash));

	/* a hash written by PocketBase (fixture users: test@example.com / 1234567890, cost 13) */
	const char *fixture = getenv("POCKETC_FIXTURE");
	CHECK(fixture != NULL);
	if (fixture) {
		char tmpl[] = "/tmp/pocketc_pw_XXXXXX";
		char *dir = mkdtemp(tmpl);
		char cmd[1024], path[600];
		snprintf(cmd, sizeof cmd, "cp '%s/data.db' '%s/data.db'", fixture, dir);
		CHECK(system(cmd) == 0);
		snprintf(path, sizeof path, "%s/data.db", dir);
		sqlite3 *db;
		sqlite3_stmt *st;
		CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
		CHECK(sqlite3_prepare_v2(db, "SELECT password FROM users WHERE email = 'test@example.com'", -1, &st, NULL) ==
		      SQLITE_OK);
		CHECK(sqlite3_step(st) == SQLITE_ROW);
		const char *h = (const char *)sqlite3_column_text(st, 0);
		CHECK(h && !strncmp(h, "$2a$13$", 7));
		CHECK(h && pb_password_verify("1234567890", h));
		CHECK(h && !pb_password_verify("1234567891", h));
		sqlite3_finalize(st);
		sqlite3_close(db);
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
		CHECK(system(cmd) == 0);
	}
	TEST_DONE();
}
