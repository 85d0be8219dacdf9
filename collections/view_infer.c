/* view_infer — view fields, view DDL and dry runs (see view_infer.h). Everything that only
 * inspects (field inference, the id check, dry runs) runs inside its own SAVEPOINT that is
 * always rolled back, so temporary views never survive, whatever fails. */
#include "collections/view_infer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "collections/collection_defaults.h"
#include "collections/collection_doc.h"
#include "collections/collection_validate.h"
#include "collections/field_settings.h"
#include "collections/record_json.h"
#include "collections/view_internal.h"
#include "core/random.h"
#include "core/regex.h"
#include "core/strbuf.h"
#include "core/tokenizer.h"

#define WS "[\\t\\n\\f\\r ]"
static const char cast_pattern[] = "(?is)^cast" WS "*\\(.*" WS "+as" WS "+(\\w+)" WS "*\\)$";

/* modernc.org/sqlite's error text: "<errstr>: <errmsg> (<code>)". */
static int sql_error(sqlite3 *db, int rc, struct pb_error *err)
{
	const char *msg = sqlite3_errmsg(db);
	const char *str = sqlite3_errstr(rc);
	if (msg && strcmp(msg, str) != 0)
		return pb_error_set(err, 400, "%s: %s (%d)", str, msg, rc);
	return pb_error_set(err, 400, "%s (%d)", str, rc);
}

static int exec(sqlite3 *db, const char *sql, struct pb_error *err)
{
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : sql_error(db, rc, err);
}

static void savepoint(sqlite3 *db) { sqlite3_exec(db, "SAVEPOINT pb_view_probe", NULL, NULL, NULL); }

static void rollback(sqlite3 *db)
{
	sqlite3_exec(db, "ROLLBACK TO pb_view_probe", NULL, NULL, NULL);
	sqlite3_exec(db, "RELEASE pb_view_probe", NULL, NULL, NULL);
}

/* Prepends `prefix` to err's message (fmt.Errorf("…: %w")). */
static void prefix_error(struct pb_error *err, const char *prefix)
{
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_strbuf_printf(&b, "%s%s", prefix, err->message);
	snprintf(err->message, sizeof err->message, "%s", pb_strbuf_cstr(&b));
	pb_strbuf_deinit(&b);
}

static void ident(struct pb_strbuf *b, const char *name)
{
	pb_strbuf_putc(b, '`');
	pb_strbuf_puts(b, name);
	pb_strbuf_putc(b, '`');
}

char *pb_view_normalize_select(const char *query, struct pb_error *err)
{
	char *q = pb_view_trim_query(query);
	const struct pb_tokenizer_opts semi = {.separators = ";"};
	size_t n = 0;
	char **parts = pb_tokenize(q, &semi, &n, NULL);
	pb_tokens_free(parts);
	if (n > 1) {
		free(q);
		pb_error_set(err, 400, "multiple statements are not supported");
		return NULL;
	}
	return q;
}

int pb_view_delete(sqlite3 *db, const char *name, struct pb_error *err)
{
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_strbuf_puts(&b, "DROP VIEW IF EXISTS ");
	ident(&b, name);
	int rc = exec(db, b.data, err);
	pb_strbuf_deinit(&b);
	return rc;
}

/* TableInfo: name/type of every column; NULL with err when the table has none. */
static json_t *table_info(sqlite3 *db, const char *name, struct pb_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, "SELECT name, type FROM pragma_table_info(?1)", -1, &st, NULL);
	if (rc != SQLITE_OK) {
		sql_error(db, rc, err);
		return NULL;
	}
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	json_t *rows = json_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *n = (const char *)sqlite3_column_text(st, 0), *t = (const char *)sqlite3_column_text(st, 1);
		json_array_append_new(rows, json_pack("{ssss}", "name", n ? n : "", "type", t ? t : ""));
	}
	if (rc != SQLITE_DONE)
		sql_error(db, rc, err);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE || !json_array_size(rows)) {
		if (rc == SQLITE_DONE)
			pb_error_set(err, 400, "empty table info probably due to invalid or missing table %s", name);
		json_decref(rows);
		return NULL;
	}
	return rows;
}

int pb_view_save(sqlite3 *db, const char *name, const char *query, struct pb_error *err)
{
	if (pb_view_delete(db, name, err) != 0)
		return -1;
	char *q = pb_view_normalize_select(query, err);
	if (!q)
		return -1;
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_strbuf_puts(&b, "CREATE VIEW ");
	ident(&b, name);
	pb_strbuf_printf(&b, " AS SELECT * FROM (%s)", q);
	free(q);
	int rc = exec(db, b.data, err);
	pb_strbuf_deinit(&b);
	if (rc != 0)
		return -1;
	json_t *info = table_info(db, name, err);
	if (!info) {
		pb_view_delete(db, name, NULL);
		return -1;
	}
	json_decref(info);
	return 0;
}

/* getQueryTableInfo through a temporary view. */
static json_t *query_table_info(sqlite3 *db, const char *query, struct pb_error *err)
{
	char rnd[7], name[16];
	if (pb_random_string(rnd, 6, PB_ALPHABET_ALNUM) != 0)
		return pb_error_set(err, 500, "failed to generate a view name"), NULL;
	snprintf(name, sizeof name, "_temp_%s", rnd);
	if (pb_view_save(db, name, query, err) != 0)
		return NULL;
	json_t *info = table_info(db, name, err);
	if (pb_view_delete(db, name, info ? err : NULL) != 0) {
		json_decref(info);
		return NULL;
	}
	return info;
}

/* ---- field inference ------------------------------------------------------------------------ */

static json_t *field_of(const char *type, const char *name)
{
	json_t *src = json_pack("{ssss}", "type", type, "name", name);
	json_t *f = pb_field_settings_decode(src);
	json_decref(src);
	return f;
}

static json_t *id_field(void)
{
	json_t *src = json_pack("{sssssbsbsbss}", "type", "text", "name", "id", "system", 1, "required", 1, "primaryKey",
	                        1, "pattern", "^[a-z0-9]+$");
	json_t *f = pb_field_settings_decode(src);
	json_decref(src);
	return f;
}

static json_t *default_field(const char *name)
{
	if (!strcmp(name, "id"))
		return id_field();
	json_t *f = field_of("json", name);
	json_object_set_new(f, "maxSize", json_integer(1));
	return f;
}

static const struct pb_collection *table_collection(const struct pb_schema *schema, const struct pb_view_idents *p,
                                                    const char *alias)
{
	for (size_t i = p->ntables; i-- > 0;) { /* the last matching table wins, as the Go map does */
		const struct pb_view_ident *t = &p->tables[i];
		if (strcmp(t->alias, alias) != 0 || strchr(t->alias, '('))
			continue;
		for (size_t k = 0; schema && k < schema->ncollections; k++)
			if (!strcmp(schema->collections[k]->name, t->original))
				return schema->collections[k];
	}
	return NULL;
}

static json_t *suggest(const struct pb_schema *schema, const struct pb_view_idents *p, const struct pb_view_ident *col)
{
	if (!strcmp(col->alias, "id"))
		return id_field();
	char *lower = strdup(col->original);
	for (char *c = lower; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	json_t *f = NULL;
	if (!strncmp(lower, "count(", 6)) {
		f = field_of("number", col->alias);
		json_object_set_new(f, "onlyInt", json_true());
	} else if (!strncmp(lower, "total(", 6)) {
		f = field_of("number", col->alias);
	} else {
		size_t ov[4];
		if (pb_regex_submatch(cast_pattern, lower, strlen(lower), 0, ov, 2) > 1) {
			char *t = strndup(lower + ov[2], ov[3] - ov[2]);
			if (!strcmp(t, "real") || !strcmp(t, "decimal") || !strcmp(t, "numeric")) {
				f = field_of("number", col->alias);
			} else if (!strcmp(t, "int") || !strcmp(t, "integer")) {
				f = field_of("number", col->alias);
				json_object_set_new(f, "onlyInt", json_true());
			} else if (!strcmp(t, "text")) {
				f = field_of("text", col->alias);
			} else if (!strcmp(t, "boolean") || !strcmp(t, "bool")) {
				f = field_of("bool", col->alias);
			}
			free(t);
		}
	}
	free(lower);
	if (f)
		return f;

	/* strings.Split(original, "."): two parts = table.field, otherwise the first part is a
	 * field of the main (first) table */
	const char *dot = strchr(col->original, '.');
	bool two = dot && !strchr(dot + 1, '.');
	char *table = two ? strndup(col->original, (size_t)(dot - col->original)) : NULL;
	char *field_name = two ? strdup(dot + 1)
	                       : dot ? strndup(col->original, (size_t)(dot - col->original)) : strdup(col->original);
	const char *main_alias = p->ntables ? p->tables[0].alias : "\x01";
	const struct pb_collection *c = table_collection(schema, p, table ? table : main_alias);
	free(table);
	if (!c) {
		free(field_name);
		return default_field(col->alias);
	}
	const struct pb_field *src = NULL;
	for (size_t i = 0; i < c->nfields && !src; i++)
		if (!strcasecmp(c->fields[i].name, field_name))
			src = &c->fields[i];
	bool is_id = !strcasecmp(field_name, "id");
	free(field_name);
	if (!src)
		return default_field(col->alias);
	if (is_id) {
		f = field_of("relation", col->alias);
		json_object_set_new(f, "maxSelect", json_integer(1));
		json_object_set_new(f, "collectionId", json_string(c->id));
		return f;
	}
	f = pb_field_settings_canonical(src->raw);
	if (!f)
		return default_field(col->alias);
	char rnd[5], id[16];
	pb_random_string(rnd, 4, PB_ALPHABET_ALNUM);
	snprintf(id, sizeof id, "_clone_%s", rnd);
	json_object_set_new(f, "id", json_string(id));
	json_object_set_new(f, "name", json_string(col->alias));
	return f;
}

json_t *pb_view_create_fields(sqlite3 *db, const struct pb_schema *schema, const char *query, json_t **partial,
                              struct pb_error *err)
{
	if (partial)
		*partial = NULL;
	struct pb_view_idents p;
	if (pb_view_idents_parse(query, &p, err) != 0)
		return NULL;
	json_t *suggested = json_object();
	int rc = 0;
	for (size_t i = 0; i < p.ncolumns; i++) {
		if (!strcmp(p.columns[i].alias, "*")) {
			pb_error_set(err, 400, "wildcard columns (*) are not supported - manually type the collection field "
			                       "names you want the view query to have");
			rc = -1;
			break;
		}
		json_object_set_new(suggested, p.columns[i].alias, suggest(schema, &p, &p.columns[i]));
	}
	pb_view_idents_free(&p);
	if (rc != 0) {
		json_decref(suggested);
		return NULL;
	}
	savepoint(db);
	json_t *info = query_table_info(db, query, err);
	rollback(db);
	if (!info) {
		json_decref(suggested);
		return NULL;
	}
	json_t *fields = json_array();
	bool has_id = false;
	size_t i;
	json_t *row;
	json_array_foreach(info, i, row)
	{
		const char *name = json_string_value(json_object_get(row, "name"));
		if (!strcmp(name, "id"))
			has_id = true;
		json_t *s = json_object_get(suggested, name);
		pb_fields_list_add(fields, s ? json_deep_copy(s) : default_field(name));
	}
	json_decref(info);
	json_decref(suggested);
	if (!has_id) {
		pb_error_set(err, 400, "missing required id column (you can use `(ROW_NUMBER() OVER()) as id` if you don't "
		                       "have one)");
		if (partial)
			*partial = fields;
		else
			json_decref(fields);
		return NULL;
	}
	return fields;
}

char *pb_view_normalize_id(sqlite3 *db, const char *query, struct pb_error *err)
{
	char *q = pb_view_normalize_select(query, NULL);
	if (!q)
		q = strdup(query ? query : "");
	savepoint(db);
	json_t *info = query_table_info(db, q, err);
	rollback(db);
	if (!info) {
		free(q);
		return NULL;
	}
	size_t i;
	json_t *row;
	json_array_foreach(info, i, row)
	{
		if (!strcasecmp(json_string_value(json_object_get(row, "name")), "id") &&
		    !strcasecmp(json_string_value(json_object_get(row, "type")), "TEXT")) {
			json_decref(info);
			return q;
		}
	}
	json_decref(info);
	struct pb_view_idents p;
	if (pb_view_idents_parse(q, &p, err) != 0) {
		free(q);
		return NULL;
	}
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_strbuf_puts(&b, "SELECT ");
	for (size_t k = 0; k < p.ncolumns; k++) {
		if (k)
			pb_strbuf_putc(&b, ',');
		if (!strcmp(p.columns[k].alias, "id")) {
			pb_strbuf_puts(&b, "CAST(`id` as TEXT) `id`");
		} else {
			ident(&b, p.columns[k].alias);
		}
	}
	pb_strbuf_printf(&b, " FROM (%s)", q);
	pb_view_idents_free(&p);
	free(q);
	return pb_strbuf_steal(&b);
}

/* ---- dry run -------------------------------------------------------------------------------- */

static json_t *sample_records(sqlite3 *db, const json_t *fields, const char *temp_name, const char *query,
                              int limit, struct pb_error *err)
{
	json_t *doc = pb_collection_new_doc("view", temp_name, NULL);
	if (!doc)
		return pb_error_set(err, 500, "failed to build the view"), NULL;
	json_object_set_new(doc, "fields", json_deep_copy(fields));
	struct pb_collection *c = pb_collection_doc_build(doc);
	json_decref(doc);
	struct pb_strbuf sql = PB_STRBUF_INIT;
	pb_strbuf_puts(&sql, "SELECT ");
	ident(&sql, temp_name);
	pb_strbuf_printf(&sql, ".* FROM (SELECT * FROM (%s)) as %s LIMIT %d", query, temp_name, limit);
	sqlite3_stmt *st = NULL;
	json_t *out = NULL;
	int rc = sqlite3_prepare_v2(db, sql.data, -1, &st, NULL);
	pb_strbuf_deinit(&sql);
	if (rc != SQLITE_OK) {
		sql_error(db, rc, err);
		goto done;
	}
	out = json_array();
	int *colmap = pb_record_colmap(c, st);
	const struct pb_record_export x = {0};
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(out, pb_record_from_row(c, st, colmap, &x));
	free(colmap);
	if (rc != SQLITE_DONE) {
		sql_error(db, rc, err);
		json_decref(out);
		out = NULL;
	}
done:
	if (!out)
		prefix_error(err, "failed to retrieve query records: ");
	sqlite3_finalize(st);
	pb_collection_free(c);
	return out;
}

int pb_view_dry_run(sqlite3 *db, const struct pb_schema *schema, const char *query, int sample_size,
                    json_t **fields_out, json_t **sample_out, struct pb_error *err)
{
	*fields_out = *sample_out = NULL;
	char *q = pb_view_normalize_select(query, err);
	if (!q)
		return -1;
	int rc = -1;
	char *nq = NULL;
	json_t *sample = NULL;
	json_t *fields = pb_view_create_fields(db, schema, q, NULL, err);
	if (!fields)
		goto done;
	char rnd[6], temp_name[24];
	pb_random_string(rnd, 5, PB_ALPHABET_ALNUM);
	snprintf(temp_name, sizeof temp_name, "temp_view_%s", rnd);
	char *bad = pb_collection_validate_view_fields(db, schema, temp_name, fields);
	if (bad) {
		pb_error_set(err, 400, "%s", bad);
		free(bad);
		goto done;
	}
	nq = pb_view_normalize_id(db, q, err);
	if (!nq) {
		prefix_error(err, "failed to normalize view query id: ");
		goto done;
	}
	sample = sample_records(db, fields, temp_name, nq, sample_size, err);
	if (!sample)
		goto done;
	size_t i, j;
	json_t *r;
	json_array_foreach(sample, i, r)
	{
		const char *id = json_string_value(json_object_get(r, "id"));
		if (!id || !*id) {
			pb_error_set(err, 400, "the query could return records with empty or invalid ids");
			goto done;
		}
		for (j = 0; j < i; j++)
			if (!strcmp(json_string_value(json_object_get(json_array_get(sample, j), "id")), id)) {
				pb_error_set(err, 400, "the query could return records with non-unique ids");
				goto done;
			}
	}
	*fields_out = fields;
	*sample_out = sample;
	fields = sample = NULL;
	rc = 0;
done:
	json_decref(fields);
	json_decref(sample);
	free(nq);
	free(q);
	return rc;
}

const struct pb_collection *pb_view_source_field(const struct pb_schema *schema, const struct pb_collection *view,
                                                 const char *field_name, const struct pb_field **src_out)
{
	*src_out = NULL;
	if (!view || view->type != PB_COLLECTION_VIEW || !view->view_query)
		return NULL;
	struct pb_view_idents p;
	struct pb_error err = PB_ERROR_INIT;
	if (pb_view_idents_parse(view->view_query, &p, &err) != 0) {
		pb_error_clear(&err);
		return NULL;
	}
	const struct pb_collection *found = NULL;
	for (size_t i = 0; i < p.ncolumns && !found; i++) {
		const struct pb_view_ident *col = &p.columns[i];
		if (strcmp(col->alias, field_name) != 0)
			continue;
		/* the same split as field inference: table.field, else a field of the main table */
		const char *dot = strchr(col->original, '.');
		bool two = dot && !strchr(dot + 1, '.');
		char *table = two ? strndup(col->original, (size_t)(dot - col->original)) : NULL;
		char *fname = two ? strdup(dot + 1)
		                  : dot ? strndup(col->original, (size_t)(dot - col->original)) : strdup(col->original);
		const struct pb_collection *c =
			table_collection(schema, &p, table ? table : p.ntables ? p.tables[0].alias : "\x01");
		for (size_t k = 0; c && k < c->nfields; k++)
			if (!strcasecmp(c->fields[k].name, fname)) {
				*src_out = &c->fields[k];
				found = c;
				break;
			}
		free(table);
		free(fname);
	}
	pb_view_idents_free(&p);
	return found;
}
