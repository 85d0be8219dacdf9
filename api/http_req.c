/* http_req — the request side of an exchange: target splitting, query decoding (Go's
 * url.ParseQuery: pairs with a bad escape are skipped), header access and the @request.*
 * view (headers keyed by the snake-cased canonical header name, as PocketBase's
 * inflector.Snakecase(CanonicalMIMEHeaderKey) gives: "X-Token" → "x_token"). */
#include "api/http_req_internal.h"

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "api/forward_auth.h"
#include "api/worker.h"
#include "core/text.h"

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

char *pb_url_decode(const char *s, size_t len, bool plus_is_space)
{
	char *out = malloc(len + 1);
	if (!out)
		abort();
	if (pb_text_unescape(s, len, plus_is_space ? PB_UNESCAPE_PLUS : 0, out) < 0) {
		free(out);
		return NULL;
	}
	return out;
}

static void parse_query(struct pb_req *req)
{
	const char *q = req->raw_query;
	if (!q)
		return;
	while (*q) {
		const char *amp = strchr(q, '&');
		size_t len = amp ? (size_t)(amp - q) : strlen(q);
		const char *eq = memchr(q, '=', len);
		/* Go ≥ 1.17 rejects pairs containing ';' */
		if (len && !memchr(q, ';', len) && req->nquery < PB_MAX_QUERY_PARAMS) {
			size_t nlen = eq ? (size_t)(eq - q) : len;
			char *name = pb_url_decode(q, nlen, true);
			char *value = eq ? pb_url_decode(eq + 1, len - nlen - 1, true) : strdup("");
			if (name && value && req->nquery == req->query_cap) {
				int cap = req->query_cap ? req->query_cap * 2 : 8;
				struct pb_query_param *grown = realloc(req->query, (size_t)cap * sizeof *grown);
				if (!grown)
					abort();
				req->query = grown;
				req->query_cap = cap;
			}
			if (name && value) {
				req->query[req->nquery].name = name;
				req->query[req->nquery].value = value;
				req->nquery++;
			} else {
				free(name);
				free(value);
			}
		}
		if (!amp)
			break;
		q = amp + 1;
	}
}

/* Splits the request target into raw path and raw query. Returns 0 or -1. */
static int split_target(struct pb_req *req, const char *target)
{
	const char *p = target;
	if (!strcmp(target, "*")) {
		req->raw_path = strdup("*");
		return 0;
	}
	if (strncasecmp(p, "http://", 7) == 0 || strncasecmp(p, "https://", 8) == 0) {
		p = strstr(p, "://") + 3;
		p = strchr(p, '/');
		if (!p)
			p = "/";
	}
	if (*p != '/')
		return -1;
	const char *qm = strchr(p, '?');
	const char *hash = strchr(p, '#');
	if (hash && qm && hash < qm)
		qm = NULL;
	size_t plen = qm ? (size_t)(qm - p) : hash ? (size_t)(hash - p) : strlen(p);
	req->raw_path = strndup(p, plen);
	if (qm) {
		const char *qs = qm + 1;
		size_t qlen = hash && hash > qm ? (size_t)(hash - qs) : strlen(qs);
		req->raw_query = strndup(qs, qlen);
	}
	return 0;
}

struct pb_req *pb_req_new(struct pb_worker *w, struct pb_conn *conn, const struct pb_http_head *head, const char *ip)
{
	struct pb_req *req = calloc(1, sizeof *req);
	if (!req)
		abort();
	req->conn = conn;
	req->worker = w;
	req->app = w->app;
	req->stmts = &w->stmts;
	req->http = head;
	req->method = head->method;
	req->head = strcmp(head->method, "HEAD") == 0;
	req->http_minor = head->minor;
	req->started_us = now_us();
	req->body_limit = PB_DEFAULT_BODY_LIMIT;
	snprintf(req->remote_ip, sizeof req->remote_ip, "%s", ip);
	if (split_target(req, head->target) != 0) {
		pb_req_free(req);
		return NULL;
	}
	parse_query(req);
	req->schema = pb_schema_current();
	req->settings = pb_settings_current();
	if (!req->settings)
		req->settings = pb_settings_new_defaults();
	memcpy(req->real_ip, req->remote_ip, sizeof req->real_ip);
	return req;
}

void pb_req_free(struct pb_req *req)
{
	if (!req)
		return;
	pb_forward_auth_detach(req);
	free(req->raw_path);
	free(req->raw_query);
	for (int i = 0; i < req->nquery; i++) {
		free(req->query[i].name);
		free(req->query[i].value);
	}
	free(req->query);
	for (int i = 0; i < req->nparams; i++)
		free(req->params[i]);
	for (size_t i = 0; i < req->nresp_headers; i++)
		pb_resp_header_clear(&req->resp_headers[i]);
	free(req->resp_headers);
	json_decref(req->auth);
	json_decref(req->auth_claims);
	json_decref(req->headers_json);
	json_decref(req->query_json);
	json_decref(req->body_json);
	pb_schema_unref(req->schema);
	pb_settings_unref(req->settings);
	free(req->error_message);
	json_decref(req->error_details);
	free(req);
}

const char *pb_req_query(const struct pb_req *req, const char *name)
{
	for (int i = 0; i < req->nquery; i++)
		if (strcmp(req->query[i].name, name) == 0)
			return req->query[i].value;
	return NULL;
}

const char *pb_req_header(const struct pb_req *req, const char *name)
{
	return pb_http_head_get(req->http, name);
}

const char *pb_req_param(const struct pb_req *req, int i)
{
	return i >= 0 && i < req->nparams && req->params[i] ? req->params[i] : "";
}

void pb_req_async(struct pb_req *req) { req->async = true; }

char *pb_http_header_key(const char *name)
{
	size_t n = strlen(name);
	char *out = malloc(n + 1);
	if (!out)
		abort();
	size_t o = 0;
	bool sep = false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (isalnum(c)) {
			if (sep && o)
				out[o++] = '_';
			sep = false;
			out[o++] = (char)tolower(c);
		} else {
			sep = true;
		}
	}
	out[o] = '\0';
	return out;
}

static const struct pb_request_info *fill_info(struct pb_req *req)
{
	if (!req->info.context)
		req->info.context = "default";
	req->info.method = req->method;
	req->info.headers = req->headers_json;
	req->info.query = req->query_json;
	req->info.body = req->body_json;
	req->info.auth = req->auth;
	req->info.auth_collection = req->auth_collection;
	req->info.superuser = req->superuser;
	return &req->info;
}

const struct pb_request_info *pb_req_info_without_maps(struct pb_req *req) { return fill_info(req); }

const struct pb_request_info *pb_req_info(struct pb_req *req)
{
	if (!req->headers_json) {
		req->headers_json = json_object();
		for (int i = 0; i < req->http->nheaders; i++) {
			char *k = pb_http_header_key(req->http->headers[i].name);
			if (*k && !json_object_get(req->headers_json, k) && strcasecmp(req->http->headers[i].name, "Host") != 0)
				json_object_set_new_nocheck(req->headers_json, k, json_string_nocheck(req->http->headers[i].value));
			free(k);
		}
		req->query_json = json_object();
		for (int i = 0; i < req->nquery; i++)
			if (!json_object_get(req->query_json, req->query[i].name))
				json_object_set_new_nocheck(req->query_json, req->query[i].name,
				                            json_string_nocheck(req->query[i].value));
	}
	return fill_info(req);
}
