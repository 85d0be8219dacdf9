/* test_record_save_answer — a create's answer written straight from its form
 * (pb_record_save_answer_write, collections/record_save.c) must give exactly the bytes of the
 * general path (pb_record_save_answer's public copy, pb_record_enrich_owned without expand,
 * pb_json_write), for a guest and for a superuser. Compared on a new record of every base
 * collection of a temporary copy of PocketBase's test fixture and of a collection added here
 * whose field names sort around collectionId/collectionName and that has hidden and password
 * fields; auth collections and a form holding a key that names no field must be refused
 * (-1, nothing written). */
#include "collections/record_assign.h"
#include "collections/record_enrich.h"
#include "collections/record_save.h"
#include "core/json_write.h"
#include "read_test_util.h"
#include "test.h"

static struct rtu T;
static int compared;
static struct pb_request_info guest, superuser_info; /* rtu_req: a guest and a real superuser */

/* A create of c prepared as the API's would be when the writer left the answer to the caller. */
static void form_for(struct pb_record_form *form, const struct pb_collection *c, const char *body_text)
{
	pb_record_form_init(form, c, NULL);
	json_t *body = json_loads(body_text, 0, NULL);
	json_decref(pb_record_form_assign(form, body));
	json_decref(body);
	/* the id and the autodates the commit would have set */
	json_object_set_new(form->record, "id", json_string("abcdefghijklmno"));
	if (pb_collection_field(c, "created"))
		json_object_set_new(form->record, "created", json_string("2026-12-03 10:00:00.123Z"));
	if (pb_collection_field(c, "updated"))
		json_object_set_new(form->record, "updated", json_string("2026-12-03 10:00:00.123Z"));
}

/* The general path's bytes (into built) and the direct path's return code (bytes into direct). */
static int both(struct pb_record_form *form, const struct pb_collection *c, bool superuser, struct pb_strbuf *direct,
                struct pb_strbuf *built)
{
	struct pb_record_save s;
	pb_record_save_init(&s);
	s.c = c;
	s.answer_later = true;
	s.form = form;
	int rc = pb_record_save_answer_write(&s, superuser, direct);
	struct pb_read_ctx ctx = {T.schema, &T.stmts, superuser ? &superuser_info : &guest, NULL};
	json_t *out = pb_record_enrich_owned(&ctx, c, pb_record_save_answer(&s), NULL);
	pb_json_write(built, out);
	json_decref(out);
	s.form = NULL; /* the caller's */
	pb_record_save_deinit(&s);
	return rc;
}

static void compare(const struct pb_collection *c, const char *body_text)
{
	for (int su = 0; su < 2; su++) {
		struct pb_record_form form;
		form_for(&form, c, body_text);
		struct pb_strbuf direct = PB_STRBUF_INIT, built = PB_STRBUF_INIT;
		int rc = both(&form, c, su == 1, &direct, &built);
		if (c->type == PB_COLLECTION_AUTH) {
			CHECK(rc == -1);
			CHECK(direct.len == 0);
		} else {
			CHECK(rc == 0);
			CHECK_STR(pb_strbuf_cstr(&direct), pb_strbuf_cstr(&built));
			compared++;
		}
		/* a key that names no field: refused, nothing written */
		json_object_set_new(form.record, "notAField", json_true());
		pb_strbuf_reset(&direct);
		struct pb_strbuf ignored = PB_STRBUF_INIT;
		CHECK(both(&form, c, su == 1, &direct, &ignored) == -1);
		CHECK(direct.len == 0);
		pb_strbuf_deinit(&ignored);
		pb_strbuf_deinit(&direct);
		pb_strbuf_deinit(&built);
		pb_record_form_deinit(&form);
	}
}

static const char added_collection[] =
	"INSERT INTO _collections (id, system, type, name, fields, indexes, listRule, viewRule, createRule, updateRule,"
	" deleteRule, options, created, updated) VALUES ('pbc_answer_test', 0, 'base', 'answer_test', '["
	"{\"autogeneratePattern\":\"[a-z0-9]{15}\",\"hidden\":false,\"id\":\"t0\",\"max\":15,\"min\":15,\"name\":\"id\","
	"\"pattern\":\"^[a-z0-9]+$\",\"presentable\":false,\"primaryKey\":true,\"required\":true,\"system\":true,\"type\":\"text\"},"
	"{\"hidden\":false,\"id\":\"t1\",\"name\":\"zeta\",\"type\":\"text\"},"
	"{\"hidden\":false,\"id\":\"t2\",\"name\":\"collectionIdx\",\"type\":\"text\"},"
	"{\"hidden\":false,\"id\":\"t3\",\"name\":\"alpha\",\"type\":\"number\"},"
	"{\"hidden\":true,\"id\":\"t4\",\"name\":\"secretNote\",\"type\":\"text\"},"
	"{\"hidden\":false,\"id\":\"t5\",\"name\":\"Capital\",\"type\":\"json\"},"
	"{\"hidden\":true,\"id\":\"t6\",\"name\":\"pass\",\"type\":\"password\",\"min\":1,\"max\":100,\"cost\":4},"
	"{\"hidden\":false,\"id\":\"t7\",\"name\":\"collectionNam\",\"type\":\"bool\"},"
	"{\"hidden\":false,\"id\":\"t8\",\"name\":\"created\",\"onCreate\":true,\"onUpdate\":false,\"type\":\"autodate\"}"
	"]', '[]', NULL, NULL, NULL, NULL, NULL, '{}', '2026-01-01 00:00:00.000Z', '2026-01-01 00:00:00.000Z');"
	"CREATE TABLE answer_test (id TEXT PRIMARY KEY NOT NULL, zeta TEXT DEFAULT '' NOT NULL, collectionIdx TEXT DEFAULT"
	" '' NOT NULL, alpha NUMERIC DEFAULT 0 NOT NULL, secretNote TEXT DEFAULT '' NOT NULL, Capital JSON DEFAULT NULL,"
	" pass TEXT DEFAULT '' NOT NULL, collectionNam BOOLEAN DEFAULT FALSE NOT NULL, created TEXT DEFAULT '' NOT NULL);";

int main(void)
{
	if (rtu_open(&T) != 0) {
		fprintf(stderr, "cannot open the fixture copy\n");
		return 1;
	}
	CHECK(rtu_alter(&T, added_collection) == 0);
	guest = rtu_req(&T, NULL, NULL);
	superuser_info = rtu_req(&T, "_superusers", "sbmbsdb40jyxf7h");
	CHECK(superuser_info.superuser);
	const struct pb_collection *added = pb_schema_find(T.schema, "answer_test");
	CHECK(added != NULL);
	if (added) {
		compare(added, "{\"zeta\":\"z <&> \\u2028\",\"collectionIdx\":\"x\",\"alpha\":1.5,\"secretNote\":\"s\","
		               "\"Capital\":{\"b\":1,\"a\":[1,2]},\"pass\":\"secret123\",\"collectionNam\":true}");
		compare(added, "{}");
	}
	for (size_t i = 0; i < T.schema->ncollections; i++) {
		const struct pb_collection *c = T.schema->collections[i];
		if (c->type == PB_COLLECTION_VIEW)
			continue;
		compare(c, "{}");
		compare(c, "{\"title\":\"hello\",\"text\":\"a\\\"b\",\"number\":3,\"bool\":true,\"email\":\"a@b.co\","
		           "\"json\":[1,\"x\",null],\"select_one\":\"optionB\",\"point\":{\"lon\":1.25,\"lat\":-2}}");
	}
	CHECK(compared >= 10); /* the comparisons above actually ran */
	rtu_req_free(&guest);
	rtu_req_free(&superuser_info);
	rtu_close(&T);
	TEST_DONE();
}
