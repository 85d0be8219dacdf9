/* record_enrich — expand + visibility of a single record (see record_enrich.h). */
#include "collections/record_enrich.h"

#include "collections/expand.h"
#include "collections/record_export.h"

json_t *pb_record_enrich(const struct pb_read_ctx *ctx, const struct pb_collection *c, const json_t *record,
                         const char *expand)
{
	return pb_record_enrich_owned(ctx, c, json_deep_copy(record), expand);
}

json_t *pb_record_enrich_owned(const struct pb_read_ctx *ctx, const struct pb_collection *c, json_t *record,
                               const char *expand)
{
	json_t *list = json_array();
	json_array_append_new(list, record);
	if (expand && *expand) {
		struct pb_request_info info = *ctx->req;
		info.context = "expand";
		struct pb_read_ctx ectx = {ctx->schema, ctx->stmts, &info, ctx->filters};
		pb_expand_records(&ectx, c, list, expand);
	}
	pb_records_export(ctx, c, list);
	json_t *out = json_incref(json_array_get(list, 0));
	json_decref(list);
	return out;
}
