/* record_validate — whole-record validation and the database checks (see record_validate.h). */
#include "collections/record_validate.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "collections/field_type.h"
#include "collections/query.h"
#include "collections/validation_messages.h"
#include "core/strbuf.h"

static const char *default_message(const json_t *original)
{
	return original ? "Failed to update record." : "Failed to create record.";
}

int pb_record_validate(const struct pb_collection *c, const json_t *record, const json_t *original,
                       const struct pb_record_validate_opts *opts, struct pb_error *err)
{
	bool failed = false;
	for (size_t i = 0; i < c->nfields; i++) {
		const struct pb_field *f = &c->fields[i];
		const struct pb_field_ops *ops = pb_field_impl(f);
		json_t *zero = NULL, *old_zero = NULL;
		const json_t *value = json_object_get(record, f->name);
		if (!value)
			value = zero = ops->zero(f);
		const json_t *old = NULL;
		if (original) {
			old = json_object_get(original, f->name);
			if (!old)
				old = old_zero = ops->zero(f);
		}
		struct pb_field_value v = {
			.value = value,
			.old_value = old,
			.is_new = original == NULL,
			.plain = opts && opts->plain ? json_string_value(json_object_get(opts->plain, f->name)) : NULL,
			.uploads = opts && opts->uploads ? json_object_get(opts->uploads, f->name) : NULL,
			.collection_name = c->name,
		};
		struct pb_field_error fe = {0};
		bool ok = ops->validate(f, &v, &fe) == 0;
		if (!ok) {
			pb_error_add_field(err, f->name, &fe);
			failed = true;
		}
		pb_field_error_clear(&fe);
		if (ops->db_checks && opts && opts->checks)
			ops->db_checks(f, &v, ok, opts->checks);
		json_decref(zero);
		json_decref(old_zero);
	}
	if (!failed)
		return 0;
	return pb_error_set(err, 400, "%s", opts && opts->message ? opts->message : default_message(original));
}

static int add_error(struct pb_error *err, const char *field, enum pb_vmsg m)
{
	struct pb_field_error fe = {0};
	pb_field_error_set(&fe, m, NULL);
	pb_error_add_field(err, field, &fe);
	pb_field_error_clear(&fe);
	return 1;
}

/* SELECT count(*) FROM `table` WHERE id IN (…) */
static int count_ids(struct pb_stmt_cache *stmts, const char *table, const json_t *ids, long long *count)
{
	/* the id list is bound as one JSON array, so the statement text (and its cache entry) does
	 * not depend on how many ids there are; a single id (the common single relation) is compared
	 * directly, which counts the same row without json_each's temporary table */
	const char *single = json_array_size(ids) == 1 ? json_string_value(json_array_get(ids, 0)) : NULL;
	struct pb_strbuf sql = PB_STRBUF_INIT;
	pb_strbuf_puts(&sql, "SELECT count(*) FROM ");
	pb_sql_ident(&sql, table);
	pb_strbuf_puts(&sql, single ? " WHERE `id` = ?1" : " WHERE `id` IN (SELECT value FROM json_each(?1))");
	sqlite3_stmt *st = pb_stmt_cache_get(stmts, pb_strbuf_cstr(&sql), sql.len);
	pb_strbuf_deinit(&sql);
	if (!st)
		return -1;
	if (single) {
		sqlite3_bind_text(st, 1, single, -1, SQLITE_STATIC);
	} else {
		char *list = json_dumps(ids, JSON_COMPACT);
		sqlite3_bind_text(st, 1, list ? list : "[]", -1, SQLITE_TRANSIENT);
		free(list);
	}
	int rc = sqlite3_step(st);
	*count = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	pb_stmt_cache_release(stmts, st);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* 1 when a row with this id exists in table (case-insensitively when nocase), 0 when not, -1 on
 * error */
static int id_exists(struct pb_stmt_cache *stmts, const char *table, const char *id, bool nocase)
{
	struct pb_strbuf sql = PB_STRBUF_INIT;
	pb_strbuf_puts(&sql, "SELECT (1) FROM ");
	pb_sql_ident(&sql, table);
	pb_strbuf_puts(&sql, nocase ? " WHERE `id` = ?1 COLLATE NOCASE LIMIT 1" : " WHERE `id` = ?1 LIMIT 1");
	sqlite3_stmt *st = pb_stmt_cache_get(stmts, pb_strbuf_cstr(&sql), sql.len);
	pb_strbuf_deinit(&sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	pb_stmt_cache_release(stmts, st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int pb_record_run_checks(struct pb_stmt_cache *stmts, const struct pb_schema *s, const json_t *checks, const char *message,
                         struct pb_error *err)
{
	size_t i;
	json_t *ck;
	json_array_foreach(checks, i, ck)
	{
		const char *kind = json_string_value(json_object_get(ck, "kind"));
		const char *field = json_string_value(json_object_get(ck, "field"));
		if (!kind || !field)
			continue;
		if (!strcmp(kind, "relation")) {
			const char *target = json_string_value(json_object_get(ck, "collectionId"));
			const struct pb_collection *rc = target ? pb_schema_find(s, target) : NULL;
			if (!rc) {
				add_error(err, field, PB_VMSG_MISSING_REL_COLLECTION);
				continue;
			}
			const json_t *ids = json_object_get(ck, "ids");
			long long n = 0;
			/* PocketBase ignores the query error and compares the (zero) count */
			if (count_ids(stmts, rc->name, ids, &n) != 0)
				n = 0;
			if (n != (long long)json_array_size(ids))
				add_error(err, field, PB_VMSG_MISSING_REL_RECORDS);
		} else if (!strcmp(kind, "pk_unique_nocase")) {
			const char *table = json_string_value(json_object_get(ck, "collection"));
			const char *value = json_string_value(json_object_get(ck, "value"));
			int ex = id_exists(stmts, table ? table : "", value ? value : "", true);
			if (ex != 0) /* found, or the query failed: PocketBase rejects both */
				add_error(err, field, PB_VMSG_PK_INVALID);
		}
	}
	if (!err || !err->data || json_object_size(err->data) == 0)
		return 0;
	if (!err->status)
		pb_error_set(err, 400, "%s", message ? message : "Failed to create record.");
	return -1;
}

int pb_record_check_auth_id(struct pb_stmt_cache *stmts, const struct pb_schema *s, const struct pb_collection *c, const char *id,
                            const char *message, struct pb_error *err)
{
	if (c->type != PB_COLLECTION_AUTH)
		return 0;
	for (size_t i = 0; i < s->ncollections; i++) {
		const struct pb_collection *o = s->collections[i];
		if (o->type != PB_COLLECTION_AUTH || !strcmp(o->id, c->id))
			continue;
		if (id_exists(stmts, o->name, id, false) == 1) {
			add_error(err, "id", PB_VMSG_INVALID_AUTH_ID);
			return pb_error_set(err, 400, "%s", message ? message : "Failed to create record.");
		}
	}
	return 0;
}

int pb_record_unique_error(const struct pb_collection *c, const char *sqlite_msg, const char *message,
                           struct pb_error *err)
{
	if (!sqlite_msg)
		return 0;
	/* lower-case, trimmed, commas as spaces, one trailing space (NormalizeUniqueIndexError) */
	size_t n = strlen(sqlite_msg);
	char *msg = malloc(n + 2);
	if (!msg)
		abort();
	size_t start = 0;
	while (start < n && isspace((unsigned char)sqlite_msg[start]))
		start++;
	while (n > start && isspace((unsigned char)sqlite_msg[n - 1]))
		n--;
	size_t w = 0;
	for (size_t i = start; i < n; i++)
		msg[w++] = sqlite_msg[i] == ',' ? ' ' : (char)tolower((unsigned char)sqlite_msg[i]);
	msg[w++] = ' ';
	msg[w] = '\0';
	bool matched = false;
	if (strstr(msg, "unique constraint failed")) {
		for (size_t i = 0; i < c->nfields; i++) {
			struct pb_strbuf needle = PB_STRBUF_INIT;
			pb_strbuf_printf(&needle, " %s.%s ", c->name, c->fields[i].name);
			for (char *p = needle.data; p && *p; p++)
				*p = (char)tolower((unsigned char)*p);
			if (strstr(msg, pb_strbuf_cstr(&needle))) {
				add_error(err, c->fields[i].name, PB_VMSG_NOT_UNIQUE);
				matched = true;
			}
			pb_strbuf_deinit(&needle);
		}
	}
	free(msg);
	if (!matched)
		return 0;
	return pb_error_set(err, 400, "%s", message ? message : "Failed to create record.");
}
