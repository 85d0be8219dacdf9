/* record_find — single-record lookups (see record_find.h). */
#include "collections/record_find.h"

#include <stdlib.h>
#include <string.h>

#include "collections/query.h"

static json_t *find(sqlite3 *db, struct pb_stmt_cache *cache, const struct pb_collection *c, const char *id,
                    const struct pb_record_export *x, char **token_key_out)
{
	struct pb_strbuf sql = PB_STRBUF_INIT;
	pb_strbuf_puts(&sql, "SELECT ");
	pb_sql_ident(&sql, c->name);
	pb_strbuf_puts(&sql, ".* FROM ");
	pb_sql_ident(&sql, c->name);
	pb_strbuf_puts(&sql, " WHERE ");
	pb_sql_column(&sql, c->name, "id");
	pb_strbuf_puts(&sql, " = ?1 LIMIT 1");
	sqlite3_stmt *st = NULL;
	json_t *rec = NULL;
	if (cache)
		st = pb_stmt_cache_get(cache, pb_strbuf_cstr(&sql), sql.len);
	else if (sqlite3_prepare_v2(db, pb_strbuf_cstr(&sql), (int)sql.len, &st, NULL) != SQLITE_OK)
		goto done;
	if (!st)
		goto done;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		int *map = pb_record_colmap(c, st);
		rec = pb_record_from_row(c, st, map, x);
		if (token_key_out) {
			const struct pb_field *tk = pb_collection_field(c, "tokenKey");
			int col = tk ? map[tk - c->fields] : -1;
			const char *t = col >= 0 ? (const char *)sqlite3_column_text(st, col) : NULL;
			*token_key_out = strdup(t ? t : "");
		}
		free(map);
	}
done:
	if (cache)
		pb_stmt_cache_release(cache, st);
	else
		sqlite3_finalize(st);
	pb_strbuf_deinit(&sql);
	return rec;
}

json_t *pb_record_find_by_id(sqlite3 *db, const struct pb_collection *c, const char *id,
                             const struct pb_record_export *x, char **token_key_out)
{
	return find(db, NULL, c, id, x, token_key_out);
}

json_t *pb_record_find_by_id_cached(struct pb_stmt_cache *cache, const struct pb_collection *c, const char *id,
                                    const struct pb_record_export *x, char **token_key_out)
{
	return find(cache->db, cache, c, id, x, token_key_out);
}
