/* default_fields — the system field objects of new collections (see default_fields.h). */
#include "core/default_fields.h"

/* The record id field every base/auth collection starts with. */
json_t *pb_default_field_id(void)
{
	json_t *f = json_object();
	json_object_set_new(f, "autogeneratePattern", json_string(PB_DEFAULT_ID_AUTOGENERATE));
	json_object_set_new(f, "help", json_string(""));
	json_object_set_new(f, "hidden", json_false());
	json_object_set_new(f, "id", json_string("text3208210256"));
	json_object_set_new(f, "max", json_integer(15));
	json_object_set_new(f, "min", json_integer(15));
	json_object_set_new(f, "name", json_string("id"));
	json_object_set_new(f, "pattern", json_string("^[a-z0-9]+$"));
	json_object_set_new(f, "presentable", json_false());
	json_object_set_new(f, "primaryKey", json_true());
	json_object_set_new(f, "required", json_true());
	json_object_set_new(f, "system", json_true());
	json_object_set_new(f, "type", json_string("text"));
	return f;
}

json_t *pb_default_field_text(const char *id, const char *name, bool system, bool hidden, bool required, int min,
                              int max, const char *autogenerate)
{
	json_t *f = json_object();
	json_object_set_new(f, "autogeneratePattern", json_string(autogenerate));
	json_object_set_new(f, "help", json_string(""));
	json_object_set_new(f, "hidden", json_boolean(hidden));
	json_object_set_new(f, "id", json_string(id));
	json_object_set_new(f, "max", json_integer(max));
	json_object_set_new(f, "min", json_integer(min));
	json_object_set_new(f, "name", json_string(name));
	json_object_set_new(f, "pattern", json_string(""));
	json_object_set_new(f, "presentable", json_false());
	json_object_set_new(f, "primaryKey", json_false());
	json_object_set_new(f, "required", json_boolean(required));
	json_object_set_new(f, "system", json_boolean(system));
	json_object_set_new(f, "type", json_string("text"));
	return f;
}

/* A system, hidden, required password field (min 8 for auth collections, cost 8 for _otps). */
json_t *pb_default_field_password(int cost, int min)
{
	json_t *f = json_object();
	json_object_set_new(f, "cost", json_integer(cost));
	json_object_set_new(f, "help", json_string(""));
	json_object_set_new(f, "hidden", json_true());
	json_object_set_new(f, "id", json_string("password901924565"));
	json_object_set_new(f, "max", json_integer(0));
	json_object_set_new(f, "min", json_integer(min));
	json_object_set_new(f, "name", json_string("password"));
	json_object_set_new(f, "pattern", json_string(""));
	json_object_set_new(f, "presentable", json_false());
	json_object_set_new(f, "required", json_true());
	json_object_set_new(f, "system", json_true());
	json_object_set_new(f, "type", json_string("password"));
	return f;
}

json_t *pb_default_field_email(void)
{
	json_t *f = json_object();
	json_object_set_new(f, "exceptDomains", json_null());
	json_object_set_new(f, "help", json_string(""));
	json_object_set_new(f, "hidden", json_false());
	json_object_set_new(f, "id", json_string("email3885137012"));
	json_object_set_new(f, "name", json_string("email"));
	json_object_set_new(f, "onlyDomains", json_null());
	json_object_set_new(f, "presentable", json_false());
	json_object_set_new(f, "required", json_true());
	json_object_set_new(f, "system", json_true());
	json_object_set_new(f, "type", json_string("email"));
	return f;
}

json_t *pb_default_field_bool(const char *id, const char *name)
{
	json_t *f = json_object();
	json_object_set_new(f, "help", json_string(""));
	json_object_set_new(f, "hidden", json_false());
	json_object_set_new(f, "id", json_string(id));
	json_object_set_new(f, "name", json_string(name));
	json_object_set_new(f, "presentable", json_false());
	json_object_set_new(f, "required", json_false());
	json_object_set_new(f, "system", json_true());
	json_object_set_new(f, "type", json_string("bool"));
	return f;
}

json_t *pb_default_field_autodate(bool updated, bool system)
{
	json_t *f = json_object();
	json_object_set_new(f, "hidden", json_false());
	json_object_set_new(f, "id", json_string(updated ? "autodate3332085495" : "autodate2990389176"));
	json_object_set_new(f, "name", json_string(updated ? "updated" : "created"));
	json_object_set_new(f, "onCreate", json_true());
	json_object_set_new(f, "onUpdate", json_boolean(updated));
	json_object_set_new(f, "presentable", json_false());
	json_object_set_new(f, "system", json_boolean(system));
	json_object_set_new(f, "type", json_string("autodate"));
	return f;
}

json_t *pb_default_field_token_key(void)
{
	return pb_default_field_text("text2504183744", "tokenKey", true, true, true, 30, 60, "[a-zA-Z0-9]{50}");
}

void pb_default_auth_fields_append(json_t *fields)
{
	json_array_append_new(fields, pb_default_field_id());
	json_array_append_new(fields, pb_default_field_password(0, 8));
	json_array_append_new(fields, pb_default_field_token_key());
	json_array_append_new(fields, pb_default_field_email());
	json_array_append_new(fields, pb_default_field_bool("bool1547992806", "emailVisibility"));
	json_array_append_new(fields, pb_default_field_bool("bool256245529", "verified"));
}
