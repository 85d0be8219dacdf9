/* logs_request — the request activity log entry of core/logs.h, as logRequest in
 * apis/middlewares.go of PocketBase v0.39.11 builds it: the data attributes in their order of
 * addition (type, execTime, meta, error + details, url, method, status, referer, userAgent,
 * auth, authId, userIP + remoteIP), cutStr's byte cuts with a "..." suffix (method 50, URI
 * 3000, referer and user agent 2000), and the message "<METHOD> <URI>" where the URI is
 * url.PathUnescape'd unless it holds a malformed escape. The worker only copies the raw fields
 * into the queue node (pb_logs_add_request); the writer thread formats them
 * (pb_logs_request_format). */
#include "core/logs.h"

#include "core/json_write.h"
#include "core/logs_internal.h"
#include "core/request_uri.h"
#include "core/strbuf.h"
#include "core/text.h"

#include <ctype.h>
#include <math.h>
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

/* r->url, or the request URI of r->path and r->query built in `scratch` (caller deinits). */
static const char *request_url(const struct pb_request_log *r, struct pb_strbuf *scratch)
{
	return r->url ? r->url : pb_request_uri(r->path, r->query, scratch);
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
	struct pb_strbuf uri = PB_STRBUF_INIT;
	json_object_set_new(d, "url", cut(request_url(r, &uri), 3000));
	pb_strbuf_deinit(&uri);
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

/* cutStr into b: the first `max` bytes of s, plus "..." when longer; upper-cased for the
 * method. */
static void put_cut(struct pb_strbuf *b, const char *s, size_t max, bool upper)
{
	if (!s)
		s = "";
	size_t n = strlen(s), take = n > max ? max : n, at = b->len;
	pb_strbuf_append(b, s, take);
	if (upper)
		for (size_t i = at; i < b->len; i++)
			b->data[i] = (char)toupper((unsigned char)b->data[i]);
	if (n > max)
		pb_strbuf_puts(b, "...");
}

/* Appends the message "<METHOD> <URI>" (see pb_logs_request_message) of r with its URI `url`
 * to b. */
static void put_message(struct pb_strbuf *b, const struct pb_request_log *r, const char *url)
{
	put_cut(b, r->method, 50, true);
	pb_strbuf_putc(b, ' ');
	size_t n = strlen(url), take = n > 3000 ? 3000 : n;
	/* url.PathUnescape ('+' stays); the raw text when it has a malformed escape */
	if (!memchr(url, '%', take) || pb_text_unescape_append(url, take, 0, b) != 0)
		pb_strbuf_append(b, url, take);
	if (n > take)
		pb_strbuf_puts(b, "...");
}

char *pb_logs_request_message(const struct pb_request_log *r, size_t *len_out)
{
	struct pb_strbuf m = PB_STRBUF_INIT, uri = PB_STRBUF_INIT;
	put_message(&m, r, request_url(r, &uri));
	pb_strbuf_deinit(&uri);
	*len_out = m.len;
	return pb_strbuf_steal(&m);
}

/* `{"key":` for the first member of the object opened at `open` (the offset of its '{' to
 * come), `,"key":` after that. `key` is a literal of klen bytes that needs no escaping. */
static void put_key(struct pb_strbuf *b, size_t open, const char *key, size_t klen)
{
	pb_strbuf_reserve(b, klen + 4);
	char *w = b->data + b->len;
	*w++ = b->len == open ? '{' : ',';
	*w++ = '"';
	memcpy(w, key, klen);
	w += klen;
	*w++ = '"';
	*w++ = ':';
	b->len = (size_t)(w - b->data);
	b->data[b->len] = '\0';
}

#define KEY(b, open, lit) put_key(b, open, lit, sizeof lit - 1)

static void put_str(struct pb_strbuf *b, const char *s) { pb_json_write_string(b, s ? s : "", s ? strlen(s) : 0); }

/* cutStr(s, max) as a JSON string: the cut bytes are escaped on their own (an UTF-8 sequence
 * split by the cut is invalid either way), then `...` joins the string. */
static void put_cut_str(struct pb_strbuf *b, const char *s, size_t max, bool upper)
{
	if (!s)
		s = "";
	size_t n = strlen(s), take = n > max ? max : n;
	char up[51] = {0};
	if (upper) { /* the method: at most 50 bytes */
		for (size_t i = 0; i < take; i++)
			up[i] = (char)toupper((unsigned char)s[i]);
		s = up;
	}
	pb_json_write_string(b, s, take);
	if (n > take) {
		b->len--; /* reopen the string: drop its closing quote */
		pb_strbuf_append(b, "...\"", 4);
	}
}

static void put_json(struct pb_strbuf *b, const json_t *v)
{
	if (json_is_object(v) || json_is_array(v)) {
		json_t *sorted = pb_json_sorted_copy(v);
		pb_json_write(b, sorted);
		json_decref(sorted);
	} else {
		pb_json_write(b, v);
	}
}

/* A float64 as encoding/json writes it. Exec times are whole microseconds / 1000: such a value
 * (below 1e12) is the correctly rounded double of a decimal with at most 15 significant
 * digits, whose trimmed text is therefore also Go's shortest form — written directly instead
 * of searched for. */
static void put_float(struct pb_strbuf *b, double v)
{
	if (v >= 0 && v < 1e12) {
		long long k = llround(v * 1000);
		if ((double)k / 1000.0 == v) {
			int frac = (int)(k % 1000);
			pb_strbuf_put_int(b, k / 1000);
			if (frac) {
				char f[5] = {'.', (char)('0' + frac / 100), (char)('0' + frac / 10 % 10), (char)('0' + frac % 10), 0};
				int n = 4;
				while (f[n - 1] == '0')
					n--;
				pb_strbuf_append(b, f, (size_t)n);
			}
			return;
		}
	}
	char f[PB_JSON_FLOAT_MAX];
	pb_json_format_float(v, f, sizeof f);
	pb_strbuf_puts(b, f);
}

/* Appends the stored data text of r with its URI `url` to b; details_text / meta_text, when
 * not NULL, are the stored JSON texts of the details and meta (a queued entry's) instead of
 * r->details / r->meta. */
static void put_data(struct pb_strbuf *b, const struct pb_request_log *r, const char *url, const char *details_text,
                     const char *meta_text)
{
	/* the keys of pb_logs_request_data in byte order, as the stored map is written */
	size_t o = b->len;
	KEY(b, o, "auth"); /* always the first key: it opens the object */
	put_str(b, r->auth_collection);
	if (r->auth_collection && r->log_auth_id) {
		KEY(b, o, "authId");
		put_str(b, r->auth_id);
	}
	if (r->error && (details_text || r->details)) {
		KEY(b, o, "details");
		if (details_text)
			pb_strbuf_puts(b, details_text);
		else
			put_json(b, r->details);
	}
	if (r->error) {
		KEY(b, o, "error");
		put_str(b, r->error);
	}
	if (r->has_exec_time) {
		KEY(b, o, "execTime");
		put_float(b, r->exec_time_ms);
	}
	if (meta_text || r->meta) {
		KEY(b, o, "meta");
		if (meta_text)
			pb_strbuf_puts(b, meta_text);
		else
			put_json(b, r->meta);
	}
	KEY(b, o, "method");
	put_cut_str(b, r->method, 50, true);
	KEY(b, o, "referer");
	put_cut_str(b, r->referer, 2000, false);
	if (r->log_ip) {
		KEY(b, o, "remoteIP");
		put_str(b, r->remote_ip);
	}
	KEY(b, o, "status");
	pb_strbuf_put_int(b, r->status);
	KEY(b, o, "type");
	pb_strbuf_append(b, "\"request\"", 9);
	KEY(b, o, "url");
	put_cut_str(b, url, 3000, false);
	KEY(b, o, "userAgent");
	put_cut_str(b, r->user_agent, 2000, false);
	if (r->log_ip) {
		KEY(b, o, "userIP");
		put_str(b, r->user_ip);
	}
	pb_strbuf_putc(b, '}');
}

char *pb_logs_request_data_text(const struct pb_request_log *r, size_t *len_out)
{
	struct pb_strbuf b = PB_STRBUF_INIT, uri = PB_STRBUF_INIT;
	pb_strbuf_reserve(&b, 256);
	put_data(&b, r, request_url(r, &uri), NULL, NULL);
	pb_strbuf_deinit(&uri);
	*len_out = b.len;
	return pb_strbuf_steal(&b);
}

/* Bytes of a string field worth copying: cutStr only needs to know that there are more than
 * `max`, so the referer and user agent are kept to max + 1 bytes; the others whole (the URI is
 * cut after it is built, the method after the copy). */
static size_t field_copy_len(int f, const char *s)
{
	switch (f) {
	case PB_LOGF_REFERER:
	case PB_LOGF_USER_AGENT:
		return strnlen(s, 2001);
	default:
		return strlen(s);
	}
}

/* Appends field f's text (NUL-terminated) to the entry being built in b, or marks it absent. */
static void put_field(struct pb_strbuf *b, struct pb_log_request_fields *f, int field, const char *s)
{
	if (!s) {
		f->absent |= 1u << field;
		return;
	}
	f->at[field] = (uint32_t)(b->len - PB_LOG_ENTRY_HEADER);
	pb_strbuf_append(b, s, field_copy_len(field, s));
	pb_strbuf_putc(b, '\0');
}

/* Appends a JSON value's stored text as field f (NUL-terminated), or marks it absent. */
static void put_json_field(struct pb_strbuf *b, struct pb_log_request_fields *f, int field, const json_t *v)
{
	if (!v) {
		f->absent |= 1u << field;
		return;
	}
	f->at[field] = (uint32_t)(b->len - PB_LOG_ENTRY_HEADER);
	put_json(b, v);
	pb_strbuf_putc(b, '\0');
}

int pb_logs_add_request(struct pb_logs *l, const struct pb_request_log *r)
{
	if (!l->running)
		return -1;
	if (!pb_logs_enabled(l))
		return 1;
	if (pb_logs_full(l)) /* dropped: not worth copying */
		return -1;
	/* the queue node and the raw fields in one buffer; the writer formats them */
	struct pb_strbuf b = {pb_logs_entry_buffer(l), PB_LOG_ENTRY_HEADER, PB_LOG_ENTRY_BUF};
	b.data[b.len] = '\0';
	struct pb_log_request_fields f = {
		.exec_time_ms = r->exec_time_ms,
		.status = r->status,
		.has_exec_time = r->has_exec_time,
		.log_ip = r->log_ip,
		.log_auth_id = r->log_auth_id,
	};
	const char *s[PB_LOGF_DETAILS] = {
		[PB_LOGF_METHOD] = r->method ? r->method : "",
		[PB_LOGF_PATH] = r->url ? NULL : r->path,
		[PB_LOGF_QUERY] = r->url ? NULL : r->query,
		[PB_LOGF_URL] = r->url,
		[PB_LOGF_REFERER] = r->referer,
		[PB_LOGF_USER_AGENT] = r->user_agent,
		[PB_LOGF_AUTH_COLLECTION] = r->auth_collection,
		[PB_LOGF_AUTH_ID] = r->auth_id,
		[PB_LOGF_USER_IP] = r->user_ip,
		[PB_LOGF_REMOTE_IP] = r->remote_ip,
		[PB_LOGF_ERROR] = r->error,
	};
	for (int i = 0; i < PB_LOGF_DETAILS; i++)
		put_field(&b, &f, i, s[i]);
	put_json_field(&b, &f, PB_LOGF_DETAILS, r->error ? r->details : NULL);
	put_json_field(&b, &f, PB_LOGF_META, r->meta);
	struct pb_log_entry *e = (struct pb_log_entry *)(void *)b.data; /* malloc'ed: aligned for any type */
	e->level = r->error ? PB_LOG_ERROR : PB_LOG_INFO;
	e->alloc = b.cap == PB_LOG_ENTRY_BUF ? PB_LOG_ENTRY_BUF : 0; /* grown: a plain allocation */
	e->data = NULL;
	e->request = true;
	e->req = f;
	e->len = b.len - PB_LOG_ENTRY_HEADER;
	e->text = NULL;
	e->text_len = 0;
	return pb_logs_enqueue(l, e); /* the buffer is handed over */
}

char *pb_logs_request_format(const struct pb_log_entry *e, size_t *message_len, size_t *text_at, size_t *text_len)
{
	const struct pb_log_request_fields *f = &e->req;
	const char *v[PB_LOGF_COUNT];
	for (int i = 0; i < PB_LOGF_COUNT; i++)
		v[i] = f->absent & (1u << i) ? NULL : e->message + f->at[i];
	const struct pb_request_log r = {
		.method = v[PB_LOGF_METHOD],
		.url = v[PB_LOGF_URL],
		.path = v[PB_LOGF_PATH],
		.query = v[PB_LOGF_QUERY],
		.status = f->status,
		.has_exec_time = f->has_exec_time,
		.exec_time_ms = f->exec_time_ms,
		.referer = v[PB_LOGF_REFERER],
		.user_agent = v[PB_LOGF_USER_AGENT],
		.auth_collection = v[PB_LOGF_AUTH_COLLECTION],
		.auth_id = v[PB_LOGF_AUTH_ID],
		.user_ip = v[PB_LOGF_USER_IP],
		.remote_ip = v[PB_LOGF_REMOTE_IP],
		.error = v[PB_LOGF_ERROR],
		.log_ip = f->log_ip,
		.log_auth_id = f->log_auth_id,
	};
	struct pb_strbuf b = PB_STRBUF_INIT, uri = PB_STRBUF_INIT;
	pb_strbuf_reserve(&b, 512);
	const char *url = request_url(&r, &uri);
	put_message(&b, &r, url);
	*message_len = b.len;
	pb_strbuf_putc(&b, '\0');
	*text_at = b.len;
	put_data(&b, &r, url, v[PB_LOGF_DETAILS], v[PB_LOGF_META]);
	*text_len = b.len - *text_at;
	pb_strbuf_deinit(&uri);
	return pb_strbuf_steal(&b);
}
