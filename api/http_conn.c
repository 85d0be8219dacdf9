/* http_conn — connection state machine (see http_conn.h).
 *
 * States: HEAD (waiting for a complete request head), BODY (reading the request body),
 * HANDLE (the exchange is with the dispatcher/handler; further input stays buffered),
 * DISCARD (an early answer left a small body unread: drain it, then go on with keep-alive),
 * CLOSING (the last response is being flushed; then half-close and linger briefly so the
 * client reads the answer before the socket is reset). */
#include "api/http_conn.h"

#include <arpa/inet.h>
#include <event2/buffer.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "api/dispatch.h"
#include "api/http_req_internal.h"

#define HEAD_TIMEOUT_S 60
#define IDLE_TIMEOUT_S 300
#define BODY_TIMEOUT_S 300
#define WRITE_TIMEOUT_S 300
#define LINGER_MS 1000
#define DISCARD_MAX (256 << 10)   /* Go's server drains up to 256 KiB of an unread body */
#define PIPELINE_INPUT_MAX (256 << 10)
#define CHUNK_LINE_MAX 4096

enum conn_state { CS_HEAD, CS_BODY, CS_HANDLE, CS_DISCARD, CS_CLOSING };
enum chunk_state { CH_SIZE, CH_DATA, CH_DATA_END, CH_TRAILER };

struct pb_conn {
	struct pb_conn *next, *prev;
	struct pb_worker *w;
	struct bufferevent *bev;
	enum conn_state state;
	char ip[64];
	bool served_one;        /* at least one exchange completed (idle timeout applies) */
	bool keep_alive;        /* of the current exchange */
	bool in_process;        /* process_input is on the stack */
	bool gone;              /* the peer is gone; waiting for the exchange to end */
	bool body_pending;      /* the current exchange's body has not been read (yet) */
	int in_dispatch;        /* > 0 while dispatcher/handler code of the exchange is on the stack */
	bool done_pending;      /* the exchange completed while in_dispatch: finish on the way out */

	char *head_buf;         /* owned: copy of the current request head (parsed in place) */
	struct pb_http_head head;
	struct pb_req *req;     /* owned: the current exchange */

	struct pb_strbuf body;  /* owned: the request body read so far */
	bool chunked;
	long long remaining;    /* Content-Length bytes still to read */
	enum chunk_state chunk;
	long long chunk_left;
	long long discard_left;
	struct event *linger_ev; /* owned */
};

static void process_input(struct pb_conn *c);
static void conn_free(struct pb_conn *c);

/* ---- helpers --------------------------------------------------------------------------- */

static void format_ip(const struct sockaddr *sa, char *out, size_t cap)
{
	out[0] = '\0';
	if (sa->sa_family == AF_INET) {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)cap);
	} else if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
		if (IN6_IS_ADDR_V4MAPPED(a)) {
			inet_ntop(AF_INET, &a->s6_addr[12], out, (socklen_t)cap);
			return;
		}
		/* fully expanded, as PocketBase renders IPv6 client addresses */
		snprintf(out, cap, "%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x", a->s6_addr[0],
		         a->s6_addr[1], a->s6_addr[2], a->s6_addr[3], a->s6_addr[4], a->s6_addr[5], a->s6_addr[6],
		         a->s6_addr[7], a->s6_addr[8], a->s6_addr[9], a->s6_addr[10], a->s6_addr[11], a->s6_addr[12],
		         a->s6_addr[13], a->s6_addr[14], a->s6_addr[15]);
	}
}

static void set_read_timeout(struct pb_conn *c, int secs)
{
	struct timeval r = {secs, 0}, wr = {WRITE_TIMEOUT_S, 0};
	bufferevent_set_timeouts(c->bev, secs > 0 ? &r : NULL, &wr);
}

static void list_remove(struct pb_conn *c)
{
	struct pb_worker *w = c->w;
	if (c->prev)
		c->prev->next = c->next;
	else if (w->conns == c)
		w->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	c->next = c->prev = NULL;
	w->nconns--;
}

static void conn_free(struct pb_conn *c)
{
	struct pb_worker *w = c->w;
	if (c->req) {
		/* never free an exchange a handler still owns: mark it gone and wait for it */
		if (c->req->async || c->req->streaming) {
			if (!c->gone) {
				c->gone = true;
				c->req->gone = true;
				if (c->bev) {
					bufferevent_free(c->bev);
					c->bev = NULL;
				}
				if (c->req->on_gone)
					c->req->on_gone(c->req, c->req->on_gone_arg);
			}
			return;
		}
		pb_req_free(c->req);
		c->req = NULL;
	}
	list_remove(c);
	if (c->bev)
		bufferevent_free(c->bev);
	if (c->linger_ev)
		event_free(c->linger_ev);
	free(c->head_buf);
	pb_strbuf_deinit(&c->body);
	free(c);
	pb_worker_conn_closed(w);
}

static void on_linger_timeout(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	conn_free(arg);
}

/* The last response is flushed: half-close, read and drop whatever the client still sends
 * for a moment, then close (avoids a reset that would destroy the answer in flight). */
static void start_linger(struct pb_conn *c)
{
	if (!c->bev)
		return;
	evutil_socket_t fd = bufferevent_getfd(c->bev);
	struct evbuffer *in = bufferevent_get_input(c->bev);
	if (c->state != CS_CLOSING)
		c->state = CS_CLOSING;
	evbuffer_drain(in, evbuffer_get_length(in));
	shutdown(fd, SHUT_WR);
	bufferevent_setwatermark(c->bev, EV_READ, 0, 0);
	bufferevent_enable(c->bev, EV_READ);
	bufferevent_set_timeouts(c->bev, NULL, NULL);
	if (!c->linger_ev) {
		c->linger_ev = evtimer_new(c->w->base, on_linger_timeout, c);
		struct timeval tv = {LINGER_MS / 1000, (LINGER_MS % 1000) * 1000};
		evtimer_add(c->linger_ev, &tv);
	}
}

/* ---- protocol-level errors (before an exchange exists) ------------------------------------ */

static void raw_error(struct pb_conn *c, int status)
{
	struct evbuffer *out = bufferevent_get_output(c->bev);
	char body[160];
	int blen = snprintf(body, sizeof body, "{\"data\":{},\"message\":\"%s\",\"status\":%d}\n",
	                    status == 431 ? "Request header fields too large." :
	                    status == 505 ? "HTTP version not supported." :
	                                    "Something went wrong while processing your request.",
	                    status);
	evbuffer_add_printf(out,
	                    "HTTP/1.1 %d %s\r\nConnection: close\r\nContent-Length: %d\r\n"
	                    "Content-Type: application/json\r\nDate: %s\r\n\r\n%s",
	                    status, pb_http_status_text(status), blen, pb_worker_date(c->w), body);
	c->state = CS_CLOSING;
	bufferevent_disable(c->bev, EV_READ);
}

/* ---- reading ---------------------------------------------------------------------------- */

/* Body framing of the current head. Returns 0, or -1 for a malformed framing. */
static int parse_framing(struct pb_conn *c)
{
	c->chunked = false;
	c->remaining = 0;
	const char *te = pb_http_head_get(&c->head, "Transfer-Encoding");
	const char *cl = NULL;
	int ncl = 0;
	for (int i = 0; i < c->head.nheaders; i++)
		if (!strcasecmp(c->head.headers[i].name, "Content-Length")) {
			if (cl && strcmp(cl, c->head.headers[i].value) != 0)
				return -1;
			cl = c->head.headers[i].value;
			ncl++;
		}
	if (te) {
		if (c->head.minor == 0 || strcasecmp(te, "chunked") != 0)
			return -1;
		c->chunked = true;
		c->chunk = CH_SIZE;
		return 0;
	}
	if (cl) {
		if (!*cl || strlen(cl) > 18)
			return -1;
		for (const char *p = cl; *p; p++)
			if (*p < '0' || *p > '9')
				return -1;
		c->remaining = strtoll(cl, NULL, 10);
	}
	return 0;
}

static bool has_body(const struct pb_conn *c) { return c->chunked || c->remaining > 0; }

static void finish_exchange(struct pb_conn *c);

/* Leaves a dispatcher call; completes an exchange that was answered inside it. */
static void leave_dispatch(struct pb_conn *c)
{
	if (--c->in_dispatch == 0 && c->done_pending) {
		c->done_pending = false;
		finish_exchange(c);
	}
}

void pb_conn_resume(struct pb_req *req, void (*fn)(struct pb_req *req))
{
	struct pb_conn *c = req->conn;
	c->in_dispatch++;
	fn(req);
	leave_dispatch(c);
}

static void body_too_large(struct pb_conn *c)
{
	c->req->close_after = true;
	c->state = CS_HANDLE;
	c->in_dispatch++;
	pb_resp_error(c->req, 413, NULL, NULL);
	leave_dispatch(c);
}

/* Reads chunked body data. Returns 1 when the body is complete, 0 when more input is needed,
 * -1 on a framing error (answered). */
static int read_chunked(struct pb_conn *c, struct evbuffer *in)
{
	for (;;) {
		if (c->chunk == CH_SIZE || c->chunk == CH_TRAILER || c->chunk == CH_DATA_END) {
			size_t eol_len = 0;
			struct evbuffer_ptr p = evbuffer_search_eol(in, NULL, &eol_len, EVBUFFER_EOL_CRLF);
			if (p.pos < 0) {
				if (evbuffer_get_length(in) > CHUNK_LINE_MAX)
					goto bad;
				return 0;
			}
			if ((size_t)p.pos > CHUNK_LINE_MAX)
				goto bad;
			char line[CHUNK_LINE_MAX + 1];
			evbuffer_remove(in, line, (size_t)p.pos);
			line[p.pos] = '\0';
			evbuffer_drain(in, eol_len);
			if (c->chunk == CH_DATA_END) {
				if (p.pos != 0)
					goto bad;
				c->chunk = CH_SIZE;
				continue;
			}
			if (c->chunk == CH_TRAILER) {
				if (p.pos == 0)
					return 1;
				continue; /* trailers are ignored */
			}
			char *end;
			long long n = strtoll(line, &end, 16);
			if (end == line || n < 0 || (*end && *end != ';' && *end != ' ' && *end != '\t'))
				goto bad;
			if (n == 0) {
				c->chunk = CH_TRAILER;
				continue;
			}
			if (c->req->body_limit >= 0 && (long long)c->body.len + n > c->req->body_limit) {
				body_too_large(c);
				return -1;
			}
			c->chunk_left = n;
			c->chunk = CH_DATA;
		}
		size_t avail = evbuffer_get_length(in);
		if (!avail)
			return 0;
		size_t take = avail < (size_t)c->chunk_left ? avail : (size_t)c->chunk_left;
		pb_strbuf_reserve(&c->body, take);
		evbuffer_remove(in, c->body.data + c->body.len, take);
		c->body.len += take;
		c->body.data[c->body.len] = '\0';
		c->chunk_left -= (long long)take;
		if (c->chunk_left == 0)
			c->chunk = CH_DATA_END;
	}
bad:
	c->req->close_after = true;
	c->state = CS_HANDLE;
	c->in_dispatch++;
	pb_resp_error(c->req, 400, NULL, NULL);
	leave_dispatch(c);
	return -1;
}

static void run_handler(struct pb_conn *c)
{
	c->state = CS_HANDLE;
	c->body_pending = false;
	c->req->body = c->body.len ? (const unsigned char *)c->body.data : NULL;
	c->req->body_len = c->body.len;
	set_read_timeout(c, 0);
	bufferevent_setwatermark(c->bev, EV_READ, 0, PIPELINE_INPUT_MAX);
	c->in_dispatch++;
	pb_dispatch_run(c->req);
	leave_dispatch(c);
}

static void start_exchange(struct pb_conn *c, size_t head_len)
{
	struct evbuffer *in = bufferevent_get_input(c->bev);
	free(c->head_buf);
	c->head_buf = malloc(head_len + 1);
	if (!c->head_buf)
		abort();
	evbuffer_remove(in, c->head_buf, head_len);
	c->head_buf[head_len] = '\0';
	enum pb_http_parse_result r = pb_http_parse_head(c->head_buf, head_len, &c->head);
	if (r != PB_HTTP_PARSE_DONE) {
		raw_error(c, r == PB_HTTP_PARSE_TOO_BIG ? 431 : r == PB_HTTP_PARSE_VERSION ? 505 : 400);
		return;
	}
	if (parse_framing(c) != 0) {
		raw_error(c, 400);
		return;
	}
	const char *conn_hdr = pb_http_head_get(&c->head, "Connection");
	c->keep_alive = c->head.minor == 1 ? !pb_http_token_in_list(conn_hdr, "close")
	                                   : pb_http_token_in_list(conn_hdr, "keep-alive");
	pb_strbuf_reset(&c->body);
	struct pb_req *req = pb_req_new(c->w, c, &c->head, c->ip);
	if (!req) {
		raw_error(c, 400);
		return;
	}
	c->req = req;
	req->close_after = !c->keep_alive;
	c->state = CS_HANDLE;
	c->body_pending = has_body(c);
	c->in_dispatch++;
	bool go_on = pb_dispatch_head(req);
	if (!go_on) {
		leave_dispatch(c);
		return; /* answered (or being answered) before the body was read */
	}
	c->in_dispatch--;
	if (!has_body(c)) {
		run_handler(c);
		return;
	}
	if (!c->chunked && req->body_limit >= 0 && c->remaining > req->body_limit) {
		body_too_large(c);
		return;
	}
	const char *expect = pb_http_head_get(&c->head, "Expect");
	if (expect && !strcasecmp(expect, "100-continue") && c->head.minor == 1)
		evbuffer_add_printf(bufferevent_get_output(c->bev), "HTTP/1.1 100 Continue\r\n\r\n");
	c->state = CS_BODY;
	if (!c->chunked && evbuffer_get_length(in) >= (size_t)c->remaining)
		return; /* the whole body is here: the input loop reads it at once, no body timeout */
	set_read_timeout(c, BODY_TIMEOUT_S);
	bufferevent_setwatermark(c->bev, EV_READ, 0, 0);
}

static void process_input(struct pb_conn *c)
{
	if (c->in_process || !c->bev)
		return;
	c->in_process = true;
	struct evbuffer *in = bufferevent_get_input(c->bev);
	for (;;) {
		if (c->state == CS_HEAD) {
			size_t len = evbuffer_get_length(in);
			if (!len)
				break;
			/* look at a small prefix first so deep pipelines are not copied again and again */
			size_t want = len < 8192 ? len : 8192;
			const char *data = (const char *)evbuffer_pullup(in, (ssize_t)want);
			size_t head_len = pb_http_head_end(data, want);
			if (!head_len && want < len) {
				want = len < PB_HTTP_MAX_HEAD_BYTES + 4 ? len : PB_HTTP_MAX_HEAD_BYTES + 4;
				data = (const char *)evbuffer_pullup(in, (ssize_t)want);
				head_len = pb_http_head_end(data, want);
			}
			if (!head_len) {
				if (len > PB_HTTP_MAX_HEAD_BYTES)
					raw_error(c, 431);
				else if (c->served_one)
					set_read_timeout(c, evbuffer_get_length(in) ? HEAD_TIMEOUT_S : IDLE_TIMEOUT_S);
				break;
			}
			if (head_len > PB_HTTP_MAX_HEAD_BYTES) {
				raw_error(c, 431);
				break;
			}
			start_exchange(c, head_len);
			continue;
		}
		if (c->state == CS_BODY) {
			if (c->chunked) {
				int r = read_chunked(c, in);
				if (r == 0)
					break;
				if (r < 0)
					continue;
			} else {
				size_t avail = evbuffer_get_length(in);
				if (!avail)
					break;
				size_t take = avail < (size_t)c->remaining ? avail : (size_t)c->remaining;
				pb_strbuf_reserve(&c->body, take);
				evbuffer_remove(in, c->body.data + c->body.len, take);
				c->body.len += take;
				c->body.data[c->body.len] = '\0';
				c->remaining -= (long long)take;
				if (c->remaining > 0)
					break;
			}
			run_handler(c);
			continue;
		}
		if (c->state == CS_DISCARD) {
			size_t avail = evbuffer_get_length(in);
			size_t take = avail < (size_t)c->discard_left ? avail : (size_t)c->discard_left;
			evbuffer_drain(in, take);
			c->discard_left -= (long long)take;
			if (c->discard_left > 0)
				break;
			c->state = CS_HEAD;
			continue;
		}
		if (c->state == CS_CLOSING) {
			evbuffer_drain(in, evbuffer_get_length(in));
			break;
		}
		break; /* CS_HANDLE: input waits for the exchange to end */
	}
	c->in_process = false;
}

/* ---- libevent callbacks ------------------------------------------------------------------ */

static void on_read(struct bufferevent *bev, void *arg)
{
	(void)bev;
	process_input(arg);
}

static void on_write(struct bufferevent *bev, void *arg)
{
	(void)bev;
	struct pb_conn *c = arg;
	if (c->state == CS_CLOSING && !c->req) {
		if (c->linger_ev)
			return;
		start_linger(c);
	}
}

static void on_event(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	struct pb_conn *c = arg;
	if (what & BEV_EVENT_TIMEOUT) {
		if ((what & BEV_EVENT_READING) && c->state == CS_HANDLE)
			return; /* no read deadline while a handler runs */
	}
	if (c->state == CS_CLOSING && (what & BEV_EVENT_EOF) && !c->req && c->linger_ev) {
		conn_free(c); /* the client closed its side while we lingered */
		return;
	}
	conn_free(c);
}

void pb_conn_accept(struct pb_worker *w, evutil_socket_t fd, const struct sockaddr *sa, int salen)
{
	(void)salen;
	struct pb_conn *c = calloc(1, sizeof *c);
	if (!c)
		abort();
	c->w = w;
	format_ip(sa, c->ip, sizeof c->ip);
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	evutil_make_socket_nonblocking(fd);
	c->bev = bufferevent_socket_new(w->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (!c->bev) {
		close(fd);
		free(c);
		return;
	}
	c->next = w->conns;
	if (w->conns)
		w->conns->prev = c;
	w->conns = c;
	w->nconns++;
	bufferevent_setcb(c->bev, on_read, on_write, on_event, c);
	set_read_timeout(c, HEAD_TIMEOUT_S);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
}

void pb_conn_close_idle(struct pb_worker *w)
{
	struct pb_conn *c = w->conns;
	while (c) {
		struct pb_conn *next = c->next;
		if (!c->req && c->state == CS_HEAD && (!c->bev || !evbuffer_get_length(bufferevent_get_input(c->bev))))
			conn_free(c);
		else if (c->req && c->req->streaming) {
			/* SSE streams end on shutdown; their owner ends them (and forgets them) */
			void (*gone)(struct pb_req *, void *) = c->req->on_gone;
			c->req->on_gone = NULL;
			if (gone)
				gone(c->req, c->req->on_gone_arg);
			else
				pb_resp_stream_end(c->req);
		}
		c = next;
	}
}

void pb_conn_close_all(struct pb_worker *w)
{
	/* exchanges a handler still owns (a writer job, a stream) are only marked gone: their
	 * completion arrives through the task queue and frees them */
	struct pb_conn *c = w->conns;
	while (c) {
		struct pb_conn *next = c->next;
		if (!c->gone)
			conn_free(c);
		c = next;
	}
}

void pb_conn_free_all(struct pb_worker *w)
{
	while (w->conns) {
		struct pb_conn *c = w->conns;
		if (c->req) {
			c->req->async = false;
			c->req->streaming = false;
			pb_req_free(c->req);
			c->req = NULL;
		}
		c->gone = false;
		conn_free(c);
	}
}

/* ---- response side ------------------------------------------------------------------------ */

struct evbuffer *pb_conn_output(struct pb_req *req)
{
	struct pb_conn *c = req->conn;
	return c && c->bev && !c->gone ? bufferevent_get_output(c->bev) : NULL;
}

size_t pb_conn_send_now(struct pb_req *req, const void *data, size_t len)
{
	struct pb_conn *c = req->conn;
	if (!c || !c->bev || c->gone || !len || evbuffer_get_length(bufferevent_get_output(c->bev)))
		return 0;
	evutil_socket_t fd = bufferevent_getfd(c->bev);
	if (fd < 0)
		return 0;
	/* a failure (EAGAIN, a reset peer) leaves everything to the buffered path and its errors */
	ssize_t n = send(fd, data, len, MSG_NOSIGNAL | MSG_DONTWAIT);
	return n > 0 ? (size_t)n : 0;
}

size_t pb_conn_pending(const struct pb_req *req)
{
	const struct pb_conn *c = req->conn;
	return c && c->bev ? evbuffer_get_length(bufferevent_get_output(c->bev)) : 0;
}

void pb_conn_exchange_done(struct pb_req *req)
{
	struct pb_conn *c = req->conn;
	if (c->in_dispatch) {
		c->done_pending = true; /* the caller still uses req: finish when it returns */
		return;
	}
	finish_exchange(c);
}

static void finish_exchange(struct pb_conn *c)
{
	struct pb_req *req = c->req;
	bool close_after = req->close_after;
	c->req = NULL;
	pb_dispatch_finished(req);
	pb_req_free(req);
	if (c->gone) {
		conn_free(c);
		return;
	}
	c->served_one = true;
	c->discard_left = 0;
	if (c->body_pending) {
		/* answered before the body was read: drain a small one to keep the connection,
		 * otherwise close after the answer (Go's server does the same) */
		c->body_pending = false;
		if (!c->chunked && c->remaining <= DISCARD_MAX)
			c->discard_left = c->remaining;
		else
			close_after = true;
	}
	if (close_after || c->w->stopping) {
		c->state = CS_CLOSING;
		bufferevent_disable(c->bev, EV_READ);
		if (!evbuffer_get_length(bufferevent_get_output(c->bev)))
			start_linger(c);
		return;
	}
	if (c->discard_left > 0) {
		c->state = CS_DISCARD;
	} else {
		c->state = CS_HEAD;
	}
	bufferevent_setwatermark(c->bev, EV_READ, 0, 0);
	set_read_timeout(c, IDLE_TIMEOUT_S);
	bufferevent_enable(c->bev, EV_READ);
	if (!c->in_process)
		process_input(c);
}
