/* filter_request — `@request.*` identifiers, mirroring PocketBase's static request-info
 * resolution and its request-body special cases: context/method/query/headers/body values
 * become bound params (missing → NULL, :isset → TRUE/FALSE, :lower → LOWER(?)), numbers in
 * strings become floats when the key names a number field, @request.auth.<field> joins the
 * auth collection (`__auth_<name>`) unless it is id/collectionId/collectionName/email/
 * emailVisibility/verified, @request.body.<relation>.<path> joins the submitted ids, and the
 * body modifiers :each (json_each over the submitted values), :length (item count),
 * :lower and :changed (rewritten to `@request.body.f:isset = true && @request.body.f != f`). */
#include "collections/filter_internal.h"

#include <stdlib.h>
#include <string.h>

/* extractNestedVal: walks objects (keys) and arrays (non-negative indexes); a string met on
 * the way is decoded as JSON (PocketBase decodes JSON-raw body values). Returns a new
 * reference or NULL when the path does not exist. */
static json_t *extract(json_t *root, char **keys, size_t n)
{
	json_t *cur = json_incref(root);
	for (size_t i = 0; i < n; i++) {
		json_t *next = NULL;
		if (json_is_string(cur)) {
			json_t *dec = json_loadb(json_string_value(cur), json_string_length(cur), JSON_DECODE_ANY, NULL);
			json_decref(cur);
			cur = dec;
			if (!json_is_object(cur) && !json_is_array(cur)) {
				json_decref(cur);
				return NULL;
			}
		}
		if (json_is_object(cur)) {
			next = json_object_get(cur, keys[i]);
		} else if (json_is_array(cur)) {
			char *end;
			const char *k = keys[i];
			long idx = strtol(k, &end, 10);
			if (*k && *end == '\0' && idx >= 0 && (size_t)idx < json_array_size(cur))
				next = json_array_get(cur, (size_t)idx);
		}
		json_incref(next);
		json_decref(cur);
		cur = next;
		if (!cur)
			return NULL;
	}
	return cur;
}

static json_t *request_root(const struct pb_request_info *req, const char *key)
{
	if (strcmp(key, "context") == 0)
		return json_string(req->context ? req->context : "default");
	if (strcmp(key, "method") == 0)
		return json_string(req->method ? req->method : "");
	if (strcmp(key, "query") == 0)
		return json_incref(req->query);
	if (strcmp(key, "headers") == 0)
		return json_incref(req->headers);
	if (strcmp(key, "body") == 0)
		return json_incref(req->body);
	if (strcmp(key, "auth") == 0)
		return json_incref(req->auth);
	return NULL;
}

/* resolveStaticRequestField over path[0..n) (path[0] is context/method/query/…). */
static int static_field(struct fb_build *b, char **path, size_t n, struct fb_operand *out)
{
	char *last = NULL;
	const char *mod;
	if (fb_split_modifier(b, path[n - 1], &last, &mod) != 0)
		return -1;
	free(path[n - 1]);
	path[n - 1] = last;

	json_t *root = request_root(b->ctx->req, path[0]);
	json_t *v = NULL;
	bool found = false;
	if (n == 1) {
		found = root != NULL;
		v = json_incref(root);
	} else if (root) {
		v = extract(root, path + 1, n - 1);
		found = v != NULL;
	}
	json_decref(root);

	if (strcmp(mod, "isset") == 0) {
		json_decref(v);
		pb_strbuf_puts(&out->id, found ? "TRUE" : "FALSE");
		return 0;
	}
	if (*mod && strcmp(mod, "lower") != 0) {
		json_decref(v);
		return pb_error_set(b->err, 400, "Invalid filter: invalid modifier sequence %s:%s.", last, mod);
	}
	if (!v || json_is_null(v)) {
		json_decref(v);
		pb_strbuf_puts(&out->id, "NULL");
		return 0;
	}
	size_t idx;
	if (json_is_string(v)) {
		const struct pb_field *f = pb_collection_field(b->base, last);
		const char *s = json_string_value(v);
		char *end = NULL;
		double d = 0;
		bool num = false;
		if (f && f->type == PB_FIELD_NUMBER && *s) {
			d = strtod(s, &end);
			num = end && *end == '\0';
		}
		idx = num ? fb_param_float(b, d) : fb_param_text(b, s, json_string_length(v));
	} else if (json_is_boolean(v)) {
		idx = fb_param_int(b, json_is_true(v) ? 1 : 0);
	} else if (json_is_number(v)) {
		idx = fb_param_float(b, json_number_value(v));
	} else {
		char *enc = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
		idx = fb_param_text(b, enc ? enc : "", enc ? strlen(enc) : 0);
		free(enc);
	}
	json_decref(v);
	if (strcmp(mod, "lower") == 0) {
		pb_strbuf_puts(&out->id, "LOWER(");
		fb_mark(&out->id, idx);
		pb_strbuf_putc(&out->id, ')');
	} else {
		fb_mark(&out->id, idx);
	}
	return 0;
}

/* Joins collection c as r->alias ON r->alias.id<cond> (cond: "=?N" or " IN (…)") for the main
 * query and, in the same way, as r->mm_alias into r->mm.joins for the multi-match subquery
 * (`multiple`: the path is multi-valued), then resolves props[skip..n) from that collection. */
static int join_by_id(struct fb_build *b, struct fb_runner *r, const struct pb_collection *c,
                      const struct pb_strbuf *cond, bool multiple, char **props, size_t n, size_t skip,
                      struct fb_operand *out)
{
	struct pb_strbuf table = PB_STRBUF_INIT, on = PB_STRBUF_INIT;
	pb_sql_ident(&table, c->name);
	fb_col(&on, r->alias, "id");
	pb_strbuf_append(&on, cond->data, cond->len);
	int rc = fb_join(b, pb_strbuf_cstr(&table), r->alias, pb_strbuf_cstr(&on), c);
	if (rc == 0) {
		if (multiple)
			r->with_mm = true;
		pb_strbuf_puts(&r->mm.joins, "LEFT JOIN ");
		pb_strbuf_append(&r->mm.joins, table.data, table.len);
		pb_strbuf_putc(&r->mm.joins, ' ');
		pb_sql_ident(&r->mm.joins, r->mm_alias);
		pb_strbuf_puts(&r->mm.joins, " ON ");
		fb_col(&r->mm.joins, r->mm_alias, "id");
		pb_strbuf_append(&r->mm.joins, cond->data, cond->len);
		r->props = props + skip;
		r->nprops = n - skip;
		rc = fb_runner_process(r, out);
	}
	pb_strbuf_deinit(&table);
	pb_strbuf_deinit(&on);
	return rc;
}

static int auth_field(struct fb_build *b, const char *name, char **props, size_t n, struct fb_operand *out)
{
	const struct pb_request_info *req = b->ctx->req;
	const char *auth_id = json_string_value(json_object_get(req->auth, "id"));
	if (!req->auth || !req->auth_collection || !auth_id) {
		pb_strbuf_puts(&out->id, "NULL");
		return 0;
	}
	static const char *const plain[] = {"id", "collectionId", "collectionName", "email", "emailVisibility", "verified"};
	for (size_t i = 0; i < 6; i++)
		if (strcmp(name + 14, plain[i]) == 0)
			return static_field(b, props + 1, n - 1, out);

	const struct pb_collection *c = req->auth_collection;
	struct fb_runner r;
	fb_runner_init(&r, b);
	r.col = c;
	r.nullify_missing = true;
	free(r.alias);
	r.alias = fb_cat("__auth_", c->name, b->join_suffix, NULL);
	free(r.mm_alias);
	r.mm_alias = fb_cat("__mm_", r.alias, NULL, NULL);
	struct pb_strbuf cond = PB_STRBUF_INIT;
	pb_strbuf_putc(&cond, '=');
	fb_mark(&cond, fb_param_text(b, auth_id, strlen(auth_id)));
	int rc = join_by_id(b, &r, c, &cond, false, props, n, 2, out);
	pb_strbuf_deinit(&cond);
	fb_runner_deinit(&r);
	return rc;
}

/* list.ToUniqueStringSlice of a body value, empty strings dropped. Returns a new array. */
static json_t *unique_ids(json_t *v)
{
	json_t *out = json_array(), *src = NULL;
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		if (s[0] == '[')
			src = json_loads(s, 0, NULL);
		if (!json_is_array(src)) {
			json_decref(src);
			src = json_pack("[O]", v);
		}
	} else if (json_is_array(v)) {
		src = json_incref(v);
	} else if (v && !json_is_null(v)) {
		src = json_pack("[O]", v);
	}
	size_t i, k;
	json_t *it, *seen;
	json_array_foreach(src, i, it) {
		json_t *str = NULL;
		if (json_is_string(it)) {
			str = json_incref(it);
		} else if (json_is_number(it)) {
			char buf[400];
			fb_format_float(json_number_value(it), buf, sizeof buf);
			str = json_string(buf);
		} else if (json_is_boolean(it)) {
			str = json_string(json_is_true(it) ? "true" : "false");
		}
		if (!str || json_string_length(str) == 0) {
			json_decref(str);
			continue;
		}
		bool dup = false;
		json_array_foreach(out, k, seen) dup = dup || json_equal(seen, str);
		if (!dup)
			json_array_append(out, str);
		json_decref(str);
	}
	json_decref(src);
	return out;
}

static int body_relation(struct fb_build *b, const struct pb_field *f, char **props, size_t n, struct fb_operand *out)
{
	const struct pb_collection *rc_col = f->collection_id ? pb_schema_find(b->ctx->schema, f->collection_id) : NULL;
	if (f->collection_id && !rc_col && strcmp(f->collection_id, b->base->id) == 0)
		rc_col = b->base;
	if (!rc_col)
		return pb_error_set(b->err, 400, "Invalid filter: failed to load the collection of \"%s\".", f->name);
	json_t *ids = unique_ids(json_object_get(b->ctx->req->body, f->name));
	if (json_array_size(ids) == 0) {
		json_decref(ids);
		pb_strbuf_puts(&out->id, "NULL");
		return 0;
	}
	struct fb_runner r;
	fb_runner_init(&r, b);
	r.col = rc_col;
	r.nullify_missing = true;
	free(r.alias);
	r.alias = fb_cat("__data_", rc_col->name, "_", f->name);
	char *full = fb_cat(r.alias, b->join_suffix, NULL, NULL);
	free(r.alias);
	r.alias = full;
	free(r.mm_alias);
	r.mm_alias = fb_cat("__mm_", r.alias, NULL, NULL);

	struct pb_strbuf in = PB_STRBUF_INIT;
	size_t i;
	json_t *it;
	if (json_array_size(ids) == 1) {
		pb_strbuf_putc(&in, '=');
		fb_mark(&in, fb_param_text(b, json_string_value(json_array_get(ids, 0)),
		                           json_string_length(json_array_get(ids, 0))));
	} else {
		pb_strbuf_puts(&in, " IN (");
		json_array_foreach(ids, i, it) {
			if (i)
				pb_strbuf_puts(&in, ", ");
			fb_mark(&in, fb_param_text(b, json_string_value(it), json_string_length(it)));
		}
		pb_strbuf_putc(&in, ')');
	}
	json_decref(ids);
	int rc = join_by_id(b, &r, rc_col, &in, pb_field_is_multiple(f), props, n, 3, out);
	pb_strbuf_deinit(&in);
	fb_runner_deinit(&r);
	return rc;
}

/* toSlice + json.Marshal of the submitted value. Newly allocated. */
static char *body_items_json(json_t *v, size_t *count)
{
	json_t *arr;
	if (!v || json_is_null(v))
		arr = json_array();
	else if (json_is_array(v))
		arr = json_incref(v);
	else
		arr = json_pack("[O]", v);
	*count = json_array_size(arr);
	char *s = json_dumps(arr, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(arr);
	return s ? s : strdup("[]");
}

static int body_each(struct fb_build *b, const struct pb_field *f, struct fb_operand *out)
{
	if (!fb_is_multivaluer(f))
		return pb_error_set(b->err, 400, "Invalid filter: field \"%s\" doesn't support multivalue operations.", f->name);
	size_t count;
	char *items = body_items_json(json_object_get(b->ctx->req->body, f->name), &count);
	size_t idx = fb_param_text(b, items, strlen(items));
	free(items);
	char *alias = fb_cat("__dataEach_je_", f->name, b->join_suffix, NULL);
	struct pb_strbuf table = PB_STRBUF_INIT;
	pb_strbuf_puts(&table, "json_each(");
	fb_mark(&table, idx);
	pb_strbuf_putc(&table, ')');
	int rc = fb_join(b, pb_strbuf_cstr(&table), alias, NULL, NULL);
	if (rc == 0) {
		fb_col(&out->id, alias, "value");
		out->extra_params = 1;
		if (pb_field_is_multiple(f)) {
			struct fb_runner r;
			fb_runner_init(&r, b);
			char *alias2 = fb_cat("__mm_", alias, NULL, NULL);
			pb_strbuf_puts(&r.mm.joins, "LEFT JOIN ");
			pb_strbuf_append(&r.mm.joins, table.data, table.len);
			pb_strbuf_putc(&r.mm.joins, ' ');
			pb_sql_ident(&r.mm.joins, alias2);
			fb_col(&r.mm.value, alias2, "value");
			out->mm = r.mm;
			out->mm.active = true;
			memset(&r.mm, 0, sizeof r.mm);
			fb_runner_deinit(&r);
			free(alias2);
		}
	}
	pb_strbuf_deinit(&table);
	free(alias);
	return rc;
}

static int body_changed(struct fb_build *b, const struct pb_field *f, struct fb_operand *out)
{
	struct pb_strbuf src = PB_STRBUF_INIT;
	pb_strbuf_printf(&src, "@request.body.%s:isset = true && @request.body.%s != %s", f->name, f->name, f->name);
	int budget = PB_FILTER_MAX_EXPRESSIONS;
	int rc = fb_build_string(b, src.data, src.len, &out->id, &budget);
	pb_strbuf_deinit(&src);
	out->fallback = FB_DISABLED;
	out->opaque = true;
	return rc;
}

static int body_field(struct fb_build *b, char **props, size_t n, struct fb_operand *out, bool *handled)
{
	char *name = NULL;
	const char *mod;
	*handled = false;
	if (fb_split_modifier(b, props[2], &name, &mod) != 0)
		return -1;
	const struct pb_field *f = pb_collection_field(b->base, name);
	free(name);
	if (!f)
		return 0;
	if (f->type == PB_FIELD_RELATION && n > 3) {
		*handled = true;
		return body_relation(b, f, props, n, out);
	}
	if (n != 3)
		return 0;
	*handled = true;
	json_t *v = json_object_get(b->ctx->req->body, f->name);
	if (strcmp(mod, "each") == 0)
		return body_each(b, f, out);
	if (strcmp(mod, "length") == 0) {
		if (!fb_is_multivaluer(f))
			return pb_error_set(b->err, 400, "Invalid filter: field \"%s\" doesn't support multivalue operations.",
			                    f->name);
		size_t count;
		free(body_items_json(v, &count));
		pb_strbuf_printf(&out->id, "%zu", count);
		return 0;
	}
	if (strcmp(mod, "lower") == 0) {
		char buf[400];
		const char *s = "";
		size_t len = 0;
		if (json_is_string(v)) {
			s = json_string_value(v);
			len = json_string_length(v);
		} else if (json_is_number(v)) {
			fb_format_float(json_number_value(v), buf, sizeof buf);
			s = buf;
			len = strlen(buf);
		} else if (json_is_boolean(v)) {
			s = json_is_true(v) ? "true" : "false";
			len = strlen(s);
		}
		pb_strbuf_puts(&out->id, "LOWER(");
		fb_mark(&out->id, fb_param_text(b, s, len));
		pb_strbuf_putc(&out->id, ')');
		return 0;
	}
	if (strcmp(mod, "changed") == 0)
		return body_changed(b, f, out);
	*handled = false;
	return 0;
}

int fb_resolve_request(struct fb_build *b, const char *name, struct fb_operand *out)
{
	if (!b->ctx->req) {
		pb_strbuf_puts(&out->id, "NULL");
		return 0;
	}
	if (b->ctx->trace)
		pb_filter_trace_request(b->ctx->trace, b->ctx->req, name);
	size_t n;
	char **props = fb_split_dots(name, &n);
	int rc;
	if (strncmp(name, "@request.auth.", 14) == 0) {
		rc = auth_field(b, name, props, n, out);
	} else {
		bool handled = false;
		rc = 0;
		if (strncmp(name, "@request.body.", 14) == 0 && n > 2)
			rc = body_field(b, props, n, out, &handled);
		if (rc == 0 && !handled)
			rc = static_field(b, props + 1, n - 1, out);
	}
	fb_free_props(props, n);
	return rc;
}
