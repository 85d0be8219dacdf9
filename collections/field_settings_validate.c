/* field_settings_validate — every field type's ValidateSettings (core/field_*.go) over the
 * canonical field JSON: the common id/name/help rules, then the type's options, each key
 * reporting its first failing rule (ozzo ValidateStruct). Rules that ozzo skips for empty
 * values (Min, Max, Length, Match, In, NotIn, the `is` rules) skip 0 / "" here too. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "collections/collection_doc.h"
#include "collections/collection_validate_internal.h"
#include "collections/field_settings.h"
#include "collections/field_type.h"
#include "core/random_regex.h"
#include "core/regex.h"
#include "core/rx.h"

#define MAX_SAFE_INT 9007199254740991LL /* 1<<53 - 1 */

static const char domain_pattern[] =
	"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-z0-9])?\\.)+(?:[a-zA-Z]{1,63}| xn--[a-z0-9]{1,59})$";

static int64_t num(const json_t *f, const char *key) { return (int64_t)pb_fjson_num(f, key); }

/* validation.Min(min) then validation.Max(max) on an int option (0 skipped). */
static json_t *int_range(int64_t v, int64_t min, int64_t max)
{
	if (v == 0)
		return NULL;
	if (v < min)
		return pb_cv_min(min);
	if (v > max)
		return pb_cv_max(max);
	return NULL;
}

static json_t *is_regex(const char *pattern)
{
	if (!*pattern)
		return NULL;
	char msg[300];
	if (pb_regex_check(pattern, msg, sizeof msg) == 0)
		return NULL;
	char full[400];
	snprintf(full, sizeof full, "error parsing regexp: %s: `%s`", msg, pattern);
	return pb_cv_item("validation_invalid_regex", full, NULL);
}

static json_t *field_name_rule(const char *name)
{
	static const char *const excluded[] = {"null", "true", "false", "_rowid_", "collectionId", "collectionName", "expand"};
	json_t *e;
	if ((e = pb_cv_required_str(name)) || (e = pb_cv_length(name, 1, 100)) || (e = pb_cv_match_word(name)))
		return e;
	for (size_t i = 0; i < sizeof excluded / sizeof excluded[0]; i++)
		if (!strcmp(name, excluded[i]))
			return pb_cv_item("validation_not_in_invalid", "must not be in list", NULL);
	return pb_cv_check_via(name);
}

/* The rules every type shares: id, name and (except autodate) help. */
static void common_rules(const json_t *f, json_t *errs, bool with_help)
{
	const char *id = pb_fjson_str(f, "id");
	json_t *e = pb_cv_required_str(id);
	if (!e)
		e = pb_cv_length(id, 1, 100);
	pb_cv_put(errs, "id", e);
	pb_cv_put(errs, "name", field_name_rule(pb_fjson_str(f, "name")));
	if (with_help)
		pb_cv_put(errs, "help", pb_cv_length(pb_fjson_str(f, "help"), 1, 300));
}

/* validation.Each(is.Domain) over a string list: errors keyed by element index. */
static json_t *each_domain(const json_t *list)
{
	json_t *errs = json_object();
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v)
	{
		const char *s = json_string_value(v);
		if (!s || !*s)
			continue;
		if (strlen(s) > 255 || !pb_rx_match_once(domain_pattern, s, strlen(s))) {
			char key[24];
			snprintf(key, sizeof key, "%zu", i);
			json_object_set_new(errs, key, pb_cv_item("validation_is_domain", "must be a valid domain", NULL));
		}
	}
	if (!json_object_size(errs)) {
		json_decref(errs);
		return NULL;
	}
	return errs;
}

static void domains_rules(const json_t *f, json_t *errs)
{
	const json_t *except = json_object_get(f, "exceptDomains"), *only = json_object_get(f, "onlyDomains");
	size_t ne = json_array_size(except), no = json_array_size(only);
	pb_cv_put(errs, "exceptDomains",
	          no > 0 ? (ne ? pb_cv_item("validation_empty", "must be blank", NULL) : NULL) : each_domain(except));
	pb_cv_put(errs, "onlyDomains",
	          ne > 0 ? (no ? pb_cv_item("validation_empty", "must be blank", NULL) : NULL) : each_domain(only));
}

static json_t *autogenerate_rule(struct pb_cv *cv, const json_t *f, const struct pb_field *mf)
{
	const char *pattern = pb_fjson_str(f, "autogeneratePattern");
	json_t *e = is_regex(pattern);
	if (e || !*pattern)
		return e;
	for (int i = 0; i < 10; i++) {
		struct pb_error gerr = PB_ERROR_INIT;
		char *gen = pb_random_string_by_regex(pattern, &gerr);
		if (!gen) {
			e = pb_cv_item("validation_invalid_autogenerate_pattern", gerr.message, NULL);
			pb_error_clear(&gerr);
			return e;
		}
		json_t *val = json_string(gen);
		struct pb_field_value fv = {.value = val, .is_new = true};
		struct pb_field_error fe = {0};
		int bad = mf ? pb_field_impl(mf)->validate(mf, &fv, &fe) : 0;
		pb_field_error_clear(&fe);
		json_decref(val);
		if (bad) {
			char msg[512];
			snprintf(msg, sizeof msg, "The provided autogenerate pattern could produce invalid field values, ex.: \"%s\"",
			         gen);
			free(gen);
			return pb_cv_item("validation_invalid_autogenerate_pattern_value", msg, NULL);
		}
		free(gen);
	}
	(void)cv;
	return NULL;
}

static void text_rules(struct pb_cv *cv, const json_t *f, const struct pb_field *mf, json_t *errs)
{
	bool pk = pb_fjson_bool(f, "primaryKey");
	if (pk && !json_object_get(errs, "name") && strcmp(pb_fjson_str(f, "name"), "id") != 0)
		pb_cv_put(errs, "name", pb_cv_item("validation_in_invalid", "The primary key must be named \"id\".", NULL));
	if (pk) {
		int pks = 0;
		size_t i;
		json_t *o;
		json_array_foreach(json_object_get(cv->doc, "fields"), i, o)
		{
			if (!strcmp(pb_fjson_str(o, "type"), "text") && pb_fjson_bool(o, "primaryKey"))
				pks++;
		}
		if (pks > 1)
			pb_cv_put(errs, "primaryKey",
			          pb_cv_item("validation_unsupported_composite_pk",
			                     "Composite PKs are not supported and the collection must have only 1 PK.", NULL));
	}
	int64_t min = num(f, "min"), max = num(f, "max");
	pb_cv_put(errs, "min", int_range(min, 0, MAX_SAFE_INT));
	pb_cv_put(errs, "max", int_range(max, min, MAX_SAFE_INT));
	const char *pattern = pb_fjson_str(f, "pattern");
	pb_cv_put(errs, "pattern", pk && !*pattern ? pb_cv_required_str("") : is_regex(pattern));
	if (pk && pb_fjson_bool(f, "hidden"))
		pb_cv_put(errs, "hidden", pb_cv_item("validation_empty", "must be blank", NULL));
	if (pk && !pb_fjson_bool(f, "required"))
		pb_cv_put(errs, "required", pb_cv_required_str(""));
	pb_cv_put(errs, "autogeneratePattern", autogenerate_rule(cv, f, mf));
}

static json_t *only_int(const json_t *f, const char *key)
{
	json_t *v = json_object_get(f, key);
	if (!json_is_number(v) || !pb_fjson_bool(f, "onlyInt"))
		return NULL;
	double d = json_number_value(v);
	if (d != (double)(int64_t)d)
		return pb_cv_item("validation_only_int_constraint", "Decimal numbers are not allowed", NULL);
	return NULL;
}

static void number_rules(const json_t *f, json_t *errs)
{
	pb_cv_put(errs, "min", only_int(f, "min"));
	json_t *e = only_int(f, "max");
	json_t *min = json_object_get(f, "min"), *max = json_object_get(f, "max");
	if (!e && json_is_number(min) && json_is_number(max) && json_number_value(max) < json_number_value(min))
		e = pb_cv_item("validation_min_number_constraint", "Must be greater or equal than {{.min}}",
		               json_pack("{so}", "min", json_real(json_number_value(min))));
	pb_cv_put(errs, "max", e);
}

static void date_rules(const json_t *f, json_t *errs)
{
	const char *min = pb_fjson_str(f, "min"), *max = pb_fjson_str(f, "max");
	if (*max && *min && strcmp(max, min) < 0)
		pb_cv_put(errs, "max", pb_cv_item("validation_date_out_of_range", "the date is out of range", NULL));
}

/* The stored field with the same id in the stored version of the validated collection. */
static const json_t *old_field(const struct pb_cv *cv, const json_t *f)
{
	if (cv->orig_new)
		return NULL;
	return pb_fields_by_id(json_object_get(cv->orig, "fields"), pb_fjson_str(f, "id"));
}

static void autodate_rules(const struct pb_cv *cv, const json_t *f, json_t *errs)
{
	bool on_create = pb_fjson_bool(f, "onCreate"), on_update = pb_fjson_bool(f, "onUpdate");
	bool old_create = on_create, old_update = on_update;
	const json_t *old = old_field(cv, f);
	if (old && !strcmp(pb_fjson_str(old, "type"), "autodate")) {
		old_create = pb_fjson_bool(old, "onCreate");
		old_update = pb_fjson_bool(old, "onUpdate");
	}
	bool sys = pb_fjson_bool(f, "system");
	static const char either[] = "either onCreate or onUpdate must be enabled";
	if (sys && on_create != old_create)
		pb_cv_put(errs, "onCreate", pb_cv_item("validation_values_mismatch", "Values don't match.", NULL));
	else if (!on_update && !on_create)
		pb_cv_put(errs, "onCreate", pb_cv_item("validation_required", either, NULL));
	if (sys && on_update != old_update)
		pb_cv_put(errs, "onUpdate", pb_cv_item("validation_values_mismatch", "Values don't match.", NULL));
	else if (!on_create && !on_update)
		pb_cv_put(errs, "onUpdate", pb_cv_item("validation_required", either, NULL));
}

static void select_rules(const json_t *f, json_t *errs)
{
	size_t n = json_array_size(json_object_get(f, "values"));
	if (!n)
		pb_cv_put(errs, "values", pb_cv_required_str(""));
	pb_cv_put(errs, "maxSelect", int_range(num(f, "maxSelect"), 0, n ? (int64_t)n : 1));
}

static json_t *relation_collection_rule(const struct pb_cv *cv, const json_t *f)
{
	const char *target = pb_fjson_str(f, "collectionId");
	if (!*target)
		return pb_cv_required_str("");
	const json_t *old = old_field(cv, f);
	if (old && !strcmp(pb_fjson_str(old, "type"), "relation") && strcmp(pb_fjson_str(old, "collectionId"), target))
		return pb_cv_item("validation_field_relation_change", "The relation collection cannot be changed.", NULL);
	/* the stored collections only, as PocketBase's cache: a new collection cannot point at itself */
	const struct pb_collection *rel = pb_schema_find(cv->in->schema, target);
	if (!rel || strcmp(rel->id, target) != 0)
		return pb_cv_item("validation_field_relation_missing_collection", "The relation collection doesn't exist.",
		                  NULL);
	if (pb_collection_doc_type(cv->doc) != PB_COLLECTION_VIEW && rel->type == PB_COLLECTION_VIEW)
		return pb_cv_item("validation_relation_field_non_view_base_collection",
		                  "Only view collections are allowed to have relations to other views.", NULL);
	return NULL;
}

static void relation_rules(const struct pb_cv *cv, const json_t *f, json_t *errs)
{
	pb_cv_put(errs, "collectionId", relation_collection_rule(cv, f));
	int64_t min = num(f, "minSelect"), max = num(f, "maxSelect");
	pb_cv_put(errs, "minSelect", int_range(min, 0, INT64_MAX));
	json_t *e = NULL;
	if (min > 0 && max == 0)
		e = pb_cv_required_str("");
	else
		e = int_range(max, min, INT64_MAX);
	pb_cv_put(errs, "maxSelect", e);
}

static bool thumb_ok(const char *s)
{
	/* ^(\d+)x(\d+)(t|b|f)?$ */
	const char *p = s;
	if (!(*p >= '0' && *p <= '9'))
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p++ != 'x' || !(*p >= '0' && *p <= '9'))
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == 't' || *p == 'b' || *p == 'f')
		p++;
	return *p == 0;
}

static void file_rules(const json_t *f, json_t *errs)
{
	pb_cv_put(errs, "maxSelect", int_range(num(f, "maxSelect"), 0, MAX_SAFE_INT));
	pb_cv_put(errs, "maxSize", int_range(num(f, "maxSize"), 0, MAX_SAFE_INT));
	json_t *terrs = json_object();
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(f, "thumbs"), i, v)
	{
		const char *s = json_string_value(v);
		if (!s || !*s)
			continue;
		json_t *e = NULL;
		if (!strcmp(s, "0x0") || !strcmp(s, "0x0t") || !strcmp(s, "0x0b") || !strcmp(s, "0x0f"))
			e = pb_cv_item("validation_not_in_invalid", "must not be in list", NULL);
		else if (!thumb_ok(s))
			e = pb_cv_item("validation_match_invalid", "must be in a valid format", NULL);
		if (e) {
			char key[24];
			snprintf(key, sizeof key, "%zu", i);
			json_object_set_new(terrs, key, e);
		}
	}
	if (json_object_size(terrs))
		json_object_set_new(errs, "thumbs", terrs);
	else
		json_decref(terrs);
}

static void password_rules(const json_t *f, json_t *errs)
{
	int64_t min = num(f, "min");
	pb_cv_put(errs, "min", int_range(min, 1, 71));
	pb_cv_put(errs, "max", int_range(num(f, "max"), min, 71));
	pb_cv_put(errs, "cost", int_range(num(f, "cost"), 4, 31));
	pb_cv_put(errs, "pattern", is_regex(pb_fjson_str(f, "pattern")));
}

json_t *pb_cv_field_settings(struct pb_cv *cv, size_t i)
{
	const json_t *f = json_array_get(json_object_get(cv->doc, "fields"), i);
	const struct pb_field *mf = cv->model && i < cv->model->nfields ? &cv->model->fields[i] : NULL;
	enum pb_field_type t = pb_field_type_from_name(pb_fjson_str(f, "type"));
	json_t *errs = json_object();
	common_rules(f, errs, t != PB_FIELD_AUTODATE);
	switch (t) {
	case PB_FIELD_TEXT: text_rules(cv, f, mf, errs); break;
	case PB_FIELD_NUMBER: number_rules(f, errs); break;
	case PB_FIELD_EMAIL:
	case PB_FIELD_URL: domains_rules(f, errs); break;
	case PB_FIELD_EDITOR:
	case PB_FIELD_JSON: pb_cv_put(errs, "maxSize", int_range(num(f, "maxSize"), 0, MAX_SAFE_INT)); break;
	case PB_FIELD_DATE: date_rules(f, errs); break;
	case PB_FIELD_AUTODATE: autodate_rules(cv, f, errs); break;
	case PB_FIELD_SELECT: select_rules(f, errs); break;
	case PB_FIELD_RELATION: relation_rules(cv, f, errs); break;
	case PB_FIELD_FILE: file_rules(f, errs); break;
	case PB_FIELD_PASSWORD: password_rules(f, errs); break;
	default: break;
	}
	if (!json_object_size(errs)) {
		json_decref(errs);
		return NULL;
	}
	return errs;
}
