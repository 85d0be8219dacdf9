/* form — BindBody onto flat forms (see form.h). */
#include "api/form.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/body.h"

json_t *pb_form_body_data(struct pb_req *req)
{
	struct pb_body body = {0};
	struct pb_error err = PB_ERROR_INIT;
	if (pb_body_decode_method(req->method, pb_req_header(req, "Content-Type"), req->body, req->body_len,
	                          req->raw_query, &body, &err) != 0) {
		pb_error_clear(&err);
		return NULL;
	}
	json_t *data = json_incref(body.data);
	pb_body_free(&body);
	return data;
}

int pb_form_bind(struct pb_req *req, struct pb_form *f)
{
	f->data = NULL;
	f->strict = false;
	if (!req->body_len) {
		f->data = json_object();
		return 0;
	}
	const char *ct = pb_req_header(req, "Content-Type");
	if (ct && strncmp(ct, "application/json", 16) == 0) {
		json_error_t e;
		json_t *v = json_loadb((const char *)req->body, req->body_len, JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK, &e);
		if (!v || !(json_is_object(v) || json_is_null(v))) {
			json_decref(v);
			return -1;
		}
		if (json_is_null(v)) {
			json_decref(v);
			v = json_object();
		}
		f->data = v;
		f->strict = true;
		return 0;
	}
	f->data = pb_form_body_data(req);
	return f->data ? 0 : -1;
}

void pb_form_free(struct pb_form *f)
{
	json_decref(f->data);
	f->data = NULL;
}

/* The value of the last key matching `key` case-insensitively (Go's struct field folding). */
static json_t *field(const struct pb_form *f, const char *key)
{
	json_t *found = NULL, *v;
	const char *k;
	json_object_foreach(f->data, k, v)
	{
		if (strcasecmp(k, key) == 0)
			found = v;
	}
	return found;
}

int pb_form_string(const struct pb_form *f, const char *key, char **out)
{
	json_t *v = field(f, key);
	*out = NULL;
	if (!v || json_is_null(v)) {
		*out = strdup("");
	} else if (json_is_string(v)) {
		*out = strndup(json_string_value(v), json_string_length(v));
	} else if (!f->strict && (json_is_number(v) || json_is_boolean(v))) {
		char buf[64];
		if (json_is_boolean(v))
			snprintf(buf, sizeof buf, "%s", json_is_true(v) ? "true" : "false");
		else if (json_is_integer(v))
			snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
		else
			snprintf(buf, sizeof buf, "%.17g", json_real_value(v));
		*out = strdup(buf);
	} else {
		return -1;
	}
	if (!*out)
		abort();
	return 0;
}

int pb_form_int(const struct pb_form *f, const char *key, int64_t *out)
{
	json_t *v = field(f, key);
	*out = 0;
	if (!v || json_is_null(v))
		return 0;
	if (json_is_integer(v)) {
		*out = (int64_t)json_integer_value(v);
		return 0;
	}
	if (!f->strict) {
		double d;
		if (json_is_real(v))
			d = json_real_value(v);
		else if (json_is_string(v) && json_string_length(v) == 0)
			return 0;
		else
			return -1;
		if (d != floor(d) || d < -9.2e18 || d > 9.2e18)
			return -1;
		*out = (int64_t)d;
		return 0;
	}
	return -1;
}
