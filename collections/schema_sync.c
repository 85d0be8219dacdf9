/* schema_sync — record table DDL (see schema_sync.h). */
#include "collections/schema_sync.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "collections/field_settings.h"
#include "collections/field_type.h"
#include "collections/index_sql.h"
#include "core/json_write.h"
#include "core/random.h"
#include "core/strbuf.h"
#include "core/validation.h"

static int sql_error(sqlite3 *db, int rc, const char *prefix, struct pb_error *err)
{
	const char *msg = sqlite3_errmsg(db), *str = sqlite3_errstr(rc);
	if (msg && strcmp(msg, str) != 0)
		return pb_error_set(err, 400, "%s%s: %s (%d)", prefix ? prefix : "", str, msg, rc);
	return pb_error_set(err, 400, "%s%s (%d)", prefix ? prefix : "", str, rc);
}

static int exec(sqlite3 *db, const char *sql, const char *prefix, struct pb_error *err)
{
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : sql_error(db, rc, prefix, err);
}

static void ident(struct pb_strbuf *b, const char *name)
{
	pb_strbuf_putc(b, '`');
	pb_strbuf_puts(b, name);
	pb_strbuf_putc(b, '`');
}

/* ALTER TABLE `t` <verb> … built from parts; NULL parts are skipped. */
static int alter(sqlite3 *db, const char *table, const char *verb, const char *a, const char *mid, const char *b,
                 const char *tail, const char *prefix, struct pb_error *err)
{
	struct pb_strbuf s = PB_STRBUF_INIT;
	pb_strbuf_puts(&s, "ALTER TABLE ");
	ident(&s, table);
	pb_strbuf_printf(&s, " %s ", verb);
	ident(&s, a);
	if (mid) {
		pb_strbuf_printf(&s, " %s ", mid);
		ident(&s, b);
	}
	if (tail)
		pb_strbuf_printf(&s, " %s", tail);
	int rc = exec(db, s.data, prefix, err);
	pb_strbuf_deinit(&s);
	return rc;
}

bool pb_schema_has_table(sqlite3 *db, const char *name)
{
	sqlite3_stmt *st = NULL;
	bool found = false;
	if (sqlite3_prepare_v2(db,
	                       "SELECT 1 FROM sqlite_schema WHERE type IN ('table', 'view') AND LOWER(name) = LOWER(?1) "
	                       "LIMIT 1",
	                       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
		found = sqlite3_step(st) == SQLITE_ROW;
	}
	sqlite3_finalize(st);
	return found;
}

int pb_schema_drop(sqlite3 *db, const struct pb_collection *c, struct pb_error *err)
{
	struct pb_strbuf s = PB_STRBUF_INIT;
	pb_strbuf_puts(&s, c->type == PB_COLLECTION_VIEW ? "DROP VIEW IF EXISTS " : "DROP TABLE IF EXISTS ");
	ident(&s, c->name);
	int rc = exec(db, s.data, NULL, err);
	pb_strbuf_deinit(&s);
	return rc;
}

/* ---- indexes -------------------------------------------------------------------------------- */

static int drop_indexes(sqlite3 *db, const struct pb_collection *c, struct pb_error *err)
{
	size_t i;
	json_t *v;
	json_array_foreach(c->indexes, i, v)
	{
		char *name = pb_index_name_of(json_string_value(v));
		if (!*name) {
			free(name);
			return pb_error_set(err, 400, "failed to dop index - missing index name: %s",
			                    json_string_value(v) ? json_string_value(v) : "");
		}
		struct pb_strbuf s = PB_STRBUF_INIT;
		pb_strbuf_puts(&s, "DROP INDEX IF EXISTS ");
		ident(&s, name);
		free(name);
		int rc = exec(db, s.data, NULL, err);
		pb_strbuf_deinit(&s);
		if (rc != 0)
			return -1;
	}
	return 0;
}

static int create_indexes(sqlite3 *db, const struct pb_collection *c, struct pb_error *err)
{
	json_t *errs = json_object();
	size_t i;
	json_t *v;
	json_array_foreach(c->indexes, i, v)
	{
		struct pb_index idx;
		pb_index_parse(json_string_value(v), &idx);
		pb_index_set(&idx.table_name, c->name);
		char key[24];
		snprintf(key, sizeof key, "%zu", i);
		if (!pb_index_is_valid(&idx)) {
			json_object_set_new(errs, key,
			                    pb_validation_item("validation_invalid_index_expression",
			                                       "Invalid CREATE INDEX expression.", NULL));
		} else {
			char *sql = pb_index_build(&idx);
			struct pb_error e = PB_ERROR_INIT;
			if (exec(db, sql, NULL, &e) != 0) {
				struct pb_strbuf m = PB_STRBUF_INIT;
				pb_strbuf_printf(&m, "Failed to create index %s - %s.", idx.index_name, e.message);
				json_object_set_new(errs, key,
				                    pb_validation_item("validation_invalid_index_expression", pb_strbuf_cstr(&m),
				                                       NULL));
				pb_strbuf_deinit(&m);
			}
			pb_error_clear(&e);
			free(sql);
		}
		pb_index_deinit(&idx);
	}
	if (!json_object_size(errs)) {
		json_decref(errs);
		return 0;
	}
	pb_error_set(err, 400, "%s", ""); /* a validation tree, not a raw error */
	json_decref(err->data);
	err->data = json_pack("{so}", "indexes", pb_json_sorted_copy(errs));
	json_decref(errs);
	return -1;
}

/* ---- create --------------------------------------------------------------------------------- */

static int cmp_field_names(const void *a, const void *b)
{
	const struct pb_field *x = *(const struct pb_field *const *)a, *y = *(const struct pb_field *const *)b;
	return strcmp(x->name, y->name);
}

static int create_table(sqlite3 *db, const struct pb_collection *c, struct pb_error *err)
{
	const struct pb_field **sorted = calloc(c->nfields ? c->nfields : 1, sizeof *sorted);
	if (!sorted)
		abort();
	size_t n = 0;
	for (size_t i = 0; i < c->nfields; i++) {
		bool dup = false; /* a Go map keeps one column per name (the last field's definition) */
		for (size_t j = 0; j < n && !dup; j++)
			if (!strcmp(sorted[j]->name, c->fields[i].name)) {
				sorted[j] = &c->fields[i];
				dup = true;
			}
		if (!dup)
			sorted[n++] = &c->fields[i];
	}
	qsort(sorted, n, sizeof *sorted, cmp_field_names);
	struct pb_strbuf s = PB_STRBUF_INIT;
	pb_strbuf_puts(&s, "CREATE TABLE ");
	ident(&s, c->name);
	pb_strbuf_puts(&s, " (");
	for (size_t i = 0; i < n; i++) {
		if (i)
			pb_strbuf_puts(&s, ", ");
		ident(&s, sorted[i]->name);
		pb_strbuf_putc(&s, ' ');
		pb_strbuf_puts(&s, pb_field_impl(sorted[i])->column_def(sorted[i]));
	}
	pb_strbuf_putc(&s, ')');
	free(sorted);
	int rc = exec(db, s.data, NULL, err);
	pb_strbuf_deinit(&s);
	return rc != 0 ? -1 : create_indexes(db, c, err);
}

/* ---- update --------------------------------------------------------------------------------- */

static const struct pb_field *field_by_id(const struct pb_collection *c, const char *id)
{
	for (size_t i = 0; i < c->nfields; i++)
		if (!strcmp(c->fields[i].id, id))
			return &c->fields[i];
	return NULL;
}

/* FieldsList.String(): the canonical field list JSON. */
static char *fields_string(const struct pb_collection *c)
{
	json_t *a = json_array();
	for (size_t i = 0; i < c->nfields; i++) {
		json_t *f = pb_field_settings_canonical(c->fields[i].raw);
		json_array_append_new(a, f ? f : pb_json_sorted_copy(c->fields[i].raw));
	}
	char *s = pb_json_dumps(a);
	json_decref(a);
	return s;
}

static char *temp_name(const char *base, const char *prefix)
{
	char rnd[6];
	pb_random_string(rnd, 5, PB_ALPHABET_ALNUM);
	struct pb_strbuf s = PB_STRBUF_INIT;
	pb_strbuf_printf(&s, "%s%s%s", prefix, base, rnd);
	return pb_strbuf_steal(&s);
}

static bool is_multi_capable(const struct pb_field *f)
{
	return f->type == PB_FIELD_SELECT || f->type == PB_FIELD_RELATION || f->type == PB_FIELD_FILE;
}

/* Drops every view (returning their SQL) so columns can be renamed underneath them. */
static json_t *drop_views(sqlite3 *db, struct pb_error *err)
{
	sqlite3_stmt *st = NULL;
	json_t *views = json_array();
	if (sqlite3_prepare_v2(db, "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND type = 'view'", -1, &st,
	                       NULL) != SQLITE_OK) {
		sql_error(db, sqlite3_errcode(db), NULL, err);
		json_decref(views);
		return NULL;
	}
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(views, json_pack("{ssss}", "name", (const char *)sqlite3_column_text(st, 0), "sql",
		                                       (const char *)sqlite3_column_text(st, 1)));
	sqlite3_finalize(st);
	size_t i;
	json_t *v;
	json_array_foreach(views, i, v)
	{
		struct pb_strbuf s = PB_STRBUF_INIT;
		pb_strbuf_puts(&s, "DROP VIEW IF EXISTS ");
		ident(&s, json_string_value(json_object_get(v, "name")));
		int rc = exec(db, s.data, NULL, err);
		pb_strbuf_deinit(&s);
		if (rc != 0) {
			json_decref(views);
			return NULL;
		}
	}
	return views;
}

static int convert_column(sqlite3 *db, const struct pb_collection *c, const struct pb_field *f, bool to_multiple,
                          struct pb_error *err)
{
	json_t *views = drop_views(db, err);
	if (!views)
		return -1;
	int rc = -1;
	char *tmp = temp_name(f->name, "_");
	if (alter(db, c->name, "RENAME COLUMN", f->name, "TO", tmp, NULL, NULL, err) != 0 ||
	    alter(db, c->name, "ADD", f->name, NULL, NULL, pb_field_impl(f)->column_def(f), NULL, err) != 0)
		goto done;
	struct pb_strbuf s = PB_STRBUF_INIT;
	pb_strbuf_puts(&s, "UPDATE ");
	ident(&s, c->name);
	pb_strbuf_puts(&s, " set ");
	ident(&s, f->name);
	struct pb_strbuf t = PB_STRBUF_INIT;
	ident(&t, tmp);
	const char *o = t.data;
	if (to_multiple)
		pb_strbuf_printf(&s,
		                 " = (CASE WHEN COALESCE(%s, '') = '' THEN '[]' ELSE (CASE WHEN json_valid(%s) AND "
		                 "json_type(%s) == 'array' THEN %s ELSE json_array(%s) END) END)",
		                 o, o, o, o, o);
	else
		pb_strbuf_printf(&s,
		                 " = (CASE WHEN COALESCE(%s, '[]') = '[]' THEN '' ELSE (CASE WHEN json_valid(%s) AND "
		                 "json_type(%s) == 'array' THEN COALESCE(json_extract(%s, '$[#-1]'), '') ELSE %s END) END)",
		                 o, o, o, o, o);
	int urc = exec(db, s.data, NULL, err);
	pb_strbuf_deinit(&s);
	pb_strbuf_deinit(&t);
	if (urc != 0 || alter(db, c->name, "DROP COLUMN", tmp, NULL, NULL, NULL, NULL, err) != 0)
		goto done;
	size_t i;
	json_t *v;
	json_array_foreach(views, i, v)
	{
		if (exec(db, json_string_value(json_object_get(v, "sql")), NULL, err) != 0)
			goto done;
	}
	rc = 0;
done:
	free(tmp);
	json_decref(views);
	return rc;
}

static int normalize_multiplicity(sqlite3 *db, const struct pb_collection *newc, const struct pb_collection *oldc,
                                  struct pb_error *err)
{
	for (size_t i = 0; i < newc->nfields; i++) {
		const struct pb_field *f = &newc->fields[i];
		const struct pb_field *old = field_by_id(oldc, f->id);
		bool old_multi = old && is_multi_capable(old) && pb_field_is_multiple(old);
		bool new_multi = is_multi_capable(f) && pb_field_is_multiple(f);
		if (old_multi != new_multi && convert_column(db, newc, f, new_multi, err) != 0)
			return -1;
	}
	return 0;
}

static int update_table(sqlite3 *db, const struct pb_collection *newc, const struct pb_collection *oldc,
                        struct pb_error *err)
{
	bool rename = strcasecmp(oldc->name, newc->name) != 0;
	char *of = fields_string(oldc), *nf = fields_string(newc);
	char *oi = pb_json_dumps(oldc->indexes), *ni = pb_json_dumps(newc->indexes);
	bool indexes_update = rename || strcmp(of, nf) || strcmp(oi, ni);
	free(of);
	free(nf);
	free(oi);
	free(ni);
	if (indexes_update && drop_indexes(db, oldc, err) != 0)
		return -1;
	if (rename) {
		struct pb_strbuf s = PB_STRBUF_INIT;
		pb_strbuf_puts(&s, "ALTER TABLE ");
		ident(&s, oldc->name);
		pb_strbuf_puts(&s, " RENAME TO ");
		ident(&s, newc->name);
		int rc = exec(db, s.data, NULL, err);
		pb_strbuf_deinit(&s);
		if (rc != 0)
			return -1;
	}
	const char *table = newc->name;
	for (size_t i = 0; i < oldc->nfields; i++) {
		const struct pb_field *old = &oldc->fields[i];
		if (field_by_id(newc, old->id))
			continue;
		struct pb_strbuf p = PB_STRBUF_INIT;
		pb_strbuf_printf(&p, "failed to drop column %s - ", old->name);
		int rc = alter(db, table, "DROP COLUMN", old->name, NULL, NULL, NULL, p.data, err);
		pb_strbuf_deinit(&p);
		if (rc != 0)
			return -1;
	}
	char **temps = calloc(newc->nfields ? newc->nfields : 1, sizeof *temps);
	if (!temps)
		abort();
	int rc = 0;
	for (size_t i = 0; i < newc->nfields && rc == 0; i++) {
		const struct pb_field *f = &newc->fields[i];
		const struct pb_field *old = field_by_id(oldc, f->id);
		struct pb_strbuf p = PB_STRBUF_INIT;
		if (!old) {
			temps[i] = temp_name(f->name, "");
			pb_strbuf_printf(&p, "failed to add column %s - ", f->name);
			rc = alter(db, table, "ADD", temps[i], NULL, NULL, pb_field_impl(f)->column_def(f), p.data, err);
		} else if (strcmp(old->name, f->name) != 0) {
			temps[i] = temp_name(f->name, "");
			pb_strbuf_printf(&p, "failed to rename column %s - ", old->name);
			rc = alter(db, table, "RENAME COLUMN", old->name, "TO", temps[i], NULL, p.data, err);
		}
		pb_strbuf_deinit(&p);
	}
	for (size_t i = 0; i < newc->nfields && rc == 0; i++)
		if (temps[i])
			rc = alter(db, table, "RENAME COLUMN", temps[i], "TO", newc->fields[i].name, NULL, NULL, err);
	for (size_t i = 0; i < newc->nfields; i++)
		free(temps[i]);
	free(temps);
	if (rc != 0 || normalize_multiplicity(db, newc, oldc, err) != 0)
		return -1;
	return indexes_update ? create_indexes(db, newc, err) : 0;
}

int pb_schema_sync_table(sqlite3 *db, const struct pb_collection *newc, const struct pb_collection *oldc,
                         struct pb_error *err)
{
	if (newc->type == PB_COLLECTION_VIEW)
		return 0;
	if (!oldc || !pb_schema_has_table(db, oldc->name))
		return create_table(db, newc, err);
	return update_table(db, newc, oldc, err);
}
