/* test_logs — core/logs: queue → batch flush → `_logs` rows in a bootstrapped auxiliary.db
 * (ids of the id alphabet, increasing in write order; canonical created; key-sorted Go-escaped
 * data; FIFO order), the batch-size trigger, min level / maxDays 0, the bounded queue's drop
 * counter, flush on stop, DeleteOldLogs on a fixture copy (core/log_query_test.go
 * TestDeleteOldLogs), the settings-reload prune, and the request activity data/message exactly
 * as apis/middlewares.go builds them — checked against the real request row PocketBase wrote
 * into the fixture; the older schema's `updated` column set as its default would. */
#include <ctype.h>
#include <stdlib.h>

#include "core/datetime.h"
#include "core/json_write.h"
#include "core/logs.h"
#include "core/strbuf.h"
#include "logs_test_util.h"
#include "test.h"

static bool is_id(const char *s)
{
	if (!s || strlen(s) != 15)
		return false;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s)))
			return false;
	return true;
}

static void test_batches(void)
{
	struct ltu t;
	CHECK(ltu_setup(&t, 0) == 0);
	struct pb_logs l;
	struct pb_error err = PB_ERROR_INIT;
	struct pb_logs_options opt = {.batch_size = 3, .flush_interval_ms = 3600 * 1000, .config = PB_LOGS_CONFIG_DEFAULT};
	CHECK(pb_logs_start(&l, t.aux_path, &opt, &err) == 0);
	sqlite3 *db = ltu_open(&t);

	int64_t before = pb_now_ms();
	CHECK(pb_logs_add(&l, PB_LOG_INFO, "m1", json_pack("{s:i,s:{s:s,s:[f,{s:b,s:n}]}}", "z", 1, "a", "y", "<b>&",
	                                                   "b", 2.5, "k", 1, "c")) == 0);
	CHECK(pb_logs_add(&l, PB_LOG_WARN, "m2", NULL) == 0);
	/* below the batch size and long before the interval: nothing written yet */
	CHECK(pb_logs_written(&l) == 0);
	CHECK(ltu_int(db, "SELECT count(*) FROM _logs") == 0);
	json_t *bad = json_object(); /* invalid UTF-8 is written as Go writes it */
	json_object_set_new(bad, "ua", json_stringn_nocheck("\xff ok", 4));
	CHECK(pb_logs_add(&l, PB_LOG_ERROR, "m3", bad) == 0);
	CHECK(pb_logs_wait_written(&l, 3, 10000) == 0); /* the batch size wakes the writer */
	int64_t after = pb_now_ms();
	CHECK(ltu_int(db, "SELECT count(*) FROM _logs") == 3);

	sqlite3_stmt *st = NULL;
	sqlite3_prepare_v2(db, "SELECT id, level, message, data, created FROM _logs ORDER BY rowid", -1, &st, NULL);
	static const char *const msgs[] = {"m1", "m2", "m3"};
	static const int levels[] = {0, 4, 8};
	static const char *const datas[] = {
		"{\"a\":{\"b\":[2.5,{\"c\":null,\"k\":true}],\"y\":\"\\u003cb\\u003e\\u0026\"},\"z\":1}",
		"{}",
		"{\"ua\":\"\\ufffd ok\"}",
	};
	char first_id[16] = "";
	for (int i = 0; i < 3; i++) {
		CHECK(sqlite3_step(st) == SQLITE_ROW);
		const char *id = (const char *)sqlite3_column_text(st, 0);
		CHECK(is_id(id));
		if (i == 0)
			snprintf(first_id, sizeof first_id, "%s", id);
		else
			CHECK(strcmp(id, first_id) != 0);
		CHECK(sqlite3_column_int(st, 1) == levels[i]);
		CHECK_STR((const char *)sqlite3_column_text(st, 2), msgs[i]);
		CHECK_STR((const char *)sqlite3_column_text(st, 3), datas[i]);
		const char *created = (const char *)sqlite3_column_text(st, 4);
		char norm[PB_DATETIME_LEN + 1];
		pb_datetime_normalize(created, norm);
		CHECK_STR(created, norm); /* canonical form */
		int64_t ms = 0;
		CHECK(pb_datetime_parse(created, &ms) == 0 && ms >= before - 1 && ms <= after);
	}
	sqlite3_finalize(st);

	/* minLevel and maxDays 0 */
	struct pb_settings_logs cfg = {5, PB_LOG_WARN, true, false};
	pb_logs_set_config(&l, &cfg);
	CHECK(pb_logs_add(&l, PB_LOG_INFO, "skipped", json_object()) == 1);
	CHECK(pb_logs_add(&l, PB_LOG_DEBUG, "skipped", NULL) == 1);
	CHECK(pb_logs_add(&l, PB_LOG_WARN, "kept", NULL) == 0);
	CHECK(pb_logs_flush(&l, &err) == 0);
	CHECK(ltu_int(db, "SELECT count(*) FROM _logs WHERE message = 'kept'") == 1);
	CHECK(pb_logs_add(&l, PB_LOG_ERROR, "pending when disabled", NULL) == 0);
	cfg.max_days = 0;
	pb_logs_set_config(&l, &cfg);
	CHECK(pb_logs_add(&l, PB_LOG_ERROR, "disabled", NULL) == 1);
	cfg.max_days = -1; /* (not valid settings) also disabled, as BeforeAddFunc's MaxDays > 0 */
	pb_logs_set_config(&l, &cfg);
	CHECK(pb_logs_add(&l, PB_LOG_ERROR, "disabled", NULL) == 1);
	cfg.max_days = 0;
	pb_logs_set_config(&l, &cfg);
	CHECK(pb_logs_flush(&l, &err) == 0); /* the write side drops batches while disabled */
	CHECK(ltu_int(db, "SELECT count(*) FROM _logs") == 4);
	CHECK(pb_logs_get_config(&l).max_days == 0 && pb_logs_get_config(&l).min_level == PB_LOG_WARN);

	/* stop writes what is pending */
	cfg.max_days = 5;
	pb_logs_set_config(&l, &cfg);
	CHECK(pb_logs_add(&l, PB_LOG_WARN, "at stop 1", NULL) == 0);
	CHECK(pb_logs_add(&l, PB_LOG_WARN, "at stop 2", NULL) == 0);
	CHECK(pb_logs_dropped(&l) == 0);
	pb_logs_stop(&l);
	pb_logs_stop(&l); /* no-op */
	CHECK(pb_logs_add(&l, PB_LOG_WARN, "after stop", json_object()) == -1);
	char *last = ltu_text(db, "SELECT group_concat(message, '|') FROM (SELECT message FROM _logs ORDER BY rowid)");
	CHECK_STR(last, "m1|m2|m3|kept|at stop 1|at stop 2");
	free(last);

	/* a new writer on the same file: its ids still come after the earlier ones; across every
	 * batch the ids increase in write order (appends to the primary-key index) */
	CHECK(pb_logs_start(&l, t.aux_path, &opt, &err) == 0);
	for (int i = 0; i < 5; i++)
		CHECK(pb_logs_add(&l, PB_LOG_WARN, "restarted", NULL) == 0);
	pb_logs_stop(&l);
	CHECK(ltu_int(db, "SELECT count(*) FROM _logs") == 11);
	CHECK(ltu_int(db, "SELECT count(DISTINCT id) FROM _logs") == 11);
	CHECK(ltu_int(db, "SELECT count(*) FROM (SELECT id, lag(id) OVER (ORDER BY rowid) AS prev FROM _logs) "
	                  "WHERE prev IS NOT NULL AND id <= prev") == 0);
	CHECK(ltu_int(db, "SELECT count(*) FROM _logs WHERE length(id) = 15 AND id NOT GLOB '*[^a-z0-9]*'") == 11);
	sqlite3_close(db);
	ltu_cleanup(&t);
}

/* Inputs past the request log's cuts: *url a 3501-byte "/uuu…" URI and *ref 2501 bytes of
 * 'r' (both new, caller frees), method 60 'm's (method must hold 61 bytes). */
static void long_inputs(char **url, char **ref, char method[61])
{
	*url = malloc(3502);
	*ref = malloc(2502);
	(*url)[0] = '/';
	memset(*url + 1, 'u', 3500);
	(*url)[3501] = '\0';
	memset(*ref, 'r', 2501);
	(*ref)[2501] = '\0';
	memset(method, 'm', 60);
	method[60] = '\0';
}

/* Batches written through the multi-row INSERTs (PB_LOGS_CHUNK_SIZES rows per statement) and
 * the recycled entry buffers: every row in queue order with its own id and bytes; a row the
 * database refuses is skipped alone and its chunk's other rows are written — refused by a
 * trigger (the whole statement is undone) in the first round, by a unique index in the middle
 * of a chunk (the rows before it stay) in the second. */
static void test_chunks(void)
{
	struct ltu t;
	CHECK(ltu_setup(&t, 0) == 0);
	struct pb_logs l;
	struct pb_error err = PB_ERROR_INIT;
	struct pb_logs_options opt = {.batch_size = 100000, .flush_interval_ms = 3600 * 1000, .config = PB_LOGS_CONFIG_DEFAULT};
	CHECK(pb_logs_start(&l, t.aux_path, &opt, &err) == 0);
	sqlite3 *db = ltu_open(&t);
	CHECK(sqlite3_exec(db, "CREATE TRIGGER refuse BEFORE INSERT ON _logs WHEN NEW.message = 'GET /bad' "
	                       "BEGIN SELECT RAISE(ABORT, 'refused'); END", NULL, NULL, NULL) == SQLITE_OK);
	char long_ua[1500];
	memset(long_ua, 'u', sizeof long_ua - 1);
	long_ua[sizeof long_ua - 1] = '\0';
	struct pb_strbuf want = PB_STRBUF_INIT;
	for (int round = 0; round < 2; round++) { /* the second round runs on recycled buffers */
		int total = round ? 37 : 100, refused = round ? 20 : 40;
		if (round == 1)
			CHECK(sqlite3_exec(db, "CREATE UNIQUE INDEX test_unique ON _logs (message)", NULL, NULL, NULL) == SQLITE_OK);
		for (int i = 0; i < total; i++) {
			char url[64];
			if (i == refused)
				snprintf(url, sizeof url, round ? "/r1/10" : "/bad");
			else
				snprintf(url, sizeof url, "/r%d/%d", round, i);
			struct pb_request_log r = {.method = "GET", .url = url, .status = 200 + i, .has_exec_time = true,
			                           .exec_time_ms = i / 1000.0, .user_agent = i % 7 == 3 ? long_ua : "ua"};
			if (i % 10 == 5) {
				CHECK(pb_logs_add(&l, PB_LOG_WARN, url, json_pack("{s:i}", "i", i)) == 0);
			} else {
				CHECK(pb_logs_add_request(&l, &r) == 0);
			}
			if (i == refused)
				continue;
			if (want.len)
				pb_strbuf_putc(&want, '|');
			if (i % 10 == 5) {
				pb_strbuf_printf(&want, "%s {\"i\":%d}", url, i);
			} else {
				size_t n;
				char *d = pb_logs_request_data_text(&r, &n);
				pb_strbuf_printf(&want, "GET %s %s", url, d);
				free(d);
			}
		}
		CHECK(pb_logs_flush(&l, &err) == 0);
		char *got = ltu_text(db, "SELECT group_concat(message || ' ' || data, '|') FROM "
		                         "(SELECT message, data FROM _logs ORDER BY rowid)");
		CHECK_STR(got, want.data);
		free(got);
	}
	CHECK(ltu_int(db, "SELECT count(*) FROM _logs") == 99 + 36);
	CHECK(ltu_int(db, "SELECT count(DISTINCT id) FROM _logs") == 99 + 36);
	CHECK(pb_logs_written(&l) == 99 + 36);
	pb_strbuf_deinit(&want);
	pb_logs_stop(&l);
	sqlite3_close(db);
	ltu_cleanup(&t);
}

static void test_bounded_queue(void)
{
	struct ltu t;
	CHECK(ltu_setup(&t, 0) == 0);
	struct pb_logs l;
	struct pb_logs_options opt = {
		.batch_size = 1000, .flush_interval_ms = 3600 * 1000, .max_pending = 5, .config = PB_LOGS_CONFIG_DEFAULT};
	CHECK(pb_logs_start(&l, t.aux_path, &opt, NULL) == 0);
	int queued = 0, dropped = 0;
	for (int i = 0; i < 8; i++) {
		char m[16];
		snprintf(m, sizeof m, "e%d", i);
		int rc = pb_logs_add(&l, PB_LOG_INFO, m, json_pack("{s:i}", "i", i));
		queued += rc == 0;
		dropped += rc == -1;
	}
	CHECK(queued == 5 && dropped == 3);
	CHECK(pb_logs_dropped(&l) == 3);
	CHECK(pb_logs_flush(&l, NULL) == 0);
	/* the five entries and one warning that counts the three lost ones */
	CHECK(pb_logs_written(&l) == 6);
	/* room again after the flush; no new drops, so no second warning */
	CHECK(pb_logs_add(&l, PB_LOG_INFO, "e8", NULL) == 0);
	pb_logs_stop(&l);
	sqlite3 *db = ltu_open(&t);
	char *all = ltu_text(db, "SELECT group_concat(message, ',') FROM (SELECT message FROM _logs ORDER BY rowid)");
	CHECK_STR(all, "e0,e1,e2,e3,e4,Request log entries dropped: the log writer could not keep up,e8");
	free(all);
	char *warn = ltu_text(db, "SELECT level || ' ' || data FROM _logs WHERE message LIKE 'Request log entries dropped%'");
	CHECK_STR(warn, "4 {\"dropped\":3}");
	free(warn);
	sqlite3_close(db);
	ltu_cleanup(&t);
}

static void test_cleanup(void)
{
	struct ltu t;
	CHECK(ltu_setup(&t, 1) == 0);
	struct pb_logs l;
	CHECK(pb_logs_start(&l, t.aux_path, NULL, NULL) == 0);
	sqlite3 *db = ltu_open(&t);
	CHECK(ltu_stub_logs(db) == 0);
	static const struct {
		const char *date;
		long long remaining;
	} cases[] = {
		{"2022-01-01 10:00:00.000Z", 2},
		{"2022-05-01 11:00:00.000Z", 1},
		{"2022-05-03 11:00:00.000Z", 0},
		{"2022-05-04 11:00:00.000Z", 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t ms = 0;
		CHECK(pb_datetime_parse(cases[i].date, &ms) == 0);
		CHECK(pb_logs_delete_before(&l, ms, NULL) == 0);
		CHECK(ltu_int(db, "SELECT count(*) FROM _logs") == cases[i].remaining);
	}
	/* `created <= date`: a row exactly at the date goes */
	CHECK(ltu_stub_logs(db) == 0);
	int64_t ms = 0;
	pb_datetime_parse("2022-05-01 10:00:00.123Z", &ms);
	CHECK(pb_logs_delete_before(&l, ms, NULL) == 0);
	CHECK(ltu_int(db, "SELECT count(*) FROM _logs") == 1);
	/* a huge maxDays reaches before year 1: nothing to delete (no overflow) */
	CHECK(ltu_stub_logs(db) == 0);
	CHECK(pb_logs_cleanup(&l, INT64_MAX, NULL) == 0);
	CHECK(ltu_int(db, "SELECT count(*) FROM _logs") == 2);
	/* the 6-hourly job: maxDays back from now */
	CHECK(pb_logs_add(&l, PB_LOG_INFO, "fresh", NULL) == 0);
	CHECK(pb_logs_flush(&l, NULL) == 0);
	pb_logs_cleanup_job(&l);
	char *left = ltu_text(db, "SELECT group_concat(message) FROM _logs");
	CHECK_STR(left, "fresh");
	free(left);

	/* settings reload: old rows or level < minLevel go; maxDays 0 empties (and VACUUMs) */
	CHECK(ltu_stub_logs(db) == 0); /* (replaces "fresh") */
	pb_logs_add(&l, PB_LOG_DEBUG, "debug", NULL);
	pb_logs_add(&l, PB_LOG_WARN, "warn", NULL);
	pb_logs_flush(&l, NULL);
	struct pb_settings_logs cfg = {5, PB_LOG_INFO, true, false};
	CHECK(pb_logs_reconfigure(&l, &cfg, NULL) == 0);
	left = ltu_text(db, "SELECT group_concat(message) FROM (SELECT message FROM _logs ORDER BY rowid)");
	CHECK_STR(left, "warn");
	free(left);
	cfg.max_days = 0;
	CHECK(pb_logs_reconfigure(&l, &cfg, NULL) == 0);
	CHECK(ltu_int(db, "SELECT count(*) FROM _logs") == 0);
	CHECK(pb_logs_get_config(&l).max_days == 0);
	sqlite3_close(db);
	pb_logs_stop(&l);
	ltu_cleanup(&t);
}

static char *dump_sorted(json_t *v)
{
	json_t *s = pb_json_sorted_copy(v);
	char *out = pb_json_dumps(s);
	json_decref(s);
	return out;
}

static void test_request_data(void)
{
	/* the request row PocketBase v0.39.11 wrote into the fixture (logIP off) */
	struct ltu t;
	CHECK(ltu_setup(&t, 1) == 0);
	sqlite3 *db = ltu_open(&t);
	char *want = ltu_text(db, "SELECT data FROM _logs WHERE id = 'zqj48gjhf7zj0nk'");
	char *want_msg = ltu_text(db, "SELECT message FROM _logs WHERE id = 'zqj48gjhf7zj0nk'");
	sqlite3_close(db);
	ltu_cleanup(&t);
	struct pb_request_log r = {
		.method = "PATCH",
		.url = "/api/settings",
		.status = 200,
		.has_exec_time = true,
		.exec_time_ms = 9.681131,
		.referer = "http://localhost:8090/_/",
		.user_agent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/146.0.0.0 "
		              "Safari/537.36",
		.auth_collection = "_superusers",
		.auth_id = "sywbhecnh46rhm0",
		.user_ip = "127.0.0.1",
		.remote_ip = "127.0.0.1",
	};
	json_t *d = pb_logs_request_data(&r);
	char *got = dump_sorted(d);
	CHECK_STR(got, want);
	CHECK_STR(got, "{\"auth\":\"_superusers\",\"execTime\":9.681131,\"method\":\"PATCH\",\"referer\":\"http://"
	               "localhost:8090/_/\",\"status\":200,\"type\":\"request\",\"url\":\"/api/settings\",\"userAgent\":"
	               "\"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/146.0.0.0 "
	               "Safari/537.36\"}");
	free(got);
	json_decref(d);
	size_t mlen = 0;
	char *msg = pb_logs_request_message(&r, &mlen);
	CHECK_STR(msg, want_msg);
	CHECK(mlen == strlen("PATCH /api/settings"));
	free(msg);
	free(want);
	free(want_msg);

	/* an API error with details, IP and auth id logging on; keys in order of addition */
	json_t *details = json_pack("{s:{s:s,s:s}}", "title", "code", "validation_required", "message", "Cannot be blank.");
	json_t *meta = json_pack("{s:i}", "n", 1);
	struct pb_request_log e = {
		.method = "post",
		.url = "/api/collections/demo/records?x=%3Cb%3E",
		.status = 400,
		.has_exec_time = true,
		.exec_time_ms = 0.5,
		.user_agent = "<ua>",
		.auth_collection = "users",
		.auth_id = "4q1xlclmfloku33",
		.user_ip = "10.0.0.1",
		.remote_ip = "127.0.0.1",
		.error = "Failed to create record.",
		.details = details,
		.meta = meta,
		.log_ip = true,
		.log_auth_id = true,
	};
	d = pb_logs_request_data(&e);
	got = pb_json_dumps(d);
	CHECK_STR(got, "{\"type\":\"request\",\"execTime\":0.5,\"meta\":{\"n\":1},\"error\":\"Failed to create record.\","
	               "\"details\":{\"title\":{\"code\":\"validation_required\",\"message\":\"Cannot be blank.\"}},"
	               "\"url\":\"/api/collections/demo/records?x=%3Cb%3E\",\"method\":\"POST\",\"status\":400,"
	               "\"referer\":\"\",\"userAgent\":\"\\u003cua\\u003e\",\"auth\":\"users\",\"authId\":\"4q1xlclmfloku33\","
	               "\"userIP\":\"10.0.0.1\",\"remoteIP\":\"127.0.0.1\"}");
	free(got);
	json_decref(d);
	msg = pb_logs_request_message(&e, &mlen);
	CHECK_STR(msg, "POST /api/collections/demo/records?x=<b>");
	free(msg);

	/* guest, no exec time, a non-API error (no details), authId needs an auth */
	struct pb_request_log g = {.method = "GET", .url = "/a%zz", .status = 500, .auth_id = "x", .error = "boom",
	                           .log_auth_id = true};
	d = pb_logs_request_data(&g);
	got = pb_json_dumps(d);
	CHECK_STR(got, "{\"type\":\"request\",\"error\":\"boom\",\"url\":\"/a%zz\",\"method\":\"GET\",\"status\":500,"
	               "\"referer\":\"\",\"userAgent\":\"\",\"auth\":\"\"}");
	free(got);
	json_decref(d);
	msg = pb_logs_request_message(&g, &mlen);
	CHECK_STR(msg, "GET /a%zz"); /* malformed escape: kept as is */
	free(msg);
	/* ApiError without raw data: "details":null */
	g.details = json_null();
	d = pb_logs_request_data(&g);
	CHECK(json_is_null(json_object_get(d, "details")));
	json_decref(d);

	/* cuts: URI 3000, referer/userAgent 2000, method 50 (+ "...") */
	char *longurl, *longref, longm[61];
	long_inputs(&longurl, &longref, longm);
	struct pb_request_log c = {.method = longm, .url = longurl, .referer = longref, .user_agent = longref};
	d = pb_logs_request_data(&c);
	const char *u = json_string_value(json_object_get(d, "url"));
	CHECK(strlen(u) == 3003 && strcmp(u + 3000, "...") == 0 && u[2999] == 'u');
	CHECK(json_string_length(json_object_get(d, "referer")) == 2003);
	CHECK(json_string_length(json_object_get(d, "userAgent")) == 2003);
	const char *m = json_string_value(json_object_get(d, "method"));
	CHECK(strlen(m) == 53 && m[0] == 'M' && strcmp(m + 50, "...") == 0);
	json_decref(d);
	msg = pb_logs_request_message(&c, &mlen);
	CHECK(mlen == 53 + 1 + 3003 && msg[53] == ' ' && msg[54] == '/');
	free(msg);
	/* the cut can split an escape: then the message keeps the raw URI */
	memcpy(longurl + 2998, "%41", 3);
	d = pb_logs_request_data(&c);
	CHECK(strncmp(json_string_value(json_object_get(d, "url")) + 2995, "uuu%4...", 8) == 0);
	json_decref(d);
	msg = pb_logs_request_message(&c, &mlen);
	CHECK(mlen == 53 + 1 + 3003 && memcmp(msg + 54 + 2998, "%4...", 5) == 0);
	free(msg);
	free(longurl);
	free(longref);

	/* %00 unescapes to a NUL byte inside the message */
	struct pb_request_log z = {.method = "GET", .url = "/a%00b"};
	msg = pb_logs_request_message(&z, &mlen);
	CHECK(mlen == 8 && memcmp(msg, "GET /a\0b", 9) == 0);
	free(msg);

	/* end to end: level 8 for errors, data sorted as stored */
	CHECK(ltu_setup(&t, 0) == 0);
	struct pb_logs l;
	CHECK(pb_logs_start(&l, t.aux_path, NULL, NULL) == 0);
	CHECK(pb_logs_add_request(&l, &e) == 0);
	CHECK(pb_logs_add_request(&l, &z) == 0);
	struct pb_settings_logs off = {0, 0, true, false};
	pb_logs_set_config(&l, &off);
	CHECK(pb_logs_add_request(&l, &z) == 1);
	off.max_days = 1;
	pb_logs_set_config(&l, &off);
	pb_logs_stop(&l);
	db = ltu_open(&t);
	char *row = ltu_text(db, "SELECT level || ' ' || message || ' ' || data FROM _logs ORDER BY rowid LIMIT 1");
	CHECK_STR(row, "8 POST /api/collections/demo/records?x=<b> {\"auth\":\"users\",\"authId\":\"4q1xlclmfloku33\","
	               "\"details\":{\"title\":{\"code\":\"validation_required\",\"message\":\"Cannot be blank.\"}},"
	               "\"error\":\"Failed to create record.\",\"execTime\":0.5,\"meta\":{\"n\":1},\"method\":\"POST\","
	               "\"referer\":\"\",\"remoteIP\":\"127.0.0.1\",\"status\":400,\"type\":\"request\","
	               "\"url\":\"/api/collections/demo/records?x=%3Cb%3E\",\"userAgent\":\"\\u003cua\\u003e\","
	               "\"userIP\":\"10.0.0.1\"}");
	free(row);
	CHECK(ltu_int(db, "SELECT level FROM _logs ORDER BY rowid LIMIT 1 OFFSET 1") == 0);
	CHECK(ltu_int(db, "SELECT length(CAST(message AS BLOB)) FROM _logs ORDER BY rowid LIMIT 1 OFFSET 1") == 8);
	CHECK(ltu_int(db, "SELECT count(*) FROM _logs") == 2);
	sqlite3_close(db);
	ltu_cleanup(&t);
	json_decref(details);
	json_decref(meta);
}

/* A queued request entry only carries the raw fields; the row the writer formats from them is
 * the message and data text the same inputs give directly: cuts of method, URI, referer and
 * user agent, a URI built from a path that needs re-escaping plus a query, an error with
 * details and meta, a NUL byte from %00, and an entry with every string absent. */
static void test_request_entry_fields(void)
{
	char *longurl, *longref, longm[61];
	long_inputs(&longurl, &longref, longm);
	memcpy(longurl + 2998, "%41", 3);
	json_t *details = json_pack("{s:s,s:{s:s}}", "z", "last", "a", "b", "\u00e9<"), *meta = json_pack("[i,s]", 1, "x");
	const struct pb_request_log cases[] = {
	    {.method = longm, .url = longurl, .referer = longref, .user_agent = longref, .status = 200},
	    {.method = "get", .path = "/caf\xc3\xa9/a b%00c", .query = "x=%zz&y", .status = 404, .has_exec_time = true,
	     .exec_time_ms = 1.25, .user_ip = "10.0.0.1", .remote_ip = "127.0.0.1", .log_ip = true},
	    {.method = "POST", .path = "/api/x", .error = "Failed to create record.", .details = details, .meta = meta,
	     .auth_collection = "users", .auth_id = "4q1xlclmfloku33", .log_auth_id = true, .status = 400},
	    {.method = "GET", .url = "/a%00b", .status = 200},
	    {0},
	};
	const size_t ncases = sizeof cases / sizeof cases[0];
	struct ltu t;
	CHECK(ltu_setup(&t, 0) == 0);
	struct pb_logs l;
	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_logs_start(&l, t.aux_path, NULL, &err) == 0);
	for (size_t i = 0; i < ncases; i++)
		CHECK(pb_logs_add_request(&l, &cases[i]) == 0);
	CHECK(pb_logs_flush(&l, &err) == 0);
	sqlite3 *db = ltu_open(&t);
	sqlite3_stmt *st = NULL;
	CHECK(sqlite3_prepare_v2(db, "SELECT level, message, data FROM _logs ORDER BY rowid", -1, &st, NULL) == SQLITE_OK);
	for (size_t i = 0; i < ncases; i++) {
		CHECK(sqlite3_step(st) == SQLITE_ROW);
		size_t mlen, dlen;
		char *msg = pb_logs_request_message(&cases[i], &mlen), *data = pb_logs_request_data_text(&cases[i], &dlen);
		CHECK(sqlite3_column_int(st, 0) == (cases[i].error ? PB_LOG_ERROR : PB_LOG_INFO));
		CHECK((size_t)sqlite3_column_bytes(st, 1) == mlen && memcmp(sqlite3_column_blob(st, 1), msg, mlen) == 0);
		CHECK_STR((const char *)sqlite3_column_text(st, 2), data);
		free(msg);
		free(data);
	}
	CHECK(sqlite3_step(st) == SQLITE_DONE);
	sqlite3_finalize(st);
	/* the built URI itself, as the data stores it */
	char *u = ltu_text(db, "SELECT json_extract(data, '$.url') || ' ' || message FROM _logs ORDER BY rowid LIMIT 1 OFFSET 1");
	CHECK_STR(u, "/caf%C3%A9/a%20b%00c?x=%zz&y GET /caf%C3%A9/a%20b%00c?x=%zz&y"); /* %zz: the message keeps it raw */
	free(u);
	sqlite3_close(db);
	pb_logs_stop(&l);
	pb_error_clear(&err);
	json_decref(details);
	json_decref(meta);
	free(longurl);
	free(longref);
	ltu_cleanup(&t);
}

/* The fixture's auxiliary.db still has the `updated` column of PocketBase's older schema: the
 * rows written (in chunks and one by one) get it as its default would, the canonical time of
 * their write; a bootstrapped table (without the column) is written as before. */
static void test_legacy_updated_column(void)
{
	for (int fixture = 1; fixture >= 0; fixture--) {
		struct ltu t;
		CHECK(ltu_setup(&t, fixture) == 0);
		struct pb_logs l;
		struct pb_error err = PB_ERROR_INIT;
		struct pb_logs_options opt = {.batch_size = 1000, .flush_interval_ms = 3600 * 1000,
		                              .config = PB_LOGS_CONFIG_DEFAULT};
		CHECK(pb_logs_start(&l, t.aux_path, &opt, &err) == 0);
		CHECK(l.has_updated == (fixture == 1));
		sqlite3 *db = ltu_open(&t);
		int old = ltu_int(db, "SELECT count(*) FROM _logs");
		int64_t before = pb_now_ms();
		for (int i = 0; i < 23; i++) /* a chunk of 16, one of 4, three alone */
			CHECK(pb_logs_add(&l, PB_LOG_INFO, "legacy", NULL) == 0);
		CHECK(pb_logs_flush(&l, &err) == 0);
		int64_t after = pb_now_ms();
		CHECK(ltu_int(db, "SELECT count(*) FROM _logs") == old + 23);
		if (fixture) {
			sqlite3_stmt *st = NULL;
			sqlite3_prepare_v2(db, "SELECT updated FROM _logs WHERE message = 'legacy'", -1, &st, NULL);
			int rows = 0;
			while (st && sqlite3_step(st) == SQLITE_ROW) {
				const char *updated = (const char *)sqlite3_column_text(st, 0);
				char norm[PB_DATETIME_LEN + 1];
				pb_datetime_normalize(updated, norm);
				CHECK_STR(updated, norm);
				int64_t ms = 0;
				CHECK(pb_datetime_parse(updated, &ms) == 0 && ms >= before - 1 && ms <= after);
				rows++;
			}
			sqlite3_finalize(st);
			CHECK(rows == 23);
		}
		pb_logs_stop(&l);
		sqlite3_close(db);
		ltu_cleanup(&t);
	}
}

static void test_start_errors(void)
{
	struct pb_logs l;
	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_logs_start(&l, "/nonexistent-dir/auxiliary.db", NULL, &err) == -1);
	CHECK(err.status == 500);
	pb_error_clear(&err);
	pb_logs_stop(&l); /* no-op after a failed start */
	CHECK(pb_logs_add(&l, PB_LOG_INFO, "x", json_object()) == -1);

	/* a database without `_logs` */
	struct ltu t;
	snprintf(t.dir, sizeof t.dir, "/tmp/pocketc_logs_XXXXXX");
	CHECK(mkdtemp(t.dir) != NULL);
	snprintf(t.aux_path, sizeof t.aux_path, "%s/auxiliary.db", t.dir);
	CHECK(pb_logs_start(&l, t.aux_path, NULL, &err) == -1);
	CHECK(strstr(err.message, "_logs") != NULL);
	pb_error_clear(&err);
	ltu_cleanup(&t);
}

int main(void)
{
	test_batches();
	test_chunks();
	test_bounded_queue();
	test_cleanup();
	test_request_data();
	test_request_entry_fields();
	test_legacy_updated_column();
	test_start_errors();
	TEST_DONE();
}
