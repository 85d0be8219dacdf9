/* test_record_direct_json — the read hot path writes record JSON straight from SQLite rows
 * (pb_record_write_row, pb_records_view_write, pb_records_list_write: collections/record_json.c,
 * record_read.c) and must give exactly the bytes of the built path (pb_record_from_row /
 * pb_records_view / pb_records_list, then pb_json_write), and the same errors. Compared on every record of every collection of a temporary copy of
 * PocketBase's test fixture for a guest, two auth records and a superuser, and on rows with
 * awkward stored values (NULLs, invalid UTF-8, HTML characters, numbers stored as text,
 * infinities, bad dates). */
#include "collections/record_read.h"
#include "core/json_write.h"
#include "read_test_util.h"
#include "test.h"

static struct rtu T;
static int written_views, written_lists, error_lists; /* cases actually compared */

/* Both paths for one view: same status, same message, same bytes. */
static void compare_view(const struct pb_request_info *r, const struct pb_collection *c, const char *id)
{
	struct pb_read_ctx ctx = {.schema = T.schema, .stmts = &T.stmts, .req = r};
	struct pb_error e1 = PB_ERROR_INIT, e2 = PB_ERROR_INIT;
	struct pb_strbuf direct = PB_STRBUF_INIT;
	int rc = pb_records_view_write(&ctx, c, id, NULL, &direct, &e2);
	if (rc == 1) { /* not applicable: only for non-superusers on auth collections */
		CHECK(c->type == PB_COLLECTION_AUTH && !r->superuser && direct.len == 0 && e2.status == 0);
		pb_strbuf_deinit(&direct);
		return;
	}
	json_t *rec = pb_records_view(&ctx, c, id, NULL, &e1);
	if (rec) {
		struct pb_strbuf built = PB_STRBUF_INIT;
		pb_json_write(&built, rec);
		CHECK(rc == 0);
		CHECK_STR(pb_strbuf_cstr(&direct), pb_strbuf_cstr(&built));
		pb_strbuf_deinit(&built);
		json_decref(rec);
		written_views++;
	} else {
		CHECK(rc == -1 && e2.status == e1.status && direct.len == 0);
		CHECK_STR(e2.message, e1.message);
	}
	pb_error_clear(&e1);
	pb_error_clear(&e2);
	pb_strbuf_deinit(&direct);
}

/* Both paths for one list: same status, same message, same bytes. */
static void compare_list(const struct pb_request_info *r, const struct pb_collection *c, const char *const *q)
{
	struct pb_read_ctx ctx = {.schema = T.schema, .stmts = &T.stmts, .req = r};
	struct pb_error e1 = PB_ERROR_INIT, e2 = PB_ERROR_INIT;
	struct pb_strbuf direct = PB_STRBUF_INIT;
	int rc = pb_records_list_write(&ctx, c, q[0], q[1], q[2], q[3], q[4], NULL, &direct, &e2);
	if (rc == 1) {
		CHECK(c->type == PB_COLLECTION_AUTH && !r->superuser && direct.len == 0 && e2.status == 0);
		pb_strbuf_deinit(&direct);
		return;
	}
	json_t *list = pb_records_list(&ctx, c, q[0], q[1], q[2], q[3], q[4], NULL, &e1);
	if (list) {
		struct pb_strbuf built = PB_STRBUF_INIT;
		pb_json_write(&built, list);
		CHECK(rc == 0);
		CHECK_STR(pb_strbuf_cstr(&direct), pb_strbuf_cstr(&built));
		pb_strbuf_deinit(&built);
		json_decref(list);
		written_lists += direct.len > 40;
	} else {
		CHECK(rc == -1 && e2.status == e1.status && direct.len == 0);
		CHECK_STR(e2.message, e1.message);
		error_lists++;
	}
	pb_error_clear(&e1);
	pb_error_clear(&e2);
	pb_strbuf_deinit(&direct);
}

/* page, perPage, skipTotal, filter, sort */
static const char *const LISTS[][5] = {
	{NULL, NULL, NULL, NULL, NULL},
	{"1", "2", NULL, NULL, "-created,id"},
	{"2", "2", "1", NULL, "id"},
	{"0", "-1", "true", "id != ''", "@random"},
	{"0", "-1", "true", "id != ''", NULL},
	{"x", NULL, NULL, NULL, NULL},
	{NULL, "1001", NULL, "created > '2000-01-01'", "-updated"},
	{NULL, NULL, NULL, "(", NULL},
	{NULL, NULL, NULL, "missing_field = 1", NULL},
	{NULL, NULL, NULL, NULL, "missing_field"},
	{NULL, NULL, NULL, "@request.auth.id != ''", NULL},
	{NULL, NULL, NULL, "@collection.demo1.id != ''", NULL},
	{"3", "1", "0", "id ~ 'a'", "-id"},
};

/* pb_record_write_row against pb_record_from_row for every row of c, for each export flavour. */
static int compare_rows(const struct pb_collection *c)
{
	struct pb_strbuf sql = PB_STRBUF_INIT;
	pb_strbuf_puts(&sql, "SELECT ");
	pb_sql_ident(&sql, c->name);
	pb_strbuf_puts(&sql, ".* FROM ");
	pb_sql_ident(&sql, c->name);
	sqlite3_stmt *st = NULL;
	int rows = 0;
	CHECK(sqlite3_prepare_v2(T.db, pb_strbuf_cstr(&sql), -1, &st, NULL) == SQLITE_OK);
	const struct pb_record_export xs[] = {
		{.show_hidden = true, .show_email = true},
		{.show_hidden = false, .show_email = false},
		{.show_hidden = true, .show_email = true, .keep_secrets = true},
		{.show_hidden = false, .show_email = true, .no_collection_keys = true},
	};
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		int *map = pb_record_colmap(c, st);
		for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
			json_t *o = pb_record_from_row(c, st, map, &xs[i]);
			struct pb_strbuf built = PB_STRBUF_INIT, direct = PB_STRBUF_INIT;
			pb_json_write(&built, o);
			pb_record_write_row(c, st, map, &xs[i], &direct);
			CHECK_STR(pb_strbuf_cstr(&direct), pb_strbuf_cstr(&built));
			pb_strbuf_deinit(&built);
			pb_strbuf_deinit(&direct);
			json_decref(o);
		}
		free(map);
		rows++;
	}
	sqlite3_finalize(st);
	pb_strbuf_deinit(&sql);
	return rows;
}

/* Every id of c's table, plus a missing one and "". */
static void compare_views(const struct pb_request_info *r, const struct pb_collection *c)
{
	struct pb_strbuf sql = PB_STRBUF_INIT;
	pb_strbuf_puts(&sql, "SELECT id FROM ");
	pb_sql_ident(&sql, c->name);
	sqlite3_stmt *st = NULL;
	CHECK(sqlite3_prepare_v2(T.db, pb_strbuf_cstr(&sql), -1, &st, NULL) == SQLITE_OK);
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		char *id = strdup((const char *)sqlite3_column_text(st, 0));
		compare_view(r, c, id);
		free(id);
	}
	sqlite3_finalize(st);
	pb_strbuf_deinit(&sql);
	compare_view(r, c, "missing0000000");
	compare_view(r, c, "");
}

static void compare_all(const struct pb_request_info *const *reqs, size_t nreqs)
{
	int rows = 0;
	for (size_t i = 0; i < T.schema->ncollections; i++) {
		const struct pb_collection *c = T.schema->collections[i];
		rows += compare_rows(c);
		for (size_t k = 0; k < nreqs; k++) {
			compare_views(reqs[k], c);
			for (size_t l = 0; l < sizeof LISTS / sizeof LISTS[0]; l++)
				if (strcmp(LISTS[l][4] ? LISTS[l][4] : "", "@random") != 0) /* random order: not comparable */
					compare_list(reqs[k], c, LISTS[l]);
		}
	}
	CHECK(rows > 20);
	printf("compared: %d views, %d non-empty lists, %d list errors\n", written_views, written_lists, error_lists);
	CHECK(written_views > 50 && written_lists > 50 && error_lists > 50);
}

int main(void)
{
	if (rtu_open(&T) != 0) {
		CHECK(0);
		TEST_DONE();
	}
	struct pb_request_info guest = rtu_req(&T, NULL, NULL), user = rtu_req(&T, "users", "4q1xlclmfloku33"),
	                       client = rtu_req(&T, "clients", "gk390qegs4y47wn"),
	                       su = rtu_req(&T, "_superusers", "sywbhecnh46rhm0");
	CHECK(user.auth && client.auth && su.superuser);
	const struct pb_request_info *reqs[] = {&guest, &user, &client, &su};
	compare_all(reqs, 4);

	/* awkward stored values, and a hidden field */
	CHECK(rtu_alter(&T, "UPDATE demo1 SET text = NULL, url = CAST(x'61ff62' AS TEXT), email = '<a&b>\u2028', "
	                    "number = 'Inf', bool = 'true', datetime = 'not a date', json = NULL, select_many = '\"x\"' "
	                    "WHERE id = (SELECT id FROM demo1 ORDER BY id LIMIT 1);"
	                    "UPDATE demo1 SET number = '12.50', bool = 2, datetime = '2024-01-02T03:04:05Z', "
	                    "text = 'tab\tquote\"back\\\\' WHERE id = (SELECT id FROM demo1 ORDER BY id LIMIT 1 OFFSET 1);"
	                    "UPDATE demo1 SET number = 1e999, datetime = NULL, file_many = 'a.txt' "
	                    "WHERE id = (SELECT id FROM demo1 ORDER BY id LIMIT 1 OFFSET 2);"
	                    "UPDATE _collections SET fields = json_set(fields, '$[3].hidden', json('true')) "
	                    "WHERE name = 'demo1'") == 0);
	compare_all(reqs, 4);

	rtu_req_free(&guest);
	rtu_req_free(&user);
	rtu_req_free(&client);
	rtu_req_free(&su);
	rtu_close(&T);
	TEST_DONE();
}
