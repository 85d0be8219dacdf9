/* filter_cache — memoised filter compilation (see filter_cache.h). */
#include "collections/filter_cache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"

/* What one @request.* identifier read from the request. */
struct fref {
	char *name;                          /* owned: the identifier as written */
	const struct pb_collection *auth_c;  /* @request.auth.*: the auth collection (snapshot-owned) */
	json_t *auth_id;                     /* owned deep copy (NULL = none): @request.auth.* */
	json_t *value;                       /* owned deep copy (NULL = absent): the value named */
	char *str;                           /* owned (NULL = absent): @request.context / method */
};

struct pb_filter_trace {
	struct fref *refs; /* owned */
	size_t nrefs, cap;
	bool uncacheable;
};

struct pb_filter_cache_entry {
	struct pb_schema *schema; /* owned reference */
	/* the collection, by content: its field array (snapshot-owned, so unique while the schema
	 * reference is held) and type, plus its name and id as text (the create-rule check compiles
	 * against a copy of the collection under another name and id) */
	const struct pb_field *fields;
	size_t nfields;
	enum pb_collection_type ctype;
	char *cname, *cid;        /* owned */
	bool allow_hidden, client_filter;
	uint64_t hash;
	char *expr;               /* owned */
	char *sql;                /* owned: the compiled expression (placeholders ?1..) */
	size_t sql_len;
	struct pb_query query;    /* owned: the joins and values it registered */
	struct pb_filter_trace trace;
	unsigned long used_at;
};

/* ---- request values --------------------------------------------------------------------- */

/* The root ("auth", "body", …) and first key of an @request.* identifier, without modifiers. */
static void split_name(const char *name, char *root, size_t rcap, char *key, size_t kcap, bool *has_key)
{
	const char *p = strncmp(name, "@request.", 9) == 0 ? name + 9 : "";
	size_t n = strcspn(p, ".:");
	if (n >= rcap)
		n = rcap - 1;
	memcpy(root, p, n);
	root[n] = '\0';
	p += strcspn(p, ".:");
	*has_key = *p == '.';
	key[0] = '\0';
	if (*has_key) {
		p++;
		size_t k = strcspn(p, ".:");
		if (k >= kcap)
			k = kcap - 1; /* longer keys compare on a prefix: the value compared is then the root's */
		memcpy(key, p, k);
		key[k] = '\0';
		if (p[k] && p[k] != '.' && p[k] != ':')
			*has_key = false;
	}
}

/* The values `name` depends on, borrowed from req. */
struct fvals {
	const struct pb_collection *auth_c;
	const json_t *auth_id;
	const json_t *value;
	const char *str;
};

static struct fvals request_values(const struct pb_request_info *req, const char *name)
{
	struct fvals v = {0};
	char root[16], key[256];
	bool has_key;
	split_name(name, root, sizeof root, key, sizeof key, &has_key);
	const json_t *obj = NULL;
	if (!strcmp(root, "auth")) {
		v.auth_c = req->auth ? req->auth_collection : NULL;
		v.auth_id = req->auth ? json_object_get(req->auth, "id") : NULL;
		obj = req->auth;
	} else if (!strcmp(root, "body")) {
		obj = req->body;
	} else if (!strcmp(root, "query")) {
		obj = req->query;
	} else if (!strcmp(root, "headers")) {
		obj = req->headers;
	} else if (!strcmp(root, "context")) {
		v.str = req->context ? req->context : "default";
		return v;
	} else if (!strcmp(root, "method")) {
		v.str = req->method ? req->method : "";
		return v;
	} else {
		return v;
	}
	v.value = has_key && json_is_object(obj) ? json_object_get(obj, key) : obj;
	return v;
}

/* JSON equality without tolerance: same types, same bytes, same doubles bit for bit, same key
 * order (iteration order can show in generated SQL). */
static bool same_json(const json_t *a, const json_t *b)
{
	if (a == b)
		return true;
	if (!a || !b || json_typeof(a) != json_typeof(b))
		return false;
	switch (json_typeof(a)) {
	case JSON_OBJECT: {
		if (json_object_size(a) != json_object_size(b))
			return false;
		void *ia = json_object_iter((json_t *)a), *ib = json_object_iter((json_t *)b);
		while (ia && ib) {
			size_t la = json_object_iter_key_len(ia), lb = json_object_iter_key_len(ib);
			if (la != lb || memcmp(json_object_iter_key(ia), json_object_iter_key(ib), la) != 0)
				return false;
			if (!same_json(json_object_iter_value(ia), json_object_iter_value(ib)))
				return false;
			ia = json_object_iter_next((json_t *)a, ia);
			ib = json_object_iter_next((json_t *)b, ib);
		}
		return !ia && !ib;
	}
	case JSON_ARRAY: {
		size_t n = json_array_size(a);
		if (n != json_array_size(b))
			return false;
		for (size_t i = 0; i < n; i++)
			if (!same_json(json_array_get(a, i), json_array_get(b, i)))
				return false;
		return true;
	}
	case JSON_STRING:
		return json_string_length(a) == json_string_length(b) &&
		       memcmp(json_string_value(a), json_string_value(b), json_string_length(a)) == 0;
	case JSON_INTEGER: return json_integer_value(a) == json_integer_value(b);
	case JSON_REAL: {
		double x = json_real_value(a), y = json_real_value(b);
		return memcmp(&x, &y, sizeof x) == 0;
	}
	default: return true; /* true, false, null */
	}
}

static bool same_str(const char *a, const char *b) { return a == b || (a && b && !strcmp(a, b)); }

static bool ref_matches(const struct fref *r, const struct pb_request_info *req)
{
	struct fvals v = request_values(req, r->name);
	return v.auth_c == r->auth_c && same_json(v.auth_id, r->auth_id) && same_json(v.value, r->value) &&
	       same_str(v.str, r->str);
}

void pb_filter_trace_request(struct pb_filter_trace *t, const struct pb_request_info *req, const char *name)
{
	if (t->uncacheable)
		return;
	if (t->nrefs == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 4;
		t->refs = realloc(t->refs, t->cap * sizeof *t->refs);
		if (!t->refs)
			abort();
	}
	struct fvals v = request_values(req, name);
	struct fref *r = &t->refs[t->nrefs++];
	r->name = strdup(name);
	r->auth_c = v.auth_c;
	r->auth_id = v.auth_id ? json_deep_copy(v.auth_id) : NULL;
	r->value = v.value ? json_deep_copy(v.value) : NULL;
	r->str = v.str ? strdup(v.str) : NULL;
	if (!r->name || (v.auth_id && !r->auth_id) || (v.value && !r->value) || (v.str && !r->str))
		abort();
}

void pb_filter_trace_uncacheable(struct pb_filter_trace *t) { t->uncacheable = true; }

static void trace_deinit(struct pb_filter_trace *t)
{
	for (size_t i = 0; i < t->nrefs; i++) {
		free(t->refs[i].name);
		json_decref(t->refs[i].auth_id);
		json_decref(t->refs[i].value);
		free(t->refs[i].str);
	}
	free(t->refs);
	memset(t, 0, sizeof *t);
}

/* ---- the memo --------------------------------------------------------------------------- */

void pb_filter_cache_init(struct pb_filter_cache *fc) { memset(fc, 0, sizeof *fc); }

static void entry_free(struct pb_filter_cache_entry *e)
{
	if (!e)
		return;
	pb_schema_unref(e->schema);
	free(e->cname);
	free(e->cid);
	free(e->expr);
	free(e->sql);
	pb_query_deinit(&e->query);
	trace_deinit(&e->trace);
	free(e);
}

void pb_filter_cache_deinit(struct pb_filter_cache *fc)
{
	for (size_t i = 0; i < PB_FILTER_CACHE_SIZE; i++)
		entry_free(fc->e[i]);
	memset(fc, 0, sizeof *fc);
}

/* Copies the joins and values of src into dst (which starts empty, so placeholder numbers
 * stay the same). */
static void copy_query(struct pb_query *dst, const struct pb_query *src)
{
	for (size_t i = 0; i < src->njoins; i++)
		pb_query_add_join(dst, src->joins[i].alias, src->joins[i].sql);
	for (size_t i = 0; i < src->nbinds; i++) {
		const struct pb_bind *b = &src->binds[i];
		switch (b->kind) {
		case PB_BIND_TEXT: pb_query_bind_text(dst, b->text ? b->text : "", b->len); break;
		case PB_BIND_INT: pb_query_bind_int(dst, b->i); break;
		case PB_BIND_FLOAT: pb_query_bind_float(dst, b->f); break;
		default: pb_query_bind_null(dst); break;
		}
	}
}

static bool entry_matches(const struct pb_filter_cache_entry *e, const struct pb_filter_ctx *ctx, uint64_t hash,
                          const char *expr)
{
	const struct pb_collection *c = ctx->collection;
	if (e->schema != ctx->schema || e->fields != c->fields || e->nfields != c->nfields || e->ctype != c->type ||
	    e->hash != hash || e->allow_hidden != ctx->allow_hidden || e->client_filter != ctx->client_filter ||
	    strcmp(e->expr, expr) != 0 || strcmp(e->cname, c->name) != 0 || strcmp(e->cid, c->id) != 0)
		return false;
	for (size_t i = 0; i < e->trace.nrefs; i++)
		if (!ref_matches(&e->trace.refs[i], ctx->req))
			return false;
	return true;
}

int pb_filter_cache_to_sql(struct pb_filter_cache *fc, const struct pb_filter_ctx *ctx, const char *expr,
                           struct pb_strbuf *out, struct pb_error *err)
{
	struct pb_filter_ctx plain = *ctx;
	plain.cache = NULL;
	plain.trace = NULL;
	if (!fc || !ctx->req || !ctx->schema || !ctx->collection || !ctx->collection->fields ||
	    !ctx->collection->name || !ctx->collection->id || !ctx->query || !expr || ctx->query->nbinds ||
	    ctx->query->njoins)
		return pb_filter_to_sql_uncached(&plain, expr, out, err);

	uint64_t hash = pb_hash_str(expr);
	size_t free_slot = PB_FILTER_CACHE_SIZE, oldest = 0;
	for (size_t i = 0; i < PB_FILTER_CACHE_SIZE; i++) {
		struct pb_filter_cache_entry *e = fc->e[i];
		if (e && e->schema != ctx->schema) {
			/* an older (or other) snapshot: drop it rather than keep the snapshot alive */
			entry_free(e);
			fc->e[i] = e = NULL;
		}
		if (!e) {
			if (free_slot == PB_FILTER_CACHE_SIZE)
				free_slot = i;
			continue;
		}
		if (entry_matches(e, ctx, hash, expr)) {
			e->used_at = ++fc->tick;
			fc->hits++;
			pb_strbuf_append(out, e->sql, e->sql_len);
			copy_query(ctx->query, &e->query);
			return 0;
		}
		if (fc->e[oldest] == NULL || e->used_at < fc->e[oldest]->used_at)
			oldest = i;
	}
	fc->misses++;

	struct pb_filter_trace trace = {0};
	plain.trace = &trace;
	struct pb_strbuf sql = PB_STRBUF_INIT;
	int rc = pb_filter_to_sql_uncached(&plain, expr, &sql, err);
	if (rc == 0)
		pb_strbuf_append(out, sql.data ? sql.data : "", sql.len);
	if (rc != 0 || trace.uncacheable) {
		trace_deinit(&trace);
		pb_strbuf_deinit(&sql);
		return rc;
	}
	struct pb_filter_cache_entry *e = calloc(1, sizeof *e);
	if (!e)
		abort();
	e->schema = pb_schema_ref((struct pb_schema *)ctx->schema);
	e->fields = ctx->collection->fields;
	e->nfields = ctx->collection->nfields;
	e->ctype = ctx->collection->type;
	e->cname = strdup(ctx->collection->name);
	e->cid = strdup(ctx->collection->id);
	if (!e->cname || !e->cid)
		abort();
	e->allow_hidden = ctx->allow_hidden;
	e->client_filter = ctx->client_filter;
	e->hash = hash;
	e->expr = strdup(expr);
	if (!e->expr)
		abort();
	e->sql_len = sql.len;
	e->sql = pb_strbuf_steal(&sql);
	pb_query_init(&e->query);
	copy_query(&e->query, ctx->query);
	e->trace = trace;
	e->used_at = ++fc->tick;
	size_t slot = free_slot < PB_FILTER_CACHE_SIZE ? free_slot : oldest;
	entry_free(fc->e[slot]);
	fc->e[slot] = e;
	return 0;
}
