/* sql_console — the SQL console's query runner (see sql_console.h). The statement loop
 * follows modernc.org/sqlite: prepare the next statement of the tail, skip empty ones, step
 * it once; a read keeps the rows of the last statement that produced rows (or the empty
 * result of the last statement), a write keeps the change count of the last statement. */
#include "core/sql_console.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/json_write.h"
#include "core/utf8.h"

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* strings.TrimSpace into a new string */
static char *trimmed(const char *q)
{
	const char *s = q;
	size_t len = strlen(q);
	pb_utf8_trim_space(&s, &len);
	char *out = strndup(s, len);
	if (!out)
		abort();
	return out;
}

bool pb_sql_is_write(const char *query)
{
	static const char *const prefixes[] = {"INSERT", "CREATE", "UPDATE", "DELETE", "DROP", "DETACH", "ALTER", "REPLACE"};
	char *q = trimmed(query);
	bool write = false;
	if (strncasecmp(q, "SELECT", 6) != 0)
		for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0] && !write; i++)
			write = strncasecmp(q, prefixes[i], strlen(prefixes[i])) == 0;
	free(q);
	return write;
}

/* modernc's conn.errstr */
static int driver_error(sqlite3 *db, struct pb_error *err)
{
	int rc = sqlite3_extended_errcode(db);
	const char *str = sqlite3_errstr(rc), *msg = sqlite3_errmsg(db);
	if (!strcmp(msg, str))
		return pb_error_set(err, 400, "%s (%d)", str, rc);
	return pb_error_set(err, 400, "%s: %s (%d)", str, msg, rc);
}

struct deadline {
	int64_t at_ms;
};

static int progress(void *arg)
{
	const struct deadline *d = arg;
	return mono_ms() > d->at_ms;
}

static json_t *result(int64_t exec_ms, int64_t affected, json_t *columns, json_t *rows)
{
	json_t *o = json_object();
	json_object_set_new(o, "execTime", json_integer(exec_ms));
	json_object_set_new(o, "affectedRows", json_integer(affected));
	json_object_set_new(o, "columns", columns ? columns : json_array());
	json_object_set_new(o, "rows", rows ? rows : json_array());
	return o;
}

static json_t *columns_of(sqlite3_stmt *st)
{
	json_t *cols = json_array();
	int n = sqlite3_column_count(st);
	for (int i = 0; i < n; i++) {
		const char *name = sqlite3_column_name(st, i), *decl = sqlite3_column_decltype(st, i);
		char *type = strdup(decl ? decl : "");
		if (!type)
			abort();
		for (char *p = type; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		json_t *c = json_object();
		json_object_set_new(c, "name", json_string(name ? name : ""));
		json_object_set_new(c, "type", json_string(type));
		json_object_set_new(c, "nullable", json_true());
		json_array_append_new(cols, c);
		free(type);
	}
	return cols;
}

/* A column value as database/sql scans it into a *string (NULL stays null). */
static json_t *value_of(sqlite3_stmt *st, int i)
{
	char buf[PB_JSON_FLOAT_MAX];
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_NULL:
		return json_null();
	case SQLITE_INTEGER:
		snprintf(buf, sizeof buf, "%lld", (long long)sqlite3_column_int64(st, i));
		return json_string(buf);
	case SQLITE_FLOAT:
		pb_json_format_float_general(sqlite3_column_double(st, i), buf, sizeof buf);
		return json_string(buf);
	default: {
		const void *p = sqlite3_column_type(st, i) == SQLITE_BLOB ? sqlite3_column_blob(st, i)
		                                                           : (const void *)sqlite3_column_text(st, i);
		int n = sqlite3_column_bytes(st, i);
		return json_stringn_nocheck(p ? p : "", p ? (size_t)n : 0);
	}
	}
}

/* The rows of st, whose first step returned SQLITE_ROW, up to max_rows. Returns 0 or -1. */
static int collect_rows(sqlite3 *db, sqlite3_stmt *st, int max_rows, json_t *rows, struct pb_error *err)
{
	int n = sqlite3_column_count(st), rc = SQLITE_ROW;
	for (int count = 0; rc == SQLITE_ROW; rc = sqlite3_step(st)) {
		if (count++ >= max_rows)
			return 0;
		json_t *row = json_array();
		for (int i = 0; i < n; i++)
			json_array_append_new(row, value_of(st, i));
		json_array_append_new(rows, row);
	}
	return rc == SQLITE_DONE ? 0 : driver_error(db, err);
}

json_t *pb_sql_read(sqlite3 *db, const char *query, int max_rows, int timeout_ms, struct pb_error *err)
{
	char *q = trimmed(query);
	json_t *cols = NULL, *rows = NULL, *out = NULL;
	int64_t started = mono_ms();
	struct deadline d = {started + timeout_ms};
	if (!*q) {
		pb_error_set(err, 400, "empty query");
		goto done;
	}
	sqlite3_progress_handler(db, 1000, progress, &d);
	for (const char *tail = q; *tail;) {
		sqlite3_stmt *st = NULL;
		const char *next = NULL;
		if (sqlite3_prepare_v2(db, tail, -1, &st, &next) != SQLITE_OK) {
			driver_error(db, err);
			goto fail;
		}
		tail = next;
		if (!st)
			continue;
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW || (rc == SQLITE_DONE && (!cols || !*tail))) {
			json_decref(cols);
			json_decref(rows);
			cols = columns_of(st);
			rows = json_array();
			if (rc == SQLITE_ROW && collect_rows(db, st, max_rows, rows, err) != 0) {
				sqlite3_finalize(st);
				goto fail;
			}
		} else if (rc != SQLITE_DONE) {
			driver_error(db, err);
			sqlite3_finalize(st);
			goto fail;
		}
		sqlite3_finalize(st);
	}
	sqlite3_progress_handler(db, 0, NULL, NULL);
	out = result(mono_ms() - started, 0, cols, rows);
	cols = rows = NULL;
	goto done;
fail:
	sqlite3_progress_handler(db, 0, NULL, NULL);
done:
	json_decref(cols);
	json_decref(rows);
	free(q);
	return out;
}

/* Refuses statements that would end or nest the caller's transaction. */
static int authorize(void *arg, int action, const char *a, const char *b, const char *c, const char *d)
{
	(void)arg, (void)a, (void)b, (void)c, (void)d;
	return action == SQLITE_TRANSACTION || action == SQLITE_SAVEPOINT ? SQLITE_DENY : SQLITE_OK;
}

json_t *pb_sql_write(sqlite3 *db, const char *query, int timeout_ms, struct pb_error *err)
{
	char *q = trimmed(query);
	json_t *out = NULL;
	int64_t started = mono_ms(), affected = 0;
	struct deadline d = {started + timeout_ms};
	if (!*q) {
		pb_error_set(err, 400, "empty query");
		free(q);
		return NULL;
	}
	sqlite3_set_authorizer(db, authorize, NULL);
	sqlite3_progress_handler(db, 1000, progress, &d);
	bool failed = false;
	for (const char *tail = q; *tail && !failed;) {
		sqlite3_stmt *st = NULL;
		const char *next = NULL;
		if (sqlite3_prepare_v2(db, tail, -1, &st, &next) != SQLITE_OK) {
			driver_error(db, err);
			failed = true;
			break;
		}
		tail = next;
		if (!st)
			continue;
		sqlite3_int64 before = sqlite3_total_changes64(db);
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
			/* sqlite3_changes() of a statement that changed nothing (DDL) would be stale */
			affected = sqlite3_total_changes64(db) != before ? sqlite3_changes64(db) : 0;
		} else {
			driver_error(db, err);
			failed = true;
		}
		sqlite3_finalize(st);
	}
	sqlite3_progress_handler(db, 0, NULL, NULL);
	sqlite3_set_authorizer(db, NULL, NULL);
	if (!failed)
		out = result(mono_ms() - started, affected, NULL, NULL);
	free(q);
	return out;
}
