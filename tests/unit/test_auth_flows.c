/* test_auth_flows — the database side of the auth flows on a temporary copy of PocketBase's test
 * fixture: identity lookups (COLLATE NOCASE taken from the unique index), the ref rows
 * (_mfas/_otps/_authOrigins), pb_auth_record_save_changes with PocketBase's save hooks
 * (tokenKey renewal, verified upgrade deleting _externalAuths, ref rows cleanup, superusers
 * always verified, installer removal) and the auth finish job (authRule, MFA round trip,
 * auth origins, static tokens), each run as a synchronous writer job. Expected row counts are
 * the fixture's (e.g. users/4q1xlclmfloku33 is unverified with 2 _externalAuths,
 * clients/gk390qegs4y47wn has 1 _authOrigins row). */
#include <stdlib.h>
#include <string.h>

#include "collections/auth_finish.h"
#include "collections/auth_lookup.h"
#include "collections/auth_options.h"
#include "collections/auth_record.h"
#include "collections/auth_refs.h"
#include "collections/auth_token.h"
#include "collections/index_parse.h"
#include "core/datetime.h"
#include "core/jwt.h"
#pragma GCC diagnostic ignored "-Wunused-function" /* helpers of the shared test header */
#include "tests/unit/read_test_util.h"
#include "tests/unit/test.h"

/* a bcrypt hash (cost 4) of "new-password-1" */
#define HASH4 "$2a$04$WnKZw/AsKIE2DV3dgwVPce3fOQb7w/QdXSLkWs4n8783lMy58jWKe"

static struct rtu T;

static long long count(const char *sql)
{
	sqlite3_stmt *st = NULL;
	long long n = -1;
	if (sqlite3_prepare_v2(T.db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static char *text(const char *sql)
{
	sqlite3_stmt *st = NULL;
	char *s = NULL;
	if (sqlite3_prepare_v2(T.db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		s = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return s;
}

/* ---- lookups ------------------------------------------------------------------------------- */

static void test_lookups(void)
{
	const struct pb_collection *users = pb_schema_find(T.schema, "users");
	struct pb_error err = PB_ERROR_INIT;
	json_t *r = pb_auth_find_by_email(&T.stmts, users, "test@example.com", &err);
	CHECK(r && !strcmp(pb_auth_str(r, "id"), "4q1xlclmfloku33"));
	CHECK(r && *pb_auth_str(r, "tokenKey") && !strncmp(pb_auth_str(r, "password"), "$2a$", 4)); /* stored form */
	json_t *pub = pb_auth_record_public(users, r);
	CHECK(!json_object_get(pub, "password") && !json_object_get(pub, "tokenKey"));
	CHECK_STR(pb_auth_str(pub, "collectionName"), "users");
	json_decref(pub);
	json_decref(r);
	/* no NOCASE index: exact match only */
	CHECK(!pb_auth_find_by_email(&T.stmts, users, "TEST@example.com", &err) && err.status == 0);
	r = pb_auth_find_by_identity(&T.stmts, users, "username", "users75657", &err);
	CHECK(r && !strcmp(pb_auth_str(r, "id"), "4q1xlclmfloku33"));
	json_decref(r);
	CHECK(!pb_auth_find_by_identity(&T.stmts, users, "username", "USERS75657", &err) && err.status == 0);
	/* not an identity field → PocketBase's non "no rows" error */
	CHECK(!pb_auth_find_by_identity(&T.stmts, users, "name", "x", &err) && err.status == 500);
	pb_error_clear(&err);

	/* the COLLATE of the unique index decides */
	bool nocase = true;
	CHECK(pb_collection_unique_index_nocase(users, "username", &nocase) && !nocase);
	CHECK(!pb_collection_unique_index_nocase(users, "name", &nocase));
	rtu_alter(&T, "UPDATE _collections SET indexes = json_set(indexes, '$[0]', "
	              "'CREATE UNIQUE INDEX `__pb_users_auth__username_idx` ON `users` (username COLLATE NOCASE)') "
	              "WHERE name = 'users'");
	users = pb_schema_find(T.schema, "users");
	CHECK(pb_collection_unique_index_nocase(users, "username", &nocase) && nocase);
	r = pb_auth_find_by_identity(&T.stmts, users, "username", "USERS75657", &err);
	CHECK(r && !strcmp(pb_auth_str(r, "id"), "4q1xlclmfloku33"));
	json_decref(r);
	CHECK(pb_index_is_single_unique("CREATE UNIQUE INDEX x ON t (`email` collate nocase DESC)", "email"));

	struct pb_auth_options o;
	pb_auth_options_get(users, &o);
	CHECK(o.password_enabled && o.mfa_enabled && o.otp_enabled && o.oauth2_enabled && o.auth_alert_enabled);
	CHECK(o.mfa_duration == 1800 && o.otp_duration == 300 && o.otp_length == 8);
	CHECK(pb_auth_options_is_identity(&o, "email") && pb_auth_options_is_identity(&o, "username"));
	CHECK(!pb_auth_options_is_identity(&o, "name"));
	pb_auth_options_get(pb_schema_find(T.schema, "demo1"), &o); /* base collection: all off */
	CHECK(!o.password_enabled && !o.identity_fields && !o.mfa_enabled);
}

/* ---- save hooks ----------------------------------------------------------------------------- */

struct change_job {
	const char *collection, *id;
	struct pb_auth_change ch;
	json_t *out;
};

static int change_run(struct pb_write_ctx *w, void *arg)
{
	struct change_job *j = arg;
	return pb_auth_record_save_changes(w, T.schema, pb_schema_find(T.schema, j->collection), j->id, &j->ch,
	                                   "Failed to save.", &j->out);
}

static int change(struct change_job *j, struct pb_error *err)
{
	pb_stmt_cache_deinit(&T.stmts); /* the job prepares on the same connection */
	int rc = pb_writer_run_once(T.db, change_run, j, err);
	pb_stmt_cache_init(&T.stmts, T.db);
	return rc;
}

static void test_save_hooks(void)
{
	struct pb_error err = PB_ERROR_INIT;
	/* a new password: tokenKey renewed, the record's _authOrigins and _mfas gone, _otps too */
	CHECK(count("SELECT COUNT(*) FROM _authOrigins WHERE recordRef = 'gk390qegs4y47wn'") == 1);
	sqlite3_exec(T.db,
	             "INSERT INTO _otps (collectionRef, created, id, password, recordRef, sentTo, updated) VALUES "
	             "('v851q4r790rhknl', '', 'otp000000000001', '', 'gk390qegs4y47wn', '', '');"
	             "INSERT INTO _mfas (collectionRef, created, id, method, recordRef, updated) VALUES "
	             "('v851q4r790rhknl', '', 'mfa000000000001', 'password', 'gk390qegs4y47wn', '')",
	             NULL, NULL, NULL);
	char *key_before = text("SELECT tokenKey FROM clients WHERE id = 'gk390qegs4y47wn'");
	struct change_job j = {"clients", "gk390qegs4y47wn", {.verified = -1, .password_plain = "new-password-1", .password_hash = HASH4}, NULL};
	CHECK(change(&j, &err) == 0);
	char *key_after = text("SELECT tokenKey FROM clients WHERE id = 'gk390qegs4y47wn'");
	char *hash = text("SELECT password FROM clients WHERE id = 'gk390qegs4y47wn'");
	CHECK(key_before && key_after && strcmp(key_before, key_after) != 0 && strlen(key_after) == 50);
	CHECK_STR(hash, HASH4);
	CHECK(count("SELECT COUNT(*) FROM _authOrigins WHERE recordRef = 'gk390qegs4y47wn'") == 0);
	CHECK(count("SELECT COUNT(*) FROM _mfas WHERE recordRef = 'gk390qegs4y47wn'") == 0);
	CHECK(count("SELECT COUNT(*) FROM _otps WHERE recordRef = 'gk390qegs4y47wn'") == 0);
	CHECK(count("SELECT COUNT(*) FROM _authOrigins") == 4); /* other records keep theirs */
	CHECK(j.out && !json_object_get(j.out, "password") && !json_object_get(j.out, "tokenKey"));
	json_decref(j.out);
	free(key_before);
	free(key_after);
	free(hash);

	/* a too short user password fails with the field error and changes nothing */
	struct change_job short_pw = {"clients", "gk390qegs4y47wn", {.verified = -1, .password_plain = "short", .password_hash = HASH4}, NULL};
	CHECK(change(&short_pw, &err) == -1 && err.status == 400);
	CHECK(!strcmp(err.message, "Failed to save."));
	CHECK(json_object_get(err.data, "password") != NULL);
	pb_error_clear(&err);

	/* the verified upgrade: the 2 _externalAuths of users/4q1xlclmfloku33 go, tokenKey renewed */
	key_before = text("SELECT tokenKey FROM users WHERE id = '4q1xlclmfloku33'");
	CHECK(count("SELECT COUNT(*) FROM _externalAuths WHERE recordRef = '4q1xlclmfloku33'") == 2);
	struct change_job v = {"users", "4q1xlclmfloku33", {.verified = 1}, NULL};
	CHECK(change(&v, &err) == 0);
	json_decref(v.out);
	key_after = text("SELECT tokenKey FROM users WHERE id = '4q1xlclmfloku33'");
	CHECK(count("SELECT verified FROM users WHERE id = '4q1xlclmfloku33'") == 1);
	CHECK(count("SELECT COUNT(*) FROM _externalAuths WHERE recordRef = '4q1xlclmfloku33'") == 0);
	CHECK(count("SELECT COUNT(*) FROM _externalAuths") == 2);
	CHECK(key_before && key_after && strcmp(key_before, key_after) != 0);
	free(key_before);
	free(key_after);

	/* an email change renews tokenKey; a duplicate email is a field error */
	key_before = text("SELECT tokenKey FROM users WHERE id = 'bgs820n361vj1qd'");
	struct change_job e = {"users", "bgs820n361vj1qd", {.email = "changed@example.com", .verified = 1}, NULL};
	CHECK(change(&e, &err) == 0);
	json_decref(e.out);
	key_after = text("SELECT tokenKey FROM users WHERE id = 'bgs820n361vj1qd'");
	CHECK(key_before && key_after && strcmp(key_before, key_after) != 0);
	CHECK(count("SELECT COUNT(*) FROM users WHERE email = 'changed@example.com'") == 1);
	free(key_before);
	free(key_after);
	struct change_job dup = {"users", "bgs820n361vj1qd", {.email = "test2@example.com", .verified = -1}, NULL};
	CHECK(change(&dup, &err) == -1 && err.status == 400 && json_object_get(err.data, "email"));
	pb_error_clear(&err);
	struct change_job gone = {"users", "missingmissing0", {.verified = 1}, NULL};
	CHECK(change(&gone, &err) == -1 && err.status == 404);
	pb_error_clear(&err);
}

/* ---- installer removal --------------------------------------------------------------------- */

static int after_create_run(struct pb_write_ctx *w, void *arg)
{
	const json_t *rec = arg;
	return pb_auth_record_after_create(w, T.schema, pb_schema_find(T.schema, "_superusers"), rec);
}

static void test_installer_removal(void)
{
	sqlite3_exec(T.db,
	             "INSERT INTO _superusers (created, email, emailVisibility, id, password, tokenKey, updated, verified) "
	             "VALUES ('', '__pbinstaller@example.com', 0, 'installer000001', '', 'installerkey', '', 1)",
	             NULL, NULL, NULL);
	struct pb_error err = PB_ERROR_INIT;
	json_t *installer = json_pack("{ss}", "email", PB_INSTALLER_EMAIL);
	pb_stmt_cache_deinit(&T.stmts);
	CHECK(pb_writer_run_once(T.db, after_create_run, installer, &err) == 0); /* the installer itself */
	CHECK(count("SELECT COUNT(*) FROM _superusers WHERE id = 'installer000001'") == 1);
	json_t *real = json_pack("{ss}", "email", "someone@example.com");
	CHECK(pb_writer_run_once(T.db, after_create_run, real, &err) == 0);
	CHECK(count("SELECT COUNT(*) FROM _superusers WHERE id = 'installer000001'") == 0);
	CHECK(count("SELECT COUNT(*) FROM _superusers") == 4);
	pb_stmt_cache_init(&T.stmts, T.db);
	json_decref(installer);
	json_decref(real);
}

/* ---- the auth finish job --------------------------------------------------------------------- */

static int finish_run(struct pb_write_ctx *w, void *arg) { return pb_auth_finish_run(w, arg); }

static int finish(struct pb_auth_finish *f, const char *collection, const char *id, const char *method,
                  const char *mfa_id, const struct pb_request_info *info)
{
	pb_auth_finish_init(f);
	f->schema = T.schema;
	f->c = pb_schema_find(T.schema, collection);
	f->record_id = id;
	f->req = info;
	f->method = method;
	f->mfa_id = mfa_id;
	f->real_ip = "127.0.0.1";
	f->user_agent = "test-agent";
	struct pb_error err = PB_ERROR_INIT;
	pb_stmt_cache_deinit(&T.stmts);
	int rc = pb_writer_run_once(T.db, finish_run, f, &err);
	pb_stmt_cache_init(&T.stmts, T.db);
	pb_error_clear(&err);
	return rc;
}

static void test_finish(void)
{
	struct pb_request_info guest = {.context = "password", .method = "POST"};
	struct pb_auth_finish f;
	char fp[33];
	pb_auth_origin_fingerprint("127.0.0.1", "test-agent", fp);
	CHECK_STR(fp, "9fe3bfe318419df4e975f703d511a80a");
	char ua[260];
	memset(ua, 'a', 250);
	ua[250] = '\0';
	pb_auth_origin_fingerprint("1.2.3.4", ua, fp); /* user agent cut to 200 + "..." */
	CHECK_STR(fp, "08de6539cc9319ce57afdc7edc4d3956");

	/* clients: authRule verified=true → the unverified record is refused, no token */
	CHECK(finish(&f, "clients", "o1y0dd0spd786md", PB_AUTH_METHOD_PASSWORD, "", &guest) == 0);
	CHECK(f.status == 403 && !strcmp(f.err.message, PB_MSG_AUTH_RULE_FAILED) && !f.token_out);
	pb_auth_finish_deinit(&f);

	/* users: MFA enabled → a _mfas row and 401 */
	CHECK(finish(&f, "users", "oap640cot4yru2s", PB_AUTH_METHOD_PASSWORD, "", &guest) == 0);
	CHECK(f.status == 401 && strlen(f.mfa_id_out) == 15);
	char mfa[16];
	strcpy(mfa, f.mfa_id_out);
	pb_auth_finish_deinit(&f);
	CHECK(count("SELECT COUNT(*) FROM _mfas WHERE recordRef = 'oap640cot4yru2s' AND method = 'password'") == 1);
	/* the same method again → 400, the row stays */
	CHECK(finish(&f, "users", "oap640cot4yru2s", PB_AUTH_METHOD_PASSWORD, mfa, &guest) == 0);
	CHECK(f.status == 400 && !strcmp(f.err.message, PB_MSG_MFA_DIFFERENT_METHOD));
	pb_auth_finish_deinit(&f);
	/* another record's session → 400 "Invalid MFA session." */
	CHECK(finish(&f, "users", "bgs820n361vj1qd", PB_AUTH_METHOD_OTP, mfa, &guest) == 0);
	CHECK(f.status == 400 && !strcmp(f.err.message, PB_MSG_MFA_INVALID));
	pb_auth_finish_deinit(&f);
	CHECK(finish(&f, "users", "oap640cot4yru2s", PB_AUTH_METHOD_OTP, "missingmfa00000", &guest) == 0);
	CHECK(f.status == 400 && !strcmp(f.err.message, PB_MSG_MFA_INVALID_OR_EXPIRED));
	pb_auth_finish_deinit(&f);
	/* a different method completes: token, record, the row deleted, an origin recorded */
	long long origins = count("SELECT COUNT(*) FROM _authOrigins WHERE recordRef = 'oap640cot4yru2s'");
	CHECK(finish(&f, "users", "oap640cot4yru2s", PB_AUTH_METHOD_OTP, mfa, &guest) == 0);
	CHECK(f.status == 200 && f.token_out && f.record);
	CHECK(count("SELECT COUNT(*) FROM _mfas WHERE id = 'x' OR recordRef = 'oap640cot4yru2s'") == 0);
	CHECK(count("SELECT COUNT(*) FROM _authOrigins WHERE recordRef = 'oap640cot4yru2s' AND fingerprint = "
	            "'9fe3bfe318419df4e975f703d511a80a'") == 1);
	CHECK(origins == 0 && !f.alert_due); /* the first login ever sends no alert */
	CHECK(f.record && !json_object_get(f.record, "tokenKey") && json_object_get(f.record, "email"));
	json_t *claims = f.token_out ? pb_jwt_parse_unverified(f.token_out) : NULL;
	CHECK(json_is_true(json_object_get(claims, "refreshable")));
	CHECK_STR(json_string_value(json_object_get(claims, "id")), "oap640cot4yru2s");
	json_decref(claims);
	pb_auth_finish_deinit(&f);

	/* an expired session is deleted and refused */
	sqlite3_exec(T.db,
	             "INSERT INTO _mfas (collectionRef, created, id, method, recordRef, updated) VALUES "
	             "('_pb_users_auth_', '2020-01-01 00:00:00.000Z', 'oldmfa000000001', 'password', 'oap640cot4yru2s', '')",
	             NULL, NULL, NULL);
	CHECK(finish(&f, "users", "oap640cot4yru2s", PB_AUTH_METHOD_OTP, "oldmfa000000001", &guest) == 0);
	CHECK(f.status == 400 && !strcmp(f.err.message, PB_MSG_MFA_INVALID_OR_EXPIRED));
	CHECK(count("SELECT COUNT(*) FROM _mfas WHERE id = 'oldmfa000000001'") == 0);
	pb_auth_finish_deinit(&f);

	/* a new location after an earlier login → alert due; at most 5 origins are kept */
	for (int i = 0; i < 6; i++) {
		char ip[32];
		snprintf(ip, sizeof ip, "10.0.0.%d", i + 1);
		pb_auth_finish_init(&f);
		f.schema = T.schema;
		f.c = pb_schema_find(T.schema, "clients");
		f.record_id = "gk390qegs4y47wn";
		f.req = &guest;
		f.method = PB_AUTH_METHOD_PASSWORD;
		f.real_ip = ip;
		f.user_agent = "ua";
		struct pb_error err = PB_ERROR_INIT;
		pb_stmt_cache_deinit(&T.stmts);
		CHECK(pb_writer_run_once(T.db, finish_run, &f, &err) == 0);
		pb_stmt_cache_init(&T.stmts, T.db);
		CHECK(f.status == 200);
		CHECK(f.alert_due == (i > 0)); /* the password change above emptied its origins */
		CHECK(i == 0 || (f.alert_info && strstr(f.alert_info, ip)));
		pb_auth_finish_deinit(&f);
	}
	CHECK(count("SELECT COUNT(*) FROM _authOrigins WHERE recordRef = 'gk390qegs4y47wn'") == 5);

	/* refresh/impersonate style: no MFA, a static token on request */
	CHECK(finish(&f, "users", "oap640cot4yru2s", "", "", &guest) == 0);
	CHECK(f.status == 200);
	pb_auth_finish_deinit(&f);
	pb_auth_finish_init(&f);
	f.schema = T.schema;
	f.c = pb_schema_find(T.schema, "users");
	f.record_id = "oap640cot4yru2s";
	f.req = &guest;
	f.method = "";
	f.static_token = true;
	f.static_duration = 100;
	struct pb_error err = PB_ERROR_INIT;
	pb_stmt_cache_deinit(&T.stmts);
	CHECK(pb_writer_run_once(T.db, finish_run, &f, &err) == 0 && f.status == 200);
	pb_stmt_cache_init(&T.stmts, T.db);
	claims = f.token_out ? pb_jwt_parse_unverified(f.token_out) : NULL;
	CHECK(json_is_false(json_object_get(claims, "refreshable")));
	long long exp = (long long)json_number_value(json_object_get(claims, "exp"));
	long long now = pb_now_ms() / 1000;
	CHECK(exp >= now + 99 && exp <= now + 101);
	json_decref(claims);
	pb_auth_finish_deinit(&f);

	/* the superuser IP whitelist is applied after the OTP pre-steps, before the rule */
	pb_auth_finish_init(&f);
	f.schema = T.schema;
	f.c = pb_schema_find(T.schema, "users");
	f.record_id = "oap640cot4yru2s";
	f.req = &guest;
	f.method = "";
	f.ip_denied = true;
	pb_stmt_cache_deinit(&T.stmts);
	CHECK(pb_writer_run_once(T.db, finish_run, &f, &err) == 0 && f.status == 403);
	pb_stmt_cache_init(&T.stmts, T.db);
	pb_auth_finish_deinit(&f);

	/* auth-with-otp pre-steps: the OTP goes; sentTo == email upgrades to verified and (MFA
	 * off in clients) sets the given random password hash */
	sqlite3_exec(T.db,
	             "INSERT INTO _otps (collectionRef, created, id, password, recordRef, sentTo, updated) VALUES "
	             "('v851q4r790rhknl', '', 'otpused00000001', '', 'o1y0dd0spd786md', 'test2@example.com', '')",
	             NULL, NULL, NULL);
	pb_auth_finish_init(&f);
	f.schema = T.schema;
	f.c = pb_schema_find(T.schema, "clients");
	f.record_id = "o1y0dd0spd786md";
	f.req = &guest;
	f.method = PB_AUTH_METHOD_OTP;
	f.otp_id = "otpused00000001";
	f.otp_sent_to = "test2@example.com";
	f.random_password_hash = HASH4;
	pb_stmt_cache_deinit(&T.stmts);
	CHECK(pb_writer_run_once(T.db, finish_run, &f, &err) == 0);
	pb_stmt_cache_init(&T.stmts, T.db);
	CHECK(f.status == 200); /* verified now, so authRule verified=true passes */
	CHECK(count("SELECT COUNT(*) FROM _otps WHERE id = 'otpused00000001'") == 0);
	CHECK(count("SELECT COUNT(*) FROM clients WHERE id = 'o1y0dd0spd786md' AND verified AND password = '" HASH4 "'") == 1);
	pb_auth_finish_deinit(&f);
	pb_error_clear(&err);
}

static void test_refs(void)
{
	struct pb_error err = PB_ERROR_INIT;
	json_t *row = pb_auth_ref_find(&T.stmts, T.schema, PB_AUTH_ORIGINS, "5f29jy38bf5zm3f");
	CHECK(row && !strcmp(pb_auth_str(row, "recordRef"), "sywbhecnh46rhm0"));
	CHECK(row && pb_auth_ref_expired(row, 60, pb_now_ms()));
	CHECK(row && !pb_auth_ref_expired(row, 100LL * 365 * 86400, pb_now_ms()));
	json_decref(row);
	json_t *list = pb_auth_ref_list(&T.stmts, T.schema, PB_AUTH_ORIGINS, "pbc_3142635823", "sbmbsdb40jyxf7h");
	CHECK(json_array_size(list) == 3);
	/* newest first */
	CHECK_STR(pb_auth_str(json_array_get(list, 0), "id"), "5798yh833k6w6w0");
	json_decref(list);
	CHECK(!pb_auth_ref_find(&T.stmts, T.schema, PB_MFAS, "nope"));
	pb_error_clear(&err);
}

int main(void)
{
	if (rtu_open(&T) != 0) {
		fprintf(stderr, "cannot open the fixture\n");
		return 1;
	}
	test_refs();
	test_lookups();
	test_save_hooks();
	test_installer_removal();
	test_finish();
	rtu_close(&T);
	TEST_DONE();
}
