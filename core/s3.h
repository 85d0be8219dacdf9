/* s3 — a small client for S3-compatible object storage over libcurl, with what PocketBase's
 * tools/filesystem/internal/s3blob/s3 client does and the backups need: PUT (one request,
 * from memory or a file, with `x-amz-meta-*` metadata), GET into a file, HEAD, DELETE and
 * ListObjectsV2 (all pages). Requests are signed with AWS Signature V4 exactly as PocketBase
 * signs them: the UNSIGNED-PAYLOAD content hash, the signed headers being `host`,
 * `content-type` and every `x-amz-*` header (lower-cased, sorted, values trimmed), the path
 * and query URI-encoded with AWS's rules (every byte but A-Z a-z 0-9 - . _ ~ as %XX), and
 * `Accept-Encoding: identity`. URLs are virtual-hosted (`https://<bucket>.<endpoint>/<key>`)
 * or path style (`https://<endpoint>/<bucket>/<key>`); an endpoint may carry http:// or
 * https:// (default https). A response status >= 400 is an error whose text is PocketBase's
 * ResponseError form: "<status> <Code or S3ResponseError>[: <Message>][\n(RAW: <body>)]".
 * Calls block: run them on the blocking pool, never on an event loop. Nothing is cached. */
#ifndef POCKETC_CORE_S3_H
#define POCKETC_CORE_S3_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/settings.h"

/* A request header for signing (both borrowed; names as sent, compared case-insensitively). */
struct pb_s3_header {
	const char *name;
	const char *value;
};

/* One listed object (strings owned by the list). */
struct pb_s3_object {
	char *key;
	int64_t size;
	int64_t modified_ms; /* LastModified, Unix milliseconds (0 when unparsable) */
};

/* What HEAD tells about an object. */
struct pb_s3_head {
	int64_t size;
	int64_t modified_ms;
	char content_type[256];
	char original_name[512]; /* x-amz-meta-original-filename, "" when absent */
};

/* The request URL of `key` (borrowed; a '?' starts a query kept as given) for config `c`
 * (borrowed), as S3.URL builds it: the key's path part percent-decoded then AWS-escaped per
 * '/'-separated segment, leading slashes dropped. Caller frees. */
char *pb_s3_url(const struct pb_settings_s3 *c, const char *key);

/* AWS's UriEncode of s[0..len) (every byte outside A-Z a-z 0-9 - . _ ~ as %XX upper-case),
 * appended to a new string. Caller frees. */
char *pb_s3_escape(const char *s, size_t len);

/* The Authorization header value SigV4 gives the request `method` on `url` (an URL made by
 * pb_s3_url) carrying `headers` (n borrowed entries; must include x-amz-date and
 * x-amz-content-sha256; `host` is taken from the URL) for credentials/region of `c`.
 * Returns a new string (caller frees). */
char *pb_s3_authorization(const struct pb_settings_s3 *c, const char *method, const char *url,
                          const struct pb_s3_header *headers, size_t n);

/* PUT of `len` bytes of `data` (borrowed) as `key`, with Content-Type `content_type` (NULL =
 * none) and, when `original_name` is non-NULL, x-amz-meta-original-filename (first 255 bytes).
 * Returns 0 or -1 with err (status 400 for an S3 error response, 500 for a transport error;
 * the message as described above). */
int pb_s3_put(const struct pb_settings_s3 *c, const char *key, const void *data, size_t len, const char *content_type,
              const char *original_name, struct pb_error *err);

/* pb_s3_put streaming the regular file at `path`. */
int pb_s3_put_file(const struct pb_settings_s3 *c, const char *key, const char *path, const char *content_type,
                   const char *original_name, struct pb_error *err);

/* GET of `key` into the file `dest_path` (created or truncated; removed again on failure).
 * Returns 0, or -1 with err (404 when the object does not exist, 400/500 as pb_s3_put). */
int pb_s3_get_file(const struct pb_settings_s3 *c, const char *key, const char *dest_path, struct pb_error *err);

/* HEAD of `key`. Returns 1 and fills *out (may be NULL) when the object exists, 0 when the
 * service answers 404, -1 with err for any other failure. */
int pb_s3_head(const struct pb_settings_s3 *c, const char *key, struct pb_s3_head *out, struct pb_error *err);

/* DELETE of `key` (S3 answers 204 for a missing key as well). Returns 0 or -1 with err. */
int pb_s3_delete(const struct pb_settings_s3 *c, const char *key, struct pb_error *err);

/* Every object whose key starts with `prefix` (borrowed; "" or NULL = all), following the
 * continuation tokens of ListObjectsV2 (max-keys 1000 per page). On 0, *out is a new array of
 * *n objects in the service's (key) order, to release with pb_s3_objects_free; -1 with err. */
int pb_s3_list(const struct pb_settings_s3 *c, const char *prefix, struct pb_s3_object **out, size_t *n,
               struct pb_error *err);
void pb_s3_objects_free(struct pb_s3_object *objs, size_t n);

/* The S3 part of POST /api/settings/test/s3 (forms.TestS3Filesystem.Submit once the config is
 * chosen): fails with "S3 storage filesystem is not enabled" when !c->enabled; otherwise
 * uploads "test" as pb_settings_test_<5 random [a-zA-Z0-9]>/test.txt, lists that prefix and
 * deletes every listed object. Returns 0, or -1 with err (400) whose message is the raw error
 * text ("failed to upload a test file: …", "failed to delete a test file: …"): the handler
 * wraps it as "Failed to test the S3 filesystem. Raw error: \n<message>". */
int pb_s3_test(const struct pb_settings_s3 *c, struct pb_error *err);

#endif
