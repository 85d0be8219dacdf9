/* logs — the app log writer of auxiliary.db `_logs`, and the request activity log entry.
 * Mirrors PocketBase v0.39.11's logger (core/base.go initLogger + tools/logger's
 * BatchHandler) and the activity logger of apis/middlewares.go:
 *   - pb_logs_add only appends to an in-memory queue under a mutex; a writer thread that
 *     owns its own auxiliary.db connection inserts the entries in one transaction once 200
 *     are pending or at the latest 3 s after the oldest pending one was added, and on stop;
 *   - a row is {id: 15 chars [a-z0-9], level, message, data: the JSON object with its keys
 *     sorted at every depth and Go's escaping (json.Marshal of a map), created: the canonical
 *     "YYYY-MM-DD HH:MM:SS.mmmZ" of the moment the entry was added};
 *   - settings.logs.maxDays == 0 disables logging (entries are neither queued nor written),
 *     levels below settings.logs.minLevel are skipped;
 *   - the queue is bounded: beyond `max_pending` entries new ones are dropped and counted;
 *     the next batch then carries one warning row saying how many were lost (ours: PocketBase
 *     blocks the request instead of dropping);
 *   - DeleteOldLogs (`created <= date`), the 6-hourly cleanup and the settings-reload prune.
 * Dev-mode console printing is not done here. */
#ifndef POCKETC_CORE_LOGS_H
#define POCKETC_CORE_LOGS_H

#include <jansson.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/datetime.h"
#include "core/error.h"
#include "core/settings.h"

/* slog levels as stored in `_logs.level`. */
#define PB_LOG_DEBUG (-4)
#define PB_LOG_INFO 0
#define PB_LOG_WARN 4
#define PB_LOG_ERROR 8

/* Entries that wake the writer before the interval is over. PocketBase flushes every 200;
 * larger batches only change when rows appear under load (never later than the interval):
 * a row costs the writer about half as much in batches of 4096 as in batches of 200. */
#define PB_LOGS_DEFAULT_BATCH PB_LOGS_MAX_CHUNK
#define PB_LOGS_DEFAULT_INTERVAL_MS 3000
#define PB_LOGS_DEFAULT_MAX_PENDING 50000
/* A batch is inserted with multi-row INSERTs of these many rows (largest first), the rest
 * row by row. */
#define PB_LOGS_CHUNK_SIZES {4096, 1024, 256, 64, 16, 4}
#define PB_LOGS_CHUNKS 6
#define PB_LOGS_MAX_CHUNK 4096

/* The config is the `logs` block of the settings (struct pb_settings_logs, core/settings.h):
 * max_days 0 = logging disabled, min_level = lowest stored level, log_ip / log_auth_id for
 * request entries. PocketBase's defaults: */
#define PB_LOGS_CONFIG_DEFAULT {5, 0, true, false}

struct pb_logs_options {
	size_t batch_size;     /* flush when this many entries are pending; 0 = 200 */
	int flush_interval_ms; /* flush at the latest this long after the oldest pending entry; 0 = 3000 */
	size_t max_pending;    /* queue bound; 0 = 50000 */
	struct pb_settings_logs config;
};

struct pb_log_entry; /* private queue node */
struct pb_log_row;   /* private: one row of a batch being inserted */

/* A log writer. Caller-allocated; every member is private (use the functions below). */
struct pb_logs {
	sqlite3 *db;              /* owned auxiliary.db connection */
	sqlite3_stmt *insert;     /* owned: one row */
	sqlite3_stmt *insert_many[PB_LOGS_CHUNKS]; /* owned, prepared on first use: the chunk sizes */
	bool insert_many_failed[PB_LOGS_CHUNKS];   /* could not be prepared: row by row instead */
	pthread_t thread;
	pthread_mutex_t mu;       /* queue, config, counters, stopping */
	pthread_cond_t wake;      /* writer wake-up (CLOCK_MONOTONIC) */
	pthread_cond_t progress;  /* broadcast after each written batch */
	pthread_mutex_t db_mu;    /* serialises every use of `db` */
	struct pb_log_entry *head, *tail;
	struct pb_log_row *rows;     /* owned scratch of PB_LOGS_MAX_CHUNK rows, under db_mu */
	size_t pending;
	struct pb_log_entry *spare; /* written entries' buffers kept for reuse (PB_LOG_ENTRY_BUF) */
	size_t nspare;
	int64_t oldest_mono_ms;   /* when the head entry was queued */
	uint64_t dropped, written;
	uint64_t dropped_noted;   /* drops already reported by a warning row (writer only) */
	struct pb_settings_logs config;
	int enabled;              /* atomic mirror of config.max_days > 0, read without `mu` */
	size_t batch_size, max_pending;
	int flush_interval_ms;
	bool stopping, running;
	/* the table has the `updated` column of PocketBase's older schema (still in its test data):
	 * the inserts set it to the flush's time, the value its default strftime('now') would give,
	 * without SQLite's date printf per row */
	bool has_updated;
	char updated[PB_DATETIME_LEN + 1]; /* the current flush's time text, under db_mu */
};

/* True, with one entry counted as dropped, when the queue is at its bound: a producer asks
 * before building an entry that would be dropped anyway (one relaxed load otherwise; an
 * entry the config would skip is then counted as dropped too). */
bool pb_logs_full(struct pb_logs *l);

/* Opens `aux_db_path` (borrowed; the file and its `_logs` table must exist, as bootstrap
 * leaves them) with PocketBase's PRAGMAs and starts the writer thread. `opt` (borrowed) may
 * be NULL for the defaults with PB_LOGS_CONFIG_DEFAULT. Returns 0, or -1 with err (500) and
 * `l` left stopped (pb_logs_stop is then a no-op). */
int pb_logs_start(struct pb_logs *l, const char *aux_db_path, const struct pb_logs_options *opt,
                  struct pb_error *err);

/* Writes every pending entry (unless logging is disabled), stops the thread and closes the
 * connection. No-op on a stopped writer. Not concurrent with other calls on `l`. */
void pb_logs_stop(struct pb_logs *l);

/* Queues one entry; callable from any thread; never touches SQLite. `message` (borrowed,
 * len bytes, may hold any bytes) and `data` (stolen: a JSON object, or NULL for {}) are
 * owned by the writer from here on, also when the entry is not queued. Returns 0 when
 * queued, 1 when skipped by the config (maxDays 0 or level < minLevel), -1 when dropped
 * (queue full, or the writer is stopped). */
int pb_logs_addn(struct pb_logs *l, int level, const char *message, size_t len, json_t *data);
/* pb_logs_addn with the data already in its stored form: `data_text` (borrowed, data_len
 * bytes, copied) is written as is, so it must be the JSON object text PocketBase stores (keys
 * sorted at every depth, Go's escaping); NULL = "{}". Same return values. */
int pb_logs_addn_text(struct pb_logs *l, int level, const char *message, size_t len, const char *data_text,
                      size_t data_len);
/* pb_logs_addn with a NUL-terminated message. */
int pb_logs_add(struct pb_logs *l, int level, const char *message, json_t *data);

/* Whether logging is on (maxDays > 0) — a lock-free read for the request path. */
bool pb_logs_enabled(struct pb_logs *l);

/* The current config (a copy) / replaces it (settings reload; no database work). */
struct pb_settings_logs pb_logs_get_config(struct pb_logs *l);
void pb_logs_set_config(struct pb_logs *l, const struct pb_settings_logs *cfg);

/* Writes all pending entries now, on the calling thread. Returns 0, or -1 with err (500)
 * when the transaction could not be opened or committed (the batch is lost, as in PocketBase). */
int pb_logs_flush(struct pb_logs *l, struct pb_error *err);

/* Counters: entries dropped because the queue was full; rows inserted. */
uint64_t pb_logs_dropped(struct pb_logs *l);
uint64_t pb_logs_written(struct pb_logs *l);

/* Waits until at least `n` rows have been written or `timeout_ms` passed. Returns 0 or -1
 * on timeout. (For tests and shutdown diagnostics.) */
int pb_logs_wait_written(struct pb_logs *l, uint64_t n, int timeout_ms);

/* DeleteOldLogs: deletes every row with created <= the canonical text of `before_ms` (Unix
 * ms). Returns 0 or -1 with err (500). */
int pb_logs_delete_before(struct pb_logs *l, int64_t before_ms, struct pb_error *err);

/* The __pbLogsCleanup__ job: deletes the rows older than `max_days` days from now. */
int pb_logs_cleanup(struct pb_logs *l, int64_t max_days, struct pb_error *err);

/* A pb_cron_fn running pb_logs_cleanup with the current config's max_days; `arg` is the
 * struct pb_logs (borrowed: it must outlive the job). Failures are printed to stderr. */
void pb_logs_cleanup_job(void *arg);

/* OnSettingsReload: installs `cfg`, then deletes the rows with created <= now - maxDays days
 * or level < minLevel, and VACUUMs auxiliary.db when maxDays is 0. Returns 0 or -1 (500). */
int pb_logs_reconfigure(struct pb_logs *l, const struct pb_settings_logs *cfg, struct pb_error *err);
/* The database half of pb_logs_reconfigure: the delete (and VACUUM for maxDays 0) for `cfg`
 * without installing it. Returns 0 or -1 (500). */
int pb_logs_prune(struct pb_logs *l, const struct pb_settings_logs *cfg, struct pb_error *err);

/* --- the request activity log (logs_request.c) --- */

/* Plain inputs of one request log entry (all borrowed; NULL strings count as ""). */
struct pb_request_log {
	const char *method;          /* upper-cased, cut at 50 bytes (+ "...") */
	const char *url;             /* the request URI (path?query as received), cut at 3000;
	                              * NULL: pb_request_uri(path, query) (built on the writer) */
	const char *path, *query;    /* with url NULL: the raw path and query (NULL = none) */
	int status;                  /* the response status */
	bool has_exec_time;          /* false: no "execTime" key (start time unknown) */
	double exec_time_ms;         /* handler time in milliseconds */
	const char *referer;         /* cut at 2000 */
	const char *user_agent;      /* cut at 2000 */
	const char *auth_collection; /* the auth record's collection name; NULL = guest ("auth":"") */
	const char *auth_id;         /* the auth record id ("authId" only with log_auth_id and an auth) */
	const char *user_ip;         /* the real client IP ("userIP" only with log_ip) */
	const char *remote_ip;       /* the peer address ("remoteIP" only with log_ip) */
	const char *error;           /* NULL = success (level 0); else the error text (level 8) */
	json_t *details;             /* with error: the ApiError's raw data (json null when it has
	                              * none); NULL = not an ApiError (no "details" key). Copied. */
	json_t *meta;                /* optional "meta" value (pbLogMeta); NULL = absent. Copied. */
	bool log_ip, log_auth_id;    /* settings.logs.logIP / logAuthId */
};

/* The `data` object the activity logger stores (a new reference): type, execTime, meta,
 * error, details, url, method, status, referer, userAgent, auth, authId, userIP, remoteIP —
 * in that order of addition (the stored text is key-sorted). Strings may hold any bytes. */
json_t *pb_logs_request_data(const struct pb_request_log *r);

/* The same data in its stored form (keys sorted, Go's escaping) built without intermediate
 * JSON values: byte-identical to the sorted encoding of pb_logs_request_data. Caller frees;
 * *len_out receives the length. Never NULL. */
char *pb_logs_request_data_text(const struct pb_request_log *r, size_t *len_out);

/* The entry message "<METHOD> <URI>" with the (cut) URI path-unescaped like Go's
 * url.PathUnescape, or kept as is when it has a malformed %-escape. Caller frees; *len_out
 * receives the length (the text may contain NUL bytes from %00). Never NULL. */
char *pb_logs_request_message(const struct pb_request_log *r, size_t *len_out);

/* Queues the request entry with level 0 (or 8 with an error), unless `l`'s config has
 * maxDays 0: its strings are copied (referer and user agent only as far as the cuts need)
 * and the writer thread builds the message and the data (pb_logs_request_message,
 * pb_logs_request_data_text) when it writes the batch. Returns what pb_logs_addn returns. */
int pb_logs_add_request(struct pb_logs *l, const struct pb_request_log *r);

#endif
