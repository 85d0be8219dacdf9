/* auth_lookup — email / identity lookups of auth records (see auth_lookup.h). */
#include "collections/auth_lookup.h"

#include <stdlib.h>
#include <string.h>

#include "collections/auth_options.h"
#include "collections/index_parse.h"
#include "collections/query.h"
#include "collections/record_find.h"
#include "collections/record_json.h"
#include "collections/record_save_internal.h"

static const struct pb_record_export stored_export = {.show_hidden = true, .show_email = true, .keep_secrets = true};

static json_t *find_where(struct pb_stmt_cache *stmts, const struct pb_collection *c, const char *field,
                          const char *value, bool nocase, struct pb_error *err)
{
	struct pb_strbuf sql = PB_STRBUF_INIT;
	pb_strbuf_puts(&sql, "SELECT ");
	pb_sql_ident(&sql, c->name);
	pb_strbuf_puts(&sql, ".* FROM ");
	pb_sql_ident(&sql, c->name);
	pb_strbuf_puts(&sql, " WHERE ");
	pb_sql_column(&sql, c->name, field);
	pb_strbuf_puts(&sql, nocase ? " = ?1 COLLATE NOCASE LIMIT 1" : " = ?1 LIMIT 1");
	json_t *rec = NULL;
	sqlite3_stmt *st = pb_stmt_cache_get(stmts, pb_strbuf_cstr(&sql), sql.len);
	if (!st) {
		pb_error_set(err, 500, "%s", sqlite3_errmsg(stmts->db));
		goto done;
	}
	sqlite3_bind_text(st, 1, value, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		int *map = pb_record_colmap(c, st);
		rec = pb_record_from_row(c, st, map, &stored_export);
		free(map);
	} else if (rc != SQLITE_DONE) {
		pb_error_set(err, 500, "%s", sqlite3_errmsg(stmts->db));
	}
	pb_stmt_cache_release(stmts, st);
done:
	pb_strbuf_deinit(&sql);
	return rec;
}

json_t *pb_auth_find_by_email(struct pb_stmt_cache *stmts, const struct pb_collection *c, const char *email,
                              struct pb_error *err)
{
	if (!c || c->type != PB_COLLECTION_AUTH || !email)
		return NULL;
	bool nocase = false;
	pb_collection_unique_index_nocase(c, "email", &nocase);
	return find_where(stmts, c, "email", email, nocase, err);
}

json_t *pb_auth_find_by_identity(struct pb_stmt_cache *stmts, const struct pb_collection *c, const char *field,
                                 const char *value, struct pb_error *err)
{
	struct pb_auth_options o;
	pb_auth_options_get(c, &o);
	if (!pb_auth_options_is_identity(&o, field)) {
		pb_error_set(err, 500, "invalid identity field %s", field);
		return NULL;
	}
	bool nocase = false;
	if (!pb_collection_unique_index_nocase(c, field, &nocase)) {
		pb_error_set(err, 500, "missing %s unique index constraint", field);
		return NULL;
	}
	return find_where(stmts, c, field, value ? value : "", nocase, err);
}

json_t *pb_auth_find_stored(struct pb_stmt_cache *stmts, const struct pb_collection *c, const char *id)
{
	return pb_record_find_by_id_cached(stmts, c, id ? id : "", &stored_export, NULL);
}

json_t *pb_auth_record_public(const struct pb_collection *c, const json_t *stored)
{
	return pb_save_public_copy(c, stored);
}

const char *pb_auth_str(const json_t *record, const char *field)
{
	const char *s = json_string_value(json_object_get(record, field));
	return s ? s : "";
}
