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
#include "core/random.h"

struct pb_log_entry {
	struct pb_log_entry *next;
	int level;
	int64_t created_ms;
	json_t *data;     /* owned; may be NULL ({}) */
	const char *text; /* or: the stored data text, inside this allocation after the message */
	size_t text_len;
	size_t len;
	char message[]; /* len bytes + NUL [+ text_len bytes + NUL] */
};

static const char insert_sql[] =
	"INSERT INTO `_logs` (`id`, `level`, `message`, `data`, `created`) VALUES (?1, ?2, ?3, ?4, ?5)";

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

static void free_entries(struct pb_log_entry *e)
{
	while (e) {
		struct pb_log_entry *n = e->next;
		json_decref(e->data);
		free(e);
		e = n;
	}
}

/* The canonical date text of the last second formatted (a batch mostly shares seconds). */
struct stamp {
	int64_t sec;
	char text[PB_DATETIME_LEN + 1];
};

static void stamp_format(struct stamp *st, int64_t ms, char *out)
{
	int64_t sec = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
	int millis = (int)(ms - sec * 1000);
	if (!st->text[0] || st->sec != sec) {
		pb_datetime_format(sec * 1000, st->text);
		st->sec = sec;
	}
	memcpy(out, st->text, PB_DATETIME_LEN);
	out[20] = (char)('0' + millis / 100);
	out[21] = (char)('0' + millis / 10 % 10);
	out[22] = (char)('0' + millis % 10);
	out[PB_DATETIME_LEN] = '\0';
}

/* Inserts one entry with the prepared statement and the id `id` (PB_RECORD_ID_LEN chars).
 * Returns the SQLite result code. */
static int insert_entry(struct pb_logs *l, const struct pb_log_entry *e, const char *id, struct stamp *last)
{
	char created[PB_DATETIME_LEN + 1];
	stamp_format(last, e->created_ms, created);
	char *text = NULL;
	if (!e->text) {
		json_t *sorted = e->data ? pb_json_sorted_copy(e->data) : json_object();
		text = pb_json_dumps(sorted);
		json_decref(sorted);
	}
	sqlite3_stmt *st = l->insert;
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, id, PB_RECORD_ID_LEN, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, e->level);
	sqlite3_bind_text(st, 3, e->message, (int)e->len, SQLITE_STATIC);
	if (e->text)
		sqlite3_bind_text(st, 4, e->text, (int)e->text_len, SQLITE_STATIC);
	else
		sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, created, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	free(text);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Detaches the queue and writes it in one transaction. Caller holds nothing. */
static int flush_now(struct pb_logs *l, struct pb_error *err)
{
	pthread_mutex_lock(&l->db_mu);
	pthread_mutex_lock(&l->mu);
	struct pb_log_entry *batch = l->head;
	bool enabled = l->config.max_days > 0;
	l->head = l->tail = NULL;
	l->pending = 0;
	pthread_mutex_unlock(&l->mu);

	int rc = 0;
	uint64_t n = 0;
	if (batch && enabled && l->db) {
		struct pb_error e = PB_ERROR_INIT;
		/* one random draw for every id of the batch (GenerateDefaultRandomId per row) */
		size_t count = 0;
		for (const struct pb_log_entry *it = batch; it; it = it->next)
			count++;
		char *ids = malloc(count * PB_RECORD_ID_LEN + 1);
		if (!ids)
			abort();
		if (pb_random_string(ids, count * PB_RECORD_ID_LEN, PB_ALPHABET_ID) != 0) {
			rc = pb_error_set(err, 500, "Failed to write the logs: no random ids");
		} else if (pb_db_exec(l->db, "BEGIN IMMEDIATE", &e) != 0) {
			rc = pb_error_set(err, 500, "Failed to write the logs: %s", e.message);
		} else {
			size_t k = 0;
			struct stamp last = {0};
			for (const struct pb_log_entry *it = batch; it; it = it->next, k++) {
				int src = insert_entry(l, it, ids + k * PB_RECORD_ID_LEN, &last);
				if (src == SQLITE_OK)
					n++;
				else
					fprintf(stderr, "Failed to write log %.*s: %s\n", (int)it->len, it->message,
					        sqlite3_errmsg(l->db));
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
	free_entries(batch);
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
		if (l->pending == 0) {
			pthread_cond_wait(&l->wake, &l->mu);
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
	if (sqlite3_prepare_v2(l->db, insert_sql, -1, &l->insert, NULL) != SQLITE_OK) {
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
	free_entries(l->head); /* entries queued after the final flush began */
	l->head = l->tail = NULL;
	sqlite3_finalize(l->insert);
	sqlite3_close_v2(l->db);
	l->insert = NULL;
	l->db = NULL;
	pthread_cond_destroy(&l->wake);
	pthread_cond_destroy(&l->progress);
	pthread_mutex_destroy(&l->mu);
	pthread_mutex_destroy(&l->db_mu);
	l->running = false;
}

/* Queues a built entry (taken over). Returns what pb_logs_addn returns. */
static int enqueue(struct pb_logs *l, struct pb_log_entry *e)
{
	int rc = 0;
	pthread_mutex_lock(&l->mu);
	if (l->config.max_days <= 0 || e->level < l->config.min_level) {
		rc = 1;
	} else if (l->stopping || l->pending >= l->max_pending) {
		l->dropped++;
		rc = -1;
	} else {
		if (l->tail)
			l->tail->next = e;
		else
			l->head = e;
		l->tail = e;
		if (++l->pending == 1)
			l->oldest_mono_ms = mono_ms();
		if (l->pending == 1 || l->pending == l->batch_size)
			pthread_cond_signal(&l->wake);
	}
	pthread_mutex_unlock(&l->mu);
	if (rc != 0)
		free_entries(e);
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
	e->created_ms = pb_now_ms();
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
	return enqueue(l, e);
}

int pb_logs_addn_text(struct pb_logs *l, int level, const char *message, size_t len, const char *data_text,
                      size_t data_len)
{
	if (!l->running)
		return -1;
	return enqueue(l, new_entry(level, message, len, data_text ? data_text : "{}", data_text ? data_len : 2));
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

uint64_t pb_logs_dropped(struct pb_logs *l)
{
	pthread_mutex_lock(&l->mu);
	uint64_t n = l->dropped;
	pthread_mutex_unlock(&l->mu);
	return n;
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
