/* logs_strftime — see logs_strftime.h. */
#include "core/logs_strftime.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/datetime.h"

static const char hour_format[] = "%Y-%m-%d %H:00:00";

/* The fallback: the built-in strftime on a private connection, opened on first use. */
struct fallback {
	pthread_mutex_t mu;
	sqlite3 *db;      /* owned, NULL until needed */
	sqlite3_stmt *st; /* owned: SELECT strftime(?1, ?2) */
	bool failed;      /* it could not be opened: calls report an error */
};

static void fallback_free(void *arg)
{
	struct fallback *f = arg;
	sqlite3_finalize(f->st);
	sqlite3_close_v2(f->db);
	pthread_mutex_destroy(&f->mu);
	free(f);
}

/* Answers ctx with the built-in's result for argv[0..1]. Caller holds f->mu. */
static void answer_builtin(sqlite3_context *ctx, struct fallback *f, sqlite3_value **argv)
{
	if (!f->st && !f->failed) {
		if (sqlite3_open_v2(":memory:", &f->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL) != SQLITE_OK ||
		    sqlite3_prepare_v2(f->db, "SELECT strftime(?1, ?2)", -1, &f->st, NULL) != SQLITE_OK)
			f->failed = true;
	}
	if (f->failed) {
		sqlite3_result_error(ctx, "strftime: the date functions are not available", -1);
		return;
	}
	sqlite3_bind_value(f->st, 1, argv[0]);
	sqlite3_bind_value(f->st, 2, argv[1]);
	int rc = sqlite3_step(f->st);
	if (rc == SQLITE_ROW)
		sqlite3_result_value(ctx, sqlite3_column_value(f->st, 0)); /* copied */
	else
		sqlite3_result_error(ctx, sqlite3_errmsg(f->db), -1);
	sqlite3_reset(f->st);
	sqlite3_clear_bindings(f->st);
}

static void fast_strftime(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc; /* registered for exactly two arguments */
	if (sqlite3_value_type(argv[0]) == SQLITE_TEXT && sqlite3_value_type(argv[1]) == SQLITE_TEXT &&
	    sqlite3_value_bytes(argv[0]) == (int)sizeof hour_format - 1 &&
	    sqlite3_value_bytes(argv[1]) == PB_DATETIME_LEN) {
		const char *format = (const char *)sqlite3_value_text(argv[0]);
		const char *t = (const char *)sqlite3_value_text(argv[1]);
		if (format && t && memcmp(format, hour_format, sizeof hour_format - 1) == 0 && pb_datetime_is_canonical(t)) {
			char out[20];
			memcpy(out, t, 13); /* "YYYY-MM-DD HH" */
			memcpy(out + 13, ":00:00", 6);
			sqlite3_result_text(ctx, out, 19, SQLITE_TRANSIENT);
			return;
		}
	}
	struct fallback *f = sqlite3_user_data(ctx);
	pthread_mutex_lock(&f->mu);
	answer_builtin(ctx, f, argv);
	pthread_mutex_unlock(&f->mu);
}

int pb_logs_strftime_install(sqlite3 *db)
{
	struct fallback *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	pthread_mutex_init(&f->mu, NULL);
	/* deterministic as the built-in is for the index (which never asks for 'now') */
	int rc = sqlite3_create_function_v2(db, "strftime", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, f, fast_strftime, NULL,
	                                    NULL, fallback_free);
	/* on failure SQLite has already called fallback_free */
	return rc == SQLITE_OK ? 0 : -1;
}
