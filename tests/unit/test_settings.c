/* test_settings — the settings snapshot against PocketBase v0.39.11 behaviour: defaults, the
 * fixture's stored row (typed values, byte-exact re-encoding, API view), PATCH merging with Go
 * json.Unmarshal semantics (core/settings_model_test.go, apis/settings_test.go), saving and
 * reloading (plain and AES-GCM encrypted, including ciphertexts made by PocketBase's
 * tools/security/encrypt.go), rate-limit rule lookup and the collection-rename hook. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/aesgcm.h"
#include "core/app.h"
#include "core/config.h"
#include "core/settings.h"
#include "core/settings_defaults.h"
#include "tests/unit/settings_test_util.h"
#include "tests/unit/test.h"

static const char fixture_api_json[] =
	"{\"superuserIPs\":[],\"smtp\":{\"enabled\":false,\"port\":587,\"host\":\"smtp.example.com\",\"username\":\"\","
	"\"authMethod\":\"\",\"tls\":false,\"localName\":\"\"},\"backups\":{\"cron\":\"\",\"cronMaxKeep\":0,\"s3\":{"
	"\"enabled\":false,\"bucket\":\"\",\"region\":\"\",\"endpoint\":\"\",\"accessKey\":\"\",\"forcePathStyle\":false}},"
	"\"s3\":{\"enabled\":false,\"bucket\":\"\",\"region\":\"\",\"endpoint\":\"\",\"accessKey\":\"\",\"forcePathStyle\":"
	"false},\"meta\":{\"accentColor\":\"#1055c9\",\"appName\":\"acme_test\",\"appURL\":\"http://localhost:8090\","
	"\"senderName\":\"Support\",\"senderAddress\":\"support@example.com\",\"hideControls\":false},\"rateLimits\":{"
	"\"rules\":[{\"label\":\"*:auth\",\"audience\":\"\",\"duration\":3,\"maxRequests\":2},{\"label\":\"*:create\","
	"\"audience\":\"\",\"duration\":5,\"maxRequests\":20},{\"label\":\"/api/batch\",\"audience\":\"\",\"duration\":1,"
	"\"maxRequests\":3},{\"label\":\"/api/\",\"audience\":\"\",\"duration\":10,\"maxRequests\":300}],\"excludedIPs\":[],"
	"\"enabled\":false},\"trustedProxy\":{\"headers\":[],\"useLeftmostIP\":false},\"batch\":{\"enabled\":true,"
	"\"maxRequests\":50,\"timeout\":5,\"maxBodySize\":0},\"logs\":{\"maxDays\":5,\"minLevel\":0,\"logIP\":false,"
	"\"logAuthId\":false}}";

static void test_defaults(void)
{
	struct pb_settings *s = pb_settings_new_defaults();
	char *dump = pb_settings_dump(s);
	CHECK_STR(dump, pb_settings_defaults_json());
	free(dump);
	CHECK_STR(s->meta.app_name, "Acme");
	CHECK_STR(s->meta.accent_color, "#1055c9");
	CHECK(s->smtp.port == 587 && !s->smtp.enabled);
	CHECK(s->backups.cron_max_keep == 3);
	CHECK(s->batch.max_requests == 50 && s->batch.timeout == 3);
	CHECK(s->logs.max_days == 5 && s->logs.log_ip && !s->logs.log_auth_id);
	CHECK(s->rate_limits.rules.n == 4 && !s->rate_limits.enabled);
	if (s->rate_limits.rules.n == 4) {
		CHECK_STR(s->rate_limits.rules.items[3].label, "/api/");
		CHECK(s->rate_limits.rules.items[3].max_requests == 300 && s->rate_limits.rules.items[3].duration == 10);
	}
	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_settings_validate(s, &err) == 0); /* the defaults are valid */
	pb_settings_unref(s);
}

static void test_fixture_load(void)
{
	sqlite3 *db = stu_open_fixture();
	CHECK(db != NULL);
	if (!db)
		return;
	struct pb_error err = PB_ERROR_INIT;
	bool missing = true;
	struct pb_settings *s = pb_settings_load(db, NULL, &missing, &err);
	CHECK(s != NULL && !missing);
	if (!s) {
		stu_cleanup(db);
		return;
	}
	CHECK_STR(s->meta.app_name, "acme_test");
	CHECK_STR(s->meta.sender_address, "support@example.com");
	CHECK(s->batch.enabled && s->batch.timeout == 5 && s->batch.max_requests == 50);
	CHECK(!s->logs.log_ip && s->logs.max_days == 5);
	CHECK(s->backups.cron_max_keep == 0); /* stored 0 wins over the default 3 */
	CHECK(s->rate_limits.rules.n == 4 && s->superuser_ips.n == 0 && s->trusted_proxy.headers.n == 0);
	CHECK_STR(s->smtp.host, "smtp.example.com");

	/* re-encoding gives exactly the bytes PocketBase stored */
	int type = 0;
	char *raw = stu_raw_value(db, &type);
	char *dump = pb_settings_dump(s);
	CHECK(type == SQLITE_BLOB);
	CHECK_STR(dump, raw);
	free(dump);
	free(raw);

	/* API view: the stored document without smtp.password */
	json_t *api = pb_settings_to_api_json(s);
	char *api_text = stu_dump(api);
	CHECK_STR(api_text, fixture_api_json);
	free(api_text);
	json_decref(api);
	CHECK(pb_settings_validate(s, &err) == 0);

	/* save → reload: same bytes, created untouched, updated set */
	CHECK(pb_settings_save(db, s, NULL, &err) == 0);
	struct pb_settings *again = pb_settings_load(db, NULL, &missing, &err);
	CHECK(again != NULL && !missing);
	char *a = pb_settings_dump(s), *b = again ? pb_settings_dump(again) : NULL;
	CHECK_STR(b, a);
	free(a);
	free(b);
	pb_settings_unref(again);
	raw = stu_raw_value(db, &type);
	CHECK(type == SQLITE_BLOB);
	free(raw);
	sqlite3_stmt *st = NULL;
	sqlite3_prepare_v2(db, "SELECT created, updated FROM _params WHERE id = 'settings'", -1, &st, NULL);
	CHECK(sqlite3_step(st) == SQLITE_ROW);
	CHECK_STR((const char *)sqlite3_column_text(st, 0), ""); /* the fixture row has created '' */
	const char *updated = (const char *)sqlite3_column_text(st, 1);
	CHECK(updated && strlen(updated) == 24 && updated[23] == 'Z' && strcmp(updated, "2026-05-14 18:15:28.522Z") != 0);
	sqlite3_finalize(st);
	pb_settings_unref(s);
	stu_cleanup(db);
}

/* apis/settings_test.go "authorized as superuser submitting valid data": secrets persisted,
 * never shown. */
static void test_patch_secrets(void)
{
	sqlite3 *db = stu_open_fixture();
	if (!db) {
		CHECK(0);
		return;
	}
	struct pb_error err = PB_ERROR_INIT;
	struct pb_settings *base = pb_settings_load(db, NULL, NULL, &err);
	CHECK(base != NULL);
	if (!base) {
		stu_cleanup(db);
		return;
	}
	struct pb_settings *s = stu_merge(base,
	                                  "{\"meta\":{\"appName\":\"update_test\"},\"smtp\":{\"password\":\"new_smtp_password\"},"
	                                  "\"s3\":{\"secret\":\"new_s3_secret\"},\"backups\":{\"s3\":{\"secret\":"
	                                  "\"new_backups_s3_secret\"}}}",
	                                  &err);
	CHECK(s != NULL);
	if (!s) {
		pb_settings_unref(base);
		stu_cleanup(db);
		return;
	}
	CHECK(pb_settings_validate(s, &err) == 0);
	CHECK(pb_settings_save(db, s, NULL, &err) == 0);
	struct pb_settings *r = pb_settings_load(db, NULL, NULL, &err);
	CHECK(r != NULL);
	if (r) {
		CHECK_STR(r->smtp.password, "new_smtp_password");
		CHECK_STR(r->s3.secret, "new_s3_secret");
		CHECK_STR(r->backups.s3.secret, "new_backups_s3_secret");
		CHECK_STR(r->meta.app_name, "update_test");
		json_t *api = pb_settings_to_api_json(r);
		char *text = stu_dump(api);
		CHECK(strstr(text, "\"appName\":\"update_test\"") != NULL);
		CHECK(strstr(text, "secret") == NULL && strstr(text, "password") == NULL);
		free(text);
		json_decref(api);
		char *dump = pb_settings_dump(r);
		CHECK(strstr(dump, "\"username\":\"\",\"password\":\"new_smtp_password\",\"authMethod\"") != NULL);
		CHECK(strstr(dump, "\"accessKey\":\"\",\"secret\":\"new_s3_secret\",\"forcePathStyle\"") != NULL);
		CHECK(strstr(dump, "\"accessKey\":\"\",\"secret\":\"new_backups_s3_secret\",\"forcePathStyle\"") != NULL);
		free(dump);

		/* omitted secrets are kept; an explicit "" clears (PocketBase binds the body as is) */
		struct pb_settings *k = stu_merge(r, "{\"meta\":{\"appName\":\"other\"},\"s3\":{\"secret\":\"\"}}", &err);
		CHECK(k != NULL);
		if (k) {
			CHECK_STR(k->smtp.password, "new_smtp_password");
			CHECK_STR(k->backups.s3.secret, "new_backups_s3_secret");
			CHECK_STR(k->s3.secret, "");
			CHECK_STR(r->meta.app_name, "update_test"); /* the base snapshot is unchanged */
			char *kd = pb_settings_dump(k);
			CHECK(strstr(kd, "\"accessKey\":\"\",\"forcePathStyle\"") != NULL);
			free(kd);
		}
		pb_settings_unref(k);
	}
	pb_settings_unref(r);
	pb_settings_unref(s);

	/* "submitting empty data": no body = no change, still saves */
	struct pb_settings *same = pb_settings_merge(base, NULL, &err);
	char *x = pb_settings_dump(base), *y = same ? pb_settings_dump(same) : NULL;
	CHECK_STR(y, x);
	free(x);
	free(y);
	pb_settings_unref(same);
	pb_settings_unref(base);
	stu_cleanup(db);
}

/* TestSettings_DBExport and TestSettingsMarshalJSON of core/settings_model_test.go, starting
 * from Go's zero Settings (reached here by a patch that zeroes every field, in another key
 * order and with differently-cased keys). */
static void test_go_encoding(void)
{
	struct pb_error err = PB_ERROR_INIT;
	struct pb_settings *d = pb_settings_new_defaults();
	struct pb_settings *s = stu_merge(
		d,
		"{\"logs\":{\"logIP\":false,\"maxDays\":123},\"BATCH\":{\"timeout\":15,\"maxRequests\":0},"
		"\"trustedProxy\":{\"useLeftmostIP\":true,\"headers\":null},\"rateLimits\":{\"enabled\":true,\"rules\":null},"
		"\"meta\":{\"accentColor\":\"\",\"appName\":\"test_app_name\",\"appURL\":\"\",\"senderName\":\"\","
		"\"senderAddress\":\"\"},\"s3\":{\"endpoint\":\"s3_endpoint\",\"secret\":\"s3_secret\"},"
		"\"backups\":{\"cron\":\"* * * * *\",\"cronMaxKeep\":0,\"s3\":{\"enabled\":true,\"secret\":\"\"}},"
		"\"smtp\":{\"port\":0,\"host\":\"smtp_host\",\"Username\":\"smtp_username\",\"password\":\"\"},"
		"\"superuserIPs\":null,\"unknown\":{\"x\":1}}",
		&err);
	CHECK(s != NULL);
	if (s) {
		char *dump = pb_settings_dump(s);
		CHECK_STR(dump,
		          "{\"superuserIPs\":[],\"smtp\":{\"enabled\":false,\"port\":0,\"host\":\"smtp_host\",\"username\":"
		          "\"smtp_username\",\"password\":\"\",\"authMethod\":\"\",\"tls\":false,\"localName\":\"\"},\"backups\":{"
		          "\"cron\":\"* * * * *\",\"cronMaxKeep\":0,\"s3\":{\"enabled\":true,\"bucket\":\"\",\"region\":\"\","
		          "\"endpoint\":\"\",\"accessKey\":\"\",\"forcePathStyle\":false}},\"s3\":{\"enabled\":false,\"bucket\":\"\","
		          "\"region\":\"\",\"endpoint\":\"s3_endpoint\",\"accessKey\":\"\",\"secret\":\"s3_secret\",\"forcePathStyle\":"
		          "false},\"meta\":{\"accentColor\":\"\",\"appName\":\"test_app_name\",\"appURL\":\"\",\"senderName\":\"\","
		          "\"senderAddress\":\"\",\"hideControls\":false},\"rateLimits\":{\"rules\":[],\"excludedIPs\":[],\"enabled\":"
		          "true},\"trustedProxy\":{\"headers\":[],\"useLeftmostIP\":true},\"batch\":{\"enabled\":false,"
		          "\"maxRequests\":0,\"timeout\":15,\"maxBodySize\":0},\"logs\":{\"maxDays\":123,\"minLevel\":0,\"logIP\":"
		          "false,\"logAuthId\":false}}");
		free(dump);
	}
	pb_settings_unref(s);

	s = stu_merge(d,
	              "{\"meta\":{\"accentColor\":\"\",\"appName\":\"test123\",\"appURL\":\"\",\"senderName\":\"\","
	              "\"senderAddress\":\"\"},\"smtp\":{\"port\":0,\"host\":\"\",\"username\":\"abc\",\"password\":"
	              "\"test_secret\"},\"s3\":{\"secret\":\"test_secret\"},\"backups\":{\"cronMaxKeep\":0,\"s3\":{\"secret\":"
	              "\"test_secret\"}},\"rateLimits\":{\"rules\":[]},\"batch\":{\"maxRequests\":0,\"timeout\":0},"
	              "\"logs\":{\"maxDays\":0,\"logIP\":false}}",
	              &err);
	CHECK(s != NULL);
	if (s) {
		json_t *api = pb_settings_to_api_json(s);
		char *text = stu_dump(api);
		CHECK_STR(text,
		          "{\"superuserIPs\":[],\"smtp\":{\"enabled\":false,\"port\":0,\"host\":\"\",\"username\":\"abc\","
		          "\"authMethod\":\"\",\"tls\":false,\"localName\":\"\"},\"backups\":{\"cron\":\"\",\"cronMaxKeep\":0,\"s3\":{"
		          "\"enabled\":false,\"bucket\":\"\",\"region\":\"\",\"endpoint\":\"\",\"accessKey\":\"\",\"forcePathStyle\":"
		          "false}},\"s3\":{\"enabled\":false,\"bucket\":\"\",\"region\":\"\",\"endpoint\":\"\",\"accessKey\":\"\","
		          "\"forcePathStyle\":false},\"meta\":{\"accentColor\":\"\",\"appName\":\"test123\",\"appURL\":\"\","
		          "\"senderName\":\"\",\"senderAddress\":\"\",\"hideControls\":false},\"rateLimits\":{\"rules\":[],"
		          "\"excludedIPs\":[],\"enabled\":false},\"trustedProxy\":{\"headers\":[],\"useLeftmostIP\":false},"
		          "\"batch\":{\"enabled\":false,\"maxRequests\":0,\"timeout\":0,\"maxBodySize\":0},\"logs\":{\"maxDays\":0,"
		          "\"minLevel\":0,\"logIP\":false,\"logAuthId\":false}}");
		free(text);
		json_decref(api);
		CHECK_STR(s->smtp.password, "test_secret"); /* masked in the view only */
	}
	pb_settings_unref(s);

	/* Go's string escaping in the stored bytes */
	s = stu_merge(d, "{\"meta\":{\"appName\":\"<b>&\\\"x\\u2028\\u0001\\b\\f\\t\\u007f\\u00e9\"}}", &err);
	CHECK(s != NULL);
	if (s) {
		char *dump = pb_settings_dump(s);
		CHECK(strstr(dump, "\"appName\":\"\\u003cb\\u003e\\u0026\\\"x\\u2028\\u0001\\b\\f\\t\x7f\xc3\xa9\"") != NULL);
		free(dump);
	}
	pb_settings_unref(s);
	pb_settings_unref(d);
}

/* json.Unmarshal details: case-insensitive keys, element-wise arrays, null, type errors. */
static void test_merge_semantics(void)
{
	struct pb_error err = PB_ERROR_INIT;
	struct pb_settings *d = pb_settings_new_defaults();

	struct pb_settings *s = stu_merge(d, "{\"META\":{\"APPNAME\":\"upper\"},\"logs\":{\"maxDay\\u017f\":9,"
	                                     "\"minlevel\":-4},\"ratelimits\":{\"ENABLED\":true}}",
	                                  &err);
	CHECK(s != NULL);
	if (s) {
		CHECK_STR(s->meta.app_name, "upper");
		CHECK(s->logs.max_days == 9 && s->logs.min_level == -4 && s->rate_limits.enabled);
	}
	pb_settings_unref(s);

	/* an exact and a case-folded key both apply, in document order (as Go decodes) */
	s = stu_merge(d, "{\"meta\":{\"appName\":\"exact\",\"APPNAME\":\"folded\"}}", &err);
	CHECK(s && strcmp(s->meta.app_name, "folded") == 0);
	pb_settings_unref(s);

	/* arrays decode onto the existing elements: rule 0 keeps its duration and maxRequests */
	s = stu_merge(d, "{\"rateLimits\":{\"rules\":[{\"label\":\"users:create\"},null,{\"label\":\"x\",\"audience\":"
	                 "\"@auth\"},{\"maxRequests\":7},{\"label\":\"new\"}]}}",
	              &err);
	CHECK(s != NULL);
	if (s) {
		const struct pb_settings_rules *r = &s->rate_limits.rules;
		CHECK(r->n == 5);
		if (r->n == 5) {
			CHECK_STR(r->items[0].label, "users:create");
			CHECK(r->items[0].duration == 3 && r->items[0].max_requests == 2);
			CHECK_STR(r->items[1].label, "*:create"); /* null element: unchanged */
			CHECK_STR(r->items[2].label, "x");
			CHECK_STR(r->items[2].audience, "@auth");
			CHECK(r->items[2].duration == 1 && r->items[2].max_requests == 3);
			CHECK_STR(r->items[3].label, "/api/");
			CHECK(r->items[3].max_requests == 7);
			CHECK_STR(r->items[4].label, "new");
			CHECK(r->items[4].duration == 0 && r->items[4].max_requests == 0);
		}
	}
	pb_settings_unref(s);

	/* shorter arrays drop the extra elements; null empties; strings lists likewise */
	s = stu_merge(d, "{\"rateLimits\":{\"rules\":[{\"label\":\"a\"}],\"excludedIPs\":[\"1.2.3.4\",\"::1\"]},"
	                 "\"trustedProxy\":{\"headers\":[\"X-Real-IP\"]},\"superuserIPs\":[\"10.0.0.0/8\"]}",
	              &err);
	CHECK(s != NULL);
	if (s) {
		CHECK(s->rate_limits.rules.n == 1 && s->rate_limits.excluded_ips.n == 2);
		CHECK(s->trusted_proxy.headers.n == 1 && s->superuser_ips.n == 1);
		if (s->trusted_proxy.headers.n == 1)
			CHECK_STR(s->trusted_proxy.headers.items[0], "X-Real-IP");
		struct pb_settings *t = stu_merge(s, "{\"rateLimits\":{\"rules\":null,\"excludedIPs\":[null,\"5.6.7.8\"]},"
		                                     "\"meta\":{\"appName\":null},\"superuserIPs\":[]}",
		                                  &err);
		CHECK(t != NULL);
		if (t) {
			CHECK(t->rate_limits.rules.n == 0 && t->superuser_ips.n == 0);
			CHECK(t->rate_limits.excluded_ips.n == 2);
			if (t->rate_limits.excluded_ips.n == 2) {
				CHECK_STR(t->rate_limits.excluded_ips.items[0], "1.2.3.4"); /* null element kept */
				CHECK_STR(t->rate_limits.excluded_ips.items[1], "5.6.7.8");
			}
			CHECK_STR(t->meta.app_name, "Acme");
			char *dump = pb_settings_dump(t);
			CHECK(strstr(dump, "\"rateLimits\":{\"rules\":[],\"excludedIPs\":[\"1.2.3.4\",\"5.6.7.8\"]") != NULL);
			CHECK(strncmp(dump, "{\"superuserIPs\":[],", 19) == 0);
			free(dump);
		}
		pb_settings_unref(t);
	}
	pb_settings_unref(s);

	/* a wrong type anywhere fails the bind (400, no field data) */
	const char *bad[] = {
		"{\"smtp\":{\"port\":\"25\"}}", "{\"smtp\":{\"port\":25.0}}", "{\"smtp\":{\"port\":1e2}}",
		"{\"superuserIPs\":[1]}",      "{\"meta\":\"x\"}",            "{\"meta\":{\"hideControls\":1}}",
		"{\"rateLimits\":{\"rules\":{}}}", "[]",                      "\"text\"",
		"{\"meta\":{\"appName\":\"ok\"},\"batch\":{\"enabled\":\"true\"}}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct pb_error e = PB_ERROR_INIT;
		struct pb_settings *x = stu_merge(d, bad[i], &e);
		CHECK(x == NULL);
		CHECK(e.status == 400 && e.data == NULL);
		CHECK_STR(e.message, "An error occurred while loading the submitted data.");
		pb_settings_unref(x);
		pb_error_clear(&e);
	}
	/* top-level null is no change */
	s = stu_merge(d, "null", &err);
	CHECK(s && strcmp(s->meta.app_name, "Acme") == 0);
	pb_settings_unref(s);
	pb_settings_unref(d);
}

/* PocketBase's tools/security test vector and ciphertexts made with encrypt.go. */
static const char go_ciphertext_256[] =
	"6kIpAqJTIEQF1OKLNfND+QY39D27eFiNJA3/7l24uqZ3M/ovMvlSbDaYSTrQvgyuB1Zqsus0Ro26kRo1LjlLtYsXPh8PX/A24qj4ck1mGuKZoA"
	"dX+15peh/JzWvpk+oyComgE0XtGN/9Jx5oLSK3aOpifUePirwtQmsRTiOOWA==";
static const char go_ciphertext_128[] = "mHqTo3elgzswYiMZ6BrLxCjIzTaDlC/Ygun3g3OBp1/SinZ+JyIRUvQ8uwcP4Y+55OPuU9Z9mGjs";
#define KEY32 "abcdabcdabcdabcdabcdabcdabcdabcd"

static void test_aesgcm(void)
{
	struct pb_error err = PB_ERROR_INIT;
	size_t n = 0;
	const char *vec = "8kcEqilvv+YKYcfnSr0aSC54gmnQCsB02SaB8ATlnA==";
	unsigned char *p = pb_aesgcm_decrypt(vec, strlen(vec), KEY32, &n, &err);
	CHECK(p && n == 3 && memcmp(p, "123", 3) == 0);
	free(p);
	const char *bad = "8kcEqilvvYKYcfnSr0aSC54gmnQCsB02SaB8ATlnA=="; /* illegal base64 (PocketBase test) */
	CHECK(pb_aesgcm_decrypt(bad, strlen(bad), KEY32, &n, &err) == NULL && err.status == 500);
	pb_error_clear(&err);
	CHECK(pb_aesgcm_decrypt(vec, strlen(vec), "test", &n, &err) == NULL);
	CHECK_STR(err.message, "crypto/aes: invalid key size 4");
	pb_error_clear(&err);
	CHECK(pb_aesgcm_encrypt("123", 3, "test", &err) == NULL);
	pb_error_clear(&err);
	CHECK(pb_aesgcm_decrypt("", 0, KEY32, &n, &err) == NULL);
	pb_error_clear(&err);
	/* wrong key: tag check fails */
	CHECK(pb_aesgcm_decrypt(vec, strlen(vec), "bbbdabcdabcdabcdabcdabcdabcdabcd", &n, &err) == NULL);
	pb_error_clear(&err);
	/* AES-128 from Go */
	p = pb_aesgcm_decrypt(go_ciphertext_128, strlen(go_ciphertext_128), "0123456789abcdef", &n, &err);
	CHECK(p && strcmp((char *)p, "{\"meta\":{\"appName\":\"aes128\"}}") == 0);
	free(p);
	/* round trip: 12-byte nonce + ciphertext + 16-byte tag, random nonce each time */
	char *c1 = pb_aesgcm_encrypt("hello", 5, KEY32, &err), *c2 = pb_aesgcm_encrypt("hello", 5, KEY32, &err);
	CHECK(c1 && c2 && strcmp(c1, c2) != 0 && strlen(c1) == (12 + 5 + 16 + 2) / 3 * 4);
	p = c1 ? pb_aesgcm_decrypt(c1, strlen(c1), KEY32, &n, &err) : NULL;
	CHECK(p && n == 5 && memcmp(p, "hello", 5) == 0);
	free(p);
	free(c1);
	free(c2);
}

static void test_encrypted_row(void)
{
	sqlite3 *db = stu_open_fixture();
	if (!db) {
		CHECK(0);
		return;
	}
	struct pb_error err = PB_ERROR_INIT;
	/* a row written by PocketBase with --encryptionEnv (TEXT base64) */
	CHECK(stu_exec(db, "UPDATE _params SET value = ?1 WHERE id = 'settings'", go_ciphertext_256) == SQLITE_DONE);
	struct pb_settings *s = pb_settings_load(db, KEY32, NULL, &err);
	CHECK(s != NULL);
	if (s) {
		CHECK_STR(s->meta.app_name, "encrypted_app");
		CHECK_STR(s->meta.sender_address, "enc@example.com");
		CHECK_STR(s->smtp.password, "s3cr3t");
		CHECK(!s->batch.enabled && s->batch.timeout == 3); /* the rest are the defaults */
	}
	/* without the key, or with another key */
	CHECK(pb_settings_load(db, NULL, NULL, &err) == NULL);
	CHECK_STR(err.message, "invalid settings db data or missing encryption key");
	pb_error_clear(&err);
	CHECK(pb_settings_load(db, "bbbdabcdabcdabcdabcdabcdabcdabcd", NULL, &err) == NULL && err.status == 500);
	pb_error_clear(&err);

	/* saving with a key stores TEXT that decrypts to the plain document */
	if (s) {
		CHECK(pb_settings_save(db, s, KEY32, &err) == 0);
		int type = 0;
		char *raw = stu_raw_value(db, &type);
		CHECK(type == SQLITE_TEXT && raw && !strstr(raw, "encrypted_app"));
		size_t n = 0;
		unsigned char *plain = raw ? pb_aesgcm_decrypt(raw, strlen(raw), KEY32, &n, &err) : NULL;
		char *dump = pb_settings_dump(s);
		CHECK(plain && strcmp((char *)plain, dump) == 0);
		free(plain);
		free(raw);
		struct pb_settings *r = pb_settings_load(db, KEY32, NULL, &err);
		char *rd = r ? pb_settings_dump(r) : NULL;
		CHECK_STR(rd, dump);
		free(rd);
		pb_settings_unref(r);
		/* a plain row still loads with a key set (decryption is only the fallback) */
		CHECK(pb_settings_save(db, s, NULL, &err) == 0);
		raw = stu_raw_value(db, &type);
		CHECK(type == SQLITE_BLOB && raw && strcmp(raw, dump) == 0);
		free(raw);
		r = pb_settings_load(db, KEY32, NULL, &err);
		CHECK(r && strcmp(r->meta.app_name, "encrypted_app") == 0);
		pb_settings_unref(r);
		free(dump);
		/* an invalid key size fails the save like Go's aes.NewCipher */
		CHECK(pb_settings_save(db, s, "short", &err) == -1);
		CHECK_STR(err.message, "crypto/aes: invalid key size 5");
		pb_error_clear(&err);
	}
	pb_settings_unref(s);

	/* settings_query_test: a partial document applies onto the defaults */
	CHECK(stu_exec(db, "UPDATE _params SET value = ?1 WHERE id = 'settings'",
	               "{\"meta\": {\"appName\":\"test_name_after_update\"}}") == SQLITE_DONE);
	s = pb_settings_load(db, NULL, NULL, &err);
	CHECK(s && strcmp(s->meta.app_name, "test_name_after_update") == 0 && s->backups.cron_max_keep == 3);
	pb_settings_unref(s);
	/* syntactically valid JSON with a wrong type is invalid data */
	CHECK(stu_exec(db, "UPDATE _params SET value = ?1 WHERE id = 'settings'", "{\"smtp\":{\"port\":\"x\"}}") ==
	      SQLITE_DONE);
	CHECK(pb_settings_load(db, NULL, NULL, &err) == NULL);
	pb_error_clear(&err);
	stu_cleanup(db);
}

static void test_missing_row(void)
{
	sqlite3 *db = stu_open_fixture();
	if (!db) {
		CHECK(0);
		return;
	}
	struct pb_error err = PB_ERROR_INIT;
	CHECK(stu_exec(db, "DELETE FROM _params", NULL) == SQLITE_DONE);
	bool missing = false;
	struct pb_settings *s = pb_settings_load(db, NULL, &missing, &err);
	CHECK(s != NULL && missing);
	if (s) {
		CHECK_STR(s->meta.app_name, "Acme");
		CHECK(pb_settings_save(db, s, NULL, &err) == 0);
		int type = 0;
		char *raw = stu_raw_value(db, &type);
		CHECK(type == SQLITE_BLOB);
		CHECK_STR(raw, pb_settings_defaults_json());
		free(raw);
		sqlite3_stmt *st = NULL;
		sqlite3_prepare_v2(db, "SELECT created = updated AND length(created) = 24 FROM _params", -1, &st, NULL);
		CHECK(sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 1);
		sqlite3_finalize(st);
		struct pb_settings *r = pb_settings_load(db, NULL, &missing, &err);
		CHECK(r != NULL && !missing);
		pb_settings_unref(r);
	}
	pb_settings_unref(s);
	stu_cleanup(db);
}

/* TestRateLimitsFindRateLimitRule */
static void test_find_rule(void)
{
	struct pb_error err = PB_ERROR_INIT;
	struct pb_settings *d = pb_settings_new_defaults();
	struct pb_settings *s = stu_merge(
		d,
		"{\"rateLimits\":{\"rules\":[{\"label\":\"abc\",\"audience\":\"\",\"duration\":0,\"maxRequests\":0},"
		"{\"label\":\"def\",\"audience\":\"@guest\"},{\"label\":\"/test/a\",\"audience\":\"@guest\"},"
		"{\"label\":\"POST /test/a\",\"audience\":\"\"},{\"label\":\"/test/a/\",\"audience\":\"@auth\"},"
		"{\"label\":\"POST /test/a/\",\"audience\":\"\"}]}}",
		&err);
	CHECK(s != NULL);
	if (!s) {
		pb_settings_unref(d);
		return;
	}
	static const struct {
		const char *labels[2];
		size_t nlabels;
		const char *audience; /* NULL = any */
		const char *expected; /* NULL = no rule */
	} cases[] = {
		{{NULL}, 0, NULL, NULL},
		{{"missing"}, 1, NULL, NULL},
		{{"abc"}, 1, NULL, "abc"},
		{{"abc"}, 1, "@guest", NULL},
		{{"abc"}, 1, "@auth", NULL},
		{{"def"}, 1, "@guest", "def"},
		{{"def"}, 1, "@auth", NULL},
		{{"/test"}, 1, NULL, NULL},
		{{"/test/a"}, 1, NULL, "/test/a"},
		{{"/test/a"}, 1, "@auth", "/test/a/"},
		{{"/test/a"}, 1, "@guest", "/test/a"},
		{{"GET /test/a"}, 1, NULL, NULL},
		{{"POST /test/a"}, 1, NULL, "POST /test/a"},
		{{"/test/a/b/c"}, 1, NULL, "/test/a/"},
		{{"/test/a/b/c"}, 1, "@auth", "/test/a/"},
		{{"/test/a/b/c"}, 1, "@guest", NULL},
		{{"GET /test/a/b/c"}, 1, NULL, NULL},
		{{"POST /test/a/b/c"}, 1, NULL, "POST /test/a/"},
		{{"/test/a", "abc"}, 2, NULL, "/test/a"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *aud[1] = {cases[i].audience};
		const struct pb_settings_rate_limit_rule *r =
			pb_settings_find_rate_limit_rule(s, cases[i].labels, cases[i].nlabels, aud, cases[i].audience ? 1 : 0);
		if (cases[i].expected)
			CHECK(r && strcmp(r->label, cases[i].expected) == 0);
		else
			CHECK(r == NULL);
	}
	/* the defaults: "/api/" catches every API path, "*:auth" the auth tags */
	const char *l1[] = {"users:auth", "*:auth", "POST /api/collections/users/auth-with-password",
	                    "/api/collections/users/auth-with-password"};
	const struct pb_settings_rate_limit_rule *r = pb_settings_find_rate_limit_rule(d, l1, 4, NULL, 0);
	CHECK(r && strcmp(r->label, "*:auth") == 0);
	const char *l2[] = {"GET /api/health", "/api/health"};
	r = pb_settings_find_rate_limit_rule(d, l2, 2, NULL, 0);
	CHECK(r && strcmp(r->label, "/api/") == 0);
	pb_settings_unref(s);
	pb_settings_unref(d);
}

static void test_rename_and_publish(void)
{
	struct pb_error err = PB_ERROR_INIT;
	struct pb_settings *d = pb_settings_new_defaults();
	struct pb_settings *s = stu_merge(d, "{\"rateLimits\":{\"rules\":[{\"label\":\"users:create\"},{\"label\":\"*:auth\"},"
	                                     "{\"label\":\"users_x:list\"},{\"label\":\"users:auth\"}]}}",
	                                  &err);
	CHECK(s != NULL);
	if (s) {
		struct pb_settings *r = pb_settings_rename_collection(s, "users", "members");
		CHECK(r != NULL);
		if (r) {
			CHECK_STR(r->rate_limits.rules.items[0].label, "members:create");
			CHECK_STR(r->rate_limits.rules.items[1].label, "*:auth");
			CHECK_STR(r->rate_limits.rules.items[2].label, "users_x:list");
			CHECK_STR(r->rate_limits.rules.items[3].label, "members:auth");
			CHECK_STR(s->rate_limits.rules.items[0].label, "users:create");
			const json_t *doc = pb_settings_json(r);
			const json_t *label = json_object_get(
				json_array_get(json_object_get(json_object_get(doc, "rateLimits"), "rules"), 0), "label");
			CHECK_STR(json_string_value(label), "members:create");
		}
		pb_settings_unref(r);
		CHECK(pb_settings_rename_collection(s, "posts", "articles") == NULL);
	}
	/* publish / current */
	CHECK(pb_settings_current() == NULL);
	pb_settings_publish(pb_settings_ref(d));
	struct pb_settings *c = pb_settings_current();
	CHECK(c == d && d->refcount == 3);
	pb_settings_unref(c);
	pb_settings_publish(NULL);
	CHECK(d->refcount == 1 && pb_settings_current() == NULL);
	pb_settings_unref(s);
	pb_settings_unref(d);
}

static void test_encryption_key_env(void)
{
	CHECK(pb_settings_encryption_key(NULL) == NULL);
	CHECK(pb_settings_encryption_key("") == NULL);
	setenv("POCKETC_TEST_ENC", "", 1);
	CHECK(pb_settings_encryption_key("POCKETC_TEST_ENC") == NULL);
	setenv("POCKETC_TEST_ENC", KEY32, 1);
	CHECK_STR(pb_settings_encryption_key("POCKETC_TEST_ENC"), KEY32);
	unsetenv("POCKETC_TEST_ENC");
	CHECK(pb_settings_encryption_key("POCKETC_TEST_ENC") == NULL);
}

/* pb_app_bootstrap publishes the stored settings (ReloadSettings at start). */
static void test_app_bootstrap(void)
{
	sqlite3 *db = stu_open_fixture();
	if (!db) {
		CHECK(0);
		return;
	}
	sqlite3_close(db);
	struct pb_config cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.dir = stu_dir;
	struct pb_app app;
	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_app_bootstrap(&app, &cfg, &err) == 0);
	struct pb_settings *s = pb_settings_current();
	CHECK(s && strcmp(s->meta.app_name, "acme_test") == 0);
	pb_settings_unref(s);
	pb_app_close(&app);
	CHECK(pb_settings_current() == NULL);
	stu_cleanup(NULL);
}

int main(void)
{
	test_defaults();
	test_fixture_load();
	test_patch_secrets();
	test_go_encoding();
	test_merge_semantics();
	test_aesgcm();
	test_encrypted_row();
	test_missing_row();
	test_find_rule();
	test_rename_and_publish();
	test_encryption_key_env();
	test_app_bootstrap();
	TEST_DONE();
}
