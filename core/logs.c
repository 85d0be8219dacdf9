/* logs — the batching `_logs` writer of core/logs.h (PocketBase's initLogger/BatchHandler
 * pair, DeleteOldLogs and the logs settings-reload hook). The queue is a singly linked FIFO
 * guarded by `mu`; the writer thread sleeps on a CLOCK_MONOTONIC condition variable until the
 * batch size is reached or the oldest entry's deadline passes. Every database use holds
 * `db_mu`, taken before the queue is detached so batches are committed in queue order even
 * when pb_logs_flush races the thread. */
#include "core/logs.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <time.h>

#include "core/datetime.h"
#include "core/db.h"
#include "core/json_write.h"
#include "core/logs_internal.h"
#include "core/logs_strftime.h"
#include "core/random.h"

/* The INSERT of `rows` rows of l's columns into sql: INSERT OR FAIL for a chunk (rows before a
 * failing one stay), a plain INSERT for one row (reported alone when it fails). */
static void insert_sql(const struct pb_logs *l, int rows, struct pb_strbuf *sql)
{
	pb_strbuf_puts(sql, rows == 1 ? "INSERT INTO " : "INSERT OR FAIL INTO ");
	pb_strbuf_puts(sql, "`_logs` (`id`, `level`, `message`, `data`, `created`");
	pb_strbuf_puts(sql, l->has_updated ? ", `updated`) VALUES " : ") VALUES ");
	for (int k = 0; k < rows; k++) {
		pb_strbuf_puts(sql, k ? ", (?, ?, ?, ?, ?" : "(?, ?, ?, ?, ?");
		pb_strbuf_puts(sql, l->has_updated ? ", ?)" : ")");
	}
}

/* The parameters of one row in l's inserts. */
static int row_params(const struct pb_logs *l) { return l->has_updated ? 6 : 5; }

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct timespec mono_at(int64_t ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000};
	return ts;
}

/* Spare buffers kept at most, and after a flush of n entries at most max(2n, SPARE_MIN). */
#define SPARE_MAX 4096
#define SPARE_MIN 64

static void free_chain(struct pb_log_entry *e)
{
	while (e) {
		struct pb_log_entry *n = e->next;
		free(e);
		e = n;
	}
}

/* Frees the spare buffers beyond `keep`. Caller holds `mu`; returns the chain to free_chain
 * after unlocking. */
static struct pb_log_entry *trim_spare(struct pb_logs *l, size_t keep)
{
	struct pb_log_entry *cut = NULL;
	if (l->nspare <= keep)
		return NULL;
	struct pb_log_entry **at = &l->spare;
	for (size_t i = 0; i < keep; i++)
		at = &(*at)->next;
	cut = *at;
	*at = NULL;
	l->nspare = keep;
	return cut;
}

/* Frees a detached chain of entries: the recyclable buffers go to the spare list (kept at
 * most `keep`), the others are freed. */
static void free_entries(struct pb_logs *l, struct pb_log_entry *e, size_t keep)
{
	struct pb_log_entry *recycle = NULL, *last = NULL;
	size_t n = 0;
	while (e) {
		struct pb_log_entry *next = e->next;
		json_decref(e->data);
		if (e->alloc == PB_LOG_ENTRY_BUF) {
			e->next = recycle;
			recycle = e;
			if (!last)
				last = e;
			n++;
		} else {
			free(e);
		}
		e = next;
	}
	if (!recycle)
		return;
	if (keep > SPARE_MAX)
		keep = SPARE_MAX;
	pthread_mutex_lock(&l->mu);
	last->next = l->spare;
	l->spare = recycle;
	l->nspare += n;
	struct pb_log_entry *cut = trim_spare(l, keep);
	pthread_mutex_unlock(&l->mu);
	free_chain(cut);
}

char *pb_logs_entry_buffer(struct pb_logs *l)
{
	pthread_mutex_lock(&l->mu);
	struct pb_log_entry *e = l->spare;
	if (e) {
		l->spare = e->next;
		l->nspare--;
	}
	pthread_mutex_unlock(&l->mu);
	if (!e && !(e = malloc(PB_LOG_ENTRY_BUF)))
		abort();
	return (char *)e;
}

/* One row to insert: its id (PB_RECORD_ID_LEN chars, borrowed), level, message and data text
 * (borrowed from the entry or from `owned`), created text, and `owned`: the texts formatted for
 * this row (a request entry's message and data, or the stored form of JSON data), or NULL. */
struct pb_log_row {
	const char *id;
	int level;
	const char *message, *text;
	size_t message_len, text_len;
	char created[PB_DATETIME_LEN + 1];
	char *owned;
};

static void row_prepare(struct pb_log_row *r, const struct pb_log_entry *e, const char *id)
{
	r->id = id;
	r->level = e->level;
	pb_datetime_format(e->created_ms, r->created);
	r->owned = NULL;
	if (e->request) { /* formatted here, off the request path */
		size_t text_at;
		r->owned = pb_logs_request_format(e, &r->message_len, &text_at, &r->text_len);
		r->message = r->owned;
		r->text = r->owned + text_at;
		return;
	}
	r->message = e->message;
	r->message_len = e->len;
	if (e->text) {
		r->text = e->text;
		r->text_len = e->text_len;
	} else {
		json_t *sorted = e->data ? pb_json_sorted_copy(e->data) : json_object();
		r->owned = pb_json_dumps(sorted);
		json_decref(sorted);
		r->text = r->owned;
		r->text_len = strlen(r->owned);
	}
}

/* Binds r to the parameters base+1 .. base+row_params(l) of st (the values stay borrowed until
 * the next step). */
static void row_bind(const struct pb_logs *l, sqlite3_stmt *st, int base, const struct pb_log_row *r)
{
	if (l->has_updated)
		sqlite3_bind_text(st, base + 6, l->updated, PB_DATETIME_LEN, SQLITE_STATIC);
	sqlite3_bind_text(st, base + 1, r->id, PB_RECORD_ID_LEN, SQLITE_STATIC);
	sqlite3_bind_int(st, base + 2, r->level);
	sqlite3_bind_text(st, base + 3, r->message, (int)r->message_len, SQLITE_STATIC);
	sqlite3_bind_text(st, base + 4, r->text, (int)r->text_len, SQLITE_STATIC);
	sqlite3_bind_text(st, base + 5, r->created, PB_DATETIME_LEN, SQLITE_STATIC);
}

/* Steps st once and resets it. Returns SQLITE_OK or the error code. */
static int step_once(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static const int chunk_sizes[PB_LOGS_CHUNKS] = PB_LOGS_CHUNK_SIZES;

/* The INSERT of chunk_sizes[i] rows, prepared on first use; NULL when it cannot be. The
 * statement is INSERT OR FAIL: a row's constraints are checked before anything of it is
 * written, so when one fails the rows before it stay (sqlite3_changes) and the others can be
 * retried alone. */
static sqlite3_stmt *chunk_stmt(struct pb_logs *l, int i)
{
	if (l->insert_many[i] || l->insert_many_failed[i])
		return l->insert_many[i];
	struct pb_strbuf sql = PB_STRBUF_INIT;
	insert_sql(l, chunk_sizes[i], &sql);
	if (sqlite3_prepare_v3(l->db, sql.data, (int)sql.len, SQLITE_PREPARE_PERSISTENT, &l->insert_many[i], NULL) !=
	    SQLITE_OK) {
		l->insert_many[i] = NULL;
		l->insert_many_failed[i] = true;
	}
	pb_strbuf_deinit(&sql);
	return l->insert_many[i];
}

/* Inserts rows[0..n) one by one, each failing row printed and skipped as PocketBase's batch
 * handler does. Returns the rows inserted. */
static uint64_t insert_each(struct pb_logs *l, const struct pb_log_row *rows, size_t n)
{
	uint64_t done = 0;
	for (size_t i = 0; i < n; i++) {
		row_bind(l, l->insert, 0, &rows[i]);
		if (step_once(l->insert) == SQLITE_OK)
			done++;
		else
			fprintf(stderr, "Failed to write log %.*s: %s\n", (int)rows[i].message_len, rows[i].message,
			        sqlite3_errmsg(l->db));
	}
	return done;
}

/* Inserts rows[0..n) in the open transaction: multi-row statements of the chunk sizes, then
 * the rest row by row. A failing chunk keeps the rows it inserted before the failing one;
 * the others go row by row. Fewer, larger statements matter: the expression index makes
 * SQLite open a statement journal for a multi-row INSERT, which copies every page the
 * statement touches that the transaction had already changed. Returns the rows inserted. */
static uint64_t insert_rows(struct pb_logs *l, const struct pb_log_row *rows, size_t n)
{
	size_t at = 0;
	uint64_t done = 0;
	for (int c = 0; c < PB_LOGS_CHUNKS; c++) {
		size_t size = (size_t)chunk_sizes[c];
		sqlite3_stmt *st;
		while (n - at >= size && (st = chunk_stmt(l, c))) {
			for (size_t i = 0; i < size; i++)
				row_bind(l, st, (int)i * row_params(l), &rows[at + i]);
			if (step_once(st) == SQLITE_OK) {
				done += size;
			} else {
				int kept = sqlite3_changes(l->db);
				size_t from = kept > 0 && (size_t)kept < size ? (size_t)kept : 0;
				done += from + insert_each(l, rows + at + from, size - from);
			}
			at += size;
		}
	}
	return done + insert_each(l, rows + at, n - at);
}

/* Fills ids with count row ids (count * PB_RECORD_ID_LEN chars, no NUL): pb_random_id's
 * time-ordered ids, so a batch appends to the right edge of the primary-key index (fully
 * random ids put each row on its own page of it: tools/bench/log_cost after 200k rows wrote
 * 45-51 us per row, ordered 17-21 us). Returns 0, or -1 when no random bytes could be had. */
static int log_ids_fill(char *ids, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		char id[PB_RECORD_ID_LEN + 1];
		if (pb_random_id(id) != 0)
			return -1;
		memcpy(ids + i * PB_RECORD_ID_LEN, id, PB_RECORD_ID_LEN);
	}
	return 0;
}

/* Detaches the queue and writes it in one transaction. Caller holds nothing. */
static struct pb_log_entry *new_entry(int level, const char *message, size_t len, const char *text,
                                      size_t text_len);

#define DROP_NOTICE "Request log entries dropped: the log writer could not keep up"

/* The warning row for entries dropped since the last one (new entry, caller queues or frees
 * it), or NULL when there were none or warnings are below min_level. Writer thread only. */
static struct pb_log_entry *drop_notice(struct pb_logs *l, int min_level)
{
	uint64_t dropped = __atomic_load_n(&l->dropped, __ATOMIC_RELAXED);
	if (dropped == l->dropped_noted || PB_LOG_WARN < min_level)
		return NULL;
	char data[48];
	int n = snprintf(data, sizeof data, "{\"dropped\":%llu}", (unsigned long long)(dropped - l->dropped_noted));
	l->dropped_noted = dropped;
	struct pb_log_entry *e = new_entry(PB_LOG_WARN, DROP_NOTICE, sizeof DROP_NOTICE - 1, data, (size_t)n);
	e->created_ms = pb_now_ms();
	return e;
}

static int flush_now(struct pb_logs *l, struct pb_error *err)
{
	pthread_mutex_lock(&l->db_mu);
	pthread_mutex_lock(&l->mu);
	struct pb_log_entry *batch = l->head, *tail = l->tail;
	bool enabled = l->config.max_days > 0;
	int min_level = l->config.min_level;
	l->head = l->tail = NULL;
	__atomic_store_n(&l->pending, 0, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&l->mu);
	struct pb_log_entry *notice = enabled ? drop_notice(l, min_level) : NULL;
	if (notice) {
		if (tail)
			tail->next = notice;
		else
			batch = notice;
	}

	int rc = 0;
	uint64_t n = 0;
	size_t count = 0;
	for (const struct pb_log_entry *it = batch; it; it = it->next)
		count++;
	if (batch && enabled && l->db) {
		struct pb_error e = PB_ERROR_INIT;
		char *ids = malloc(count * PB_RECORD_ID_LEN + 1);
		if (!ids)
			abort();
		if (log_ids_fill(ids, count) != 0) {
			rc = pb_error_set(err, 500, "Failed to write the logs: no random ids");
		} else if (pb_db_exec(l->db, "BEGIN IMMEDIATE", &e) != 0) {
			rc = pb_error_set(err, 500, "Failed to write the logs: %s", e.message);
		} else {
			size_t k = 0;
			if (l->has_updated)
				pb_datetime_format(pb_now_ms(), l->updated);
			if (!l->rows && !(l->rows = malloc(PB_LOGS_MAX_CHUNK * sizeof *l->rows)))
				abort();
			struct pb_log_row *rows = l->rows;
			const struct pb_log_entry *it = batch;
			while (it) {
				size_t m = 0;
				for (; it && m < PB_LOGS_MAX_CHUNK; it = it->next, m++, k++)
					row_prepare(&rows[m], it, ids + k * PB_RECORD_ID_LEN);
				n += insert_rows(l, rows, m);
				for (size_t i = 0; i < m; i++)
					free(rows[i].owned);
			}
			if (pb_db_exec(l->db, "COMMIT", &e) != 0) {
				rc = pb_error_set(err, 500, "Failed to write the logs: %s", e.message);
				pb_db_exec(l->db, "ROLLBACK", NULL);
				n = 0;
			}
		}
		free(ids);
		pb_error_clear(&e);
	}
	pthread_mutex_lock(&l->mu);
	l->written += n;
	pthread_cond_broadcast(&l->progress);
	pthread_mutex_unlock(&l->mu);
	pthread_mutex_unlock(&l->db_mu);
	free_entries(l, batch, 2 * count > SPARE_MIN ? 2 * count : SPARE_MIN);
	return rc;
}

static void *writer_thread(void *arg)
{
	struct pb_logs *l = arg;
	pthread_setname_np(pthread_self(), "pb-logs");
	/* request logging is best effort: the writer runs in the idle scheduling class, so under a
	 * CPU shortage the requests go first and the queue catches up once there is idle time
	 * (past max_pending, new entries are dropped and counted) */
	struct sched_param sp = {0};
	if (pthread_setschedparam(pthread_self(), SCHED_IDLE, &sp) != 0)
		setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 19);
	pthread_mutex_lock(&l->mu);
	while (!l->stopping) {
		if (l->pending == 0 && l->nspare == 0) {
			pthread_cond_wait(&l->wake, &l->mu);
			continue;
		}
		if (l->pending == 0) {
			/* idle for a whole interval: give the spare buffers back */
			struct timespec at = mono_at(mono_ms() + l->flush_interval_ms);
			if (pthread_cond_timedwait(&l->wake, &l->mu, &at) != 0 && l->pending == 0 && l->nspare) {
				struct pb_log_entry *cut = trim_spare(l, 0);
				pthread_mutex_unlock(&l->mu);
				free_chain(cut);
				pthread_mutex_lock(&l->mu);
			}
			continue;
		}
		int64_t deadline = l->oldest_mono_ms + l->flush_interval_ms;
		if (l->pending < l->batch_size && mono_ms() < deadline) {
			struct timespec at = mono_at(deadline);
			pthread_cond_timedwait(&l->wake, &l->mu, &at);
			continue;
		}
		pthread_mutex_unlock(&l->mu);
		struct pb_error err = PB_ERROR_INIT;
		if (flush_now(l, &err) != 0)
			fprintf(stderr, "%s\n", err.message);
		pb_error_clear(&err);
		pthread_mutex_lock(&l->mu);
	}
	pthread_mutex_unlock(&l->mu);
	struct pb_error err = PB_ERROR_INIT;
	if (flush_now(l, &err) != 0)
		fprintf(stderr, "%s\n", err.message);
	pb_error_clear(&err);
	return NULL;
}

int pb_logs_start(struct pb_logs *l, const char *aux_db_path, const struct pb_logs_options *opt,
                  struct pb_error *err)
{
	static const struct pb_settings_logs defaults = PB_LOGS_CONFIG_DEFAULT;
	memset(l, 0, sizeof *l);
	l->config = opt ? opt->config : defaults;
	l->enabled = l->config.max_days > 0;
	l->batch_size = opt && opt->batch_size ? opt->batch_size : PB_LOGS_DEFAULT_BATCH;
	l->flush_interval_ms = opt && opt->flush_interval_ms > 0 ? opt->flush_interval_ms : PB_LOGS_DEFAULT_INTERVAL_MS;
	l->max_pending = opt && opt->max_pending ? opt->max_pending : PB_LOGS_DEFAULT_MAX_PENDING;

	l->db = pb_db_open(aux_db_path, false, err);
	if (!l->db)
		return -1;
	/* Debian's SQLite defaults to secure_delete (PocketBase's driver does not): zeroing the
	 * freed cell space of every page split is a good part of an insert's cost here. Only this
	 * connection's behaviour; the file format is untouched. */
	pb_db_exec(l->db, "PRAGMA secure_delete = OFF", NULL);
	/* the created-hour index's strftime without SQLite's date printf (same results); should it
	 * not install, the built-in stays */
	pb_logs_strftime_install(l->db);
	l->has_updated = sqlite3_table_column_metadata(l->db, "main", "_logs", "updated", NULL, NULL, NULL, NULL, NULL) ==
	                 SQLITE_OK;
	struct pb_strbuf one = PB_STRBUF_INIT;
	insert_sql(l, 1, &one);
	int prc = sqlite3_prepare_v2(l->db, one.data, (int)one.len, &l->insert, NULL);
	pb_strbuf_deinit(&one);
	if (prc != SQLITE_OK) {
		pb_error_set(err, 500, "Failed to prepare the logs insert: %s", sqlite3_errmsg(l->db));
		sqlite3_close_v2(l->db);
		l->db = NULL;
		return -1;
	}
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&l->wake, &ca);
	pthread_cond_init(&l->progress, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&l->mu, NULL);
	pthread_mutex_init(&l->db_mu, NULL);
	int rc = pthread_create(&l->thread, NULL, writer_thread, l);
	if (rc != 0) {
		pb_error_set(err, 500, "Failed to start the logs writer: %s", strerror(rc));
		pthread_cond_destroy(&l->wake);
		pthread_cond_destroy(&l->progress);
		pthread_mutex_destroy(&l->mu);
		pthread_mutex_destroy(&l->db_mu);
		sqlite3_finalize(l->insert);
		sqlite3_close_v2(l->db);
		memset(l, 0, sizeof *l);
		return -1;
	}
	l->running = true;
	return 0;
}

void pb_logs_stop(struct pb_logs *l)
{
	if (!l->running)
		return;
	pthread_mutex_lock(&l->mu);
	l->stopping = true;
	pthread_cond_broadcast(&l->wake);
	pthread_mutex_unlock(&l->mu);
	pthread_join(l->thread, NULL);
	free_entries(l, l->head, 0); /* entries queued after the final flush began */
	l->head = l->tail = NULL;
	free_chain(l->spare);
	l->spare = NULL;
	l->nspare = 0;
	sqlite3_finalize(l->insert);
	for (int i = 0; i < PB_LOGS_CHUNKS; i++) {
		sqlite3_finalize(l->insert_many[i]);
		l->insert_many[i] = NULL;
	}
	sqlite3_close_v2(l->db);
	free(l->rows);
	l->rows = NULL;
	l->insert = NULL;
	l->db = NULL;
	pthread_cond_destroy(&l->wake);
	pthread_cond_destroy(&l->progress);
	pthread_mutex_destroy(&l->mu);
	pthread_mutex_destroy(&l->db_mu);
	l->running = false;
}

int pb_logs_enqueue(struct pb_logs *l, struct pb_log_entry *e)
{
	int rc = 0;
	e->next = NULL;
	e->created_ms = pb_now_ms();
	pthread_mutex_lock(&l->mu);
	if (l->config.max_days <= 0 || e->level < l->config.min_level) {
		rc = 1;
	} else if (l->stopping || l->pending >= l->max_pending) {
		__atomic_fetch_add(&l->dropped, 1, __ATOMIC_RELAXED);
		rc = -1;
	} else {
		if (l->tail)
			l->tail->next = e;
		else
			l->head = e;
		l->tail = e;
		size_t pending = l->pending + 1;
		__atomic_store_n(&l->pending, pending, __ATOMIC_RELAXED);
		if (pending == 1)
			l->oldest_mono_ms = mono_ms();
		if (pending == 1 || pending == l->batch_size)
			pthread_cond_signal(&l->wake);
	}
	pthread_mutex_unlock(&l->mu);
	if (rc != 0) {
		e->next = NULL;
		free_entries(l, e, SPARE_MIN);
	}
	return rc;
}

/* A new entry holding the message and, when text is non-NULL, the data text. */
static struct pb_log_entry *new_entry(int level, const char *message, size_t len, const char *text,
                                      size_t text_len)
{
	if (!message)
		len = 0;
	size_t extra = text ? text_len + 1 : 0;
	struct pb_log_entry *e = malloc(sizeof *e + len + 1 + extra);
	if (!e)
		abort();
	e->next = NULL;
	e->level = level;
	e->alloc = 0;
	e->request = false;
	e->data = NULL;
	e->len = len;
	if (len)
		memcpy(e->message, message, len);
	e->message[len] = '\0';
	e->text = NULL;
	e->text_len = 0;
	if (text) {
		char *t = e->message + len + 1;
		memcpy(t, text, text_len);
		t[text_len] = '\0';
		e->text = t;
		e->text_len = text_len;
	}
	return e;
}

int pb_logs_addn(struct pb_logs *l, int level, const char *message, size_t len, json_t *data)
{
	if (!l->running) {
		json_decref(data);
		return -1;
	}
	struct pb_log_entry *e = new_entry(level, message, len, NULL, 0);
	e->data = data;
	return pb_logs_enqueue(l, e);
}

int pb_logs_addn_text(struct pb_logs *l, int level, const char *message, size_t len, const char *data_text,
                      size_t data_len)
{
	if (!l->running)
		return -1;
	return pb_logs_enqueue(l, new_entry(level, message, len, data_text ? data_text : "{}", data_text ? data_len : 2));
}

int pb_logs_add(struct pb_logs *l, int level, const char *message, json_t *data)
{
	return pb_logs_addn(l, level, message, message ? strlen(message) : 0, data);
}

struct pb_settings_logs pb_logs_get_config(struct pb_logs *l)
{
	pthread_mutex_lock(&l->mu);
	struct pb_settings_logs c = l->config;
	pthread_mutex_unlock(&l->mu);
	return c;
}

void pb_logs_set_config(struct pb_logs *l, const struct pb_settings_logs *cfg)
{
	pthread_mutex_lock(&l->mu);
	l->config = *cfg;
	__atomic_store_n(&l->enabled, cfg->max_days > 0, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&l->mu);
}

bool pb_logs_enabled(struct pb_logs *l) { return __atomic_load_n(&l->enabled, __ATOMIC_RELAXED) != 0; }

int pb_logs_flush(struct pb_logs *l, struct pb_error *err)
{
	if (!l->running)
		return 0;
	return flush_now(l, err);
}

uint64_t pb_logs_dropped(struct pb_logs *l) { return __atomic_load_n(&l->dropped, __ATOMIC_RELAXED); }

bool pb_logs_full(struct pb_logs *l)
{
	if (__atomic_load_n(&l->pending, __ATOMIC_RELAXED) < l->max_pending)
		return false;
	__atomic_fetch_add(&l->dropped, 1, __ATOMIC_RELAXED);
	return true;
}

uint64_t pb_logs_written(struct pb_logs *l)
{
	pthread_mutex_lock(&l->mu);
	uint64_t n = l->written;
	pthread_mutex_unlock(&l->mu);
	return n;
}

int pb_logs_wait_written(struct pb_logs *l, uint64_t n, int timeout_ms)
{
	struct timespec at = mono_at(mono_ms() + timeout_ms);
	int rc = 0;
	pthread_mutex_lock(&l->mu);
	while (l->written < n && rc == 0)
		rc = pthread_cond_timedwait(&l->progress, &l->mu, &at);
	bool ok = l->written >= n;
	pthread_mutex_unlock(&l->mu);
	return ok ? 0 : -1;
}

/* now - days (clamped: a date before year 1 deletes nothing either way). */
static int64_t days_ago_ms(int64_t days)
{
	int64_t now = pb_now_ms();
	if (days < 0)
		days = 0;
	if (days > (now - PB_DATETIME_ZERO_MS) / 86400000)
		return PB_DATETIME_ZERO_MS;
	return now - days * 86400000;
}

/* Runs a DELETE on `_logs` with ?1 = the canonical date and ?2 = the level bound (when
 * with_level). */
static int delete_rows(struct pb_logs *l, const char *sql, int64_t before_ms, bool with_level, int64_t level,
                       struct pb_error *err)
{
	char date[PB_DATETIME_LEN + 1];
	pb_datetime_format(before_ms, date);
	pthread_mutex_lock(&l->db_mu);
	sqlite3_stmt *st = NULL;
	int rc = l->db ? sqlite3_prepare_v2(l->db, sql, -1, &st, NULL) : SQLITE_MISUSE;
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, date, -1, SQLITE_TRANSIENT);
		if (with_level)
			sqlite3_bind_int64(st, 2, level);
		rc = sqlite3_step(st);
	}
	int out = 0;
	if (rc != SQLITE_DONE)
		out = pb_error_set(err, 500, "Failed to delete old logs: %s", l->db ? sqlite3_errmsg(l->db) : "stopped");
	sqlite3_finalize(st);
	pthread_mutex_unlock(&l->db_mu);
	return out;
}

int pb_logs_delete_before(struct pb_logs *l, int64_t before_ms, struct pb_error *err)
{
	return delete_rows(l, "DELETE FROM `_logs` WHERE `created` <= ?1", before_ms, false, 0, err);
}

int pb_logs_cleanup(struct pb_logs *l, int64_t max_days, struct pb_error *err)
{
	return pb_logs_delete_before(l, days_ago_ms(max_days), err);
}

void pb_logs_cleanup_job(void *arg)
{
	struct pb_logs *l = arg;
	struct pb_settings_logs cfg = pb_logs_get_config(l);
	struct pb_error err = PB_ERROR_INIT;
	if (pb_logs_cleanup(l, cfg.max_days, &err) != 0)
		fprintf(stderr, "Failed to delete old logs: %s\n", err.message);
	pb_error_clear(&err);
}

int pb_logs_reconfigure(struct pb_logs *l, const struct pb_settings_logs *cfg, struct pb_error *err)
{
	pb_logs_set_config(l, cfg);
	return pb_logs_prune(l, cfg, err);
}

int pb_logs_prune(struct pb_logs *l, const struct pb_settings_logs *cfg, struct pb_error *err)
{
	if (delete_rows(l, "DELETE FROM `_logs` WHERE `created` <= ?1 OR `level` < ?2", days_ago_ms(cfg->max_days), true,
	                cfg->min_level,
	                err) != 0)
		return -1;
	if (cfg->max_days != 0)
		return 0;
	pthread_mutex_lock(&l->db_mu);
	int rc = l->db ? pb_db_exec(l->db, "VACUUM", err) : 0;
	pthread_mutex_unlock(&l->db_mu);
	return rc;
}
