/* fuzz_filter — libFuzzer target for the filter and sort parsers/resolvers. Feeds arbitrary
 * bytes as a filter and as a sort string against a small in-memory schema (a base collection
 * with text/number/bool/json/select/relation fields, a self relation, an auth collection and
 * a back-relation), with a request carrying auth, query, headers and body, in both rule and
 * client-filter modes. Any crash, leak or sanitizer report is a bug. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collections/filter.h"

static struct pb_schema *schema;
static json_t *auth, *query, *headers, *body;

static void setup(void)
{
	const char *rules[PB_RULE_COUNT] = {"", "", "", "", ""};
	const char *null_rules[PB_RULE_COUNT] = {NULL, NULL, NULL, NULL, NULL};
	const char *posts_fields =
		"[{\"id\":\"f1\",\"name\":\"id\",\"type\":\"text\",\"primaryKey\":true},"
		"{\"id\":\"f2\",\"name\":\"title\",\"type\":\"text\"},{\"id\":\"f3\",\"name\":\"views\",\"type\":\"number\"},"
		"{\"id\":\"f4\",\"name\":\"active\",\"type\":\"bool\"},{\"id\":\"f5\",\"name\":\"meta\",\"type\":\"json\"},"
		"{\"id\":\"f6\",\"name\":\"tags\",\"type\":\"select\",\"maxSelect\":3},"
		"{\"id\":\"f7\",\"name\":\"author\",\"type\":\"relation\",\"maxSelect\":1,\"collectionId\":\"c_users\"},"
		"{\"id\":\"f8\",\"name\":\"related\",\"type\":\"relation\",\"maxSelect\":5,\"collectionId\":\"c_posts\"},"
		"{\"id\":\"f9\",\"name\":\"secret\",\"type\":\"text\",\"hidden\":true},"
		"{\"id\":\"f10\",\"name\":\"loc\",\"type\":\"geoPoint\"}]";
	const char *users_fields =
		"[{\"id\":\"u1\",\"name\":\"id\",\"type\":\"text\",\"primaryKey\":true},"
		"{\"id\":\"u2\",\"name\":\"email\",\"type\":\"email\"},{\"id\":\"u3\",\"name\":\"name\",\"type\":\"text\"},"
		"{\"id\":\"u4\",\"name\":\"emailVisibility\",\"type\":\"bool\"},"
		"{\"id\":\"u5\",\"name\":\"best\",\"type\":\"relation\",\"maxSelect\":1,\"collectionId\":\"c_posts\"}]";
	const char *comments_fields =
		"[{\"id\":\"m1\",\"name\":\"id\",\"type\":\"text\",\"primaryKey\":true},"
		"{\"id\":\"m2\",\"name\":\"post\",\"type\":\"relation\",\"maxSelect\":1,\"collectionId\":\"c_posts\"},"
		"{\"id\":\"m3\",\"name\":\"message\",\"type\":\"text\"}]";
	schema = calloc(1, sizeof *schema);
	schema->refcount = 1;
	schema->ncollections = 3;
	schema->collections = calloc(3, sizeof *schema->collections);
	schema->collections[0] = pb_collection_from_row("c_posts", "posts", "base", 0, posts_fields, "[]", "{}", rules,
	                                                "", "");
	schema->collections[1] = pb_collection_from_row("c_users", "users", "auth", 0, users_fields, "[]", "{}",
	                                                null_rules, "", "");
	schema->collections[2] = pb_collection_from_row("c_comments", "comments", "base", 0, comments_fields,
	                                                "[\"CREATE UNIQUE INDEX x ON comments (post)\"]", "{}", rules, "", "");
	auth = json_pack("{s:s,s:s,s:s,s:s}", "id", "u1", "collectionId", "c_users", "collectionName", "users", "email",
	                 "a@b.c");
	query = json_pack("{s:s}", "q", "1");
	headers = json_pack("{s:s}", "x_token", "t");
	body = json_loads("{\"title\":\"x\",\"tags\":[\"a\",\"b\"],\"related\":[\"p1\",\"p2\"],\"views\":\"12\",\"meta\":{\"a\":[1,{\"b\":2}]}}",
	                  0, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!schema)
		setup();
	if (size > 4096)
		return 0;
	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	struct pb_request_info req = {"default", "GET", headers, query, body, auth, schema->collections[1], false};
	for (int mode = 0; mode < 2; mode++) {
		struct pb_query q;
		pb_query_init(&q);
		struct pb_filter_ctx ctx = {.schema = schema, .collection = schema->collections[0], .req = &req, .query = &q, .allow_hidden = mode == 0, .client_filter = mode == 1};
		struct pb_strbuf out = PB_STRBUF_INIT;
		struct pb_error err = PB_ERROR_INIT;
		pb_filter_to_sql(&ctx, s, &out, &err);
		pb_error_clear(&err);
		pb_strbuf_reset(&out);
		pb_sort_to_sql(&ctx, s, &out, &err);
		pb_error_clear(&err);
		pb_strbuf_deinit(&out);
		pb_query_deinit(&q);
	}
	free(s);
	return 0;
}
