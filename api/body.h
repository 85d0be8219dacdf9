/* body — request body decoding as PocketBase's router Event.BindBody does it into a
 * map[string]any (what record create/update, @request.body and every JSON form see).
 * Dispatch is on the Content-Type *prefix* (case-sensitive, like Go's strings.HasPrefix):
 *  - "application/json": the first JSON value (trailing bytes ignored, like json.Decoder),
 *    numbers as reals, top level an object (`null` = empty object, anything else an error);
 *  - "multipart/form-data": Go's net/http + mime/multipart parsing (1000 parts, 10 MiB part
 *    headers, 16 MiB + 10 MiB of form memory), URL query values first then the part values,
 *    file parts (a non-empty filename) collected as uploads;
 *  - "application/x-www-form-urlencoded": url.ParseQuery of the body (≤ 10 MiB, ≤ 10000
 *    pairs, `;` rejected) followed by the URL query values;
 *  - "text/xml" / "application/xml": always an error (Go cannot decode XML into a map);
 *  - anything else: 400 "Unsupported Content-Type.".
 * Form values get PocketBase's value inference (see pb_body_infer in body_internal.h); every
 * `@jsonPayload` value is then decoded as a JSON object on top (later keys overwrite; a
 * `null` payload clears what was decoded so far, as Go's json.Unmarshal does to a map).
 * Strings in `data` are always valid UTF-8: invalid bytes become U+FFFD, the same bytes Go's
 * JSON encoder would write for them; they may contain NUL characters.
 * Go parses a urlencoded body only for POST, PUT and PATCH (other methods get the URL query
 * values alone); pb_body_decode_method takes the method into account, pb_body_decode assumes
 * POST. */
#ifndef POCKETC_API_BODY_H
#define POCKETC_API_BODY_H

#include <jansson.h>
#include <stddef.h>

#include "core/error.h"

#define PB_BODY_MSG_UNSUPPORTED_CONTENT_TYPE "Unsupported Content-Type."

struct pb_upload {
	char *field;         /* owned: form field name as sent (e.g. "avatar", "files+", "requests.0.file") */
	char *filename;      /* owned: file name as Go's Part.FileName returns it: the sent name passed
	                      * through filepath.Base (so "a/b.png" → "b.png"), otherwise unsanitised
	                      * (a NUL byte from a %00 in filename*= ends the C string early) */
	char *content_type;  /* owned: the part's Content-Type header ("" when absent) */
	const unsigned char *data; /* borrowed: slice of the body buffer, or of `decoded` */
	size_t len;
	unsigned char *decoded;    /* owned: the decoded bytes of a quoted-printable part, else NULL */
};

struct pb_body {
	json_t *data;              /* owned: decoded body object ({} when empty) */
	struct pb_upload *files;   /* owned array, in part order */
	size_t nfiles;
};

/* Decodes a request body as PocketBase's BindBody does. `content_type` may be NULL, `query`
 * is the raw URL query string (may be NULL; merged into multipart/urlencoded forms like Go's
 * r.Form), the body bytes are borrowed and must outlive `out` (uploads point into them).
 * len == 0 → empty object, no error, whatever the content type. Returns 0 or -1 with err
 * (400 "Unsupported Content-Type." / 400 with err->message empty for malformed bodies so the
 * caller picks its endpoint's message). On -1 `out` holds nothing to free; on 0 the caller
 * releases it with pb_body_free. Allocation failure aborts. */
int pb_body_decode(const char *content_type, const unsigned char *body, size_t len,
                   const char *query, struct pb_body *out, struct pb_error *err);

/* pb_body_decode for a request of `method` ("GET", "POST", …; NULL = "POST"): the same except
 * that a urlencoded body of a method other than POST/PUT/PATCH is not read (its form holds the
 * URL query values only, as Go's Request.ParseForm does). */
int pb_body_decode_method(const char *method, const char *content_type, const unsigned char *body,
                          size_t len, const char *query, struct pb_body *out, struct pb_error *err);

/* Frees everything `b` owns and zeroes it; safe on a zeroed struct. */
void pb_body_free(struct pb_body *b);

#endif
