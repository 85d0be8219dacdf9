/* collection_validate_internal — what the collection validator's files share: the validation
 * context (the new and the original collection, the database and schema it is checked
 * against) and ozzo-style error item builders. Not a public header. */
#ifndef POCKETC_COLLECTIONS_COLLECTION_VALIDATE_INTERNAL_H
#define POCKETC_COLLECTIONS_COLLECTION_VALIDATE_INTERNAL_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "collections/collection_validate.h"

struct pb_cv {
	const struct pb_collection_validate *in;
	json_t *doc;                      /* = in->doc */
	const json_t *orig;               /* in->original, or a blank factory doc of the same type */
	bool orig_new;                    /* original.IsNew() */
	struct pb_collection *model;      /* owned: doc as a model (rules, field values) */
	struct pb_schema rule_schema;     /* in->schema with `model` in place of the original */
};

/* An error item {code, message (template rendered with params, sentenized)[, params]}.
 * `params` is stolen (NULL = none). New reference. */
json_t *pb_cv_item(const char *code, const char *tmpl, json_t *params);
/* validation.Min / validation.Max items (threshold params). */
json_t *pb_cv_min(int64_t threshold);
json_t *pb_cv_max(int64_t threshold);
/* Sets tree[key] = item when item is non-NULL (item stolen). */
void pb_cv_put(json_t *tree, const char *key, json_t *item);
/* The ozzo rules shared by several checks; each returns a new item (new reference) or NULL
 * when `s` (borrowed) passes. */
json_t *pb_cv_required_str(const char *s);
json_t *pb_cv_length(const char *s, int64_t min, int64_t max); /* bytes; "" skipped */
json_t *pb_cv_match_word(const char *s);                        /* ^\w+$ ; "" skipped */
json_t *pb_cv_check_via(const char *s);                         /* validation_found_via */

/* checkRule: NULL when the rule (borrowed; NULL/"" = nothing) builds with the filter engine
 * against the validated collection, else a validation_invalid_rule item (new reference). */
json_t *pb_cv_check_rule(struct pb_cv *cv, const char *rule);
/* ensureNoSystemRuleChange: an item (new reference) when the original is a stored system
 * collection and the rule differs (NULL vs string counts); NULL otherwise. */
json_t *pb_cv_system_rule_change(const struct pb_cv *cv, const char *old_rule, bool old_null, const char *rule,
                                 bool is_null);

/* ValidateSettings of field i of the doc: the error tree (new reference, an object keyed by
 * option) or NULL when the field is valid. */
json_t *pb_cv_field_settings(struct pb_cv *cv, size_t i);
/* checkIndexes: the error for `indexes` (new reference: an item or an object keyed by index
 * position) or NULL. Reads sqlite_master through cv->in->db. */
json_t *pb_cv_check_indexes(struct pb_cv *cv);
/* The auth options validation: a new object of option errors (possibly empty). */
json_t *pb_cv_auth_options(struct pb_cv *cv);

#endif
