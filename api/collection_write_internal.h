/* collection_write_internal — the writer-job plumbing the collections write handlers share
 * (collection_write.c, collection_import.c, collection_meta.c). Not a public header. */
#ifndef POCKETC_API_COLLECTION_WRITE_INTERNAL_H
#define POCKETC_API_COLLECTION_WRITE_INTERNAL_H

#include "api/body.h"
#include "api/http.h"
#include "collections/collection_save.h"

struct pb_cw_job {
	struct pb_collection_save save;
	struct pb_req *req;      /* the exchange, alive until answered (async) */
	struct pb_body body;     /* the decoded request body */
	struct pb_request_info info; /* truncate: the superuser as the record deletes see it */
	int status;              /* 2xx answer: 200 with save.result, or 204 */
	int rc;
	struct pb_error err;
};

/* A new job for req (aborts on out of memory). */
struct pb_cw_job *pb_cw_job_new(struct pb_req *req);
void pb_cw_job_free(struct pb_cw_job *j);
/* Decodes the body into j->body; on failure answers 400 with `message` (the endpoint's
 * wording) and returns -1. With `keep_api_error` a decoder error that is already an API error
 * (400 "Unsupported Content-Type.") is answered as it is, like upstream's firstApiError. */
int pb_cw_decode_body(struct pb_cw_job *j, const char *message, bool keep_api_error);
/* Submits `run` as a writer job and answers when it completed: `status` (200 with the job's
 * result JSON, or 204), or the job's error. */
void pb_cw_submit(struct pb_cw_job *j, pb_write_fn run, int status);

#endif
