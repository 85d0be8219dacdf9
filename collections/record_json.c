/* record_json — stored row → record JSON (see record_json.h). Column values are normalised by
 * each field type's from_column (collections/field_*.c); the direct writer uses the type's
 * write_column where it has one. Both builders share one decision per field (what_to_emit),
 * so the object and the written text always hold the same keys in the same order. */
#include "collections/record_json.h"

#include <stdlib.h>
#include <string.h>

#include "collections/field_type.h"
#include "core/json_write.h"

void pb_record_colmap_fill(const struct pb_collection *c, sqlite3_stmt *st, int *map)
{
	int ncols = sqlite3_column_count(st);
	for (size_t i = 0; i < c->nfields; i++) {
		map[i] = -1;
		/* SELECT `c`.* lists the columns in table order, usually the fields' order: try the
		 * same position first */
		const char *fname = c->fields[i].name;
		if ((int)i < ncols) {
			const char *name = sqlite3_column_name(st, (int)i);
			if (name && strcmp(name, fname) == 0) {
				map[i] = (int)i;
				continue;
			}
		}
		for (int k = 0; k < ncols; k++) {
			const char *name = sqlite3_column_name(st, k);
			if (name && strcmp(name, fname) == 0) {
				map[i] = k;
				break;
			}
		}
	}
}

int *pb_record_colmap(const struct pb_collection *c, sqlite3_stmt *st)
{
	int *map = malloc((c->nfields ? c->nfields : 1) * sizeof *map);
	if (!map)
		abort();
	pb_record_colmap_fill(c, st, map);
	return map;
}

json_t *pb_field_value_from_column(const struct pb_field *f, sqlite3_stmt *st, int col)
{
	return pb_field_impl(f)->from_column(f, st, col);
}

static bool is_auth_secret(const struct pb_collection *c, const struct pb_field *f)
{
	return c->type == PB_COLLECTION_AUTH && (!strcmp(f->name, "password") || !strcmp(f->name, "tokenKey"));
}

/* auth collections without show_email: whether emailVisibility hides the email of this row */
static bool email_hidden(const struct pb_collection *c, sqlite3_stmt *st, const int *colmap,
                         const struct pb_record_export *x)
{
	if (c->type != PB_COLLECTION_AUTH || x->show_email)
		return false;
	const struct pb_field *ev = pb_collection_field(c, "emailVisibility");
	int col = ev ? colmap[ev - c->fields] : -1;
	json_t *v = ev ? pb_field_value_from_column(ev, st, col) : json_false();
	bool hidden = !json_is_true(v);
	json_decref(v);
	return hidden;
}

enum emit { EMIT_NONE, EMIT_EMPTY_STRING, EMIT_VALUE };

static enum emit what_to_emit(const struct pb_collection *c, const struct pb_field *f,
                              const struct pb_record_export *x, bool hide_email)
{
	if (f->hidden && !x->show_hidden && !(x->keep_secrets && is_auth_secret(c, f)))
		return EMIT_NONE;
	if (is_auth_secret(c, f) && !x->keep_secrets)
		return EMIT_NONE;
	if (hide_email && c->type == PB_COLLECTION_AUTH && !strcmp(f->name, "email"))
		return EMIT_NONE;
	if (f->type == PB_FIELD_PASSWORD && !x->keep_secrets)
		return EMIT_EMPTY_STRING; /* PocketBase exports a password field's (cleared) plain value, never the hash */
	return EMIT_VALUE;
}

/* collectionId and collectionName go before the first field named after "collectionId" */
static bool ids_go_before(const struct pb_field *f) { return strcmp(f->name, "collectionId") > 0; }

json_t *pb_record_from_row(const struct pb_collection *c, sqlite3_stmt *st, const int *colmap,
                           const struct pb_record_export *x)
{
	json_t *o = json_object();
	bool hide_email = email_hidden(c, st, colmap, x);
	bool ids_done = false;
	for (size_t k = 0; k < c->nfields; k++) {
		const struct pb_field *f = &c->fields[c->sorted[k]];
		if (!ids_done && ids_go_before(f)) {
			if (!x->no_collection_keys) {
				json_object_set_new(o, "collectionId", json_string(c->id));
				json_object_set_new(o, "collectionName", json_string(c->name));
			}
			ids_done = true;
		}
		switch (what_to_emit(c, f, x, hide_email)) {
		case EMIT_NONE: break;
		case EMIT_EMPTY_STRING: json_object_set_new(o, f->name, json_string("")); break;
		case EMIT_VALUE:
			json_object_set_new(o, f->name, pb_field_value_from_column(f, st, colmap[c->sorted[k]]));
			break;
		}
	}
	if (!ids_done && !x->no_collection_keys) {
		json_object_set_new(o, "collectionId", json_string(c->id));
		json_object_set_new(o, "collectionName", json_string(c->name));
	}
	return o;
}

/* ,"key": (the comma unless first) */
static void write_key(struct pb_strbuf *out, bool *first, const char *key)
{
	if (!*first)
		pb_strbuf_putc(out, ',');
	*first = false;
	pb_json_write_string(out, key, strlen(key));
	pb_strbuf_putc(out, ':');
}

static void write_ids(struct pb_strbuf *out, bool *first, const struct pb_collection *c)
{
	write_key(out, first, "collectionId");
	pb_json_write_string(out, c->id, strlen(c->id));
	write_key(out, first, "collectionName");
	pb_json_write_string(out, c->name, strlen(c->name));
}

/* the value of from_column, written; false (nothing written) where from_column gives NULL */
static bool write_value(const struct pb_field *f, sqlite3_stmt *st, int col, struct pb_strbuf *out)
{
	const struct pb_field_ops *ops = pb_field_impl(f);
	if (ops->write_column)
		return ops->write_column(f, st, col, out);
	json_t *v = ops->from_column(f, st, col);
	if (!v)
		return false;
	pb_json_write(out, v);
	json_decref(v);
	return true;
}

void pb_record_write_row(const struct pb_collection *c, sqlite3_stmt *st, const int *colmap,
                         const struct pb_record_export *x, struct pb_strbuf *out)
{
	bool hide_email = email_hidden(c, st, colmap, x);
	bool ids_done = false, first = true;
	pb_strbuf_putc(out, '{');
	for (size_t k = 0; k < c->nfields; k++) {
		const struct pb_field *f = &c->fields[c->sorted[k]];
		if (!ids_done && ids_go_before(f)) {
			if (!x->no_collection_keys)
				write_ids(out, &first, c);
			ids_done = true;
		}
		enum emit e = what_to_emit(c, f, x, hide_email);
		if (e == EMIT_NONE)
			continue;
		size_t mark = out->len;
		bool was_first = first;
		write_key(out, &first, f->name);
		if (e == EMIT_EMPTY_STRING) {
			pb_strbuf_puts(out, "\"\"");
		} else if (!write_value(f, st, colmap[c->sorted[k]], out)) {
			out->len = mark; /* no value: no key */
			out->data[mark] = '\0';
			first = was_first;
		}
	}
	if (!ids_done && !x->no_collection_keys)
		write_ids(out, &first, c);
	pb_strbuf_putc(out, '}');
}
