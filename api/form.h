/* form — binding a request body onto a small flat form, as PocketBase's Event.BindBody does
 * for its form structs (forms.TestEmailSend, runSQLForm, …): no body (Content-Length 0) binds
 * nothing; a JSON body is decoded like encoding/json into a struct — the first JSON value,
 * trailing bytes ignored, `null` binds nothing, keys matched case-insensitively (the last
 * matching key wins), a value of the wrong JSON type fails the whole bind; multipart and
 * urlencoded bodies go through api/body.h and their (inferred) values are converted back to
 * the field's type. Anything else fails. */
#ifndef POCKETC_API_FORM_H
#define POCKETC_API_FORM_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "api/http.h"

struct pb_form {
	json_t *data; /* owned: the bound object ({} when nothing was sent) */
	bool strict;  /* JSON: types must match exactly */
};

/* req's non-JSON body decoded (multipart or urlencoded values with PocketBase's inference,
 * api/body.h) as a new reference, or NULL when it cannot be decoded (the error dropped). */
json_t *pb_form_body_data(struct pb_req *req);

/* Decodes req's body (borrowed) into f. Returns 0, or -1 when the body cannot be decoded
 * (release nothing). On 0 release f with pb_form_free. */
int pb_form_bind(struct pb_req *req, struct pb_form *f);
void pb_form_free(struct pb_form *f);

/* A string field: *out = a malloc'd copy of the value ("" when absent or null; caller frees).
 * Returns 0, or -1 (and *out = NULL) for a value of another type (the bind error PocketBase
 * reports). */
int pb_form_string(const struct pb_form *f, const char *key, char **out);
/* An int field: *out = the value (0 when absent or null). Returns 0 or -1 (wrong type, not an
 * integer, out of range). */
int pb_form_int(const struct pb_form *f, const char *key, int64_t *out);

#endif
