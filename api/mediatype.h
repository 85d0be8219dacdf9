/* mediatype — parses a MIME media type value such as a Content-Type or Content-Disposition
 * header the way Go's mime.ParseMediaType does (what PocketBase's request parsing relies on):
 * the type is lower-cased and trimmed and must be `token` or `token/token`; parameters are
 * `; key=value` pairs with token or quoted-string values (backslash escapes only before
 * tspecials, no CR/LF inside quotes), keys lower-cased, one trailing `;` tolerated, a repeated
 * key only when its value is the same, and RFC 2231 extended values (`key*=utf-8''%41`,
 * `key*0=…; key*1*=…`) stitched and percent-decoded (utf-8 and us-ascii only). */
#ifndef POCKETC_API_MEDIATYPE_H
#define POCKETC_API_MEDIATYPE_H

#include <stddef.h>

struct pb_mediatype_param {
	char *key;     /* owned, lower-cased, NUL-terminated */
	char *value;   /* owned, as written (unquoted), NUL-terminated; may hold NUL bytes */
	size_t value_len;
};

struct pb_mediatype {
	char *type;    /* owned: lower-cased, trimmed, e.g. "multipart/form-data" */
	struct pb_mediatype_param *params; /* owned: raw parameters in input order */
	size_t nparams;
};

/* Parses `len` bytes of `v` into `out` (which needs no initialisation). Returns 0, or -1 when
 * Go's parser reports any error (no media type, bad parameter, conflicting duplicate); on -1
 * `out` holds nothing to free. Allocation failure aborts. */
int pb_mediatype_parse(const char *v, size_t len, struct pb_mediatype *out);

/* The final value of parameter `name` (lower-case) after RFC 2231 decoding, as Go's returned
 * map would hold it: a newly allocated NUL-terminated string (caller frees) with its length in
 * `*len` (may be NULL), or NULL when the parameter is absent. */
char *pb_mediatype_get(const struct pb_mediatype *mt, const char *name, size_t *len);

/* Frees what `mt` owns; safe on a zeroed struct. */
void pb_mediatype_free(struct pb_mediatype *mt);

#endif
