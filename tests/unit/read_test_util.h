/* read_test_util — shared helpers of the record read path tests: a temporary copy of
 * PocketBase's test fixture (never the shared file) with its schema and a statement cache,
 * request infos for a guest and for real auth records loaded like the auth middleware does
 * (pb_record_find_by_id with show_hidden + show_email), JSON dumps and id lists. */
#ifndef POCKETC_TESTS_UNIT_READ_TEST_UTIL_H
#define POCKETC_TESTS_UNIT_READ_TEST_UTIL_H

#include <jansson.h>

#include "collections/read_ctx.h"
#include "collections/record_find.h"
#include "filter_test_util.h"

struct rtu {
	sqlite3 *db;
	struct pb_schema *schema;
	struct pb_stmt_cache stmts;
};

static int rtu_open(struct rtu *t)
{
	memset(t, 0, sizeof *t);
	t->db = ftu_open_fixture();
	if (!t->db)
		return -1;
	struct pb_error err = PB_ERROR_INIT;
	t->schema = pb_schema_load(t->db, &err);
	pb_error_clear(&err);
	pb_stmt_cache_init(&t->stmts, t->db);
	return t->schema ? 0 : -1;
}

/* Runs `sql` on the temp copy (e.g. to change a collection) and reloads the schema. */
__attribute__((unused)) static int rtu_alter(struct rtu *t, const char *sql)
{
	if (sqlite3_exec(t->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "alter: %s\n", sqlite3_errmsg(t->db));
		return -1;
	}
	struct pb_error err = PB_ERROR_INIT;
	struct pb_schema *s = pb_schema_load(t->db, &err);
	pb_error_clear(&err);
	if (!s)
		return -1;
	pb_schema_unref(t->schema);
	t->schema = s;
	return 0;
}

static void rtu_close(struct rtu *t)
{
	pb_stmt_cache_deinit(&t->stmts);
	if (t->schema)
		pb_schema_unref(t->schema);
	ftu_cleanup(t->db);
}

/* A guest (coll == NULL) or the auth record `id` of collection `coll`. Free with rtu_req_free. */
static struct pb_request_info rtu_req(struct rtu *t, const char *coll, const char *id)
{
	struct pb_request_info r;
	memset(&r, 0, sizeof r);
	r.context = "default";
	r.method = "GET";
	r.query = json_object();
	r.headers = json_object();
	if (coll) {
		const struct pb_collection *c = pb_schema_find(t->schema, coll);
		const struct pb_record_export x = {.show_hidden = true, .show_email = true};
		r.auth = c ? pb_record_find_by_id(t->db, c, id, &x, NULL) : NULL;
		r.auth_collection = r.auth ? c : NULL;
		r.superuser = r.auth && strcmp(c->name, "_superusers") == 0;
	}
	return r;
}

static void rtu_req_free(struct pb_request_info *r)
{
	json_decref(r->auth);
	json_decref(r->query);
	json_decref(r->headers);
	json_decref(r->body);
}

/* Compact dump keeping key order; newly allocated ("(null)" for NULL). */
__attribute__((unused)) static char *rtu_dump(const json_t *v)
{
	if (!v)
		return strdup("(null)");
	return json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
}

/* The "id" of every element of an array (or of `items` of a list envelope), comma-joined. */
__attribute__((unused)) static char *rtu_ids(const json_t *v)
{
	if (json_is_object(v) && json_object_get(v, "items"))
		v = json_object_get(v, "items");
	struct pb_strbuf o = PB_STRBUF_INIT;
	size_t i;
	json_t *e;
	json_array_foreach(v, i, e)
	{
		if (i)
			pb_strbuf_putc(&o, ',');
		const char *id = json_string_value(json_object_get(e, "id"));
		pb_strbuf_puts(&o, id ? id : "?");
	}
	return pb_strbuf_steal(&o);
}

/* Number of occurrences of `needle` in `hay`. */
__attribute__((unused)) static int rtu_count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

#endif
