/* test_settings_validate — pb_settings_validate against core/settings_model_test.go's
 * validation tables and apis/settings_test.go: which fields fail, with PocketBase's exact
 * codes, messages (sentenized, params rendered) and params, nested and key-sorted. Cases start
 * from the fixture's stored settings (a temporary copy). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/settings.h"
#include "tests/unit/settings_test_util.h"
#include "tests/unit/test.h"

static struct pb_settings *base;

#define REQ "{\"code\":\"validation_required\",\"message\":\"Cannot be blank.\"}"
#define MIN(n) "{\"code\":\"validation_min_greater_equal_than_required\",\"message\":\"Must be no less than " #n ".\"," \
               "\"params\":{\"threshold\":" #n "}}"
#define URL "{\"code\":\"validation_is_url\",\"message\":\"Must be a valid URL.\"}"
#define HOST "{\"code\":\"validation_is_host\",\"message\":\"Must be a valid IP address or DNS name.\"}"
#define IN "{\"code\":\"validation_in_invalid\",\"message\":\"Must be a valid value.\"}"
#define MATCH "{\"code\":\"validation_match_invalid\",\"message\":\"Must be in a valid format.\"}"
#define IPERR "{\"code\":\"validation_invlaid_ip_or_subnet\",\"message\":\"Invalid IP or CIDR subnet.\"}"

/* Merges `patch` onto the fixture settings, validates, and compares err->data with `expected`
 * ("" = valid). */
static void expect(int line, const char *patch, const char *expected)
{
	struct pb_error err = PB_ERROR_INIT;
	struct pb_settings *s = stu_merge(base, patch, &err);
	if (!s) {
		fprintf(stderr, "line %d: merge failed\n", line);
		CHECK(0);
		return;
	}
	int rc = pb_settings_validate(s, &err);
	char *got = rc == 0 ? strdup("") : stu_dump(err.data);
	if (strcmp(got, expected) != 0)
		fprintf(stderr, "line %d:\n", line);
	CHECK_STR(got, expected);
	if (rc != 0) {
		CHECK(err.status == 400);
		CHECK_STR(err.message, "An error occurred while saving the new settings.");
	}
	free(got);
	pb_error_clear(&err);
	pb_settings_unref(s);
}

#define EXPECT(patch, expected) expect(__LINE__, patch, expected)

static void test_api_and_whole(void)
{
	/* apis/settings_test.go "submitting invalid data" */
	EXPECT("{\"meta\":{\"appName\":\"\"}}", "{\"meta\":{\"appName\":" REQ "}}");
	EXPECT("{}", "");
	/* TestSettingsValidate: every member config is validated */
	EXPECT("{\"superuserIPs\":[\"127.0.0.1\",\"\"],\"meta\":{\"appName\":\"\"},\"logs\":{\"maxDays\":-10},"
	       "\"smtp\":{\"enabled\":true,\"host\":\"\"},\"s3\":{\"enabled\":true,\"endpoint\":\"invalid\"},"
	       "\"backups\":{\"cron\":\"invalid\",\"cronMaxKeep\":-10},\"batch\":{\"enabled\":true,\"maxRequests\":-1,"
	       "\"timeout\":-1},\"rateLimits\":{\"enabled\":true,\"rules\":null}}",
	       "{\"backups\":{\"cron\":{\"code\":\"validation_invalid_cron\",\"message\":\"Invalid cron expression - must be "
	       "a valid macro or to have exactly 5 space separated segments.\"},\"cronMaxKeep\":" MIN(1) "},"
	       "\"batch\":{\"maxRequests\":" MIN(0) ",\"timeout\":" MIN(0) "},\"logs\":{\"maxDays\":" MIN(0) "},"
	       "\"meta\":{\"appName\":" REQ "},\"rateLimits\":{\"rules\":" REQ "},\"s3\":{\"accessKey\":" REQ ","
	       "\"bucket\":" REQ ",\"endpoint\":" URL ",\"region\":" REQ ",\"secret\":" REQ "},\"smtp\":{\"host\":" REQ "},"
	       "\"superuserIPs\":{\"1\":" REQ "}}");
}

static void test_meta(void)
{
	EXPECT("{\"meta\":{\"accentColor\":\"\",\"appName\":\"\",\"appURL\":\"\",\"senderName\":\"\",\"senderAddress\":\"\"}}",
	       "{\"meta\":{\"appName\":" REQ ",\"appURL\":" REQ ",\"senderAddress\":" REQ ",\"senderName\":" REQ "}}");
	char patch[2048];
	char a300[301];
	memset(a300, 'a', 300);
	a300[300] = '\0';
	snprintf(patch, sizeof patch,
	         "{\"meta\":{\"accentColor\":\"#fff\",\"appName\":\"%s\",\"appURL\":\"test\",\"senderName\":\"%s\","
	         "\"senderAddress\":\"invalid_email\"}}",
	         a300, a300);
	EXPECT(patch, "{\"meta\":{\"accentColor\":{\"code\":\"validation_length_invalid\",\"message\":\"The length must be "
	              "exactly 7.\",\"params\":{\"max\":7,\"min\":7}},\"appName\":{\"code\":\"validation_length_out_of_range\","
	              "\"message\":\"The length must be between 1 and 255.\",\"params\":{\"max\":255,\"min\":1}},"
	              "\"appURL\":" URL ",\"senderAddress\":{\"code\":\"validation_is_email\",\"message\":\"Must be a valid "
	              "email address.\"},\"senderName\":{\"code\":\"validation_length_out_of_range\",\"message\":\"The "
	              "length must be between 1 and 255.\",\"params\":{\"max\":255,\"min\":1}}}}");
	EXPECT("{\"meta\":{\"accentColor\":\"#ffffff\",\"appName\":\"test\",\"appURL\":\"https://example.com\","
	       "\"senderName\":\"test\",\"senderAddress\":\"test@example.com\"}}",
	       "");
	EXPECT("{\"meta\":{\"accentColor\":\"#fffffg\"}}",
	       "{\"meta\":{\"accentColor\":{\"code\":\"validation_is_hex_color\",\"message\":\"Must be a valid hexadecimal "
	       "color code.\"}}}");
	/* Length counts bytes: 128 two-byte runes are 256 bytes */
	char u[600] = "{\"meta\":{\"appName\":\"";
	for (int i = 0; i < 128; i++)
		strcat(u, "\xc3\xa9");
	strcat(u, "\"}}");
	EXPECT(u, "{\"meta\":{\"appName\":{\"code\":\"validation_length_out_of_range\",\"message\":\"The length must be "
	          "between 1 and 255.\",\"params\":{\"max\":255,\"min\":1}}}}");
	EXPECT("{\"meta\":{\"appURL\":\"localhost:8090\"}}", "");
	EXPECT("{\"meta\":{\"appURL\":\"http//example.com\"}}", "");  /* the pinned govalidator accepts it */
	EXPECT("{\"meta\":{\"appURL\":\"http://exa mple.com\"}}", "{\"meta\":{\"appURL\":" URL "}}");
}

static void test_logs_smtp(void)
{
	EXPECT("{\"logs\":{\"maxDays\":0}}", "");
	EXPECT("{\"logs\":{\"maxDays\":-1}}", "{\"logs\":{\"maxDays\":" MIN(0) "}}");
	EXPECT("{\"logs\":{\"maxDays\":2}}", "");
	/* TestSMTPConfigValidate */
	EXPECT("{\"smtp\":{\"enabled\":false,\"host\":\"\",\"port\":0}}", "");
	EXPECT("{\"smtp\":{\"enabled\":true,\"host\":\"\",\"port\":0}}", "{\"smtp\":{\"host\":" REQ ",\"port\":" REQ "}}");
	EXPECT("{\"smtp\":{\"enabled\":true,\"host\":\"test:test:test\",\"port\":-10,\"localName\":\"invalid!\","
	       "\"authMethod\":\"invalid\"}}",
	       "{\"smtp\":{\"authMethod\":" IN ",\"host\":" HOST ",\"localName\":" HOST ",\"port\":" MIN(0) "}}");
	EXPECT("{\"smtp\":{\"enabled\":true,\"host\":\"example.com\",\"port\":100,\"tls\":true}}", "");
	EXPECT("{\"smtp\":{\"enabled\":true,\"host\":\"example.com\",\"port\":100,\"authMethod\":\"LOGIN\","
	       "\"localName\":\"example.com\"}}",
	       "");
	EXPECT("{\"smtp\":{\"authMethod\":\"login\"}}", "{\"smtp\":{\"authMethod\":" IN "}}");
	EXPECT("{\"smtp\":{\"host\":\"10.0.0.1\"}}", "");
}

static void test_s3_backups_batch(void)
{
	/* TestS3ConfigValidate */
	EXPECT("{\"s3\":{\"enabled\":true}}",
	       "{\"s3\":{\"accessKey\":" REQ ",\"bucket\":" REQ ",\"endpoint\":" REQ ",\"region\":" REQ ",\"secret\":" REQ "}}");
	EXPECT("{\"s3\":{\"enabled\":true,\"endpoint\":\"test:test:test\"}}",
	       "{\"s3\":{\"accessKey\":" REQ ",\"bucket\":" REQ ",\"endpoint\":" URL ",\"region\":" REQ ",\"secret\":" REQ "}}");
	EXPECT("{\"s3\":{\"enabled\":true,\"endpoint\":\"https://localhost:8090\",\"bucket\":\"test\",\"region\":\"test\","
	       "\"accessKey\":\"test\",\"secret\":\"test\"}}",
	       "");
	EXPECT("{\"s3\":{\"enabled\":true,\"endpoint\":\"example.com\",\"bucket\":\"test\",\"region\":\"test\","
	       "\"accessKey\":\"test\",\"secret\":\"test\"}}",
	       "");
	EXPECT("{\"s3\":{\"endpoint\":\"invalid\"}}", "{\"s3\":{\"endpoint\":" URL "}}"); /* checked even when disabled */
	/* TestBackupsConfigValidate */
	EXPECT("{\"backups\":{\"cron\":\"invalid\",\"cronMaxKeep\":0}}",
	       "{\"backups\":{\"cron\":{\"code\":\"validation_invalid_cron\",\"message\":\"Invalid cron expression - must "
	       "be a valid macro or to have exactly 5 space separated segments.\"},\"cronMaxKeep\":" REQ "}}");
	EXPECT("{\"backups\":{\"s3\":{\"enabled\":true}}}",
	       "{\"backups\":{\"s3\":{\"accessKey\":" REQ ",\"bucket\":" REQ ",\"endpoint\":" REQ ",\"region\":" REQ
	       ",\"secret\":" REQ "}}}");
	EXPECT("{\"backups\":{\"s3\":{\"enabled\":true,\"endpoint\":\"example.com\",\"bucket\":\"test\",\"region\":\"test\","
	       "\"accessKey\":\"test\",\"secret\":\"test\"},\"cron\":\"*/10 * * * *\",\"cronMaxKeep\":1}}",
	       "");
	EXPECT("{\"backups\":{\"cron\":\"0 0 * * x\",\"cronMaxKeep\":3}}",
	       "{\"backups\":{\"cron\":{\"code\":\"validation_invalid_cron\",\"message\":\"Strconv.Atoi: parsing \\\"x\\\": "
	       "invalid syntax.\"}}}");
	EXPECT("{\"backups\":{\"cron\":\"@daily\",\"cronMaxKeep\":3}}", "");
	/* TestBatchConfigValidate (the fixture has batch enabled) */
	EXPECT("{\"batch\":{\"enabled\":false,\"maxRequests\":0,\"timeout\":0}}", "");
	EXPECT("{\"batch\":{\"enabled\":true,\"maxRequests\":0,\"timeout\":0}}",
	       "{\"batch\":{\"maxRequests\":" REQ ",\"timeout\":" REQ "}}");
	EXPECT("{\"batch\":{\"enabled\":false,\"maxRequests\":-1,\"timeout\":-1,\"maxBodySize\":-1}}",
	       "{\"batch\":{\"maxBodySize\":" MIN(0) ",\"maxRequests\":" MIN(0) ",\"timeout\":" MIN(0) "}}");
	EXPECT("{\"batch\":{\"enabled\":true,\"maxRequests\":10,\"timeout\":1,\"maxBodySize\":1}}", "");
}

#define CONFLICT(label)                                                                                         \
	"{\"code\":\"validation_conflicting_rate_limit_rule\",\"message\":\"Rate limit rule configuration with label " \
	label " already exists or conflicts with another rule.\",\"params\":{\"label\":\"" label "\"}}"

static void test_rate_limits(void)
{
	/* TestRateLimitsConfigValidate */
	EXPECT("{\"rateLimits\":{\"enabled\":false,\"rules\":[]}}", "");
	EXPECT("{\"rateLimits\":{\"enabled\":true,\"rules\":[]}}", "{\"rateLimits\":{\"rules\":" REQ "}}");
	EXPECT("{\"rateLimits\":{\"enabled\":true,\"excludedIPs\":[\"\",\"127.0.0.1\"],\"rules\":["
	       "{\"label\":\"/123abc/\",\"audience\":\"\",\"duration\":1,\"maxRequests\":2},"
	       "{\"label\":\"!abc\",\"audience\":\"\",\"duration\":-1,\"maxRequests\":-1}]}}",
	       "{\"rateLimits\":{\"excludedIPs\":{\"0\":" REQ "},\"rules\":{\"1\":{\"duration\":" MIN(1) ",\"label\":" MATCH
	       ",\"maxRequests\":" MIN(1) "}}}}");
	EXPECT("{\"rateLimits\":{\"enabled\":true,\"excludedIPs\":[\"127.0.0.1\",\"10.0.0.1/20\"],\"rules\":["
	       "{\"label\":\"123_abc\",\"audience\":\"\",\"duration\":1,\"maxRequests\":2},"
	       "{\"label\":\"/456-abc\",\"audience\":\"\",\"duration\":1,\"maxRequests\":2}]}}",
	       "");
	EXPECT("{\"rateLimits\":{\"enabled\":true,\"rules\":[{\"label\":\"/a\",\"audience\":\"\",\"duration\":1,"
	       "\"maxRequests\":2},{\"label\":\"/a\",\"audience\":\"\",\"duration\":2,\"maxRequests\":3}]}}",
	       "{\"rateLimits\":{\"rules\":{\"1\":{\"label\":" CONFLICT("/a") "}}}}");
	EXPECT("{\"rateLimits\":{\"enabled\":true,\"rules\":[{\"label\":\"/a\",\"audience\":\"\",\"duration\":1,"
	       "\"maxRequests\":2},{\"label\":\"/a\",\"audience\":\"@guest\",\"duration\":1,\"maxRequests\":2}]}}",
	       "{\"rateLimits\":{\"rules\":{\"1\":{\"label\":" CONFLICT("/a") "}}}}");
	EXPECT("{\"rateLimits\":{\"enabled\":true,\"rules\":[{\"label\":\"/a\",\"audience\":\"@auth\",\"duration\":1,"
	       "\"maxRequests\":2},{\"label\":\"/a\",\"audience\":\"\",\"duration\":1,\"maxRequests\":2}]}}",
	       "{\"rateLimits\":{\"rules\":{\"1\":{\"label\":" CONFLICT("/a") "}}}}");
	EXPECT("{\"rateLimits\":{\"enabled\":true,\"rules\":[{\"label\":\"/a\",\"audience\":\"@auth\",\"duration\":1,"
	       "\"maxRequests\":2},{\"label\":\"/a\",\"audience\":\"@guest\",\"duration\":1,\"maxRequests\":2}]}}",
	       "");
	/* a conflict hides the per-rule errors (ozzo stops at the first failing rule) */
	EXPECT("{\"rateLimits\":{\"rules\":[{\"label\":\"!x\",\"audience\":\"\",\"duration\":1,\"maxRequests\":1},"
	       "{\"label\":\"!x\",\"audience\":\"\",\"duration\":1,\"maxRequests\":1}]}}",
	       "{\"rateLimits\":{\"rules\":{\"1\":{\"label\":" CONFLICT("!x") "}}}}");

	/* TestRateLimitRuleValidate */
	EXPECT("{\"rateLimits\":{\"rules\":[{\"label\":\"\",\"audience\":\"\",\"duration\":0,\"maxRequests\":0}]}}",
	       "{\"rateLimits\":{\"rules\":{\"0\":{\"duration\":" REQ ",\"label\":" REQ ",\"maxRequests\":" REQ "}}}}");
	EXPECT("{\"rateLimits\":{\"rules\":[{\"label\":\"@abc\",\"audience\":\"invalid\",\"duration\":-1,\"maxRequests\":-1}]}}",
	       "{\"rateLimits\":{\"rules\":{\"0\":{\"audience\":" IN ",\"duration\":" MIN(1) ",\"label\":" MATCH
	       ",\"maxRequests\":" MIN(1) "}}}}");
	static const char *const valid_labels[] = {"abc:123", "*:123", "/a/b", "POST /a/b/", "abc", "/", "GET /"};
	for (size_t i = 0; i < sizeof valid_labels / sizeof valid_labels[0]; i++) {
		char patch[256];
		snprintf(patch, sizeof patch,
		         "{\"rateLimits\":{\"rules\":[{\"label\":\"%s\",\"audience\":\"@guest\",\"duration\":1,"
		         "\"maxRequests\":1}]}}",
		         valid_labels[i]);
		EXPECT(patch, "");
	}
	static const char *const invalid_labels[] = {"a:b:c", "*:*", "POST  /a", "post /a b", "a/b", "*"};
	for (size_t i = 0; i < sizeof invalid_labels / sizeof invalid_labels[0]; i++) {
		char patch[256];
		snprintf(patch, sizeof patch,
		         "{\"rateLimits\":{\"rules\":[{\"label\":\"%s\",\"audience\":\"\",\"duration\":1,\"maxRequests\":1}]}}",
		         invalid_labels[i]);
		EXPECT(patch, "{\"rateLimits\":{\"rules\":{\"0\":{\"label\":" MATCH "}}}}");
	}
	EXPECT("{\"rateLimits\":{\"rules\":[{\"label\":\"/a/b/\",\"audience\":\"invalid\",\"duration\":1,\"maxRequests\":1}]}}",
	       "{\"rateLimits\":{\"rules\":{\"0\":{\"audience\":" IN "}}}}");
}

static void test_ip_lists(void)
{
	/* "fe80::1%eth0/64" is no prefix (zone) but netip.ParseAddr takes "eth0/64" as the zone */
	EXPECT("{\"superuserIPs\":[\"127.0.0.1\",\"10.0.0.0/8\",\"::1\",\"2001:db8::/32\",\"fe80::1%eth0\","
	       "\"fe80::1%eth0/64\"]}",
	       "");
	EXPECT("{\"superuserIPs\":[\"1.2.3.4/33\",\"01.2.3.4\",\"x\",\"1.2.3.4/024\",\"::1/129\",\"\"]}",
	       "{\"superuserIPs\":{\"0\":" IPERR ",\"1\":" IPERR ",\"2\":" IPERR ",\"3\":" IPERR ",\"4\":" IPERR
	       ",\"5\":" REQ "}}");
	/* index keys are sorted as strings, like Go's map encoding */
	char patch[512] = "{\"superuserIPs\":[";
	for (int i = 0; i < 11; i++)
		strcat(patch, i ? ",\"x\"" : "\"x\"");
	strcat(patch, "]}");
	struct pb_error err = PB_ERROR_INIT;
	struct pb_settings *s = stu_merge(base, patch, &err);
	CHECK(s && pb_settings_validate(s, &err) == -1);
	const char *k;
	json_t *v;
	char order[64] = "";
	json_object_foreach(json_object_get(err.data, "superuserIPs"), k, v)
	{
		strcat(order, k);
		strcat(order, ",");
	}
	CHECK_STR(order, "0,1,10,2,3,4,5,6,7,8,9,");
	pb_error_clear(&err);
	pb_settings_unref(s);
	EXPECT("{\"rateLimits\":{\"excludedIPs\":[\"1.2.3.4\",\"bad\"]}}", "{\"rateLimits\":{\"excludedIPs\":{\"1\":" IPERR "}}}");
	EXPECT("{\"trustedProxy\":{\"headers\":[\"\",\"  \"]}}", ""); /* trustedProxy has no rules */
}

int main(void)
{
	sqlite3 *db = stu_open_fixture();
	CHECK(db != NULL);
	if (!db)
		TEST_DONE();
	struct pb_error err = PB_ERROR_INIT;
	base = pb_settings_load(db, NULL, NULL, &err);
	CHECK(base != NULL);
	if (base) {
		test_api_and_whole();
		test_meta();
		test_logs_smtp();
		test_s3_backups_batch();
		test_rate_limits();
		test_ip_lists();
	}
	pb_settings_unref(base);
	stu_cleanup(db);
	TEST_DONE();
}
