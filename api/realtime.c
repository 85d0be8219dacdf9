/* realtime (api) — GET/POST /api/realtime as PocketBase's realtimeConnect and
 * realtimeSetSubscriptions (apis/realtime.go), see api/realtime.h.
 *
 * A stream is an exchange kept open after pb_resp_stream_begin: its broker client lives on
 * this worker's shard, a timer closes it after 5 idle minutes (only delivered messages count,
 * PB_CONNECT does not) or 30 minutes in all, and on_gone (client gone or server shutting
 * down) closes it too. A subscription POST binds its body like BindBody into the Go form
 * struct, validates it, then runs on the worker that owns the client id (the broker routes
 * ids to shards) and is answered back on the worker that received it. */
#include "api/realtime.h"

#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/body.h"
#include "api/messages.h"
#include "api/worker.h"
#include "collections/query.h"
#include "core/json_write.h"
#include "core/netip.h"
#include "core/settings.h"
#include "core/validation.h"

/* ---- streams -------------------------------------------------------------------------------- */

struct rt_conn {
	struct pb_req *req;
	struct pb_rt_client *client; /* NULL once the broker dropped it */
	struct event *timer;
};

static void arm(struct rt_conn *rc)
{
	int64_t ms = pb_rt_client_deadline_ms(rc->client) - pb_rt_now_ms();
	if (ms < 0)
		ms = 0;
	struct timeval tv = {(time_t)(ms / 1000), (suseconds_t)(ms % 1000) * 1000};
	evtimer_add(rc->timer, &tv);
}

/* Unregisters the client and ends the stream; rc is freed. */
static void conn_end(struct rt_conn *rc)
{
	struct pb_req *req = rc->req;
	pb_rt_client_close(rc->client);
	if (rc->timer)
		event_free(rc->timer);
	req->on_gone = NULL;
	req->on_gone_arg = NULL;
	free(rc);
	pb_resp_stream_end(req);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct rt_conn *rc = arg;
	if (pb_rt_now_ms() >= pb_rt_client_deadline_ms(rc->client))
		conn_end(rc);
	else
		arm(rc); /* a message was delivered meanwhile */
}

static void on_gone(struct pb_req *req, void *arg)
{
	(void)req;
	conn_end(arg);
}

static void t_post(void *loop, void (*fn)(void *arg), void *arg) { pb_worker_post(loop, fn, arg); }

static int t_write(void *conn, const char *data, size_t len)
{
	struct rt_conn *rc = conn;
	return pb_resp_stream_write(rc->req, data, len, PB_RT_MAX_PENDING);
}

static void t_drop(void *conn)
{
	struct rt_conn *rc = conn;
	rc->client = NULL; /* already freed by the broker */
	rc->req->close_after = true;
	conn_end(rc);
}

const struct pb_rt_transport pb_api_realtime_transport = {t_post, t_write, t_drop};

/* ---- real IP -------------------------------------------------------------------------------- */

/* RealIP(), computed once per request by the real-IP middleware (api/realip.h). */
void pb_api_real_ip(struct pb_req *req, char *out, size_t cap) { snprintf(out, cap, "%s", req->real_ip); }

/* ---- GET ------------------------------------------------------------------------------------ */

void pb_api_realtime_connect(struct pb_req *req)
{
	struct pb_rt_shard *s = req->worker->realtime;
	pb_resp_header_set(req, "Content-Type", "text/event-stream");
	pb_resp_header_set(req, "Cache-Control", "no-store");
	pb_resp_header_set(req, "X-Accel-Buffering", "no");
	if (req->head) {
		pb_resp_empty(req, 200); /* nothing would ever be sent: answer the headers only */
		return;
	}
	struct rt_conn *rc = calloc(1, sizeof *rc);
	if (!rc)
		abort();
	char ip[64];
	pb_api_real_ip(req, ip, sizeof ip);
	rc->req = req;
	rc->client = s ? pb_rt_client_open(s, ip, rc) : NULL;
	if (!rc->client) {
		free(rc);
		pb_resp_header_set(req, "Content-Type", NULL);
		pb_resp_error(req, 500, "Failed to initialize SSE connection.", NULL);
		return;
	}
	pb_resp_stream_begin(req, 200);
	const char *id = pb_rt_client_id(rc->client);
	struct pb_strbuf data = PB_STRBUF_INIT, frame = PB_STRBUF_INIT;
	pb_strbuf_printf(&data, "{\"clientId\":\"%s\"}", id);
	pb_sse_frame(&frame, id, "PB_CONNECT", 10, data.data, data.len);
	int rc_write = pb_resp_stream_write(req, frame.data, frame.len, PB_RT_MAX_PENDING);
	pb_strbuf_deinit(&data);
	pb_strbuf_deinit(&frame);
	if (rc_write != 0) {
		conn_end(rc);
		return;
	}
	req->on_gone = on_gone;
	req->on_gone_arg = rc;
	rc->timer = evtimer_new(req->worker->base, on_timer, rc);
	if (!rc->timer)
		abort();
	arm(rc);
}

/* ---- POST: binding and validation ------------------------------------------------------------- */

/* A form value as the string Go's form binding saw (inferred scalars turned back into text,
 * which is exact for the inference's round-trip numbers). Appends to out; false for values
 * that cannot be a string. */
static bool form_text(const json_t *v, struct pb_strbuf *out)
{
	if (json_is_string(v)) {
		pb_strbuf_append(out, json_string_value(v), json_string_length(v));
	} else if (json_is_boolean(v)) {
		pb_strbuf_puts(out, json_is_true(v) ? "true" : "false");
	} else if (json_is_number(v)) {
		char buf[PB_JSON_FLOAT_FIXED_MAX];
		pb_json_format_float_fixed(json_number_value(v), buf, sizeof buf);
		pb_strbuf_puts(out, buf);
	} else {
		return false;
	}
	return true;
}

struct rt_form {
	json_t *client_id;     /* owned string or NULL */
	json_t *subscriptions; /* owned array of strings */
};

/* json.Decoder.Decode into realtimeSubscribeForm: keys match case-insensitively, a null
 * leaves a field alone, any other type mismatch fails the bind. */
static int bind_json(const json_t *data, struct rt_form *f)
{
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)data, k, v)
	{
		if (!strcasecmp(k, "clientId")) {
			if (json_is_null(v))
				continue;
			if (!json_is_string(v))
				return -1;
			json_decref(f->client_id);
			f->client_id = json_incref(v);
		} else if (!strcasecmp(k, "subscriptions")) {
			if (json_is_null(v)) {
				json_array_clear(f->subscriptions);
				continue;
			}
			if (!json_is_array(v))
				return -1;
			json_array_clear(f->subscriptions);
			size_t i;
			json_t *item;
			json_array_foreach(v, i, item)
			{
				if (json_is_null(item))
					json_array_append_new(f->subscriptions, json_string(""));
				else if (json_is_string(item))
					json_array_append(f->subscriptions, item);
				else
					return -1;
			}
		}
	}
	return 0;
}

/* UnmarshalRequestData of a form into the struct (keys as tagged). */
static int bind_form(const json_t *data, struct rt_form *f)
{
	struct pb_strbuf t = PB_STRBUF_INIT;
	const json_t *id = json_object_get(data, "clientId");
	if (json_is_array(id))
		id = json_array_get(id, 0);
	if (id && form_text(id, &t)) {
		json_decref(f->client_id);
		f->client_id = json_stringn_nocheck(t.data ? t.data : "", t.len);
	}
	const json_t *subs = json_object_get(data, "subscriptions");
	size_t n = json_is_array(subs) ? json_array_size(subs) : subs ? 1 : 0;
	for (size_t i = 0; i < n; i++) {
		pb_strbuf_reset(&t);
		const json_t *item = json_is_array(subs) ? json_array_get(subs, i) : subs;
		form_text(item, &t);
		json_array_append_new(f->subscriptions, json_stringn_nocheck(t.data ? t.data : "", t.len));
	}
	pb_strbuf_deinit(&t);
	return 0;
}

/* ozzo ValidateStruct of the form: every field's first failing rule. NULL when valid. */
static json_t *validate(const struct rt_form *f)
{
	json_t *errs = json_object();
	const char *id = json_string_value(f->client_id);
	size_t idlen = f->client_id ? json_string_length(f->client_id) : 0;
	if (!id || !idlen)
		json_object_set_new(errs, "clientId", pb_validation_item(PB_VCODE_REQUIRED, PB_VMSG_REQUIRED, NULL));
	else if (idlen > 255)
		json_object_set_new(errs, "clientId", pb_validation_length(1, 255));
	size_t n = json_array_size(f->subscriptions);
	if (n > PB_RT_MAX_SUBSCRIPTIONS) {
		json_object_set_new(errs, "subscriptions", pb_validation_length(0, PB_RT_MAX_SUBSCRIPTIONS));
	} else {
		json_t *each = json_object();
		for (size_t i = 0; i < n; i++) {
			json_t *s = json_array_get(f->subscriptions, i);
			if (json_string_length(s) > PB_RT_MAX_TOPIC_LEN) {
				char key[24];
				snprintf(key, sizeof key, "%zu", i);
				json_object_set_new(each, key, pb_validation_length(0, PB_RT_MAX_TOPIC_LEN));
			}
		}
		if (json_object_size(each))
			json_object_set(errs, "subscriptions", each);
		json_decref(each);
	}
	return pb_validation_finish(errs);
}

/* ---- POST: applying on the owning worker -------------------------------------------------------- */

struct sub_job {
	struct pb_rt_subscribe sub;
	struct pb_req *req;        /* the exchange, answered on `origin` */
	struct pb_worker *origin;
	struct pb_rt_shard *owner;
};

static void respond(struct pb_req *req, enum pb_rt_subscribe_result r)
{
	switch (r) {
	case PB_RT_SUB_OK: pb_resp_empty(req, 204); break;
	case PB_RT_SUB_NO_CLIENT: pb_resp_error(req, 404, PB_MSG_RT_MISSING_CLIENT, NULL); break;
	case PB_RT_SUB_BAD_IP: pb_resp_error(req, 400, PB_MSG_RT_INVALID_CLIENT, NULL); break;
	case PB_RT_SUB_AUTH_MISMATCH: pb_resp_error(req, 403, PB_MSG_RT_AUTH_MISMATCH, NULL); break;
	}
}

static void job_free(struct sub_job *j)
{
	pb_rt_subscribe_deinit(&j->sub);
	free(j);
}

static void on_back(void *arg)
{
	struct sub_job *j = arg;
	struct pb_req *req = j->req;
	if (req->gone) {
		req->async = false;
		pb_resp_empty(req, 204); /* dropped: releases the exchange */
	} else {
		respond(req, j->sub.result);
	}
	job_free(j);
}

static void on_owner(void *arg)
{
	struct sub_job *j = arg;
	pb_rt_subscribe_apply(j->owner, &j->sub);
	pb_worker_post(j->origin, on_back, j);
}

/* tokenKey of the requester's record through this worker's connection, hashed (0 if missing) */
static uint64_t token_key_hash(struct pb_req *req)
{
	const char *id = json_string_value(json_object_get(req->auth, "id"));
	if (!id || !req->auth_collection)
		return 0;
	struct pb_strbuf sql = PB_STRBUF_INIT;
	pb_strbuf_puts(&sql, "SELECT ");
	pb_sql_ident(&sql, "tokenKey");
	pb_strbuf_puts(&sql, " FROM ");
	pb_sql_ident(&sql, req->auth_collection->name);
	pb_strbuf_puts(&sql, " WHERE ");
	pb_sql_ident(&sql, "id");
	pb_strbuf_puts(&sql, " = ?1 LIMIT 1");
	uint64_t h = 0;
	sqlite3_stmt *st = pb_stmt_cache_get(req->stmts, sql.data, sql.len);
	if (st) {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			const char *t = (const char *)sqlite3_column_text(st, 0);
			h = pb_rt_hash64(t ? t : "", t ? strlen(t) : 0);
		}
		pb_stmt_cache_release(req->stmts, st);
	}
	pb_strbuf_deinit(&sql);
	return h;
}

void pb_api_realtime_subscribe(struct pb_req *req)
{
	struct pb_rt_shard *mine = req->worker->realtime;
	struct rt_form f = {NULL, json_array()};
	struct pb_body body = {0};
	struct pb_error err = PB_ERROR_INIT;
	json_t *errs = NULL;
	if (req->body_len) {
		const char *ct = pb_req_header(req, "Content-Type");
		if (pb_body_decode_method(req->method, ct, req->body, req->body_len, req->raw_query, &body, &err) != 0 ||
		    (ct && !strncmp(ct, "application/json", 16) ? bind_json(body.data, &f) : bind_form(body.data, &f)) != 0) {
			pb_error_clear(&err);
			pb_resp_error(req, 400, NULL, NULL);
			goto done;
		}
	}
	if ((errs = validate(&f))) {
		pb_resp_error(req, 400, NULL, errs);
		goto done;
	}
	const char *id = json_string_value(f.client_id);
	struct pb_rt_shard *owner = mine ? pb_rt_hub_route(pb_rt_shard_hub(mine), id) : NULL;
	if (!owner || strlen(id) != json_string_length(f.client_id)) {
		respond(req, PB_RT_SUB_NO_CLIENT);
		goto done;
	}

	struct sub_job *j = calloc(1, sizeof *j);
	if (!j)
		abort();
	pb_rt_subscribe_init(&j->sub);
	j->sub.client_id = strdup(id);
	if (!j->sub.client_id)
		abort();
	pb_api_real_ip(req, j->sub.ip, sizeof j->sub.ip);
	size_t n = json_array_size(f.subscriptions);
	const char **topics = calloc(n ? n : 1, sizeof *topics);
	size_t *lens = calloc(n ? n : 1, sizeof *lens);
	if (!topics || !lens)
		abort();
	for (size_t i = 0; i < n; i++) {
		json_t *s = json_array_get(f.subscriptions, i);
		topics[i] = json_string_value(s);
		lens[i] = json_string_length(s);
	}
	j->sub.subs = pb_rt_subs_parse(topics, lens, n);
	free(topics);
	free(lens);
	if (req->auth && req->auth_collection) {
		j->sub.auth = json_deep_copy(req->auth);
		j->sub.auth_collection_id = strdup(req->auth_collection->id);
		if (!j->sub.auth_collection_id)
			abort();
		j->sub.superuser = req->superuser;
		j->sub.token_key_hash = token_key_hash(req);
		const char *secret = NULL;
		pb_collection_token_config(req->auth_collection, "authToken", &secret, NULL);
		j->sub.secret_hash = secret ? pb_rt_hash64(secret, strlen(secret)) : 0;
	}
	if (owner == mine) {
		pb_rt_subscribe_apply(mine, &j->sub);
		respond(req, j->sub.result);
		job_free(j);
	} else {
		j->req = req;
		j->origin = req->worker;
		j->owner = owner;
		pb_req_async(req);
		pb_worker_post(pb_rt_shard_loop(owner), on_owner, j);
	}
done:
	json_decref(errs);
	json_decref(f.client_id);
	json_decref(f.subscriptions);
	pb_body_free(&body);
}
