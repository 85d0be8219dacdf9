/* schema — loading and publishing collection snapshots (see schema.h). */
#include "collections/schema.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *col_text(sqlite3_stmt *st, int i) { return (const char *)sqlite3_column_text(st, i); }

struct pb_schema *pb_schema_load(sqlite3 *db, struct pb_error *err)
{
	static const char sql[] = "SELECT id, name, type, system, fields, indexes, options, listRule, viewRule, "
	                          "createRule, updateRule, deleteRule, created, updated FROM _collections ORDER BY rowid";
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		pb_error_set(err, 500, "failed to read collections: %s", sqlite3_errmsg(db));
		return NULL;
	}
	struct pb_schema *s = calloc(1, sizeof *s);
	s->refcount = 1;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *rules[PB_RULE_COUNT];
		for (int i = 0; i < PB_RULE_COUNT; i++)
			rules[i] = sqlite3_column_type(st, 7 + i) == SQLITE_NULL ? NULL : col_text(st, 7 + i);
		struct pb_collection *c =
			pb_collection_from_row(col_text(st, 0), col_text(st, 1), col_text(st, 2), sqlite3_column_int(st, 3),
		                           col_text(st, 4), col_text(st, 5), col_text(st, 6), rules, col_text(st, 12),
		                           col_text(st, 13));
		if (!c)
			continue; /* a malformed row is skipped rather than taking the whole app down */
		if (s->ncollections == cap) {
			cap = cap ? cap * 2 : 16;
			s->collections = realloc(s->collections, cap * sizeof *s->collections);
		}
		s->collections[s->ncollections++] = c;
		for (int i = 0; i < PB_RULE_COUNT; i++)
			s->rules_read_request_maps |= pb_expr_reads_request_maps(c->rules[i]);
		s->rules_read_request_maps |= pb_expr_reads_request_maps(c->manage_rule);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		pb_error_set(err, 500, "failed to read collections: %s", sqlite3_errmsg(db));
		pb_schema_unref(s);
		return NULL;
	}
	return s;
}

bool pb_expr_reads_request_maps(const char *expr)
{
	return expr && (strstr(expr, "@request.headers") || strstr(expr, "@request.query"));
}

struct pb_schema *pb_schema_ref(struct pb_schema *s)
{
	if (s)
		__atomic_add_fetch(&s->refcount, 1, __ATOMIC_RELAXED);
	return s;
}

void pb_schema_unref(struct pb_schema *s)
{
	if (!s || __atomic_sub_fetch(&s->refcount, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	for (size_t i = 0; i < s->ncollections; i++)
		pb_collection_free(s->collections[i]);
	free(s->collections);
	free(s);
}

const struct pb_collection *pb_schema_find_by_id(const struct pb_schema *s, const char *id)
{
	for (size_t i = 0; i < s->ncollections; i++)
		if (strcmp(s->collections[i]->id, id) == 0)
			return s->collections[i];
	return NULL;
}

const struct pb_collection *pb_schema_find(const struct pb_schema *s, const char *id_or_name)
{
	if (!s || !id_or_name)
		return NULL;
	/* the first bytes are compared before the whole strings (the same answers, faster) */
	unsigned char first = (unsigned char)id_or_name[0];
	int first_lower = tolower(first);
	for (size_t i = 0; i < s->ncollections; i++) {
		const struct pb_collection *c = s->collections[i];
		if (((unsigned char)c->id[0] == first && strcmp(c->id, id_or_name) == 0) ||
		    (tolower((unsigned char)c->name[0]) == first_lower && strcasecmp(c->name, id_or_name) == 0))
			return c;
	}
	return NULL;
}

static pthread_mutex_t current_lock = PTHREAD_MUTEX_INITIALIZER;
static struct pb_schema *current_schema;

struct pb_schema *pb_schema_current(void)
{
	pthread_mutex_lock(&current_lock);
	struct pb_schema *s = pb_schema_ref(current_schema);
	pthread_mutex_unlock(&current_lock);
	return s;
}

void pb_schema_publish(struct pb_schema *s)
{
	pthread_mutex_lock(&current_lock);
	struct pb_schema *old = current_schema;
	current_schema = s;
	pthread_mutex_unlock(&current_lock);
	pb_schema_unref(old);
}
