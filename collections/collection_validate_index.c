/* collection_validate_index — checkIndexes of core/collection_validate.go: views have none;
 * every index must parse, have a unique (case-insensitive) name not used by another table's
 * index and a definition not repeated; updates must keep each unique index over a system
 * field; auth collections need single-column unique indexes on tokenKey and email. The first
 * failing check is reported (an item, or {"<i>": item}). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "collections/collection_doc.h"
#include "collections/collection_validate_internal.h"
#include "collections/field_settings.h"
#include "collections/index_parse.h"
#include "collections/index_sql.h"

static json_t *at(size_t i, json_t *item)
{
	char key[24];
	snprintf(key, sizeof key, "%zu", i);
	json_t *o = json_object();
	json_object_set_new(o, key, item);
	return o;
}

/* The table (other than the collection's old and new one) that has an index named `name`
 * (case-insensitive), malloc'd, or NULL. */
static char *index_used_by(const struct pb_cv *cv, const char *name)
{
	static const char sql[] = "SELECT tbl_name FROM sqlite_master WHERE type = 'index' AND LOWER(tbl_name) != "
	                          "LOWER(?1) AND LOWER(tbl_name) != LOWER(?2) AND LOWER(name) = LOWER(?3) LIMIT 1";
	sqlite3_stmt *st = NULL;
	char *found = NULL;
	if (sqlite3_prepare_v2(cv->in->db, sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, pb_collection_doc_str(cv->orig, "name"), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, pb_collection_doc_str(cv->doc, "name"), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, name, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) && *sqlite3_column_text(st, 0))
			found = strdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	return found;
}

static void clear_collate_sort(struct pb_index *idx)
{
	for (size_t i = 0; i < idx->ncolumns; i++) {
		pb_index_set(&idx->columns[i].collate, "");
		pb_index_set(&idx->columns[i].sort, "");
	}
}

/* The unique-index-over-system-field rule for updates. */
static json_t *system_unique_indexes(const struct pb_cv *cv)
{
	const json_t *new_indexes = json_object_get(cv->doc, "indexes");
	const json_t *old_fields = json_object_get(cv->orig, "fields");
	json_t *err = NULL;
	size_t i;
	json_t *raw;
	json_array_foreach(json_object_get(cv->orig, "indexes"), i, raw)
	{
		struct pb_index old;
		pb_index_parse(json_string_value(raw), &old);
		if (!old.unique) {
			pb_index_deinit(&old);
			continue;
		}
		clear_collate_sort(&old);
		char *old_str = pb_index_build(&old);
		bool done = false;
		for (size_t c = 0; c < old.ncolumns && !done && !err; c++) {
			size_t k;
			json_t *f;
			json_array_foreach(old_fields, k, f)
			{
				if (!pb_fjson_bool(f, "system") || strcasecmp(old.columns[c].name, pb_fjson_str(f, "name")))
					continue;
				bool match = false;
				size_t j;
				json_t *nraw;
				json_array_foreach(new_indexes, j, nraw)
				{
					struct pb_index ni;
					pb_index_parse(json_string_value(nraw), &ni);
					pb_index_set(&ni.schema_name, old.schema_name);
					pb_index_set(&ni.index_name, old.index_name);
					pb_index_set(&ni.table_name, old.table_name);
					pb_index_set(&ni.where, old.where);
					clear_collate_sort(&ni);
					char *s = pb_index_build(&ni);
					match = !strcmp(s, old_str);
					free(s);
					pb_index_deinit(&ni);
					if (match)
						break;
				}
				if (!match)
					err = pb_cv_item("validation_invalid_unique_system_field_index",
					                 "Unique index definition on system fields ({{.fieldName}}) is invalid or missing.",
					                 json_pack("{ss}", "fieldName", pb_fjson_str(f, "name")));
				done = true;
				break;
			}
		}
		free(old_str);
		pb_index_deinit(&old);
		if (err)
			return err;
	}
	return NULL;
}

json_t *pb_cv_check_indexes(struct pb_cv *cv)
{
	const json_t *indexes = json_object_get(cv->doc, "indexes");
	size_t n = json_array_size(indexes);
	if (pb_collection_doc_type(cv->doc) == PB_COLLECTION_VIEW && n > 0)
		return pb_cv_item("validation_indexes_not_supported", "View collections don't support indexes.", NULL);
	char **names = calloc(n ? n : 1, sizeof *names), **defs = calloc(n ? n : 1, sizeof *defs);
	if (!names || !defs)
		abort();
	json_t *err = NULL;
	for (size_t i = 0; i < n && !err; i++) {
		struct pb_index idx;
		pb_index_parse(json_string_value(json_array_get(indexes, i)), &idx);
		pb_index_set(&idx.table_name, "validator");
		if (!pb_index_is_valid(&idx)) {
			err = at(i, pb_cv_item("validation_invalid_index_expression", "Invalid CREATE INDEX expression.", NULL));
		} else {
			for (size_t j = 0; j < i && !err; j++)
				if (!strcasecmp(names[j], idx.index_name))
					err = at(i, pb_cv_item("validation_duplicated_index_name", "The index name already exists.", NULL));
			names[i] = strdup(idx.index_name);
			char *used = err ? NULL : index_used_by(cv, idx.index_name);
			if (used) {
				err = at(i, pb_cv_item("validation_existing_index_name",
				                       "The index name is already used in {{.usedTableName}} collection.",
				                       json_pack("{ss}", "usedTableName", used)));
				free(used);
			}
			if (!err) {
				pb_index_set(&idx.schema_name, "validator");
				pb_index_set(&idx.index_name, "validator");
				defs[i] = pb_index_build(&idx);
				for (size_t j = 0; j < i && !err; j++)
					if (defs[j] && !strcmp(defs[j], defs[i]))
						err = at(i, pb_cv_item("validation_duplicated_index_definition",
						                       "The index definition already exists.", NULL));
			}
		}
		pb_index_deinit(&idx);
	}
	for (size_t i = 0; i < n; i++) {
		free(names[i]);
		free(defs[i]);
	}
	free(names);
	free(defs);
	if (err)
		return err;
	if (!cv->orig_new && (err = system_unique_indexes(cv)))
		return err;
	if (pb_collection_doc_type(cv->doc) == PB_COLLECTION_AUTH) {
		static const char *const required[] = {"tokenKey", "email"};
		for (size_t r = 0; r < 2; r++) {
			bool found = false;
			for (size_t i = 0; i < n && !found; i++)
				found = pb_index_is_single_unique(json_string_value(json_array_get(indexes, i)), required[r]);
			if (!found)
				return pb_cv_item("validation_missing_required_unique_index",
				                  "Missing required unique index for field \"{{.fieldName}}\".",
				                  json_pack("{ss}", "fieldName", required[r]));
		}
	}
	return NULL;
}
