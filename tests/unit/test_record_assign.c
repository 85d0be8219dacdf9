/* test_record_assign — request body → record on the fixture's collections (a temp copy of
 * PocketBase's test pb_data): modifier keys in key-length order and the resolved @request.body,
 * ignored autodates and unknown keys, hidden fields, uploads merging, the auth form rules,
 * whole-record validation with PocketBase's error map, the database checks, save-time rules,
 * and the INSERT/UPDATE round trip. */
#include "collections/record_assign.h"
#include "collections/record_json.h"
#include "collections/record_validate.h"
#include "collections/record_write.h"
#include "collections/schema.h"
#include "collections/field_cast.h"
#include "core/password.h"
#include "core/stmt_cache.h"
#include "tests/unit/test.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static sqlite3 *db;
static struct pb_stmt_cache stmts; /* over db */
static struct pb_schema *schema;

static const char *js(const json_t *v)
{
	static char out[8192];
	char *s = pb_go_json_marshal(v, false);
	snprintf(out, sizeof out, "%s", s);
	free(s);
	return out;
}

static const char *field_js(const struct pb_record_form *f, const char *name)
{
	return js(json_object_get(f->record, name));
}

/* the stored record as record_assign expects it */
static json_t *load(const struct pb_collection *c, const char *id)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT * FROM `%s` WHERE id = ?1", c->name);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	json_t *r = NULL;
	if (sqlite3_step(st) == SQLITE_ROW) {
		int *map = pb_record_colmap(c, st);
		struct pb_record_export x = {.show_hidden = true, .show_email = true, .keep_secrets = true, .no_collection_keys = true};
		r = pb_record_from_row(c, st, map, &x);
		free(map);
	}
	sqlite3_finalize(st);
	return r;
}

static json_t *body(const char *text) { return json_loads(text, 0, NULL); }

static struct pb_error err = PB_ERROR_INIT;

static void modifiers_and_resolved_body(void)
{
	const struct pb_collection *c = pb_schema_find(schema, "demo1");
	struct pb_record_form f;
	pb_record_form_init(&f, c, NULL);
	CHECK_STR(field_js(&f, "id"), "\"\"");
	json_t *b = body("{\"number+\":4,\"number-\":1,\"number\":\"10\",\"select_many+\":[\"optionB\"],"
	                 "\"+select_many\":\"optionC\",\"select_many\":\"optionA\",\"created\":\"2020-01-01 00:00:00.000Z\","
	                 "\"foo\":\"bar\",\"text:autogenerate\":\"x\",\"bool\":\"true\",\"json\":\"123\",\"point\":{\"lat\":5}}");
	json_t *resolved = pb_record_form_assign(&f, b);
	CHECK_STR(field_js(&f, "number"), "13");
	CHECK_STR(field_js(&f, "select_many"), "[\"optionC\",\"optionA\",\"optionB\"]");
	CHECK_STR(field_js(&f, "created"), "\"\"");
	CHECK_STR(field_js(&f, "text"), "\"x\""); /* no autogeneratePattern: just the prefix */
	CHECK_STR(field_js(&f, "bool"), "true");
	CHECK_STR(field_js(&f, "json"), "123");
	CHECK_STR(js(resolved), "{\"foo\":\"bar\",\"bool\":true,\"json\":123,\"point\":{\"lon\":0,\"lat\":5},\"number\":13,"
	                        "\"created\":\"\",\"select_many\":[\"optionC\",\"optionA\",\"optionB\"],\"text\":\"x\"}");
	json_decref(resolved);
	json_decref(b);
	pb_record_form_deinit(&f);

	/* update: modifiers start from the stored value */
	json_t *stored = load(c, "al1h9ijdeojtsjy");
	CHECK(stored != NULL);
	pb_record_form_init(&f, c, stored);
	b = body("{\"rel_many-\":[\"4q1xlclmfloku33\"],\"+rel_many\":\"zzzzzzzzzzzzzzz\",\"rel_one\":[\"a\",\"b\"]}");
	resolved = pb_record_form_assign(&f, b);
	/* "+rel_many" and "rel_many-" have the same length: body order */
	CHECK_STR(field_js(&f, "rel_many"), "[\"zzzzzzzzzzzzzzz\",\"bgs820n361vj1qd\",\"oap640cot4yru2s\"]");
	CHECK_STR(field_js(&f, "rel_one"), "\"b\"");
	CHECK_STR(js(resolved), "{\"rel_one\":\"b\",\"rel_many\":[\"zzzzzzzzzzzzzzz\",\"bgs820n361vj1qd\",\"oap640cot4yru2s\"]}");
	/* validation lists the relation checks; the writer runs them: one id does not exist */
	json_t *checks = json_array();
	CHECK(pb_record_form_validate(&f, checks, NULL, &err) == 0);
	CHECK_STR(js(checks), "[{\"kind\":\"relation\",\"field\":\"rel_one\",\"collectionId\":\"wsmn24bux7wo113\",\"ids\":[\"b\"]},"
	                      "{\"kind\":\"relation\",\"field\":\"rel_many\",\"collectionId\":\"_pb_users_auth_\",\"ids\":[\"zzzzzzzzzzzzzzz\",\"bgs820n361vj1qd\",\"oap640cot4yru2s\"]}]");
	CHECK(pb_record_run_checks(&stmts, schema, checks, "Failed to update record.", &err) == -1);
	CHECK(err.status == 400 && !strcmp(err.message, "Failed to update record."));
	CHECK_STR(js(err.data), "{\"rel_one\":{\"code\":\"validation_missing_rel_records\",\"message\":\"Failed to find all relation records with the provided ids.\"},"
	                        "\"rel_many\":{\"code\":\"validation_missing_rel_records\",\"message\":\"Failed to find all relation records with the provided ids.\"}}");
	pb_error_clear(&err);
	json_array_clear(checks);
	json_t *ok_ids = body("{\"rel_one\":\"84nmscqy84lsi1t\",\"rel_many\":[\"4q1xlclmfloku33\",\"oap640cot4yru2s\"]}");
	json_decref(pb_record_form_assign(&f, ok_ids));
	CHECK(pb_record_form_validate(&f, checks, NULL, &err) == 0);
	CHECK(pb_record_run_checks(&stmts, schema, checks, NULL, &err) == 0);
	json_decref(ok_ids);
	json_decref(checks);
	json_decref(resolved);
	json_decref(b);
	pb_record_form_deinit(&f);
	json_decref(stored);
}

/* a new demo2 record: id generated, title checked, PocketBase's error shape */
static void validation_map(void)
{
	const struct pb_collection *c = pb_schema_find(schema, "demo2");
	struct pb_record_form f;
	pb_record_form_init(&f, c, NULL);
	json_t *b = body("{\"title\":\"a\",\"active\":1}");
	json_decref(pb_record_form_assign(&f, b));
	CHECK(pb_record_form_validate(&f, NULL, NULL, &err) == -1);
	CHECK(err.status == 400 && !strcmp(err.message, "Failed to create record."));
	CHECK_STR(js(err.data), "{\"title\":{\"code\":\"validation_min_text_constraint\",\"message\":\"Must be at least 2 character(s).\",\"params\":{\"min\":2}}}");
	pb_error_clear(&err);
	const char *id = json_string_value(json_object_get(f.record, "id"));
	CHECK(id && strlen(id) == 15 && strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789") == 15);
	CHECK_STR(field_js(&f, "active"), "true");
	json_decref(b);
	/* a custom id is kept; changing it on update is refused */
	b = body("{\"id\":\"myownid12345678\",\"title\":\"ok\"}");
	pb_record_form_deinit(&f);
	pb_record_form_init(&f, c, NULL);
	json_decref(pb_record_form_assign(&f, b));
	CHECK(pb_record_form_validate(&f, NULL, NULL, &err) == 0);
	CHECK_STR(field_js(&f, "id"), "\"myownid12345678\"");
	json_decref(b);
	pb_record_form_deinit(&f);
	json_t *stored = load(c, "0yxhwia2amd8gec");
	if (!stored) {
		sqlite3_stmt *st;
		sqlite3_prepare_v2(db, "SELECT id FROM demo2 LIMIT 1", -1, &st, NULL);
		sqlite3_step(st);
		stored = load(c, (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	CHECK(stored != NULL);
	pb_record_form_init(&f, c, stored);
	b = body("{\"id\":\"changedid123456\"}");
	json_decref(pb_record_form_assign(&f, b));
	CHECK(pb_record_form_validate(&f, NULL, NULL, &err) == -1);
	CHECK(!strcmp(err.message, "Failed to update record."));
	CHECK_STR(js(err.data), "{\"id\":{\"code\":\"validation_pk_change\",\"message\":\"The record primary key cannot be changed.\"}}");
	pb_error_clear(&err);
	json_decref(b);
	json_decref(stored);
	pb_record_form_deinit(&f);
}

static void hidden_and_auth_form(void)
{
	const struct pb_collection *c = pb_schema_find(schema, "users");
	/* create as a guest: tokenKey (hidden) dropped, password (hidden, auth) kept as plain text */
	struct pb_record_form f;
	pb_record_form_init(&f, c, NULL);
	json_t *b = body("{\"email\":\"new@example.com\",\"password\":\"12345678\",\"passwordConfirm\":\"1234567\","
	                 "\"tokenKey\":\"mine\",\"verified\":true,\"username\":\"newuser\"}");
	json_t *resolved = pb_record_form_assign(&f, b);
	CHECK_STR(js(resolved), "{\"passwordConfirm\":\"1234567\",\"email\":\"new@example.com\",\"password\":\"12345678\","
	                        "\"verified\":true,\"username\":\"newuser\"}");
	CHECK_STR(field_js(&f, "tokenKey"), "\"\"");
	CHECK_STR(js(f.plain), "{\"password\":\"12345678\"}");
	CHECK(pb_record_form_validate_auth(&f, NULL, &err) == -1);
	CHECK_STR(js(err.data), "{\"verified\":{\"code\":\"validation_values_mismatch\",\"message\":\"Values don't match.\"},"
	                        "\"passwordConfirm\":{\"code\":\"validation_values_mismatch\",\"message\":\"Values don't match.\"}}");
	pb_error_clear(&err);
	/* a manager may set verified */
	pb_record_form_grant(&f, PB_ACCESS_MANAGER);
	free(f.password_confirm);
	f.password_confirm = strdup("12345678");
	CHECK(pb_record_form_validate_auth(&f, NULL, &err) == 0);
	CHECK(pb_record_form_validate(&f, NULL, NULL, &err) == 0);
	const char *tk = json_string_value(json_object_get(f.record, "tokenKey"));
	CHECK(tk && strlen(tk) == 50);
	json_decref(resolved);
	json_decref(b);
	pb_record_form_deinit(&f);

	/* create without a password */
	pb_record_form_init(&f, c, NULL);
	b = body("{\"email\":\"x@example.com\"}");
	json_decref(pb_record_form_assign(&f, b));
	CHECK(pb_record_form_validate_auth(&f, NULL, &err) == -1);
	CHECK_STR(js(err.data), "{\"password\":{\"code\":\"validation_required\",\"message\":\"Cannot be blank.\"},"
	                        "\"passwordConfirm\":{\"code\":\"validation_required\",\"message\":\"Cannot be blank.\"}}");
	pb_error_clear(&err);
	json_decref(b);
	pb_record_form_deinit(&f);

	/* a superuser may set hidden fields */
	pb_record_form_init(&f, c, NULL);
	pb_record_form_grant(&f, PB_ACCESS_SUPERUSER);
	b = body("{\"tokenKey\":\"abcdefghijabcdefghijabcdefghij\"}");
	json_decref(pb_record_form_assign(&f, b));
	CHECK_STR(field_js(&f, "tokenKey"), "\"abcdefghijabcdefghijabcdefghij\"");
	json_decref(b);
	pb_record_form_deinit(&f);

	/* update by the owner (no manager access): email change refused, password needs oldPassword */
	json_t *stored = load(c, "4q1xlclmfloku33");
	CHECK(stored != NULL);
	pb_record_form_init(&f, c, stored);
	b = body("{\"email\":\"changed@example.com\",\"password\":\"abcdefgh\",\"passwordConfirm\":\"abcdefgh\"}");
	json_decref(pb_record_form_assign(&f, b));
	CHECK(!pb_record_form_needs_bcrypt(&f));
	CHECK(pb_record_form_validate_auth(&f, NULL, &err) == -1);
	CHECK(!strcmp(err.message, "Failed to update record."));
	CHECK_STR(js(err.data), "{\"email\":{\"code\":\"validation_values_mismatch\",\"message\":\"Values don't match.\"},"
	                        "\"oldPassword\":{\"code\":\"validation_required\",\"message\":\"Cannot be blank.\"}}");
	pb_error_clear(&err);
	json_decref(b);
	b = body("{\"password\":\"abcdefgh\",\"passwordConfirm\":\"abcdefgh\",\"oldPassword\":\"wrong\"}");
	pb_record_form_deinit(&f);
	pb_record_form_init(&f, c, stored);
	json_decref(pb_record_form_assign(&f, b));
	CHECK(pb_record_form_needs_bcrypt(&f));
	CHECK(pb_record_form_validate_auth(&f, NULL, &err) == -1);
	CHECK_STR(js(err.data), "{\"oldPassword\":{\"code\":\"validation_invalid_old_password\",\"message\":\"Missing or invalid old password.\"}}");
	pb_error_clear(&err);
	free(f.old_password);
	f.old_password = strdup("1234567890");
	CHECK(pb_record_form_validate_auth(&f, NULL, &err) == 0);
	/* save-time: new hash, tokenKey renewed, updated stamped */
	const char *old_tk = json_string_value(json_object_get(stored, "tokenKey"));
	CHECK(pb_record_form_prepare_write(&f, 1714557600123LL, &err) == 0);
	const char *hash = json_string_value(json_object_get(f.record, "password"));
	CHECK(hash && !strncmp(hash, "$2a$10$", 7) && pb_password_verify("abcdefgh", hash));
	CHECK(json_object_size(f.plain) == 0);
	tk = json_string_value(json_object_get(f.record, "tokenKey"));
	CHECK(tk && old_tk && strlen(tk) == 50 && strcmp(tk, old_tk) != 0);
	CHECK_STR(field_js(&f, "updated"), "\"2024-05-01 10:00:00.123Z\"");
	CHECK(!strcmp(field_js(&f, "created"), js(json_object_get(stored, "created"))));
	json_decref(b);
	pb_record_form_deinit(&f);
	json_decref(stored);

	/* unique index violations map onto fields */
	CHECK(pb_record_unique_error(c, "UNIQUE constraint failed: users.email", NULL, &err) == -1);
	CHECK_STR(js(err.data), "{\"email\":{\"code\":\"validation_not_unique\",\"message\":\"Value must be unique.\"}}");
	pb_error_clear(&err);
	CHECK(pb_record_unique_error(c, "NOT NULL constraint failed: users.email", NULL, &err) == 0 && !err.data);
	/* an auth id taken in another auth collection */
	CHECK(pb_record_check_auth_id(&stmts, schema, pb_schema_find(schema, "nologin"), "4q1xlclmfloku33", NULL, &err) == -1);
	CHECK_STR(js(err.data), "{\"id\":{\"code\":\"validation_invalid_auth_id\",\"message\":\"Invalid or duplicated auth record id.\"}}");
	pb_error_clear(&err);
	CHECK(pb_record_check_auth_id(&stmts, schema, c, "4q1xlclmfloku33", NULL, &err) == 0);
}

static void uploads(void)
{
	const struct pb_collection *c = pb_schema_find(schema, "users");
	json_t *stored = load(c, "oap640cot4yru2s"); /* file: ["test_kfd2wYLxkz.txt"] */
	struct pb_record_form f;
	pb_record_form_init(&f, c, stored);
	pb_record_form_grant(&f, PB_ACCESS_SUPERUSER);
	CHECK(pb_record_form_add_upload(&f, "file", "new_abcdefghij.txt", "new.txt", 5, "text/plain", &err) == 0);
	CHECK(pb_record_form_add_upload(&f, "name", "x", "x", 1, "", &err) == -1);
	pb_error_clear(&err);
	/* plain key: the submitted names are kept and the uploads appended */
	json_t *b = body("{\"file\":[\"test_kfd2wYLxkz.txt\"]}");
	json_t *resolved = pb_record_form_assign(&f, b);
	CHECK_STR(field_js(&f, "file"), "[\"test_kfd2wYLxkz.txt\",\"new_abcdefghij.txt\"]");
	CHECK_STR(js(json_object_get(resolved, "file")), "[\"test_kfd2wYLxkz.txt\",\"new_abcdefghij.txt\"]");
	CHECK_STR(js(pb_record_form_field_uploads(&f, "file")), "[{\"name\":\"new_abcdefghij.txt\",\"originalName\":\"new.txt\",\"size\":5,\"mime\":\"text/plain\"}]");
	CHECK(pb_record_form_validate(&f, NULL, NULL, &err) == 0);
	json_decref(resolved);
	json_decref(b);
	pb_record_form_deinit(&f);
	/* only new files under the plain key replace the set; f- removes by name */
	pb_record_form_init(&f, c, stored);
	pb_record_form_add_upload(&f, "file", "only_abcdefghij.txt", "only.txt", 5, "text/plain", &err);
	json_decref(pb_record_form_assign(&f, NULL));
	CHECK_STR(field_js(&f, "file"), "[\"only_abcdefghij.txt\"]");
	pb_record_form_deinit(&f);
	pb_record_form_init(&f, c, stored);
	pb_record_form_add_upload(&f, "file+", "more_abcdefghij.txt", "more.txt", 5, "text/plain", &err);
	b = body("{\"file-\":\"test_kfd2wYLxkz.txt\"}");
	json_decref(pb_record_form_assign(&f, b));
	CHECK_STR(field_js(&f, "file"), "[\"more_abcdefghij.txt\"]");
	json_decref(b);
	/* an unknown existing name is refused */
	b = body("{\"file\":[\"nope.txt\"]}");
	pb_record_form_deinit(&f);
	pb_record_form_init(&f, c, stored);
	json_decref(pb_record_form_assign(&f, b));
	CHECK(pb_record_form_validate(&f, NULL, NULL, &err) == -1);
	CHECK_STR(js(err.data), "{\"file\":{\"code\":\"validation_invalid_file\",\"message\":\"Invalid new files: [nope.txt].\",\"params\":{\"invalidFiles\":[\"nope.txt\"]}}}");
	pb_error_clear(&err);
	json_decref(b);
	pb_record_form_deinit(&f);
	json_decref(stored);
}

/* The INSERT and UPDATE texts kept on each collection are the ones built for it, and a
 * shallow copy under another name gets its own (not the kept ones). */
static void statement_texts(void)
{
	for (size_t i = 0; i < schema->ncollections; i++) {
		const struct pb_collection *c = schema->collections[i];
		struct pb_collection copy = *c;
		char *same_name = strdup(c->name);
		copy.name = same_name; /* another pointer: the builder runs */
		for (int update = 0; update < 2; update++) {
			struct pb_strbuf kept = PB_STRBUF_INIT, built = PB_STRBUF_INIT;
			(update ? pb_record_update_sql : pb_record_insert_sql)(c, &kept);
			(update ? pb_record_update_sql : pb_record_insert_sql)(&copy, &built);
			CHECK(kept.len > 0 && (update ? c->update_sql : c->insert_sql) != NULL);
			CHECK_STR(pb_strbuf_cstr(&kept), pb_strbuf_cstr(&built));
			pb_strbuf_deinit(&kept);
			pb_strbuf_deinit(&built);
		}
		copy.name = "renamed";
		struct pb_strbuf renamed = PB_STRBUF_INIT;
		pb_record_insert_sql(&copy, &renamed);
		CHECK(!strncmp(pb_strbuf_cstr(&renamed), "INSERT INTO `renamed` (", 23));
		pb_strbuf_deinit(&renamed);
		free(same_name);
	}
}

/* create → INSERT, read back; update → UPDATE */
static void write_round_trip(void)
{
	const struct pb_collection *c = pb_schema_find(schema, "demo1");
	struct pb_record_form f;
	pb_record_form_init(&f, c, NULL);
	json_t *b = body("{\"id\":\"roundtrip000001\",\"text\":\"hi\",\"bool\":true,\"number\":2.5,\"select_many\":[\"optionA\"],"
	                 "\"json\":{\"b\":1,\"a\":[true]},\"point\":{\"lon\":1.5,\"lat\":2},\"datetime\":\"2024-01-02\"}");
	json_decref(pb_record_form_assign(&f, b));
	CHECK(pb_record_form_validate(&f, NULL, NULL, &err) == 0);
	CHECK(pb_record_form_prepare_write(&f, 1700000000000LL, &err) == 0);
	struct pb_strbuf sql = PB_STRBUF_INIT;
	pb_record_insert_sql(c, &sql);
	CHECK(!strncmp(pb_strbuf_cstr(&sql), "INSERT INTO `demo1` (`id`, `text`, `bool`, `url`, ", 50));
	struct pb_query q;
	pb_query_init(&q);
	CHECK(pb_record_bind(c, f.record, &q) == 1 && q.nbinds == c->nfields);
	sqlite3_stmt *st;
	CHECK(sqlite3_prepare_v2(db, pb_strbuf_cstr(&sql), -1, &st, NULL) == SQLITE_OK);
	CHECK(pb_query_bind_all(&q, st) == SQLITE_OK);
	CHECK(sqlite3_step(st) == SQLITE_DONE);
	sqlite3_finalize(st);
	pb_query_deinit(&q);
	json_t *back = load(c, "roundtrip000001");
	CHECK(back != NULL);
	CHECK_STR(js(back), js(f.record)); /* what was written reads back identically */
	CHECK_STR(js(json_object_get(back, "created")), "\"2023-11-14 22:13:20.000Z\"");
	CHECK_STR(js(json_object_get(back, "json")), "{\"a\":[true],\"b\":1}");
	sqlite3_prepare_v2(db, "SELECT typeof(bool), bool, typeof(json), json, point, select_many FROM demo1 WHERE id='roundtrip000001'", -1, &st, NULL);
	CHECK(sqlite3_step(st) == SQLITE_ROW);
	CHECK_STR((const char *)sqlite3_column_text(st, 0), "integer");
	CHECK_STR((const char *)sqlite3_column_text(st, 3), "{\"a\":[true],\"b\":1}");
	CHECK_STR((const char *)sqlite3_column_text(st, 4), "{\"lon\":1.5,\"lat\":2}");
	CHECK_STR((const char *)sqlite3_column_text(st, 5), "[\"optionA\"]");
	sqlite3_finalize(st);
	pb_record_form_deinit(&f);
	json_decref(b);

	/* update: all columns written, WHERE on the stored id */
	pb_record_form_init(&f, c, back);
	b = body("{\"number+\":1,\"json\":null}");
	json_decref(pb_record_form_assign(&f, b));
	CHECK(pb_record_form_prepare_write(&f, 1700000001000LL, &err) == 0);
	pb_strbuf_reset(&sql);
	pb_record_update_sql(c, &sql);
	pb_query_init(&q);
	pb_record_bind(c, f.record, &q);
	pb_query_bind_text(&q, "roundtrip000001", 15);
	CHECK(sqlite3_prepare_v2(db, pb_strbuf_cstr(&sql), -1, &st, NULL) == SQLITE_OK);
	pb_query_bind_all(&q, st);
	CHECK(sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(db) == 1);
	sqlite3_finalize(st);
	pb_query_deinit(&q);
	json_t *again = load(c, "roundtrip000001");
	CHECK_STR(js(json_object_get(again, "number")), "3.5");
	CHECK_STR(js(json_object_get(again, "json")), "null");
	CHECK_STR(js(json_object_get(again, "updated")), "\"2023-11-14 22:13:21.000Z\"");
	CHECK_STR(js(json_object_get(again, "created")), "\"2023-11-14 22:13:20.000Z\"");
	json_decref(again);
	json_decref(back);
	json_decref(b);
	pb_record_form_deinit(&f);
	pb_strbuf_deinit(&sql);

	struct pb_strbuf col = PB_STRBUF_INIT;
	pb_field_column_sql(pb_collection_field(c, "select_many"), &col);
	CHECK_STR(pb_strbuf_cstr(&col), "`select_many` JSON DEFAULT '[]' NOT NULL");
	pb_strbuf_deinit(&col);
}

int main(void)
{
	const char *fixture = getenv("POCKETC_FIXTURE");
	CHECK(fixture != NULL);
	if (!fixture)
		TEST_DONE();
	char tmpl[] = "/tmp/pocketc_assign_XXXXXX";
	char *dir = mkdtemp(tmpl);
	char cmd[1024], path[600];
	snprintf(cmd, sizeof cmd, "cp '%s/data.db' '%s/data.db'", fixture, dir);
	CHECK(system(cmd) == 0);
	snprintf(path, sizeof path, "%s/data.db", dir);
	CHECK(sqlite3_open(path, &db) == SQLITE_OK);
	pb_stmt_cache_init(&stmts, db);
	schema = pb_schema_load(db, &err);
	CHECK(schema != NULL);

	modifiers_and_resolved_body();
	validation_map();
	hidden_and_auth_form();
	uploads();
	write_round_trip();
	statement_texts();

	pb_schema_unref(schema);
	pb_stmt_cache_deinit(&stmts);
	sqlite3_close(db);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
	TEST_DONE();
}
