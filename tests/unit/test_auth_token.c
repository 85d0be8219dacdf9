/* test_auth_token — token → auth record resolution and token issuing (collections/auth_token.c)
 * on a temporary copy of PocketBase's test fixture, with the fixture tokens of PocketBase's own
 * apis/..._test.go files and core/record_query_test.go (TestFindAuthRecordByToken). */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collections/auth_token.h"
#include "collections/schema.h"
#include "core/base64url.h"
#include "core/jwt.h"
#include "core/writer.h"
#include "tests/unit/filter_test_util.h"
#include "tests/unit/fixture_tokens.h"
#include "tests/unit/test.h"

/* users/4q1xlclmfloku33 with refreshable:false (record_auth_refresh_test.go) */
#define TOK_USER_STATIC                                                                                             \
	"eyJhbGciOiJIUzI1NiJ9.eyJpZCI6IjRxMXhsY2xtZmxva3UzMyIsInR5cGUiOiJhdXRoIiwiY29sbGVjdGlvbklkIjoiX3BiX3VzZXJzX2F1" \
	"dGhfIiwiZXhwIjoyNTI0NjA0NDYxLCJyZWZyZXNoYWJsZSI6ZmFsc2V9.4IsO6YMsR19crhwl_YWzvRH8pfq2Ri4Gv2dzGyneLak"
/* expired (exp 1640991661): users/4q1xlclmfloku33 and _superusers/sywbhecnh46rhm0 */
#define TOK_USER_EXPIRED                                                                                            \
	"eyJhbGciOiJIUzI1NiJ9.eyJpZCI6IjRxMXhsY2xtZmxva3UzMyIsInR5cGUiOiJhdXRoIiwiY29sbGVjdGlvbklkIjoiX3BiX3VzZXJzX2F1" \
	"dGhfIiwiZXhwIjoxNjQwOTkxNjYxLCJyZWZyZXNoYWJsZSI6dHJ1ZX0.2D3tmqPn3vc5LoqqCz8V-iCDVXo9soYiH0d32G7FQT4"
#define TOK_SUPERUSER_EXPIRED                                                                                       \
	"eyJhbGciOiJIUzI1NiJ9.eyJpZCI6InN5d2JoZWNuaDQ2cmhtMCIsInR5cGUiOiJhdXRoIiwiY29sbGVjdGlvbklkIjoicGJjXzMxNDI2MzU4" \
	"MjMiLCJleHAiOjE2NDA5OTE2NjEsInJlZnJlc2hhYmxlIjp0cnVlfQ.0pDcBPGDpL2Khh76ivlRi7ugiLBSYvasct3qpHV3rfs"
/* file token of the superuser (middlewares_test.go) */
#define TOK_SUPERUSER_FILE                                                                                          \
	"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpZCI6InN5d2JoZWNuaDQ2cmhtMCIsImV4cCI6MjUyNDYwNDQ2MSwidHlwZSI6ImZpbGUi" \
	"LCJjb2xsZWN0aW9uSWQiOiJwYmNfMzE0MjYzNTgyMyJ9.Lupz541xRvrktwkrl55p5pPCF77T69ZRsohsIcb2dxc"
/* verification token of nologin/dc49k6jgejn40h3 (TestFindAuthRecordByToken) */
#define TOK_NOLOGIN_VERIFICATION                                                                                    \
	"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpZCI6ImRjNDlrNmpnZWpuNDBoMyIsImV4cCI6MjUyNDYwNDQ2MSwidHlwZSI6InZlcmlm" \
	"aWNhdGlvbiIsImNvbGxlY3Rpb25JZCI6ImtwdjcwOXNrMmxxYnFrOCIsImVtYWlsIjoidGVzdEBleGFtcGxlLmNvbSJ9."               \
	"5GmuZr4vmwk3Cb_3ZZWNxwbE75KZC-j71xxIPR9AsVw"
/* users/4q1xlclmfloku33: passwordReset, emailChange (valid) */
#define TOK_USER_PASSWORD_RESET                                                                                     \
	"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpZCI6IjRxMXhsY2xtZmxva3UzMyIsImV4cCI6MjUyNDYwNDQ2MSwidHlwZSI6InBhc3N3" \
	"b3JkUmVzZXQiLCJjb2xsZWN0aW9uSWQiOiJfcGJfdXNlcnNfYXV0aF8iLCJlbWFpbCI6InRlc3RAZXhhbXBsZS5jb20ifQ."             \
	"xR-xq1oHDy0D8Q4NDOAEyYKGHWd_swzoiSoL8FLFBHY"
#define TOK_USER_EMAIL_CHANGE                                                                                       \
	"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpZCI6IjRxMXhsY2xtZmxva3UzMyIsImNvbGxlY3Rpb25JZCI6Il9wYl91c2Vyc19hdXRo" \
	"XyIsInR5cGUiOiJlbWFpbENoYW5nZSIsImVtYWlsIjoidGVzdEBleGFtcGxlLmNvbSIsIm5ld0VtYWlsIjoiY2hhbmdlQGV4YW1wbGUuY29t" \
	"IiwiZXhwIjoyNTI0NjA0NDYxfQ.Y7mVlaEPhJiNPoIvIqbIosZU4c4lEhwysOrRR8c95iU"
/* users/oap640cot4yru2s: verification */
#define TOK_USER2_VERIFICATION                                                                                      \
	"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpZCI6Im9hcDY0MGNvdDR5cnUycyIsImV4cCI6MjUyNDYwNDQ2MSwidHlwZSI6InZlcmlm" \
	"aWNhdGlvbiIsImNvbGxlY3Rpb25JZCI6Il9wYl91c2Vyc19hdXRoXyIsImVtYWlsIjoidGVzdDJAZXhhbXBsZS5jb20ifQ."             \
	"QQmM3odNFVk6u4J4-5H8IBM3dfk9YCD7mPW-8PhBAI8"

#define NOW 1700000000
#define USERS_KEY "tfYe7rCTX4D2KuWQY3pJjBifgsrMbecyXBatEPjrSfGEGS2jh6" /* tokenKey of 4q1xlclmfloku33 */
#define USERS_AUTH_SECRET "PjVU4hAV7CZIWbCByJHkDcMUlSEWCLI6M5aWSZOpEq0a3rYxKT"

static struct pb_schema *schema;
static struct pb_stmt_cache cache;

static char *dump(const json_t *v)
{
	return v ? json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
}

/* Resolves and returns the record id ("" on failure, into a static-free caller buffer). */
static int resolve_id(const char *token, const char *type, int64_t now, char *id_out, size_t cap)
{
	struct pb_auth a;
	int rc = pb_auth_token_resolve(schema, &cache, token, type, now, &a);
	snprintf(id_out, cap, "%s", rc == 0 ? json_string_value(json_object_get(a.record, "id")) : "");
	pb_auth_clear(&a);
	return rc;
}

static void expect_resolves(const char *token, const char *type, int64_t now, const char *id)
{
	char got[64];
	CHECK(resolve_id(token, type, now, got, sizeof got) == 0);
	CHECK_STR(got, id);
}

static void expect_fails(const char *token, const char *type, int64_t now)
{
	struct pb_auth a;
	memset(&a, 0x5a, sizeof a);
	CHECK(pb_auth_token_resolve(schema, &cache, token, type, now, &a) == -1);
	CHECK(a.record == NULL && a.claims == NULL && a.collection == NULL && !a.superuser && !a.refreshable);
}

static void test_fixture_tokens(void)
{
	struct pb_auth a;
	CHECK(pb_auth_token_resolve(schema, &cache, TOK_USER, PB_TOKEN_AUTH, NOW, &a) == 0);
	char *s = dump(a.record);
	/* all fields incl. the (made) hidden `name` and the non-visible email, no password/tokenKey */
	CHECK_STR(s, "{\"avatar\":\"300_1SEi6Q6U72.png\",\"collectionId\":\"_pb_users_auth_\",\"collectionName\":\"users\","
	             "\"created\":\"2022-10-10 10:36:26.879Z\",\"email\":\"test@example.com\",\"emailVisibility\":false,"
	             "\"file\":[],\"id\":\"4q1xlclmfloku33\",\"name\":\"test1\",\"rel\":\"llvuca81nly1qls\","
	             "\"updated\":\"2022-10-12 11:46:10.490Z\",\"username\":\"users75657\",\"verified\":false}");
	free(s);
	CHECK(a.collection && strcmp(a.collection->name, "users") == 0);
	CHECK(!a.superuser && a.refreshable);
	CHECK_STR(json_string_value(json_object_get(a.claims, "type")), "auth");
	CHECK(json_number_value(json_object_get(a.claims, "exp")) == 2524604461.0);
	pb_auth_clear(&a);
	CHECK(a.record == NULL && a.claims == NULL && a.collection == NULL);
	pb_auth_clear(&a); /* idempotent */

	CHECK(pb_auth_token_resolve(schema, &cache, TOK_SUPERUSER, PB_TOKEN_AUTH, NOW, &a) == 0);
	s = dump(a.record);
	CHECK_STR(s, "{\"collectionId\":\"pbc_3142635823\",\"collectionName\":\"_superusers\","
	             "\"created\":\"2022-10-10 09:50:06.449Z\",\"email\":\"test@example.com\",\"emailVisibility\":false,"
	             "\"id\":\"sywbhecnh46rhm0\",\"updated\":\"2022-10-10 09:50:06.449Z\",\"verified\":true}");
	free(s);
	CHECK(a.superuser && a.refreshable && strcmp(a.collection->id, "pbc_3142635823") == 0);
	pb_auth_clear(&a);

	CHECK(pb_auth_token_resolve(schema, &cache, TOK_CLIENT, PB_TOKEN_AUTH, NOW, &a) == 0);
	CHECK_STR(json_string_value(json_object_get(a.record, "id")), "gk390qegs4y47wn");
	CHECK_STR(json_string_value(json_object_get(a.record, "collectionName")), "clients");
	CHECK(!a.superuser && json_object_get(a.record, "password") == NULL && json_object_get(a.record, "tokenKey") == NULL);
	pb_auth_clear(&a);

	CHECK(pb_auth_token_resolve(schema, &cache, TOK_USER2, PB_TOKEN_AUTH, NOW, &a) == 0);
	CHECK_STR(json_string_value(json_object_get(a.record, "email")), "test2@example.com");
	pb_auth_clear(&a);

	CHECK(pb_auth_token_resolve(schema, &cache, TOK_USER_STATIC, PB_TOKEN_AUTH, NOW, &a) == 0);
	CHECK(!a.refreshable && json_is_false(json_object_get(a.claims, "refreshable")));
	pb_auth_clear(&a);

	/* expired tokens: fail now, yet were valid before their exp (so it is the time that fails) */
	expect_fails(TOK_USER_EXPIRED, PB_TOKEN_AUTH, NOW);
	expect_resolves(TOK_USER_EXPIRED, PB_TOKEN_AUTH, 1640991660, "4q1xlclmfloku33");
	expect_fails(TOK_SUPERUSER_EXPIRED, PB_TOKEN_AUTH, NOW);
	expect_resolves(TOK_SUPERUSER_EXPIRED, PB_TOKEN_AUTH, 1640991660, "sywbhecnh46rhm0");
	/* a valid token far in the future */
	expect_fails(TOK_USER, PB_TOKEN_AUTH, 2524604461);
	expect_resolves(TOK_USER, PB_TOKEN_AUTH, 2524604460, "4q1xlclmfloku33");

	/* other token types, each signed with its own secret; a wrong expected type fails */
	expect_resolves(TOK_SUPERUSER_FILE, PB_TOKEN_FILE, NOW, "sywbhecnh46rhm0");
	expect_fails(TOK_SUPERUSER_FILE, PB_TOKEN_AUTH, NOW);
	expect_resolves(TOK_SUPERUSER_FILE, NULL, NOW, "sywbhecnh46rhm0");
	expect_fails(TOK_USER, PB_TOKEN_FILE, NOW);
	expect_resolves(TOK_USER, NULL, NOW, "4q1xlclmfloku33");
	expect_resolves(TOK_NOLOGIN_VERIFICATION, PB_TOKEN_VERIFICATION, NOW, "dc49k6jgejn40h3");
	expect_fails(TOK_NOLOGIN_VERIFICATION, PB_TOKEN_AUTH, NOW);
	expect_resolves(TOK_USER_PASSWORD_RESET, PB_TOKEN_PASSWORD_RESET, NOW, "4q1xlclmfloku33");
	expect_fails(TOK_USER_PASSWORD_RESET, PB_TOKEN_VERIFICATION, NOW);
	expect_resolves(TOK_USER_EMAIL_CHANGE, PB_TOKEN_EMAIL_CHANGE, NOW, "4q1xlclmfloku33");
	expect_resolves(TOK_USER2_VERIFICATION, PB_TOKEN_VERIFICATION, NOW, "oap640cot4yru2s");

	/* empty / garbage */
	expect_fails("", NULL, NOW);
	expect_fails(NULL, NULL, NOW);
	expect_fails("invalid", NULL, NOW);
}

/* A token with the given claims signed with `key` (a forged or hand-made token). */
static char *signed_with(const char *claims_json, const char *key)
{
	json_t *c = json_loads(claims_json, 0, NULL);
	char *t = pb_jwt_sign_hs256(c, key, strlen(key));
	json_decref(c);
	return t;
}

static void test_tampered_tokens(void)
{
	/* user's header and signature with user2's payload */
	const char *p2 = strchr(TOK_USER2, '.'), *s1 = strrchr(TOK_USER, '.');
	char buf[1024];
	snprintf(buf, sizeof buf, "eyJhbGciOiJIUzI1NiJ9%.*s%s", (int)(strrchr(TOK_USER2, '.') - p2), p2, s1);
	expect_fails(buf, PB_TOKEN_AUTH, NOW);
	/* a flipped signature character */
	snprintf(buf, sizeof buf, "%s", TOK_USER);
	buf[strlen(buf) - 5] = buf[strlen(buf) - 5] == 'a' ? 'b' : 'a';
	expect_fails(buf, PB_TOKEN_AUTH, NOW);

	const char *key = USERS_KEY USERS_AUTH_SECRET;
	/* correctly signed by us: resolves, also with the collection given by name (FindRecordById
	 * resolves names too); the same claims signed with another key fail */
	char *t = signed_with("{\"id\":\"4q1xlclmfloku33\",\"collectionId\":\"_pb_users_auth_\",\"type\":\"auth\"}", key);
	expect_resolves(t, PB_TOKEN_AUTH, NOW, "4q1xlclmfloku33"); /* no exp: valid forever, as in Go */
	free(t);
	t = signed_with("{\"id\":\"4q1xlclmfloku33\",\"collectionId\":\"users\",\"type\":\"auth\"}", key);
	expect_resolves(t, PB_TOKEN_AUTH, NOW, "4q1xlclmfloku33");
	free(t);
	t = signed_with("{\"id\":\"4q1xlclmfloku33\",\"collectionId\":\"_pb_users_auth_\",\"type\":\"auth\"}", USERS_KEY);
	expect_fails(t, PB_TOKEN_AUTH, NOW);
	free(t);
	/* missing/empty/non-string required claims, unknown type, non-auth or unknown collection */
	const char *bad[] = {
	    "{\"collectionId\":\"_pb_users_auth_\",\"type\":\"auth\"}",
	    "{\"id\":\"\",\"collectionId\":\"_pb_users_auth_\",\"type\":\"auth\"}",
	    "{\"id\":\"4q1xlclmfloku33\",\"type\":\"auth\"}",
	    "{\"id\":\"4q1xlclmfloku33\",\"collectionId\":\"_pb_users_auth_\"}",
	    "{\"id\":\"4q1xlclmfloku33\",\"collectionId\":\"_pb_users_auth_\",\"type\":1}",
	    "{\"id\":[\"4q1xlclmfloku33\"],\"collectionId\":\"_pb_users_auth_\",\"type\":\"auth\"}",
	    "{\"id\":\"4q1xlclmfloku33\",\"collectionId\":\"_pb_users_auth_\",\"type\":\"refresh\"}",
	    "{\"id\":\"4q1xlclmfloku33\",\"collectionId\":\"missing\",\"type\":\"auth\"}",
	    "{\"id\":\"4q1xlclmfloku34\",\"collectionId\":\"_pb_users_auth_\",\"type\":\"auth\"}",
	    "{\"id\":\"84nmscqy84lsi1t\",\"collectionId\":\"wsmn24bux7wo113\",\"type\":\"auth\"}", /* demo1: base */
	    "{\"id\":\"4q1xlclmfloku33\",\"collectionId\":\"_pb_users_auth_\",\"type\":\"auth\",\"nbf\":1800000000}",
	    "{\"id\":\"4q1xlclmfloku33\",\"collectionId\":\"_pb_users_auth_\",\"type\":\"auth\",\"iat\":1800000000}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		t = signed_with(bad[i], key);
		expect_fails(t, NULL, NOW);
		free(t);
	}
}

static void test_issue(void)
{
	const struct pb_collection *users = pb_schema_find(schema, "users");
	const struct pb_collection *demo1 = pb_schema_find(schema, "demo1");
	/* byte-exact with what PocketBase issues: claims sorted, header with typ; users' authToken
	 * duration is 1209600 s (expected token computed with openssl, see test_jwt.c) */
	char *t = pb_auth_token_issue(users, "4q1xlclmfloku33", USERS_KEY, PB_TOKEN_AUTH, NULL, 2524604461 - 1209600, 0);
	CHECK_STR(t, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJjb2xsZWN0aW9uSWQiOiJfcGJfdXNlcnNfYXV0aF8iLCJleHAiOjI1MjQ2MDQ0"
	             "NjEsImlkIjoiNHExeGxjbG1mbG9rdTMzIiwicmVmcmVzaGFibGUiOnRydWUsInR5cGUiOiJhdXRoIn0."
	             "WB87lbva3NjzpSElBBfWifpCd7TnU_yKdjkJZy1U3uU");
	expect_resolves(t, PB_TOKEN_AUTH, NOW, "4q1xlclmfloku33");
	free(t);

	/* default duration: exp = now + 1209600; valid until then */
	t = pb_auth_token_issue(users, "4q1xlclmfloku33", USERS_KEY, PB_TOKEN_AUTH, NULL, NOW, 0);
	json_t *c = pb_jwt_parse_unverified(t);
	CHECK(json_number_value(json_object_get(c, "exp")) == NOW + 1209600.0);
	CHECK(json_object_size(c) == 5 && json_is_true(json_object_get(c, "refreshable")));
	json_decref(c);
	expect_resolves(t, PB_TOKEN_AUTH, NOW + 1209599, "4q1xlclmfloku33");
	expect_fails(t, PB_TOKEN_AUTH, NOW + 1209600);
	free(t);

	/* static token: custom duration, refreshable false via extra */
	json_t *extra = json_pack("{s:b}", "refreshable", 0);
	t = pb_auth_token_issue(users, "4q1xlclmfloku33", USERS_KEY, PB_TOKEN_AUTH, extra, NOW, 1800);
	json_decref(extra);
	struct pb_auth a;
	CHECK(pb_auth_token_resolve(schema, &cache, t, PB_TOKEN_AUTH, NOW + 1799, &a) == 0);
	CHECK(!a.refreshable && json_number_value(json_object_get(a.claims, "exp")) == NOW + 1800.0);
	pb_auth_clear(&a);
	expect_fails(t, PB_TOKEN_AUTH, NOW + 1800);
	free(t);

	/* the superuser (its own 1209600 s authToken duration in this fixture) */
	const struct pb_collection *su = pb_schema_find(schema, "_superusers");
	t = pb_auth_token_issue(su, "sywbhecnh46rhm0", "O4rvW9FSUyTA3xUuQmXR3wHF2db9bHs19nBHeSgVTxerOsTAl4", PB_TOKEN_AUTH,
	                        NULL, NOW, 0);
	CHECK(pb_auth_token_resolve(schema, &cache, t, PB_TOKEN_AUTH, NOW, &a) == 0);
	CHECK(a.superuser && a.refreshable);
	pb_auth_clear(&a);
	free(t);

	/* file token: 180 s, no refreshable claim; only valid as a file token */
	t = pb_auth_token_issue(users, "4q1xlclmfloku33", USERS_KEY, PB_TOKEN_FILE, NULL, NOW, 0);
	c = pb_jwt_parse_unverified(t);
	char *s = dump(c);
	CHECK_STR(s, "{\"collectionId\":\"_pb_users_auth_\",\"exp\":1700000180.0,\"id\":\"4q1xlclmfloku33\",\"type\":\"file\"}");
	free(s);
	json_decref(c);
	expect_resolves(t, PB_TOKEN_FILE, NOW, "4q1xlclmfloku33");
	expect_fails(t, PB_TOKEN_AUTH, NOW);
	expect_fails(t, PB_TOKEN_FILE, NOW + 180);
	free(t);

	/* verification/passwordReset need email, emailChange email and newEmail */
	CHECK(pb_auth_token_issue(users, "4q1xlclmfloku33", USERS_KEY, PB_TOKEN_VERIFICATION, NULL, NOW, 0) == NULL);
	extra = json_pack("{s:s}", "email", "test@example.com");
	t = pb_auth_token_issue(users, "4q1xlclmfloku33", USERS_KEY, PB_TOKEN_VERIFICATION, extra, NOW, 0);
	expect_resolves(t, PB_TOKEN_VERIFICATION, NOW, "4q1xlclmfloku33");
	expect_fails(t, PB_TOKEN_PASSWORD_RESET, NOW);
	c = pb_jwt_parse_unverified(t);
	CHECK_STR(json_string_value(json_object_get(c, "email")), "test@example.com");
	CHECK(json_number_value(json_object_get(c, "exp")) == NOW + 604800.0); /* users' verificationToken */
	json_decref(c);
	free(t);
	t = pb_auth_token_issue(users, "4q1xlclmfloku33", USERS_KEY, PB_TOKEN_PASSWORD_RESET, extra, NOW, 0);
	expect_resolves(t, PB_TOKEN_PASSWORD_RESET, NOW, "4q1xlclmfloku33");
	free(t);
	CHECK(pb_auth_token_issue(users, "4q1xlclmfloku33", USERS_KEY, PB_TOKEN_EMAIL_CHANGE, extra, NOW, 0) == NULL);
	json_object_set_new(extra, "newEmail", json_string("new@example.com"));
	t = pb_auth_token_issue(users, "4q1xlclmfloku33", USERS_KEY, PB_TOKEN_EMAIL_CHANGE, extra, NOW, 0);
	CHECK(pb_auth_token_resolve(schema, &cache, t, PB_TOKEN_EMAIL_CHANGE, NOW, &a) == 0);
	CHECK_STR(json_string_value(json_object_get(a.claims, "newEmail")), "new@example.com");
	pb_auth_clear(&a);
	free(t);
	json_decref(extra);

	/* refusals: base collection, unknown type, empty signing key, wrong tokenKey */
	CHECK(pb_auth_token_issue(demo1, "84nmscqy84lsi1t", "x", PB_TOKEN_AUTH, NULL, NOW, 0) == NULL);
	CHECK(pb_auth_token_issue(users, "4q1xlclmfloku33", USERS_KEY, "refresh", NULL, NOW, 0) == NULL);
	CHECK(pb_auth_token_issue(NULL, "4q1xlclmfloku33", USERS_KEY, PB_TOKEN_AUTH, NULL, NOW, 0) == NULL);
	t = pb_auth_token_issue(users, "4q1xlclmfloku33", "not-the-token-key", PB_TOKEN_AUTH, NULL, NOW, 0);
	CHECK(t != NULL);
	expect_fails(t, PB_TOKEN_AUTH, NOW);
	free(t);
}

static void test_header_token(void)
{
	CHECK_STR(pb_auth_header_token("Bearer abc"), "abc");
	CHECK_STR(pb_auth_header_token("bearer abc"), "abc");
	CHECK_STR(pb_auth_header_token("BEARER abc"), "abc");
	CHECK_STR(pb_auth_header_token("Bearer  abc"), " abc");
	CHECK_STR(pb_auth_header_token("Bearer "), "Bearer "); /* not longer than 7 */
	CHECK_STR(pb_auth_header_token("Bearerabc"), "Bearerabc");
	CHECK_STR(pb_auth_header_token("Basic abc"), "Basic abc");
	CHECK_STR(pb_auth_header_token(TOK_USER), TOK_USER);
	CHECK_STR(pb_auth_header_token(""), "");
	CHECK_STR(pb_auth_header_token(NULL), "");
	const char *v = "Bearer " TOK_USER;
	CHECK(pb_auth_header_token(v) == v + 7);
}

static int exec(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* ---- records kept by the memo (a writer's change generations) ---------------------------- */

static atomic_int writes_done;
static int sql_run(struct pb_write_ctx *ctx, void *arg)
{
	return sqlite3_exec(ctx->db, arg, NULL, NULL, NULL) == SQLITE_OK ? 0 : pb_error_set(ctx->err, 500, "sql");
}
static void sql_done(void *arg, int rc, struct pb_error *err)
{
	(void)arg, (void)err;
	CHECK(rc == 0);
	atomic_fetch_add(&writes_done, 1);
}
/* Runs `sql` through the writer and waits until it is acknowledged. */
static void write_through(struct pb_writer *w, const char *sql)
{
	int before = atomic_load(&writes_done);
	pb_writer_submit(w, sql_run, sql_done, (void *)sql);
	for (int i = 0; i < 5000 && atomic_load(&writes_done) == before; i++)
		usleep(1000);
	CHECK(atomic_load(&writes_done) == before + 1);
}

static const char *auth_name(const struct pb_auth *a) { return json_string_value(json_object_get(a->record, "name")); }

/* With a writer, a resolved token's record is kept and reused while nothing changed it; every
 * change through the writer (a field, the tokenKey, a deletion) and every new schema snapshot
 * is seen by the very next resolution; a change behind the writer's back within a second. */
static void test_kept_records(sqlite3 *db, const char *token_key)
{
	char path[512];
	snprintf(path, sizeof path, "%s/data.db", ftu_dir);
	sqlite3 *wdb = NULL;
	CHECK(sqlite3_open_v2(path, &wdb, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK);
	sqlite3_busy_timeout(wdb, 5000);
	static struct pb_writer writer;
	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_writer_start(&writer, wdb, &err) == 0);
	struct pb_auth_cache memo;
	pb_auth_cache_init(&memo, &writer);
	char *t = pb_auth_token_issue(pb_schema_find(schema, "users"), "4q1xlclmfloku33", token_key, PB_TOKEN_AUTH, NULL,
	                              NOW, 0);
	struct pb_auth a1, a2;
	CHECK(pb_auth_token_resolve_cached(schema, &cache, &memo, t, PB_TOKEN_AUTH, NOW, &a1) == 0);
	CHECK(pb_auth_token_resolve_cached(schema, &cache, &memo, t, PB_TOKEN_AUTH, NOW, &a2) == 0);
	CHECK(a1.record && a1.record == a2.record); /* kept, not loaded again */
	CHECK(a2.claims && a2.collection == pb_schema_find(schema, "users") && !a2.superuser);
	pb_auth_clear(&a2);
	/* the same second's outcome is reused only for the type it was found for */
	CHECK(pb_auth_token_resolve_cached(schema, &cache, &memo, t, PB_TOKEN_FILE, NOW, &a2) == -1);
	CHECK(pb_auth_token_resolve_cached(schema, &cache, &memo, t, NULL, NOW, &a2) == 0);
	const char *first_name = auth_name(&a1);
	CHECK(first_name != NULL);
	pb_auth_clear(&a2);

	/* behind the writer's back: seen from the next second on */
	CHECK(exec(db, "UPDATE users SET name = 'changed outside' WHERE id = '4q1xlclmfloku33'") == 0);
	CHECK(pb_auth_token_resolve_cached(schema, &cache, &memo, t, PB_TOKEN_AUTH, NOW, &a2) == 0);
	CHECK(a2.record == a1.record);
	pb_auth_clear(&a2);
	CHECK(pb_auth_token_resolve_cached(schema, &cache, &memo, t, PB_TOKEN_AUTH, NOW + 1, &a2) == 0);
	CHECK_STR(auth_name(&a2), "changed outside");
	pb_auth_clear(&a2);
	pb_auth_clear(&a1);

	/* through the writer: seen at once (same second as the last load) */
	write_through(&writer, "UPDATE users SET name = 'changed by the writer' WHERE id = '4q1xlclmfloku33'");
	CHECK(pb_auth_token_resolve_cached(schema, &cache, &memo, t, PB_TOKEN_AUTH, NOW + 1, &a1) == 0);
	CHECK_STR(auth_name(&a1), "changed by the writer");
	pb_auth_clear(&a1);
	/* a change of another table leaves the kept record alone */
	CHECK(pb_auth_token_resolve_cached(schema, &cache, &memo, t, PB_TOKEN_AUTH, NOW + 1, &a1) == 0);
	write_through(&writer, "UPDATE demo1 SET text = 'x' WHERE rowid = 1");
	CHECK(pb_auth_token_resolve_cached(schema, &cache, &memo, t, PB_TOKEN_AUTH, NOW + 1, &a2) == 0);
	CHECK(a2.record == a1.record || strcmp(auth_name(&a2), "changed by the writer") == 0);
	pb_auth_clear(&a2);

	/* a new schema snapshot loads the record again */
	struct pb_schema *next = pb_schema_load(db, &err);
	CHECK(next != NULL);
	CHECK(pb_auth_token_resolve_cached(next, &cache, &memo, t, PB_TOKEN_AUTH, NOW + 1, &a2) == 0);
	CHECK(a2.record != a1.record);
	pb_auth_clear(&a2);
	pb_auth_clear(&a1);
	pb_schema_unref(next);

	/* a rotated tokenKey (as a password change does) fails the token at once */
	write_through(&writer, "UPDATE users SET tokenKey = 'rotated by the writer' WHERE id = '4q1xlclmfloku33'");
	CHECK(pb_auth_token_resolve_cached(schema, &cache, &memo, t, PB_TOKEN_AUTH, NOW + 1, &a1) == -1);
	free(t);
	t = pb_auth_token_issue(pb_schema_find(schema, "users"), "4q1xlclmfloku33", "rotated by the writer", PB_TOKEN_AUTH,
	                        NULL, NOW, 0);
	CHECK(pb_auth_token_resolve_cached(schema, &cache, &memo, t, PB_TOKEN_AUTH, NOW + 1, &a1) == 0);
	pb_auth_clear(&a1);
	/* a deleted record (even by a DELETE without WHERE) fails it at once */
	write_through(&writer, "DELETE FROM users");
	CHECK(pb_auth_token_resolve_cached(schema, &cache, &memo, t, PB_TOKEN_AUTH, NOW + 1, &a1) == -1);
	free(t);
	pb_auth_cache_deinit(&memo);
	pb_writer_stop(&writer);
	sqlite3_close(wdb);
}

int main(void)
{
	sqlite3 *db = ftu_open_fixture();
	CHECK(db != NULL);
	if (!db)
		TEST_DONE();
	/* make users.name hidden, so the record export must include hidden fields to pass */
	CHECK(exec(db, "UPDATE _collections SET fields = (SELECT json_group_array(CASE WHEN json_extract(value, '$.name') "
	               "= 'name' THEN json_set(value, '$.hidden', json('true')) ELSE json(value) END) FROM "
	               "json_each(fields)) WHERE name = 'users'") == 0);
	struct pb_error err = PB_ERROR_INIT;
	schema = pb_schema_load(db, &err);
	CHECK(schema != NULL);
	const struct pb_field *name = schema ? pb_collection_field(pb_schema_find(schema, "users"), "name") : NULL;
	CHECK(name && name->hidden);
	pb_stmt_cache_init(&cache, db);

	test_fixture_tokens();
	test_tampered_tokens();
	test_issue();
	test_header_token();

	/* the verified-token memo: hits give the same outcome, and a changed tokenKey or an expiry
	 * still fails a remembered token */
	struct pb_auth_cache memo;
	pb_auth_cache_init(&memo, NULL);
	struct pb_auth a1, a2;
	CHECK(pb_auth_token_resolve_cached(schema, &cache, &memo, TOK_CLIENT, PB_TOKEN_AUTH, NOW, &a1) == 0);
	CHECK(memo.e[0].token != NULL);
	CHECK(pb_auth_token_resolve_cached(schema, &cache, &memo, TOK_CLIENT, PB_TOKEN_AUTH, NOW, &a2) == 0);
	char *d1 = dump(a1.record), *d2 = dump(a2.record);
	CHECK_STR(d2, d1);
	free(d1);
	free(d2);
	pb_auth_clear(&a1);
	pb_auth_clear(&a2);
	CHECK(pb_auth_token_resolve_cached(schema, &cache, &memo, TOK_CLIENT, PB_TOKEN_FILE, NOW, &a1) == -1);
	CHECK(pb_auth_token_resolve_cached(schema, &cache, &memo, TOK_CLIENT, PB_TOKEN_AUTH, 4102444800LL * 10, &a1) == -1);
	CHECK(exec(db, "UPDATE clients SET tokenKey = 'memo-rotated' WHERE id = 'gk390qegs4y47wn'") == 0);
	CHECK(pb_auth_token_resolve_cached(schema, &cache, &memo, TOK_CLIENT, PB_TOKEN_AUTH, NOW, &a1) == -1);
	pb_auth_cache_deinit(&memo);

	/* a deleted record's tokens die */
	CHECK(exec(db, "DELETE FROM users WHERE id = 'oap640cot4yru2s'") == 0);
	expect_fails(TOK_USER2, PB_TOKEN_AUTH, NOW);
	expect_fails(TOK_USER2_VERIFICATION, PB_TOKEN_VERIFICATION, NOW);
	expect_resolves(TOK_USER, PB_TOKEN_AUTH, NOW, "4q1xlclmfloku33");
	/* a changed tokenKey invalidates every token of the record */
	CHECK(exec(db, "UPDATE users SET tokenKey = 'regenerated' WHERE id = '4q1xlclmfloku33'") == 0);
	expect_fails(TOK_USER, PB_TOKEN_AUTH, NOW);
	expect_fails(TOK_USER_PASSWORD_RESET, PB_TOKEN_PASSWORD_RESET, NOW);
	/* … and one issued with the new key works */
	char *t = pb_auth_token_issue(pb_schema_find(schema, "users"), "4q1xlclmfloku33", "regenerated", PB_TOKEN_AUTH, NULL,
	                              NOW, 0);
	expect_resolves(t, PB_TOKEN_AUTH, NOW, "4q1xlclmfloku33");
	free(t);

	test_kept_records(db, "regenerated");

	pb_stmt_cache_deinit(&cache);
	pb_schema_unref(schema);
	ftu_cleanup(db);
	TEST_DONE();
}
