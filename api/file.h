/* file — the files API handlers (api/file.c). */
#ifndef POCKETC_API_FILE_H
#define POCKETC_API_FILE_H

#include "api/http.h"

void pb_api_file_download(struct pb_req *req); /* GET /api/files/{collection}/{recordId}/{filename} */
void pb_api_file_token(struct pb_req *req);    /* POST /api/files/token */

#endif
