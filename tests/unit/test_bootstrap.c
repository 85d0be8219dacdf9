/* test_bootstrap — a fresh pb_data must look exactly like PocketBase v0.39.11's first start,
 * and an existing one (the fixture) must not change at all when opened. */
#include <errno.h>
#include <ftw.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/auth_defaults.h"
#include "core/bootstrap.h"
#include "core/db.h"
#include "core/settings_defaults.h"
#include "core/strbuf.h"
#include "tests/unit/storage_test_util.h"
#include "tests/unit/test.h"

/* ---- helpers ----------------------------------------------------------------------------- */

static int copy_file(const char *from, const char *to)
{
	size_t len = 0;
	char *data = st_read(from, &len);
	if (!data)
		return -1;
	int rc = st_write(to, data, len);
	free(data);
	return rc;
}

/* First column of the first row as text (malloc'ed), or NULL (no row / NULL value / error). */
static char *q_text(sqlite3 *db, const char *sql, const char *param)
{
	sqlite3_stmt *st = NULL;
	char *out = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "prepare failed: %s: %s\n", sql, sqlite3_errmsg(db));
		return NULL;
	}
	if (param)
		sqlite3_bind_text(st, 1, param, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		out = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return out;
}

static long long q_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	long long v = -999999;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* A textual dump of everything in a database: sqlite_master in rowid order, then every
 * table's rows in rowid order with each value's storage class. */
static char *dump_db(sqlite3 *db)
{
	struct pb_strbuf b = PB_STRBUF_INIT;
	sqlite3_stmt *st = NULL;
	sqlite3_prepare_v2(db, "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid", -1, &st, NULL);
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int i = 0; i < 4; i++) {
			const unsigned char *t = sqlite3_column_text(st, i);
			pb_strbuf_printf(&b, "%s|", t ? (const char *)t : "<null>");
		}
		pb_strbuf_putc(&b, '\n');
	}
	sqlite3_finalize(st);

	sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", -1, &st, NULL);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		char *sql = sqlite3_mprintf("SELECT * FROM \"%w\" ORDER BY rowid", name);
		sqlite3_stmt *rows = NULL;
		if (sqlite3_prepare_v2(db, sql, -1, &rows, NULL) != SQLITE_OK) {
			sqlite3_free(sql);
			sql = sqlite3_mprintf("SELECT * FROM \"%w\"", name);
			sqlite3_prepare_v2(db, sql, -1, &rows, NULL);
		}
		sqlite3_free(sql);
		pb_strbuf_printf(&b, "== %s\n", name);
		while (rows && sqlite3_step(rows) == SQLITE_ROW) {
			for (int i = 0; i < sqlite3_column_count(rows); i++) {
				int type = sqlite3_column_type(rows, i);
				if (type == SQLITE_BLOB) {
					const unsigned char *p = sqlite3_column_blob(rows, i);
					int n = sqlite3_column_bytes(rows, i);
					pb_strbuf_puts(&b, "blob:");
					for (int k = 0; k < n; k++)
						pb_strbuf_printf(&b, "%02x", p[k]);
				} else if (type == SQLITE_NULL) {
					pb_strbuf_puts(&b, "null");
				} else {
					pb_strbuf_printf(&b, "%d:%s", type, (const char *)sqlite3_column_text(rows, i));
				}
				pb_strbuf_putc(&b, '|');
			}
			pb_strbuf_putc(&b, '\n');
		}
		sqlite3_finalize(rows);
	}
	sqlite3_finalize(st);
	return pb_strbuf_steal(&b);
}

/* Dump of the database file at `path`, read through a reader connection. */
static char *dump_path(const char *path)
{
	struct pb_error err = PB_ERROR_INIT;
	sqlite3 *db = pb_db_open(path, true, &err);
	if (!db) {
		fprintf(stderr, "open %s: %s\n", path, err.message);
		return strdup("<open failed>");
	}
	char *d = dump_db(db);
	sqlite3_close_v2(db);
	return d;
}

static uint32_t crc32_ieee(const char *s)
{
	uint32_t c = 0xFFFFFFFFu;
	for (; *s; s++) {
		c ^= (unsigned char)*s;
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
	}
	return ~c;
}

static bool is_date(const char *s)
{
	/* YYYY-MM-DD HH:MM:SS.mmmZ */
	static const char shape[] = "dddd-dd-dd dd:dd:dd.dddZ";
	if (!s || strlen(s) != sizeof shape - 1)
		return false;
	for (size_t i = 0; shape[i]; i++) {
		if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[i])
			return false;
	}
	return true;
}

/* Same object keys in the same order, recursively (values of other types only by type). */
static bool same_shape(const json_t *a, const json_t *b)
{
	if (json_typeof(a) != json_typeof(b)) {
		bool bools = json_is_boolean(a) && json_is_boolean(b);
		if (!bools)
			return false;
	}
	if (!json_is_object(a))
		return true;
	if (json_object_size(a) != json_object_size(b))
		return false;
	void *ia = json_object_iter((json_t *)a), *ib = json_object_iter((json_t *)b);
	while (ia && ib) {
		if (strcmp(json_object_iter_key(ia), json_object_iter_key(ib)) != 0) {
			fprintf(stderr, "key order differs: %s vs %s\n", json_object_iter_key(ia), json_object_iter_key(ib));
			return false;
		}
		if (!same_shape(json_object_iter_value(ia), json_object_iter_value(ib))) {
			fprintf(stderr, "  under %s\n", json_object_iter_key(ia));
			return false;
		}
		ia = json_object_iter_next((json_t *)a, ia);
		ib = json_object_iter_next((json_t *)b, ib);
	}
	return true;
}

static json_t *q_json(sqlite3 *db, const char *sql, const char *param)
{
	char *t = q_text(db, sql, param);
	json_t *j = t ? json_loads(t, JSON_DECODE_ANY, NULL) : NULL;
	free(t);
	return j;
}

/* ---- expectations ------------------------------------------------------------------------ */

#define OWNER "@request.auth.id != '' && recordRef = @request.auth.id && collectionRef = @request.auth.collectionId"

struct expected_collection {
	const char *id, *name, *type;
	int system;
	const char *rules[5]; /* NULL = SQL NULL */
	const char *field_ids;
	const char *indexes;
};

static const struct expected_collection expected[] = {
	{"pbc_2279338944", "_mfas", "base", 1, {OWNER, OWNER, NULL, NULL, NULL},
	 "text3208210256,text455797646,text127846527,text1582905952,autodate2990389176,autodate3332085495",
	 "[\"CREATE INDEX `idx_mfas_collectionRef_recordRef` ON `_mfas` (collectionRef,recordRef)\"]"},
	{"pbc_1638494021", "_otps", "base", 1, {OWNER, OWNER, NULL, NULL, NULL},
	 "text3208210256,text455797646,text127846527,password901924565,text3866985172,autodate2990389176,"
	 "autodate3332085495",
	 "[\"CREATE INDEX `idx_otps_collectionRef_recordRef` ON `_otps` (collectionRef, recordRef)\"]"},
	{"pbc_2281828961", "_externalAuths", "base", 1, {OWNER, OWNER, NULL, NULL, OWNER},
	 "text3208210256,text455797646,text127846527,text2462348188,text1044722854,autodate2990389176,"
	 "autodate3332085495",
	 "[\"CREATE UNIQUE INDEX `idx_externalAuths_record_provider` ON `_externalAuths` (collectionRef, recordRef, "
	 "provider)\",\"CREATE UNIQUE INDEX `idx_externalAuths_collection_provider` ON `_externalAuths` "
	 "(collectionRef, provider, providerId)\"]"},
	{"pbc_4275539003", "_authOrigins", "base", 1, {OWNER, OWNER, NULL, NULL, OWNER},
	 "text3208210256,text455797646,text127846527,text4228609354,autodate2990389176,autodate3332085495",
	 "[\"CREATE UNIQUE INDEX `idx_authOrigins_unique_pairs` ON `_authOrigins` (collectionRef, recordRef, "
	 "fingerprint)\"]"},
	{"pbc_3142635823", "_superusers", "auth", 1, {NULL, NULL, NULL, NULL, NULL},
	 "text3208210256,password901924565,text2504183744,email3885137012,bool1547992806,bool256245529,"
	 "autodate2990389176,autodate3332085495",
	 "[\"CREATE UNIQUE INDEX `idx_tokenKey_pbc_3142635823` ON `_superusers` (`tokenKey`)\",\"CREATE UNIQUE INDEX "
	 "`idx_email_pbc_3142635823` ON `_superusers` (`email`) WHERE `email` != ''\"]"},
	{"_pb_users_auth_", "users", "auth", 0,
	 {"id = @request.auth.id", "id = @request.auth.id", "", "id = @request.auth.id", "id = @request.auth.id"},
	 "text3208210256,password901924565,text2504183744,email3885137012,bool1547992806,bool256245529,"
	 "text1579384326,file376926767,autodate2990389176,autodate3332085495",
	 "[\"CREATE UNIQUE INDEX `idx_tokenKey__pb_users_auth_` ON `users` (`tokenKey`)\",\"CREATE UNIQUE INDEX "
	 "`idx_email__pb_users_auth_` ON `users` (`email`) WHERE `email` != ''\"]"},
};

/* The users fields JSON of spec §5.5, byte for byte. */
static const char users_fields_json[] =
	"[{\"autogeneratePattern\":\"[a-z0-9]{15}\",\"help\":\"\",\"hidden\":false,\"id\":\"text3208210256\",\"max\":15,"
	"\"min\":15,\"name\":\"id\",\"pattern\":\"^[a-z0-9]+$\",\"presentable\":false,\"primaryKey\":true,\"required\":"
	"true,\"system\":true,\"type\":\"text\"},"
	"{\"cost\":0,\"help\":\"\",\"hidden\":true,\"id\":\"password901924565\",\"max\":0,\"min\":8,\"name\":\"password\","
	"\"pattern\":\"\",\"presentable\":false,\"required\":true,\"system\":true,\"type\":\"password\"},"
	"{\"autogeneratePattern\":\"[a-zA-Z0-9]{50}\",\"help\":\"\",\"hidden\":true,\"id\":\"text2504183744\",\"max\":60,"
	"\"min\":30,\"name\":\"tokenKey\",\"pattern\":\"\",\"presentable\":false,\"primaryKey\":false,\"required\":true,"
	"\"system\":true,\"type\":\"text\"},"
	"{\"exceptDomains\":null,\"help\":\"\",\"hidden\":false,\"id\":\"email3885137012\",\"name\":\"email\","
	"\"onlyDomains\":null,\"presentable\":false,\"required\":true,\"system\":true,\"type\":\"email\"},"
	"{\"help\":\"\",\"hidden\":false,\"id\":\"bool1547992806\",\"name\":\"emailVisibility\",\"presentable\":false,"
	"\"required\":false,\"system\":true,\"type\":\"bool\"},"
	"{\"help\":\"\",\"hidden\":false,\"id\":\"bool256245529\",\"name\":\"verified\",\"presentable\":false,"
	"\"required\":false,\"system\":true,\"type\":\"bool\"},"
	"{\"autogeneratePattern\":\"\",\"help\":\"\",\"hidden\":false,\"id\":\"text1579384326\",\"max\":255,\"min\":0,"
	"\"name\":\"name\",\"pattern\":\"\",\"presentable\":false,\"primaryKey\":false,\"required\":false,\"system\":false,"
	"\"type\":\"text\"},"
	"{\"help\":\"\",\"hidden\":false,\"id\":\"file376926767\",\"maxSelect\":1,\"maxSize\":0,\"mimeTypes\":"
	"[\"image/jpeg\",\"image/png\",\"image/svg+xml\",\"image/gif\",\"image/webp\"],\"name\":\"avatar\","
	"\"presentable\":false,\"protected\":false,\"required\":false,\"system\":false,\"thumbs\":null,\"type\":\"file\"},"
	"{\"hidden\":false,\"id\":\"autodate2990389176\",\"name\":\"created\",\"onCreate\":true,\"onUpdate\":false,"
	"\"presentable\":false,\"system\":false,\"type\":\"autodate\"},"
	"{\"hidden\":false,\"id\":\"autodate3332085495\",\"name\":\"updated\",\"onCreate\":true,\"onUpdate\":true,"
	"\"presentable\":false,\"system\":false,\"type\":\"autodate\"}]";

#define ID_COL "`id` TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL"
#define NOW_DEFAULT "TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%fZ')) NOT NULL"

/* sqlite_master of a fresh data.db (entries with SQL), in creation order. */
static const char *const fresh_data_schema[][3] = {
	{"table", "_migrations",
	 "CREATE TABLE `_migrations` (file VARCHAR(255) PRIMARY KEY NOT NULL, applied INTEGER NOT NULL)"},
	{"table", "_params",
	 "CREATE TABLE `_params` (\n\t\t\t`id`      TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL,\n"
	 "\t\t\t`value`   JSON DEFAULT NULL,\n\t\t\t`created` " NOW_DEFAULT ",\n\t\t\t`updated` " NOW_DEFAULT "\n\t\t)"},
	{"table", "_collections",
	 "CREATE TABLE `_collections` (\n"
	 "\t\t\t\t`id`         TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL,\n"
	 "\t\t\t\t`system`     BOOLEAN DEFAULT FALSE NOT NULL,\n"
	 "\t\t\t\t`type`       TEXT DEFAULT \"base\" NOT NULL,\n"
	 "\t\t\t\t`name`       TEXT UNIQUE NOT NULL,\n"
	 "\t\t\t\t`fields`     JSON DEFAULT \"[]\" NOT NULL,\n"
	 "\t\t\t\t`indexes`    JSON DEFAULT \"[]\" NOT NULL,\n"
	 "\t\t\t\t`listRule`   TEXT DEFAULT NULL,\n"
	 "\t\t\t\t`viewRule`   TEXT DEFAULT NULL,\n"
	 "\t\t\t\t`createRule` TEXT DEFAULT NULL,\n"
	 "\t\t\t\t`updateRule` TEXT DEFAULT NULL,\n"
	 "\t\t\t\t`deleteRule` TEXT DEFAULT NULL,\n"
	 "\t\t\t\t`options`    JSON DEFAULT \"{}\" NOT NULL,\n"
	 "\t\t\t\t`created`    " NOW_DEFAULT ",\n"
	 "\t\t\t\t`updated`    " NOW_DEFAULT "\n"
	 "\t\t\t)"},
	{"index", "idx__collections_type", "CREATE INDEX idx__collections_type on `_collections` (`type`)"},
	{"table", "_mfas",
	 "CREATE TABLE `_mfas` (`collectionRef` TEXT DEFAULT '' NOT NULL, `created` TEXT DEFAULT '' NOT NULL, " ID_COL
	 ", `method` TEXT DEFAULT '' NOT NULL, `recordRef` TEXT DEFAULT '' NOT NULL, `updated` TEXT DEFAULT '' NOT NULL)"},
	{"index", "idx_mfas_collectionRef_recordRef",
	 "CREATE INDEX `idx_mfas_collectionRef_recordRef` ON `_mfas` (\n  `collectionRef`,\n  `recordRef`\n)"},
	{"table", "_otps",
	 "CREATE TABLE `_otps` (`collectionRef` TEXT DEFAULT '' NOT NULL, `created` TEXT DEFAULT '' NOT NULL, " ID_COL
	 ", `password` TEXT DEFAULT '' NOT NULL, `recordRef` TEXT DEFAULT '' NOT NULL, `sentTo` TEXT DEFAULT '' NOT NULL, "
	 "`updated` TEXT DEFAULT '' NOT NULL)"},
	{"index", "idx_otps_collectionRef_recordRef",
	 "CREATE INDEX `idx_otps_collectionRef_recordRef` ON `_otps` (\n  `collectionRef`,\n  `recordRef`\n)"},
	{"table", "_externalAuths",
	 "CREATE TABLE `_externalAuths` (`collectionRef` TEXT DEFAULT '' NOT NULL, `created` TEXT DEFAULT '' NOT NULL, " ID_COL
	 ", `provider` TEXT DEFAULT '' NOT NULL, `providerId` TEXT DEFAULT '' NOT NULL, `recordRef` TEXT DEFAULT '' NOT "
	 "NULL, `updated` TEXT DEFAULT '' NOT NULL)"},
	{"index", "idx_externalAuths_record_provider",
	 "CREATE UNIQUE INDEX `idx_externalAuths_record_provider` ON `_externalAuths` (\n  `collectionRef`,\n  "
	 "`recordRef`,\n  `provider`\n)"},
	{"index", "idx_externalAuths_collection_provider",
	 "CREATE UNIQUE INDEX `idx_externalAuths_collection_provider` ON `_externalAuths` (\n  `collectionRef`,\n  "
	 "`provider`,\n  `providerId`\n)"},
	{"table", "_authOrigins",
	 "CREATE TABLE `_authOrigins` (`collectionRef` TEXT DEFAULT '' NOT NULL, `created` TEXT DEFAULT '' NOT NULL, "
	 "`fingerprint` TEXT DEFAULT '' NOT NULL, " ID_COL
	 ", `recordRef` TEXT DEFAULT '' NOT NULL, `updated` TEXT DEFAULT '' NOT NULL)"},
	{"index", "idx_authOrigins_unique_pairs",
	 "CREATE UNIQUE INDEX `idx_authOrigins_unique_pairs` ON `_authOrigins` (\n  `collectionRef`,\n  `recordRef`,\n  "
	 "`fingerprint`\n)"},
	{"table", "_superusers",
	 "CREATE TABLE `_superusers` (`created` TEXT DEFAULT '' NOT NULL, `email` TEXT DEFAULT '' NOT NULL, "
	 "`emailVisibility` BOOLEAN DEFAULT FALSE NOT NULL, " ID_COL
	 ", `password` TEXT DEFAULT '' NOT NULL, `tokenKey` TEXT DEFAULT '' NOT NULL, `updated` TEXT DEFAULT '' NOT NULL, "
	 "`verified` BOOLEAN DEFAULT FALSE NOT NULL)"},
	{"index", "idx_tokenKey_pbc_3142635823",
	 "CREATE UNIQUE INDEX `idx_tokenKey_pbc_3142635823` ON `_superusers` (`tokenKey`)"},
	{"index", "idx_email_pbc_3142635823",
	 "CREATE UNIQUE INDEX `idx_email_pbc_3142635823` ON `_superusers` (`email`) WHERE `email` != ''"},
	{"table", "users",
	 "CREATE TABLE `users` (`avatar` TEXT DEFAULT '' NOT NULL, `created` TEXT DEFAULT '' NOT NULL, `email` TEXT "
	 "DEFAULT '' NOT NULL, `emailVisibility` BOOLEAN DEFAULT FALSE NOT NULL, " ID_COL
	 ", `name` TEXT DEFAULT '' NOT NULL, `password` TEXT DEFAULT '' NOT NULL, `tokenKey` TEXT DEFAULT '' NOT NULL, "
	 "`updated` TEXT DEFAULT '' NOT NULL, `verified` BOOLEAN DEFAULT FALSE NOT NULL)"},
	{"index", "idx_tokenKey__pb_users_auth_", "CREATE UNIQUE INDEX `idx_tokenKey__pb_users_auth_` ON `users` (`tokenKey`)"},
	{"index", "idx_email__pb_users_auth_",
	 "CREATE UNIQUE INDEX `idx_email__pb_users_auth_` ON `users` (`email`) WHERE `email` != ''"},
};

static const char *const fresh_aux_schema[][3] = {
	{"table", "_logs",
	 "CREATE TABLE `_logs` (\n"
	 "\t\t\t\t\t`id`      TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL,\n"
	 "\t\t\t\t\t`level`   INTEGER DEFAULT 0 NOT NULL,\n"
	 "\t\t\t\t\t`message` TEXT DEFAULT \"\" NOT NULL,\n"
	 "\t\t\t\t\t`data`    JSON DEFAULT \"{}\" NOT NULL,\n"
	 "\t\t\t\t\t`created` " NOW_DEFAULT "\n"
	 "\t\t\t\t)"},
	{"index", "idx_logs_level", "CREATE INDEX idx_logs_level on `_logs` (`level`)"},
	{"index", "idx_logs_message", "CREATE INDEX idx_logs_message on `_logs` (`message`)"},
	{"index", "idx_logs_created_hour",
	 "CREATE INDEX idx_logs_created_hour on `_logs` (strftime('%Y-%m-%d %H:00:00', `created`))"},
};

static void check_schema(sqlite3 *db, const char *const want[][3], size_t n)
{
	sqlite3_stmt *st = NULL;
	sqlite3_prepare_v2(db,
	                   "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
	                   "ORDER BY rowid",
	                   -1, &st, NULL);
	size_t i = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (i < n) {
			CHECK_STR((const char *)sqlite3_column_text(st, 0), want[i][0]);
			CHECK_STR((const char *)sqlite3_column_text(st, 1), want[i][1]);
			CHECK_STR((const char *)sqlite3_column_text(st, 2), want[i][2]);
		}
		i++;
	}
	sqlite3_finalize(st);
	CHECK(i == n);
}

static void check_pragmas(sqlite3 *db)
{
	char *mode = q_text(db, "PRAGMA journal_mode", NULL);
	CHECK_STR(mode, "wal");
	free(mode);
	CHECK(q_int(db, "PRAGMA busy_timeout") == PB_DB_BUSY_TIMEOUT_MS);
	CHECK(q_int(db, "PRAGMA journal_size_limit") == PB_DB_JOURNAL_SIZE_LIMIT);
	CHECK(q_int(db, "PRAGMA synchronous") == 1);
	CHECK(q_int(db, "PRAGMA foreign_keys") == 1);
	CHECK(q_int(db, "PRAGMA temp_store") == 2);
	CHECK(q_int(db, "PRAGMA cache_size") == PB_DB_CACHE_SIZE);
}

/* ---- the fresh install ------------------------------------------------------------------- */

static void check_collections(sqlite3 *db, sqlite3 *fixture)
{
	sqlite3_stmt *st = NULL;
	sqlite3_prepare_v2(db,
	                   "SELECT id, name, type, system, listRule, viewRule, createRule, updateRule, deleteRule, fields, "
	                   "indexes, options, created, updated, typeof(fields), typeof(options) FROM _collections "
	                   "ORDER BY rowid",
	                   -1, &st, NULL);
	size_t n = 0;
	char secrets[12][PB_TOKEN_SECRET_LEN + 1];
	size_t nsecrets = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n >= sizeof expected / sizeof expected[0]) {
			n++;
			continue;
		}
		const struct expected_collection *e = &expected[n++];
		CHECK_STR((const char *)sqlite3_column_text(st, 0), e->id);
		CHECK_STR((const char *)sqlite3_column_text(st, 1), e->name);
		CHECK_STR((const char *)sqlite3_column_text(st, 2), e->type);
		CHECK(sqlite3_column_int(st, 3) == e->system);
		CHECK(sqlite3_column_type(st, 3) == SQLITE_INTEGER);
		for (int r = 0; r < 5; r++) {
			if (e->rules[r])
				CHECK_STR((const char *)sqlite3_column_text(st, 4 + r), e->rules[r]);
			else
				CHECK(sqlite3_column_type(st, 4 + r) == SQLITE_NULL);
		}
		CHECK_STR((const char *)sqlite3_column_text(st, 14), "text");
		CHECK_STR((const char *)sqlite3_column_text(st, 15), "text");

		/* collection id = pbc_ + crc32(type + name) for the checksum-named ones */
		if (strncmp(e->id, "pbc_", 4) == 0) {
			char buf[300];
			snprintf(buf, sizeof buf, "%s%s", e->type, e->name);
			char id[32];
			snprintf(id, sizeof id, "pbc_%u", crc32_ieee(buf));
			CHECK_STR(e->id, id);
		}

		/* fields: ids in order, each = type + crc32(name) */
		const char *fields_text = (const char *)sqlite3_column_text(st, 9);
		json_t *fields = json_loads(fields_text, 0, NULL);
		CHECK(json_is_array(fields));
		struct pb_strbuf ids = PB_STRBUF_INIT;
		size_t i;
		json_t *f;
		json_array_foreach(fields, i, f)
		{
			const char *fid = json_string_value(json_object_get(f, "id"));
			const char *ftype = json_string_value(json_object_get(f, "type"));
			const char *fname = json_string_value(json_object_get(f, "name"));
			char want[64];
			snprintf(want, sizeof want, "%s%u", ftype ? ftype : "?", crc32_ieee(fname ? fname : ""));
			CHECK_STR(fid, want);
			pb_strbuf_printf(&ids, "%s%s", i ? "," : "", fid ? fid : "?");
		}
		CHECK_STR(pb_strbuf_cstr(&ids), e->field_ids);
		pb_strbuf_deinit(&ids);
		CHECK_STR((const char *)sqlite3_column_text(st, 10), e->indexes);
		if (strcmp(e->name, "users") == 0)
			CHECK_STR(fields_text, users_fields_json);

		/* compare with the fixture's copy of the same system collection */
		json_t *fx = strcmp(e->name, "users") ? q_json(fixture, "SELECT fields FROM _collections WHERE name = ?", e->name)
		                                      : NULL;
		if (fx) {
			CHECK(json_array_size(fx) == json_array_size(fields));
			json_t *ff;
			size_t k;
			json_array_foreach(fx, k, ff)
			{
				const char *fid = json_string_value(json_object_get(ff, "id"));
				json_t *mine = NULL, *cand;
				size_t m;
				json_array_foreach(fields, m, cand)
				{
					if (strcmp(json_string_value(json_object_get(cand, "id")), fid) == 0)
						mine = cand;
				}
				CHECK(mine != NULL);
				if (!mine)
					continue;
				const char *key;
				json_t *v;
				json_object_foreach(ff, key, v)
				{
					bool legacy = strcmp(fid, "text2504183744") == 0 && strcmp(key, "autogeneratePattern") == 0;
					if (!legacy && !json_equal(v, json_object_get(mine, key))) {
						fprintf(stderr, "%s.%s.%s differs from the fixture\n", e->name, fid, key);
						CHECK(false);
					}
				}
				bool autodate = strcmp(json_string_value(json_object_get(ff, "type")), "autodate") == 0;
				CHECK(json_object_size(mine) == json_object_size(ff) + (autodate ? 0 : 1));
				CHECK(autodate || json_is_string(json_object_get(mine, "help")));
			}
			json_decref(fx);
		}
		json_decref(fields);

		/* options */
		const char *options_text = (const char *)sqlite3_column_text(st, 11);
		json_t *options = json_loads(options_text, 0, NULL);
		if (strcmp(e->type, "base") == 0) {
			CHECK_STR(options_text, "{}");
		} else {
			CHECK(strstr(options_text, "\\u003cp\\u003e") != NULL); /* Go-style escaping */
			CHECK(strchr(options_text, '<') == NULL);
			static const char *const tokens[] = {"authToken", "passwordResetToken", "emailChangeToken",
			                                     "verificationToken", "fileToken"};
			for (size_t t = 0; t < 5; t++) {
				const char *secret = json_string_value(json_object_get(json_object_get(options, tokens[t]), "secret"));
				CHECK(secret && strlen(secret) == PB_TOKEN_SECRET_LEN);
				if (secret && strlen(secret) == PB_TOKEN_SECRET_LEN && nsecrets < 12) {
					CHECK(strspn(secret, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") ==
					      PB_TOKEN_SECRET_LEN);
					memcpy(secrets[nsecrets++], secret, PB_TOKEN_SECRET_LEN + 1);
				}
			}
			long long auth_duration = json_integer_value(json_object_get(json_object_get(options, "authToken"), "duration"));
			CHECK(auth_duration == (strcmp(e->name, "_superusers") == 0 ? 86400 : 432000));
			json_t *mapped = json_object_get(json_object_get(options, "oauth2"), "mappedFields");
			bool users = strcmp(e->name, "users") == 0;
			CHECK_STR(json_string_value(json_object_get(mapped, "name")), users ? "name" : "");
			CHECK_STR(json_string_value(json_object_get(mapped, "avatarURL")), users ? "avatar" : "");
			CHECK(json_is_null(json_object_get(json_object_get(options, "oauth2"), "providers")));
			CHECK(json_integer_value(json_object_get(json_object_get(options, "mfa"), "duration")) == 600);
			CHECK(json_integer_value(json_object_get(json_object_get(options, "otp"), "duration")) == 180);
			CHECK(json_integer_value(json_object_get(json_object_get(options, "otp"), "length")) == 8);
			CHECK(json_is_true(json_object_get(json_object_get(options, "authAlert"), "enabled")));
			CHECK_STR(json_string_value(json_object_get(options, "authRule")), "");
			CHECK(json_is_null(json_object_get(options, "manageRule")));
			const char *vbody = json_string_value(
				json_object_get(json_object_get(options, "verificationTemplate"), "body"));
			CHECK(vbody && strstr(vbody, "{APP_URL}/_/#/auth/confirm-verification/{TOKEN}"));
			const char *otp_body = json_string_value(
				json_object_get(json_object_get(json_object_get(options, "otp"), "emailTemplate"), "body"));
			CHECK(otp_body && strstr(otp_body, "{OTP}"));

			/* key order (Go struct order) as in the fixture's _superusers options */
			json_t *fxo = q_json(fixture, "SELECT options FROM _collections WHERE name = ?", "_superusers");
			CHECK(fxo && same_shape(options, fxo));
			json_decref(fxo);
		}
		json_decref(options);

		const char *created = (const char *)sqlite3_column_text(st, 12);
		const char *updated = (const char *)sqlite3_column_text(st, 13);
		CHECK(is_date(created));
		CHECK(is_date(updated));
		CHECK(created && updated && strcmp(created, updated) <= 0);
	}
	sqlite3_finalize(st);
	CHECK(n == sizeof expected / sizeof expected[0]);
	CHECK(nsecrets == 10);
	for (size_t a = 0; a < nsecrets; a++)
		for (size_t b = a + 1; b < nsecrets; b++)
			CHECK(strcmp(secrets[a], secrets[b]) != 0);
}

static void check_migrations(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	sqlite3_prepare_v2(db, "SELECT file, applied, typeof(applied) FROM _migrations ORDER BY rowid", -1, &st, NULL);
	size_t n = 0;
	long long prev = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n < PB_SYSTEM_MIGRATIONS_COUNT)
			CHECK_STR((const char *)sqlite3_column_text(st, 0), pb_system_migrations[n]);
		long long applied = sqlite3_column_int64(st, 1);
		CHECK(applied >= 1000000000000000LL && applied < 10000000000000000LL); /* 16 digits: µs */
		CHECK(applied >= prev);
		CHECK_STR((const char *)sqlite3_column_text(st, 2), "integer");
		prev = applied;
		n++;
	}
	sqlite3_finalize(st);
	CHECK(n == PB_SYSTEM_MIGRATIONS_COUNT);
	CHECK_STR(pb_system_migrations[0], "1640988000_aux_init.go");
	CHECK_STR(pb_system_migrations[7], "1778828400_normalize_indexes.go");
}

static void check_settings(sqlite3 *db, sqlite3 *fixture)
{
	CHECK(q_int(db, "SELECT count(*) FROM _params") == 1);
	char *t = q_text(db, "SELECT typeof(value) FROM _params WHERE id = ?", "settings");
	CHECK_STR(t, "blob");
	free(t);
	t = q_text(db, "SELECT CAST(value AS TEXT) FROM _params WHERE id = ?", "settings");
	CHECK_STR(t, pb_settings_defaults_json());
	json_t *mine = t ? json_loads(t, 0, NULL) : NULL;
	free(t);
	CHECK(mine != NULL);
	json_t *fx = q_json(fixture, "SELECT CAST(value AS TEXT) FROM _params WHERE id = ?", "settings");
	CHECK(fx && mine && same_shape(mine, fx));
	json_decref(fx);
	static const char *const top[] = {"superuserIPs", "smtp", "backups", "s3", "meta",
	                                  "rateLimits", "trustedProxy", "batch", "logs"};
	size_t i = 0;
	const char *key;
	json_t *v;
	json_object_foreach(mine, key, v)
	{
		if (i < 9)
			CHECK_STR(key, top[i]);
		i++;
	}
	CHECK(i == 9);
	json_t *meta = json_object_get(mine, "meta");
	CHECK_STR(json_string_value(json_object_get(meta, "appName")), "Acme");
	CHECK_STR(json_string_value(json_object_get(meta, "appURL")), "http://localhost:8090");
	CHECK(json_integer_value(json_object_get(json_object_get(mine, "backups"), "cronMaxKeep")) == 3);
	CHECK(json_integer_value(json_object_get(json_object_get(mine, "batch"), "timeout")) == 3);
	CHECK(json_is_true(json_object_get(json_object_get(mine, "logs"), "logIP")));
	CHECK(json_array_size(json_object_get(json_object_get(mine, "rateLimits"), "rules")) == 4);
	json_decref(mine);
	char *created = q_text(db, "SELECT created FROM _params WHERE id = ?", "settings");
	char *updated = q_text(db, "SELECT updated FROM _params WHERE id = ?", "settings");
	CHECK(is_date(created));
	CHECK_STR(created, updated);
	free(created);
	free(updated);
}

static void check_reader(const char *dir)
{
	struct pb_error err = PB_ERROR_INIT;
	char *path = st_join(dir, "data.db");
	sqlite3 *r = pb_db_open(path, true, &err);
	CHECK(r != NULL);
	if (r) {
		CHECK(q_int(r, "SELECT count(*) FROM _collections") == 6);
		CHECK(q_int(r, "PRAGMA query_only") == 1);
		CHECK(q_int(r, "PRAGMA foreign_keys") == 1);
		CHECK(pb_db_exec(r, "DELETE FROM _params", &err) == -1);
		CHECK(err.status == 500);
		pb_error_clear(&err);
		CHECK(q_int(r, "SELECT count(*) FROM _params") == 1);
		sqlite3_close_v2(r);
	}
	free(path);

	path = st_join(dir, "missing.db");
	r = pb_db_open(path, true, &err);
	CHECK(r == NULL);
	CHECK(err.status == 500);
	CHECK(!st_exists(path));
	pb_error_clear(&err);
	free(path);
}

int main(void)
{
	char tmpl[] = "/tmp/pocketc-bootstrap-XXXXXX";
	char *root = mkdtemp(tmpl);
	CHECK(root != NULL);
	if (!root)
		TEST_DONE();
	const char *fixture_dir = getenv("POCKETC_FIXTURE");
	char *fixture_path = st_join(fixture_dir ? fixture_dir : "../shared/fixtures/pb-testdata", "data.db");
	char *fixture_aux = st_join(fixture_dir ? fixture_dir : "../shared/fixtures/pb-testdata", "auxiliary.db");

	/* The fixture is opened for reading only; the test never writes to it. */
	sqlite3 *fixture = NULL;
	CHECK(sqlite3_open_v2(fixture_path, &fixture, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);

	/* 1. fresh install into a nested, not yet existing directory */
	char *dir = st_join(root, "a/b/pb_data");
	struct pb_error err = PB_ERROR_INIT;
	sqlite3 *data = NULL, *aux = NULL;
	CHECK(pb_bootstrap_open_dir(dir, &data, &aux, &err) == 0);
	if (err.status)
		fprintf(stderr, "bootstrap: %s\n", err.message);
	CHECK(data != NULL && aux != NULL);
	if (!data || !aux)
		TEST_DONE();

	check_pragmas(data);
	check_pragmas(aux);
	check_schema(data, fresh_data_schema, sizeof fresh_data_schema / sizeof fresh_data_schema[0]);
	check_schema(aux, fresh_aux_schema, sizeof fresh_aux_schema / sizeof fresh_aux_schema[0]);
	CHECK(q_int(aux, "SELECT count(*) FROM sqlite_master WHERE name = '_migrations'") == 0);
	CHECK(q_int(aux, "SELECT count(*) FROM _logs") == 0);
	check_collections(data, fixture);
	check_migrations(data);
	check_settings(data, fixture);
	for (size_t i = 0; i < 6; i++) {
		char *sql = sqlite3_mprintf("SELECT count(*) FROM \"%w\"", expected[i].name);
		CHECK(q_int(data, sql) == 0);
		sqlite3_free(sql);
	}
	char *users_created = q_text(data, "SELECT created FROM _collections WHERE id = ?", "_pb_users_auth_");
	char *su_created = q_text(data, "SELECT created FROM _collections WHERE id = ?", "pbc_3142635823");
	CHECK(users_created && su_created && strcmp(su_created, users_created) <= 0);
	free(users_created);
	free(su_created);
	sqlite3_close_v2(data);
	sqlite3_close_v2(aux);
	check_reader(dir);

	/* 2. reopening changes nothing, and wipes .pb_temp_to_delete */
	char *data_path = st_join(dir, "data.db");
	char *aux_path = st_join(dir, "auxiliary.db");
	char *before = dump_path(data_path);
	char *aux_before = dump_path(aux_path);
	char *temp = st_join(dir, ".pb_temp_to_delete");
	char *temp_sub = st_join(temp, "sub");
	char *temp_file = st_join(temp_sub, "file.txt");
	CHECK(mkdir(temp, 0755) == 0 && mkdir(temp_sub, 0755) == 0);
	FILE *tf = fopen(temp_file, "w");
	CHECK(tf != NULL);
	if (tf) {
		fputs("scratch", tf);
		fclose(tf);
	}
	CHECK(pb_bootstrap_open_dir(dir, &data, &aux, &err) == 0);
	CHECK(!st_exists(temp));
	sqlite3_close_v2(data);
	sqlite3_close_v2(aux);
	char *after = dump_path(data_path);
	char *aux_after = dump_path(aux_path);
	CHECK_STR(after, before);
	CHECK_STR(aux_after, aux_before);
	free(after);
	free(aux_after);

	/* 3. a deleted auxiliary.db comes back with _logs; data.db stays untouched */
	remove(aux_path);
	CHECK(pb_bootstrap_open_dir(dir, &data, &aux, &err) == 0);
	if (data && aux) {
		check_schema(aux, fresh_aux_schema, sizeof fresh_aux_schema / sizeof fresh_aux_schema[0]);
		sqlite3_close_v2(data);
		sqlite3_close_v2(aux);
	}
	after = dump_path(data_path);
	CHECK_STR(after, before);
	free(after);
	free(before);
	free(aux_before);

	/* 4. a copy of the fixture (written by PocketBase) is served unchanged */
	char *copy_dir = st_join(root, "fixture_copy");
	char *copy_data = st_join(copy_dir, "data.db");
	char *copy_aux = st_join(copy_dir, "auxiliary.db");
	CHECK(mkdir(copy_dir, 0755) == 0);
	CHECK(copy_file(fixture_path, copy_data) == 0);
	CHECK(copy_file(fixture_aux, copy_aux) == 0);
	size_t raw_before_len = 0, raw_after_len = 0;
	char *raw_before = st_read(copy_data, &raw_before_len);
	before = dump_path(copy_data);
	aux_before = dump_path(copy_aux);
	CHECK(strstr(before, "pbc_3142635823") != NULL);
	CHECK(pb_bootstrap_open_dir(copy_dir, &data, &aux, &err) == 0);
	if (data && aux) {
		CHECK(q_int(data, "SELECT count(*) FROM _collections") == 16);
		sqlite3_close_v2(data);
		sqlite3_close_v2(aux);
	}
	after = dump_path(copy_data);
	aux_after = dump_path(copy_aux);
	CHECK_STR(after, before);
	CHECK_STR(aux_after, aux_before);
	char *raw_after = st_read(copy_data, &raw_after_len);
	CHECK(raw_before && raw_after && raw_before_len == raw_after_len &&
	      memcmp(raw_before, raw_after, raw_before_len) == 0);
	free(raw_before);
	free(raw_after);
	free(before);
	free(after);
	free(aux_before);
	free(aux_after);

	/* 5. errors: the directory path runs through a regular file */
	char *blocker = st_join(root, "plainfile");
	tf = fopen(blocker, "w");
	if (tf)
		fclose(tf);
	char *bad_dir = st_join(blocker, "pb_data");
	data = aux = (sqlite3 *)1;
	CHECK(pb_bootstrap_open_dir(bad_dir, &data, &aux, &err) == -1);
	CHECK(err.status == 500 && err.message[0] != '\0');
	CHECK(data == NULL && aux == NULL);
	pb_error_clear(&err);

	/* a data.db that is not a database */
	char *junk_dir = st_join(root, "junk");
	char *junk_db = st_join(junk_dir, "data.db");
	CHECK(mkdir(junk_dir, 0755) == 0);
	tf = fopen(junk_db, "w");
	if (tf) {
		fputs("this is not an sqlite database, just some text padding it out a bit more......", tf);
		fclose(tf);
	}
	data = aux = (sqlite3 *)1;
	CHECK(pb_bootstrap_open_dir(junk_dir, &data, &aux, &err) == -1);
	CHECK(err.status == 500);
	CHECK(data == NULL && aux == NULL);
	pb_error_clear(&err);

	sqlite3_close_v2(fixture);
	st_rm_rf(root);
	free(junk_dir);
	free(junk_db);
	free(blocker);
	free(bad_dir);
	free(copy_dir);
	free(copy_data);
	free(copy_aux);
	free(temp);
	free(temp_sub);
	free(temp_file);
	free(data_path);
	free(aux_path);
	free(dir);
	free(fixture_path);
	free(fixture_aux);
	TEST_DONE();
}
