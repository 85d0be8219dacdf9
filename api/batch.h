/* batch — the batch API handlers (api/batch.c). */
#ifndef POCKETC_API_BATCH_H
#define POCKETC_API_BATCH_H

#include <stdbool.h>

#include "api/http.h"

void pb_api_batch(struct pb_req *req);              /* POST /api/batch */
bool pb_api_batch_before_body(struct pb_req *req);  /* settings.batch.maxBodySize (128 MiB fallback) */

#endif
