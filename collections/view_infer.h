/* view_infer — view collections as PocketBase runs them (core/view.go and the view helpers of
 * core/collection_query.go): the SELECT is checked for a single statement, its result
 * columns are read from a temporary view (`_temp_<6 random>`, PRAGMA table_info) and typed
 * from the parsed select list (the `id` alias a text primary key; count()/total()/casts
 * numbers, texts or bools; `tbl.col` of a collection a copy of that field under the alias
 * with a `_clone_XXXX` id, `tbl.id` a single relation; anything else json), the view is
 * (re)created as CREATE VIEW `name` AS SELECT * FROM (<query>) with a non-text id cast to TEXT,
 * and DryRunView returns the fields plus up to N sample records. Every statement runs on the
 * given connection (the writer's, inside a transaction: temporary views never outlive it). */
#ifndef POCKETC_COLLECTIONS_VIEW_INFER_H
#define POCKETC_COLLECTIONS_VIEW_INFER_H

#include <jansson.h>
#include <sqlite3.h>

#include "collections/schema.h"
#include "core/error.h"

/* normalizeViewSelectQuery: the query trimmed of spaces and ';', or NULL with err
 * ("multiple statements are not supported"). Malloc'd. */
char *pb_view_normalize_select(const char *query, struct pb_error *err);

/* CreateViewFields: the generated fields (array of canonical field objects, new reference), or
 * NULL with err->message set (PocketBase's error text) and *partial (may be NULL) set to the
 * fields found before the failure (new reference or NULL). `schema` resolves collection names. */
json_t *pb_view_create_fields(sqlite3 *db, const struct pb_schema *schema, const char *query, json_t **partial,
                              struct pb_error *err);

/* normalizeViewQueryId: the query, wrapped as SELECT CAST(`id` as TEXT) `id`,… FROM (query)
 * when the id column is not TEXT. Malloc'd, or NULL with err. */
char *pb_view_normalize_id(sqlite3 *db, const char *query, struct pb_error *err);

/* SaveView / DeleteView (DROP VIEW IF EXISTS). 0 or -1 with err. */
int pb_view_save(sqlite3 *db, const char *name, const char *query, struct pb_error *err);
int pb_view_delete(sqlite3 *db, const char *name, struct pb_error *err);

/* DryRunView: *fields_out (array) and *sample_out (array of record JSON as the API shows them
 * to a superuser), both new references; or -1 with err->message (PocketBase's error text). */
int pb_view_dry_run(sqlite3 *db, const struct pb_schema *schema, const char *query, int sample_size,
                    json_t **fields_out, json_t **sample_out, struct pb_error *err);

/* The source of a view's column `field_name`: the collection (borrowed from schema) and its field
 * (*src_out) the view selects it from, one level deep (the source may itself be a view), as
 * PocketBase's FindRecordByViewFile walks parseQueryToFields. NULL when the column is not a
 * plain field of a collection. */
const struct pb_collection *pb_view_source_field(const struct pb_schema *schema, const struct pb_collection *view,
                                                 const char *field_name, const struct pb_field **src_out);

#endif
