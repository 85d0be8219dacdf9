/* record_export — per-requester visibility of record JSON (see record_export.h). */
#include "collections/record_export.h"

#include <stdlib.h>
#include <string.h>

#include "collections/record_rule.h"

static const char *rec_id(json_t *rec) { return json_string_value(json_object_get(rec, "id")); }

int pb_records_export(const struct pb_read_ctx *ctx, const struct pb_collection *c, json_t *records)
{
	const struct pb_request_info *req = ctx->req;
	size_t n = json_array_size(records);
	if (n == 0 || (req && req->superuser))
		return 0;
	int rc = 0;
	bool is_auth = c->type == PB_COLLECTION_AUTH;
	/* email visibility decided before hidden fields go (emailVisibility may be hidden) */
	bool *show_email = calloc(n ? n : 1, sizeof *show_email);
	if (!show_email)
		abort();
	if (is_auth) {
		/* upstream compares ids only (mappedRecords[requestInfo.Auth.Id]) */
		const char *self = req && req->auth ? json_string_value(json_object_get(req->auth, "id")) : NULL;
		json_t *pending = json_array();
		for (size_t i = 0; i < n; i++) {
			json_t *rec = json_array_get(records, i);
			const char *id = rec_id(rec);
			show_email[i] = json_is_true(json_object_get(rec, "emailVisibility")) || (self && id && !strcmp(self, id));
			if (!show_email[i] && id)
				json_array_append_new(pending, json_string(id));
		}
		if (json_array_size(pending) && c->manage_rule && *c->manage_rule) {
			struct pb_error err = PB_ERROR_INIT;
			json_t *managed = pb_records_match_ids(ctx, c, pending, c->manage_rule, &err);
			if (!managed)
				rc = -1;
			json_t *set = json_object();
			size_t k;
			json_t *v;
			json_array_foreach(managed, k, v)
			{
				json_object_set(set, json_string_value(v), json_true());
			}
			for (size_t i = 0; managed && i < n; i++) {
				const char *id = rec_id(json_array_get(records, i));
				if (!show_email[i] && id && json_object_get(set, id))
					show_email[i] = true;
			}
			json_decref(set);
			json_decref(managed);
			pb_error_clear(&err);
		}
		json_decref(pending);
	}
	for (size_t i = 0; i < n; i++) {
		json_t *rec = json_array_get(records, i);
		for (size_t k = 0; k < c->nfields; k++)
			if (c->fields[k].hidden)
				json_object_del(rec, c->fields[k].name);
		if (is_auth && !show_email[i])
			json_object_del(rec, "email");
	}
	free(show_email);
	return rc;
}
