/* test_collection_sync — the collection writer jobs on a copy of PocketBase's fixture, checked
 * against sqlite_master and the table contents after every change: create (exact CREATE TABLE
 * and index DDL as PocketBase writes it), field rename / swap / add / drop with data, the
 * single↔multiple conversions of PocketBase's TestSingleVsMultipleValuesNormalization,
 * collection rename, delete (system, referenced, view dependency), truncate and import. */
#include <stdlib.h>

#include "collection_test_util.h"
#include "collections/collection_save.h"
#include "core/crc32.h"
#include "core/settings.h"
#include "core/writer.h"
#include "tests/unit/test.h"

/* Runs one job synchronously like the writer would, then its completion; returns rc and
 * leaves the error (message + data as JSON) in *msg (malloc'd) when it failed. */
static int job(struct ctu *t, pb_write_fn fn, const char *body_json, const char *target, char **msg)
{
	struct pb_collection_save s;
	pb_collection_save_init(&s);
	json_t *body = body_json ? json_loads(body_json, 0, NULL) : NULL;
	if (body_json && !body)
		fprintf(stderr, "bad test json: %s\n", body_json);
	if (fn == pb_collections_import_run) {
		s.import = json_object_get(body, "collections");
		s.delete_missing = json_is_true(json_object_get(body, "deleteMissing"));
	} else {
		s.body = body;
	}
	s.target = target;
	char storage[300];
	snprintf(storage, sizeof storage, "%s/storage", ftu_dir);
	s.storage_dir = storage;
	struct pb_request_info su = {.superuser = true};
	s.req = &su;
	struct pb_error err = PB_ERROR_INIT;
	int rc = pb_writer_run_once(t->db, fn, &s, &err);
	pb_collection_save_finish(&s, rc);
	if (msg) {
		char *data = err.data ? json_dumps(err.data, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
		struct pb_strbuf b = PB_STRBUF_INIT;
		pb_strbuf_printf(&b, "%d %s %s", err.status, err.message, data ? data : "{}");
		free(data);
		*msg = pb_strbuf_steal(&b);
	}
	if (rc != 0 && !msg)
		fprintf(stderr, "job failed: %d %s\n", err.status, err.message);
	pb_error_clear(&err);
	pb_collection_save_deinit(&s);
	json_decref(body);
	ctu_reload(t);
	return rc;
}

static void check_ddl(struct ctu *t, const char *name, const char *expected)
{
	char *ddl = ctu_ddl(t->db, name);
	CHECK_STR(ddl, expected);
	free(ddl);
}

static void check_rows(struct ctu *t, const char *sql, const char *expected)
{
	char *rows = ctu_rows(t->db, sql);
	CHECK_STR(rows, expected);
	free(rows);
}

static void check_scalar(struct ctu *t, const char *sql, const char *arg, const char *expected)
{
	char *v = ctu_scalar(t->db, sql, arg);
	CHECK_STR(v, expected);
	free(v);
}

static void create_tests(struct ctu *t)
{
	CHECK(job(t, pb_collection_create_run,
	          "{\"name\":\"notes\",\"fields\":[{\"type\":\"text\",\"name\":\"title\"},{\"type\":\"number\",\"name\":"
	          "\"Zeta\"},{\"type\":\"bool\",\"name\":\"done\"},{\"type\":\"json\",\"name\":\"meta\"},{\"type\":"
	          "\"geoPoint\",\"name\":\"where\"},{\"type\":\"select\",\"name\":\"tags\",\"values\":[\"a\",\"b\"],"
	          "\"maxSelect\":2},{\"type\":\"file\",\"name\":\"doc\",\"maxSelect\":1}],\"indexes\":[\"create unique "
	          "index idx_notes_title on anything (title collate nocase desc, done)\"]}",
	          NULL, NULL) == 0);
	/* columns sorted byte-wise (Zeta first), one line, PocketBase's column types */
	check_ddl(t, "notes",
	          "CREATE TABLE `notes` (`Zeta` NUMERIC DEFAULT 0 NOT NULL, `doc` TEXT DEFAULT '' NOT NULL, `done` BOOLEAN "
	          "DEFAULT FALSE NOT NULL, `id` TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL, "
	          "`meta` JSON DEFAULT NULL, `tags` JSON DEFAULT '[]' NOT NULL, `title` TEXT DEFAULT '' NOT NULL, `where` "
	          "JSON DEFAULT '{\"lon\":0,\"lat\":0}' NOT NULL)");
	/* the stored index is the rebuilt one (its table rewritten), executed as stored */
	check_scalar(t, "SELECT indexes FROM _collections WHERE name = ?1", "notes",
	             "[\"CREATE UNIQUE INDEX `idx_notes_title` ON `notes` (\\n  `title` COLLATE nocase DESC,\\n  "
	             "`done`\\n)\"]");
	check_ddl(t, "idx_notes_title",
	          "CREATE UNIQUE INDEX `idx_notes_title` ON `notes` (\n  `title` COLLATE nocase DESC,\n  `done`\n)");
	/* ids: pbc_ + crc32(type + name), fields type + crc32(name) */
	char id[64], want[512];
	pb_crc32_id("pbc_", "basenotes", id, sizeof id);
	snprintf(want, sizeof want, "%s base {}", id);
	check_scalar(t, "SELECT id || ' ' || type || ' ' || options FROM _collections WHERE name = ?1", "notes", want);
	/* the stored field JSON: every key of the Go struct, sorted */
	pb_crc32_id("number", "Zeta", id, sizeof id);
	snprintf(want, sizeof want,
	         "{\"help\":\"\",\"hidden\":false,\"id\":\"%s\",\"max\":null,\"min\":null,\"name\":\"Zeta\",\"onlyInt\":"
	         "false,\"presentable\":false,\"required\":false,\"system\":false,\"type\":\"number\"}",
	         id);
	check_scalar(t, "SELECT json_extract(fields, '$[2]') FROM _collections WHERE name = ?1", "notes", want);

	/* an auth collection as PocketBase creates one: system fields, 2 unique indexes, options */
	CHECK(job(t, pb_collection_create_run, "{\"name\":\"staff\",\"type\":\"auth\"}", NULL, NULL) == 0);
	check_ddl(t, "staff",
	          "CREATE TABLE `staff` (`email` TEXT DEFAULT '' NOT NULL, `emailVisibility` BOOLEAN DEFAULT FALSE NOT "
	          "NULL, `id` TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL, `password` TEXT DEFAULT "
	          "'' NOT NULL, `tokenKey` TEXT DEFAULT '' NOT NULL, `verified` BOOLEAN DEFAULT FALSE NOT NULL)");
	pb_crc32_id("pbc_", "authstaff", id, sizeof id);
	snprintf(want, sizeof want,
	         "CREATE UNIQUE INDEX `idx_email_%s` ON `staff` (`email`) WHERE `email` != '';CREATE UNIQUE INDEX "
	         "`idx_tokenKey_%s` ON `staff` (`tokenKey`)",
	         id, id);
	check_rows(t, "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'staff' AND sql IS NOT NULL ORDER BY name",
	           want);
	check_scalar(t, "SELECT json_extract(options, '$.authToken.duration') || ' ' || length(json_extract(options, "
	                "'$.authToken.secret')) || ' ' || json_extract(options, '$.passwordAuth.identityFields') FROM "
	                "_collections WHERE name = ?1",
	             "staff", "432000 50 [\"email\"]");

	/* an explicit id that is taken is refused */
	char *msg = NULL;
	pb_crc32_id("pbc_", "basenotes", id, sizeof id);
	snprintf(want, sizeof want, "{\"name\":\"notes2\",\"id\":\"%s\"}", id);
	CHECK(job(t, pb_collection_create_run, want, NULL, &msg) != 0);
	CHECK_STR(msg, "400 Failed to create collection. {\"id\":{\"code\":\"validation_invalid_or_existing_id\",\"message\":"
	               "\"The model id is invalid or already exists.\"}}");
	free(msg);
	/* a failed create leaves nothing behind */
	CHECK(job(t, pb_collection_create_run,
	          "{\"name\":\"broken\",\"fields\":[{\"type\":\"text\",\"name\":\"a\"}],\"indexes\":[\"create index "
	          "b1 on broken (missing)\"]}",
	          NULL, &msg) != 0);
	CHECK_STR(msg, "400 Failed to create collection. {\"indexes\":{\"0\":{\"code\":\"validation_invalid_index_"
	               "expression\",\"message\":\"Failed to create index b1 - SQL logic error: no such column: missing "
	               "(1).\"}}}");
	free(msg);
	check_scalar(t, "SELECT count(*) FROM sqlite_master WHERE tbl_name = 'broken'", NULL, "0");
	check_scalar(t, "SELECT count(*) FROM _collections WHERE name = 'broken'", NULL, "0");
}

/* The fields of collection `name` with field `from` renamed to `to` / options changed, as an
 * update body. `edit` gets each field object. */
static char *fields_body(struct ctu *t, const char *name, void (*edit)(json_t *f, void *arg), void *arg,
                         const char *extra_key, json_t *extra)
{
	const struct pb_collection *c = pb_schema_find(t->schema, name);
	json_t *fields = json_array();
	for (size_t i = 0; c && i < c->nfields; i++) {
		json_t *f = json_deep_copy(c->fields[i].raw);
		if (edit)
			edit(f, arg);
		if (f)
			json_array_append_new(fields, f);
	}
	json_t *body = json_pack("{so}", "fields", fields);
	if (extra_key)
		json_object_set_new(body, extra_key, extra);
	char *s = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	return s;
}

static void swap_names(json_t *f, void *arg)
{
	(void)arg;
	const char *n = json_string_value(json_object_get(f, "name"));
	if (!strcmp(n, "title"))
		json_object_set_new(f, "name", json_string("done2"));
	else if (!strcmp(n, "done"))
		json_object_set_new(f, "name", json_string("title2"));
}

static void set_max_select(json_t *f, void *arg)
{
	const char *n = json_string_value(json_object_get(f, "name"));
	static const char *const names[] = {"select_one", "select_many", "file_one", "file_many", "rel_one", "rel_many"};
	static const int values[] = {2, 1, 2, 1, 2, 1};
	(void)arg;
	for (int i = 0; i < 6; i++)
		if (!strcmp(n, names[i]))
			json_object_set_new(f, "maxSelect", json_integer(values[i]));
}

static void update_tests(struct ctu *t)
{
	sqlite3_exec(t->db,
	             "INSERT INTO notes (id, title, done, Zeta) VALUES ('r1', 'first', 1, 7), ('r2', 'second', 0, 8)",
	             NULL, NULL, NULL);
	/* swapping names through the temporary columns keeps every value with its field */
	char *body = fields_body(t, "notes", swap_names, NULL, "indexes",
	                         json_pack("[s]", "create unique index idx_notes_title on notes (done2 collate nocase desc, title2)"));
	char *msg = NULL;
	CHECK(job(t, pb_collection_update_run, body, "notes", &msg) == 0);
	if (msg && msg[0] != '0')
		fprintf(stderr, "%s\n", msg);
	free(msg);
	free(body);
	check_rows(t, "SELECT id, done2, title2, Zeta FROM notes ORDER BY id", "r1|first|1|7;r2|second|0|8");
	/* the unique index was rebuilt over the renamed column */
	check_ddl(t, "idx_notes_title",
	          "CREATE UNIQUE INDEX `idx_notes_title` ON `notes` (\n  `done2` COLLATE nocase DESC,\n  `title2`\n)");

	/* rename the collection, add a field, drop one */
	const struct pb_collection *c = pb_schema_find(t->schema, "notes");
	json_t *fields = json_array();
	for (size_t i = 0; i < c->nfields; i++)
		if (strcmp(c->fields[i].name, "meta"))
			json_array_append(fields, c->fields[i].raw);
	json_array_append_new(fields, json_pack("{ssss}", "type", "email", "name", "contact"));
	json_t *b = json_pack("{ssso}", "name", "memos", "fields", fields);
	/* the index keeps its old table name in the text: saving rewrites it */
	body = json_dumps(b, JSON_COMPACT);
	json_decref(b);
	CHECK(job(t, pb_collection_update_run, body, "notes", NULL) == 0);
	free(body);
	check_scalar(t, "SELECT count(*) FROM sqlite_master WHERE name = 'notes'", NULL, "0");
	char *ddl = ctu_ddl(t->db, "memos");
	CHECK(strstr(ddl, "`meta`") == NULL);
	CHECK(strstr(ddl, "\"contact\" TEXT DEFAULT '' NOT NULL") != NULL);
	free(ddl);
	check_rows(t, "SELECT id, done2, contact FROM memos ORDER BY id", "r1|first|;r2|second|");
	check_ddl(t, "idx_notes_title",
	          "CREATE UNIQUE INDEX `idx_notes_title` ON `memos` (\n  `done2` COLLATE nocase DESC,\n  `title2`\n)");

	/* PocketBase's TestSingleVsMultipleValuesNormalization on demo1 (+ a new multiple field) */
	json_t *extra = json_array();
	body = fields_body(t, "demo1", set_max_select, NULL, NULL, NULL);
	json_t *bj = json_loads(body, 0, NULL);
	free(body);
	json_array_append_new(json_object_get(bj, "fields"),
	                      json_pack("{sssss[sss]si}", "type", "select", "name", "new_multiple", "values", "a", "b", "c",
	                                "maxSelect", 3));
	json_decref(extra);
	body = json_dumps(bj, JSON_COMPACT);
	json_decref(bj);
	check_scalar(t, "SELECT count(*) FROM sqlite_master WHERE type = 'view'", NULL, "3");
	CHECK(job(t, pb_collection_update_run, body, "demo1", &msg) == 0);
	if (msg[0] != '0')
		fprintf(stderr, "%s\n", msg);
	free(msg);
	free(body);
	check_scalar(t, "SELECT count(*) FROM sqlite_master WHERE type = 'view'", NULL, "3");
	check_rows(t,
	           "SELECT name, dflt_value FROM pragma_table_info('demo1') WHERE name IN ('select_one', 'select_many', "
	           "'file_one', 'file_many', 'rel_one', 'rel_many', 'new_multiple') ORDER BY name",
	           "file_many|'';file_one|'[]';new_multiple|'[]';rel_many|'';rel_one|'[]';select_many|'';select_one|'[]'");
	check_rows(t,
	           "SELECT select_one, select_many, file_one, file_many, rel_one, rel_many, new_multiple FROM demo1 WHERE "
	           "id IN ('imy661ixudk5izi', 'al1h9ijdeojtsjy', '84nmscqy84lsi1t') ORDER BY id",
	           "[\"optionB\"]|optionC|[\"test_d61b33QdDU.txt\"]|test_tC1Yc87DfC.txt|[]|oap640cot4yru2s|[];"
	           "[\"optionB\"]|optionB|[\"300_Jsjq7RdBgA.png\"]||[\"84nmscqy84lsi1t\"]|oap640cot4yru2s|[];"
	           "[]||[]||[]||[]");
}

/* A collection rename renames the rate-limit labels of the settings (saved and published);
 * an authRule change gives the collection a new authToken secret. */
static void hook_tests(struct ctu *t)
{
	struct pb_error err = PB_ERROR_INIT;
	struct pb_settings *cur = pb_settings_load(t->db, NULL, NULL, &err);
	json_t *patch = json_loads("{\"rateLimits\":{\"rules\":[{\"label\":\"demo2:create\",\"maxRequests\":10,"
	                           "\"duration\":5},{\"label\":\"/api/x\",\"maxRequests\":1,\"duration\":1}]}}",
	                           0, NULL);
	struct pb_settings *s = cur ? pb_settings_merge(cur, patch, &err) : NULL;
	CHECK(s && pb_settings_save(t->db, s, NULL, &err) == 0);
	json_decref(patch);
	if (cur)
		pb_settings_unref(cur);
	pb_settings_publish(s);
	CHECK(job(t, pb_collection_update_run, "{\"name\":\"demo2x\"}", "demo2", NULL) == 0);
	check_scalar(t, "SELECT json_extract(CAST(value AS TEXT), '$.rateLimits.rules[0].label') || ' ' || "
	                "json_extract(CAST(value AS TEXT), '$.rateLimits.rules[1].label') FROM _params WHERE id = ?1",
	             "settings", "demo2x:create /api/x");
	struct pb_settings *now = pb_settings_current();
	CHECK(now && now->rate_limits.rules.n == 2 && !strcmp(now->rate_limits.rules.items[0].label, "demo2x:create"));
	if (now)
		pb_settings_unref(now);
	CHECK(job(t, pb_collection_update_run, "{\"name\":\"demo2\"}", "demo2x", NULL) == 0);
	pb_settings_publish(NULL);

	char *before = ctu_scalar(t->db, "SELECT json_extract(options, '$.authToken.secret') || json_extract(options, "
	                                 "'$.fileToken.secret') FROM _collections WHERE name = ?1",
	                          "users");
	CHECK(job(t, pb_collection_update_run, "{}", "users", NULL) == 0);
	check_scalar(t, "SELECT json_extract(options, '$.authToken.secret') || json_extract(options, '$.fileToken.secret') "
	                "FROM _collections WHERE name = ?1",
	             "users", before);
	CHECK(job(t, pb_collection_update_run, "{\"authRule\":\"verified = true\"}", "users", NULL) == 0);
	char *after = ctu_scalar(t->db, "SELECT json_extract(options, '$.authToken.secret') FROM _collections WHERE name = ?1",
	                         "users");
	CHECK(strlen(after) == 50 && strncmp(after, before, 50) != 0);
	check_scalar(t, "SELECT substr(?1, 51) = json_extract(options, '$.fileToken.secret') FROM _collections WHERE name = 'users'",
	             before, "1");
	free(before);
	free(after);
	pb_error_clear(&err);
}

static void delete_tests(struct ctu *t)
{
	char *msg = NULL;
	CHECK(job(t, pb_collection_delete_run, NULL, "_superusers", &msg) != 0);
	CHECK_STR(msg, "400 Failed to delete collection {}");
	free(msg);
	CHECK(job(t, pb_collection_delete_run, NULL, "demo2", &msg) != 0);
	CHECK_STR(msg, "400 Failed to delete collection probably due to existing reference in users {}");
	free(msg);
	/* view1 has relation fields derived from demo1's ids: a reference too */
	CHECK(job(t, pb_collection_delete_run, NULL, "demo1", &msg) != 0);
	CHECK_STR(msg, "400 Failed to delete collection probably due to existing reference in view1 {}");
	free(msg);
	check_scalar(t, "SELECT count(*) FROM sqlite_master WHERE name = 'demo1'", NULL, "1");
	CHECK(job(t, pb_collection_delete_run, NULL, "missing", &msg) != 0);
	CHECK_STR(msg, "404  {}");
	free(msg);
	/* view2 selects from view1: without view1 view2's fields cannot be derived */
	CHECK(job(t, pb_collection_delete_run, NULL, "view1", &msg) != 0);
	CHECK_STR(msg, "400 Failed to delete collection {}");
	check_scalar(t, "SELECT count(*) FROM sqlite_master WHERE name = 'view1'", NULL, "1");
	free(msg);
	CHECK(job(t, pb_collection_delete_run, NULL, "view2", NULL) == 0);
	CHECK(job(t, pb_collection_delete_run, NULL, "view1", NULL) == 0);
	check_scalar(t, "SELECT count(*) FROM sqlite_master WHERE name IN ('view1', 'view2')", NULL, "0");
	/* a table a view selects from cannot be dropped: the view re-derivation fails */
	CHECK(job(t, pb_collection_delete_run, NULL, "clients", &msg) != 0);
	CHECK_STR(msg, "400 Failed to delete collection {}");
	free(msg);
	CHECK(job(t, pb_collection_delete_run, NULL, "numeric_id_view", NULL) == 0);
	/* an auth collection takes its _externalAuths/_mfas/… rows with it */
	check_scalar(t, "SELECT count(*) FROM _externalAuths WHERE collectionRef = 'v851q4r790rhknl'", NULL, "1");
	check_scalar(t, "SELECT count(*) FROM _authOrigins WHERE collectionRef = 'v851q4r790rhknl'", NULL, "1");
	CHECK(job(t, pb_collection_delete_run, NULL, "clients", NULL) == 0);
	check_scalar(t, "SELECT count(*) FROM _externalAuths WHERE collectionRef = 'v851q4r790rhknl'", NULL, "0");
	check_scalar(t, "SELECT count(*) FROM _authOrigins WHERE collectionRef = 'v851q4r790rhknl'", NULL, "0");
	check_scalar(t, "SELECT count(*) FROM _collections WHERE name = 'memos'", NULL, "1");
	CHECK(job(t, pb_collection_delete_run, NULL, "memos", NULL) == 0);
	check_scalar(t, "SELECT count(*) FROM sqlite_master WHERE tbl_name = 'memos'", NULL, "0");
	check_scalar(t, "SELECT count(*) FROM _collections WHERE name = 'memos'", NULL, "0");
}

static void truncate_tests(struct ctu *t)
{
	char *msg = NULL;
	CHECK(job(t, pb_collection_create_run, "{\"name\":\"a_view\",\"type\":\"view\",\"viewQuery\":\"select id from demo2\"}", NULL, NULL) == 0);
	CHECK(job(t, pb_collection_truncate_run, NULL, "a_view", &msg) != 0);
	CHECK_STR(msg, "400 View collections cannot be truncated since they don't store their own records. {}");
	free(msg);
	/* demo3 is required by demo4 records (required relation) */
	CHECK(job(t, pb_collection_truncate_run, NULL, "demo3", &msg) != 0);
	CHECK_STR(msg, "400 Failed to truncate collection (most likely due to required cascade delete record references). {}");
	free(msg);
	char *before = ctu_scalar(t->db, "SELECT count(*) FROM demo3", NULL);
	CHECK(strcmp(before, "0") != 0);
	free(before);
	CHECK(job(t, pb_collection_truncate_run, NULL, "demo5", NULL) == 0);
	check_scalar(t, "SELECT count(*) FROM demo5", NULL, "0");
}

static void import_tests(struct ctu *t)
{
	char *msg = NULL;
	CHECK(job(t, pb_collections_import_run,
	          "{\"collections\":[{\"name\":\"imp1\"},{\"name\":\"imp2\",\"fields\":[{\"id\":\"koih1lqx\",\"name\":"
	          "\"expand\",\"type\":\"text\"}]}]}",
	          NULL, &msg) != 0);
	CHECK(strstr(msg, "\"code\":\"validation_collections_import_failure\"") != NULL);
	CHECK(strstr(msg, "Data validations failed for collection \\\"imp2\\\"") != NULL);
	free(msg);
	check_scalar(t, "SELECT count(*) FROM _collections WHERE name LIKE 'imp%'", NULL, "0");

	CHECK(job(t, pb_collections_import_run,
	          "{\"collections\":[{\"name\":\"imp_view\",\"type\":\"view\",\"viewQuery\":\"select id, title from "
	          "imp1\"},{\"name\":\"imp1\",\"fields\":[{\"id\":\"koih1lqx\",\"name\":\"title\",\"type\":\"text\"}],"
	          "\"indexes\":[\"create index idx_imp1 on imp1 (title)\"]}]}",
	          NULL, &msg) == 0);
	if (msg[0] != '0')
		fprintf(stderr, "%s\n", msg);
	free(msg);
	check_ddl(t, "idx_imp1", "CREATE INDEX `idx_imp1` ON `imp1` (`title`)");
	check_ddl(t, "imp_view", "CREATE VIEW `imp_view` AS SELECT * FROM (select id, title from imp1)");
	/* the view's title is a clone of imp1.title */
	check_scalar(t, "SELECT json_extract(fields, '$[1].type') FROM _collections WHERE name = ?1", "imp_view", "text");

	/* deleteMissing: every other non-system collection goes, demo2 keeps only what is listed */
	CHECK(job(t, pb_collections_import_run,
	          "{\"deleteMissing\":true,\"collections\":[{\"id\":\"sz5l5z67tg7gku0\",\"name\":\"demo2\",\"fields\":[{"
	          "\"id\":\"mkrguaaf\",\"name\":\"title\",\"type\":\"text\"}],\"indexes\":[]}]}",
	          NULL, &msg) == 0);
	if (msg[0] != '0')
		fprintf(stderr, "%s\n", msg);
	free(msg);
	check_rows(t, "SELECT name FROM _collections WHERE system = 0 ORDER BY name", "demo2");
	check_rows(t, "SELECT name FROM pragma_table_info('demo2') ORDER BY name", "id;title");
	check_scalar(t, "SELECT count(*) > 0 FROM demo2 WHERE title != ''", NULL, "1");
}

int main(void)
{
	struct ctu t;
	if (ctu_open(&t) != 0) {
		fprintf(stderr, "fixture missing\n");
		return 1;
	}
	create_tests(&t);
	update_tests(&t);
	hook_tests(&t);
	delete_tests(&t);
	truncate_tests(&t);
	import_tests(&t);
	pb_schema_publish(NULL);
	ctu_close(&t);
	TEST_DONE();
}
