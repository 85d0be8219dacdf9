/* test_field_validate — per-type ValidateValue rules with PocketBase's exact wire items
 * ("code|sentenized message|params"), re-expressing core/field_*_test.go and the messages of
 * core/field_*.go; plus the database checks a value asks for. */
#include "tests/unit/field_test_util.h"
#include "tests/unit/test.h"

#include <math.h>

static void text_cases(void)
{
	struct pb_collection *c = one_field(
		"{\"name\":\"t\",\"type\":\"text\",\"required\":true,\"min\":2,\"max\":5,\"pattern\":\"^\\\\w+$\"}");
	CHECK_STR(val(c, "\"\""), "validation_required|Cannot be blank.|");
	CHECK_STR(val(c, "\"a\""), "validation_min_text_constraint|Must be at least 2 character(s).|{\"min\":2}");
	CHECK_STR(val(c, "\"abcdef\""), "validation_max_text_constraint|Must be no more than 5 character(s).|{\"max\":5}");
	CHECK_STR(val(c, "\"a b\""), "validation_invalid_format|Invalid value format.|");
	CHECK_STR(val(c, "\"abc\""), "");
	pb_collection_free(c);
	/* lengths are code points; max 0 means 5000 */
	c = one_field("{\"name\":\"t\",\"type\":\"text\",\"min\":3}");
	CHECK_STR(val(c, "\"\""), "");
	CHECK_STR(val(c, "\"\\u011b\\u0161\""), "validation_min_text_constraint|Must be at least 3 character(s).|{\"min\":3}");
	CHECK_STR(val(c, "\"\\u011b\\u0161\\u010d\""), "");
	char big[5100];
	big[0] = '"';
	memset(big + 1, 'x', 5001);
	strcpy(big + 5002, "\"");
	CHECK_STR(val(c, big), "validation_max_text_constraint|Must be no more than 5000 character(s).|{\"max\":5000}");
	pb_collection_free(c);

	/* the default id field */
	c = one_field("{\"name\":\"id\",\"type\":\"text\",\"primaryKey\":true,\"required\":true,\"min\":15,\"max\":15,"
	              "\"pattern\":\"^[a-z0-9]+$\",\"autogeneratePattern\":\"[a-z0-9]{15}\"}");
	CHECK_STR(val(c, "\"\""), "validation_required|Cannot be blank.|");
	CHECK_STR(val(c, "\"abc\""), "validation_min_text_constraint|Must be at least 15 character(s).|{\"min\":15}");
	CHECK_STR(val(c, "\"ABCDEFGHIJKLMNO\""), "validation_invalid_format|Invalid value format.|");
	CHECK_STR(val(c, "\"abcdefghijklmno\""), "");
	CHECK_STR(val_full(c, "\"abcdefghijklmnx\"", "\"abcdefghijklmno\"", NULL, NULL),
	          "validation_pk_change|The record primary key cannot be changed.|");
	/* an existing id is not re-validated */
	CHECK_STR(val_full(c, "\"X\"", "\"X\"", NULL, NULL), "");
	/* default pattern: no database check */
	json_t *checks = json_array();
	json_t *v = json_string("abcdefghijklmno");
	struct pb_field_value fv = {.value = v, .is_new = true, .collection_name = "test"};
	pb_field_impl(&c->fields[0])->db_checks(&c->fields[0], &fv, true, checks);
	CHECK(json_array_size(checks) == 0);
	pb_collection_free(c);
	/* a custom pattern: filesystem-hostile characters, reserved names, nocase uniqueness */
	c = one_field("{\"name\":\"id\",\"type\":\"text\",\"primaryKey\":true,\"required\":true,\"pattern\":\"^.+$\"}");
	CHECK_STR(val(c, "\"a.b\""), "validation_forbidden_pk_character|'.' is not a valid primary key character.|{\"ch\":\".\"}");
	CHECK_STR(val(c, "\"a b\""), "validation_forbidden_pk_character|' ' is not a valid primary key character.|{\"ch\":\" \"}");
	CHECK_STR(val(c, "\"com1\""), "validation_reserved_pk|The primary key 'COM1' is reserved and cannot be used.|{\"reserved\":\"COM1\"}");
	CHECK_STR(val(c, "\"com10\""), "");
	pb_field_impl(&c->fields[0])->db_checks(&c->fields[0], &fv, true, checks);
	char *s = pb_go_json_marshal(checks, false);
	CHECK_STR(s, "[{\"kind\":\"pk_unique_nocase\",\"field\":\"id\",\"collection\":\"test\",\"value\":\"abcdefghijklmno\"}]");
	free(s);
	json_decref(checks);
	json_decref(v);
	pb_collection_free(c);
}

static void number_bool_cases(void)
{
	struct pb_collection *c = one_field("{\"name\":\"n\",\"type\":\"number\",\"min\":2,\"max\":5.5,\"onlyInt\":true}");
	CHECK_STR(val(c, "0"), "");
	CHECK_STR(val(c, "1.5"), "validation_only_int_constraint|Decimal numbers are not allowed.|");
	CHECK_STR(val(c, "1"), "validation_min_number_constraint|Must be greater or equal than 2.|{\"min\":2}");
	CHECK_STR(val(c, "6"), "validation_max_number_constraint|Must be less or equal than 5.5.|{\"max\":5.5}");
	CHECK_STR(val(c, "3"), "");
	pb_collection_free(c);
	c = one_field("{\"name\":\"n\",\"type\":\"number\",\"required\":true,\"min\":null,\"max\":1000000}");
	CHECK_STR(val(c, "0"), "validation_required|Cannot be blank.|");
	CHECK_STR(val(c, "-5"), "");
	CHECK_STR(val(c, "1000001"), "validation_max_number_constraint|Must be less or equal than 1e+06.|{\"max\":1000000}");
	/* NaN / Inf cannot come from JSON but can from the string cast */
	CHECK_STR(prep(c, "\"NaN\""), "\"NaN\"");
	CHECK_STR(val(c, "\"+Inf\""), "validation_not_a_number|The submitted number is not properly formatted.|");
	json_t *nan = json_string("NaN");
	struct pb_field_value fv = {.value = nan, .is_new = true};
	struct pb_field_error fe = {0};
	CHECK(pb_field_impl(&c->fields[0])->validate(&c->fields[0], &fv, &fe) == 1 && fe.id == PB_VMSG_NOT_A_NUMBER);
	CHECK_STR(fe.message, "The submitted number is not properly formatted");
	pb_field_error_clear(&fe);
	json_decref(nan);
	pb_collection_free(c);

	c = one_field("{\"name\":\"b\",\"type\":\"bool\",\"required\":true}");
	CHECK_STR(val(c, "false"), "validation_required|Cannot be blank.|");
	CHECK_STR(val(c, "true"), "");
	pb_collection_free(c);
}

static void email_url_editor_cases(void)
{
	struct pb_collection *c = one_field("{\"name\":\"e\",\"type\":\"email\"}");
	CHECK_STR(val(c, "\"\""), "");
	CHECK_STR(val(c, "\"invalid\""), "validation_is_email|Must be a valid email address.|");
	CHECK_STR(val(c, "\"test@example.com\""), "");
	CHECK_STR(val(c, "\"a.b+c@sub.example.co\""), "");
	CHECK_STR(val(c, "\"a@b\""), "validation_is_email|Must be a valid email address.|");
	pb_collection_free(c);
	c = one_field("{\"name\":\"e\",\"type\":\"email\",\"required\":true,\"onlyDomains\":[\"example.org\",\"example.net\"]}");
	CHECK_STR(val(c, "\"\""), "validation_required|Cannot be blank.|");
	CHECK_STR(val(c, "\"test@example.com\""), "validation_email_domain_not_allowed|Email domain is not allowed.|");
	CHECK_STR(val(c, "\"test@example.org\""), "");
	CHECK_STR(val(c, "\"test@Example.org\""), "validation_email_domain_not_allowed|Email domain is not allowed.|");
	pb_collection_free(c);
	c = one_field("{\"name\":\"e\",\"type\":\"email\",\"exceptDomains\":[\"example.org\",\"example.com\"]}");
	CHECK_STR(val(c, "\"test@example.com\""), "validation_email_domain_not_allowed|Email domain is not allowed.|");
	CHECK_STR(val(c, "\"test@example.net\""), "");
	pb_collection_free(c);

	c = one_field("{\"name\":\"u\",\"type\":\"url\"}");
	CHECK_STR(val(c, "\"invalid\""), "validation_invalid_url|Must be a valid url.|");
	CHECK_STR(val(c, "\"https://example.com\""), "");
	CHECK_STR(val(c, "\"http://localhost:8090/api?x=1#y\""), "");
	CHECK_STR(val(c, "\"example.com/x\""), "");
	CHECK_STR(val(c, "\"ftp://files.example.com/a.txt\""), "");
	/* govalidator reads "mailto:a@" as user info, so this passes IsURL (as in PocketBase) */
	CHECK_STR(val(c, "\"mailto:a@b.c\""), "");
	CHECK_STR(val(c, "\"mailto:ab\""), "validation_invalid_url|Must be a valid url.|");
	CHECK_STR(val(c, "\"javascript:alert(1)\""), "validation_invalid_url|Must be a valid url.|");
	CHECK_STR(val(c, "\"https://exa mple.com\""), "validation_invalid_url|Must be a valid url.|");
	CHECK_STR(val(c, "\"abc\""), "validation_invalid_url|Must be a valid url.|");
	CHECK_STR(val(c, "\"https://.example.com\""), "validation_invalid_url|Must be a valid url.|");
	pb_collection_free(c);
	c = one_field("{\"name\":\"u\",\"type\":\"url\",\"onlyDomains\":[\"example.org\",\"example.net\"]}");
	CHECK_STR(val(c, "\"https://example.com\""), "validation_url_domain_not_allowed|Url domain is not allowed.|");
	CHECK_STR(val(c, "\"https://example.org/x\""), "");
	CHECK_STR(val(c, "\"example.org/x\""), "validation_url_domain_not_allowed|Url domain is not allowed.|");
	pb_collection_free(c);
	c = one_field("{\"name\":\"u\",\"type\":\"url\",\"exceptDomains\":[\"example.org\",\"example.com\"]}");
	CHECK_STR(val(c, "\"https://example.com\""), "validation_url_domain_not_allowed|Url domain is not allowed.|");
	CHECK_STR(val(c, "\"https://example.com:8080\""), "");
	pb_collection_free(c);

	c = one_field("{\"name\":\"ed\",\"type\":\"editor\",\"required\":true,\"maxSize\":10}");
	CHECK_STR(val(c, "\"\""), "validation_required|Cannot be blank.|");
	CHECK_STR(val(c, "\"<p>1234</p>\""), "validation_content_size_limit|The maximum allowed content size is 10 bytes.|{\"maxSize\":10}");
	CHECK_STR(val(c, "\"<p>12</p>\""), "");
	pb_collection_free(c);
}

static void date_cases(void)
{
	struct pb_collection *c = one_field(
		"{\"name\":\"d\",\"type\":\"date\",\"required\":true,\"min\":\"2024-01-01 00:00:00.000Z\",\"max\":\"2024-12-31 10:00:00.500Z\"}");
	CHECK_STR(val(c, "\"\""), "validation_required|Cannot be blank.|");
	CHECK_STR(val(c, "\"2023-12-31 23:59:59.999Z\""),
	          "validation_min_greater_equal_than_required|Must be no less than 2024-01-01 00:00:00 +0000 UTC.|{\"threshold\":\"2024-01-01T00:00:00Z\"}");
	CHECK_STR(val(c, "\"2025-01-01 00:00:00.000Z\""),
	          "validation_max_less_equal_than_required|Must be no greater than 2024-12-31 10:00:00.5 +0000 UTC.|{\"threshold\":\"2024-12-31T10:00:00.5Z\"}");
	CHECK_STR(val(c, "\"2024-06-01 00:00:00.000Z\""), "");
	pb_collection_free(c);
	c = one_field("{\"name\":\"d\",\"type\":\"date\",\"min\":\"\",\"max\":\"\"}");
	CHECK_STR(val(c, "\"\""), "");
	CHECK_STR(val(c, "\"1900-01-01 00:00:00.000Z\""), "");
	pb_collection_free(c);
	c = one_field("{\"name\":\"a\",\"type\":\"autodate\",\"onCreate\":true}");
	CHECK_STR(val(c, "\"\""), "");
	pb_collection_free(c);
}

static void select_relation_cases(void)
{
	struct pb_collection *c = one_field("{\"name\":\"s\",\"type\":\"select\",\"values\":[\"a\",\"b\",\"c\"],\"required\":true}");
	CHECK_STR(val(c, "\"\""), "validation_required|Cannot be blank.|");
	CHECK_STR(val(c, "\"d\""), "validation_invalid_value|Invalid value d.|{\"value\":\"d\"}");
	CHECK_STR(val(c, "\"A\""), "validation_invalid_value|Invalid value A.|{\"value\":\"A\"}");
	CHECK_STR(val(c, "\"a\""), "");
	CHECK_STR(val(c, "[\"a\",\"b\"]"), "validation_too_many_values|Select no more than 1.|{\"maxSelect\":1}");
	pb_collection_free(c);
	c = one_field("{\"name\":\"s\",\"type\":\"select\",\"values\":[\"a\",\"b\",\"c\"],\"maxSelect\":2}");
	CHECK_STR(val(c, "[]"), "");
	CHECK_STR(val(c, "[\"a\",\"b\",\"c\"]"), "validation_too_many_values|Select no more than 2.|{\"maxSelect\":2}");
	CHECK_STR(val(c, "[\"a\",\"x\"]"), "validation_invalid_value|Invalid value x.|{\"value\":\"x\"}");
	CHECK_STR(val(c, "[\"c\",\"a\"]"), "");
	pb_collection_free(c);

	c = one_field("{\"name\":\"r\",\"type\":\"relation\",\"collectionId\":\"target\",\"minSelect\":2,\"maxSelect\":3,\"required\":true}");
	CHECK_STR(val(c, "[]"), "validation_required|Cannot be blank.|");
	CHECK_STR(val(c, "[\"a\"]"), "validation_not_enough_values|Select at least 2.|{\"minSelect\":2}");
	CHECK_STR(val(c, "[\"a\",\"b\",\"c\",\"d\"]"), "validation_too_many_values|Select no more than 3.|{\"maxSelect\":3}");
	CHECK_STR(val(c, "[\"a\",\"b\"]"), "");
	json_t *checks = json_array(), *v = json_loads("[\"a\",\"b\"]", 0, NULL);
	struct pb_field_value fv = {.value = v, .is_new = true};
	pb_field_impl(&c->fields[0])->db_checks(&c->fields[0], &fv, false, checks);
	CHECK(json_array_size(checks) == 0); /* static checks failed: no query */
	pb_field_impl(&c->fields[0])->db_checks(&c->fields[0], &fv, true, checks);
	char *s = pb_go_json_marshal(checks, false);
	CHECK_STR(s, "[{\"kind\":\"relation\",\"field\":\"r\",\"collectionId\":\"target\",\"ids\":[\"a\",\"b\"]}]");
	free(s);
	json_decref(checks);
	json_decref(v);
	pb_collection_free(c);
}

static void file_cases(void)
{
	struct pb_collection *c = one_field("{\"name\":\"f\",\"type\":\"file\",\"maxSelect\":2,\"maxSize\":100,"
	                                    "\"mimeTypes\":[\"image/png\",\"text/plain\"],\"required\":true}");
	CHECK_STR(val(c, "[]"), "validation_required|Cannot be blank.|");
	/* names not saved before are refused */
	CHECK_STR(val(c, "[\"old.txt\",\"x.txt\"]"), "validation_invalid_file|Invalid new files: [old.txt x.txt].|{\"invalidFiles\":[\"old.txt\",\"x.txt\"]}");
	CHECK_STR(val_full(c, "[\"old.txt\"]", "[\"old.txt\",\"other.png\"]", NULL, NULL), "");
	CHECK_STR(val_full(c, "[\"a\",\"b\",\"c\"]", "[\"a\",\"b\",\"c\"]", NULL, NULL),
	          "validation_too_many_files|The maximum allowed files is 2.|{\"maxSelect\":2}");
	const char *ok_upload = "[{\"name\":\"new_abc.txt\",\"originalName\":\"new.txt\",\"size\":10,\"mime\":\"text/plain; charset=utf-8\"}]";
	CHECK_STR(val_full(c, "[\"new_abc.txt\"]", NULL, NULL, ok_upload), "");
	CHECK_STR(val_full(c, "[\"big_abc.txt\"]", NULL, NULL,
	                   "[{\"name\":\"big_abc.txt\",\"originalName\":\"big.txt\",\"size\":101,\"mime\":\"text/plain\"}]"),
	          "validation_file_size_limit|Failed to upload big.txt - the maximum allowed file size is 100 bytes.|{\"file\":\"big.txt\",\"maxSize\":100}");
	CHECK_STR(val_full(c, "[\"a_abc.pdf\"]", NULL, NULL,
	                   "[{\"name\":\"a_abc.pdf\",\"originalName\":\"a.pdf\",\"size\":1,\"mime\":\"application/pdf\"}]"),
	          "validation_invalid_mime_type|\"a_abc.pdf\" mime type must be one of: image/png, text/plain.|");
	CHECK_STR(val_full(c, "[\"a_abc.bin\"]", NULL, NULL,
	                   "[{\"name\":\"a_abc.bin\",\"originalName\":\"a.bin\",\"size\":1,\"mime\":\"\"}]"),
	          "validation_invalid_mime_type|Failed to upload \"a.bin\" due to unsupported file type.|");
	CHECK_STR(val_full(c, "[\".hidden\"]", NULL, NULL,
	                   "[{\"name\":\".hidden\",\"originalName\":\".hidden\",\"size\":1,\"mime\":\"text/plain\"}]"),
	          "validation_match_invalid|Must be in a valid format.|");
	pb_collection_free(c);
}

static void json_geo_password_cases(void)
{
	struct pb_collection *c = one_field("{\"name\":\"j\",\"type\":\"json\",\"required\":true,\"maxSize\":10}");
	CHECK_STR(val(c, "null"), "validation_required|Cannot be blank.|");
	CHECK_STR(val(c, "\"\""), "validation_required|Cannot be blank.|");
	CHECK_STR(val(c, "[]"), "validation_required|Cannot be blank.|");
	CHECK_STR(val(c, "{}"), "validation_required|Cannot be blank.|");
	CHECK_STR(val(c, "0"), "");
	CHECK_STR(val(c, "[1,2,3,4,5]"), "validation_json_size_limit|The maximum allowed JSON size is 10 bytes.|{\"maxSize\":10}");
	pb_collection_free(c);
	c = one_field("{\"name\":\"j\",\"type\":\"json\"}");
	CHECK_STR(val(c, "null"), "");
	pb_collection_free(c);

	c = one_field("{\"name\":\"g\",\"type\":\"geoPoint\",\"required\":true}");
	CHECK_STR(val(c, "{\"lon\":0,\"lat\":0}"), "validation_required|Cannot be blank.|");
	CHECK_STR(val(c, "{\"lon\":0,\"lat\":91}"), "validation_invalid_latitude|Latitude must be between -90 and 90 degrees.|");
	CHECK_STR(val(c, "{\"lon\":-181,\"lat\":0}"), "validation_invalid_longitude|Longitude must be between -180 and 180 degrees.|");
	CHECK_STR(val(c, "{\"lon\":180,\"lat\":-90}"), "");
	pb_collection_free(c);

	c = one_field("{\"name\":\"password\",\"type\":\"password\",\"required\":true,\"min\":3,\"max\":5,\"pattern\":\"^[a-z]+$\"}");
	CHECK_STR(val_full(c, "\"\"", NULL, NULL, NULL), "validation_required|Cannot be blank.|");
	CHECK_STR(val_full(c, "\"$2a$10$stored\"", NULL, NULL, NULL), "");
	CHECK_STR(val_full(c, "\"$2a$10$stored\"", NULL, "", NULL), "validation_required|Cannot be blank.|");
	CHECK_STR(val_full(c, "\"\"", NULL, "ab", NULL), "validation_min_text_constraint|Must be at least 3 character(s).|");
	CHECK_STR(val_full(c, "\"\"", NULL, "abcdef", NULL), "validation_max_text_constraint|Must be less than 5 character(s).|");
	CHECK_STR(val_full(c, "\"\"", NULL, "ab1", NULL), "validation_invalid_format|Invalid value format.|");
	CHECK_STR(val_full(c, "\"\"", NULL, "abcd", NULL), "");
	char longpw[80];
	memset(longpw, 'a', 73);
	longpw[73] = '\0';
	CHECK_STR(val_full(c, "\"\"", NULL, longpw, NULL), "validation_invalid_value|Invalid value.|");
	pb_collection_free(c);
	c = one_field("{\"name\":\"password\",\"type\":\"password\"}");
	char pw72[80];
	memset(pw72, 'a', 72);
	pw72[72] = '\0';
	CHECK_STR(val_full(c, "\"\"", NULL, pw72, NULL), "validation_max_text_constraint|Must be less than 71 character(s).|");
	pb_collection_free(c);
}

int main(void)
{
	text_cases();
	number_bool_cases();
	email_url_editor_cases();
	date_cases();
	select_relation_cases();
	file_cases();
	json_geo_password_cases();
	TEST_DONE();
}
