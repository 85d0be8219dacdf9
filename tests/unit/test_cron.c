/* test_cron — core/cron against tools/cron's expectations (schedule_test.go, cron_test.go)
 * and apis/cron.go's list order: the schedules core/cron_schedule parses for schedule_test's
 * cases (slot sets re-expressed as compressed lists; invalid cases with PocketBase's
 * message), macro expansion as Job.Expression reports it, UTC moments, IsDue,
 * next-run search, job replace/remove semantics, the GET /api/crons order and bytes, ticks
 * driven with explicit times (no sleeping), run-now, and arg release after in-flight runs. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "core/cron.h"
#include "core/json_write.h"
#include "core/strbuf.h"
#include "test.h"

/* "a-b" runs for ≥ 2 consecutive values, comma separated. */
static void put_set(struct pb_strbuf *b, uint64_t set, int min, int max)
{
	bool first = true;
	for (int v = min; v <= max; v++) {
		if (!(set >> v & 1))
			continue;
		int e = v;
		while (e + 1 <= max && (set >> (e + 1) & 1))
			e++;
		pb_strbuf_printf(b, first ? "%d" : ",%d", v);
		if (e > v)
			pb_strbuf_printf(b, "-%d", e);
		first = false;
		v = e;
	}
}

static char *render(const struct pb_cron_schedule *s)
{
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_strbuf_puts(&b, "m=");
	put_set(&b, s->minutes, 0, 59);
	pb_strbuf_puts(&b, " h=");
	put_set(&b, s->hours, 0, 23);
	pb_strbuf_puts(&b, " d=");
	put_set(&b, s->days, 1, 31);
	pb_strbuf_puts(&b, " M=");
	put_set(&b, s->months, 1, 12);
	pb_strbuf_puts(&b, " w=");
	put_set(&b, s->days_of_week, 0, 6);
	return pb_strbuf_steal(&b);
}

#define ALL " h=0-23 d=1-31 M=1-12 w=0-6"

static void test_parse_valid(void)
{
	static const struct {
		const char *expr, *want;
	} cases[] = {
		{"* * * * *", "m=0-59" ALL},
		{"*/2 */3 */5 */4 */2", "m=0,2,4,6,8,10,12,14,16,18,20,22,24,26,28,30,32,34,36,38,40,42,44,46,48,50,52,54,56,58 "
		                        "h=0,3,6,9,12,15,18,21 d=1,6,11,16,21,26,31 M=1,5,9 w=0,2,4,6"},
		{"0 * * * *", "m=0" ALL},
		{"59 * * * *", "m=59" ALL},
		{"1,2,5,7,40-50/2 * * * *", "m=1-2,5,7,40,42,44,46,48,50" ALL},
		{"* 0 * * *", "m=0-59 h=0 d=1-31 M=1-12 w=0-6"},
		{"* 23 * * *", "m=0-59 h=23 d=1-31 M=1-12 w=0-6"},
		{"* 3,4,8-16/3,7 * * *", "m=0-59 h=3-4,7-8,11,14 d=1-31 M=1-12 w=0-6"},
		{"* * 1 * *", "m=0-59 h=0-23 d=1 M=1-12 w=0-6"},
		{"* * 31 * *", "m=0-59 h=0-23 d=31 M=1-12 w=0-6"},
		{"* * 5,6,20-30/3,1 * *", "m=0-59 h=0-23 d=1,5-6,20,23,26,29 M=1-12 w=0-6"},
		{"* * * 1 *", "m=0-59 h=0-23 d=1-31 M=1 w=0-6"},
		{"* * * 12 *", "m=0-59 h=0-23 d=1-31 M=12 w=0-6"},
		{"* * * 1,4,5-10/2 *", "m=0-59 h=0-23 d=1-31 M=1,4-5,7,9 w=0-6"},
		{"* * * * 0", "m=0-59 h=0-23 d=1-31 M=1-12 w=0"},
		{"* * * * 6", "m=0-59 h=0-23 d=1-31 M=1-12 w=6"},
		{"* * * * 1,2-5/2", "m=0-59 h=0-23 d=1-31 M=1-12 w=1-2,4"},
		{"@yearly", "m=0 h=0 d=1 M=1 w=0-6"},
		{"@annually", "m=0 h=0 d=1 M=1 w=0-6"},
		{"@monthly", "m=0 h=0 d=1 M=1-12 w=0-6"},
		{"@weekly", "m=0 h=0 d=1-31 M=1-12 w=0"},
		{"@daily", "m=0 h=0 d=1-31 M=1-12 w=0-6"},
		{"@midnight", "m=0 h=0 d=1-31 M=1-12 w=0-6"},
		{"@hourly", "m=0" ALL},
		/* Go's strconv.Atoi accepts signs; "5/1" is a plain value with the default step */
		{"+5 +0 * * *", "m=5 h=0 d=1-31 M=1-12 w=0-6"},
		{"5/1 * * * *", "m=5" ALL},
		{"*/59 */23 */31 */12 */6", "m=0,59 h=0,23 d=1 M=1 w=0,6"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct pb_cron_schedule s;
		char err[PB_CRON_ERROR_MAX] = "";
		int rc = pb_cron_schedule_parse(cases[i].expr, &s, err, sizeof err);
		CHECK(rc == 0);
		if (rc != 0) {
			fprintf(stderr, "  %s: %s\n", cases[i].expr, err);
			continue;
		}
		char *got = render(&s);
		CHECK_STR(got, cases[i].want);
		free(got);
	}
	CHECK_STR(pb_cron_schedule_expand("@daily"), "0 0 * * *");
	CHECK_STR(pb_cron_schedule_expand("@weekly"), "0 0 * * 0");
	CHECK_STR(pb_cron_schedule_expand("@DAILY"), "@DAILY");
	CHECK_STR(pb_cron_schedule_expand("1 2 3 4 5"), "1 2 3 4 5");
}

static void test_parse_invalid(void)
{
	static const char five[] = "invalid cron expression - must be a valid macro or to have exactly 5 space separated "
	                           "segments";
	static const struct {
		const char *expr, *msg;
	} cases[] = {
		{"invalid", five},
		{"* * * *", five},
		{"* * * * * *", five},
		{"*  * * *", "strconv.Atoi: parsing \"\": invalid syntax"},
		{" * * * *", "strconv.Atoi: parsing \"\": invalid syntax"},
		{"2/3 * * * *", "invalid segment step - step > 1 could be used only with the wildcard or range format"},
		{"-1 * * * *", "strconv.Atoi: parsing \"\": invalid syntax"},
		{"60 * * * *", "invalid segment value - must be between the min and max of the segment"},
		{"* -1 * * *", "strconv.Atoi: parsing \"\": invalid syntax"},
		{"* 24 * * *", "invalid segment value - must be between the min and max of the segment"},
		{"* * 0 * *", "invalid segment value - must be between the min and max of the segment"},
		{"* * 32 * *", "invalid segment value - must be between the min and max of the segment"},
		{"* * * 0 *", "invalid segment value - must be between the min and max of the segment"},
		{"* * * 13 *", "invalid segment value - must be between the min and max of the segment"},
		{"* * * * -1", "strconv.Atoi: parsing \"\": invalid syntax"},
		{"* * * * 7", "invalid segment value - must be between the min and max of the segment"},
		{"*/0 * * * *", "invalid segment step boundary - the step must be between 1 and the 59"},
		{"* * * * */7", "invalid segment step boundary - the step must be between 1 and the 6"},
		{"*/x * * * *", "strconv.Atoi: parsing \"x\": invalid syntax"},
		{"1/2/3 * * * *", "invalid segment step format - must be in the format */n or 1-30/n"},
		{"1-2-3 * * * *", "invalid segment range format - the range must have 1 or 2 parts"},
		{"5-3 * * * *", "invalid segment range maximum - must be between 5 and 59"},
		{"5-60 * * * *", "invalid segment range maximum - must be between 5 and 59"},
		{"* 24-25 * * *", "invalid segment range minimum - must be between 0 and 23"},
		{"1,,2 * * * *", "strconv.Atoi: parsing \"\": invalid syntax"},
		{"x * * * *", "strconv.Atoi: parsing \"x\": invalid syntax"},
		{"99999999999999999999 * * * *", "strconv.Atoi: parsing \"99999999999999999999\": value out of range"},
		{"*-5 * * * *", "strconv.Atoi: parsing \"*\": invalid syntax"},
		{"* -0 * * *", "strconv.Atoi: parsing \"\": invalid syntax"},
		{"", five},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct pb_cron_schedule s;
		char err[PB_CRON_ERROR_MAX] = "";
		CHECK(pb_cron_schedule_parse(cases[i].expr, &s, err, sizeof err) == -1);
		CHECK_STR(err, cases[i].msg);
	}
}

static void test_moment_and_due(void)
{
	struct pb_cron_moment m;
	pb_cron_moment_at(1683645600, &m); /* 2023-05-09 15:20 UTC, a Tuesday */
	CHECK(m.minute == 20 && m.hour == 15 && m.day == 9 && m.month == 5 && m.day_of_week == 2);
	pb_cron_moment_at(-60, &m); /* 1969-12-31 23:59, a Wednesday */
	CHECK(m.minute == 59 && m.hour == 23 && m.day == 31 && m.month == 12 && m.day_of_week == 3);
	pb_cron_moment_at(1709164800 + 59, &m); /* 2024-02-29 00:00:59, Thursday */
	CHECK(m.minute == 0 && m.hour == 0 && m.day == 29 && m.month == 2 && m.day_of_week == 4);

	static const struct {
		const char *expr;
		struct pb_cron_moment m;
		bool want;
	} cases[] = {
		{"* * * * *", {0, 0, 0, 0, 0}, false}, /* day 0 / month 0 are in no set */
		{"* * * * *", {1, 1, 1, 1, 1}, true},
		{"5 * * * *", {1, 1, 1, 1, 1}, false},
		{"5 * * * *", {5, 1, 1, 1, 1}, true},
		{"* 2-6 * * 2,3", {1, 2, 1, 1, 1}, false},
		{"* 2-6 * * 2,3", {1, 2, 1, 1, 3}, true},
		{"* * 1,2,5,15-18 * *", {1, 1, 6, 1, 1}, false},
		{"* * 1,2,5,15-18/2 * *", {1, 1, 2, 1, 1}, true},
		{"* * 1,2,5,15-18/2 * *", {1, 1, 18, 1, 1}, false},
		{"* * 1,2,5,15-18/2 * *", {1, 1, 17, 1, 1}, true},
		{"0 0 13 * 5", {0, 0, 13, 9, 4}, false}, /* day AND weekday, not OR */
		{"0 0 13 * 5", {0, 0, 13, 9, 5}, true},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct pb_cron_schedule s;
		CHECK(pb_cron_schedule_parse(cases[i].expr, &s, NULL, 0) == 0);
		CHECK(pb_cron_is_due(&s, &cases[i].m) == cases[i].want);
	}
}

static void test_next(void)
{
	static const struct {
		const char *expr;
		int64_t after, want;
		bool never;
	} cases[] = {
		{"0 */6 * * *", 1714557600, 1714564800, false},         /* 2024-05-01 10:00 → 12:00 */
		{"0 */6 * * *", 1714564800 - 1, 1714564800, false},     /* 11:59:59 → 12:00 */
		{"0 */6 * * *", 1714564800, 1714564800 + 21600, false}, /* strictly after */
		{"* * * * *", 1714521705, 1714521720, false},           /* 00:01:45 → 00:02 */
		{"0 0 29 2 *", 1677628800, 1709164800, false},          /* 2023-03-01 → 2024-02-29 */
		{"0 0 13 * 5", 1704067200, 1726185600, false},          /* first Friday 13th of 2024: Sep 13 */
		{"@yearly", 1717200000, 1735689600, false},             /* 2024-06-01 → 2025-01-01 */
		{"59 23 31 12 *", -120, -60, false},                    /* before the epoch */
		{"0 0 31 2 *", 1704067200, 0, true},
		{"0 0 30 2 *", 1704067200, 0, true},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct pb_cron_schedule s;
		CHECK(pb_cron_schedule_parse(cases[i].expr, &s, NULL, 0) == 0);
		int64_t next = 42;
		int rc = pb_cron_next(&s, cases[i].after, &next);
		if (cases[i].never) {
			CHECK(rc == -1 && next == 42);
		} else {
			CHECK(rc == 0 && next == cases[i].want);
			if (next != cases[i].want)
				fprintf(stderr, "  %s after %lld: got %lld\n", cases[i].expr, (long long)cases[i].after,
				        (long long)next);
		}
	}
}

static void noop(void *arg) { (void)arg; }

static char *list_json(struct pb_cron *c)
{
	json_t *l = pb_cron_list(c);
	char *s = pb_json_dumps(l);
	json_decref(l);
	return s;
}

static void test_add_remove_list(void)
{
	struct pb_cron *c = pb_cron_new();
	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_cron_add(c, "test0", "* * * * *", NULL, NULL, NULL, &err) == -1);
	CHECK_STR(err.message, "failed to add new cron job: fn must be non-nil function");
	pb_error_clear(&err);
	CHECK(pb_cron_add(c, "test1", "invalid", noop, NULL, NULL, &err) == -1);
	CHECK_STR(err.message, "failed to add new cron job: invalid cron expression - must be a valid macro or to have "
	                       "exactly 5 space separated segments");
	pb_error_clear(&err);
	CHECK(pb_cron_add(c, "test1", "*/0 * * * *", noop, NULL, NULL, &err) == -1);
	CHECK_STR(err.message, "failed to add new cron job: invalid segment step boundary - the step must be between 1 "
	                       "and the 59");
	pb_error_clear(&err);
	CHECK(pb_cron_add(c, "test1", NULL, noop, NULL, NULL, &err) == -1);
	pb_error_clear(&err);
	CHECK(pb_cron_add(c, "test2", "* * * * *", noop, NULL, NULL, &err) == 0);
	CHECK(pb_cron_add(c, "test3", "* * * * *", noop, NULL, NULL, &err) == 0);
	CHECK(pb_cron_add(c, "test4", "* * * * *", noop, NULL, NULL, &err) == 0);
	CHECK(pb_cron_add(c, "test2", "1 2 3 4 5", noop, NULL, NULL, &err) == 0); /* overwrite */
	CHECK(pb_cron_add(c, "test5", "@hourly", noop, NULL, NULL, &err) == 0);
	CHECK(pb_cron_remove(c, "test4"));
	CHECK(!pb_cron_remove(c, "missing"));
	CHECK(pb_cron_total(c) == 3);
	char *s = list_json(c);
	CHECK_STR(s, "[{\"id\":\"test2\",\"expression\":\"1 2 3 4 5\"},{\"id\":\"test3\",\"expression\":\"* * * * *\"},"
	             "{\"id\":\"test5\",\"expression\":\"0 * * * *\"}]");
	free(s);

	/* built-ins after the user jobs, in registration order; re-adding moves a job last */
	pb_cron_remove_all(c);
	CHECK(pb_cron_total(c) == 0);
	s = list_json(c);
	CHECK_STR(s, "[]");
	free(s);
	pb_cron_add(c, PB_CRON_LOGS_CLEANUP_ID, PB_CRON_LOGS_CLEANUP_EXPR, noop, NULL, NULL, NULL);
	pb_cron_add(c, PB_CRON_DB_OPTIMIZE_ID, PB_CRON_DB_OPTIMIZE_EXPR, noop, NULL, NULL, NULL);
	pb_cron_add(c, "zeta", "@daily", noop, NULL, NULL, NULL);
	pb_cron_add(c, PB_CRON_MFA_CLEANUP_ID, PB_CRON_MFA_CLEANUP_EXPR, noop, NULL, NULL, NULL);
	pb_cron_add(c, "Alpha", "5 4 * * 1", noop, NULL, NULL, NULL);
	pb_cron_add(c, "_pb", "* * * * *", noop, NULL, NULL, NULL);
	pb_cron_add(c, PB_CRON_OTP_CLEANUP_ID, PB_CRON_OTP_CLEANUP_EXPR, noop, NULL, NULL, NULL);
	s = list_json(c);
	CHECK_STR(s, "[{\"id\":\"Alpha\",\"expression\":\"5 4 * * 1\"},{\"id\":\"_pb\",\"expression\":\"* * * * *\"},"
	             "{\"id\":\"zeta\",\"expression\":\"0 0 * * *\"},"
	             "{\"id\":\"__pbLogsCleanup__\",\"expression\":\"0 */6 * * *\"},"
	             "{\"id\":\"__pbDBOptimize__\",\"expression\":\"0 0 * * *\"},"
	             "{\"id\":\"__pbMFACleanup__\",\"expression\":\"0 * * * *\"},"
	             "{\"id\":\"__pbOTPCleanup__\",\"expression\":\"0 * * * *\"}]");
	free(s);
	pb_cron_add(c, PB_CRON_LOGS_CLEANUP_ID, PB_CRON_LOGS_CLEANUP_EXPR, noop, NULL, NULL, NULL);
	s = list_json(c);
	CHECK(strstr(s, "\"__pbOTPCleanup__\",\"expression\":\"0 * * * *\"},{\"id\":\"__pbLogsCleanup__\"") != NULL);
	free(s);
	pb_cron_free(c);
}

static void count_fn(void *arg) { atomic_fetch_add((atomic_int *)arg, 1); }

static void test_tick_and_run(void)
{
	struct pb_cron *c = pb_cron_new();
	atomic_int a = 0, b = 0, every = 0, daily = 0;
	pb_cron_add(c, "a", "1 * * * *", count_fn, &a, NULL, NULL);
	pb_cron_add(c, "b", "2 * * * *", count_fn, &b, NULL, NULL);
	pb_cron_add(c, "every", "* * * * *", count_fn, &every, NULL, NULL);
	pb_cron_add(c, "daily", "@daily", count_fn, &daily, NULL, NULL);
	CHECK(pb_cron_tick(c, 1714521705) == 2); /* 2024-05-01 00:01:45 → a, every */
	pb_cron_wait_idle(c);
	CHECK(a == 1 && b == 0 && every == 1 && daily == 0);
	CHECK(pb_cron_tick(c, 1714521720) == 2); /* 00:02 → b, every */
	pb_cron_wait_idle(c);
	CHECK(a == 1 && b == 1 && every == 2 && daily == 0);
	CHECK(pb_cron_tick(c, 1714521600) == 2); /* 00:00 → every, daily */
	pb_cron_wait_idle(c);
	CHECK(a == 1 && b == 1 && every == 3 && daily == 1);
	CHECK(pb_cron_tick(c, 1714521600 + 3600) == 1); /* 01:00 → every */
	pb_cron_wait_idle(c);
	CHECK(every == 4 && daily == 1);

	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_cron_run_now(c, "missing", &err) == -1);
	CHECK(err.status == 404);
	CHECK_STR(err.message, "Missing or invalid cron job.");
	pb_error_clear(&err);
	CHECK(pb_cron_run_now(c, "b", &err) == 0);
	pb_cron_wait_idle(c);
	CHECK(b == 2 && a == 1 && every == 4);

	CHECK(!pb_cron_has_started(c));
	CHECK(pb_cron_start(c, &err) == 0);
	CHECK(pb_cron_has_started(c));
	CHECK(pb_cron_start(c, &err) == 0); /* restart */
	pb_cron_stop(c);
	pb_cron_stop(c);
	CHECK(!pb_cron_has_started(c));
	pb_cron_free(c);
}

/* A job that blocks until released, to remove it while a run is in flight. */
struct gate {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool entered, open;
	atomic_int freed;
};

static void gate_fn(void *arg)
{
	struct gate *g = arg;
	pthread_mutex_lock(&g->mu);
	g->entered = true;
	pthread_cond_broadcast(&g->cv);
	while (!g->open)
		pthread_cond_wait(&g->cv, &g->mu);
	pthread_mutex_unlock(&g->mu);
}

static void gate_free(void *arg) { atomic_fetch_add(&((struct gate *)arg)->freed, 1); }

static void test_arg_lifetime(void)
{
	struct pb_cron *c = pb_cron_new();
	struct gate g = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false, false, 0};
	atomic_int n = 0;
	/* a failed add releases the arg at once */
	CHECK(pb_cron_add(c, "bad", "nope", gate_fn, &g, gate_free, NULL) == -1);
	CHECK(g.freed == 1);
	/* replacing releases the old job's arg */
	pb_cron_add(c, "g", "* * * * *", gate_fn, &g, gate_free, NULL);
	pb_cron_add(c, "g", "* * * * *", gate_fn, &g, gate_free, NULL);
	CHECK(g.freed == 2);
	pb_cron_add(c, "n", "0 0 1 1 *", count_fn, &n, NULL, NULL);
	CHECK(pb_cron_run_now(c, "g", NULL) == 0);
	pthread_mutex_lock(&g.mu);
	while (!g.entered)
		pthread_cond_wait(&g.cv, &g.mu);
	pthread_mutex_unlock(&g.mu);
	CHECK(pb_cron_remove(c, "g"));
	CHECK(g.freed == 2); /* still running: not released yet */
	pthread_mutex_lock(&g.mu);
	g.open = true;
	pthread_cond_broadcast(&g.cv);
	pthread_mutex_unlock(&g.mu);
	pb_cron_wait_idle(c);
	CHECK(g.freed == 3);
	CHECK(pb_cron_total(c) == 1 && n == 0);
	pb_cron_add(c, "g", "@hourly", gate_fn, &g, gate_free, NULL);
	pb_cron_free(c); /* frees the remaining job */
	CHECK(g.freed == 4);
}

int main(void)
{
	test_parse_valid();
	test_parse_invalid();
	test_moment_and_due();
	test_next();
	test_add_remove_list();
	test_tick_and_run();
	test_arg_lifetime();
	TEST_DONE();
}
