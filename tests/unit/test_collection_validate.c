/* test_collection_validate — the collection validator through the create/update jobs on a copy
 * of PocketBase's fixture: exact error trees (codes, sentenized messages, params) for names,
 * fields, field options of every type, indexes, rules, auth options and view queries, as
 * PocketBase's apis/collection_test.go and core/collection_validate_test.go expect them. */
#include <stdlib.h>

#include "collection_test_util.h"
#include "collections/collection_save.h"
#include "core/json_write.h"
#include "core/writer.h"
#include "tests/unit/test.h"

/* Runs create (target NULL) or update and returns "<status> <message> <data>" (malloc'd). */
static char *run(struct ctu *t, const char *target, const char *body_json)
{
	struct pb_collection_save s;
	pb_collection_save_init(&s);
	json_t *body = json_loads(body_json, 0, NULL);
	if (!body)
		fprintf(stderr, "bad test json: %s\n", body_json);
	s.body = body;
	s.target = target;
	struct pb_error err = PB_ERROR_INIT;
	int rc = pb_writer_run_once(t->db, target ? pb_collection_update_run : pb_collection_create_run, &s, &err);
	pb_collection_save_finish(&s, rc);
	json_t *sorted = err.data ? pb_json_sorted_copy(err.data) : NULL;
	char *data = sorted ? pb_json_dumps(sorted) : NULL; /* Go's encoding, as on the wire */
	json_decref(sorted);
	struct pb_strbuf b = PB_STRBUF_INIT;
	if (rc == 0)
		pb_strbuf_puts(&b, "ok");
	else
		pb_strbuf_printf(&b, "%d %s %s", err.status, err.message, data ? data : "{}");
	free(data);
	pb_error_clear(&err);
	pb_collection_save_deinit(&s);
	json_decref(body);
	ctu_reload(t);
	return pb_strbuf_steal(&b);
}

static void expect(struct ctu *t, const char *target, const char *body, const char *want)
{
	char *got = run(t, target, body);
	CHECK_STR(got, want);
	free(got);
}

/* Only the start of the answer is fixed (messages that embed SQLite/filter error texts). */
static void expect_prefix(struct ctu *t, const char *target, const char *body, const char *want)
{
	char *got = run(t, target, body);
	CHECK(strncmp(got, want, strlen(want)) == 0);
	if (strncmp(got, want, strlen(want)) != 0)
		fprintf(stderr, "  want prefix [%s]\n  got         [%s]\n", want, got);
	free(got);
}

/* The answer contains every one of the NULL-terminated fragments. */
static void expect_contains(struct ctu *t, const char *target, const char *body, const char *const *parts)
{
	char *got = run(t, target, body);
	for (; *parts; parts++) {
		CHECK(strstr(got, *parts) != NULL);
		if (!strstr(got, *parts))
			fprintf(stderr, "  missing [%s]\n  in [%s]\n", *parts, got);
	}
	free(got);
}

#define FAIL_C "400 Failed to create collection. "
#define FAIL_U "400 Failed to update collection. "

int main(void)
{
	struct ctu t;
	if (ctu_open(&t) != 0) {
		fprintf(stderr, "fixture missing\n");
		return 1;
	}
	/* names and base keys */
	expect(&t, NULL, "{}",
	       FAIL_C "{\"name\":{\"code\":\"validation_required\",\"message\":\"Cannot be blank.\"}}");
	expect(&t, NULL, "{\"name\":\"demo1\",\"type\":\"base\",\"fields\":[{\"type\":\"text\",\"name\":\"\"}]}",
	       FAIL_C "{\"fields\":{\"1\":{\"name\":{\"code\":\"validation_required\",\"message\":\"Cannot be blank.\"}}},"
	              "\"name\":{\"code\":\"validation_collection_name_exists\",\"message\":\"Collection name must be "
	              "unique (case insensitive).\"}}");
	expect(&t, NULL, "{\"name\":\"DEMO1\"}",
	       FAIL_C "{\"name\":{\"code\":\"validation_collection_name_exists\",\"message\":\"Collection name must be "
	              "unique (case insensitive).\"}}");
	expect(&t, NULL, "{\"name\":\"a_via_b\"}",
	       FAIL_C "{\"name\":{\"code\":\"validation_found_via\",\"message\":\"The value cannot contain \\\"_via_\\\".\"}}");
	expect(&t, NULL, "{\"name\":\"sqlite_stat1\"}",
	       FAIL_C "{\"name\":{\"code\":\"validation_collection_name_invalid\",\"message\":\"The name shouldn't match "
	              "with an existing internal table.\"}}");
	expect(&t, NULL, "{\"name\":\"x\",\"type\":\"other\"}",
	       FAIL_C "{\"type\":{\"code\":\"validation_in_invalid\",\"message\":\"Must be a valid value.\"}}");
	/* reserved and duplicated field names */
	expect(&t, NULL,
	       "{\"name\":\"new\",\"type\":\"base\",\"fields\":[{\"type\":\"text\",\"name\":\"id\"},{\"type\":\"text\","
	       "\"name\":\"expand\"},{\"type\":\"text\",\"name\":\"collectionId\"},{\"type\":\"text\",\"name\":"
	       "\"collectionName\"}]}",
	       FAIL_C "{\"fields\":{\"1\":{\"name\":{\"code\":\"validation_not_in_invalid\",\"message\":\"Must not be in "
	              "list.\"}},\"2\":{\"name\":{\"code\":\"validation_not_in_invalid\",\"message\":\"Must not be in "
	              "list.\"}},\"3\":{\"name\":{\"code\":\"validation_not_in_invalid\",\"message\":\"Must not be in "
	              "list.\"}}}}");
	expect(&t, NULL,
	       "{\"name\":\"new\",\"type\":\"auth\",\"fields\":[{\"type\":\"text\",\"name\":\"oldPassword\"},{\"type\":"
	       "\"text\",\"name\":\"passwordConfirm\"}]}",
	       FAIL_C "{\"fields\":{\"1\":{\"name\":{\"code\":\"validation_reserved_field_name\",\"message\":\"The field "
	              "name is reserved and cannot be used.\"}},\"2\":{\"name\":{\"code\":\"validation_reserved_field_"
	              "name\",\"message\":\"The field name is reserved and cannot be used.\"}}}}");
	expect(&t, NULL, "{\"name\":\"x\",\"fields\":[{\"type\":\"text\",\"name\":\"a\"},{\"type\":\"bool\",\"name\":\"A\"}]}",
	       FAIL_C "{\"fields\":{\"2\":{\"name\":{\"code\":\"validation_duplicated_field_name\",\"message\":"
	              "\"Duplicated or invalid field name A.\",\"params\":{\"fieldName\":\"A\"}}}}}");
	/* the options of each type */
	expect(&t, NULL,
	       "{\"name\":\"x\",\"fields\":[{\"type\":\"text\",\"name\":\"t\",\"min\":5,\"max\":2},{\"type\":\"select\","
	       "\"name\":\"s\",\"values\":[\"a\",\"b\"],\"maxSelect\":5},{\"type\":\"password\",\"name\":\"p\",\"cost\":2,"
	       "\"min\":80},{\"type\":\"file\",\"name\":\"f\",\"maxSize\":-1,\"thumbs\":[\"100x100\",\"bad\"]},"
	       "{\"type\":\"number\",\"name\":\"n\",\"min\":5,\"max\":1},{\"type\":\"email\",\"name\":\"e\","
	       "\"onlyDomains\":[\"example.com\",\"not a domain\"]},{\"type\":\"url\",\"name\":\"u\",\"onlyDomains\":"
	       "[\"a.com\"],\"exceptDomains\":[\"b.com\"]},{\"type\":\"date\",\"name\":\"d\",\"min\":\"2024-01-02\","
	       "\"max\":\"2024-01-01\"},{\"type\":\"relation\",\"name\":\"r\",\"collectionId\":\"_pb_users_auth_\","
	       "\"minSelect\":3,\"maxSelect\":2},{\"type\":\"editor\",\"name\":\"ed\",\"help\":\"" /* 301 chars */
	       "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	       "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	       "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}]}",
	       FAIL_C "{\"fields\":{"
	              "\"1\":{\"max\":{\"code\":\"validation_min_greater_equal_than_required\",\"message\":\"Must be no "
	              "less than 5.\",\"params\":{\"threshold\":5}}},"
	              "\"10\":{\"help\":{\"code\":\"validation_length_out_of_range\",\"message\":\"The length must be "
	              "between 1 and 300.\",\"params\":{\"max\":300,\"min\":1}}},"
	              "\"2\":{\"maxSelect\":{\"code\":\"validation_max_less_equal_than_required\",\"message\":\"Must be "
	              "no greater than 2.\",\"params\":{\"threshold\":2}}},"
	              "\"3\":{\"cost\":{\"code\":\"validation_min_greater_equal_than_required\",\"message\":\"Must be no "
	              "less than 4.\",\"params\":{\"threshold\":4}},\"min\":{\"code\":\"validation_max_less_equal_than_"
	              "required\",\"message\":\"Must be no greater than 71.\",\"params\":{\"threshold\":71}}},"
	              "\"4\":{\"maxSize\":{\"code\":\"validation_min_greater_equal_than_required\",\"message\":\"Must be "
	              "no less than 0.\",\"params\":{\"threshold\":0}},\"thumbs\":{\"1\":{\"code\":\"validation_match_"
	              "invalid\",\"message\":\"Must be in a valid format.\"}}},"
	              "\"5\":{\"max\":{\"code\":\"validation_min_number_constraint\",\"message\":\"Must be greater or "
	              "equal than 5.\",\"params\":{\"min\":5}}},"
	              "\"6\":{\"onlyDomains\":{\"1\":{\"code\":\"validation_is_domain\",\"message\":\"Must be a valid "
	              "domain.\"}}},"
	              "\"7\":{\"exceptDomains\":{\"code\":\"validation_empty\",\"message\":\"Must be blank.\"},"
	              "\"onlyDomains\":{\"code\":\"validation_empty\",\"message\":\"Must be blank.\"}},"
	              "\"8\":{\"max\":{\"code\":\"validation_date_out_of_range\",\"message\":\"The date is out of "
	              "range.\"}},"
	              "\"9\":{\"maxSelect\":{\"code\":\"validation_min_greater_equal_than_required\",\"message\":\"Must "
	              "be no less than 3.\",\"params\":{\"threshold\":3}}}}}");
	expect_prefix(&t, NULL,
	       "{\"name\":\"x\",\"fields\":[{\"type\":\"relation\",\"name\":\"r\",\"collectionId\":\"users\"},"
	       "{\"type\":\"autodate\",\"name\":\"d\"},{\"type\":\"text\",\"name\":\"t\",\"autogeneratePattern\":"
	       "\"[a-z]{3}\",\"min\":5}]}",
	       FAIL_C "{\"fields\":{\"1\":{\"collectionId\":{\"code\":\"validation_field_relation_missing_collection\","
	              "\"message\":\"The relation collection doesn't exist.\"}},\"2\":{\"onCreate\":{\"code\":"
	              "\"validation_required\",\"message\":\"Either onCreate or onUpdate must be enabled.\"},\"onUpdate\":"
	              "{\"code\":\"validation_required\",\"message\":\"Either onCreate or onUpdate must be enabled.\"}},"
	              "\"3\":{\"autogeneratePattern\":{\"code\":\"validation_invalid_autogenerate_pattern_value\",");
	/* indexes */
	expect(&t, NULL,
	       "{\"name\":\"new\",\"type\":\"base\",\"indexes\":[\"create index duplicate_idx on new (created)\","
	       "\"create index duplicate_idx on new (updated)\"]}",
	       FAIL_C "{\"indexes\":{\"1\":{\"code\":\"validation_duplicated_index_name\",\"message\":\"The index name "
	              "already exists.\"}}}");
	expect(&t, NULL, "{\"name\":\"x\",\"indexes\":[\"create index a1 on x (id)\",\"CREATE INDEX a2 ON y (`id`)\"]}",
	       FAIL_C "{\"indexes\":{\"1\":{\"code\":\"validation_duplicated_index_definition\",\"message\":\"The index "
	              "definition already exists.\"}}}");
	expect(&t, NULL, "{\"name\":\"x\",\"indexes\":[\"create index idx_demo2_active on x (id)\"]}",
	       FAIL_C "{\"indexes\":{\"0\":{\"code\":\"validation_existing_index_name\",\"message\":\"The index name is "
	              "already used in demo2 collection.\",\"params\":{\"usedTableName\":\"demo2\"}}}}");
	expect(&t, NULL, "{\"name\":\"x\",\"indexes\":[\"create unique idx_test1 on x (id)\"]}",
	       FAIL_C "{\"indexes\":{\"0\":{\"code\":\"validation_invalid_index_expression\",\"message\":\"Invalid CREATE "
	              "INDEX expression.\"}}}");
	/* rules */
	expect_prefix(&t, NULL, "{\"name\":\"x\",\"listRule\":\"missing = 1\"}",
	              FAIL_C "{\"listRule\":{\"code\":\"validation_invalid_rule\",\"message\":\"Invalid rule. Raw error: ");
	expect(&t, NULL, "{\"name\":\"x\",\"listRule\":\"id = @request.auth.id && @collection.demo1.text = 'a'\"}", "ok");
	/* auth options */
	expect(&t, NULL,
	       "{\"name\":\"a1\",\"type\":\"auth\",\"manageRule\":\"\",\"otp\":{\"enabled\":true,\"length\":2},"
	       "\"authToken\":{\"secret\":\"short\",\"duration\":100000000},\"mfa\":{\"enabled\":true,\"duration\":5},"
	       "\"verificationTemplate\":{\"subject\":\"\"}}",
	       FAIL_C "{\"authToken\":{\"duration\":{\"code\":\"validation_max_less_equal_than_required\",\"message\":"
	              "\"Must be no greater than 94670856.\",\"params\":{\"threshold\":94670856}},\"secret\":{\"code\":"
	              "\"validation_length_out_of_range\",\"message\":\"The length must be between 30 and 255.\","
	              "\"params\":{\"max\":255,\"min\":30}}},\"manageRule\":{\"code\":\"validation_nil_or_not_empty_"
	              "required\",\"message\":\"Cannot be blank.\"},\"mfa\":{\"duration\":{\"code\":\"validation_min_"
	              "greater_equal_than_required\",\"message\":\"Must be no less than 10.\",\"params\":{\"threshold\":"
	              "10}}},\"otp\":{\"length\":{\"code\":\"validation_min_greater_equal_than_required\",\"message\":"
	              "\"Must be no less than 4.\",\"params\":{\"threshold\":4}}},\"verificationTemplate\":{\"subject\":"
	              "{\"code\":\"validation_required\",\"message\":\"Cannot be blank.\"}}}");
	expect(&t, NULL, "{\"name\":\"a2\",\"type\":\"auth\",\"mfa\":{\"enabled\":true}}",
	       FAIL_C "{\"mfa\":{\"enabled\":{\"code\":\"validation_mfa_not_enough_auths\",\"message\":\"MFA requires at "
	              "least 2 auth methods to be enabled.\"}}}");
	expect(&t, NULL,
	       "{\"name\":\"a3\",\"type\":\"auth\",\"oauth2\":{\"enabled\":true,\"providers\":[{\"name\":\"github\","
	       "\"clientId\":\"a\",\"clientSecret\":\"b\"},{\"name\":\"github\"}]}}",
	       FAIL_C "{\"oauth2\":{\"providers\":{\"1\":{\"name\":{\"code\":\"validation_duplicated_provider\","
	              "\"message\":\"The provider github is already registered.\",\"params\":{\"name\":\"github\"}}}}}}");
	expect(&t, "users", "{\"passwordAuth\":{\"identityFields\":[\"missing\"]}}",
	       FAIL_U "{\"passwordAuth\":{\"identityFields\":{\"code\":\"validation_missing_field\",\"message\":\"Invalid "
	              "or missing field missing.\",\"params\":{\"fieldName\":\"missing\"}}}}");
	/* views */
	expect(&t, NULL, "{\"name\":\"v1\",\"type\":\"view\",\"viewQuery\":\"select '123' as abc\"}",
	       FAIL_C "{\"fields\":{\"code\":\"validation_missing_primary_key\",\"message\":\"Missing or invalid \\\"id\\\" "
	              "PK field.\"},\"viewQuery\":{\"code\":\"validation_invalid_view_query\",\"message\":\"Invalid query - "
	              "missing required id column (you can use `(ROW_NUMBER() OVER()) as id` if you don't have one).\"}}");
	expect(&t, NULL,
	       "{\"name\":\"v2\",\"type\":\"view\",\"viewQuery\":\"select id from demo1\",\"createRule\":\"\","
	       "\"indexes\":[\"create index i on v2 (id)\"]}",
	       FAIL_C "{\"createRule\":{\"code\":\"validation_nil\",\"message\":\"Must be blank.\"},\"indexes\":{\"code\":"
	              "\"validation_indexes_not_supported\",\"message\":\"View collections don't support indexes.\"}}");
	/* update-only rules */
	/* a base collection turned auth is also checked with zero auth options, as PocketBase does */
	static const char *const type_change[] = {
		FAIL_U "{",
		"\"name\":{\"code\":\"validation_collection_name_exists\",\"message\":\"Collection name must be unique (case "
		"insensitive).\"}",
		"\"type\":{\"code\":\"validation_collection_type_change\",\"message\":\"Collection type cannot be changed.\"}",
		"\"authToken\":{\"duration\":{\"code\":\"validation_required\"", NULL};
	expect_contains(&t, "demo1", "{\"name\":\"demo2\",\"type\":\"auth\"}", type_change);
	expect(&t, "demo1", "{\"name\":\"new\",\"fields\":[{\"type\":\"text\",\"name\":\"created\"}]}",
	       FAIL_U "{\"fields\":{\"code\":\"validation_system_field_change\",\"message\":\"System fields cannot be "
	              "deleted or renamed.\"}}");
	expect(&t, "_superusers", "{\"name\":\"admins\",\"listRule\":\"\",\"system\":false}",
	       FAIL_U "{\"listRule\":{\"code\":\"validation_collection_system_rule_change\",\"message\":\"System "
	              "collection API rule cannot be changed.\"},\"name\":{\"code\":\"validation_collection_system_name_"
	              "change\",\"message\":\"System collection name cannot be changed.\"},\"system\":{\"code\":"
	              "\"validation_collection_system_flag_change\",\"message\":\"System collection state cannot be "
	              "changed.\"}}");
	expect(&t, "demo1", "{}", "ok");
	expect(&t, "_superusers", "{}", "ok");
	/* nothing of the failures reached the database */
	char *n = ctu_scalar(t.db, "SELECT count(*) FROM _collections WHERE name IN ('x', 'new', 'a1', 'a2', 'a3', 'v1', 'v2')", NULL);
	CHECK_STR(n, "1"); /* the one valid "x" with the @collection rule */
	free(n);
	pb_schema_publish(NULL);
	ctu_close(&t);
	TEST_DONE();
}
