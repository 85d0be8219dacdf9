/* record_json — stored row → record JSON (see record_json.h). Column values are normalised by
 * each field type's from_column (collections/field_*.c). */
#include "collections/record_json.h"

#include <stdlib.h>
#include <string.h>

#include "collections/field_type.h"

int *pb_record_colmap(const struct pb_collection *c, sqlite3_stmt *st)
{
	int *map = malloc((c->nfields ? c->nfields : 1) * sizeof *map);
	if (!map)
		abort();
	/* the column names are looked up once (sqlite3_column_name is not free), then each field
	 * takes the first column of its name */
	int ncols = sqlite3_column_count(st);
	const char *local[64];
	const char **names = ncols <= 64 ? local : malloc((size_t)ncols * sizeof *names);
	if (!names)
		abort();
	for (int k = 0; k < ncols; k++)
		names[k] = sqlite3_column_name(st, k);
	for (size_t i = 0; i < c->nfields; i++) {
		const char *want = c->fields[i].name;
		map[i] = -1;
		for (int k = 0; k < ncols; k++) {
			const char *name = names[k];
			if (name && name[0] == want[0] && strcmp(name, want) == 0) {
				map[i] = k;
				break;
			}
		}
	}
	if (names != local)
		free(names);
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

json_t *pb_record_from_row(const struct pb_collection *c, sqlite3_stmt *st, const int *colmap,
                           const struct pb_record_export *x)
{
	json_t *o = json_object();
	bool hide_email = false;
	if (c->type == PB_COLLECTION_AUTH && !x->show_email) {
		const struct pb_field *ev = pb_collection_field(c, "emailVisibility");
		int col = ev ? colmap[ev - c->fields] : -1;
		json_t *v = ev ? pb_field_value_from_column(ev, st, col) : json_false();
		hide_email = !json_is_true(v);
		json_decref(v);
	}
	bool ids_done = false;
	for (size_t k = 0; k < c->nfields; k++) {
		const struct pb_field *f = &c->fields[c->sorted[k]];
		if (!ids_done && strcmp(f->name, "collectionId") > 0) {
			if (!x->no_collection_keys) {
				json_object_set_new(o, "collectionId", json_string(c->id));
				json_object_set_new(o, "collectionName", json_string(c->name));
			}
			ids_done = true;
		}
		if (f->hidden && !x->show_hidden && !(x->keep_secrets && is_auth_secret(c, f)))
			continue;
		if (is_auth_secret(c, f) && !x->keep_secrets)
			continue;
		if (hide_email && c->type == PB_COLLECTION_AUTH && !strcmp(f->name, "email"))
			continue;
		if (f->type == PB_FIELD_PASSWORD && !x->keep_secrets) {
			/* PocketBase exports a password field's (cleared) plain value, never the hash */
			json_object_set_new(o, f->name, json_string(""));
			continue;
		}
		json_object_set_new(o, f->name, pb_field_value_from_column(f, st, colmap[c->sorted[k]]));
	}
	if (!ids_done && !x->no_collection_keys) {
		json_object_set_new(o, "collectionId", json_string(c->id));
		json_object_set_new(o, "collectionName", json_string(c->name));
	}
	return o;
}
