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

/* ---- the direct writer ------------------------------------------------------------------- */

enum item_kind { ITEM_IDS, ITEM_EMPTY_STRING, ITEM_VALUE };

struct plan_item {
	enum item_kind kind;
	const struct pb_field *f;       /* ITEM_VALUE: borrowed from the collection */
	const struct pb_field_ops *ops; /* ITEM_VALUE */
	int col;                        /* ITEM_VALUE: result column, -1 = missing */
	bool is_email;                  /* left out on rows whose emailVisibility hides it */
	size_t text_off, text_len;      /* in plan->text: `,"key":` (ITEM_IDS: both keys with their values);
	                                 * the first item written skips the comma */
};

/* One allocation: the struct, then items[], colmap[] and the text (sized by text_bound). */
struct pb_row_plan {
	const struct pb_collection *c; /* borrowed */
	struct pb_record_export x;
	int *colmap;                   /* in the block: a copy */
	bool check_email;              /* auth collection without show_email */
	struct plan_item *items;       /* in the block */
	size_t n;
	struct pb_strbuf text;         /* data in the block, cap = its bound: never grows */
};

/* An upper bound of the JSON text of a string: 6 bytes per input byte (\u00XX), the quotes. */
static size_t json_bound(const char *s) { return 6 * strlen(s) + 2; }

static size_t text_bound(const struct pb_collection *c)
{
	size_t n = 2 * (json_bound("collectionName") + 2) + json_bound(c->id) + json_bound(c->name) + 1;
	for (size_t k = 0; k < c->nfields; k++)
		n += json_bound(c->fields[k].name) + 1;
	return n + c->nfields + 1 + 1; /* each item's leading comma, the NUL */
}

static void plan_key(struct pb_row_plan *p, struct plan_item *it, const char *key)
{
	it->text_off = p->text.len;
	pb_strbuf_putc(&p->text, ',');
	pb_json_write_string(&p->text, key, strlen(key));
	pb_strbuf_putc(&p->text, ':');
	it->text_len = p->text.len - it->text_off;
}

static void plan_ids(struct pb_row_plan *p, struct plan_item *it)
{
	const struct pb_collection *c = p->c;
	it->kind = ITEM_IDS;
	it->is_email = false;
	it->text_off = p->text.len;
	pb_strbuf_putc(&p->text, ',');
	pb_json_write_string(&p->text, "collectionId", 12);
	pb_strbuf_putc(&p->text, ':');
	pb_json_write_string(&p->text, c->id, strlen(c->id));
	pb_strbuf_putc(&p->text, ',');
	pb_json_write_string(&p->text, "collectionName", 14);
	pb_strbuf_putc(&p->text, ':');
	pb_json_write_string(&p->text, c->name, strlen(c->name));
	it->text_len = p->text.len - it->text_off;
}

struct pb_row_plan *pb_row_plan_new(const struct pb_collection *c, const int *colmap, const struct pb_record_export *x)
{
	size_t items_size = (c->nfields + 1) * sizeof(struct plan_item), map_size = c->nfields * sizeof(int);
	size_t cap = text_bound(c);
	char *block = malloc(sizeof(struct pb_row_plan) + items_size + map_size + cap);
	if (!block)
		abort();
	struct pb_row_plan *p = (struct pb_row_plan *)block;
	p->c = c;
	p->x = *x;
	p->n = 0;
	p->check_email = c->type == PB_COLLECTION_AUTH && !x->show_email;
	p->items = (struct plan_item *)(block + sizeof *p);
	p->colmap = (int *)(block + sizeof *p + items_size);
	memcpy(p->colmap, colmap, map_size);
	p->text = (struct pb_strbuf){block + sizeof *p + items_size + map_size, 0, cap};
	bool ids_done = false;
	for (size_t k = 0; k < c->nfields; k++) {
		const struct pb_field *f = &c->fields[c->sorted[k]];
		if (!ids_done && ids_go_before(f)) {
			if (!x->no_collection_keys)
				plan_ids(p, &p->items[p->n++]);
			ids_done = true;
		}
		/* the per-row email decision is made when writing (is_email) */
		enum emit e = what_to_emit(c, f, x, false);
		if (e == EMIT_NONE)
			continue;
		struct plan_item *it = &p->items[p->n++];
		it->kind = e == EMIT_EMPTY_STRING ? ITEM_EMPTY_STRING : ITEM_VALUE;
		it->f = f;
		it->ops = pb_field_impl(f);
		it->col = colmap[c->sorted[k]];
		it->is_email = p->check_email && !strcmp(f->name, "email");
		plan_key(p, it, f->name);
	}
	if (!ids_done && !x->no_collection_keys)
		plan_ids(p, &p->items[p->n++]);
	if (p->text.data != block + sizeof *p + items_size + map_size)
		abort(); /* text_bound was wrong: the text must never leave the block */
	return p;
}

void pb_row_plan_free(struct pb_row_plan *p) { free(p); }

/* the value of from_column, written; false (nothing written) where from_column gives NULL */
static bool write_value(const struct plan_item *it, sqlite3_stmt *st, struct pb_strbuf *out)
{
	if (it->ops->write_column)
		return it->ops->write_column(it->f, st, it->col, out);
	json_t *v = it->ops->from_column(it->f, st, it->col);
	if (!v)
		return false;
	pb_json_write(out, v);
	json_decref(v);
	return true;
}

void pb_row_plan_write(const struct pb_row_plan *p, sqlite3_stmt *st, struct pb_strbuf *out)
{
	bool hide_email = p->check_email && email_hidden(p->c, st, p->colmap, &p->x);
	bool first = true;
	pb_strbuf_putc(out, '{');
	for (size_t i = 0; i < p->n; i++) {
		const struct plan_item *it = &p->items[i];
		if (it->is_email && hide_email)
			continue;
		size_t mark = out->len, skip = first; /* the first key goes without its comma */
		pb_strbuf_append(out, p->text.data + it->text_off + skip, it->text_len - skip);
		if (it->kind == ITEM_EMPTY_STRING) {
			pb_strbuf_append(out, "\"\"", 2);
		} else if (it->kind == ITEM_VALUE && !write_value(it, st, out)) {
			out->len = mark; /* no value: no key */
			out->data[mark] = '\0';
			continue;
		}
		first = false;
	}
	pb_strbuf_putc(out, '}');
}

void pb_record_write_row(const struct pb_collection *c, sqlite3_stmt *st, const int *colmap,
                         const struct pb_record_export *x, struct pb_strbuf *out)
{
	struct pb_row_plan *p = pb_row_plan_new(c, colmap, x);
	pb_row_plan_write(p, st, out);
	pb_row_plan_free(p);
}
