/* handlers — every endpoint handler, one group per file named after PocketBase's
 * apis/<name>.go file. Each takes the request and answers it (now or, after pb_req_async, later on
 * the same loop); none keeps anything beyond the exchange. */
#ifndef POCKETC_API_HANDLERS_H
#define POCKETC_API_HANDLERS_H

#include "api/http.h"

void pb_api_health(struct pb_req *req);                 /* health.c */
void pb_api_records_list(struct pb_req *req);           /* record_crud.c */
void pb_api_records_view(struct pb_req *req);
void pb_api_records_create(struct pb_req *req);         /* record_write.c */
void pb_api_records_update(struct pb_req *req);
void pb_api_records_delete(struct pb_req *req);
bool pb_api_records_write_before_body(struct pb_req *req); /* collection context + body limit */
/* The per-collection middlewares' check (rate limit / body limit): an unknown collection is a
 * 404 "Missing or invalid collection context." before anything else. */
bool pb_api_collection_context(struct pb_req *req);
void pb_api_collections_list(struct pb_req *req);       /* collection.c */
void pb_api_collections_view(struct pb_req *req);
void pb_api_static(struct pb_req *req);                 /* static.c: GET /{path...} (pb_public) */
void pb_api_admin_ui(struct pb_req *req);               /* static.c: GET /_/{path...} */
void pb_api_admin_ui_extensions(struct pb_req *req);    /* static.c: GET /_/extensions.js */
void pb_api_not_found(struct pb_req *req);              /* routes.c: catch-all */

#endif
