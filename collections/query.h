/* query — a SELECT statement under construction, shared by the filter/sort resolver and the
 * record query code. Holds the LEFT JOINs registered while resolving identifiers (deduplicated
 * by alias, as PocketBase replaces a join registered twice), and every bound value. SQL text
 * refers to values with numbered placeholders `?N` so fragments can be assembled in any
 * order. Identifiers are always written through pb_sql_ident(). */
#ifndef POCKETC_COLLECTIONS_QUERY_H
#define POCKETC_COLLECTIONS_QUERY_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/strbuf.h"

enum pb_bind_kind { PB_BIND_NULL, PB_BIND_INT, PB_BIND_FLOAT, PB_BIND_TEXT };

struct pb_bind {
	enum pb_bind_kind kind;
	int64_t i;
	double f;
	char *text;   /* owned */
	size_t len;
};

struct pb_join {
	char *alias;  /* owned */
	char *sql;    /* owned: the whole " LEFT JOIN … ON …" clause */
};

struct pb_query {
	struct pb_join *joins;
	size_t njoins, joins_cap;
	struct pb_bind *binds;
	size_t nbinds, binds_cap;
};

void pb_query_init(struct pb_query *q);
void pb_query_deinit(struct pb_query *q);

/* Adds (or replaces, keeping its position) the join with this alias. Copies both strings. */
void pb_query_add_join(struct pb_query *q, const char *alias, const char *join_sql);
bool pb_query_has_joins(const struct pb_query *q);
/* Appends every join clause, in registration order, to `out`. */
void pb_query_write_joins(const struct pb_query *q, struct pb_strbuf *out);

/* Each returns the 1-based placeholder number; write it as "?N" (pb_query_bind_* helpers
 * below append "?N" to a buffer directly). Text is copied. */
int pb_query_bind_text(struct pb_query *q, const char *s, size_t len);
int pb_query_bind_int(struct pb_query *q, int64_t v);
int pb_query_bind_float(struct pb_query *q, double v);
int pb_query_bind_null(struct pb_query *q);
void pb_query_put_text(struct pb_query *q, struct pb_strbuf *out, const char *s, size_t len);
void pb_query_put_int(struct pb_query *q, struct pb_strbuf *out, int64_t v);
void pb_query_put_float(struct pb_query *q, struct pb_strbuf *out, double v);

/* Binds every value of q to st (placeholders ?1..?N). Returns the sqlite3 result code. */
int pb_query_bind_all(const struct pb_query *q, sqlite3_stmt *st);

/* Appends a backtick-quoted identifier (backticks doubled). */
void pb_sql_ident(struct pb_strbuf *out, const char *name);
/* Appends `alias`.`column`. */
void pb_sql_column(struct pb_strbuf *out, const char *alias, const char *column);

#endif
