/* logs_request — the request activity log entry of core/logs.h, as logRequest in
 * apis/middlewares.go of PocketBase v0.39.11 builds it: the data attributes in their order of
 * addition (type, execTime, meta, error + details, url, method, status, referer, userAgent,
 * auth, authId, userIP + remoteIP), cutStr's byte cuts with a "..." suffix (method 50, URI
 * 3000, referer and user agent 2000), and the message "<METHOD> <URI>" where the URI is
 * url.PathUnescape'd unless it holds a malformed escape. */
#include "core/logs.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* cutStr: the first `max` bytes plus "..." when longer. Returns a new JSON string that keeps
 * the bytes as they are (Go writes invalid UTF-8 as \ufffd when encoding). */
static json_t *cut(const char *s, size_t max)
{
	if (!s)
		s = "";
	size_t n = strlen(s);
	if (n <= max)
		return json_stringn_nocheck(s, n);
	char *b = malloc(max + 4);
	if (!b)
		abort();
	memcpy(b, s, max);
	memcpy(b + max, "...", 4);
	json_t *j = json_stringn_nocheck(b, max + 3);
	free(b);
	return j;
}

static json_t *str(const char *s)
{
	return s ? json_stringn_nocheck(s, strlen(s)) : json_string("");
}

static json_t *method_value(const char *m)
{
	json_t *j = cut(m, 50);
	char *up = strdup(json_string_value(j));
	size_t n = json_string_length(j);
	if (!up)
		abort();
	for (size_t i = 0; i < n; i++)
		up[i] = (char)toupper((unsigned char)up[i]);
	json_string_setn_nocheck(j, up, n);
	free(up);
	return j;
}

json_t *pb_logs_request_data(const struct pb_request_log *r)
{
	json_t *d = json_object();
	json_object_set_new(d, "type", json_string("request"));
	if (r->has_exec_time)
		json_object_set_new(d, "execTime", json_real(r->exec_time_ms));
	if (r->meta)
		json_object_set_new(d, "meta", json_deep_copy(r->meta));
	if (r->error) {
		json_object_set_new(d, "error", str(r->error));
		if (r->details)
			json_object_set_new(d, "details", json_deep_copy(r->details));
	}
	json_object_set_new(d, "url", cut(r->url, 3000));
	json_object_set_new(d, "method", method_value(r->method));
	json_object_set_new(d, "status", json_integer(r->status));
	json_object_set_new(d, "referer", cut(r->referer, 2000));
	json_object_set_new(d, "userAgent", cut(r->user_agent, 2000));
	json_object_set_new(d, "auth", str(r->auth_collection));
	if (r->auth_collection && r->log_auth_id)
		json_object_set_new(d, "authId", str(r->auth_id));
	if (r->log_ip) {
		json_object_set_new(d, "userIP", str(r->user_ip));
		json_object_set_new(d, "remoteIP", str(r->remote_ip));
	}
	return d;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* url.PathUnescape: every '%' must start a %XX escape; '+' stays. Returns 0 or -1. */
static int path_unescape(const char *s, size_t n, char *out, size_t *out_len)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '%') {
			out[w++] = s[i];
			continue;
		}
		if (i + 2 >= n)
			return -1;
		int hi = hexval((unsigned char)s[i + 1]), lo = hexval((unsigned char)s[i + 2]);
		if (hi < 0 || lo < 0)
			return -1;
		out[w++] = (char)(hi << 4 | lo);
		i += 2;
	}
	*out_len = w;
	return 0;
}

char *pb_logs_request_message(const struct pb_request_log *r, size_t *len_out)
{
	json_t *m = method_value(r->method), *u = cut(r->url, 3000);
	size_t mlen = json_string_length(m), ulen = json_string_length(u);
	char *out = malloc(mlen + 1 + ulen + 1);
	if (!out)
		abort();
	memcpy(out, json_string_value(m), mlen);
	out[mlen] = ' ';
	size_t w;
	if (path_unescape(json_string_value(u), ulen, out + mlen + 1, &w) != 0) {
		memcpy(out + mlen + 1, json_string_value(u), ulen);
		w = ulen;
	}
	out[mlen + 1 + w] = '\0';
	*len_out = mlen + 1 + w;
	json_decref(m);
	json_decref(u);
	return out;
}

int pb_logs_add_request(struct pb_logs *l, const struct pb_request_log *r)
{
	if (!l->running)
		return -1;
	if (pb_logs_get_config(l).max_days <= 0)
		return 1;
	size_t len;
	char *msg = pb_logs_request_message(r, &len);
	int rc = pb_logs_addn(l, r->error ? PB_LOG_ERROR : PB_LOG_INFO, msg, len, pb_logs_request_data(r));
	free(msg);
	return rc;
}
