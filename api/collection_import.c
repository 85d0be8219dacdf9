/* collection_import — PUT /api/collections/import, as apis/collection_import.go: the body is
 * {"collections":[{…},…],"deleteMissing":bool}; a body of the wrong shape is 400 "An error
 * occurred while loading the submitted data.", an empty list 400 "An error occurred while
 * validating the submitted data." with collections: validation_required; the import itself is
 * one writer job (collections/collection_save.h) answered with 204. */
#include <string.h>

#include "api/collection_write.h"
#include "api/collection_write_internal.h"
#include "collections/gostruct.h"
#include "core/validation.h"

#define MSG_LOAD "An error occurred while loading the submitted data."
#define MSG_VALIDATE "An error occurred while validating the submitted data."

void pb_api_collections_import(struct pb_req *req)
{
	struct pb_cw_job *j = pb_cw_job_new(req);
	if (pb_cw_decode_body(j, MSG_LOAD, true) != 0) {
		pb_cw_job_free(j);
		return;
	}
	/* collectionsImportForm: Collections []map[string]any, DeleteMissing bool */
	static const struct pb_go_field form[] = {{"collections", PB_GO_SKIP, NULL, false},
	                                          {"deleteMissing", PB_GO_BOOL, NULL, false},
	                                          {NULL, 0, NULL, false}};
	json_t *dst = pb_go_zero(form);
	const json_t *list = NULL;
	int bad = pb_go_decode(form, dst, j->body.data);
	const char *key;
	json_t *val;
	json_object_foreach(j->body.data, key, val)
	{
		const struct pb_go_field *f = pb_go_lookup(form, key);
		if (!f || strcmp(f->key, "collections") != 0)
			continue;
		if (json_is_null(val)) {
			list = NULL;
			continue;
		}
		if (!json_is_array(val)) {
			bad = 1;
			continue;
		}
		size_t i;
		json_t *item;
		json_array_foreach(val, i, item)
		{
			if (!json_is_object(item) && !json_is_null(item))
				bad = 1;
		}
		list = val;
	}
	j->save.delete_missing = json_is_true(json_object_get(dst, "deleteMissing"));
	json_decref(dst);
	if (bad) {
		pb_resp_error(req, 400, MSG_LOAD, NULL);
		pb_cw_job_free(j);
		return;
	}
	if (!json_array_size(list)) {
		json_t *data = json_pack("{so}", "collections", pb_validation_item(PB_VCODE_REQUIRED, PB_VMSG_REQUIRED, NULL));
		pb_resp_error(req, 400, MSG_VALIDATE, data);
		json_decref(data);
		pb_cw_job_free(j);
		return;
	}
	j->save.import = list;
	pb_cw_submit(j, pb_collections_import_run, 204);
}
