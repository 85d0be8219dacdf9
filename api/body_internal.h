/* body_internal — pieces shared by the body decoders (body.c, body_json.c, body_form.c,
 * body_infer.c, body_multipart.c, body_util.c). Not part of the api/ public surface. */
#ifndef POCKETC_API_BODY_INTERNAL_H
#define POCKETC_API_BODY_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "api/body.h"
#include "core/strbuf.h"

/* Go's url.Values: key → list of values, keys kept in first-seen order. */
struct pb_form {
	json_t *values; /* owned: object, key → array of JSON strings (raw text, UTF-8 fixed) */
};

/* Limits of the Go standard library that PocketBase runs with. */
#define PB_BODY_MAX_FORM_SIZE (10 << 20)          /* net/http: urlencoded bodies */
#define PB_BODY_MAX_QUERY_PARAMS 10000            /* net/url: pairs per ParseQuery */
#define PB_BODY_MULTIPART_MAX_MEMORY (16 << 20)   /* PocketBase router.DefaultMaxMemory */
#define PB_BODY_MULTIPART_MAX_PARTS 1000          /* mime/multipart: parts per form */
#define PB_BODY_MULTIPART_MAX_HEADERS 10000       /* mime/multipart: header lines */
#define PB_BODY_JSON_PAYLOAD_KEY "@jsonPayload"

void pb_form_init(struct pb_form *f);
void pb_form_deinit(struct pb_form *f);
/* Appends `val` to the values of `key` (both copied; invalid UTF-8 replaced). */
void pb_form_add(struct pb_form *f, const char *key, size_t klen, const char *val, size_t vlen);
/* url.ParseQuery of `len` bytes into `f`: pairs split on '&', key/value on the first '=',
 * both QueryUnescape'd ('+' = space, %XX). Returns -1 when Go would report an error (a pair
 * containing ';', a bad % escape, more than PB_BODY_MAX_QUERY_PARAMS pairs); like Go it still
 * adds the valid pairs. */
int pb_form_parse_query(struct pb_form *f, const char *s, size_t len);
/* UnmarshalRequestData into a map: sets in `obj` every key except @jsonPayload (one value →
 * inferred scalar, several → array of inferred values), then merges each @jsonPayload value
 * decoded with json.Unmarshal rules. Returns -1 (obj partly filled) when a payload is not a
 * JSON object or null. Borrows both. */
int pb_form_to_object(const struct pb_form *f, json_t *obj);

/* PocketBase's inferValue: "true"/"false" → bool, a text of '-', '.' and digits that starts
 * with '-' or a digit and equals Go's shortest 'f' formatting of its float64 → real,
 * everything else → the string. Returns a new reference. */
json_t *pb_body_infer(const char *s, size_t len);

/* Decodes JSON like Go: `whole` = json.Unmarshal (only whitespace may follow the value),
 * otherwise json.Decoder.Decode (the first value; any bytes after it are ignored). Invalid
 * UTF-8 and unpaired \u surrogates become U+FFFD, numbers are reals. Returns a new
 * reference, or NULL on a syntax error. */
json_t *pb_body_json_load(const unsigned char *buf, size_t len, bool whole);

/* A JSON string of `len` bytes with invalid UTF-8 replaced byte-wise by U+FFFD (Go's rule). */
json_t *pb_body_string(const char *s, size_t len);
/* Appends `len` bytes to `out`, each invalid UTF-8 byte replaced by U+FFFD. */
void pb_body_utf8_append(struct pb_strbuf *out, const unsigned char *s, size_t len);

/* Parses a multipart/form-data body whose Content-Type is `content_type`: values are appended
 * to `form`, file parts to out->files. Returns -1 on any error Go's Request.ParseMultipartForm
 * would report (bad or missing boundary, malformed framing or headers, truncation, limits). */
int pb_body_multipart(const char *content_type, const unsigned char *body, size_t len, struct pb_form *form,
                      struct pb_body *out);

/* Go's quoted-printable reader over a complete part. Returns a malloc'd buffer (caller frees;
 * never NULL on success, even for 0 bytes) with its length in *out_len, or NULL on an error
 * the Go reader would return. */
unsigned char *pb_body_qp_decode(const unsigned char *in, size_t len, size_t *out_len);

#endif
