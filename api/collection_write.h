/* collection_write — the superuser collections write API of PocketBase's apis/collection.go and
 * apis/collection_import.go: create, update, delete, truncate, import, the scaffolds, the OAuth2
 * provider list and the view dry run. Every change is one writer job (collections/collection_save.h) answered once it
 * committed and the new schema snapshot is published. */
#ifndef POCKETC_API_COLLECTION_WRITE_H
#define POCKETC_API_COLLECTION_WRITE_H

#include "api/http.h"

void pb_api_collection_create(struct pb_req *req);    /* POST /api/collections */
void pb_api_collection_update(struct pb_req *req);    /* PATCH /api/collections/{collection} */
void pb_api_collection_delete(struct pb_req *req);    /* DELETE /api/collections/{collection} */
void pb_api_collection_truncate(struct pb_req *req);  /* DELETE /api/collections/{collection}/truncate */
void pb_api_collections_import(struct pb_req *req);   /* PUT /api/collections/import (collection_import.c) */
void pb_api_collection_scaffolds(struct pb_req *req); /* GET /api/collections/meta/scaffolds (collection_meta.c) */
void pb_api_collection_dry_run_view(struct pb_req *req); /* POST /api/collections/meta/dry-run-view */
void pb_api_collection_oauth2_providers(struct pb_req *req); /* GET /api/collections/meta/oauth2-providers */

#endif
