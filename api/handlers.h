/* handlers — every endpoint handler, one group per file named after PocketBase's
 * apis/*.go file. Each takes the request, answers it, and owns nothing beyond the call. */
#ifndef POCKETC_API_HANDLERS_H
#define POCKETC_API_HANDLERS_H

#include "api/http.h"

void pb_api_health(struct pb_req *req);                 /* health.c */
void pb_api_records_list(struct pb_req *req);           /* record_crud.c */
void pb_api_records_view(struct pb_req *req);
void pb_api_collections_list(struct pb_req *req);       /* collection.c */
void pb_api_collections_view(struct pb_req *req);
void pb_api_static(struct pb_req *req);                 /* static.c */
void pb_api_admin_ui_redirect(struct pb_req *req);      /* static.c: "/_" → "/_/" */
void pb_api_not_found(struct pb_req *req);              /* routes.c: catch-all */

#endif
