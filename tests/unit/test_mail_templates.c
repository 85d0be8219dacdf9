/* test_mail_templates — auth e-mail rendering as mails/record.go does it: templates read from
 * real collection options (a copy of PocketBase's test pb_data, whose `users` templates say
 * "Hello {RECORD:name}{RECORD:tokenKey}," exactly to test public and hidden fields), the
 * record placeholders of the fixture's test@example.com user, HTML escaping (everything but
 * number/bool/date/autodate; {ALERT_INFO} too), flow placeholders, one-pass substitution, the
 * test-email stand-in record, and the plain-text alternative of our own default templates in
 * the layout (expected text from running PocketBase's html2Text over the same HTML). */
#include <stdlib.h>
#include <string.h>

#include "collections/record_find.h"
#include "collections/record_mail.h"
#include "collections/schema.h"
#include "core/html2text.h"
#include "core/mail_templates.h"
#include "filter_test_util.h"
#include "test.h"

static void test_placeholders(void)
{
	struct pb_mail_placeholders ph = PB_MAIL_PLACEHOLDERS_INIT;
	pb_mail_placeholders_add(&ph, "{A}", "1");
	pb_mail_placeholders_add(&ph, "{A}", "ignored"); /* the first registration wins */
	pb_mail_placeholders_add(&ph, "{AB}", "2");
	pb_mail_placeholders_add(&ph, "{V}", "{A}");
	pb_mail_placeholders_add(&ph, "", "x");
	pb_mail_placeholders_add(&ph, NULL, "x");
	CHECK(ph.n == 3);
	CHECK_STR(pb_mail_placeholders_get(&ph, "{A}"), "1");
	CHECK(pb_mail_placeholders_get(&ph, "{B}") == NULL);
	char *s = pb_mail_placeholders_apply(&ph, "{A}{AB}{{A}} {V} {B} {A");
	CHECK_STR(s, "12{1} {A} {B} {A"); /* a value is not expanded again */
	free(s);
	s = pb_mail_placeholders_apply(&ph, NULL);
	CHECK_STR(s, "");
	free(s);
	pb_mail_placeholders_deinit(&ph);
	CHECK(ph.n == 0 && ph.items == NULL);

	s = pb_mail_html_escape("<a href=\"x\">'&'</a>");
	CHECK_STR(s, "&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;&lt;/a&gt;");
	free(s);
}

static void test_template_get(const struct pb_collection *users)
{
	struct pb_email_template t = pb_mail_template_get(users->options, PB_MAIL_TEMPLATE_VERIFICATION);
	CHECK_STR(t.subject, "Verify your {APP_NAME} email");
	CHECK(strncmp(t.body, "<p>Hello {RECORD:name}{RECORD:tokenKey},</p>\n<p>Thank you for joining us at {APP_NAME}.", 84) == 0);
	t = pb_mail_template_get(users->options, PB_MAIL_TEMPLATE_OTP);
	CHECK_STR(t.subject, "OTP for {APP_NAME}");
	CHECK(strstr(t.body, "<strong>{OTP}</strong>") != NULL);
	t = pb_mail_template_get(users->options, PB_MAIL_TEMPLATE_AUTH_ALERT);
	CHECK_STR(t.subject, "Login from a new location");
	CHECK(strstr(t.body, "<em>{ALERT_INFO}</em>") != NULL);
	t = pb_mail_template_get(users->options, PB_MAIL_TEMPLATE_RESET_PASSWORD);
	CHECK(strstr(t.body, "{APP_URL}/_/#/auth/confirm-password-reset/{TOKEN}") != NULL);
	t = pb_mail_template_get(users->options, PB_MAIL_TEMPLATE_CONFIRM_EMAIL_CHANGE);
	CHECK(strstr(t.body, "{APP_URL}/_/#/auth/confirm-email-change/{TOKEN}") != NULL);

	/* missing → the defaults a new collection gets */
	json_t *empty = json_object();
	t = pb_mail_template_get(empty, PB_MAIL_TEMPLATE_OTP);
	CHECK(t.subject == pb_default_otp_template.subject && t.body == pb_default_otp_template.body);
	t = pb_mail_template_get(NULL, PB_MAIL_TEMPLATE_AUTH_ALERT);
	CHECK(t.subject == pb_default_auth_alert_template.subject);
	json_decref(empty);
}

static void test_record_placeholders(const struct pb_collection *users, const json_t *user)
{
	struct pb_mail_placeholders ph = PB_MAIL_PLACEHOLDERS_INIT;
	pb_record_mail_placeholders(&ph, users, user);
	CHECK_STR(pb_mail_placeholders_get(&ph, "{RECORD:id}"), "4q1xlclmfloku33");
	CHECK_STR(pb_mail_placeholders_get(&ph, "{RECORD:email}"), "test@example.com");
	CHECK_STR(pb_mail_placeholders_get(&ph, "{RECORD:name}"), "test1");
	CHECK_STR(pb_mail_placeholders_get(&ph, "{RECORD:username}"), "users75657");
	CHECK_STR(pb_mail_placeholders_get(&ph, "{RECORD:verified}"), "false");
	CHECK_STR(pb_mail_placeholders_get(&ph, "{RECORD:emailVisibility}"), "false");
	CHECK_STR(pb_mail_placeholders_get(&ph, "{RECORD:avatar}"), "300_1SEi6Q6U72.png");
	CHECK_STR(pb_mail_placeholders_get(&ph, "{RECORD:file}"), ""); /* multiple values → "" */
	CHECK_STR(pb_mail_placeholders_get(&ph, "{RECORD:rel}"), "llvuca81nly1qls");
	CHECK_STR(pb_mail_placeholders_get(&ph, "{RECORD:created}"), "2022-10-10 10:36:26.879Z");
	CHECK(pb_mail_placeholders_get(&ph, "{RECORD:password}") == NULL);
	CHECK(pb_mail_placeholders_get(&ph, "{RECORD:tokenKey}") == NULL);
	CHECK(ph.n == users->nfields - 2);
	pb_mail_placeholders_deinit(&ph);
}

/* The flows of mails/record_test.go on the fixture user with name "<p>test1</p>". */
static void test_flows(const struct pb_collection *users, json_t *user)
{
	json_object_set_new(user, "name", json_string("<p>test1</p>"));
	const struct pb_record_mail_vars v = {.app_name = "Acme", .app_url = "http://localhost:8090",
	                                      .token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.sig",
	                                      .otp_id = "otp123456789abc", .otp = "87654321",
	                                      .alert_info = "<p>test_info</p>"};
	struct pb_error err = PB_ERROR_INIT;
	char *subject, *html;

	CHECK(pb_record_mail_render(users, user, PB_MAIL_TEMPLATE_VERIFICATION, &v, &subject, &html, &err) == 0);
	CHECK_STR(subject, "Verify your Acme email");
	CHECK(strstr(html, "<p>Hello &lt;p&gt;test1&lt;/p&gt;{RECORD:tokenKey},</p>") != NULL);
	CHECK(strstr(html, "href=\"http://localhost:8090/_/#/auth/confirm-verification/"
	                   "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.sig\"") != NULL);
	CHECK(strstr(html, "Thank you for joining us at Acme.") != NULL);
	CHECK(strncmp(html, "<!DOCTYPE html>", 15) == 0 && strstr(html, "</html>") != NULL);
	free(subject);
	free(html);

	CHECK(pb_record_mail_render(users, user, PB_MAIL_TEMPLATE_RESET_PASSWORD, &v, &subject, &html, &err) == 0);
	CHECK(strstr(html, "http://localhost:8090/_/#/auth/confirm-password-reset/eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.") != NULL);
	CHECK(strstr(html, "&lt;p&gt;test1&lt;/p&gt;{RECORD:tokenKey}") != NULL);
	free(subject);
	free(html);

	CHECK(pb_record_mail_render(users, user, PB_MAIL_TEMPLATE_CONFIRM_EMAIL_CHANGE, &v, &subject, &html, &err) == 0);
	CHECK(strstr(html, "http://localhost:8090/_/#/auth/confirm-email-change/eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.") != NULL);
	free(subject);
	free(html);

	CHECK(pb_record_mail_render(users, user, PB_MAIL_TEMPLATE_OTP, &v, &subject, &html, &err) == 0);
	CHECK_STR(subject, "OTP for Acme");
	CHECK(strstr(html, "Your one-time password is: <strong>87654321</strong>") != NULL);
	CHECK(strstr(html, "{TOKEN}") == NULL && strstr(html, "eyJ") == NULL); /* no token in an OTP mail */
	free(subject);
	free(html);

	CHECK(pb_record_mail_render(users, user, PB_MAIL_TEMPLATE_AUTH_ALERT, &v, &subject, &html, &err) == 0);
	CHECK_STR(subject, "Login from a new location");
	CHECK(strstr(html, "<p><em>&lt;p&gt;test_info&lt;/p&gt;</em></p>") != NULL);
	CHECK(strstr(html, "login to your Acme account from a new location") != NULL);
	CHECK(strstr(html, "If this was you") != NULL && strstr(html, "If this wasn't you") != NULL);
	free(subject);
	free(html);

	/* a record value that looks like a placeholder is inserted literally */
	json_object_set_new(user, "name", json_string("{APP_NAME}"));
	CHECK(pb_record_mail_render(users, user, PB_MAIL_TEMPLATE_VERIFICATION, &v, &subject, &html, &err) == 0);
	CHECK(strstr(html, "<p>Hello {APP_NAME}{RECORD:tokenKey},</p>") != NULL);
	free(subject);
	free(html);
}

static void test_value_types(void)
{
	const char *rules[PB_RULE_COUNT] = {NULL};
	struct pb_collection *c = pb_collection_from_row(
		"pbc_1", "members", "auth", 0,
		"[{\"id\":\"f1\",\"name\":\"t\",\"type\":\"text\"},{\"id\":\"f2\",\"name\":\"n\",\"type\":\"number\"},"
		"{\"id\":\"f3\",\"name\":\"b\",\"type\":\"bool\"},{\"id\":\"f4\",\"name\":\"d\",\"type\":\"date\"},"
		"{\"id\":\"f5\",\"name\":\"j\",\"type\":\"json\"},{\"id\":\"f6\",\"name\":\"g\",\"type\":\"geoPoint\"},"
		"{\"id\":\"f7\",\"name\":\"s\",\"type\":\"select\",\"maxSelect\":2,\"values\":[\"a\",\"b\"]},"
		"{\"id\":\"f8\",\"name\":\"e\",\"type\":\"editor\"},{\"id\":\"f9\",\"name\":\"secret\",\"type\":\"text\",\"hidden\":true},"
		"{\"id\":\"f10\",\"name\":\"big\",\"type\":\"number\"},{\"id\":\"f11\",\"name\":\"u\",\"type\":\"autodate\"},"
		"{\"id\":\"f12\",\"name\":\"nothing\",\"type\":\"json\"}]",
		"[]", "{}", rules, "", "");
	CHECK(c != NULL);
	if (!c)
		return;
	json_t *rec = json_loads("{\"t\":\"a&b 'q'\",\"n\":1.5,\"b\":true,\"d\":\"2024-01-02 03:04:05.000Z\","
	                         "\"j\":{\"x\":\"<y>\"},\"g\":{\"lon\":1.5,\"lat\":-2},\"s\":[\"a\",\"b\"],"
	                         "\"e\":\"<b>x</b>\",\"secret\":\"zzz\",\"big\":1e21,\"u\":\"2024-01-02 03:04:05.123Z\"}",
	                         0, NULL);
	struct pb_mail_placeholders ph = PB_MAIL_PLACEHOLDERS_INIT;
	pb_record_mail_placeholders(&ph, c, rec);
	CHECK_STR(pb_mail_placeholders_get(&ph, "{RECORD:t}"), "a&amp;b &#39;q&#39;");
	CHECK_STR(pb_mail_placeholders_get(&ph, "{RECORD:n}"), "1.5");
	CHECK_STR(pb_mail_placeholders_get(&ph, "{RECORD:big}"), "1000000000000000000000");
	CHECK_STR(pb_mail_placeholders_get(&ph, "{RECORD:b}"), "true");
	CHECK_STR(pb_mail_placeholders_get(&ph, "{RECORD:d}"), "2024-01-02 03:04:05.000Z");
	CHECK_STR(pb_mail_placeholders_get(&ph, "{RECORD:u}"), "2024-01-02 03:04:05.123Z");
	CHECK_STR(pb_mail_placeholders_get(&ph, "{RECORD:j}"), "{&#34;x&#34;:&#34;\\u003cy\\u003e&#34;}");
	CHECK_STR(pb_mail_placeholders_get(&ph, "{RECORD:g}"), "{&#34;lon&#34;:1.5,&#34;lat&#34;:-2}");
	CHECK_STR(pb_mail_placeholders_get(&ph, "{RECORD:s}"), "");
	CHECK_STR(pb_mail_placeholders_get(&ph, "{RECORD:e}"), "&lt;b&gt;x&lt;/b&gt;");
	CHECK_STR(pb_mail_placeholders_get(&ph, "{RECORD:nothing}"), "null");
	CHECK(pb_mail_placeholders_get(&ph, "{RECORD:secret}") == NULL);
	pb_mail_placeholders_deinit(&ph);

	/* options without templates: our defaults, rendered in the layout */
	const struct pb_record_mail_vars v = {.app_name = "Acme", .app_url = "http://localhost:8090", .otp = "12345678",
	                                      .otp_id = "x"};
	char *subject, *html;
	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_record_mail_render(c, rec, PB_MAIL_TEMPLATE_OTP, &v, &subject, &html, &err) == 0);
	CHECK_STR(subject, "Your Acme sign-in code");
	char *text = pb_html2text(html);
	CHECK_STR(text, "Hi there, \r\nHere is your one-time sign-in code: 12345678 \r\nDid not try to sign in? Then "
	                "you can safely ignore this message. \r\nBest regards,\r\nThe Acme team");
	free(text);
	free(subject);
	free(html);
	json_decref(rec);
	pb_collection_free(c);

	/* a base collection has no auth templates */
	c = pb_collection_from_row("pbc_2", "posts", "base", 0, "[]", "[]", "{}", rules, "", "");
	CHECK(pb_record_mail_render(c, NULL, PB_MAIL_TEMPLATE_VERIFICATION, &v, &subject, &html, &err) == -1);
	CHECK(err.status == 400 && subject == NULL && html == NULL);
	pb_error_clear(&err);
	pb_collection_free(c);
}

/* Our default templates in the layout, as text: the expected strings come from PocketBase's
 * html2Text run over the rendered HTML. */
static void test_default_templates_text(void)
{
	const struct pb_email_template *ts[] = {&pb_default_verification_template, &pb_default_reset_password_template,
	                                        &pb_default_confirm_email_change_template, &pb_default_otp_template,
	                                        &pb_default_auth_alert_template};
	static const char *const want[] = {
		"Hi there, \r\nWelcome to Acme! One last step: please confirm that this email address belongs to you. \r\n"
		"[Confirm my email](http://localhost:8090/_/#/auth/confirm-verification/tok.en)  \r\nBest regards,\r\nThe Acme team",
		"Hi there, \r\nSomeone asked to reset the password of your Acme account. Use the button below to pick a new one. "
		"\r\n[Set a new password](http://localhost:8090/_/#/auth/confirm-password-reset/tok.en)  \r\nDid not ask for "
		"this? Then no action is needed and your password stays the same. \r\nBest regards,\r\nThe Acme team",
		"Hi there, \r\nPlease approve the change of your Acme account email to this address. \r\n[Approve new email]"
		"(http://localhost:8090/_/#/auth/confirm-email-change/tok.en)  \r\nDid not ask for this? Then simply ignore "
		"this message; your email stays unchanged. \r\nBest regards,\r\nThe Acme team",
		"Hi there, \r\nHere is your one-time sign-in code: 12345678 \r\nDid not try to sign in? Then you can safely "
		"ignore this message. \r\nBest regards,\r\nThe Acme team",
		"Hi there, \r\nYour Acme account was just used to sign in from a location we have not seen before: \r\n"
		"2024-01-01 - 1.2.3.4 Firefox \r\nIf this was not you, change your Acme password right away; doing so signs "
		"out every other session. \r\nIf it was you, there is nothing more to do. \r\nBest regards,\r\nThe Acme team",
	};
	struct pb_mail_placeholders ph = PB_MAIL_PLACEHOLDERS_INIT;
	pb_mail_placeholders_add(&ph, PB_MAIL_PH_TOKEN, "tok.en");
	pb_mail_placeholders_add(&ph, PB_MAIL_PH_OTP, "12345678");
	pb_mail_placeholders_add(&ph, PB_MAIL_PH_ALERT_INFO, "2024-01-01 - 1.2.3.4 Firefox");
	pb_mail_placeholders_add(&ph, PB_MAIL_PH_APP_NAME, "Acme");
	pb_mail_placeholders_add(&ph, PB_MAIL_PH_APP_URL, "http://localhost:8090");
	for (size_t i = 0; i < 5; i++) {
		char *subject, *html;
		CHECK(pb_mail_template_render(ts[i], &ph, &subject, &html, NULL) == 0);
		CHECK(strstr(subject, "Acme") != NULL && strchr(subject, '{') == NULL);
		char *text = pb_html2text(html);
		CHECK_STR(text, want[i]);
		free(text);
		free(subject);
		free(html);
	}
	char *s, *h;
	struct pb_email_template broken = {NULL, "x"};
	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_mail_template_render(&broken, &ph, &s, &h, &err) == -1 && s == NULL && h == NULL);
	pb_mail_placeholders_deinit(&ph);
}

/* POST /api/settings/test/email's record (forms/test_email_send.go) for the fixture users. */
static void test_test_record(const struct pb_collection *users)
{
	json_t *r = pb_record_mail_test_record(users, "someone@example.com");
	CHECK_STR(json_string_value(json_object_get(r, "email")), "someone@example.com");
	CHECK_STR(json_string_value(json_object_get(r, "id")), "__pb_test_id__");
	CHECK_STR(json_string_value(json_object_get(r, "name")), "__pb_test_name__");
	CHECK_STR(json_string_value(json_object_get(r, "username")), "__pb_test_username__");
	CHECK(json_is_false(json_object_get(r, "verified")));
	CHECK_STR(json_string_value(json_object_get(r, "avatar")), "__pb_test_avatar__");
	const json_t *files = json_object_get(r, "file");
	CHECK(json_array_size(files) == 1 && strcmp(json_string_value(json_array_get(files, 0)), "__pb_test_file__") == 0);
	CHECK_STR(json_string_value(json_object_get(r, "created")), ""); /* autodate ignores a set */
	CHECK_STR(json_string_value(json_object_get(r, "tokenKey")), "");  /* hidden: left zero */

	const struct pb_record_mail_vars v = {.app_name = "Acme", .app_url = "http://localhost:8090",
	                                      .alert_info = "2024-01-01 00:00:00.000Z - TEST_IP TEST_USER_AGENT"};
	char *subject, *html;
	CHECK(pb_record_mail_render(users, r, PB_MAIL_TEMPLATE_AUTH_ALERT, &v, &subject, &html, NULL) == 0);
	CHECK(strstr(html, "<p>Hello __pb_test_name__{RECORD:tokenKey},</p>") != NULL);
	CHECK(strstr(html, "<em>2024-01-01 00:00:00.000Z - TEST_IP TEST_USER_AGENT</em>") != NULL);
	free(subject);
	free(html);
	json_decref(r);
}

int main(void)
{
	test_placeholders();
	test_value_types();
	test_default_templates_text();

	sqlite3 *db = ftu_open_fixture();
	CHECK(db != NULL);
	struct pb_error err = PB_ERROR_INIT;
	struct pb_schema *schema = db ? pb_schema_load(db, &err) : NULL;
	CHECK(schema != NULL);
	const struct pb_collection *users = schema ? pb_schema_find(schema, "users") : NULL;
	CHECK(users != NULL);
	if (users) {
		const struct pb_record_export x = {.show_email = true};
		json_t *user = pb_record_find_by_id(db, users, "4q1xlclmfloku33", &x, NULL);
		CHECK(user != NULL);
		test_template_get(users);
		if (user) {
			test_record_placeholders(users, user);
			test_flows(users, user);
		}
		test_test_record(users);
		json_decref(user);
	}
	if (schema)
		pb_schema_unref(schema);
	if (db)
		ftu_cleanup(db);
	pb_error_clear(&err);
	TEST_DONE();
}
