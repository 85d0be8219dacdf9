/* backup — the backups API handlers (api/backup.c), PocketBase's apis/backup*.go. */
#ifndef POCKETC_API_BACKUP_H
#define POCKETC_API_BACKUP_H

#include <stdbool.h>

#include "api/http.h"

void pb_api_backups_list(struct pb_req *req);     /* GET /api/backups (superuser) */
void pb_api_backups_create(struct pb_req *req);   /* POST /api/backups (superuser) */
void pb_api_backups_upload(struct pb_req *req);   /* POST /api/backups/upload (superuser) */
bool pb_api_backups_upload_before_body(struct pb_req *req); /* BodyLimit(0): no body limit */
void pb_api_backups_download(struct pb_req *req); /* GET /api/backups/{key} (superuser file token) */
void pb_api_backups_delete(struct pb_req *req);   /* DELETE /api/backups/{key} (superuser) */
void pb_api_backups_restore(struct pb_req *req);  /* POST /api/backups/{key}/restore (superuser) */

#endif
