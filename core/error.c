/* error — PocketBase-style API errors (see error.h). */
#include "core/error.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int pb_error_set(struct pb_error *err, int status, const char *fmt, ...)
{
	if (!err)
		return -1;
	err->status = status;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	return -1;
}

void pb_error_field(struct pb_error *err, const char *field, const char *code, const char *message)
{
	if (!err)
		return;
	if (!err->data)
		err->data = json_object();
	json_t *item = json_object();
	json_object_set_new(item, "code", json_string(code));
	json_object_set_new(item, "message", json_string(message));
	json_object_set_new(err->data, field, item);
}

void pb_error_clear(struct pb_error *err)
{
	if (!err)
		return;
	json_decref(err->data);
	err->data = NULL;
	err->status = 0;
	err->message[0] = '\0';
}

const char *pb_error_default_message(int status)
{
	switch (status) {
	case 401: return "Missing or invalid authentication.";
	case 403: return "You are not allowed to perform this request.";
	case 404: return "The requested resource wasn't found.";
	case 413: return "Request entity too large.";
	case 429: return "Too Many Requests.";
	default: return "Something went wrong while processing your request.";
	}
}

void pb_sentenize(const char *in, char *out, size_t cap)
{
	if (cap == 0)
		return;
	while (*in && isspace((unsigned char)*in))
		in++;
	size_t n = strlen(in);
	while (n && isspace((unsigned char)in[n - 1]))
		n--;
	if (n == 0) {
		out[0] = '\0';
		return;
	}
	if (n > cap - 2)
		n = cap - 2;
	memcpy(out, in, n);
	out[0] = (char)toupper((unsigned char)out[0]);
	char last = out[n - 1];
	if (last != '.' && last != '?' && last != '!')
		out[n++] = '.';
	out[n] = '\0';
}
