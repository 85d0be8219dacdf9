/* fields_pick — the `fields` picker (see fields_pick.h), following PocketBase's
 * tools/picker/pick.go step by step: parseFields splits with tools/tokenizer, trims each
 * entry, splits it at the first ':' into path and modifier (a later duplicate path replaces
 * an earlier one); Pick re-decodes the value (here: a sorted deep copy with big integers as
 * float64) and prunes it with pickParsedFields/pickMapFields. As in Go, a `*` entry adds
 * the keys of the object being picked to the very field set it was given, so the addition
 * carries over to the following elements of the same array.
 * Two places where Go's result depends on map iteration order are made deterministic: a path
 * that equals the key being visited always wins over longer paths (it keeps its modifier),
 * and the paths handed to the next level are computed from a snapshot. An excerpt that
 * fails (HTML nested too deeply) yields "" and picking goes on; Go stops picking the rest of
 * that object, in random order. */
#include "collections/fields_pick.h"

#include <stdlib.h>
#include <string.h>

#include "collections/fields_pick_internal.h"
#include "core/json_write.h"
#include "core/tokenizer.h"
#include "core/utf8.h"

struct field {
	char *path;                          /* owned */
	const struct pb_fields_excerpt *mod; /* NULL or borrowed from the picker */
};

struct field_set {
	struct field *v;
	size_t n, cap;
};

struct pb_fields_pick {
	struct field_set fields;
	struct pb_fields_excerpt *mods; /* one per modifier entry; owned */
	size_t nmods;
};

/* Appends a path; callers guarantee it is not in the set yet (map semantics). */
static void set_add(struct field_set *s, const char *path, size_t len, const struct pb_fields_excerpt *mod)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->v = realloc(s->v, s->cap * sizeof *s->v);
		if (!s->v)
			abort();
	}
	char *copy = malloc(len + 1);
	if (!copy)
		abort();
	memcpy(copy, path, len);
	copy[len] = '\0';
	s->v[s->n++] = (struct field){copy, mod};
}

struct indexed_field {
	struct field f;
	size_t pos;
};

static int indexed_cmp(const void *pa, const void *pb)
{
	const struct indexed_field *a = pa, *b = pb;
	int c = strcmp(a->f.path, b->f.path);
	return c ? c : (a->pos > b->pos) - (a->pos < b->pos);
}

/* Map semantics for the parsed entries: of equal paths the last one stays. */
static void set_dedupe(struct field_set *s)
{
	struct indexed_field *tmp = malloc((s->n ? s->n : 1) * sizeof *tmp);
	if (!tmp)
		abort();
	for (size_t i = 0; i < s->n; i++)
		tmp[i] = (struct indexed_field){s->v[i], i};
	qsort(tmp, s->n, sizeof *tmp, indexed_cmp);
	size_t w = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (i + 1 < s->n && !strcmp(tmp[i].f.path, tmp[i + 1].f.path)) {
			free(tmp[i].f.path); /* overridden by a later entry */
			continue;
		}
		s->v[w++] = tmp[i].f;
	}
	s->n = w;
	free(tmp);
}

static void set_clear(struct field_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].path);
	free(s->v);
	*s = (struct field_set){0};
}

void pb_fields_pick_free(struct pb_fields_pick *p)
{
	if (!p)
		return;
	set_clear(&p->fields);
	free(p->mods);
	free(p);
}

struct pb_fields_pick *pb_fields_pick_parse(const char *expr, struct pb_error *err)
{
	if (!expr || !*expr)
		return NULL;
	struct pb_error detail = PB_ERROR_INIT; /* PocketBase logs the cause; the wire gets the generic 400 */
	size_t n = 0;
	char **entries = pb_tokenize(expr, NULL, &n, &detail);
	if (!entries)
		goto fail;
	struct pb_fields_pick *p = calloc(1, sizeof *p);
	if (!p || !(p->mods = calloc(n ? n : 1, sizeof *p->mods)))
		abort();
	for (size_t i = 0; i < n; i++) {
		const char *e = entries[i];
		size_t len = strlen(e);
		pb_utf8_trim_space(&e, &len);
		const char *colon = memchr(e, ':', len);
		if (!colon) {
			set_add(&p->fields, e, len, NULL);
			continue;
		}
		char *raw = strndup(colon + 1, len - (size_t)(colon + 1 - e));
		if (!raw)
			abort();
		int rc = pb_fields_modifier_parse(raw, &p->mods[p->nmods], &detail);
		free(raw);
		if (rc != 0) {
			pb_fields_pick_free(p);
			pb_tokens_free(entries);
			goto fail;
		}
		set_add(&p->fields, e, (size_t)(colon - e), &p->mods[p->nmods++]);
	}
	pb_tokens_free(entries);
	set_dedupe(&p->fields);
	return p;
fail:
	pb_error_clear(&detail);
	pb_error_set(err, 400, "%s", pb_error_default_message(400));
	return NULL;
}

/* ---- picking ----------------------------------------------------------------------------- */

/* strings.HasPrefix(path+".", key+".") */
static bool path_under(const char *path, const char *key, size_t klen)
{
	size_t plen = strlen(path);
	return plen >= klen && memcmp(path, key, klen) == 0 && (plen == klen || path[klen] == '.');
}

static void pick_value(json_t *data, struct field_set *fields);

static void pick_object(json_t *data, struct field_set *fields)
{
	if (fields->n == 0)
		return;
	const struct field *star = NULL;
	for (size_t i = 0; i < fields->n && !star; i++)
		if (!strcmp(fields->v[i].path, "*"))
			star = &fields->v[i];
	if (star) { /* every key not already the head of another path */
		const struct pb_fields_excerpt *mod = star->mod;
		const char *k;
		size_t klen;
		json_t *val;
		json_object_keylen_foreach(data, k, klen, val)
		{
			bool exists = false;
			for (size_t i = 0; i < fields->n && !exists; i++)
				exists = path_under(fields->v[i].path, k, klen);
			if (!exists)
				set_add(fields, k, klen, mod);
		}
	}
	const char *k;
	size_t klen;
	json_t *val;
	void *tmp;
	json_object_keylen_foreach_safe(data, tmp, k, klen, val)
	{
		struct field_set matching = {0};
		const struct field *final = NULL;
		for (size_t i = 0; i < fields->n; i++) {
			const char *path = fields->v[i].path;
			if (!path_under(path, k, klen))
				continue;
			const char *rest = path + klen + (path[klen] == '.'); /* "a.b" → "b"; "a" and "a." → "" */
			if (!*rest)
				final = &fields->v[i];
			else
				set_add(&matching, rest, strlen(rest), fields->v[i].mod);
		}
		if (final) {
			json_t *changed = final->mod ? pb_fields_excerpt_apply(final->mod, val) : NULL;
			if (changed)
				json_object_setn_new_nocheck(data, k, klen, changed);
		} else if (matching.n == 0)
			json_object_deln(data, k, klen);
		else
			pick_value(val, &matching);
		set_clear(&matching);
	}
}

static void pick_value(json_t *data, struct field_set *fields)
{
	if (json_is_object(data)) {
		pick_object(data, fields);
	} else if (json_is_array(data) && json_array_size(data) > 0 && json_is_object(json_array_get(data, 0))) {
		size_t i;
		json_t *item;
		json_array_foreach(data, i, item)
		{
			if (json_is_object(item))
				pick_object(item, fields);
		}
	}
}

/* json.Unmarshal into `any` reads numbers as float64: integers beyond ±2^53 are rounded.
 * Returns v or, stealing v, its replacement. */
static json_t *go_numbers(json_t *v)
{
	if (json_is_integer(v)) {
		json_int_t n = json_integer_value(v);
		const json_int_t exact = (json_int_t)1 << 53;
		if (n >= -exact && n <= exact)
			return v;
		json_decref(v);
		return json_real((double)n);
	}
	if (json_is_object(v)) {
		const char *k;
		size_t klen;
		json_t *val;
		json_object_keylen_foreach(v, k, klen, val)
		{
			json_t *r = go_numbers(json_incref(val));
			if (r != val)
				json_object_setn_new_nocheck(v, k, klen, r);
			else
				json_decref(r);
		}
	} else if (json_is_array(v)) {
		size_t i;
		json_t *val;
		json_array_foreach(v, i, val)
		{
			json_t *r = go_numbers(json_incref(val));
			if (r != val)
				json_array_set_new(v, i, r);
			else
				json_decref(r);
		}
	}
	return v;
}

json_t *pb_fields_pick_apply(const struct pb_fields_pick *p, const json_t *v, bool is_list)
{
	json_t *out = go_numbers(v ? pb_json_sorted_copy(v) : json_null());
	if (!out)
		abort();
	if (!p)
		return out;
	struct field_set fields = {0}; /* Go parses per call and `*` mutates the set: work on a copy */
	for (size_t i = 0; i < p->fields.n; i++)
		set_add(&fields, p->fields.v[i].path, strlen(p->fields.v[i].path), p->fields.v[i].mod);
	if (is_list) {
		if (json_is_object(out))
			pick_value(json_object_get(out, "items"), &fields);
	} else
		pick_value(out, &fields);
	set_clear(&fields);
	return out;
}
