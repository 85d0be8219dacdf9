/* collection_import — PUT /api/collections/import as one writer job, like PocketBase's
 * ImportCollections (core/collection_import.go): each entry is bound onto the stored
 * collection it names (by id, else by name; with deleteMissing, absent fields are cleared and
 * only system fields of the stored collection are kept, otherwise every stored field the
 * entry does not list is kept) or onto a new collection of its type; views are saved last,
 * then by created/updated date; with deleteMissing every other non-system collection is
 * deleted first (no reference checks); every entry is saved without validation and finally
 * all of them are validated against the imported state. Any failure rolls the whole import
 * back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collections/collection_bind.h"
#include "collections/collection_defaults.h"
#include "collections/collection_doc.h"
#include "collections/collection_save_internal.h"
#include "collections/collection_validate.h"
#include "collections/field_settings.h"
#include "core/json_write.h"
#include "core/strbuf.h"

struct import_item {
	json_t *doc;       /* owned */
	json_t *original;  /* owned: the stored state before the import (NULL for new ones) */
	char *autogen;     /* owned: checksum id of a new doc's factory, or NULL */
	bool is_new;
};

/* cast.ToString of an identifier value: strings as they are, numbers formatted, else "". */
static char *to_string(const json_t *v)
{
	if (json_is_string(v))
		return strdup(json_string_value(v));
	if (json_is_number(v)) {
		char buf[PB_JSON_FLOAT_MAX];
		pb_json_format_float(json_number_value(v), buf, sizeof buf);
		return strdup(buf);
	}
	if (json_is_true(v))
		return strdup("true");
	if (json_is_false(v))
		return strdup("false");
	return strdup("");
}

static int raw_failure(struct pb_error *err, const char *raw)
{
	struct pb_strbuf m = PB_STRBUF_INIT;
	pb_strbuf_printf(&m, "Failed to import the collections configuration. Raw error:\n%s", raw);
	json_t *item = json_pack("{ssss}", "code", "validation_collections_import_failure", "message", "");
	char text[PB_ERROR_MSG_MAX * 2];
	pb_sentenize(pb_strbuf_cstr(&m), text, sizeof text);
	json_object_set_new(item, "message", json_string(text));
	pb_strbuf_deinit(&m);
	pb_error_clear(err);
	pb_error_set(err, 400, "%s", PB_MSG_COLLECTIONS_IMPORT_FAILED);
	err->data = json_pack("{so}", "collections", item);
	return -1;
}

/* Loads one entry onto its doc. Returns 0 or -1 with the raw error text in err. */
static int load_item(const struct pb_schema *schema, const json_t *data, bool delete_missing, struct import_item *it,
                     struct pb_error *err)
{
	if (!json_is_object(data))
		return pb_error_set(err, 400, "json: cannot unmarshal the collection data into a collection object");
	char *ident = to_string(json_object_get(data, "id"));
	if (!*ident) {
		free(ident);
		ident = to_string(json_object_get(data, "name"));
	}
	const struct pb_collection *existing = *ident ? pb_schema_find(schema, ident) : NULL;
	free(ident);
	if (existing) {
		it->doc = pb_collection_doc_from(existing);
		it->original = pb_collection_doc_from(existing);
		json_t *copy = json_deep_copy(data);
		json_t *fv = json_object_get(copy, "fields");
		if (delete_missing && (!fv || json_is_null(fv)))
			json_object_set_new(copy, "fields", json_array());
		int rc = pb_collection_bind(it->doc, copy);
		json_decref(copy);
		if (rc != 0)
			return pb_error_set(err, 400, "json: cannot unmarshal the collection data (invalid value types)");
		json_t *fields = json_object_get(it->doc, "fields");
		size_t i;
		json_t *f;
		json_array_foreach(json_object_get(it->original, "fields"), i, f)
		{
			if (!pb_fjson_bool(f, "system") && delete_missing)
				continue;
			if (pb_fields_by_id(fields, pb_fjson_str(f, "id")))
				continue;
			json_t *found = pb_fields_by_name(fields, pb_fjson_str(f, "name"));
			if (found && !strcmp(pb_fjson_str(found, "type"), pb_fjson_str(f, "type")))
				json_object_set_new(found, "id", json_string(pb_fjson_str(f, "id")));
			pb_fields_list_add(fields, json_deep_copy(f));
		}
		return 0;
	}
	static const struct pb_go_field minimal_schema[] = {{"type", PB_GO_STRING, NULL, false},
	                                                    {"name", PB_GO_STRING, NULL, false},
	                                                    {"id", PB_GO_STRING, NULL, false},
	                                                    {NULL, 0, NULL, false}};
	json_t *minimal = pb_go_zero(minimal_schema);
	if (pb_go_decode(minimal_schema, minimal, data) != 0) {
		json_decref(minimal);
		return pb_error_set(err, 400, "json: cannot unmarshal the collection type, name or id");
	}
	const char *id = pb_collection_doc_str(minimal, "id");
	it->doc = pb_collection_new_doc(pb_collection_doc_str(minimal, "type"), pb_collection_doc_str(minimal, "name"), id);
	it->is_new = true;
	if (it->doc && !*id)
		it->autogen = strdup(pb_collection_doc_str(it->doc, "id"));
	json_decref(minimal);
	if (!it->doc)
		return pb_error_set(err, 400, "failed to generate the token secrets");
	if (pb_collection_bind(it->doc, data) != 0)
		return pb_error_set(err, 400, "json: cannot unmarshal the collection data (invalid value types)");
	return 0;
}

/* The import order: non-views first, then by created, then by updated (a stable sort). */
static int order_cmp(const struct import_item *a, const struct import_item *b)
{
	int va = pb_collection_doc_type(a->doc) == PB_COLLECTION_VIEW, vb = pb_collection_doc_type(b->doc) == PB_COLLECTION_VIEW;
	if (va != vb)
		return va - vb;
	int c = strcmp(pb_collection_doc_str(a->doc, "created"), pb_collection_doc_str(b->doc, "created"));
	if (c)
		return c;
	return strcmp(pb_collection_doc_str(a->doc, "updated"), pb_collection_doc_str(b->doc, "updated"));
}

/* Go's %q-ish quoting of a name for the validation failure message. */
static void quoted(struct pb_strbuf *b, const char *s)
{
	pb_strbuf_putc(b, '"');
	for (const char *p = s; *p; p++) {
		if (*p == '"' || *p == '\\')
			pb_strbuf_putc(b, '\\');
		pb_strbuf_putc(b, *p);
	}
	pb_strbuf_putc(b, '"');
}

/* ozzo's Errors JSON: every item reduced to its message. */
static json_t *messages_only(const json_t *tree)
{
	json_t *out = json_object();
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)tree, k, v)
	{
		json_t *msg = json_object_get(v, "message");
		json_t *code = json_object_get(v, "code");
		if (json_is_string(msg) && json_is_string(code))
			json_object_set(out, k, msg);
		else
			json_object_set_new(out, k, messages_only(v));
	}
	return out;
}

static int validation_failure(struct pb_error *err, const json_t *doc, const json_t *tree)
{
	struct pb_strbuf m = PB_STRBUF_INIT;
	pb_strbuf_puts(&m, "Data validations failed for collection ");
	quoted(&m, pb_collection_doc_str(doc, "name"));
	pb_strbuf_printf(&m, " (%s):\n", pb_collection_doc_str(doc, "id"));
	json_t *msgs = messages_only(tree);
	char *dump = json_dumps(msgs, JSON_INDENT(2) | JSON_SORT_KEYS);
	pb_strbuf_puts(&m, dump ? dump : "{}");
	free(dump);
	json_decref(msgs);
	char *text = malloc(m.len + 2);
	if (!text)
		abort();
	pb_sentenize(pb_strbuf_cstr(&m), text, m.len + 2);
	pb_strbuf_deinit(&m);
	pb_error_clear(err);
	pb_error_set(err, 400, "%s", PB_MSG_COLLECTIONS_IMPORT_FAILED);
	err->data = json_pack("{s{ssss}}", "collections", "code", "validation_collections_import_failure", "message", text);
	free(text);
	return -1;
}

static int reload(struct pb_write_ctx *w, struct pb_schema **schema)
{
	struct pb_schema *s = pb_cs_load_schema(w);
	if (!s)
		return -1;
	pb_schema_unref(*schema);
	*schema = s;
	return 0;
}

int pb_collections_import_run(struct pb_write_ctx *w, void *arg)
{
	struct pb_collection_save *s = arg;
	pb_collection_save_deinit(s);
	pb_record_save_init(&s->rec);
	s->db = w->db;
	size_t n = json_array_size(s->import);
	if (!n)
		return raw_failure(w->err, "no collections to import");
	struct pb_schema *schema = pb_cs_load_schema(w);
	if (!schema)
		return -1;
	struct import_item *items = calloc(n, sizeof *items);
	if (!items)
		abort();
	int rc = -1;
	struct pb_error e = PB_ERROR_INIT;
	for (size_t i = 0; i < n; i++)
		if (load_item(schema, json_array_get(s->import, i), s->delete_missing, &items[i], &e) != 0) {
			raw_failure(w->err, e.message);
			goto done;
		}
	for (size_t i = 1; i < n; i++) /* insertion sort: stable */
		for (size_t j = i; j > 0 && order_cmp(&items[j - 1], &items[j]) > 0; j--) {
			struct import_item t = items[j];
			items[j] = items[j - 1];
			items[j - 1] = t;
		}

	if (s->delete_missing) {
		/* existing collections in `updated` order, as upstream iterates them */
		sqlite3_stmt *st = NULL;
		json_t *ids = json_array();
		if (sqlite3_prepare_v2(w->db, "SELECT `id` FROM `_collections` ORDER BY `updated` ASC", -1, &st, NULL) ==
		    SQLITE_OK)
			while (sqlite3_step(st) == SQLITE_ROW)
				json_array_append_new(ids, json_string((const char *)sqlite3_column_text(st, 0)));
		sqlite3_finalize(st);
		size_t k;
		json_t *idv;
		json_array_foreach(ids, k, idv)
		{
			const struct pb_collection *c = pb_schema_find_by_id(schema, json_string_value(idv));
			bool imported = false;
			for (size_t i = 0; i < n && !imported; i++)
				imported = !strcmp(pb_collection_doc_str(items[i].doc, "id"), json_string_value(idv));
			if (!c || imported || c->system)
				continue;
			if (pb_cs_delete(w, s, schema, c, false) != 0) {
				snprintf(e.message, sizeof e.message, "%s", w->err->message);
				json_decref(ids);
				raw_failure(w->err, e.message);
				goto done;
			}
		}
		json_decref(ids);
		if (reload(w, &schema) != 0)
			goto done;
	}

	for (size_t i = 0; i < n; i++) {
		const struct pb_collection *old =
			items[i].is_new ? NULL : pb_schema_find_by_id(schema, pb_collection_doc_str(items[i].doc, "id"));
		const struct pb_cs_opts o = {.validate = false,
		                             .is_new = old == NULL,
		                             .autogen_id = items[i].autogen,
		                             .integrity_checks = true};
		if (pb_cs_save_doc(w, s, schema, items[i].doc, old, &o) != 0) {
			if (w->err->data && !w->err->message[0]) { /* index errors stay a validation tree */
				pb_error_set(w->err, 400, "%s", PB_MSG_COLLECTIONS_IMPORT_FAILED);
				goto done;
			}
			struct pb_strbuf m = PB_STRBUF_INIT;
			pb_strbuf_puts(&m, "failed to save collection ");
			quoted(&m, pb_collection_doc_str(items[i].doc, "name"));
			pb_strbuf_printf(&m, ": %s", w->err->message);
			raw_failure(w->err, pb_strbuf_cstr(&m));
			pb_strbuf_deinit(&m);
			goto done;
		}
		if (reload(w, &schema) != 0)
			goto done;
	}

	for (size_t i = 0; i < n; i++) {
		json_t *doc = json_deep_copy(items[i].doc);
		struct pb_collection_validate in = {.db = w->db,
		                                    .schema = schema,
		                                    .doc = doc,
		                                    .original = items[i].original ? items[i].original : items[i].doc};
		json_t *errs = pb_collection_validate(&in);
		if (errs) {
			validation_failure(w->err, doc, errs);
			json_decref(errs);
			json_decref(doc);
			goto done;
		}
		json_decref(doc);
	}
	rc = 0;
done:
	pb_error_clear(&e);
	for (size_t i = 0; i < n; i++) {
		json_decref(items[i].doc);
		json_decref(items[i].original);
		free(items[i].autogen);
	}
	free(items);
	pb_schema_unref(schema);
	return rc;
}
