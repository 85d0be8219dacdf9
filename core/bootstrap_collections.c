/* bootstrap_collections — the six collections PocketBase creates on first start.
 * Mirrors what v0.39.11's init migration saves through the normal collection path:
 * `_mfas`, `_otps`, `_externalAuths`, `_authOrigins` (system base collections with owner
 * rules), `_superusers` (system auth collection, 1-day auth tokens) and `users` (a regular
 * auth collection with id `_pb_users_auth_`, `name` and `avatar` fields and owner rules).
 * For each one it writes the `_collections` row (fields JSON with alphabetical keys and the
 * checksum field ids PocketBase derives, the indexes as declared, the auth options in stored
 * order with fresh secrets), then the record table (columns sorted by name, one line) and
 * the indexes in their normalized multi-line form, exactly as PocketBase executes them. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/auth_defaults.h"
#include "core/bootstrap_internal.h"
#include "core/default_fields.h"
#include "core/json_write.h"
#include "core/strbuf.h"

/* The users collection's single image `avatar` field. */
static json_t *avatar_field(void)
{
	static const char *const mimes[] = {"image/jpeg", "image/png", "image/svg+xml", "image/gif", "image/webp"};
	json_t *types = json_array();
	for (size_t i = 0; i < sizeof mimes / sizeof mimes[0]; i++)
		json_array_append_new(types, json_string(mimes[i]));
	json_t *f = json_object();
	json_object_set_new(f, "help", json_string(""));
	json_object_set_new(f, "hidden", json_false());
	json_object_set_new(f, "id", json_string("file376926767"));
	json_object_set_new(f, "maxSelect", json_integer(1));
	json_object_set_new(f, "maxSize", json_integer(0));
	json_object_set_new(f, "mimeTypes", types);
	json_object_set_new(f, "name", json_string("avatar"));
	json_object_set_new(f, "presentable", json_false());
	json_object_set_new(f, "protected", json_false());
	json_object_set_new(f, "required", json_false());
	json_object_set_new(f, "system", json_false());
	json_object_set_new(f, "thumbs", json_null());
	json_object_set_new(f, "type", json_string("file"));
	return f;
}

/* A required system text field of the ref collections (collectionRef, recordRef, …). */
static json_t *ref_text(const char *id, const char *name)
{
	return pb_default_field_text(id, name, true, false, true, 0, 0, "");
}

static json_t *mfas_fields(void)
{
	json_t *a = json_array();
	json_array_append_new(a, pb_default_field_id());
	json_array_append_new(a, ref_text("text455797646", "collectionRef"));
	json_array_append_new(a, ref_text("text127846527", "recordRef"));
	json_array_append_new(a, ref_text("text1582905952", "method"));
	json_array_append_new(a, pb_default_field_autodate(false, true));
	json_array_append_new(a, pb_default_field_autodate(true, true));
	return a;
}

static json_t *otps_fields(void)
{
	json_t *a = json_array();
	json_array_append_new(a, pb_default_field_id());
	json_array_append_new(a, ref_text("text455797646", "collectionRef"));
	json_array_append_new(a, ref_text("text127846527", "recordRef"));
	json_array_append_new(a, pb_default_field_password(8, 0));
	json_array_append_new(a, pb_default_field_text("text3866985172", "sentTo", true, true, false, 0, 0, ""));
	json_array_append_new(a, pb_default_field_autodate(false, true));
	json_array_append_new(a, pb_default_field_autodate(true, true));
	return a;
}

static json_t *external_auths_fields(void)
{
	json_t *a = json_array();
	json_array_append_new(a, pb_default_field_id());
	json_array_append_new(a, ref_text("text455797646", "collectionRef"));
	json_array_append_new(a, ref_text("text127846527", "recordRef"));
	json_array_append_new(a, ref_text("text2462348188", "provider"));
	json_array_append_new(a, ref_text("text1044722854", "providerId"));
	json_array_append_new(a, pb_default_field_autodate(false, true));
	json_array_append_new(a, pb_default_field_autodate(true, true));
	return a;
}

static json_t *auth_origins_fields(void)
{
	json_t *a = json_array();
	json_array_append_new(a, pb_default_field_id());
	json_array_append_new(a, ref_text("text455797646", "collectionRef"));
	json_array_append_new(a, ref_text("text127846527", "recordRef"));
	json_array_append_new(a, ref_text("text4228609354", "fingerprint"));
	json_array_append_new(a, pb_default_field_autodate(false, true));
	json_array_append_new(a, pb_default_field_autodate(true, true));
	return a;
}

static json_t *superusers_fields(void)
{
	json_t *a = json_array();
	pb_default_auth_fields_append(a);
	json_array_append_new(a, pb_default_field_autodate(false, true));
	json_array_append_new(a, pb_default_field_autodate(true, true));
	return a;
}

static json_t *users_fields(void)
{
	json_t *a = json_array();
	pb_default_auth_fields_append(a);
	json_array_append_new(a, pb_default_field_text("text1579384326", "name", false, false, false, 0, 255, ""));
	json_array_append_new(a, avatar_field());
	json_array_append_new(a, pb_default_field_autodate(false, false));
	json_array_append_new(a, pb_default_field_autodate(true, false));
	return a;
}

/* ---- the collections -------------------------------------------------------------------- */

#define OWNER_RULE "@request.auth.id != '' && recordRef = @request.auth.id && collectionRef = @request.auth.collectionId"
#define USER_RULE "id = @request.auth.id"
#define ID_COLUMN "`id` TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL"

struct system_collection {
	const char *id, *name, *type;
	bool system;
	const char *rules[5];          /* list, view, create, update, delete; NULL = null rule */
	json_t *(*fields)(void);
	const char *indexes[3];        /* as declared in `indexes` (NULL-terminated) */
	const char *table_sql;         /* the record table, as PocketBase's builder emits it */
	const char *index_sql[3];      /* the executed (normalized) index statements */
	long long auth_token_duration; /* auth only: authToken.duration */
	bool users_mapping;            /* users: oauth2 mappedFields name/avatarURL */
};

static const struct system_collection system_collections[] = {
	{
		.id = "pbc_2279338944",
		.name = "_mfas",
		.type = "base",
		.system = true,
		.rules = {OWNER_RULE, OWNER_RULE, NULL, NULL, NULL},
		.fields = mfas_fields,
		.indexes = {"CREATE INDEX `idx_mfas_collectionRef_recordRef` ON `_mfas` (collectionRef,recordRef)"},
		.table_sql = "CREATE TABLE `_mfas` (`collectionRef` TEXT DEFAULT '' NOT NULL, `created` TEXT DEFAULT '' NOT "
		             "NULL, " ID_COLUMN ", `method` TEXT DEFAULT '' NOT NULL, `recordRef` TEXT DEFAULT '' NOT NULL, "
		             "`updated` TEXT DEFAULT '' NOT NULL)",
		.index_sql = {"CREATE INDEX `idx_mfas_collectionRef_recordRef` ON `_mfas` (\n  `collectionRef`,\n  "
		              "`recordRef`\n)"},
	},
	{
		.id = "pbc_1638494021",
		.name = "_otps",
		.type = "base",
		.system = true,
		.rules = {OWNER_RULE, OWNER_RULE, NULL, NULL, NULL},
		.fields = otps_fields,
		.indexes = {"CREATE INDEX `idx_otps_collectionRef_recordRef` ON `_otps` (collectionRef, recordRef)"},
		.table_sql = "CREATE TABLE `_otps` (`collectionRef` TEXT DEFAULT '' NOT NULL, `created` TEXT DEFAULT '' NOT "
		             "NULL, " ID_COLUMN ", `password` TEXT DEFAULT '' NOT NULL, `recordRef` TEXT DEFAULT '' NOT "
		             "NULL, `sentTo` TEXT DEFAULT '' NOT NULL, `updated` TEXT DEFAULT '' NOT NULL)",
		.index_sql = {"CREATE INDEX `idx_otps_collectionRef_recordRef` ON `_otps` (\n  `collectionRef`,\n  "
		              "`recordRef`\n)"},
	},
	{
		.id = "pbc_2281828961",
		.name = "_externalAuths",
		.type = "base",
		.system = true,
		.rules = {OWNER_RULE, OWNER_RULE, NULL, NULL, OWNER_RULE},
		.fields = external_auths_fields,
		.indexes = {"CREATE UNIQUE INDEX `idx_externalAuths_record_provider` ON `_externalAuths` (collectionRef, "
		            "recordRef, provider)",
		            "CREATE UNIQUE INDEX `idx_externalAuths_collection_provider` ON `_externalAuths` (collectionRef, "
		            "provider, providerId)"},
		.table_sql = "CREATE TABLE `_externalAuths` (`collectionRef` TEXT DEFAULT '' NOT NULL, `created` TEXT "
		             "DEFAULT '' NOT NULL, " ID_COLUMN ", `provider` TEXT DEFAULT '' NOT NULL, `providerId` TEXT "
		             "DEFAULT '' NOT NULL, `recordRef` TEXT DEFAULT '' NOT NULL, `updated` TEXT DEFAULT '' NOT NULL)",
		.index_sql = {"CREATE UNIQUE INDEX `idx_externalAuths_record_provider` ON `_externalAuths` (\n  "
		              "`collectionRef`,\n  `recordRef`,\n  `provider`\n)",
		              "CREATE UNIQUE INDEX `idx_externalAuths_collection_provider` ON `_externalAuths` (\n  "
		              "`collectionRef`,\n  `provider`,\n  `providerId`\n)"},
	},
	{
		.id = "pbc_4275539003",
		.name = "_authOrigins",
		.type = "base",
		.system = true,
		.rules = {OWNER_RULE, OWNER_RULE, NULL, NULL, OWNER_RULE},
		.fields = auth_origins_fields,
		.indexes = {"CREATE UNIQUE INDEX `idx_authOrigins_unique_pairs` ON `_authOrigins` (collectionRef, "
		            "recordRef, fingerprint)"},
		.table_sql = "CREATE TABLE `_authOrigins` (`collectionRef` TEXT DEFAULT '' NOT NULL, `created` TEXT DEFAULT "
		             "'' NOT NULL, `fingerprint` TEXT DEFAULT '' NOT NULL, " ID_COLUMN ", `recordRef` TEXT DEFAULT "
		             "'' NOT NULL, `updated` TEXT DEFAULT '' NOT NULL)",
		.index_sql = {"CREATE UNIQUE INDEX `idx_authOrigins_unique_pairs` ON `_authOrigins` (\n  `collectionRef`,\n  "
		              "`recordRef`,\n  `fingerprint`\n)"},
	},
	{
		.id = "pbc_3142635823",
		.name = "_superusers",
		.type = "auth",
		.system = true,
		.rules = {NULL, NULL, NULL, NULL, NULL},
		.fields = superusers_fields,
		.indexes = {"CREATE UNIQUE INDEX `idx_tokenKey_pbc_3142635823` ON `_superusers` (`tokenKey`)",
		            "CREATE UNIQUE INDEX `idx_email_pbc_3142635823` ON `_superusers` (`email`) WHERE `email` != ''"},
		.table_sql = "CREATE TABLE `_superusers` (`created` TEXT DEFAULT '' NOT NULL, `email` TEXT DEFAULT '' NOT "
		             "NULL, `emailVisibility` BOOLEAN DEFAULT FALSE NOT NULL, " ID_COLUMN ", `password` TEXT "
		             "DEFAULT '' NOT NULL, `tokenKey` TEXT DEFAULT '' NOT NULL, `updated` TEXT DEFAULT '' NOT NULL, "
		             "`verified` BOOLEAN DEFAULT FALSE NOT NULL)",
		.index_sql = {"CREATE UNIQUE INDEX `idx_tokenKey_pbc_3142635823` ON `_superusers` (`tokenKey`)",
		              "CREATE UNIQUE INDEX `idx_email_pbc_3142635823` ON `_superusers` (`email`) WHERE `email` != ''"},
		.auth_token_duration = 86400,
	},
	{
		.id = "_pb_users_auth_",
		.name = "users",
		.type = "auth",
		.system = false,
		.rules = {USER_RULE, USER_RULE, "", USER_RULE, USER_RULE},
		.fields = users_fields,
		.indexes = {"CREATE UNIQUE INDEX `idx_tokenKey__pb_users_auth_` ON `users` (`tokenKey`)",
		            "CREATE UNIQUE INDEX `idx_email__pb_users_auth_` ON `users` (`email`) WHERE `email` != ''"},
		.table_sql = "CREATE TABLE `users` (`avatar` TEXT DEFAULT '' NOT NULL, `created` TEXT DEFAULT '' NOT NULL, "
		             "`email` TEXT DEFAULT '' NOT NULL, `emailVisibility` BOOLEAN DEFAULT FALSE NOT NULL, " ID_COLUMN
		             ", `name` TEXT DEFAULT '' NOT NULL, `password` TEXT DEFAULT '' NOT NULL, `tokenKey` TEXT "
		             "DEFAULT '' NOT NULL, `updated` TEXT DEFAULT '' NOT NULL, `verified` BOOLEAN DEFAULT FALSE NOT "
		             "NULL)",
		.index_sql = {"CREATE UNIQUE INDEX `idx_tokenKey__pb_users_auth_` ON `users` (`tokenKey`)",
		              "CREATE UNIQUE INDEX `idx_email__pb_users_auth_` ON `users` (`email`) WHERE `email` != ''"},
		.auth_token_duration = 432000,
		.users_mapping = true,
	},
};

static const char insert_collection_sql[] =
	"INSERT INTO `_collections` (`id`, `system`, `type`, `name`, `fields`, `indexes`, `listRule`, `viewRule`, "
	"`createRule`, `updateRule`, `deleteRule`, `options`, `created`, `updated`) "
	"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/* The stored options text of `c`: "{}" for base, the full auth options otherwise.
 * Returns a malloc'ed string or NULL when the RNG fails. */
static char *options_text(const struct system_collection *c)
{
	if (strcmp(c->type, "auth") != 0)
		return strdup("{}");
	json_t *o = pb_auth_options_new_default();
	if (!o)
		return NULL;
	json_integer_set(json_object_get(json_object_get(o, "authToken"), "duration"), c->auth_token_duration);
	if (c->users_mapping) {
		json_t *mapped = json_object_get(json_object_get(o, "oauth2"), "mappedFields");
		json_object_set_new(mapped, "name", json_string("name"));
		json_object_set_new(mapped, "avatarURL", json_string("avatar"));
	}
	char *s = pb_json_dumps(o);
	json_decref(o);
	return s;
}

static int exec_sql(sqlite3 *db, const char *sql, const char *what, struct pb_error *err)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		pb_error_set(err, 500, "%s: %s", what, msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int create_one(sqlite3 *db, sqlite3_stmt *ins, const struct system_collection *c, struct pb_error *err)
{
	int rc = -1;
	char now[PB_BOOTSTRAP_DATE_LEN + 1];
	json_t *fields = c->fields();
	json_t *indexes = json_array();
	for (size_t i = 0; i < 3 && c->indexes[i]; i++)
		json_array_append_new(indexes, json_string(c->indexes[i]));
	char *fields_text = pb_json_dumps(fields);
	char *indexes_text = pb_json_dumps(indexes);
	char *options = options_text(c);
	if (!options) {
		pb_error_set(err, 500, "%s: failed to generate the token secrets", c->name);
		goto done;
	}
	pb_bootstrap_now_date(now);

	sqlite3_reset(ins);
	sqlite3_clear_bindings(ins);
	sqlite3_bind_text(ins, 1, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_int(ins, 2, c->system ? 1 : 0);
	sqlite3_bind_text(ins, 3, c->type, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 4, c->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 5, fields_text, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 6, indexes_text, -1, SQLITE_STATIC);
	for (int r = 0; r < 5; r++) {
		if (c->rules[r])
			sqlite3_bind_text(ins, 7 + r, c->rules[r], -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(ins, 7 + r);
	}
	sqlite3_bind_text(ins, 12, options, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 13, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 14, now, -1, SQLITE_STATIC);
	if (sqlite3_step(ins) != SQLITE_DONE) {
		pb_error_set(err, 500, "failed to insert the %s collection: %s", c->name, sqlite3_errmsg(db));
		goto done;
	}
	sqlite3_reset(ins);

	if (exec_sql(db, c->table_sql, c->name, err) != 0)
		goto done;
	for (size_t i = 0; i < 3 && c->index_sql[i]; i++)
		if (exec_sql(db, c->index_sql[i], c->name, err) != 0)
			goto done;
	rc = 0;

done:
	sqlite3_reset(ins);
	sqlite3_clear_bindings(ins);
	json_decref(fields);
	json_decref(indexes);
	free(fields_text);
	free(indexes_text);
	free(options);
	return rc;
}

int pb_bootstrap_create_system_collections(sqlite3 *db, struct pb_error *err)
{
	sqlite3_stmt *ins = NULL;
	if (sqlite3_prepare_v2(db, insert_collection_sql, -1, &ins, NULL) != SQLITE_OK)
		return pb_error_set(err, 500, "failed to prepare the collection insert: %s", sqlite3_errmsg(db));
	int rc = 0;
	for (size_t i = 0; i < sizeof system_collections / sizeof system_collections[0]; i++) {
		if (create_one(db, ins, &system_collections[i], err) != 0) {
			rc = -1;
			break;
		}
	}
	sqlite3_finalize(ins);
	return rc;
}
