/* test_filter — filter → SQL tables for collections/filter*.c against the schema of
 * PocketBase's own test fixture (a temporary copy), including PocketBase's gold cases
 * (rewritten in dbx notation and converted), error cases, and execution of generated SQL
 * against the fixture with the returned ids compared to hand-written oracle queries. */
#include <jansson.h>

#include "collections/filter_internal.h"
#include "filter_test_util.h"
#include "test.h"

#define JE(c) "json_each(CASE WHEN iif(json_valid([[" c "]]), json_type([[" c "]])='array', FALSE) THEN [[" c "]] ELSE json_array([[" c "]]) END)"
#define JX(c, p) "(CASE WHEN json_valid([[" c "]]) THEN JSON_EXTRACT([[" c "]], '$" p "') ELSE JSON_EXTRACT(json_object('pb', [[" c "]]), '$.pb" p "') END)"
#define JAL(c) "json_array_length(CASE WHEN iif(json_valid([[" c "]]), json_type([[" c "]])='array', FALSE) THEN [[" c "]] ELSE (CASE WHEN [[" c "]] = '' OR [[" c "]] IS NULL THEN json_array() ELSE json_array([[" c "]]) END) END)"

enum req_mode { R_NONE, R_GUEST, R_USER, R_BODY };

struct fcase {
	const char *coll;
	enum req_mode req;
	int flags; /* 1 = client filter (non-superuser) */
	const char *filter;
	const char *where; /* NULL: must fail with 400 */
	const char *joins; /* NULL: not checked; "" = none */
	const char *binds; /* NULL: not checked */
};

static const struct fcase cases[] = {
	/* --- plain comparisons, NULL/'' normalisation --- */
	{"demo2", R_NONE, 0, "title = 'x'", "[[demo2.title]] = {:p}", "", "t:x"},
	{"demo2", R_NONE, 0, "title != 'x'", "[[demo2.title]] IS NOT {:p}", "", "t:x"},
	{"demo2", R_NONE, 0, "title = ''", "(([[demo2.title]] = '' OR [[demo2.title]] IS NULL))", "", ""},
	{"demo2", R_NONE, 0, "title = null", "(([[demo2.title]] = '' OR [[demo2.title]] IS NULL))", "", ""},
	{"demo2", R_NONE, 0, "title != null", "(([[demo2.title]] IS NOT '' AND [[demo2.title]] IS NOT NULL))", "", ""},
	{"demo2", R_NONE, 0, "null = title", "(('' = [[demo2.title]] OR [[demo2.title]] IS NULL))", "", ""},
	{"demo2", R_NONE, 0, "'' = null && null != ''", "('' = '' AND '' IS NOT '')", "", ""},
	{"demo2", R_NONE, 0, "active = true", "[[demo2.active]] = 1", "", ""},
	{"demo2", R_NONE, 0, "active != false", "[[demo2.active]] IS NOT 0", "", ""},
	{"demo2", R_NONE, 0, "title = id", "COALESCE([[demo2.title]], '') = COALESCE([[demo2.id]], '')", "", ""},
	{"demo2", R_NONE, 0, "title != id", "COALESCE([[demo2.title]], '') IS NOT COALESCE([[demo2.id]], '')", "", ""},
	{"demo2", R_NONE, 0, "TRUE = active", "1 = [[demo2.active]]", "", ""},
	{"demo2", R_NONE, 0, "NULL = Null", "'' = ''", "", ""},
	{"demo2", R_NONE, 0, "1 = 1", "{:a} = {:b}", "", "f:1,f:1"},
	{"demo2", R_NONE, 0, "created > 10", "[[demo2.created]] > {:a}", "", "f:10"},
	{"demo2", R_NONE, 0, "created >= 1.5 && created <= -2 && created < -.5",
	 "([[demo2.created]] >= {:a} AND [[demo2.created]] <= {:b} AND [[demo2.created]] < {:c})", "", "f:1.5,f:-2,f:-0.5"},
	{"demo2", R_NONE, 0, "title>-1", "[[demo2.title]] > {:a}", "", "f:-1"},
	{"demo2", R_NONE, 0, "title ?= 'a' || title ?!= 'b'", "([[demo2.title]] = {:a} OR [[demo2.title]] IS NOT {:b})", "", "t:a,t:b"},
	{"demo2", R_NONE, 0, "title ?> 1 && title ?>= 2 && title ?< 3 && title ?<= 4",
	 "([[demo2.title]] > {:a} AND [[demo2.title]] >= {:b} AND [[demo2.title]] < {:c} AND [[demo2.title]] <= {:d})", "", NULL},
	{"demo2", R_NONE, 0, "title = \"it's\"", "[[demo2.title]] = {:a}", "", "t:it's"},
	{"demo2", R_NONE, 0, "title = 'a\\'b'", "[[demo2.title]] = {:a}", "", "t:a'b"},
	{"demo2", R_NONE, 0, "title = \"a\\nb\"", "[[demo2.title]] = {:a}", "", "t:a\nb"},
	{"demo2", R_NONE, 0, "title = 'a\\\\'", "[[demo2.title]] = {:a}", "", "t:a\\"},
	{"demo2", R_NONE, 0, "title = '\\u00e9\\ud83d\\ude00'", "[[demo2.title]] = {:a}", "", "t:\xc3\xa9\xf0\x9f\x98\x80"},
	{"demo2", R_NONE, 0, "title = 'x' // trailing comment", "[[demo2.title]] = {:a}", "", "t:x"},
	{"demo2", R_NONE, 0, "// lead\ntitle\r\n=\t'x'", "[[demo2.title]] = {:a}", "", "t:x"},
	/* precedence / grouping */
	{"demo2", R_NONE, 0, "title = 'a' || title = 'b' && active = true",
	 "([[demo2.title]] = {:a} OR [[demo2.title]] = {:b} AND [[demo2.active]] = 1)", "", "t:a,t:b"},
	{"demo2", R_NONE, 0, "((title > 1) || (title != 2)) && title ~ '%%example' && active = null",
	 "(([[demo2.title]] > {:a} OR [[demo2.title]] IS NOT {:b}) AND [[demo2.title]] LIKE {:c} ESCAPE '\\' AND ([[demo2.active]] = '' OR [[demo2.active]] IS NULL))",
	 "", "f:1,f:2,t:%%example"},
	{"demo2", R_NONE, 0, "(title = 'a')", "[[demo2.title]] = {:a}", "", "t:a"},
	{"demo2", R_NONE, 0, "((title = ''))", "(((([[demo2.title]] = '' OR [[demo2.title]] IS NULL))))", "", ""},
	{"demo2", R_NONE, 0, "active=true && active != false && null = title || null != id",
	 "([[demo2.active]] = 1 AND [[demo2.active]] IS NOT 0 AND ('' = [[demo2.title]] OR [[demo2.title]] IS NULL) OR ('' IS NOT [[demo2.id]] AND [[demo2.id]] IS NOT NULL))",
	 "", ""},
	/* --- LIKE wrapping --- */
	{"demo2", R_NONE, 0, "title ~ 'abc'", "[[demo2.title]] LIKE {:a} ESCAPE '\\'", "", "t:%abc%"},
	{"demo2", R_NONE, 0, "title !~ 'abc'", "[[demo2.title]] NOT LIKE {:a} ESCAPE '\\'", "", "t:%abc%"},
	{"demo2", R_NONE, 0, "title ~ 'ab%c'", "[[demo2.title]] LIKE {:a} ESCAPE '\\'", "", "t:ab%c"},
	{"demo2", R_NONE, 0, "title ~ 'ab\\%c'", "[[demo2.title]] LIKE {:a} ESCAPE '\\'", "", "t:%ab\\%c%"},
	{"demo2", R_NONE, 0, "title ~ '%ab\\%c'", "[[demo2.title]] LIKE {:a} ESCAPE '\\'", "", "t:%ab\\%c"},
	{"demo2", R_NONE, 0, "title ~ 'ab_c'", "[[demo2.title]] LIKE {:a} ESCAPE '\\'", "", "t:%ab\\_c%"},
	{"demo2", R_NONE, 0, "title ~ 'ab\\_c'", "[[demo2.title]] LIKE {:a} ESCAPE '\\'", "", "t:%ab\\_c%"},
	{"demo2", R_NONE, 0, "title ~ '%ab_c'", "[[demo2.title]] LIKE {:a} ESCAPE '\\'", "", "t:%ab_c"},
	{"demo2", R_NONE, 0, "title ~ 'ab\\c'", "[[demo2.title]] LIKE {:a} ESCAPE '\\'", "", "t:%ab\\\\c%"},
	{"demo2", R_NONE, 0, "title ~ '_ab\\c_'", "[[demo2.title]] LIKE {:a} ESCAPE '\\'", "", "t:%\\_ab\\\\c\\_%"},
	{"demo2", R_NONE, 0, "title ~ 'ab\\c%'", "[[demo2.title]] LIKE {:a} ESCAPE '\\'", "", "t:ab\\c%"},
	{"demo2", R_NONE, 0, "title ~ 12", "[[demo2.title]] LIKE {:a} ESCAPE '\\'", "", "t:%12%"},
	{"demo2", R_NONE, 0, "'switch1%%' ~ title", "{:a} LIKE ('%' || [[demo2.title]] || '%') ESCAPE '\\'", "", "t:switch1%%"},
	{"demo2", R_NONE, 0, "'sw' !~ title", "{:a} NOT LIKE ('%' || [[demo2.title]] || '%') ESCAPE '\\'", "", "t:sw"},
	{"demo2", R_NONE, 0, "title ~ null", "[[demo2.title]] LIKE ('%' || NULL || '%') ESCAPE '\\'", "", ""},
	{"demo2", R_NONE, 0, "title ~ id", "[[demo2.title]] LIKE ('%' || [[demo2.id]] || '%') ESCAPE '\\'", "", ""},
	/* --- relations --- */
	{"demo4", R_NONE, 0, "self_rel_one.id > true", "[[demo4.self_rel_one]] > 1", "", ""},
	{"demo4", R_NONE, 0, "self_rel_many.id ?> true", "[[demo4_self_rel_many.id]] > 1",
	 " LEFT JOIN " JE("demo4.self_rel_many") " {{__je_demo4_self_rel_many}} LEFT JOIN {{demo4}} {{demo4_self_rel_many}} ON [[demo4_self_rel_many.id]] = [[__je_demo4_self_rel_many.value]]",
	 ""},
	{"demo4", R_NONE, 0, "self_rel_many.self_rel_one > true",
	 "((([[demo4_self_rel_many.self_rel_one]] > 1) AND (NOT EXISTS (SELECT 1 FROM (SELECT [[__mm_demo4_self_rel_many.self_rel_one]] as [[multiMatchValue]] FROM `demo4` `__mm_demo4` LEFT JOIN " JE("__mm_demo4.self_rel_many") " `__mm_demo4_self_rel_many_je` LEFT JOIN `demo4` `__mm_demo4_self_rel_many` ON [[__mm_demo4_self_rel_many.id]] = [[__mm_demo4_self_rel_many_je.value]] WHERE `__mm_demo4`.`id` = `demo4`.`id`) {{__sm1}} WHERE NOT ([[__sm1.multiMatchValue]] > 1)))))",
	 NULL, ""},
	{"demo4", R_NONE, 0, "self_rel_many.title = 'test' || self_rel_one.json_object.a > true",
	 "((([[demo4_self_rel_many.title]] = {:a}) AND (NOT EXISTS (SELECT 1 FROM (SELECT [[__mm_demo4_self_rel_many.title]] as [[multiMatchValue]] FROM `demo4` `__mm_demo4` LEFT JOIN " JE("__mm_demo4.self_rel_many") " `__mm_demo4_self_rel_many_je` LEFT JOIN `demo4` `__mm_demo4_self_rel_many` ON [[__mm_demo4_self_rel_many.id]] = [[__mm_demo4_self_rel_many_je.value]] WHERE `__mm_demo4`.`id` = `demo4`.`id`) {{__sm1}} WHERE NOT ([[__sm1.multiMatchValue]] = ?1)))) OR " JX("demo4_self_rel_one.json_object", ".a") " > 1)",
	 NULL, "t:test"},
	{"demo4", R_NONE, 0, "self_rel_one.self_rel_one.title > true", "[[demo4_self_rel_one_self_rel_one.title]] > 1",
	 " LEFT JOIN {{demo4}} {{demo4_self_rel_one}} ON [[demo4_self_rel_one.id]] = [[demo4.self_rel_one]] LEFT JOIN {{demo4}} {{demo4_self_rel_one_self_rel_one}} ON [[demo4_self_rel_one_self_rel_one.id]] = [[demo4_self_rel_one.self_rel_one]]",
	 ""},
	{"demo4", R_NONE, 0, "self_rel_one.self_rel_one.self_rel_one.self_rel_one.self_rel_one.self_rel_one.id = 'x'",
	 "[[demo4_self_rel_one_self_rel_one_self_rel_one_self_rel_one_self_rel_one.self_rel_one]] = {:a}", NULL, "t:x"},
	{"demo4", R_NONE, 0, "self_rel_one.self_rel_one.self_rel_one.self_rel_one.self_rel_one.self_rel_one.title = 'x'",
	 "[[demo4_self_rel_one_self_rel_one_self_rel_one_self_rel_one_self_rel_one_self_rel_one.title]] = {:a}", NULL, "t:x"},
	{"demo4", R_NONE, 0, "self_rel_one.self_rel_one.self_rel_one.self_rel_one.self_rel_one.self_rel_one.self_rel_one.title = 'x'", NULL, NULL, NULL},
	{"demo4", R_NONE, 0, "title.test = 1", NULL, NULL, NULL},
	{"demo4", R_NONE, 0, "missing = 1", NULL, NULL, NULL},
	{"demo4", R_NONE, 0, "self_rel_one.missing = 1", NULL, NULL, NULL},
	/* back-relations */
	{"demo3", R_NONE, 0, "demo4_via_rel_one_unique.id = true", "[[demo3_demo4_via_rel_one_unique.id]] = 1",
	 " LEFT JOIN {{demo4}} {{demo3_demo4_via_rel_one_unique}} ON [[demo3_demo4_via_rel_one_unique.rel_one_unique]] = [[demo3.id]]", ""},
	{"demo3", R_NONE, 0, "demo4_via_rel_one_cascade.id = true",
	 "((([[demo3_demo4_via_rel_one_cascade.id]] = 1) AND (NOT EXISTS (SELECT 1 FROM (SELECT [[__mm_demo3_demo4_via_rel_one_cascade.id]] as [[multiMatchValue]] FROM `demo3` `__mm_demo3` LEFT JOIN `demo4` `__mm_demo3_demo4_via_rel_one_cascade` ON [[__mm_demo3_demo4_via_rel_one_cascade.rel_one_cascade]] = [[__mm_demo3.id]] WHERE `__mm_demo3`.`id` = `demo3`.`id`) {{__sm1}} WHERE NOT ([[__sm1.multiMatchValue]] = 1)))))",
	 " LEFT JOIN {{demo4}} {{demo3_demo4_via_rel_one_cascade}} ON [[demo3_demo4_via_rel_one_cascade.rel_one_cascade]] = [[demo3.id]]", ""},
	{"demo3", R_NONE, 0, "demo4_via_rel_many_cascade.id ?= true", "[[demo3_demo4_via_rel_many_cascade.id]] = 1",
	 " LEFT JOIN {{demo4}} {{demo3_demo4_via_rel_many_cascade}} ON [[demo3.id]] IN (SELECT [[__je_demo3_demo4_via_rel_many_cascade.value]] FROM " JE("demo3_demo4_via_rel_many_cascade.rel_many_cascade") " {{__je_demo3_demo4_via_rel_many_cascade}})", ""},
	{"demo3", R_NONE, 0, "demo4_via_missing.id = 1", NULL, NULL, NULL},
	{"demo3", R_NONE, 0, "demo4_via_title.id = 1", NULL, NULL, NULL},
	{"demo3", R_NONE, 0, "demo2_via_title.id = 1", NULL, NULL, NULL},
	{"demo3", R_NONE, 0, "demo4_via_self_rel_one.id = 1", NULL, NULL, NULL},
	/* --- JSON / geoPoint --- */
	{"demo4", R_NONE, 0, "json_object.a.b = '' && self_rel_many:length != 2",
	 "(" JX("demo4.json_object", ".a.b") " IS {:a} AND " JAL("demo4.self_rel_many") " IS NOT {:b})", "", "t:,f:2"},
	{"demo4", R_NONE, 0, "json_array.0 = 1", JX("demo4.json_array", "[0]") " IS {:a}", "", "f:1"},
	{"demo4", R_NONE, 0, "json_object.items.0.id != null", JX("demo4.json_object", ".items[0].id") " IS NOT NULL", "", ""},
	{"demo4", R_NONE, 0, "json_object = true", JX("demo4.json_object", "") " IS 1", "", ""},
	{"demo4", R_NONE, 0, "json_object.a:lower = 1", JX("demo4.json_object", ".alower") " IS {:a}", "", "f:1"},
	{"demo4", R_NONE, 0, "json_object:lower = 'x'", "LOWER(" JX("demo4.json_object", "") ") IS {:a}", "", "t:x"},
	{"view1", R_NONE, 0, "point = '' || point.lat > 1 || point.lon < 2 || point.something > 3",
	 "(([[view1.point]] = '' OR [[view1.point]] IS NULL) OR " JX("view1.point", ".lat") " > {:a} OR " JX("view1.point", ".lon") " < {:b} OR " JX("view1.point", ".something") " > {:c})",
	 "", "f:1,f:2,f:3"},
	/* --- modifiers on collection fields --- */
	{"demo4", R_NONE, 0, "title:lower = 'abc'", "LOWER([[demo4.title]]) = {:a}", "", "t:abc"},
	{"demo4", R_NONE, 0, "title:isset = 'abc'", "[[demo4.title]] = {:a}", "", "t:abc"},
	{"demo4", R_NONE, 0, "title:changed = 'abc'", "[[demo4.title]] = {:a}", "", "t:abc"},
	{"demo4", R_NONE, 0, "title:each = 'abc'", "[[demo4.title]] = {:a}", "", "t:abc"},
	{"demo4", R_NONE, 0, "title:length = 'abc'", "[[demo4.title]] = {:a}", "", "t:abc"},
	{"demo4", R_NONE, 0, "title:unknown = 'abc'", NULL, NULL, NULL},
	{"demo4", R_NONE, 0, "title:lower:each = 'abc'", NULL, NULL, NULL},
	{"demo5", R_NONE, 0, "select_one:length > 0", "(" JAL("demo5.select_one") " > {:a})", "", "f:0"},
	{"demo5", R_NONE, 0, "select_one:each ?= 'b'", "[[__je_demo5_select_one.value]] = {:a}", " LEFT JOIN " JE("demo5.select_one") " {{__je_demo5_select_one}}", "t:b"},
	{"demo5", R_NONE, 0, "select_many:each = 'b'",
	 "((([[__je_demo5_select_many.value]] = {:a}) AND (NOT EXISTS (SELECT 1 FROM (SELECT [[__je___mm_demo5_select_many.value]] as [[multiMatchValue]] FROM `demo5` `__mm_demo5` LEFT JOIN " JE("__mm_demo5.select_many") " `__je___mm_demo5_select_many` WHERE `__mm_demo5`.`id` = `demo5`.`id`) {{__sm1}} WHERE NOT ([[__sm1.multiMatchValue]] = ?1)))))",
	 " LEFT JOIN " JE("demo5.select_many") " {{__je_demo5_select_many}}", "t:b"},
	{"demo5", R_NONE, 0, "rel_many.title:lower ?= 'x'", "LOWER([[demo5_rel_many.title]]) = {:a}", NULL, "t:x"},
	/* --- @collection --- */
	{"demo4", R_NONE, 0, "@collection.demo1.text ?> true || @collection.demo2.active ?> true || @collection.demo1:demo1_alias.file_one ?> true",
	 "([[__collection_demo1.text]] > 1 OR [[__collection_demo2.active]] > 1 OR [[__collection_alias_demo1_alias.file_one]] > 1)",
	 " LEFT JOIN {{demo1}} {{__collection_demo1}} LEFT JOIN {{demo2}} {{__collection_demo2}} LEFT JOIN {{demo1}} {{__collection_alias_demo1_alias}}", ""},
	{"demo4", R_NONE, 0, "@collection.demo1.text > true",
	 "((([[__collection_demo1.text]] > 1) AND (NOT EXISTS (SELECT 1 FROM (SELECT [[__mm___collection_demo1.text]] as [[multiMatchValue]] FROM `demo4` `__mm_demo4` LEFT JOIN `demo1` `__mm___collection_demo1` WHERE `__mm_demo4`.`id` = `demo4`.`id`) {{__sm1}} WHERE NOT ([[__sm1.multiMatchValue]] > 1)))))",
	 " LEFT JOIN {{demo1}} {{__collection_demo1}}", ""},
	{"demo4", R_NONE, 0, "@collection.missing.text > true", NULL, NULL, NULL},
	{"demo4", R_NONE, 0, "@collection.demo1 > true", NULL, NULL, NULL},
	/* --- @request --- */
	{"demo4", R_NONE, 0, "@request.auth.id = id", "(('' = [[demo4.id]] OR [[demo4.id]] IS NULL))", "", ""},
	{"demo4", R_GUEST, 0, "@request.auth.id != ''", "'' IS NOT ''", "", ""},
	{"demo4", R_USER, 0, "@request.auth.id != ''", "{:a} IS NOT ''", "", "t:4q1xlclmfloku33"},
	{"demo4", R_GUEST, 0, "title = @request.auth.id", "(([[demo4.title]] = '' OR [[demo4.title]] IS NULL))", "", ""},
	{"demo4", R_USER, 0, "@request.auth.id > true || @request.auth.username > true || @request.auth.rel.title > true || @request.body.demo < true || @request.auth.missingA.missingB > false",
	 "(?2 > 1 OR [[__auth_users.username]] > 1 OR [[__auth_users_rel.title]] > 1 OR NULL < 1 OR NULL > 0)",
	 " LEFT JOIN {{users}} {{__auth_users}} ON `__auth_users`.`id`=?1 LEFT JOIN {{demo2}} {{__auth_users_rel}} ON [[__auth_users_rel.id]] = [[__auth_users.rel]]",
	 "t:4q1xlclmfloku33,t:4q1xlclmfloku33"},
	{"demo4", R_GUEST, 0, "@request.context = true || @request.query.a = true || @request.query.b = true || @request.query.missing = true || @request.headers.a = true || @request.headers.missing = true",
	 "({:a} = 1 OR '' = 1 OR {:b} = 1 OR '' = 1 OR {:c} = 1 OR '' = 1)", "", "t:default,t:123,t:123"},
	{"demo4", R_GUEST, 0, "@request.body.a:isset > true || @request.body.b:isset > true || @request.body.c:isset > true || @request.query.a:isset > true || @request.query.b:isset > true || @request.query.c:isset > true || @request.headers.a:isset > true || @request.headers.c:isset > true",
	 "(TRUE > 1 OR TRUE > 1 OR FALSE > 1 OR TRUE > 1 OR TRUE > 1 OR FALSE > 1 OR TRUE > 1 OR FALSE > 1)", "", ""},
	{"demo4", R_GUEST, 0, "@request.method = 'GET'", "{:a} = {:b}", "", "t:GET,t:GET"},
	{"demo4", R_GUEST, 0, "@request.query.b:lower = 'x'", "LOWER({:a}) = {:b}", "", "t:123,t:x"},
	{"demo4", R_GUEST, 0, "@request.query.b:each = 'x'", NULL, NULL, NULL},
	{"demo4", R_GUEST, 0, "@request.query", NULL, NULL, NULL},
	{"demo4", R_GUEST, 0, "@request.query = 1", NULL, NULL, NULL},
	{"demo4", R_GUEST, 0, "@request.auth = 1", NULL, NULL, NULL},
	{"demo4", R_GUEST, 0, "@request.foo.bar = 1", NULL, NULL, NULL},
	{"demo4", R_USER, 0, "@request.auth.name.x = 1", NULL, NULL, NULL},
	{"demo4", R_GUEST, 0, "@request.body.obj.k = 'v' && @request.body.arr.1 = 2",
	 "({:a} = {:b} AND {:c} = {:d})", "", "t:v,t:v,f:2,f:2"},
	{"demo4", R_GUEST, 0, "@request.body.obj = ''", "{:a} = ''", "", "t:{\"k\":\"v\"}"},
	{"demo1", R_BODY, 0, "@request.body.number:changed = false && @request.body.email:changed = true && @request.body.number:changed = @request.body.select_many:changed",
	 "((TRUE = 1 AND {:a} IS NOT [[demo1.number]]) IS 0 AND (FALSE = 1 AND ('' IS NOT [[demo1.email]] AND [[demo1.email]] IS NOT NULL)) IS 1 AND (TRUE = 1 AND {:b} IS NOT [[demo1.number]]) IS (TRUE = 1 AND {:c} IS NOT [[demo1.select_many]]))",
	 "", "f:10,f:10,t:[\"optionA\",\"optionC\"]"},
	{"demo1", R_BODY, 0, "@request.body.select_one:length > 1 && @request.body.select_many:length < 3 && @request.body.rel_many:length != 7 && @request.body.file_many:length != 1",
	 "(0 > {:a} AND 2 < {:b} AND 2 IS NOT {:c} AND 3 IS NOT {:d})", "", "f:1,f:3,f:7,f:1"},
	{"demo1", R_BODY, 0, "@request.body.text:length > 1", NULL, NULL, NULL},
	{"demo1", R_BODY, 0, "@request.body.number:lower = '10'", "LOWER({:a}) = {:b}", "", "t:10,t:10"},
	{"demo1", R_BODY, 0, "@request.body.number = 10", "{:a} = {:b}", "", "f:10,f:10"},
	{"demo1", R_BODY, 0, "@request.body.select_many:each ?= 'optionA'", "[[__dataEach_je_select_many.value]] = ?2",
	 " LEFT JOIN json_each(?1) {{__dataEach_je_select_many}}", "t:[\"optionA\",\"optionC\"],t:optionA"},
	{"demo1", R_BODY, 0, "select_many:each = @request.body.select_many:each",
	 "((([[__je_demo1_select_many.value]] = [[__dataEach_je_select_many.value]]) AND (NOT EXISTS (SELECT 1 FROM (SELECT [[__je___mm_demo1_select_many.value]] as [[multiMatchValue]] FROM `demo1` `__mm_demo1` LEFT JOIN " JE("__mm_demo1.select_many") " `__je___mm_demo1_select_many` WHERE `__mm_demo1`.`id` = `demo1`.`id`) {{__ml1}} LEFT JOIN (SELECT [[__mm___dataEach_je_select_many.value]] as [[multiMatchValue]] FROM `demo1` `__mm_demo1` LEFT JOIN json_each(?1) `__mm___dataEach_je_select_many` WHERE `__mm_demo1`.`id` = `demo1`.`id`) {{__mr1}} WHERE NOT (COALESCE([[__ml1.multiMatchValue]], '') = COALESCE([[__mr1.multiMatchValue]], ''))))))",
	 NULL, "t:[\"optionA\",\"optionC\"]"},
	{"demo1", R_BODY, 0, "@request.body.rel_many.username ?= 'x'", "[[__data_users_rel_many.username]] = ?3",
	 " LEFT JOIN {{users}} {{__data_users_rel_many}} ON [[__data_users_rel_many.id]] IN (?1, ?2)", "t:bgs820n361vj1qd,t:oap640cot4yru2s,t:x"},
	{"demo1", R_GUEST, 0, "@request.body.rel_many.username ?= 'x'", "'' = {:a}", "", "t:x"},
	/* --- macros --- */
	{"demo2", R_NONE, 0, "created > @now", "[[demo2.created]] > {:a}", "", NULL},
	{"demo2", R_NONE, 0, "@year > 2000 && @weekday >= 0", "({:a} > {:b} AND {:c} >= {:d})", "", NULL},
	{"demo2", R_NONE, 0, "@nowx > 1", NULL, NULL, NULL},
	/* --- functions --- */
	{"demo2", R_NONE, 0, "geoDistance(1,2,3,4) < 567",
	 "(6371 * acos(cos(radians(?1)) * cos(radians(?2)) * cos(radians(?3) - radians(?4)) + sin(radians(?1)) * sin(radians(?2)))) < ?5",
	 "", "f:2,f:4,f:3,f:1,f:567"},
	{"demo1", R_NONE, 0, "geoDistance(point.lon, point.lat, 23.32, 42.69) = null",
	 "(6371 * acos(cos(radians(" JX("demo1.point", ".lat") ")) * cos(radians(?1)) * cos(radians(?2) - radians(" JX("demo1.point", ".lon") ")) + sin(radians(" JX("demo1.point", ".lat") ")) * sin(radians(?1)))) IS NULL",
	 "", "f:42.69,f:23.32"},
	{"demo2", R_NONE, 0, "geoDistance(1,2,3) < 5", NULL, NULL, NULL},
	{"demo2", R_NONE, 0, "geoDistance(1,2,3,'a') < 5", NULL, NULL, NULL},
	{"demo2", R_NONE, 0, "strftime('%Y-%m', '2026-01-01') = ''",
	 "((strftime({:a},{:b}) = '' OR strftime(?1,?2) IS NULL))", "", "t:%Y-%m,t:2026-01-01"},
	{"demo5", R_NONE, 0, "strftime('%Y-%m', rel_one.created) = true", "strftime({:a},[[demo5_rel_one.created]]) = 1",
	 " LEFT JOIN {{demo4}} {{demo5_rel_one}} ON [[demo5_rel_one.id]] = [[demo5.rel_one]]", "t:%Y-%m"},
	{"demo5", R_NONE, 0, "strftime('%Y-%m', rel_many.created) = true",
	 "(((strftime({:a},[[demo5_rel_many.created]]) = 1) AND (NOT EXISTS (SELECT 1 FROM (SELECT strftime(?1,[[__mm_demo5_rel_many.created]]) as [[multiMatchValue]] FROM `demo5` `__mm_demo5` LEFT JOIN " JE("__mm_demo5.rel_many") " `__mm_demo5_rel_many_je` LEFT JOIN `demo4` `__mm_demo5_rel_many` ON [[__mm_demo5_rel_many.id]] = [[__mm_demo5_rel_many_je.value]] WHERE `__mm_demo5`.`id` = `demo5`.`id`) {{__sm1}} WHERE NOT ([[__sm1.multiMatchValue]] = 1)))))",
	 NULL, "t:%Y-%m"},
	{"demo2", R_NONE, 0, "strftime('%Y', created, 'start of month', 'utc') != ''",
	 "((strftime({:a},[[demo2.created]],{:b},{:c}) IS NOT '' AND strftime(?1,[[demo2.created]],?2,?3) IS NOT NULL))", "", NULL},
	{"demo2", R_NONE, 0, "strftime(created) = ''", NULL, NULL, NULL},
	{"demo2", R_NONE, 0, "strftime('%Y', created, 1) = ''", NULL, NULL, NULL},
	{"demo2", R_NONE, 0, "strftime() = ''", NULL, NULL, NULL},
	{"demo2", R_NONE, 0, "unknownFn(1) = ''", NULL, NULL, NULL},
	{"demo2", R_NONE, 0, "strftime('%Y', strftime('%Y', strftime('%Y', strftime('%Y')))) = 1", NULL, NULL, NULL},
	/* --- client restrictions --- */
	{"nologin", R_NONE, 1, "id > true || email > true || email:lower > false",
	 "([[nologin.id]] > 1 OR (([[nologin.email]] > 1) AND ([[nologin.emailVisibility]] = TRUE)) OR ((LOWER([[nologin.email]]) > 0) AND ([[nologin.emailVisibility]] = TRUE)))",
	 "", ""},
	{"nologin", R_NONE, 0, "email > true", "[[nologin.email]] > 1", "", ""},
	{"users", R_NONE, 1, "tokenKey = 'x'", NULL, NULL, NULL},
	{"users", R_NONE, 0, "tokenKey = 'x'", "[[users.tokenKey]] = {:a}", "", "t:x"},
	{"demo4", R_NONE, 0, "rel_one_cascade.created > true", "[[demo4_rel_one_cascade.created]] > 1", NULL, ""},
	{"demo4", R_USER, 1, "rel_one_cascade.created > true",
	 "([[demo4_rel_one_cascade.created]] > 1) AND ((([[demo4_rel_one_cascade.id]] = '' OR [[demo4_rel_one_cascade.id]] IS NULL) OR ({:a} IS NOT '' AND {:b} IS NOT {:c})))",
	 NULL, "t:4q1xlclmfloku33,t:users,t:users"},
	/* --- syntax errors and limits --- */
	{"demo2", R_NONE, 0, "", NULL, NULL, NULL},
	{"demo2", R_NONE, 0, "   ", NULL, NULL, NULL},
	{"demo2", R_NONE, 0, "// only a comment", NULL, NULL, NULL},
	{"demo2", R_NONE, 0, "active", NULL, NULL, NULL},
	{"demo2", R_NONE, 0, "active =", NULL, NULL, NULL},
	{"demo2", R_NONE, 0, "(title = 'a'", NULL, NULL, NULL},
	{"demo2", R_NONE, 0, "title = 'a')", NULL, NULL, NULL},
	{"demo2", R_NONE, 0, "()", NULL, NULL, NULL},
	{"demo2", R_NONE, 0, "title = 'a", NULL, NULL, NULL},
	{"demo2", R_NONE, 0, "title =~ 'a'", NULL, NULL, NULL},
	{"demo2", R_NONE, 0, "title <> 'a'", NULL, NULL, NULL},
	{"demo2", R_NONE, 0, "title =! 'a'", NULL, NULL, NULL},
	{"demo2", R_NONE, 0, "title = 'a' & title = 'b'", NULL, NULL, NULL},
	{"demo2", R_NONE, 0, "title = 'a' ||| title = 'b'", NULL, NULL, NULL},
	{"demo2", R_NONE, 0, "title = 'a' && ", NULL, NULL, NULL},
	{"demo2", R_NONE, 0, "title = 1.2.3", NULL, NULL, NULL},
	{"demo2", R_NONE, 0, "title = 1.", NULL, NULL, NULL},
	{"demo2", R_NONE, 0, "title = -", NULL, NULL, NULL},
	{"demo2", R_NONE, 0, "title. = 1", NULL, NULL, NULL},
	{"demo2", R_NONE, 0, "@ = 1", NULL, NULL, NULL},
	{"demo2", R_NONE, 0, "#abc = 1", NULL, NULL, NULL},
	{"demo2", R_NONE, 0, "title = 'a' / x", NULL, NULL, NULL},
	{"demo2", R_NONE, 0, "title = 'a', title = 'b'", NULL, NULL, NULL},
	{"demo2", R_NONE, 0, "tïtle = 1", NULL, NULL, NULL},
	{"demo2", R_NONE, 0, "title-x = 1", NULL, NULL, NULL},
	{"demo2", R_NONE, 0, "title = 'a' title = 'b'", NULL, NULL, NULL},
	{"demo2", R_NONE, 0, "geoDistance(1,,2,3,4) < 1", NULL, NULL, NULL},
	{"demo2", R_NONE, 0, "geoDistance(,1,2,3,4) < 1", NULL, NULL, NULL},
	{"demo2", R_NONE, 0, "geoDistance (1,2,3,4) < 1", NULL, NULL, NULL},
};

static json_t *g_auth;

static void make_req(struct pb_request_info *r, enum req_mode m, const struct pb_schema *s)
{
	memset(r, 0, sizeof *r);
	r->context = "default";
	r->method = "GET";
	r->query = json_pack("{s:s, s:s}", "a", "", "b", "123");
	r->headers = json_pack("{s:s}", "a", "123");
	if (m == R_BODY)
		r->body = json_loads("{\"number\":10,\"select_many\":[\"optionA\",\"optionC\"],\"rel_many\":[\"bgs820n361vj1qd\","
		                     "\"oap640cot4yru2s\"],\"file_many\":[\"a\",\"b\",\"c\"]}",
		                     0, NULL);
	else
		r->body = json_loads("{\"a\":null,\"b\":123,\"obj\":{\"k\":\"v\"},\"arr\":[1,2]}", 0, NULL);
	if (m == R_USER || m == R_BODY) {
		r->auth = g_auth;
		r->auth_collection = pb_schema_find(s, "users");
	}
}

static void free_req(struct pb_request_info *r)
{
	json_decref(r->query);
	json_decref(r->headers);
	json_decref(r->body);
}


/* --- the compiled-filter memo (collections/filter_cache.c): a compilation through the memo,
 * first (miss) and again (hit), gives the SQL, joins and values of a plain compilation --- */
static struct pb_filter_cache g_fc;

struct compiled {
	int rc;
	char *sql, *joins, *binds;
};

static struct compiled compile_with(const struct pb_filter_ctx *base, struct pb_filter_cache *fc, const char *filter)
{
	struct pb_query q;
	pb_query_init(&q);
	struct pb_filter_ctx ctx = *base;
	ctx.query = &q;
	ctx.cache = fc;
	struct pb_strbuf out = PB_STRBUF_INIT, j = PB_STRBUF_INIT;
	struct pb_error err = PB_ERROR_INIT;
	struct compiled c = {pb_filter_to_sql(&ctx, filter, &out, &err), NULL, NULL, NULL};
	pb_query_write_joins(&q, &j);
	c.sql = strdup(pb_strbuf_cstr(&out));
	c.joins = strdup(pb_strbuf_cstr(&j));
	c.binds = ftu_binds(&q);
	pb_error_clear(&err);
	pb_strbuf_deinit(&out);
	pb_strbuf_deinit(&j);
	pb_query_deinit(&q);
	return c;
}

static void compiled_free(struct compiled *c)
{
	free(c->sql);
	free(c->joins);
	free(c->binds);
}

/* True when the filter reads the clock (@now, @todayStart, …): its bound values depend on the
 * millisecond each compilation ran in, so only its SQL and joins are comparable. */
static bool reads_clock(const char *filter)
{
	static const char *const macros[] = {"@now", "@yesterday", "@tomorrow", "@second", "@minute",
	                                     "@hour", "@day", "@month", "@year", "@weekday", "@today",
	                                     "@monthStart", "@monthEnd", "@yearStart", "@yearEnd"};
	for (size_t i = 0; i < sizeof macros / sizeof macros[0]; i++)
		if (strstr(filter, macros[i]))
			return true;
	return false;
}

static void check_memo(const struct pb_filter_ctx *base, const char *filter)
{
	struct compiled want = compile_with(base, NULL, filter);
	for (int round = 0; round < 2; round++) {
		struct compiled got = compile_with(base, &g_fc, filter);
		CHECK(got.rc == want.rc);
		if (got.rc == 0 && want.rc == 0) {
			bool clocked = reads_clock(filter);
			if (strcmp(got.sql, want.sql) || strcmp(got.joins, want.joins) ||
			    (!clocked && strcmp(got.binds, want.binds)))
				fprintf(stderr, "memo (round %d) differs for [%s]\n", round, filter);
			CHECK_STR(got.sql, want.sql);
			CHECK_STR(got.joins, want.joins);
			if (!clocked)
				CHECK_STR(got.binds, want.binds);
		}
		compiled_free(&got);
	}
	compiled_free(&want);
}

static void run_case(const struct pb_schema *s, const struct fcase *c)
{
	struct pb_query q;
	pb_query_init(&q);
	struct pb_request_info req;
	make_req(&req, c->req, s);
	struct pb_filter_ctx ctx = {s, pb_schema_find(s, c->coll), c->req == R_NONE ? NULL : &req, &q, true, false, NULL, NULL};
	if (c->flags & 1) {
		ctx.allow_hidden = false;
		ctx.client_filter = true;
	}
	check_memo(&ctx, c->filter);
	struct pb_strbuf out = PB_STRBUF_INIT;
	struct pb_error err = PB_ERROR_INIT;
	int rc = pb_filter_to_sql(&ctx, c->filter, &out, &err);
	if (!c->where) {
		if (rc != -1 || err.status != 400)
			fprintf(stderr, "expected an error for [%s], got [%s]\n", c->filter, pb_strbuf_cstr(&out));
		CHECK(rc == -1 && err.status == 400);
	} else {
		if (rc != 0)
			fprintf(stderr, "unexpected error for [%s]: %s\n", c->filter, err.message);
		CHECK(rc == 0);
		char *want = ftu_dbx(c->where, 1);
		if (strcmp(want, pb_strbuf_cstr(&out)) != 0)
			fprintf(stderr, "filter: %s\n", c->filter);
		CHECK_STR(pb_strbuf_cstr(&out), want);
		free(want);
		if (c->joins) {
			struct pb_strbuf j = PB_STRBUF_INIT;
			pb_query_write_joins(&q, &j);
			want = ftu_dbx(c->joins, 1);
			if (strcmp(want, pb_strbuf_cstr(&j)) != 0)
				fprintf(stderr, "joins of filter: %s\n", c->filter);
			CHECK_STR(pb_strbuf_cstr(&j), want);
			free(want);
			pb_strbuf_deinit(&j);
		}
		if (c->binds) {
			char *b = ftu_binds(&q);
			if (strcmp(b, c->binds) != 0)
				fprintf(stderr, "binds of filter: %s\n", c->filter);
			CHECK_STR(b, c->binds);
			free(b);
		}
	}
	pb_error_clear(&err);
	pb_strbuf_deinit(&out);
	pb_query_deinit(&q);
	free_req(&req);
}

/* --- execution against the fixture: generated SQL vs a hand-written oracle --- */
struct ecase {
	const char *coll;
	enum req_mode req;
	const char *filter;
	const char *oracle; /* SELECT id … ORDER BY id */
};

static const struct ecase ecases[] = {
	{"demo2", R_NONE, "title = 'test1'", "SELECT id FROM demo2 WHERE title='test1' ORDER BY id"},
	{"demo2", R_NONE, "title != 'test1'", "SELECT id FROM demo2 WHERE title IS NOT 'test1' ORDER BY id"},
	{"demo2", R_NONE, "active = true", "SELECT id FROM demo2 WHERE active=1 ORDER BY id"},
	{"demo2", R_NONE, "title ~ 'est' && active = false", "SELECT id FROM demo2 WHERE title LIKE '%est%' AND active=0 ORDER BY id"},
	{"demo2", R_NONE, "title ~ 'T2' || title = 'test3' && active = true", "SELECT id FROM demo2 WHERE title IN ('test2','test3') ORDER BY id"},
	{"demo2", R_NONE, "created > '2022-10-12 11:42:52'", "SELECT id FROM demo2 WHERE created > '2022-10-12 11:42:52' ORDER BY id"},
	{"demo4", R_NONE, "self_rel_many.title ?= 'test1'",
	 "SELECT id FROM demo4 d WHERE EXISTS (SELECT 1 FROM json_each(d.self_rel_many) j JOIN demo4 x ON x.id=j.value WHERE x.title='test1') ORDER BY id"},
	{"demo4", R_NONE, "self_rel_many.title = 'test1'", "SELECT id FROM demo4 WHERE 0 ORDER BY id"},
	{"demo4", R_NONE, "self_rel_many.title != 'test1'",
	 "SELECT id FROM demo4 d WHERE NOT EXISTS (SELECT 1 FROM json_each(d.self_rel_many) j JOIN demo4 x ON x.id=j.value WHERE x.title='test1') ORDER BY id"},
	{"demo4", R_NONE, "self_rel_many.title ~ 'test'",
	 "SELECT id FROM demo4 d WHERE json_array_length(d.self_rel_many) > 0 ORDER BY id"},
	{"demo4", R_NONE, "self_rel_one.title = 'test2'",
	 "SELECT d.id FROM demo4 d JOIN demo4 x ON x.id=d.self_rel_one WHERE x.title='test2' ORDER BY d.id"},
	{"demo4", R_NONE, "self_rel_one = ''", "SELECT id FROM demo4 WHERE self_rel_one='' OR self_rel_one IS NULL ORDER BY id"},
	{"demo4", R_NONE, "self_rel_many:length = 2", "SELECT id FROM demo4 WHERE json_array_length(self_rel_many)=2 ORDER BY id"},
	{"demo4", R_NONE, "json_object.a = 123", "SELECT id FROM demo4 WHERE json_extract(json_object,'$.a')=123 ORDER BY id"},
	{"demo4", R_NONE, "json_object.a.b = 'test'", "SELECT id FROM demo4 WHERE json_extract(json_object,'$.a.b')='test' ORDER BY id"},
	{"demo4", R_NONE, "json_array.2 = 3", "SELECT id FROM demo4 WHERE json_extract(json_array,'$[2]')=3 ORDER BY id"},
	{"demo3", R_NONE, "demo4_via_rel_many_cascade.title ?= 'test1'",
	 "SELECT d.id FROM demo3 d WHERE EXISTS (SELECT 1 FROM demo4 x, json_each(x.rel_many_cascade) j WHERE j.value=d.id AND x.title='test1') ORDER BY d.id"},
	{"demo3", R_NONE, "demo4_via_rel_one_cascade.title = 'test1'",
	 "SELECT d.id FROM demo3 d WHERE EXISTS (SELECT 1 FROM demo4 x WHERE x.rel_one_cascade=d.id) AND NOT EXISTS (SELECT 1 FROM demo4 x WHERE x.rel_one_cascade=d.id AND x.title IS NOT 'test1') ORDER BY d.id"},
	{"demo5", R_NONE, "select_many:each ?= 'a'", "SELECT d.id FROM demo5 d WHERE EXISTS (SELECT 1 FROM json_each(d.select_many) j WHERE j.value='a') ORDER BY d.id"},
	{"demo5", R_NONE, "select_many:each != 'z'", "SELECT id FROM demo5 ORDER BY id"},
	{"demo5", R_NONE, "total >= 1", "SELECT id FROM demo5 WHERE total >= 1 ORDER BY id"},
	{"demo4", R_NONE, "@collection.demo2.title ?= 'test2' && @collection.demo2.active = true",
	 "SELECT id FROM demo4 WHERE 0 ORDER BY id"},
	{"demo4", R_NONE, "@collection.demo2.title ?= 'test2' && @collection.demo2.active ?= true", "SELECT id FROM demo4 ORDER BY id"},
	{"demo4", R_USER, "@request.auth.rel.title = 'test1' && title = 'test1'", "SELECT id FROM demo4 WHERE title='test1' ORDER BY id"},
	{"demo4", R_GUEST, "@request.auth.rel.title = 'test1'", "SELECT id FROM demo4 WHERE 0 ORDER BY id"},
	{"demo1", R_NONE, "geoDistance(point.lon, point.lat, 23.32, 42.69) < 25", "SELECT 'al1h9ijdeojtsjy'"},
	{"demo1", R_NONE, "strftime('%Y', created) = '2022'", "SELECT id FROM demo1 WHERE strftime('%Y', created)='2022' ORDER BY id"},
	{"demo1", R_BODY, "@request.body.select_many:each ?= select_many:each",
	 "SELECT id FROM demo1 d WHERE EXISTS (SELECT 1 FROM json_each(d.select_many) j WHERE j.value IN ('optionA','optionC')) ORDER BY id"},
	{"demo1", R_BODY, "rel_many.id ?= @request.body.rel_many.id",
	 "SELECT id FROM demo1 d WHERE EXISTS (SELECT 1 FROM json_each(d.rel_many) j WHERE j.value IN ('bgs820n361vj1qd','oap640cot4yru2s')) ORDER BY id"},
	{"demo1", R_BODY, "@request.body.number:changed = true", "SELECT id FROM demo1 WHERE number IS NOT 10 ORDER BY id"},
	{"users", R_NONE, "email:lower ~ 'TEST2@'", "SELECT id FROM users WHERE email LIKE '%test2@%' ORDER BY id"},
	{"demo2", R_NONE, "created >= @yearStart || created < @now", "SELECT id FROM demo2 ORDER BY id"},
};

static void run_exec(sqlite3 *db, const struct pb_schema *s, const struct ecase *c)
{
	struct pb_query q;
	pb_query_init(&q);
	struct pb_request_info req;
	make_req(&req, c->req, s);
	struct pb_filter_ctx ctx = {s, pb_schema_find(s, c->coll), c->req == R_NONE ? NULL : &req, &q, true, false, NULL, NULL};
	check_memo(&ctx, c->filter);
	ctx.cache = &g_fc; /* the memo's SQL must select the oracle's rows too */
	struct pb_strbuf where = PB_STRBUF_INIT, sql = PB_STRBUF_INIT;
	struct pb_error err = PB_ERROR_INIT;
	int rc = pb_filter_to_sql(&ctx, c->filter, &where, &err);
	if (rc != 0)
		fprintf(stderr, "exec: [%s]: %s\n", c->filter, err.message);
	CHECK(rc == 0);
	if (rc == 0) {
		pb_strbuf_printf(&sql, "SELECT %s", pb_query_has_joins(&q) ? "DISTINCT " : "");
		pb_sql_column(&sql, c->coll, "id");
		pb_strbuf_puts(&sql, " FROM ");
		pb_sql_ident(&sql, c->coll);
		pb_query_write_joins(&q, &sql);
		pb_strbuf_printf(&sql, " WHERE %s ORDER BY 1", pb_strbuf_cstr(&where));
		char *got = ftu_run(db, pb_strbuf_cstr(&sql), &q);
		char *want = ftu_run(db, c->oracle, NULL);
		if (strcmp(got, want) != 0)
			fprintf(stderr, "exec: [%s]\n  sql: %s\n", c->filter, pb_strbuf_cstr(&sql));
		CHECK_STR(got, want);
		free(got);
		free(want);
	}
	pb_error_clear(&err);
	pb_strbuf_deinit(&where);
	pb_strbuf_deinit(&sql);
	pb_query_deinit(&q);
	free_req(&req);
}

static void test_limits(const struct pb_schema *s)
{
	struct pb_strbuf f = PB_STRBUF_INIT;
	for (int i = 0; i < 200; i++)
		pb_strbuf_printf(&f, "%stitle = 'a'", i ? " || " : "");
	struct pb_query q;
	pb_query_init(&q);
	struct pb_filter_ctx ctx = {s, pb_schema_find(s, "demo2"), NULL, &q, true, false, NULL, NULL};
	struct pb_strbuf out = PB_STRBUF_INIT;
	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_filter_to_sql(&ctx, f.data, &out, &err) == 0);
	pb_strbuf_puts(&f, " || (title = 'b')");
	pb_strbuf_reset(&out);
	CHECK(pb_filter_to_sql(&ctx, f.data, &out, &err) == -1 && err.status == 400);
	pb_error_clear(&err);
	/* deep parenthesis nesting is refused, not a stack overflow */
	pb_strbuf_reset(&f);
	for (int i = 0; i < 5000; i++)
		pb_strbuf_putc(&f, '(');
	CHECK(pb_filter_to_sql(&ctx, f.data, &out, &err) == -1 && err.status == 400);
	pb_error_clear(&err);
	pb_strbuf_deinit(&f);
	pb_strbuf_deinit(&out);
	pb_query_deinit(&q);
}

static void test_macros(void)
{
	/* 2023-02-03 04:05:06.000 UTC, a Friday */
	int64_t t = 1675397106000LL;
	char buf[64];
	int64_t iv = 0;
	struct {
		const char *name, *want;
	} dts[] = {
		{"@now", "2023-02-03 04:05:06.000Z"},        {"@yesterday", "2023-02-02 04:05:06.000Z"},
		{"@tomorrow", "2023-02-04 04:05:06.000Z"},   {"@todayStart", "2023-02-03 00:00:00.000Z"},
		{"@todayEnd", "2023-02-03 23:59:59.999Z"},   {"@monthStart", "2023-02-01 00:00:00.000Z"},
		{"@monthEnd", "2023-02-28 23:59:59.999Z"},   {"@yearStart", "2023-01-01 00:00:00.000Z"},
		{"@yearEnd", "2023-12-31 23:59:59.999Z"},
	};
	for (size_t i = 0; i < sizeof dts / sizeof dts[0]; i++) {
		CHECK(fb_macro_value(dts[i].name, t, buf, sizeof buf, &iv) == 1);
		CHECK_STR(buf, dts[i].want);
	}
	struct {
		const char *name;
		int64_t want;
	} ints[] = {{"@second", 6}, {"@minute", 5}, {"@hour", 4}, {"@day", 3}, {"@month", 2}, {"@year", 2023}, {"@weekday", 5}};
	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
		CHECK(fb_macro_value(ints[i].name, t, buf, sizeof buf, &iv) == 2);
		CHECK(iv == ints[i].want);
	}
	CHECK(fb_macro_value("@nowx", t, buf, sizeof buf, &iv) == 0);
	CHECK(fb_macro_value("@monthEnd", 1709164800000LL /* 2024-02-29 */, buf, sizeof buf, &iv) == 1);
	CHECK_STR(buf, "2024-02-29 23:59:59.999Z");
}

/* Identifiers are backquoted with inner backquotes doubled, wherever they fall. */
static void test_ident_quoting(void)
{
	struct {
		const char *name, *want;
	} cases[] = {{"title", "`title`"}, {"", "``"}, {"`", "````"}, {"a`b", "`a``b`"}, {"``x`", "`````x```"},
	             {"a b;--", "`a b;--`"}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct pb_strbuf b = PB_STRBUF_INIT;
		pb_strbuf_puts(&b, "x.");
		pb_sql_ident(&b, cases[i].name);
		char want[64];
		snprintf(want, sizeof want, "x.%s", cases[i].want);
		CHECK_STR(pb_strbuf_cstr(&b), want);
		pb_strbuf_deinit(&b);
	}
}

/* The memo answers a request with other values (another user, a guest, another body value) as
 * a plain compilation does, hits only for equal values, never memoises clock macros, tells a
 * shallow copy under another name apart, and leaves non-empty queries alone. */
static void test_memo_variations(const struct pb_schema *s)
{
	struct pb_filter_cache fc;
	pb_filter_cache_init(&fc);
	const struct pb_collection *demo2 = pb_schema_find(s, "demo2"), *users = pb_schema_find(s, "users");
	json_t *other = json_deep_copy(g_auth);
	json_object_set_new(other, "id", json_string("oap640cot4yru2s"));
	json_object_set_new(other, "email", json_string("other@example.com"));
	struct pb_request_info a = {.context = "default", .method = "POST", .auth = g_auth, .auth_collection = users};
	struct pb_request_info b = a, guest = {.context = "default", .method = "POST"};
	b.auth = other;
	a.body = json_pack("{s:s, s:f}", "title", "x", "n", 1.0);
	b.body = json_pack("{s:s, s:f}", "title", "y", "n", -0.0);
	guest.body = json_pack("{s:i}", "n", 1);
	const struct pb_request_info *reqs[] = {&a, &b, &guest, &a, &b};
	static const char *const rules[] = {
	    "@request.auth.id != '' && title = @request.auth.id",
	    "@request.auth.email:lower = title || @request.auth.rel.title = 'test1'",
	    "@request.body.title = title && @request.body.n = 1 && @request.body.title:isset = true",
	    "@request.method = 'POST' && @request.context != 'realtime' && @request.auth.collectionName = 'users'",
	};
	for (size_t r = 0; r < sizeof rules / sizeof *rules; r++) {
		for (size_t i = 0; i < sizeof reqs / sizeof *reqs; i++) {
			struct pb_filter_ctx ctx = {s, demo2, reqs[i], NULL, true, false, NULL, NULL};
			struct compiled want = compile_with(&ctx, NULL, rules[r]);
			struct compiled got = compile_with(&ctx, &fc, rules[r]);
			CHECK(want.rc == 0 && got.rc == 0);
			if (strcmp(got.binds, want.binds))
				fprintf(stderr, "memo rule %zu request %zu\n", r, i);
			CHECK_STR(got.sql, want.sql);
			CHECK_STR(got.joins, want.joins);
			CHECK_STR(got.binds, want.binds);
			compiled_free(&want);
			compiled_free(&got);
		}
	}
	/* each rule: misses for a, b and guest, hits for a and b again */
	CHECK(fc.hits == 8 && fc.misses == 12);

	/* clock macros are compiled every time */
	unsigned long hits = fc.hits;
	struct pb_filter_ctx ctx = {s, demo2, &a, NULL, true, false, NULL, NULL};
	for (int i = 0; i < 2; i++) {
		struct compiled got = compile_with(&ctx, &fc, "created < @now && title = @request.auth.id");
		CHECK(got.rc == 0);
		compiled_free(&got);
	}
	CHECK(fc.hits == hits);

	/* the same expression on a copy of demo2 under another name is another compilation */
	struct pb_collection renamed = *demo2;
	renamed.name = "demo2__pb_create__x";
	struct pb_filter_ctx rctx = {s, &renamed, &a, NULL, true, false, NULL, NULL};
	struct compiled c1 = compile_with(&ctx, &fc, rules[0]), c2 = compile_with(&rctx, &fc, rules[0]);
	struct compiled w2 = compile_with(&rctx, NULL, rules[0]);
	CHECK_STR(c2.sql, w2.sql);
	CHECK(strcmp(c1.sql, c2.sql) != 0);
	compiled_free(&c1);
	compiled_free(&c2);
	compiled_free(&w2);

	/* a query that already has values is compiled without the memo (placeholder numbers) */
	struct pb_query q;
	pb_query_init(&q);
	pb_query_bind_text(&q, "first", 5);
	ctx.query = &q;
	ctx.cache = &fc;
	struct pb_strbuf out = PB_STRBUF_INIT;
	struct pb_error err = PB_ERROR_INIT;
	hits = fc.hits;
	CHECK(pb_filter_to_sql(&ctx, rules[0], &out, &err) == 0);
	CHECK(strstr(pb_strbuf_cstr(&out), "?2") != NULL);
	CHECK(fc.hits == hits);
	pb_strbuf_deinit(&out);
	pb_query_deinit(&q);

	json_decref(a.body);
	json_decref(b.body);
	json_decref(guest.body);
	json_decref(other);
	pb_filter_cache_deinit(&fc);
}

int main(void)
{
	sqlite3 *db = ftu_open_fixture();
	CHECK(db != NULL);
	if (!db)
		TEST_DONE();
	struct pb_error err = PB_ERROR_INIT;
	struct pb_schema *s = pb_schema_load(db, &err);
	CHECK(s != NULL);
	if (!s) {
		ftu_cleanup(db);
		TEST_DONE();
	}
	pb_filter_cache_init(&g_fc);
	g_auth = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b}", "id", "4q1xlclmfloku33", "collectionId",
	                   pb_schema_find(s, "users")->id, "collectionName", "users", "email", "test@example.com",
	                   "username", "users75657", "rel", "llvuca81nly1qls", "emailVisibility", 0, "verified", 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		run_case(s, &cases[i]);
	for (size_t i = 0; i < sizeof ecases / sizeof ecases[0]; i++)
		run_exec(db, s, &ecases[i]);
	test_limits(s);
	test_macros();
	test_ident_quoting();
	test_memo_variations(s);
	printf("memo: %lu hits, %lu misses\n", g_fc.hits, g_fc.misses);
	CHECK(g_fc.hits >= 25); /* the cases with a request (the others compile without the memo) */
	pb_filter_cache_deinit(&g_fc);
	printf("%zu filter cases, %zu execution cases\n", sizeof cases / sizeof cases[0], sizeof ecases / sizeof ecases[0]);
	json_decref(g_auth);
	pb_schema_unref(s);
	ftu_cleanup(db);
	TEST_DONE();
}
