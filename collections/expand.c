/* expand — relation expansion of loaded records (see expand.h). One call of expand_level
 * mirrors one recursion of PocketBase's expandRecords: resolve the first path segment on the
 * records' collection, collect the unique related ids, fetch them once with the viewRule,
 * recurse into the fetched records for the rest of the path, export them for the requester,
 * then attach them to every record (single object or array), merging what earlier paths
 * expanded below the same relation (Record.MergeExpand). */
#include "collections/expand.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "collections/index_parse.h"
#include "collections/query.h"
#include "collections/record_export.h"
#include "collections/record_rule.h"

/* Inserts key → value (stolen) keeping the object's keys in byte-wise order: the keys that
 * sort after `key` are taken out and re-appended behind it (jansson keeps insertion order).
 * An existing key is replaced in place.
 * TODO(json_write): switch to pb_json_object_set_sorted_new() from core/json_write.h once it
 * is on main. */
static void set_sorted_new(json_t *obj, const char *key, json_t *value)
{
	if (json_object_get(obj, key)) {
		json_object_set_new(obj, key, value);
		return;
	}
	json_t *moved = json_object();
	const char *k;
	json_t *v;
	void *tmp;
	json_object_foreach_safe(obj, tmp, k, v)
	{
		if (strcmp(k, key) > 0) {
			json_object_set(moved, k, v);
			json_object_del(obj, k);
		}
	}
	json_object_set_new(obj, key, value);
	json_object_foreach(moved, k, v)
	{
		json_object_set(obj, k, v);
	}
	json_decref(moved);
}

static const char *rec_id(json_t *rec) { return json_string_value(json_object_get(rec, "id")); }

/* Appends s to the ordered set (out array + seen object) unless empty or already there. */
static void add_unique(json_t *out, json_t *seen, const char *s)
{
	if (!s || !*s || json_object_get(seen, s))
		return;
	json_object_set_new(seen, s, json_true());
	json_array_append_new(out, json_string(s));
}

/* Record.GetStringSlice of a relation value as exported: non-empty unique strings. */
static json_t *ids_of(json_t *v)
{
	json_t *out = json_array(), *seen = json_object();
	if (json_is_string(v)) {
		add_unique(out, seen, json_string_value(v));
	} else if (json_is_array(v)) {
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e)
		{
			add_unique(out, seen, json_string_value(e));
		}
	}
	json_decref(seen);
	return out;
}

static bool is_word(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (!(ch == '_' || (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')))
			return false;
	}
	return true;
}

/* `^(\w+)\((\w+)\)$` when seg has a '(' , else `^(\w+)_via_(\w+)$` (greedy first group: the
 * last "_via_" that leaves a non-empty field name). Returns true with newly allocated parts. */
static bool match_back_relation(const char *seg, char **coll, char **field)
{
	size_t n = strlen(seg);
	const char *open = strchr(seg, '(');
	if (open) {
		size_t a = (size_t)(open - seg);
		if (n < a + 3 || seg[n - 1] != ')' || !is_word(seg, a) || !is_word(open + 1, n - a - 2))
			return false;
		*coll = strndup(seg, a);
		*field = strndup(open + 1, n - a - 2);
		return true;
	}
	if (!is_word(seg, n) || n < 7)
		return false;
	for (size_t k = n - 6; k >= 1; k--) {
		if (memcmp(seg + k, "_via_", 5) == 0) {
			*coll = strndup(seg, k);
			*field = strdup(seg + k + 5);
			return true;
		}
	}
	return false;
}

struct rel_path {
	const char *name;                /* the expand key (the segment) */
	const struct pb_collection *rc;  /* related collection */
	const struct pb_field *field;    /* direct relation field, or NULL for a back-relation */
	bool multiple;
	json_t *back_ids;                /* back-relation: one array of ids per record */
};

/* The ids of `other` whose relation field f points at each record (LIMIT 1000 each). */
static json_t *back_relation_ids(const struct pb_read_ctx *ctx, const struct pb_collection *other,
                                 const struct pb_field *f, json_t *records)
{
	struct pb_strbuf sql = PB_STRBUF_INIT;
	pb_strbuf_puts(&sql, "SELECT ");
	pb_sql_ident(&sql, "id");
	pb_strbuf_puts(&sql, " FROM ");
	pb_sql_ident(&sql, other->name);
	pb_strbuf_puts(&sql, " WHERE ");
	if (pb_field_is_multiple(f)) {
		pb_strbuf_puts(&sql, "EXISTS (SELECT 1 FROM json_each(CASE WHEN iif(json_valid(");
		pb_sql_ident(&sql, f->name);
		pb_strbuf_puts(&sql, "), json_type(");
		pb_sql_ident(&sql, f->name);
		pb_strbuf_puts(&sql, ")='array', FALSE) THEN ");
		pb_sql_ident(&sql, f->name);
		pb_strbuf_puts(&sql, " ELSE json_array(");
		pb_sql_ident(&sql, f->name);
		pb_strbuf_puts(&sql, ") END) je WHERE je.value = ?1)");
	} else {
		pb_sql_ident(&sql, f->name);
		pb_strbuf_puts(&sql, " = ?1");
	}
	pb_strbuf_printf(&sql, " LIMIT %d", PB_EXPAND_BACK_RELATION_LIMIT);
	sqlite3_stmt *st = pb_stmt_cache_get(ctx->stmts, pb_strbuf_cstr(&sql), sql.len);
	pb_strbuf_deinit(&sql);
	if (!st)
		return NULL;
	json_t *out = json_array();
	size_t i;
	json_t *rec;
	json_array_foreach(records, i, rec)
	{
		json_t *ids = json_array();
		const char *id = rec_id(rec);
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, id ? id : "", -1, SQLITE_TRANSIENT);
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			const char *t = (const char *)sqlite3_column_text(st, 0);
			json_array_append_new(ids, json_string(t ? t : ""));
		}
		json_array_append_new(out, ids);
		if (rc != SQLITE_DONE) {
			json_decref(out);
			out = NULL;
			break;
		}
	}
	pb_stmt_cache_release(ctx->stmts, st);
	return out;
}

/* Resolves the first segment on c: a back-relation or a direct relation field. 0 / -1. */
static int resolve(const struct pb_read_ctx *ctx, const struct pb_collection *c, const char *seg, json_t *records,
                   struct rel_path *rp)
{
	memset(rp, 0, sizeof *rp);
	rp->name = seg;
	char *coll = NULL, *fname = NULL;
	if (match_back_relation(seg, &coll, &fname)) {
		const struct pb_collection *other = pb_schema_find(ctx->schema, coll);
		const struct pb_field *f = other ? pb_collection_field(other, fname) : NULL;
		int rc = -1;
		if (f && f->type == PB_FIELD_RELATION && f->collection_id && !strcmp(f->collection_id, c->id)) {
			rp->back_ids = back_relation_ids(ctx, other, f, records);
			rp->rc = other;
			rp->multiple = !pb_collection_has_unique_index(other, f->name);
			rc = rp->back_ids ? 0 : -1;
		}
		free(coll);
		free(fname);
		return rc;
	}
	const struct pb_field *f = pb_collection_field(c, seg);
	if (!f || f->type != PB_FIELD_RELATION || !f->collection_id)
		return -1;
	rp->field = f;
	rp->rc = pb_schema_find(ctx->schema, f->collection_id);
	rp->multiple = pb_field_is_multiple(f);
	return rp->rc ? 0 : -1;
}

static json_t *model_ids(const struct rel_path *rp, json_t *model, size_t i)
{
	if (rp->back_ids)
		return json_incref(json_array_get(rp->back_ids, i));
	return ids_of(json_object_get(model, rp->field->name));
}

/* The expand fetch: the related records with the viewRule for the requester, or NULL when the
 * path must fail (null viewRule for a non-superuser, rule or query errors). */
static json_t *fetch_rels(const struct pb_read_ctx *ctx, const struct pb_collection *rc, json_t *ids)
{
	const char *rule = NULL;
	if (!ctx->req || !ctx->req->superuser) {
		rule = rc->rules[PB_RULE_VIEW];
		if (!rule)
			return NULL; /* only superusers can view the collection's records */
	}
	struct pb_error err = PB_ERROR_INIT;
	json_t *rels = pb_records_fetch_by_ids(ctx, rc, ids, rule, &err);
	pb_error_clear(&err);
	return rels;
}

/* Record.MergeExpand: merges the expand object m (borrowed) into record t. */
static void merge_expand(json_t *t, json_t *m)
{
	if (!json_is_object(m) || json_object_size(m) == 0)
		return;
	json_t *texp = json_object_get(t, "expand");
	if (!json_is_object(texp)) {
		set_sorted_new(t, "expand", json_copy(m));
		return;
	}
	const char *key;
	json_t *nv;
	json_object_foreach(m, key, nv)
	{
		json_t *ov = json_object_get(texp, key);
		if (!ov) {
			set_sorted_new(texp, key, json_incref(nv));
			continue;
		}
		if (!json_is_array(ov) && !json_is_object(ov)) {
			json_object_set(texp, key, nv);
			continue;
		}
		if (!json_is_array(nv) && !json_is_object(nv))
			continue;
		bool was_old_slice = json_is_array(ov), was_new_slice = json_is_array(nv);
		json_t *olds = was_old_slice ? json_copy(ov) : json_pack("[O]", ov);
		json_t *news = was_new_slice ? json_incref(nv) : json_pack("[O]", nv);
		size_t nold = json_array_size(olds), i;
		json_t *nrec;
		json_array_foreach(news, i, nrec)
		{
			json_t *match = NULL;
			const char *nid = rec_id(nrec);
			for (size_t k = 0; k < nold && !match && nid; k++) {
				const char *oid = rec_id(json_array_get(olds, k));
				if (oid && !strcmp(oid, nid))
					match = json_array_get(olds, k);
			}
			if (match && match != nrec)
				merge_expand(match, json_object_get(nrec, "expand"));
			else if (!match)
				json_array_append(olds, nrec);
		}
		if (was_old_slice || was_new_slice || json_array_size(olds) == 0)
			json_object_set(texp, key, olds);
		else
			json_object_set(texp, key, json_array_get(olds, 0));
		json_decref(olds);
		json_decref(news);
	}
}

/* Attaches the fetched rels (indexed by id) to each model of the level. */
static void attach(const struct rel_path *rp, json_t *records, json_t *index)
{
	size_t i;
	json_t *model;
	json_array_foreach(records, i, model)
	{
		json_t *exp = json_object_get(model, "expand");
		if (!json_is_object(exp)) {
			exp = json_object();
			set_sorted_new(model, "expand", exp);
		}
		json_t *ids = model_ids(rp, model, i), *valid = json_array();
		size_t k;
		json_t *id;
		json_array_foreach(ids, k, id)
		{
			json_t *rel = json_object_get(index, json_string_value(id));
			if (rel)
				json_array_append(valid, rel);
		}
		json_decref(ids);
		if (json_array_size(valid) == 0) {
			json_decref(valid);
			continue;
		}
		json_t *old = json_incref(json_object_get(exp, rp->name));
		json_t *olds = json_is_array(old) ? json_incref(old) : json_is_object(old) ? json_pack("[O]", old) : json_array();
		json_t *orec, *rel;
		size_t a, b;
		json_array_foreach(olds, a, orec)
		{
			json_array_foreach(valid, b, rel)
			{
				const char *x = rec_id(rel), *y = rec_id(orec);
				if (rel != orec && x && y && !strcmp(x, y))
					merge_expand(rel, json_object_get(orec, "expand"));
			}
		}
		json_decref(olds);
		json_decref(old);
		set_sorted_new(exp, rp->name, rp->multiple ? json_incref(valid) : json_incref(json_array_get(valid, 0)));
		json_decref(valid);
	}
}

static int expand_level(const struct pb_read_ctx *ctx, const struct pb_collection *c, json_t *records,
                        const char *path, int level)
{
	if (!*path || level > PB_EXPAND_MAX_DEPTH || json_array_size(records) == 0)
		return 0;
	const char *dot = strchr(path, '.');
	char *seg = dot ? strndup(path, (size_t)(dot - path)) : strdup(path);
	struct rel_path rp;
	json_t *rels = NULL, *index = NULL;
	int rc = resolve(ctx, c, seg, records, &rp);
	if (rc == 0) {
		json_t *ids = json_array(), *seen = json_object();
		size_t i;
		json_t *model;
		json_array_foreach(records, i, model)
		{
			json_t *mids = model_ids(&rp, model, i);
			size_t k;
			json_t *id;
			json_array_foreach(mids, k, id)
			{
				add_unique(ids, seen, json_string_value(id));
			}
			json_decref(mids);
		}
		json_decref(seen);
		rels = fetch_rels(ctx, rp.rc, ids);
		json_decref(ids);
		if (!rels)
			rc = -1;
	}
	if (rc == 0 && dot)
		rc = expand_level(ctx, rp.rc, rels, dot + 1, level + 1);
	if (rc == 0) {
		pb_records_export(ctx, rp.rc, rels);
		index = json_object();
		size_t i;
		json_t *rel;
		json_array_foreach(rels, i, rel)
		{
			const char *id = rec_id(rel);
			if (id)
				json_object_set(index, id, rel);
		}
		attach(&rp, records, index);
	}
	json_decref(index);
	json_decref(rels);
	json_decref(rp.back_ids);
	free(seg);
	return rc;
}

json_t *pb_expand_normalize(const char *expand)
{
	json_t *parts = json_array(), *out = json_array();
	const char *p = expand ? expand : "";
	for (;;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char *s = malloc(len + 1);
		if (!s)
			abort();
		size_t n = 0;
		for (size_t i = 0; i < len; i++)
			if (p[i] != ' ')
				s[n++] = p[i];
		s[n] = '\0';
		size_t a = 0;
		while (s[a] == '.')
			a++;
		while (n > a && s[n - 1] == '.')
			s[--n] = '\0';
		if (s[a])
			json_array_append_new(parts, json_string(s + a));
		free(s);
		if (!e)
			break;
		p = e + 1;
	}
	size_t i, j;
	json_t *v, *w;
	json_array_foreach(parts, i, v)
	{
		const char *p1 = json_string_value(v);
		size_t l1 = strlen(p1);
		bool skip = false;
		json_array_foreach(parts, j, w)
		{
			const char *p2 = json_string_value(w);
			if (i != j && !strncmp(p2, p1, l1) && p2[l1] == '.') {
				skip = true;
				break;
			}
		}
		for (size_t k = 0; !skip && k < json_array_size(out); k++)
			skip = !strcmp(json_string_value(json_array_get(out, k)), p1);
		if (!skip)
			json_array_append(out, v);
	}
	json_decref(parts);
	return out;
}

void pb_expand_records(const struct pb_read_ctx *ctx, const struct pb_collection *c, json_t *records,
                       const char *expand)
{
	if (!expand || !*expand || json_array_size(records) == 0)
		return;
	json_t *paths = pb_expand_normalize(expand);
	struct pb_request_info ereq = {0};
	if (ctx->req)
		ereq = *ctx->req;
	ereq.context = "expand";
	const struct pb_read_ctx ectx = {ctx->schema, ctx->stmts, &ereq, ctx->filters};
	size_t i;
	json_t *p;
	json_array_foreach(paths, i, p)
	{
		expand_level(&ectx, c, records, json_string_value(p), 1);
	}
	json_decref(paths);
}
