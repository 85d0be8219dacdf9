/* body — Event.BindBody for map targets (see body.h): dispatch on the Content-Type prefix,
 * JSON straight to an object, forms through Go's r.Form assembly (urlencoded: body values
 * then URL query values; multipart: URL query values then part values) and
 * UnmarshalRequestData. */
#include "api/body.h"

#include <stdlib.h>
#include <string.h>

#include "api/body_internal.h"
#include "api/mediatype.h"

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int decode_json(const unsigned char *body, size_t len, struct pb_body *out)
{
	/* json.Decoder ends a top-level literal at the next byte whatever it is ("nullx" decodes
	 * as null), while jansson would read "nullx" as one bad token */
	size_t i = 0;
	while (i < len && (body[i] == ' ' || body[i] == '\t' || body[i] == '\r' || body[i] == '\n'))
		i++;
	if (len - i >= 4 && memcmp(body + i, "null", 4) == 0) {
		out->data = json_object();
		return 0;
	}
	json_t *j = pb_body_json_load(body, len, false);
	if (!j)
		return -1;
	if (json_is_null(j)) {
		/* decoding null into a map sets it to nil: nothing submitted */
		json_decref(j);
		j = json_object();
	} else if (!json_is_object(j)) {
		json_decref(j);
		return -1;
	}
	out->data = j;
	return 0;
}

static bool reads_post_form(const char *method)
{
	return !method || strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0 || strcmp(method, "PATCH") == 0;
}

/* Request.parsePostForm for an application/x-www-form-urlencoded… request. */
static int parse_post_form(const char *content_type, const unsigned char *body, size_t len, struct pb_form *form)
{
	struct pb_mediatype mt;
	if (pb_mediatype_parse(content_type, strlen(content_type), &mt) < 0)
		return -1;
	bool urlencoded = strcmp(mt.type, "application/x-www-form-urlencoded") == 0;
	pb_mediatype_free(&mt);
	if (!urlencoded)
		return 0; /* e.g. "application/x-www-form-urlencodedX": no post form, no error */
	if (len > PB_BODY_MAX_FORM_SIZE)
		return -1; /* "http: POST too large" */
	return pb_form_parse_query(form, (const char *)body, len);
}

static int decode_form(const char *method, const char *content_type, bool multipart, const unsigned char *body,
                       size_t len, const char *query, struct pb_body *out)
{
	struct pb_form form;
	pb_form_init(&form);
	int rc = -1;
	if (multipart) {
		if (query && pb_form_parse_query(&form, query, strlen(query)) < 0)
			goto done;
		if (pb_body_multipart(content_type, body, len, &form, out) < 0)
			goto done;
	} else {
		if (reads_post_form(method) && parse_post_form(content_type, body, len, &form) < 0)
			goto done;
		if (query && pb_form_parse_query(&form, query, strlen(query)) < 0)
			goto done;
	}
	out->data = json_object();
	rc = pb_form_to_object(&form, out->data);
done:
	pb_form_deinit(&form);
	return rc;
}

int pb_body_decode_method(const char *method, const char *content_type, const unsigned char *body,
                          size_t len, const char *query, struct pb_body *out, struct pb_error *err)
{
	memset(out, 0, sizeof *out);
	if (len == 0) {
		out->data = json_object();
		return 0;
	}
	const char *ct = content_type ? content_type : "";
	int rc;
	if (has_prefix(ct, "application/json"))
		rc = decode_json(body, len, out);
	else if (has_prefix(ct, "multipart/form-data"))
		rc = decode_form(method, ct, true, body, len, query, out);
	else if (has_prefix(ct, "application/x-www-form-urlencoded"))
		rc = decode_form(method, ct, false, body, len, query, out);
	else if (has_prefix(ct, "text/xml") || has_prefix(ct, "application/xml"))
		rc = -1; /* Go's xml decoder cannot fill a map: "unknown type map[string]interface {}" */
	else
		return pb_error_set(err, 400, "%s", PB_BODY_MSG_UNSUPPORTED_CONTENT_TYPE);
	if (rc < 0) {
		pb_body_free(out);
		return pb_error_set(err, 400, "%s", "");
	}
	return 0;
}

int pb_body_decode(const char *content_type, const unsigned char *body, size_t len, const char *query,
                   struct pb_body *out, struct pb_error *err)
{
	return pb_body_decode_method("POST", content_type, body, len, query, out, err);
}

void pb_body_free(struct pb_body *b)
{
	if (!b)
		return;
	json_decref(b->data);
	for (size_t i = 0; i < b->nfiles; i++) {
		free(b->files[i].field);
		free(b->files[i].filename);
		free(b->files[i].content_type);
		free(b->files[i].decoded);
	}
	free(b->files);
	memset(b, 0, sizeof *b);
}
