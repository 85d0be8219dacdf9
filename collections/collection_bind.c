/* collection_bind — request bodies onto collection docs (see collection_bind.h). */
#include "collections/collection_bind.h"

#include <string.h>

#include "collections/collection_doc.h"
#include "collections/field_settings.h"
#include "collections/gostruct.h"

int pb_collection_bind_factory(const json_t *body, json_t **out)
{
	static const struct pb_go_field factory_schema[] = {
		{"type", PB_GO_STRING, NULL, false}, {"name", PB_GO_STRING, NULL, false}, {NULL, 0, NULL, false}};
	*out = pb_go_zero(factory_schema);
	if (body && pb_go_decode(factory_schema, *out, body) != 0) {
		json_decref(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

/* FieldsList.UnmarshalJSON: null → an empty list, an array → each element decoded and added. */
static int bind_fields(json_t *doc, const json_t *src)
{
	json_t *list = json_array();
	if (!json_is_null(src)) {
		if (!json_is_array(src)) {
			json_decref(list);
			return -1;
		}
		size_t i;
		json_t *item;
		json_array_foreach(src, i, item)
		{
			json_t *f = pb_field_settings_decode(item);
			if (!f) {
				json_decref(list);
				return -1;
			}
			pb_fields_list_add(list, f);
		}
	}
	json_object_set_new(doc, "fields", list);
	return 0;
}

int pb_collection_bind(json_t *doc, const json_t *body)
{
	if (!body || json_is_null(body))
		return 0;
	if (!json_is_object(body))
		return -1;
	int rc = pb_go_decode(pb_collection_doc_schema, doc, body);
	const char *key;
	json_t *val;
	json_object_foreach((json_t *)body, key, val)
	{
		const struct pb_go_field *f = pb_go_lookup(pb_collection_doc_schema, key);
		if (f && !strcmp(f->key, "fields") && bind_fields(doc, val) != 0)
			rc = -1;
	}
	return rc;
}
