/* index_sql — PocketBase's CREATE INDEX parser and builder (tools/dbutils/index.go ParseIndex
 * and Index.Build). A collection's `indexes` are free-form statements; PocketBase parses each
 * with a permissive pattern (leftmost "create [unique] index [if not exists] name on table
 * (columns) [where expr]"; the column list runs to the LAST ')', so a parenthesised WHERE ends
 * up in the columns), splits the columns on top-level commas, reads `COLLATE x` and ASC/DESC
 * per column, trims quotes from names, and executes the rebuilt form:
 *   CREATE [UNIQUE ]INDEX [IF NOT EXISTS ][`schema`.]`name` ON `table` (cols)[ WHERE expr]
 * (one column inline; several as "(\n  a,\n  b\n)"; plain names backtick-quoted, expressions
 * — anything with '(' or a space — verbatim). Schema sync executes only rebuilt statements, and
 * collection validation compares rebuilt forms to detect duplicated definitions. */
#ifndef POCKETC_COLLECTIONS_INDEX_SQL_H
#define POCKETC_COLLECTIONS_INDEX_SQL_H

#include <stdbool.h>
#include <stddef.h>

struct pb_index_column {
	char *name;    /* owned: identifier or expression */
	char *collate; /* owned, "" when absent */
	char *sort;    /* owned: "", "ASC" or "DESC" */
};

struct pb_index {
	char *schema_name; /* owned, "" when absent (every string member is non-NULL after parse) */
	char *index_name;
	char *table_name;
	char *where;
	struct pb_index_column *columns; /* owned array */
	size_t ncolumns;
	bool unique;
	bool optional; /* IF NOT EXISTS */
};

/* Parses `sql` (borrowed; NULL = "") into `out` (previous content not freed). Never fails: an
 * unparsable statement gives the zero index (all strings "", no columns), which is not valid.
 * Release with pb_index_deinit. */
void pb_index_parse(const char *sql, struct pb_index *out);
void pb_index_deinit(struct pb_index *idx);

/* IsValid: a name, a table and at least one column. */
bool pb_index_is_valid(const struct pb_index *idx);

/* Replaces one of the string members (e.g. &idx->table_name) with a copy of `value`. */
void pb_index_set(char **member, const char *value);

/* Build(): the statement text (malloc'd, caller frees); "" for an invalid index. */
char *pb_index_build(const struct pb_index *idx);

/* Convenience: the index name of `sql` (malloc'd; "" when unparsable). */
char *pb_index_name_of(const char *sql);

#endif
