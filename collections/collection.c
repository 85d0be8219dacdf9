/* collection — parsing a `_collections` row into the immutable model (see collection.h).
 * Legacy rows written by older PocketBase versions are tolerated: missing keys take their
 * zero value, unknown field types become PB_FIELD_UNKNOWN (stored, served raw). */
#include "collections/collection.h"
#include "collections/field_type.h"
#include "collections/record_write.h"

#include <stdlib.h>
#include <string.h>

static const char *const field_type_names[] = {
	[PB_FIELD_UNKNOWN] = "",         [PB_FIELD_TEXT] = "text",      [PB_FIELD_NUMBER] = "number",
	[PB_FIELD_BOOL] = "bool",        [PB_FIELD_EMAIL] = "email",    [PB_FIELD_URL] = "url",
	[PB_FIELD_EDITOR] = "editor",    [PB_FIELD_DATE] = "date",      [PB_FIELD_AUTODATE] = "autodate",
	[PB_FIELD_SELECT] = "select",    [PB_FIELD_FILE] = "file",      [PB_FIELD_RELATION] = "relation",
	[PB_FIELD_JSON] = "json",        [PB_FIELD_PASSWORD] = "password", [PB_FIELD_GEOPOINT] = "geoPoint",
};

const char *pb_field_type_name(enum pb_field_type t)
{
	if ((size_t)t >= sizeof field_type_names / sizeof field_type_names[0])
		return "";
	return field_type_names[t];
}

enum pb_field_type pb_field_type_from_name(const char *name)
{
	if (!name)
		return PB_FIELD_UNKNOWN;
	for (size_t i = 1; i < sizeof field_type_names / sizeof field_type_names[0]; i++)
		if (strcmp(field_type_names[i], name) == 0)
			return (enum pb_field_type)i;
	return PB_FIELD_UNKNOWN;
}

const char *pb_collection_type_name(enum pb_collection_type t)
{
	switch (t) {
	case PB_COLLECTION_AUTH: return "auth";
	case PB_COLLECTION_VIEW: return "view";
	default: return "base";
	}
}

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

static bool json_flag(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_true(v);
}

static int parse_field(json_t *fj, struct pb_field *f)
{
	if (!json_is_object(fj))
		return -1;
	f->id = strdup(json_string_value(json_object_get(fj, "id")) ? json_string_value(json_object_get(fj, "id")) : "");
	const char *name = json_string_value(json_object_get(fj, "name"));
	f->name = strdup(name ? name : "");
	f->type = pb_field_type_from_name(json_string_value(json_object_get(fj, "type")));
	f->system = json_flag(fj, "system");
	f->hidden = json_flag(fj, "hidden");
	f->required = json_flag(fj, "required");
	f->presentable = json_flag(fj, "presentable");
	f->primary_key = json_flag(fj, "primaryKey");
	f->cascade_delete = json_flag(fj, "cascadeDelete");
	f->protected_file = json_flag(fj, "protected");
	json_t *ms = json_object_get(fj, "maxSelect");
	f->max_select = json_is_number(ms) ? (int)json_number_value(ms) : 0;
	f->collection_id = dup_or_null(json_string_value(json_object_get(fj, "collectionId")));
	f->raw = json_incref(fj);
	f->opt_min = pb_field_opt_num(f, "min", 0);
	f->opt_max = pb_field_opt_num(f, "max", 0);
	f->opt_pattern = pb_field_opt_str(f, "pattern");
	f->opt_autogenerate = pb_field_opt_str(f, "autogeneratePattern");
	f->opt_on_create = pb_field_opt_bool(f, "onCreate");
	f->opt_on_update = pb_field_opt_bool(f, "onUpdate");
	return 0;
}

struct pb_collection *pb_collection_from_row(const char *id, const char *name, const char *type, int system,
                                             const char *fields_json, const char *indexes_json,
                                             const char *options_json, const char *const rules[PB_RULE_COUNT],
                                             const char *created, const char *updated)
{
	struct pb_collection *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->id = strdup(id ? id : "");
	c->name = strdup(name ? name : "");
	c->type = (type && strcmp(type, "auth") == 0)   ? PB_COLLECTION_AUTH
	          : (type && strcmp(type, "view") == 0) ? PB_COLLECTION_VIEW
	                                                : PB_COLLECTION_BASE;
	c->system = system != 0;
	for (int i = 0; i < PB_RULE_COUNT; i++)
		c->rules[i] = dup_or_null(rules[i]);
	c->created = strdup(created ? created : "");
	c->updated = strdup(updated ? updated : "");

	json_t *fields = json_loads(fields_json ? fields_json : "[]", JSON_DECODE_ANY, NULL);
	c->indexes = json_loads(indexes_json ? indexes_json : "[]", JSON_DECODE_ANY, NULL);
	c->options = json_loads(options_json ? options_json : "{}", JSON_DECODE_ANY, NULL);
	if (!json_is_array(c->indexes)) {
		json_decref(c->indexes);
		c->indexes = json_array();
	}
	if (!json_is_object(c->options)) {
		json_decref(c->options);
		c->options = json_object();
	}
	if (!json_is_array(fields)) {
		json_decref(fields);
		pb_collection_free(c);
		return NULL;
	}
	size_t n = json_array_size(fields);
	c->fields = calloc(n ? n : 1, sizeof *c->fields);
	for (size_t i = 0; i < n; i++) {
		if (parse_field(json_array_get(fields, i), &c->fields[c->nfields]) == 0)
			c->nfields++;
	}
	json_decref(fields);
	c->sorted = calloc(c->nfields ? c->nfields : 1, sizeof *c->sorted);
	for (size_t i = 0; i < c->nfields; i++) {
		size_t j = i;
		while (j > 0 && strcmp(c->fields[c->sorted[j - 1]].name, c->fields[i].name) > 0) {
			c->sorted[j] = c->sorted[j - 1];
			j--;
		}
		c->sorted[j] = i;
	}

	if (c->type == PB_COLLECTION_AUTH) {
		json_t *ar = json_object_get(c->options, "authRule");
		json_t *mr = json_object_get(c->options, "manageRule");
		c->auth_rule = json_is_string(ar) ? strdup(json_string_value(ar)) : NULL;
		c->manage_rule = json_is_string(mr) ? strdup(json_string_value(mr)) : NULL;
	}
	if (c->type == PB_COLLECTION_VIEW)
		c->view_query = dup_or_null(json_string_value(json_object_get(c->options, "viewQuery")));
	struct pb_strbuf sql = PB_STRBUF_INIT;
	pb_record_insert_sql(c, &sql);
	c->insert_sql_len = sql.len;
	c->insert_sql = pb_strbuf_steal(&sql);
	pb_record_update_sql(c, &sql);
	c->update_sql_len = sql.len;
	c->update_sql = pb_strbuf_steal(&sql);
	c->statements_name = c->name;
	return c;
}

void pb_collection_free(struct pb_collection *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nfields; i++) {
		free(c->fields[i].id);
		free(c->fields[i].name);
		free(c->fields[i].collection_id);
		json_decref(c->fields[i].raw);
	}
	free(c->fields);
	free(c->sorted);
	free(c->insert_sql);
	free(c->update_sql);
	for (int i = 0; i < PB_RULE_COUNT; i++)
		free(c->rules[i]);
	free(c->auth_rule);
	free(c->manage_rule);
	free(c->view_query);
	free(c->id);
	free(c->name);
	free(c->created);
	free(c->updated);
	json_decref(c->indexes);
	json_decref(c->options);
	free(c);
}

const struct pb_field *pb_collection_field(const struct pb_collection *c, const char *name)
{
	for (size_t i = 0; i < c->nfields; i++)
		if (strcmp(c->fields[i].name, name) == 0)
			return &c->fields[i];
	return NULL;
}

bool pb_field_is_multiple(const struct pb_field *f)
{
	return (f->type == PB_FIELD_SELECT || f->type == PB_FIELD_RELATION || f->type == PB_FIELD_FILE) &&
	       f->max_select > 1;
}

int pb_collection_token_config(const struct pb_collection *c, const char *token_kind, const char **secret,
                               long long *duration)
{
	json_t *t = json_object_get(c->options, token_kind);
	if (!json_is_object(t))
		return -1;
	if (secret)
		*secret = json_string_value(json_object_get(t, "secret"));
	if (duration)
		*duration = (long long)json_number_value(json_object_get(t, "duration"));
	return 0;
}
