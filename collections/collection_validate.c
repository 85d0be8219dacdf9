/* collection_validate — the collection validator's base rules (see collection_validate.h):
 * id, system, type, name, fields, the five API rules; indexes and the auth options live in
 * collection_validate_index.c / collection_validate_auth.c, field options in
 * field_settings_validate.c. */
#include "collections/collection_validate.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "collections/collection_defaults.h"
#include "collections/collection_doc.h"
#include "collections/collection_validate_internal.h"
#include "collections/field_settings.h"
#include "collections/filter.h"
#include "collections/validation_messages.h"
#include "collections/view_infer.h"
#include "core/validation.h"

/* ---- items ---------------------------------------------------------------------------------- */

json_t *pb_cv_item(const char *code, const char *tmpl, json_t *params)
{
	char *msg = pb_vmsg_render(tmpl, params);
	json_t *item = pb_validation_item(code, msg, params);
	free(msg);
	return item;
}

json_t *pb_cv_min(int64_t threshold) { return pb_validation_min(threshold); }

json_t *pb_cv_max(int64_t threshold)
{
	char msg[64];
	snprintf(msg, sizeof msg, "must be no greater than %" PRId64, threshold);
	return pb_validation_item("validation_max_less_equal_than_required", msg,
	                          json_pack("{sI}", "threshold", (json_int_t)threshold));
}

void pb_cv_put(json_t *tree, const char *key, json_t *item)
{
	if (item)
		json_object_set_new(tree, key, item);
}

json_t *pb_cv_required_str(const char *s)
{
	return s && *s ? NULL : pb_validation_item(PB_VCODE_REQUIRED, PB_VMSG_REQUIRED, NULL);
}

json_t *pb_cv_length(const char *s, int64_t min, int64_t max)
{
	int64_t n = (int64_t)strlen(s);
	if (n == 0 || ((min <= 0 || n >= min) && (max <= 0 || n <= max)))
		return NULL;
	return pb_validation_length(min, max);
}

json_t *pb_cv_match_word(const char *s)
{
	if (!*s)
		return NULL;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return pb_validation_item(PB_VCODE_MATCH_INVALID, PB_VMSG_MATCH_INVALID, NULL);
	return NULL;
}

json_t *pb_cv_check_via(const char *s)
{
	if (s && strcasestr(s, "_via_"))
		return pb_cv_item("validation_found_via", "The value cannot contain \"_via_\".", NULL);
	return NULL;
}

/* ---- rules ---------------------------------------------------------------------------------- */

json_t *pb_cv_check_rule(struct pb_cv *cv, const char *rule)
{
	if (!rule || !*rule || !cv->model)
		return NULL;
	struct pb_query q;
	pb_query_init(&q);
	struct pb_strbuf out = PB_STRBUF_INIT;
	struct pb_error err = PB_ERROR_INIT;
	struct pb_filter_ctx fc = {.schema = &cv->rule_schema, .collection = cv->model, .req = NULL, .query = &q,
	                           .allow_hidden = true};
	json_t *item = NULL;
	if (pb_filter_to_sql(&fc, rule, &out, &err) != 0) {
		struct pb_strbuf msg = PB_STRBUF_INIT;
		pb_strbuf_printf(&msg, "Invalid rule. Raw error: %s", err.message);
		item = pb_validation_item("validation_invalid_rule", pb_strbuf_cstr(&msg), NULL);
		pb_strbuf_deinit(&msg);
	}
	pb_error_clear(&err);
	pb_strbuf_deinit(&out);
	pb_query_deinit(&q);
	return item;
}

json_t *pb_cv_system_rule_change(const struct pb_cv *cv, const char *old_rule, bool old_null, const char *rule,
                                 bool is_null)
{
	if (cv->orig_new || !json_is_true(json_object_get(cv->orig, "system")))
		return NULL;
	if ((is_null && old_null) || (!is_null && !old_null && !strcmp(rule, old_rule)))
		return NULL;
	return pb_cv_item("validation_collection_system_rule_change", "System collection API rule cannot be changed.",
	                  NULL);
}

static json_t *rule_errors(struct pb_cv *cv, const char *key, bool must_be_nil)
{
	json_t *v = json_object_get(cv->doc, key), *ov = json_object_get(cv->orig, key);
	if (must_be_nil && json_is_string(v))
		return pb_cv_item("validation_nil", "must be blank", NULL);
	json_t *e = pb_cv_check_rule(cv, json_string_value(v));
	if (!e)
		e = pb_cv_system_rule_change(cv, json_string_value(ov), !json_is_string(ov), json_string_value(v),
		                             !json_is_string(v));
	return e;
}

/* ---- base keys ------------------------------------------------------------------------------ */

static int64_t count_query(sqlite3 *db, const char *sql, const char *a, const char *b)
{
	sqlite3_stmt *st = NULL;
	int64_t n = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, a, -1, SQLITE_TRANSIENT);
		if (b)
			sqlite3_bind_text(st, 2, b, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return n;
}

static bool name_unique(const struct pb_cv *cv, const char *name, const char *exclude_id)
{
	if (!*name)
		return false;
	int64_t n = exclude_id ? count_query(cv->in->db,
	                                     "SELECT count(*) FROM `_collections` WHERE LOWER(`name`) = LOWER(?1) "
	                                     "AND `id` != ?2",
	                                     name, exclude_id)
	                       : count_query(cv->in->db, "SELECT count(*) FROM `_collections` WHERE LOWER(`name`) = LOWER(?1)",
	                                     name, NULL);
	return n == 0;
}

static json_t *id_errors(const struct pb_cv *cv)
{
	const char *id = pb_collection_doc_str(cv->doc, "id");
	json_t *e = pb_cv_required_str(id);
	if (e)
		return e;
	if (!cv->orig_new) {
		if (strcmp(id, pb_collection_doc_str(cv->orig, "id")) != 0)
			return pb_cv_item("validation_values_mismatch", "Values don't match.", NULL);
		return NULL;
	}
	if ((e = pb_cv_length(id, 1, 100)) || (e = pb_cv_match_word(id)))
		return e;
	if (count_query(cv->in->db, "SELECT count(*) FROM `_collections` WHERE `id` = ?1", id, NULL) != 0)
		return pb_cv_item("validation_invalid_or_existing_id", "The model id is invalid or already exists.", NULL);
	return NULL;
}

static json_t *type_errors(const struct pb_cv *cv)
{
	const char *t = pb_collection_doc_str(cv->doc, "type");
	json_t *e = pb_cv_required_str(t);
	if (e)
		return e;
	if (strcmp(t, "base") && strcmp(t, "auth") && strcmp(t, "view"))
		return pb_validation_item(PB_VCODE_IN_INVALID, PB_VMSG_IN_INVALID, NULL);
	if (!cv->orig_new && strcmp(t, pb_collection_doc_str(cv->orig, "type")) != 0)
		return pb_cv_item("validation_collection_type_change", "Collection type cannot be changed.", NULL);
	return NULL;
}

static json_t *name_errors(const struct pb_cv *cv)
{
	const char *name = pb_collection_doc_str(cv->doc, "name");
	const char *orig_name = pb_collection_doc_str(cv->orig, "name");
	json_t *e;
	if ((e = pb_cv_required_str(name)) || (e = pb_cv_length(name, 1, 255)) || (e = pb_cv_check_via(name)) ||
	    (e = pb_cv_match_word(name)))
		return e;
	if (!cv->orig_new && json_is_true(json_object_get(cv->orig, "system")) && strcmp(name, orig_name) != 0)
		return pb_cv_item("validation_collection_system_name_change", "System collection name cannot be changed.",
		                  NULL);
	if (!name_unique(cv, name, pb_collection_doc_str(cv->orig, "id")))
		return pb_cv_item("validation_collection_name_exists", "Collection name must be unique (case insensitive).",
		                  NULL);
	if (count_query(cv->in->db, "SELECT count(*) FROM `_collections` WHERE `id` = ?1", name, NULL) > 0)
		return pb_cv_item("validation_collection_name_id_duplicate",
		                  "The name must not match an existing collection id.", NULL);
	if (strcmp(orig_name, name) != 0 && name_unique(cv, name, NULL) &&
	    count_query(cv->in->db,
	                "SELECT count(*) FROM sqlite_schema WHERE type IN ('table', 'view') AND LOWER(name) = LOWER(?1)",
	                name, NULL) > 0)
		return pb_cv_item("validation_collection_name_invalid",
		                  "The name shouldn't match with an existing internal table.", NULL);
	return NULL;
}

/* ---- fields --------------------------------------------------------------------------------- */

static json_t *indexed(size_t i, json_t *v)
{
	char key[24];
	snprintf(key, sizeof key, "%zu", i);
	json_t *o = json_object();
	json_object_set_new(o, key, v);
	return o;
}

static json_t *keyed(const char *key, json_t *v)
{
	json_t *o = json_object();
	json_object_set_new(o, key, v);
	return o;
}

/* Go's %q of a string (ASCII-printable subset; other bytes as \xNN). */
static void go_quote(struct pb_strbuf *b, const char *s)
{
	pb_strbuf_putc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			pb_strbuf_printf(b, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			pb_strbuf_printf(b, "\\x%02x", *p);
		else
			pb_strbuf_putc(b, (char)*p);
	}
	pb_strbuf_putc(b, '"');
}

static json_t *field_duplicates(const json_t *fields)
{
	size_t i, j;
	json_t *f, *g;
	json_array_foreach(fields, i, f)
	{
		const char *id = pb_fjson_str(f, "id"), *name = pb_fjson_str(f, "name");
		for (j = 0; j < i; j++) {
			g = json_array_get(fields, j);
			if (!strcmp(pb_fjson_str(g, "id"), id)) {
				struct pb_strbuf m = PB_STRBUF_INIT;
				pb_strbuf_puts(&m, "Duplicated or invalid field id ");
				go_quote(&m, id);
				json_t *e = pb_cv_item("validation_duplicated_field_id", pb_strbuf_cstr(&m), NULL);
				pb_strbuf_deinit(&m);
				return indexed(i, keyed("id", e));
			}
		}
		for (j = 0; j < i; j++) {
			g = json_array_get(fields, j);
			if (!strcasecmp(pb_fjson_str(g, "name"), name))
				return indexed(i, keyed("name", pb_cv_item("validation_duplicated_field_name",
				                                           "Duplicated or invalid field name {{.fieldName}}",
				                                           json_pack("{ss}", "fieldName", name))));
		}
	}
	return NULL;
}

static const json_t *typed(const json_t *fields, const char *name, const char *type)
{
	const json_t *f = pb_fields_by_name(fields, name);
	return f && !strcmp(pb_fjson_str(f, "type"), type) ? f : NULL;
}

static json_t *min_fields(const struct pb_cv *cv, const json_t *fields)
{
	if (!json_array_size(fields))
		return pb_validation_item(PB_VCODE_REQUIRED, PB_VMSG_REQUIRED, NULL);
	const json_t *id = typed(fields, "id", "text");
	if (!id || !pb_fjson_bool(id, "primaryKey"))
		return pb_cv_item("validation_missing_primary_key", "Missing or invalid \"id\" PK field.", NULL);
	if (pb_collection_doc_type(cv->doc) != PB_COLLECTION_AUTH)
		return NULL;
	static const struct {
		const char *name, *type;
		bool hidden;
	} req[] = {{"password", "password", true},
	           {"tokenKey", "text", true},
	           {"email", "email", false},
	           {"emailVisibility", "bool", false},
	           {"verified", "bool", false}};
	for (size_t i = 0; i < sizeof req / sizeof req[0]; i++) {
		const json_t *f = typed(fields, req[i].name, req[i].type);
		char code[64], msg[96];
		if (!f) {
			snprintf(code, sizeof code, "validation_missing_%s_field", req[i].name);
			snprintf(msg, sizeof msg, "System \"%s\" field is required.", req[i].name);
			return pb_cv_item(code, msg, NULL);
		}
		if (req[i].hidden && (!pb_fjson_bool(f, "hidden") || !pb_fjson_bool(f, "system")))
			return keyed(req[i].name, pb_cv_item("validation_must_be_system_and_hidden",
			                                     "The field must be marked as \"System\" and \"Hidden\".", NULL));
		if (!req[i].hidden && !pb_fjson_bool(f, "system"))
			return keyed(req[i].name,
			             pb_cv_item("validation_must_be_system", "The field must be marked as \"System\".", NULL));
	}
	return NULL;
}

static json_t *system_fields_change(const struct pb_cv *cv, const json_t *fields)
{
	if (cv->orig_new)
		return NULL;
	size_t i;
	json_t *old;
	json_array_foreach(json_object_get(cv->orig, "fields"), i, old)
	{
		if (!pb_fjson_bool(old, "system"))
			continue;
		const json_t *nf = pb_fields_by_id(fields, pb_fjson_str(old, "id"));
		if (!nf || strcmp(pb_fjson_str(old, "name"), pb_fjson_str(nf, "name")) != 0)
			return pb_cv_item("validation_system_field_change", "System fields cannot be deleted or renamed.", NULL);
	}
	return NULL;
}

/* A per-field check over all fields: an object of index → error, or NULL when none fails. */
static json_t *collect(json_t *errs)
{
	if (json_object_size(errs))
		return errs;
	json_decref(errs);
	return NULL;
}

static json_t *fields_type_change(const struct pb_cv *cv, const json_t *fields)
{
	json_t *errs = json_object();
	size_t i;
	json_t *f;
	json_array_foreach(fields, i, f)
	{
		const json_t *old = cv->orig_new ? NULL : pb_fields_by_id(json_object_get(cv->orig, "fields"), pb_fjson_str(f, "id"));
		if (old && strcmp(pb_fjson_str(old, "type"), pb_fjson_str(f, "type")) != 0) {
			json_t *one = indexed(i, pb_cv_item("validation_field_type_change", "Field type cannot be changed.", NULL));
			json_object_update(errs, one);
			json_decref(one);
		}
	}
	return collect(errs);
}

static json_t *reserved_auth_names(const json_t *fields)
{
	json_t *errs = json_object();
	size_t i;
	json_t *f;
	json_array_foreach(fields, i, f)
	{
		const char *n = pb_fjson_str(f, "name");
		if (!strcmp(n, "passwordConfirm") || !strcmp(n, "oldPassword")) {
			json_t *one = indexed(i, keyed("name", pb_cv_item("validation_reserved_field_name",
			                                                  "The field name is reserved and cannot be used.", NULL)));
			json_object_update(errs, one);
			json_decref(one);
		}
	}
	return collect(errs);
}

static json_t *field_validators(struct pb_cv *cv, const json_t *fields)
{
	json_t *errs = json_object();
	for (size_t i = 0; i < json_array_size(fields); i++) {
		json_t *e = pb_cv_field_settings(cv, i);
		if (e) {
			char key[24];
			snprintf(key, sizeof key, "%zu", i);
			json_object_set_new(errs, key, e);
		}
	}
	return collect(errs);
}

static json_t *fields_errors(struct pb_cv *cv)
{
	const json_t *fields = json_object_get(cv->doc, "fields");
	bool view = pb_collection_doc_type(cv->doc) == PB_COLLECTION_VIEW;
	json_t *e;
	if ((e = field_duplicates(fields)) || (e = min_fields(cv, fields)))
		return e;
	if (!view && ((e = system_fields_change(cv, fields)) || (e = fields_type_change(cv, fields))))
		return e;
	if (pb_collection_doc_type(cv->doc) == PB_COLLECTION_AUTH && (e = reserved_auth_names(fields)))
		return e;
	return field_validators(cv, fields);
}

/* ---- orchestration -------------------------------------------------------------------------- */

static void build_model(struct pb_cv *cv)
{
	cv->model = pb_collection_doc_build(cv->doc);
	const struct pb_schema *s = cv->in->schema;
	size_t n = s ? s->ncollections : 0;
	cv->rule_schema.refcount = 1;
	cv->rule_schema.collections = calloc(n + 1, sizeof *cv->rule_schema.collections);
	if (!cv->rule_schema.collections)
		abort();
	bool placed = false;
	for (size_t i = 0; i < n; i++) {
		struct pb_collection *c = s->collections[i];
		if (cv->model && !strcmp(c->id, cv->model->id)) {
			c = cv->model;
			placed = true;
		}
		cv->rule_schema.collections[cv->rule_schema.ncollections++] = c;
	}
	if (!placed && cv->model)
		cv->rule_schema.collections[cv->rule_schema.ncollections++] = cv->model;
}

static json_t *view_query_errors(struct pb_cv *cv)
{
	const char *q = pb_collection_doc_str(cv->doc, "viewQuery");
	json_t *e = pb_cv_required_str(q);
	if (e)
		return e;
	json_t *fields = NULL, *sample = NULL;
	struct pb_error err = PB_ERROR_INIT;
	if (pb_view_dry_run(cv->in->db, cv->in->schema, q, 10, &fields, &sample, &err) != 0) {
		char raw[512];
		snprintf(raw, sizeof raw, "%.500s", err.message);
		char msg[600];
		snprintf(msg, sizeof msg, "Invalid query - %s", raw);
		e = pb_validation_item("validation_invalid_view_query", msg, NULL);
	}
	json_decref(fields);
	json_decref(sample);
	pb_error_clear(&err);
	return e;
}

json_t *pb_collection_validate(const struct pb_collection_validate *in)
{
	struct pb_cv cv = {.in = in, .doc = in->doc, .orig = in->original, .orig_new = in->original == NULL};
	json_t *blank = NULL;
	if (!cv.orig) {
		blank = pb_collection_new_doc(pb_collection_doc_str(in->doc, "type"), "", NULL);
		cv.orig = blank ? blank : in->doc;
		pb_collection_refresh_generated_id(in->doc, in->autogen_id, in->db);
	}
	bool view = pb_collection_doc_type(in->doc) == PB_COLLECTION_VIEW;
	if (view) {
		json_t *partial = NULL;
		struct pb_error err = PB_ERROR_INIT;
		json_t *fields = pb_view_create_fields(in->db, in->schema, pb_collection_doc_str(in->doc, "viewQuery"),
		                                       &partial, &err);
		json_object_set_new(in->doc, "fields", fields ? fields : partial ? partial : json_array());
		pb_error_clear(&err);
	}
	build_model(&cv);

	json_t *errs = json_object();
	pb_cv_put(errs, "id", id_errors(&cv));
	if (!cv.orig_new && json_is_true(json_object_get(in->doc, "system")) != json_is_true(json_object_get(cv.orig, "system")))
		pb_cv_put(errs, "system", pb_cv_item("validation_collection_system_flag_change",
		                                     "System collection state cannot be changed.", NULL));
	pb_cv_put(errs, "type", type_errors(&cv));
	pb_cv_put(errs, "name", name_errors(&cv));
	pb_cv_put(errs, "fields", fields_errors(&cv));
	pb_cv_put(errs, "listRule", rule_errors(&cv, "listRule", false));
	pb_cv_put(errs, "viewRule", rule_errors(&cv, "viewRule", false));
	pb_cv_put(errs, "createRule", rule_errors(&cv, "createRule", view));
	pb_cv_put(errs, "updateRule", rule_errors(&cv, "updateRule", view));
	pb_cv_put(errs, "deleteRule", rule_errors(&cv, "deleteRule", view));
	pb_cv_put(errs, "indexes", pb_cv_check_indexes(&cv));
	if (pb_collection_doc_type(in->doc) == PB_COLLECTION_AUTH) {
		json_t *o = pb_cv_auth_options(&cv);
		json_object_update(errs, o);
		json_decref(o);
	} else if (view) {
		pb_cv_put(errs, "viewQuery", view_query_errors(&cv));
	}

	free(cv.rule_schema.collections);
	pb_collection_free(cv.model);
	json_decref(blank);
	return pb_validation_finish(errs);
}

char *pb_collection_validate_view_fields(sqlite3 *db, const struct pb_schema *schema, const char *name,
                                         const json_t *fields)
{
	json_t *doc = pb_collection_new_doc("view", name, NULL);
	if (!doc)
		return strdup("failed to build the view collection");
	json_object_set_new(doc, "fields", json_deep_copy(fields));
	struct pb_collection_validate in = {.db = db, .schema = schema, .doc = doc};
	struct pb_cv cv = {.in = &in, .doc = doc, .orig = doc, .orig_new = true};
	build_model(&cv);
	char *msg = NULL;
	for (size_t i = 0; i < json_array_size(fields) && !msg; i++) {
		json_t *e = pb_cv_field_settings(&cv, i);
		if (e) {
			struct pb_strbuf b = PB_STRBUF_INIT;
			pb_strbuf_puts(&b, "invalid field ");
			go_quote(&b, pb_fjson_str(json_array_get(fields, i), "name"));
			char *dump = json_dumps(e, JSON_COMPACT | JSON_SORT_KEYS);
			pb_strbuf_printf(&b, " (%zu): %s", i, dump ? dump : "");
			free(dump);
			json_decref(e);
			msg = pb_strbuf_steal(&b);
		}
	}
	free(cv.rule_schema.collections);
	pb_collection_free(cv.model);
	json_decref(doc);
	return msg;
}
