/* http_resp — the response side of an exchange (see http.h): header list, status line,
 * Content-Length, Date and Connection handling, JSON bodies in Go's encoding (with the `fields`
 * picker applied to 2xx bodies, as PocketBase does for every e.JSON response), PocketBase's
 * error envelope, file bodies (sendfile through the output evbuffer) and chunked streams. */
#include <event2/buffer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "api/activity_log.h"
#include "api/http_conn.h"
#include "collections/fields_pick.h"
#include "core/json_write.h"

const char *pb_http_status_text(int status)
{
	switch (status) {
	case 100: return "Continue";
	case 101: return "Switching Protocols";
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 206: return "Partial Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 307: return "Temporary Redirect";
	case 308: return "Permanent Redirect";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 409: return "Conflict";
	case 413: return "Request Entity Too Large";
	case 415: return "Unsupported Media Type";
	case 416: return "Requested Range Not Satisfiable";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return status < 300 ? "OK" : status < 400 ? "Redirect" : status < 500 ? "Client Error" : "Server Error";
	}
}

/* ---- headers ------------------------------------------------------------------------------ */

static struct pb_resp_header *new_header(struct pb_req *req)
{
	if (req->nresp_headers == req->resp_headers_cap) {
		req->resp_headers_cap = req->resp_headers_cap ? req->resp_headers_cap * 2 : 8;
		req->resp_headers = realloc(req->resp_headers, req->resp_headers_cap * sizeof *req->resp_headers);
		if (!req->resp_headers)
			abort();
	}
	return &req->resp_headers[req->nresp_headers++];
}

void pb_resp_header_add(struct pb_req *req, const char *name, const char *value)
{
	struct pb_resp_header *h = new_header(req);
	h->name = strdup(name);
	h->value = strdup(value);
	h->literal = false;
	if (!h->name || !h->value)
		abort();
}

void pb_resp_header_add_literal(struct pb_req *req, const char *name, const char *value)
{
	struct pb_resp_header *h = new_header(req);
	h->name = (char *)name;
	h->value = (char *)value;
	h->literal = true;
}

void pb_resp_header_clear(struct pb_resp_header *h)
{
	if (!h->literal) {
		free(h->name);
		free(h->value);
	}
	h->name = h->value = NULL;
}

void pb_resp_header_set(struct pb_req *req, const char *name, const char *value)
{
	size_t o = 0;
	for (size_t i = 0; i < req->nresp_headers; i++) {
		if (strcasecmp(req->resp_headers[i].name, name) == 0) {
			pb_resp_header_clear(&req->resp_headers[i]);
			continue;
		}
		req->resp_headers[o++] = req->resp_headers[i];
	}
	req->nresp_headers = o;
	if (value)
		pb_resp_header_add(req, name, value);
}

const char *pb_resp_header_get(const struct pb_req *req, const char *name)
{
	for (size_t i = 0; i < req->nresp_headers; i++)
		if (strcasecmp(req->resp_headers[i].name, name) == 0)
			return req->resp_headers[i].value;
	return NULL;
}

/* Sorts the headers by name, case-insensitively, keeping the order of equal names (Go writes
 * header keys sorted, the values of one key in the order they were added): a stable
 * insertion sort, the lists are short. */
static void sort_headers(struct pb_req *req)
{
	struct pb_resp_header *h = req->resp_headers;
	for (size_t i = 1; i < req->nresp_headers; i++) {
		struct pb_resp_header cur = h[i];
		size_t j = i;
		while (j > 0 && strcasecmp(h[j - 1].name, cur.name) > 0) {
			h[j] = h[j - 1];
			j--;
		}
		h[j] = cur;
	}
}

static bool status_has_body(int status) { return status >= 200 && status != 204 && status != 304; }

static char *put(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

#define PUT_LIT(p, lit) put(p, lit, sizeof lit - 1)

/* Decimal digits of v >= 0 at p; returns the end. */
static char *put_uint(char *p, unsigned long long v)
{
	char tmp[24], *e = tmp + sizeof tmp, *d = e;
	do
		*--d = (char)('0' + v % 10);
	while (v /= 10);
	return put(p, d, (size_t)(e - d));
}

/* Writes the status line and headers, then body_len bytes of body (NULL: none), into one
 * contiguous piece of out. content_length < 0 = chunked. */
static void write_head_body(struct pb_req *req, struct evbuffer *out, int status, long long content_length,
                            const void *body, size_t body_len)
{
	sort_headers(req);
	const char *reason = pb_http_status_text(status), *date = pb_worker_date(req->worker);
	size_t need = 128 + strlen(reason) + strlen(date); /* + the fixed lines, at most ~110 bytes */
	for (size_t i = 0; i < req->nresp_headers; i++)
		need += strlen(req->resp_headers[i].name) + strlen(req->resp_headers[i].value) + 4;
	char stack[4096], *buf = need <= sizeof stack ? stack : malloc(need);
	if (!buf)
		abort();
	char *p = PUT_LIT(buf, "HTTP/1.");
	p = put_uint(p, (unsigned)req->http_minor);
	*p++ = ' ';
	p = put_uint(p, (unsigned)status);
	*p++ = ' ';
	p = put(p, reason, strlen(reason));
	p = PUT_LIT(p, "\r\n");
	for (size_t i = 0; i < req->nresp_headers; i++) {
		const struct pb_resp_header *h = &req->resp_headers[i];
		p = put(p, h->name, strlen(h->name));
		p = PUT_LIT(p, ": ");
		p = put(p, h->value, strlen(h->value));
		p = PUT_LIT(p, "\r\n");
	}
	if (req->close_after)
		p = PUT_LIT(p, "Connection: close\r\n");
	else if (req->http_minor == 0)
		p = PUT_LIT(p, "Connection: keep-alive\r\n");
	if (status_has_body(status)) {
		if (content_length >= 0) {
			p = PUT_LIT(p, "Content-Length: ");
			p = put_uint(p, (unsigned long long)content_length);
			p = PUT_LIT(p, "\r\n");
		} else if (req->http_minor == 1) {
			p = PUT_LIT(p, "Transfer-Encoding: chunked\r\n");
		}
	}
	p = PUT_LIT(p, "Date: ");
	p = put(p, date, strlen(date));
	p = PUT_LIT(p, "\r\n\r\n");
	size_t sent = 0;
	if (buf == stack && (!body || !body_len || (size_t)(p - buf) + body_len <= sizeof stack)) {
		/* a small answer: head and body leave in one piece, straight to the socket when
		 * nothing is queued before them */
		if (body && body_len)
			memcpy(p, body, body_len);
		p += body ? body_len : 0;
		body_len = 0;
		sent = pb_conn_send_now(req, buf, (size_t)(p - buf));
	} else if (body && body_len) {
		evbuffer_expand(out, (size_t)(p - buf) + body_len);
	}
	if (sent < (size_t)(p - buf))
		evbuffer_add(out, buf + sent, (size_t)(p - buf) - sent);
	if (body && body_len)
		evbuffer_add(out, body, body_len);
	if (buf != stack)
		free(buf);
}

static void write_head(struct pb_req *req, struct evbuffer *out, int status, long long content_length)
{
	write_head_body(req, out, status, content_length, NULL, 0);
}

static bool begin_answer(struct pb_req *req, int status)
{
	if (req->responded)
		return false;
	req->responded = true;
	req->status = status;
	return true;
}

void pb_resp_send(struct pb_req *req, int status, const void *body, size_t len)
{
	if (!begin_answer(req, status))
		return;
	struct evbuffer *out = pb_conn_output(req);
	if (out) {
		if (!status_has_body(status))
			len = 0;
		write_head_body(req, out, status, (long long)len, req->head ? NULL : body, len);
	}
	req->async = false;
	pb_conn_exchange_done(req);
}

void pb_resp_empty(struct pb_req *req, int status) { pb_resp_send(req, status, NULL, 0); }

void pb_resp_redirect(struct pb_req *req, int status, const char *location)
{
	pb_resp_header_set(req, "Location", location);
	pb_resp_send(req, status, NULL, 0);
}

static void send_json_bytes(struct pb_req *req, int status, struct pb_strbuf *b)
{
	pb_strbuf_putc(b, '\n');
	if (!pb_resp_header_get(req, "Content-Type"))
		pb_resp_header_add_literal(req, "Content-Type", "application/json");
	pb_resp_send(req, status, b->data, b->len);
}

static void send_json(struct pb_req *req, int status, const json_t *body, bool is_list)
{
	if (req->responded)
		return;
	struct pb_strbuf b = PB_STRBUF_INIT;
	const char *fields = status >= 200 && status < 300 ? pb_req_query(req, "fields") : NULL;
	if (fields && *fields) {
		struct pb_error err = PB_ERROR_INIT;
		struct pb_fields_pick *pick = pb_fields_pick_parse(fields, &err);
		if (!pick && err.status) {
			/* PocketBase fails after the status line and sends an empty 200; a 400 tells the
			 * client what went wrong */
			pb_strbuf_deinit(&b);
			pb_resp_pb_error(req, &err);
			return;
		}
		if (pick) {
			json_t *picked = pb_fields_pick_apply(pick, body, is_list);
			pb_json_write(&b, picked);
			json_decref(picked);
			pb_fields_pick_free(pick);
			send_json_bytes(req, status, &b);
			pb_strbuf_deinit(&b);
			return;
		}
	}
	pb_json_write(&b, body);
	send_json_bytes(req, status, &b);
	pb_strbuf_deinit(&b);
}

void pb_resp_json(struct pb_req *req, int status, const json_t *body) { send_json(req, status, body, false); }

void pb_resp_json_list(struct pb_req *req, int status, const json_t *body) { send_json(req, status, body, true); }

void pb_resp_json_text(struct pb_req *req, int status, struct pb_strbuf *json)
{
	if (!req->responded)
		send_json_bytes(req, status, json);
}

void pb_resp_error(struct pb_req *req, int status, const char *message, const json_t *data)
{
	if (req->responded)
		return;
	char msg[PB_ERROR_MSG_MAX + 2];
	pb_sentenize(message && *message ? message : pb_error_default_message(status), msg, sizeof msg);
	if (!msg[0])
		pb_sentenize(pb_error_default_message(status), msg, sizeof msg);
	if (!req->error_message) {
		req->error_message = strdup(msg);
		if (!req->error_details && json_is_object(data) && json_object_size(data))
			req->error_details = pb_activity_log_details(data);
	}
	json_t *env = json_object();
	json_object_set_new(env, "data", json_is_object(data) ? json_deep_copy(data) : json_object());
	json_object_set_new(env, "message", json_string_nocheck(msg));
	json_object_set_new(env, "status", json_integer(status));
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_json_write(&b, env);
	json_decref(env);
	pb_resp_header_set(req, "Content-Type", "application/json");
	send_json_bytes(req, status, &b);
	pb_strbuf_deinit(&b);
}

void pb_resp_pb_error(struct pb_req *req, struct pb_error *err)
{
	int status = err->status ? err->status : 400;
	pb_resp_error(req, status, err->message, err->data);
	pb_error_clear(err);
}

void pb_resp_file(struct pb_req *req, int status, int fd, int64_t offset, int64_t len)
{
	if (!begin_answer(req, status)) {
		close(fd);
		return;
	}
	struct evbuffer *out = pb_conn_output(req);
	if (out) {
		write_head(req, out, status, status_has_body(status) ? len : 0);
		if (!req->head && len > 0 && status_has_body(status)) {
			if (evbuffer_add_file(out, fd, offset, len) != 0)
				req->close_after = true;
			fd = -1; /* the evbuffer owns it now */
		}
	}
	if (fd >= 0)
		close(fd);
	req->async = false;
	pb_conn_exchange_done(req);
}

/* ---- streams ------------------------------------------------------------------------------ */

void pb_resp_stream_begin(struct pb_req *req, int status)
{
	if (!begin_answer(req, status))
		return;
	req->streaming = true;
	if (req->http_minor == 0)
		req->close_after = true;
	struct evbuffer *out = pb_conn_output(req);
	if (out)
		write_head(req, out, status, -1);
}

int pb_resp_stream_write(struct pb_req *req, const void *data, size_t len, size_t max_pending)
{
	struct evbuffer *out = pb_conn_output(req);
	if (!out || !req->streaming)
		return -1;
	if (max_pending && evbuffer_get_length(out) > max_pending)
		return -1;
	if (!len)
		return 0;
	if (req->http_minor == 1) {
		evbuffer_add_printf(out, "%zx\r\n", len);
		evbuffer_add(out, data, len);
		evbuffer_add(out, "\r\n", 2);
	} else {
		evbuffer_add(out, data, len);
	}
	return 0;
}

void pb_resp_stream_end(struct pb_req *req)
{
	if (!req->streaming)
		return;
	req->streaming = false;
	struct evbuffer *out = pb_conn_output(req);
	if (out && req->http_minor == 1)
		evbuffer_add(out, "0\r\n\r\n", 5);
	req->async = false;
	pb_conn_exchange_done(req);
}
