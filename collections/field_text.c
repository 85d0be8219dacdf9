/* field_text — the "text" field (core/field_text.go), including the record id (primaryKey).
 * Values are strings (cast.ToString). Options: min, max (0 → 5000 code points), pattern (Go
 * regexp, unanchored), autogeneratePattern (used when a new record's value is empty, and by
 * the `f:autogenerate` setter), primaryKey. The primary key cannot change after insert; with a
 * non-default pattern it must also avoid filesystem-hostile characters and reserved names,
 * and be unique case-insensitively (a database check, see db_checks). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "collections/field_cast.h"
#include "collections/field_internal.h"
#include "core/default_fields.h"
#include "core/random.h"
#include "core/random_regex.h"
#include "core/regex.h"

#define DEFAULT_ID_PATTERN "^[a-z0-9]+$"
#define DEFAULT_TEXT_MAX 5000

static const char *const forbidden_pk_chars[] = {".", "/", "\\", "|", "\"", "'", "`", "<", ">", ":",
                                                 "?", "*", "%", "$", "\0", "\t", "\n", "\r", " "};
static const char *const reserved_pks[] = {"CON",  "PRN",  "AUX",  "NUL",  "COM1", "COM2", "COM3", "COM4",
                                           "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2", "LPT3",
                                           "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9"};

static json_t *text_modify(const struct pb_field *f, enum pb_modifier m, const json_t *current, const json_t *arg,
                           struct pb_error *err)
{
	if (m != PB_MOD_AUTOGENERATE)
		return pbf_string_prepare(f, arg);
	char *prefix = pb_cast_to_string(arg);
	const char *pattern = f->opt_autogenerate;
	char *gen = *pattern ? pb_random_string_by_regex(pattern, NULL) : NULL; /* errors ignored like PocketBase */
	size_t n = strlen(prefix), g = gen ? strlen(gen) : 0;
	char *s = malloc(n + g + 1);
	if (!s)
		abort();
	memcpy(s, prefix, n);
	if (gen)
		memcpy(s + n, gen, g);
	s[n + g] = '\0';
	json_t *v = json_string(s);
	if (!v)
		v = json_stringn_nocheck(s, n + g);
	free(prefix);
	free(gen);
	free(s);
	return v;
}

/* TextField.ValidatePlainValue */
static int validate_plain(const struct pb_field *f, const char *value, struct pb_field_error *out)
{
	bool pk = f->primary_key;
	if ((f->required || pk) && pbf_required_string(value, out))
		return 1;
	if (!*value)
		return 0;
	size_t len = pb_utf8_runes(value);
	long long min = (long long)f->opt_min;
	if (min > 0 && (long long)len < min)
		return pb_field_error_set(out, PB_VMSG_TEXT_MIN, pbf_param_int("min", min));
	long long max = (long long)f->opt_max;
	if (max == 0)
		max = DEFAULT_TEXT_MAX;
	if (max > 0 && (long long)len > max)
		return pb_field_error_set(out, PB_VMSG_TEXT_MAX, pbf_param_int("max", max));
	const char *pattern = f->opt_pattern;
	if (*pattern && pb_regex_match(pattern, value, strlen(value)) != 1)
		return pb_field_error_set(out, PB_VMSG_INVALID_FORMAT, NULL);
	if (pk && strcmp(pattern, DEFAULT_ID_PATTERN) != 0) {
		for (size_t i = 0; i < sizeof forbidden_pk_chars / sizeof forbidden_pk_chars[0]; i++) {
			const char *ch = forbidden_pk_chars[i];
			bool found = *ch ? strstr(value, ch) != NULL : false; /* NUL cannot occur in a C string */
			if (found) {
				json_t *p = json_object();
				json_object_set_new(p, "ch", json_string(ch));
				return pb_field_error_set(out, PB_VMSG_FORBIDDEN_PK_CHAR, p);
			}
		}
		if (len <= 4) {
			for (size_t i = 0; i < sizeof reserved_pks / sizeof reserved_pks[0]; i++) {
				if (!strcasecmp(value, reserved_pks[i])) {
					json_t *p = json_object();
					json_object_set_new(p, "reserved", json_string(reserved_pks[i]));
					return pb_field_error_set(out, PB_VMSG_RESERVED_PK, p);
				}
			}
		}
	}
	return 0;
}

static int text_validate(const struct pb_field *f, const struct pb_field_value *v, struct pb_field_error *out)
{
	const char *value = json_is_string(v->value) ? json_string_value(v->value) : "";
	if (f->primary_key && !v->is_new) {
		const char *old = json_is_string(v->old_value) ? json_string_value(v->old_value) : "";
		if (strcmp(old, value) != 0)
			return pb_field_error_set(out, PB_VMSG_PK_CHANGE, NULL);
		if (*old)
			return 0; /* ids inserted by other means need not satisfy the current options */
	}
	return validate_plain(f, value, out);
}

static void text_db_checks(const struct pb_field *f, const struct pb_field_value *v, bool static_ok, json_t *checks)
{
	const char *value = json_is_string(v->value) ? json_string_value(v->value) : "";
	if (!f->primary_key || !v->is_new || !*value || !strcmp(f->opt_pattern, DEFAULT_ID_PATTERN))
		return;
	json_array_append_new(checks, json_pack("{s:s, s:s, s:s, s:s}", "kind", "pk_unique_nocase", "field", f->name,
	                                        "collection", v->collection_name ? v->collection_name : "", "value",
	                                        value));
}

static int text_on_validate(const struct pb_field *f, json_t *record, bool is_new, struct pb_error *err)
{
	const char *pattern = f->opt_autogenerate;
	const char *cur = json_string_value(json_object_get(record, f->name));
	if (!*pattern || !is_new || (cur && *cur))
		return 0;
	if (f->primary_key && strcmp(pattern, PB_DEFAULT_ID_AUTOGENERATE) == 0) {
		/* the default id form: pb_random_id's time-ordered ids (cheaper inserts) */
		char id[PB_RECORD_ID_LEN + 1];
		if (pb_random_id(id) != 0)
			return pb_error_set(err, 400, "failed to autogenerate \"%s\" value: no random bytes", f->name);
		json_object_set_new(record, f->name, json_stringn_nocheck(id, PB_RECORD_ID_LEN));
		return 0;
	}
	struct pb_error gen_err = PB_ERROR_INIT;
	char *gen = pb_random_string_by_regex(pattern, &gen_err);
	if (!gen) {
		pb_error_set(err, 400, "failed to autogenerate \"%s\" value: %s", f->name, gen_err.message);
		pb_error_clear(&gen_err);
		return -1;
	}
	json_object_set_new(record, f->name, json_string(gen));
	free(gen);
	return 0;
}

static const char *text_column_def(const struct pb_field *f)
{
	if (f->primary_key)
		return "TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL";
	return "TEXT DEFAULT '' NOT NULL";
}

const struct pb_field_ops pb_field_text_type = {
	.type = PB_FIELD_TEXT,
	.modifiers = PB_MOD_BIT(PB_MOD_SET) | PB_MOD_BIT(PB_MOD_AUTOGENERATE),
	.prepare = pbf_string_prepare,
	.modify = text_modify,
	.validate = text_validate,
	.db_checks = text_db_checks,
	.to_db = pbf_string_to_db,
	.from_column = pbf_string_from_column,
	.write_column = pbf_string_write_column,
	.zero = pbf_string_zero,
	.column_def = text_column_def,
	.on_validate = text_on_validate,
};

bool pb_field_text_plain_valid(const struct pb_field *f, const char *value)
{
	struct pb_field_error e = {0};
	int failed = validate_plain(f, value ? value : "", &e);
	pb_field_error_clear(&e);
	return failed == 0;
}
