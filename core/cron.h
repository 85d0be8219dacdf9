/* cron — PocketBase's crontab-like scheduler (tools/cron of v0.39.11), on top of the
 * expression parser of core/cron_schedule.h (macros or five segments: minute, hour, day of
 * month, month, day of week). A job is due when all five segments contain the moment's value
 * — day of month and day of week are ANDed, as PocketBase does, not ORed as in Vixie cron.
 * Time is UTC.
 *
 * The scheduler keeps jobs in registration order (re-adding an id replaces the job and moves
 * it to the end), ticks once at every UTC minute boundary and starts each due job on its own
 * detached thread (PocketBase's FireAndForget), so a slow job never delays the others. Jobs
 * may be added, removed and listed from any thread. */
#ifndef POCKETC_CORE_CRON_H
#define POCKETC_CORE_CRON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/cron_schedule.h"
#include "core/error.h"

/* PocketBase's built-in jobs (core/base.go and friends). The app registers the ones it runs. */
#define PB_CRON_DB_OPTIMIZE_ID "__pbDBOptimize__"
#define PB_CRON_DB_OPTIMIZE_EXPR "0 0 * * *"
#define PB_CRON_LOGS_CLEANUP_ID "__pbLogsCleanup__"
#define PB_CRON_LOGS_CLEANUP_EXPR "0 */6 * * *"
#define PB_CRON_MFA_CLEANUP_ID "__pbMFACleanup__"
#define PB_CRON_MFA_CLEANUP_EXPR "0 * * * *"
#define PB_CRON_OTP_CLEANUP_ID "__pbOTPCleanup__"
#define PB_CRON_OTP_CLEANUP_EXPR "0 * * * *"
#define PB_CRON_RATE_LIMITERS_CLEANUP_ID "__pbRateLimitersCleanup__"
#define PB_CRON_RATE_LIMITERS_CLEANUP_EXPR "2 * * * *"
#define PB_CRON_AUTO_BACKUP_ID "__pbAutoBackup__"

/* Ids starting with this prefix are listed after the user jobs (apis/cron.go). */
#define PB_CRON_SYSTEM_PREFIX "__pb"

/* Wire message of POST /api/crons/{id} for an unknown id (404). */
#define PB_CRON_MSG_NOT_FOUND "Missing or invalid cron job."

/* One moment in time, as tools/cron's Moment. */
struct pb_cron_moment {
	int minute, hour, day, month, day_of_week;
};

/* The UTC moment of `unix_s` (seconds since the epoch; negative values allowed). */
void pb_cron_moment_at(int64_t unix_s, struct pb_cron_moment *out);

/* Schedule.IsDue for a moment: every component of `m` is in its slot set. */
bool pb_cron_is_due(const struct pb_cron_schedule *s, const struct pb_cron_moment *m);

/* The start (Unix seconds, a multiple of 60) of the first UTC minute strictly after `after_s`
 * at which `s` is due. Returns 0, or -1 when no such minute exists in the next 400 years
 * (e.g. "0 0 31 2 *"), leaving *next_s untouched. */
int pb_cron_next(const struct pb_cron_schedule *s, int64_t after_s, int64_t *next_s);

/* --- scheduler --- */

/* A job body. Runs on a thread of its own; `arg` is the pointer given to pb_cron_add. */
typedef void (*pb_cron_fn)(void *arg);

struct pb_cron;

/* A new scheduler with no jobs, not started. Never NULL (aborts on out of memory). */
struct pb_cron *pb_cron_new(void);

/* Stops the ticker, waits for every running job to return, drops all jobs (calling their
 * arg_free) and frees `c`. NULL is a no-op. */
void pb_cron_free(struct pb_cron *c);

/* Registers job `id` (copied) running `fn(arg)` on `expr` (copied; stored macro-expanded).
 * An existing job with that id is replaced and the new one goes to the end of the list.
 * Ownership of `arg` passes to the scheduler when arg_free is non-NULL: it is called once the
 * job has been removed/replaced and none of its runs is in flight (also when this call fails).
 * Returns 0, or -1 with err (400, "failed to add new cron job: …" with the parser's message)
 * for a NULL fn/id/expr or an invalid expression. */
int pb_cron_add(struct pb_cron *c, const char *id, const char *expr, pb_cron_fn fn, void *arg,
                void (*arg_free)(void *), struct pb_error *err);

/* Removes job `id` (no-op when missing). Running invocations finish normally. Returns true
 * when a job was removed. */
bool pb_cron_remove(struct pb_cron *c, const char *id);
void pb_cron_remove_all(struct pb_cron *c);
size_t pb_cron_total(struct pb_cron *c);

/* GET /api/crons: a new JSON array of {"id":…,"expression":…} objects (keys in that order):
 * jobs whose id does not start with "__pb" sorted by id (byte-wise), then the "__pb" ones in
 * registration order — what apis/cron.go's stable sort produces. Caller owns the reference. */
json_t *pb_cron_list(struct pb_cron *c);

/* POST /api/crons/{id}: starts job `id` now on its own thread. Returns 0, or -1 with err
 * (404 PB_CRON_MSG_NOT_FOUND when there is no such job; 500 when no thread could start). */
int pb_cron_run_now(struct pb_cron *c, const char *id, struct pb_error *err);

/* Runs, each on its own thread, every job due at the UTC minute of `unix_s` (what the ticker
 * does at each minute boundary). Returns the number of jobs started. */
size_t pb_cron_tick(struct pb_cron *c, int64_t unix_s);

/* Blocks until no job run started by this scheduler is in flight. */
void pb_cron_wait_idle(struct pb_cron *c);

/* Starts the ticker thread: the first tick is at the next UTC minute boundary, then one per
 * minute. Restarts it when already running (as Cron.Start). Returns 0 or -1 with err (500). */
int pb_cron_start(struct pb_cron *c, struct pb_error *err);

/* Stops the ticker thread (no-op when stopped). Running jobs are not waited for. */
void pb_cron_stop(struct pb_cron *c);
bool pb_cron_has_started(struct pb_cron *c);

#endif
