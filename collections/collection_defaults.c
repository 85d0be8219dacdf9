/* collection_defaults — collection factories and the save-time normalizations
 * (see collection_defaults.h). */
#include "collections/collection_defaults.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collections/collection_doc.h"
#include "collections/field_settings.h"
#include "collections/gostruct.h"
#include "collections/index_parse.h"
#include "collections/index_sql.h"
#include "core/auth_defaults.h"
#include "core/crc32.h"
#include "core/default_fields.h"
#include "core/random.h"

char *pb_collection_checksum_id(const char *type, const char *name, char *out, size_t cap)
{
	size_t n = strlen(type) + strlen(name) + 1;
	char *s = malloc(n);
	if (!s)
		abort();
	snprintf(s, n, "%s%s", type, name);
	pb_crc32_id("pbc_", s, out, cap);
	free(s);
	return out;
}

/* ---- system fields --------------------------------------------------------------------- */

static json_t *field_of_type(json_t *fields, const char *name, const char *type)
{
	json_t *f = pb_fields_by_name(fields, name);
	return f && !strcmp(pb_fjson_str(f, "type"), type) ? f : NULL;
}

/* Add() of a system field built by core/default_fields: the id is cleared so the list assigns
 * it (type + crc32(name), or the id of a same-named field it replaces). */
static void add_default(json_t *fields, json_t *f)
{
	json_object_set_new(f, "id", json_string(""));
	pb_fields_list_add(fields, f);
}

static void set_bool(json_t *f, const char *key, bool v) { json_object_set_new(f, key, json_boolean(v)); }

static void init_id_field(json_t *doc)
{
	json_t *fields = json_object_get(doc, "fields");
	json_t *f = field_of_type(fields, "id", "text");
	if (!f) {
		json_t *list = json_array();
		json_array_append_new(list, pb_default_field_id());
		json_array_extend(list, fields);
		json_object_set_new(doc, "fields", pb_fields_list_new(list));
		json_decref(list);
		return;
	}
	set_bool(f, "system", true);
	set_bool(f, "required", true);
	set_bool(f, "primaryKey", true);
	set_bool(f, "hidden", false);
	if (!*pb_fjson_str(f, "pattern"))
		json_object_set_new(f, "pattern", json_string("^[a-z0-9]+$"));
}

/* fieldIndexName: idx_<field>_<id or name or 10 random chars>, at most 64 bytes. */
static void field_index_name(const json_t *doc, const char *field, char *out, size_t cap)
{
	const char *suffix = pb_collection_doc_str(doc, "id");
	char rnd[11];
	if (!*suffix)
		suffix = pb_collection_doc_str(doc, "name");
	if (!*suffix) {
		pb_random_string(rnd, 10, PB_ALPHABET_ID);
		suffix = rnd;
	}
	snprintf(out, cap < 65 ? cap : 65, "idx_%s_%s", field, suffix);
}

static bool has_single_unique(const json_t *doc, const char *column)
{
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(doc, "indexes"), i, v)
	{
		if (pb_index_is_single_unique(json_string_value(v), column))
			return true;
	}
	return false;
}

static void append_index(json_t *doc, const char *sql)
{
	json_t *idx = json_object_get(doc, "indexes");
	if (!json_is_array(idx)) {
		idx = json_array();
		json_object_set_new(doc, "indexes", idx);
	}
	json_array_append_new(idx, json_string(sql));
}

static void init_auth_fields(json_t *doc)
{
	json_t *fields = json_object_get(doc, "fields");
	json_t *f;
	char name[80], sql[256];
	const char *table = pb_collection_doc_str(doc, "name");

	if ((f = field_of_type(fields, "password", "password"))) {
		set_bool(f, "system", true);
		set_bool(f, "hidden", true);
		set_bool(f, "required", true);
	} else {
		add_default(fields, pb_default_field_password(0, 8));
	}

	if ((f = field_of_type(fields, "tokenKey", "text"))) {
		set_bool(f, "system", true);
		set_bool(f, "hidden", true);
		set_bool(f, "required", true);
	} else {
		add_default(fields, pb_default_field_token_key());
	}
	if (!has_single_unique(doc, "tokenKey")) {
		field_index_name(doc, "tokenKey", name, sizeof name);
		snprintf(sql, sizeof sql, "CREATE UNIQUE INDEX `%s` ON `%s` (`tokenKey`)", name, table);
		append_index(doc, sql);
	}

	if ((f = field_of_type(fields, "email", "email"))) {
		set_bool(f, "system", true);
		set_bool(f, "hidden", false);
	} else {
		add_default(fields, pb_default_field_email());
	}
	if (!has_single_unique(doc, "email")) {
		field_index_name(doc, "email", name, sizeof name);
		snprintf(sql, sizeof sql, "CREATE UNIQUE INDEX `%s` ON `%s` (`email`) WHERE `email` != ''", name, table);
		append_index(doc, sql);
	}

	if ((f = field_of_type(fields, "emailVisibility", "bool")))
		set_bool(f, "system", true);
	else
		add_default(fields, pb_default_field_bool("", "emailVisibility"));
	if ((f = field_of_type(fields, "verified", "bool")))
		set_bool(f, "system", true);
	else
		add_default(fields, pb_default_field_bool("", "verified"));
}

void pb_collection_init_default_fields(json_t *doc)
{
	if (!json_is_array(json_object_get(doc, "fields")))
		json_object_set_new(doc, "fields", json_array());
	switch (pb_collection_doc_type(doc)) {
	case PB_COLLECTION_AUTH:
		init_id_field(doc);
		init_auth_fields(doc);
		break;
	case PB_COLLECTION_VIEW: break; /* view fields come from the query */
	default: init_id_field(doc); break;
	}
}

/* ---- factories ----------------------------------------------------------------------------- */

json_t *pb_collection_new_doc(const char *type, const char *name, const char *id)
{
	const char *t = type && !strcmp(type, "auth") ? "auth" : type && !strcmp(type, "view") ? "view" : "base";
	json_t *doc = pb_collection_doc_zero();
	char cid[32];
	json_object_set_new(doc, "name", json_string(name ? name : ""));
	json_object_set_new(doc, "type", json_string(t));
	json_object_set_new(doc, "indexes", json_null());
	if (!id || !*id)
		id = pb_collection_checksum_id(t, name ? name : "", cid, sizeof cid);
	json_object_set_new(doc, "id", json_string(id));
	pb_collection_init_default_fields(doc);
	if (!strcmp(t, "auth")) {
		json_t *opts = pb_auth_options_new_default();
		if (!opts) {
			json_decref(doc);
			return NULL;
		}
		pb_go_decode(pb_collection_auth_schema, doc, opts);
		json_decref(opts);
	}
	return doc;
}

json_t *pb_collection_scaffolds(const char *random_id)
{
	static const char *const types[] = {"auth", "base", "view"};
	json_t *out = json_object();
	for (size_t i = 0; i < 3; i++) {
		json_t *doc = pb_collection_new_doc(types[i], "", random_id);
		if (!doc) {
			json_decref(out);
			return NULL;
		}
		json_object_set_new(doc, "id", json_string(""));
		json_object_set_new(out, types[i], pb_collection_doc_api_json(doc));
		json_decref(doc);
	}
	return out;
}

/* ---- onCollectionSave -------------------------------------------------------------------- */

static bool id_taken(sqlite3 *db, const char *id)
{
	sqlite3_stmt *st = NULL;
	bool taken = false;
	if (db && sqlite3_prepare_v2(db, "SELECT 1 FROM `_collections` WHERE `id` = ? LIMIT 1", -1, &st, NULL) ==
	              SQLITE_OK) {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
		taken = sqlite3_step(st) == SQLITE_ROW;
	}
	sqlite3_finalize(st);
	return taken;
}

/* strings.ReplaceAll(s, from, to) (from non-empty); malloc'd. */
static char *replace_all(const char *s, const char *from, const char *to)
{
	size_t fl = strlen(from), tl = strlen(to), n = 0;
	for (const char *p = strstr(s, from); p; p = strstr(p + fl, from))
		n++;
	char *out = malloc(strlen(s) + n * tl + 1), *o = out;
	if (!out)
		abort();
	const char *p = s;
	for (const char *q; (q = strstr(p, from)); p = q + fl) {
		memcpy(o, p, (size_t)(q - p));
		o += q - p;
		memcpy(o, to, tl);
		o += tl;
	}
	strcpy(o, p);
	return out;
}

void pb_collection_refresh_generated_id(json_t *doc, const char *autogen_id, sqlite3 *db)
{
	const char *id = pb_collection_doc_str(doc, "id");
	if (!autogen_id || !*id || strcmp(id, autogen_id) != 0)
		return;
	char base[32], cand[40];
	pb_collection_checksum_id(pb_collection_doc_str(doc, "type"), pb_collection_doc_str(doc, "name"), base,
	                          sizeof base);
	snprintf(cand, sizeof cand, "%s", base);
	for (int i = 2; i < 1000 && id_taken(db, cand); i++)
		snprintf(cand, sizeof cand, "%s%d", base, i);
	if (!strcmp(id, cand))
		return;
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(doc, "indexes"), i, v)
	{
		struct pb_index idx;
		pb_index_parse(json_string_value(v), &idx);
		char *renamed = replace_all(idx.index_name, id, cand);
		if (strcmp(renamed, idx.index_name) != 0) {
			free(idx.index_name);
			idx.index_name = renamed;
			char *sql = pb_index_build(&idx);
			json_array_set_new(json_object_get(doc, "indexes"), i, json_string(sql));
			free(sql);
		} else {
			free(renamed);
		}
		pb_index_deinit(&idx);
	}
	json_object_set_new(doc, "id", json_string(cand));
}

static void unset_missing_mapped_fields(json_t *doc)
{
	json_t *mapped = json_object_get(json_object_get(doc, "oauth2"), "mappedFields");
	json_t *fields = json_object_get(doc, "fields");
	static const char *const keys[] = {"id", "name", "username", "avatarURL"};
	for (size_t i = 0; i < 4; i++) {
		const char *v = json_string_value(json_object_get(mapped, keys[i]));
		if (v && *v && !pb_fields_by_name(fields, v))
			json_object_set_new(mapped, keys[i], json_string(""));
	}
}

void pb_collection_normalize(json_t *doc, bool is_new, const char *autogen_id, const char *now, sqlite3 *db)
{
	if (!*pb_collection_doc_str(doc, "type"))
		json_object_set_new(doc, "type", json_string("base"));
	char cid[32];
	if (is_new) {
		if (!*pb_collection_doc_str(doc, "id")) {
			pb_collection_checksum_id(pb_collection_doc_str(doc, "type"), pb_collection_doc_str(doc, "name"), cid,
			                          sizeof cid);
			json_object_set_new(doc, "id", json_string(cid));
			autogen_id = cid;
		}
		json_object_set_new(doc, "created", json_string(now));
	}
	json_object_set_new(doc, "updated", json_string(now));
	json_t *fields = json_object_get(doc, "fields");
	json_object_set_new(doc, "fields", pb_fields_list_new(json_is_array(fields) ? fields : NULL));
	pb_collection_init_default_fields(doc);
	if (pb_collection_doc_type(doc) == PB_COLLECTION_AUTH)
		unset_missing_mapped_fields(doc);
	if (is_new)
		pb_collection_refresh_generated_id(doc, autogen_id, db);
	const char *name = pb_collection_doc_str(doc, "name");
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(doc, "indexes"), i, v)
	{
		struct pb_index idx;
		pb_index_parse(json_string_value(v), &idx);
		if (strcmp(idx.table_name, name) != 0) {
			pb_index_set(&idx.table_name, name);
			char *sql = pb_index_build(&idx);
			if (*sql)
				json_array_set_new(json_object_get(doc, "indexes"), i, json_string(sql));
			free(sql);
		}
		pb_index_deinit(&idx);
	}
}
