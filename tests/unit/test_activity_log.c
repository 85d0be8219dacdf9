/* test_activity_log — the request activity logger (api/activity_log.h) end to end on a fresh
 * pb_data's auxiliary.db: a request entry as apis/middlewares.go logRequest stores it (message,
 * level, key-sorted data with execTime, url, method, status, referer, userAgent, auth,
 * authId/userIP/remoteIP per settings.logs), a failure with its error and details, the
 * skip-success routes, requests that never passed CORS, maxDays 0; plus the details of a
 * field-error tree. */
#include "api/activity_log.h"

#include <ctype.h>
#include <stdlib.h>

#include "api/router.h"
#include "core/app.h"
#include "core/json_write.h"
#include "logs_test_util.h"
#include "test.h"

static struct pb_http_head head_with(const char *ua, const char *referer)
{
	struct pb_http_head h = {0};
	h.method = "GET";
	h.target = "/";
	h.minor = 1;
	h.headers[h.nheaders++] = (struct pb_http_header){"User-Agent", ua};
	if (referer)
		h.headers[h.nheaders++] = (struct pb_http_header){"Referer", referer};
	return h;
}

static void details(void)
{
	json_t *data = json_loads("{\"meta\":{\"appName\":{\"code\":\"validation_required\",\"message\":\"Cannot be blank.\"}},"
	                          "\"email\":{\"code\":\"validation_is_email\",\"message\":\"Must be a valid email address.\","
	                          "\"params\":{}}}",
	                          0, NULL);
	json_t *d = pb_activity_log_details(data);
	char *s = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
	CHECK_STR(s, "{\"email\":\"Must be a valid email address.\",\"meta\":{\"appName\":\"Cannot be blank.\"}}");
	free(s);
	json_decref(d);
	json_decref(data);
}

/* pb_logs_request_data_text(r) gives the bytes (and length) of the sorted JSON encoding of
 * pb_logs_request_data(r). */
static void check_data_text(const struct pb_request_log *r)
{
	json_t *d = pb_logs_request_data(r);
	json_t *sorted = pb_json_sorted_copy(d);
	char *want = pb_json_dumps(sorted);
	size_t n;
	char *got = pb_logs_request_data_text(r, &n);
	CHECK_STR(got, want);
	CHECK(n == strlen(want));
	free(got);
	free(want);
	json_decref(sorted);
	json_decref(d);
}

/* The direct text builder gives the bytes of the sorted JSON encoding of the data object. */
static void data_text_equivalence(void)
{
	char long_ua[2100], bad[] = "bad \xff\xfe utf8 <&> \"q\" \x01";
	memset(long_ua, 'u', sizeof long_ua - 1);
	long_ua[sizeof long_ua - 1] = '\0';
	json_t *details = json_loads("{\"b\":{\"z\":1,\"a\":[{\"y\":2,\"x\":1}]},\"a\":\"m\"}", 0, NULL);
	json_t *meta = json_loads("{\"k2\":true,\"k1\":null}", 0, NULL);
	json_t *null = json_null();
	struct pb_request_log cases[] = {
	    {.method = "get", .url = "/api/x?y=1", .status = 200, .has_exec_time = true, .exec_time_ms = 0.253,
	     .referer = NULL, .user_agent = "curl/8", .log_ip = false},
	    {.method = "PATCH", .url = "/p", .status = 400, .has_exec_time = true, .exec_time_ms = 12.0,
	     .referer = bad, .user_agent = long_ua, .auth_collection = "users", .auth_id = "abc", .user_ip = "1.2.3.4",
	     .remote_ip = "::1", .error = "Failed.", .details = details, .meta = meta, .log_ip = true, .log_auth_id = true},
	    {.method = "DELETE", .url = bad, .status = 403, .has_exec_time = false, .error = "x", .details = null,
	     .auth_collection = "", .log_auth_id = true},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_data_text(&cases[i]);
	/* exec times: the microsecond fast path and the general float encoding agree */
	const double times[] = {0, 0.001, 0.01, 0.1, 0.253, 1, 12.5, 1234.567, 999999.999, 86400000.001, 1e-7, 0.1234567,
	                        1e12, 3e15, 12.0000001};
	for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
		struct pb_request_log r = {.method = "GET", .url = "/", .has_exec_time = true, .exec_time_ms = times[i]};
		check_data_text(&r);
	}
	json_decref(details);
	json_decref(meta);
	json_decref(null);
}

/* url.PathUnescape of the reference message: NULL when a '%' starts no valid escape. */
static char *ref_unescape(const char *s, size_t n, size_t *out_len)
{
	char *o = malloc(n + 1);
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '%') {
			o[w++] = s[i];
			continue;
		}
		char hex[3] = {0};
		if (i + 2 >= n || !isxdigit((unsigned char)s[i + 1]) || !isxdigit((unsigned char)s[i + 2])) {
			free(o);
			return NULL;
		}
		hex[0] = s[i + 1], hex[1] = s[i + 2];
		o[w++] = (char)strtol(hex, NULL, 16);
		i += 2;
	}
	*out_len = w;
	return o;
}

/* A random string of n bytes drawn from pieces that exercise the cuts and the escaping. */
static char *random_text(unsigned *seed, size_t n)
{
	static const char *pieces[] = {"a", "Z", "/", "%", "%2F", "%zz", "%4", "\xc3\xa9", "\xe2\x80\xa8", "\xff", "<",
	                               "&", "\"", "\\", "\n", "\x01", "\xe2\x82", "?", "+", " "};
	char *s = malloc(n + 1);
	size_t w = 0;
	while (w < n) {
		const char *p = pieces[rand_r(seed) % (sizeof pieces / sizeof pieces[0])];
		for (; *p && w < n; p++)
			s[w++] = *p;
	}
	s[n] = '\0';
	return s;
}

/* Random inputs around the cut lengths: the text builder matches the sorted jansson encoding,
 * the message matches a plain cutStr + PathUnescape, and a queued entry stores both. */
static void random_equivalence(void)
{
	unsigned seed = 12345;
	static const size_t lens[] = {0, 1, 7, 49, 50, 51, 53, 300, 1998, 1999, 2000, 2001, 2002, 2999, 3000, 3001, 3003};
	for (int round = 0; round < 400; round++) {
		size_t nl = sizeof lens / sizeof lens[0];
		char *method = random_text(&seed, lens[rand_r(&seed) % 7]);
		char *url = random_text(&seed, lens[rand_r(&seed) % nl]);
		char *ref = random_text(&seed, lens[rand_r(&seed) % nl]);
		char *ua = random_text(&seed, lens[rand_r(&seed) % nl]);
		struct pb_request_log r = {.method = method, .url = url, .status = rand_r(&seed) % 600 - 50,
		                           .has_exec_time = rand_r(&seed) % 4 != 0,
		                           .exec_time_ms = (double)(rand_r(&seed) % 100000000) / 1000.0, .referer = ref,
		                           .user_agent = ua, .auth_collection = rand_r(&seed) % 2 ? "users" : NULL,
		                           .auth_id = "abc", .user_ip = "1.2.3.4", .remote_ip = "5.6.7.8",
		                           .log_ip = rand_r(&seed) % 2, .log_auth_id = rand_r(&seed) % 2};
		check_data_text(&r);

		/* the message */
		struct pb_strbuf m = PB_STRBUF_INIT;
		size_t ml = strlen(method) > 50 ? 50 : strlen(method);
		for (size_t i = 0; i < ml; i++)
			pb_strbuf_putc(&m, (char)toupper((unsigned char)method[i]));
		if (strlen(method) > 50)
			pb_strbuf_puts(&m, "...");
		pb_strbuf_putc(&m, ' ');
		struct pb_strbuf cu = PB_STRBUF_INIT;
		pb_strbuf_append(&cu, url, strlen(url) > 3000 ? 3000 : strlen(url));
		if (strlen(url) > 3000)
			pb_strbuf_puts(&cu, "...");
		size_t ul;
		char *un = ref_unescape(cu.data ? cu.data : "", cu.len, &ul);
		if (un)
			pb_strbuf_append(&m, un, ul);
		else
			pb_strbuf_append(&m, cu.data ? cu.data : "", cu.len);
		size_t gl;
		char *gm = pb_logs_request_message(&r, &gl);
		CHECK(gl == m.len && memcmp(gm, m.data, gl) == 0);
		free(gm);
		free(un);
		pb_strbuf_deinit(&cu);
		pb_strbuf_deinit(&m);
		free(method);
		free(url);
		free(ref);
		free(ua);
	}
}

static const struct pb_route skip_route = {"GET", "/api/logs", NULL, PB_ROUTE_SKIP_SUCCESS_LOG, NULL};
static const struct pb_route plain_route = {"GET", "/api/collections/{collection}/records", NULL, 0, NULL};

static void entries(void)
{
	struct ltu t;
	CHECK(ltu_setup(&t, 0) == 0);
	struct pb_app app;
	memset(&app, 0, sizeof app);
	struct pb_logs_options opt = {.batch_size = 1000, .flush_interval_ms = 60000, .config = {5, 0, true, true}};
	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_logs_start(&app.logs, t.aux_path, &opt, &err) == 0);

	struct pb_http_head h = head_with("curl/8", "http://localhost/_/");
	json_t *auth = json_pack("{s:s, s:s}", "id", "4q1xlclmfloku33", "email", "test@example.com");
	struct pb_collection users = {.name = "users"};
	/* the request's settings decide logIP / logAuthId; the writer's config whether to log */
	struct pb_settings *defaults = pb_settings_new_defaults();
	json_t *loud_patch = json_pack("{s:{s:b, s:b}}", "logs", "logIP", 1, "logAuthId", 1);
	json_t *quiet_patch = json_pack("{s:{s:b, s:b}}", "logs", "logIP", 0, "logAuthId", 0);
	struct pb_settings *loud = pb_settings_merge(defaults, loud_patch, &err);
	struct pb_settings *quiet_settings = pb_settings_merge(defaults, quiet_patch, &err);
	struct pb_req ok = {.app = &app, .http = &h, .method = "GET", .raw_path = "/api/collections/users/records",
	                    .raw_query = "page=2", .route = &plain_route, .status = 200, .log_activity = true,
	                    .auth = auth, .auth_collection = &users, .settings = loud};
	snprintf(ok.remote_ip, sizeof ok.remote_ip, "127.0.0.1");
	snprintf(ok.real_ip, sizeof ok.real_ip, "10.1.2.3");
	pb_activity_log(&ok);

	/* a failure on a skip-success route is still logged, with its error and details */
	struct pb_req failed = ok;
	failed.route = &skip_route;
	failed.raw_path = "/api/logs/x%20y";
	failed.raw_query = NULL;
	failed.status = 404;
	failed.auth = NULL;
	failed.auth_collection = NULL;
	failed.error_message = "The requested resource wasn't found.";
	pb_activity_log(&failed);
	/* not logged: a success on a skip-success route, an exchange that never passed CORS */
	struct pb_req skipped = ok;
	skipped.route = &skip_route;
	pb_activity_log(&skipped);
	struct pb_req preflight = ok;
	preflight.log_activity = false;
	pb_activity_log(&preflight);

	/* the writer's maxDays 0: nothing; the request's logIP/logAuthId off: no such keys */
	struct pb_settings_logs off = {0, 0, true, true};
	pb_logs_set_config(&app.logs, &off);
	pb_activity_log(&ok);
	struct pb_settings_logs on = {5, 0, true, true};
	pb_logs_set_config(&app.logs, &on);
	ok.settings = quiet_settings;
	ok.raw_query = "page=3";
	pb_activity_log(&ok);
	CHECK(pb_logs_flush(&app.logs, &err) == 0);
	pb_logs_stop(&app.logs);

	sqlite3 *db = ltu_open(&t);
	CHECK(ltu_int(db, "SELECT count(*) FROM _logs") == 3);
	char *s = ltu_text(db, "SELECT level || ' ' || message || ' ' || json_remove(data, '$.execTime') FROM _logs "
	                       "WHERE message LIKE '%page=2'");
	CHECK_STR(s, "0 GET /api/collections/users/records?page=2 {\"auth\":\"users\",\"authId\":\"4q1xlclmfloku33\","
	             "\"method\":\"GET\",\"referer\":\"http://localhost/_/\",\"remoteIP\":\"127.0.0.1\",\"status\":200,"
	             "\"type\":\"request\",\"url\":\"/api/collections/users/records?page=2\",\"userAgent\":\"curl/8\","
	             "\"userIP\":\"10.1.2.3\"}");
	free(s);
	/* a float64 of milliseconds; Go writes a whole number without a fraction, so SQLite may see
	 * an integer (a request that took exactly n ms) */
	CHECK(ltu_int(db, "SELECT json_type(data, '$.execTime') IN ('real', 'integer') AND json_extract(data, '$.execTime') >= 0 "
	                  "FROM _logs WHERE message LIKE '%page=2'") == 1);
	s = ltu_text(db, "SELECT level || ' ' || message || ' ' || json_remove(data, '$.execTime') FROM _logs "
	                 "WHERE message LIKE 'GET /api/logs%'");
	CHECK_STR(s, "8 GET /api/logs/x y {\"auth\":\"\",\"details\":null,\"error\":\"The requested resource wasn't found.\","
	             "\"method\":\"GET\",\"referer\":\"http://localhost/_/\",\"remoteIP\":\"127.0.0.1\",\"status\":404,"
	             "\"type\":\"request\",\"url\":\"/api/logs/x%20y\",\"userAgent\":\"curl/8\",\"userIP\":\"10.1.2.3\"}");
	free(s);
	s = ltu_text(db, "SELECT json_remove(data, '$.execTime') FROM _logs WHERE message LIKE '%page=3'");
	CHECK_STR(s, "{\"auth\":\"users\",\"method\":\"GET\",\"referer\":\"http://localhost/_/\",\"status\":200,"
	             "\"type\":\"request\",\"url\":\"/api/collections/users/records?page=3\",\"userAgent\":\"curl/8\"}");
	free(s);
	sqlite3_close(db);
	json_decref(auth);
	json_decref(loud_patch);
	json_decref(quiet_patch);
	pb_settings_unref(defaults);
	pb_settings_unref(loud);
	pb_settings_unref(quiet_settings);
	pb_error_clear(&err);
	ltu_cleanup(&t);
}

int main(void)
{
	details();
	data_text_equivalence();
	random_equivalence();
	entries();
	TEST_DONE();
}
