/* filter_resolver — turns a field identifier into SQL, mirroring PocketBase's
 * RecordFieldResolver runner: the accepted identifier shapes, plain fields, relation hops
 * (single: one LEFT JOIN; multiple: json_each + LEFT JOIN, multi-valued), the `rel.id`
 * shortcut, back-relations `coll_via_field` (multi-valued unless a single-column UNIQUE
 * index exists), JSON / geoPoint paths, `@collection.NAME[:alias].path` cross joins, the
 * modifiers :length :each :lower (:isset/:changed ignored on plain fields), hidden-field and
 * auth-email guards, and the correlated multi-match subquery mirrored with `__mm_` aliases.
 * `@request.*` is delegated to filter_request.c. */
#include "collections/filter_internal.h"
#include "collections/index_parse.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static bool is_word(int c) { return isalnum(c) || c == '_'; }

/* Go's \w-only string of length ≥ 1. */
static bool all_word(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_word((unsigned char)s[i]))
			return false;
	return true;
}

/* `[\w.:]*\w` */
static bool path_tail_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || !is_word((unsigned char)s[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_word((unsigned char)s[i]) && s[i] != '.' && s[i] != ':')
			return false;
	return true;
}

static bool allowed_identifier(const char *name)
{
	if (is_word((unsigned char)name[0])) {
		for (const char *p = name; *p; p++)
			if (!is_word((unsigned char)*p) && *p != '.' && *p != ':')
				return false;
		return true;
	}
	if (strcmp(name, "@request.context") == 0 || strcmp(name, "@request.method") == 0)
		return true;
	static const char *const prefixes[] = {"@request.auth.", "@request.body.", "@request.query.", "@request.headers."};
	for (size_t i = 0; i < 4; i++)
		if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
			return path_tail_ok(name + strlen(prefixes[i]));
	if (strncmp(name, "@collection.", 12) == 0) {
		const char *p = name + 12, *s = p;
		while (is_word((unsigned char)*p))
			p++;
		if (p == s)
			return false;
		if (*p == ':') {
			const char *a = ++p;
			while (is_word((unsigned char)*p))
				p++;
			if (p == a)
				return false;
		}
		if (*p != '.')
			return false;
		return path_tail_ok(p + 1);
	}
	return false;
}

int fb_split_modifier(struct fb_build *b, const char *prop, char **name, const char **modifier)
{
	const char *c1 = strchr(prop, ':');
	*modifier = "";
	if (!c1 || strchr(c1 + 1, ':')) {
		*name = strdup(prop);
		return 0;
	}
	static const char *const mods[] = {"isset", "each", "length", "lower", "changed"};
	for (size_t i = 0; i < 5; i++) {
		if (strcmp(c1 + 1, mods[i]) == 0) {
			*name = strndup(prop, (size_t)(c1 - prop));
			*modifier = mods[i];
			return 0;
		}
	}
	*name = NULL;
	return pb_error_set(b->err, 400, "Invalid filter: unknown modifier in \"%s\".", prop);
}

/* inflector.Columnify: drops every char outside [\w.*@#-]. Newly allocated. */
static char *columnify(const char *s)
{
	size_t n = strlen(s);
	char *o = malloc(n + 1), *w = o;
	if (!o)
		abort();
	for (; *s; s++)
		if (is_word((unsigned char)*s) || strchr(".*-@#", *s))
			*w++ = *s;
	*w = '\0';
	return o;
}

char *fb_columnify(const char *s)
{
	return columnify(s);
}

static const struct pb_collection *load_collection(struct fb_build *b, const char *name_or_id)
{
	if (strcmp(name_or_id, b->base->name) == 0 || strcmp(name_or_id, b->base->id) == 0)
		return b->base;
	return b->ctx->schema ? pb_schema_find(b->ctx->schema, name_or_id) : NULL;
}

bool fb_is_multivaluer(const struct pb_field *f)
{
	return f->type == PB_FIELD_SELECT || f->type == PB_FIELD_FILE || f->type == PB_FIELD_RELATION;
}

void fb_runner_init(struct fb_runner *r, struct fb_build *b)
{
	memset(r, 0, sizeof *r);
	r->b = b;
	r->col = b->base;
	r->alias = strdup(b->base_alias);
	r->mm.target_alias = strdup(b->base_alias);
	r->mm.from_table = columnify(b->base->name);
	r->mm.from_alias = fb_cat("__mm_", b->base_alias, NULL, NULL);
	r->mm_alias = strdup(r->mm.from_alias);
}

void fb_runner_deinit(struct fb_runner *r)
{
	free(r->alias);
	free(r->mm_alias);
	fb_mm_deinit(&r->mm);
}

static void set_str(char **dst, char *v)
{
	free(*dst);
	*dst = v;
}

static void mm_join(struct fb_runner *r, const char *table_sql, const char *alias, const char *on)
{
	struct pb_strbuf *j = &r->mm.joins;
	if (j->len)
		pb_strbuf_putc(j, ' ');
	pb_strbuf_puts(j, "LEFT JOIN ");
	pb_strbuf_puts(j, table_sql);
	pb_strbuf_putc(j, ' ');
	pb_sql_ident(j, alias);
	if (on) {
		pb_strbuf_puts(j, " ON ");
		pb_strbuf_puts(j, on);
	}
}

/* Moves the runner's multi-match state into the result when active. */
static void attach_mm(struct fb_runner *r, struct fb_operand *out)
{
	if (!r->with_mm)
		return;
	out->mm = r->mm;
	out->mm.active = true;
	memset(&r->mm, 0, sizeof r->mm);
}

static int null_result(struct fb_operand *out)
{
	pb_strbuf_puts(&out->id, "NULL");
	return 0;
}

static int finalize(struct fb_runner *r, const char *prop, struct fb_operand *out)
{
	struct fb_build *b = r->b;
	char *name = NULL;
	const char *mod;
	int rc = -1;
	if (fb_split_modifier(b, prop, &name, &mod) != 0)
		return -1;
	const struct pb_field *f = pb_collection_field(r->col, name);
	if (!f) {
		if (r->nullify_missing) {
			rc = null_result(out);
			goto done;
		}
		pb_error_set(b->err, 400, "Invalid filter: unknown field \"%s\".", name);
		goto done;
	}
	if (f->hidden && !b->allow_hidden) {
		pb_error_set(b->err, 400, "Invalid filter: non-filterable field \"%s\".", name);
		goto done;
	}
	char *col = columnify(f->name);
	if (strcmp(mod, "length") == 0 && fb_is_multivaluer(f)) {
		fb_json_array_length(&out->id, r->alias, col);
		if (r->with_mm)
			fb_json_array_length(&r->mm.value, r->mm_alias, col);
	} else if (strcmp(mod, "each") == 0 && fb_is_multivaluer(f)) {
		char *je = fb_cat("__je_", r->alias, "_", col);
		char *je_full = fb_cat(je, b->join_suffix, NULL, NULL);
		struct pb_strbuf t = PB_STRBUF_INIT;
		fb_json_each(&t, r->alias, col);
		rc = fb_join(b, pb_strbuf_cstr(&t), je_full, NULL, NULL);
		pb_strbuf_deinit(&t);
		if (rc == 0) {
			fb_col(&out->id, je_full, "value");
			if (pb_field_is_multiple(f))
				r->with_mm = true;
			if (r->with_mm) {
				char *je2 = fb_cat("__je_", r->mm_alias, "_", col);
				char *je2_full = fb_cat(je2, b->join_suffix, NULL, NULL);
				struct pb_strbuf t2 = PB_STRBUF_INIT;
				fb_json_each(&t2, r->mm_alias, col);
				mm_join(r, pb_strbuf_cstr(&t2), je2_full, NULL);
				fb_col(&r->mm.value, je2_full, "value");
				pb_strbuf_deinit(&t2);
				free(je2);
				free(je2_full);
			}
		}
		free(je);
		free(je_full);
		if (rc != 0) {
			free(col);
			goto done;
		}
	} else {
		if (f->type == PB_FIELD_JSON) {
			out->fallback = FB_DISABLED;
			fb_json_extract(&out->id, r->alias, col, "");
			if (r->with_mm)
				fb_json_extract(&r->mm.value, r->mm_alias, col, "");
		} else {
			fb_col(&out->id, r->alias, col);
			if (r->with_mm)
				fb_col(&r->mm.value, r->mm_alias, col);
		}
		if (strcmp(f->name, "email") == 0 && !b->allow_hidden && r->col->type == PB_COLLECTION_AUTH)
			out->email_guard = strdup(r->alias);
		if (strcmp(mod, "lower") == 0) {
			char *s = pb_strbuf_steal(&out->id);
			pb_strbuf_printf(&out->id, "LOWER(%s)", s);
			free(s);
			if (r->with_mm) {
				s = pb_strbuf_steal(&r->mm.value);
				pb_strbuf_printf(&r->mm.value, "LOWER(%s)", s);
				free(s);
			}
		}
	}
	free(col);
	attach_mm(r, out);
	rc = 0;
done:
	free(name);
	return rc;
}

/* The JSON path of the remaining props, PocketBase style: numbers → [n], names → .name. */
static void json_path(char **props, size_t n, struct pb_strbuf *out)
{
	for (size_t j = 0; j < n; j++) {
		char *seg = columnify(props[j]);
		const char *p = props[j];
		if (*p == '+' || *p == '-')
			p++;
		bool numeric = *p != '\0';
		for (; *p; p++)
			numeric = numeric && isdigit((unsigned char)*p);
		if (numeric) {
			pb_strbuf_printf(out, "[%s]", seg);
		} else {
			if (j > 0)
				pb_strbuf_putc(out, '.');
			pb_strbuf_puts(out, seg);
		}
		free(seg);
	}
}

/* `^(\w+)_via_(\w+)$` with a greedy first group: the last "_via_" with word chars around. */
static bool split_via(const char *prop, char **coll, char **field)
{
	size_t n = strlen(prop);
	if (!all_word(prop, n))
		return false;
	for (size_t i = n; i-- > 1;) {
		if (i + 5 < n && strncmp(prop + i, "_via_", 5) == 0) {
			*coll = strndup(prop, i);
			*field = strdup(prop + i + 5);
			return true;
		}
	}
	return false;
}

static int back_relation(struct fb_runner *r, const char *prop, struct fb_operand *out, bool *nullified)
{
	struct fb_build *b = r->b;
	char *cname = NULL, *fname = NULL;
	int rc = -1;
	*nullified = false;
	if (!split_via(prop, &cname, &fname)) {
		if (r->nullify_missing) {
			*nullified = true;
			return null_result(out);
		}
		return pb_error_set(b->err, 400, "Invalid filter: failed to resolve field \"%s\".", prop);
	}
	const struct pb_collection *bc = load_collection(b, cname);
	const struct pb_field *bf = bc ? pb_collection_field(bc, fname) : NULL;
	if (!bc || !bf || bf->type != PB_FIELD_RELATION) {
		if (r->nullify_missing) {
			*nullified = true;
			rc = null_result(out);
		} else {
			pb_error_set(b->err, 400, "Invalid filter: invalid back relation \"%s\".", prop);
		}
		goto done;
	}
	if (bf->hidden && !b->allow_hidden) {
		pb_error_set(b->err, 400, "Invalid filter: non-filterable back relation field \"%s\".", bf->name);
		goto done;
	}
	if (!bf->collection_id || strcmp(bf->collection_id, r->col->id) != 0) {
		if (r->nullify_missing) {
			*nullified = true;
			rc = null_result(out);
		} else {
			pb_error_set(b->err, 400, "Invalid filter: invalid collection reference of back relation \"%s\".", prop);
		}
		goto done;
	}
	char *cprop = columnify(prop), *cback = columnify(bf->name), *ctable = columnify(bc->name);
	char *new_alias = fb_cat(r->alias, "_", cprop, b->join_suffix);
	bool multiple = pb_field_is_multiple(bf);
	struct pb_strbuf on = PB_STRBUF_INIT, table = PB_STRBUF_INIT;
	pb_sql_ident(&table, ctable);
	char *je = fb_cat("__je_", new_alias, NULL, NULL);
	if (!multiple) {
		fb_col(&on, new_alias, cback);
		pb_strbuf_puts(&on, " = ");
		fb_col(&on, r->alias, "id");
	} else {
		fb_col(&on, r->alias, "id");
		pb_strbuf_puts(&on, " IN (SELECT ");
		fb_col(&on, je, "value");
		pb_strbuf_puts(&on, " FROM ");
		fb_json_each(&on, new_alias, cback);
		pb_strbuf_putc(&on, ' ');
		pb_sql_ident(&on, je);
		pb_strbuf_putc(&on, ')');
	}
	rc = fb_join(b, pb_strbuf_cstr(&table), new_alias, pb_strbuf_cstr(&on), bc);
	if (rc == 0) {
		if (multiple)
			r->with_mm = true;
		else if (!r->with_mm)
			r->with_mm = !pb_collection_has_unique_index(bc, bf->name);
		char *alias2 = fb_cat(r->mm_alias, "_", cprop, b->join_suffix);
		char *je2 = fb_cat("__je_", alias2, NULL, NULL);
		pb_strbuf_reset(&on);
		if (!multiple) {
			fb_col(&on, alias2, cback);
			pb_strbuf_puts(&on, " = ");
			fb_col(&on, r->mm_alias, "id");
		} else {
			fb_col(&on, r->mm_alias, "id");
			pb_strbuf_puts(&on, " IN (SELECT ");
			fb_col(&on, je2, "value");
			pb_strbuf_puts(&on, " FROM ");
			fb_json_each(&on, alias2, cback);
			pb_strbuf_putc(&on, ' ');
			pb_sql_ident(&on, je2);
			pb_strbuf_putc(&on, ')');
		}
		mm_join(r, pb_strbuf_cstr(&table), alias2, pb_strbuf_cstr(&on));
		set_str(&r->mm_alias, alias2);
		set_str(&r->alias, new_alias);
		new_alias = NULL;
		r->col = bc;
		free(je2);
	}
	free(je);
	free(new_alias);
	pb_strbuf_deinit(&on);
	pb_strbuf_deinit(&table);
	free(cprop);
	free(cback);
	free(ctable);
done:
	free(cname);
	free(fname);
	return rc;
}

static int relation_hop(struct fb_runner *r, const struct pb_field *f, struct fb_operand *out)
{
	struct fb_build *b = r->b;
	const struct pb_collection *rc_col = f->collection_id ? load_collection(b, f->collection_id) : NULL;
	if (!rc_col)
		return pb_error_set(b->err, 400, "Invalid filter: failed to load the collection of field \"%s\".", f->name);
	char *cf = columnify(f->name), *ctable = columnify(rc_col->name);
	char *new_alias = fb_cat(r->alias, "_", cf, b->join_suffix);
	bool multiple = pb_field_is_multiple(f);
	struct pb_strbuf on = PB_STRBUF_INIT, table = PB_STRBUF_INIT, je_tab = PB_STRBUF_INIT;
	pb_sql_ident(&table, ctable);
	int rc = 0;
	if (!multiple) {
		fb_col(&on, new_alias, "id");
		pb_strbuf_puts(&on, " = ");
		fb_col(&on, r->alias, cf);
		rc = fb_join(b, pb_strbuf_cstr(&table), new_alias, pb_strbuf_cstr(&on), rc_col);
	} else {
		char *je = fb_cat("__je_", new_alias, NULL, NULL);
		fb_json_each(&je_tab, r->alias, cf);
		rc = fb_join(b, pb_strbuf_cstr(&je_tab), je, NULL, NULL);
		if (rc == 0) {
			fb_col(&on, new_alias, "id");
			pb_strbuf_puts(&on, " = ");
			fb_col(&on, je, "value");
			rc = fb_join(b, pb_strbuf_cstr(&table), new_alias, pb_strbuf_cstr(&on), rc_col);
		}
		free(je);
	}
	if (rc == 0) {
		if (multiple)
			r->with_mm = true;
		char *alias2 = fb_cat(r->mm_alias, "_", cf, NULL);
		pb_strbuf_reset(&on);
		if (!multiple) {
			fb_col(&on, alias2, "id");
			pb_strbuf_puts(&on, " = ");
			fb_col(&on, r->mm_alias, cf);
			mm_join(r, pb_strbuf_cstr(&table), alias2, pb_strbuf_cstr(&on));
		} else {
			char *je2 = fb_cat(r->mm_alias, "_", cf, "_je");
			pb_strbuf_reset(&je_tab);
			fb_json_each(&je_tab, r->mm_alias, cf);
			mm_join(r, pb_strbuf_cstr(&je_tab), je2, NULL);
			fb_col(&on, alias2, "id");
			pb_strbuf_puts(&on, " = ");
			fb_col(&on, je2, "value");
			mm_join(r, pb_strbuf_cstr(&table), alias2, pb_strbuf_cstr(&on));
			free(je2);
		}
		set_str(&r->mm_alias, alias2);
		set_str(&r->alias, new_alias);
		new_alias = NULL;
		r->col = rc_col;
	}
	free(new_alias);
	free(cf);
	free(ctable);
	pb_strbuf_deinit(&on);
	pb_strbuf_deinit(&table);
	pb_strbuf_deinit(&je_tab);
	(void)out;
	return rc;
}

int fb_runner_process(struct fb_runner *r, struct fb_operand *out)
{
	struct fb_build *b = r->b;
	for (size_t i = 0; i < r->nprops; i++) {
		const char *prop = r->props[i];
		if (i == r->nprops - 1)
			return finalize(r, prop, out);
		const struct pb_field *f = pb_collection_field(r->col, prop);
		if (f && f->hidden && !b->allow_hidden)
			return pb_error_set(b->err, 400, "Invalid filter: non-filterable field \"%s\".", prop);
		if (f && (f->type == PB_FIELD_JSON || f->type == PB_FIELD_GEOPOINT)) {
			struct pb_strbuf path = PB_STRBUF_INIT;
			json_path(r->props + i + 1, r->nprops - i - 1, &path);
			char *col = columnify(prop);
			out->fallback = FB_DISABLED;
			fb_json_extract(&out->id, r->alias, col, pb_strbuf_cstr(&path));
			if (r->with_mm)
				fb_json_extract(&r->mm.value, r->mm_alias, col, pb_strbuf_cstr(&path));
			free(col);
			pb_strbuf_deinit(&path);
			attach_mm(r, out);
			return 0;
		}
		if (i >= FB_MAX_NESTED_RELS)
			return pb_error_set(b->err, 400, "Invalid filter: max nested relations reached for \"%s\".", prop);
		if (!f) {
			bool nullified;
			if (back_relation(r, prop, out, &nullified) != 0)
				return -1;
			if (nullified)
				return 0;
			continue;
		}
		if (f->type != PB_FIELD_RELATION)
			return pb_error_set(b->err, 400, "Invalid filter: field \"%s\" is not a valid relation.", prop);
		if (!pb_field_is_multiple(f) && i == r->nprops - 2 && strcmp(r->props[i + 1], "id") == 0) {
			if (!f->collection_id || !load_collection(b, f->collection_id))
				return pb_error_set(b->err, 400, "Invalid filter: failed to load the collection of \"%s\".", prop);
			return finalize(r, f->name, out);
		}
		if (relation_hop(r, f, out) != 0)
			return -1;
	}
	return pb_error_set(b->err, 400, "Invalid filter: failed to resolve field.");
}

char **fb_split_dots(const char *name, size_t *n)
{
	size_t cnt = 1;
	for (const char *p = name; *p; p++)
		cnt += *p == '.';
	char **v = calloc(cnt, sizeof *v);
	if (!v)
		abort();
	const char *s = name;
	for (size_t i = 0; i < cnt; i++) {
		const char *e = strchr(s, '.');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		v[i] = strndup(s, len);
		s = e ? e + 1 : s + len;
	}
	*n = cnt;
	return v;
}

void fb_free_props(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int collection_field(struct fb_build *b, char **props, size_t nprops, struct fb_operand *out)
{
	if (nprops < 3)
		return pb_error_set(b->err, 400, "Invalid filter: invalid @collection field path.");
	char *name = props[1], *alias = strchr(props[1], ':');
	if (alias)
		*alias++ = '\0';
	const struct pb_collection *c = load_collection(b, name);
	if (!c)
		return pb_error_set(b->err, 400, "Invalid filter: unknown collection \"%s\".", name);
	struct fb_runner r;
	fb_runner_init(&r, b);
	r.col = c;
	char *ctable = columnify(c->name);
	char *base = (alias && *alias) ? fb_cat("__collection_alias_", alias, NULL, NULL)
	                               : fb_cat("__collection_", c->name, NULL, NULL);
	char *cbase = columnify(base);
	set_str(&r.alias, fb_cat(cbase, b->join_suffix, NULL, NULL));
	free(base);
	free(cbase);
	r.with_mm = true;
	struct pb_strbuf table = PB_STRBUF_INIT;
	pb_sql_ident(&table, ctable);
	int rc = fb_join(b, pb_strbuf_cstr(&table), r.alias, NULL, c);
	if (rc == 0) {
		set_str(&r.mm_alias, fb_cat("__mm_", r.alias, NULL, NULL));
		mm_join(&r, pb_strbuf_cstr(&table), r.mm_alias, NULL);
		r.props = props + 2;
		r.nprops = nprops - 2;
		rc = fb_runner_process(&r, out);
	}
	pb_strbuf_deinit(&table);
	free(ctable);
	fb_runner_deinit(&r);
	return rc;
}

int fb_resolve_identifier(struct fb_build *b, const char *name, struct fb_operand *out)
{
	if (b->simple_fields)
		return fb_resolve_simple(b, name, out);
	if (!allowed_identifier(name))
		return pb_error_set(b->err, 400, "Invalid filter: failed to resolve field \"%s\".", name);
	if (strncmp(name, "@request.", 9) == 0)
		return fb_resolve_request(b, name, out);
	size_t n;
	char **props = fb_split_dots(name, &n);
	int rc;
	if (strcmp(props[0], "@collection") == 0) {
		rc = collection_field(b, props, n, out);
	} else {
		struct fb_runner r;
		fb_runner_init(&r, b);
		r.props = props;
		r.nprops = n;
		rc = fb_runner_process(&r, out);
		fb_runner_deinit(&r);
	}
	fb_free_props(props, n);
	return rc;
}
