/* rt_bench — a small realtime load generator for pocketc (or PocketBase) over plain sockets
 * and one epoll loop. It opens SSE streams with HTTP/1.0 (so frames arrive unchunked), takes
 * each client id from PB_CONNECT, subscribes every stream to the wildcard topic of demo2 (the
 * fixture's public collection) and then, depending on the mode:
 *   latency N M     — M creates one after another; for each, the time from the create's
 *                     response (and from its request) to every subscriber's event; prints
 *                     p50/p95/p99 (negative = the event came before the response);
 *   throughput N M  — M creates from 8 concurrent writer connections; prints messages
 *                     delivered per second over all N subscribers and creates per second;
 *   idle N PID      — N streams held open (no subscriptions); prints the daemon's VmRSS
 *                     (from /proc/PID/status) before and after, and the difference per stream.
 * Figures only, nothing asserted. Usage: rt_bench HOST PORT MODE N ARG */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define WRITERS 8

struct conn {
	int fd;
	int kind;          /* 0 = SSE stream, 1 = writer */
	char *buf;         /* unparsed input */
	size_t len, cap;
	char id[64];       /* SSE: client id */
	long events;       /* SSE: event frames received */
	double *arrivals;  /* SSE latency mode: arrival time of event k */
	int headers_done;  /* SSE: the response head was skipped */
	int busy;          /* writer: a request is in flight */
	double sent_at;    /* writer: when it was sent */
};

static const char *host;
static int port, ep;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int dial(int nonblock)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	inet_pton(AF_INET, host, &a.sin_addr);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		perror("connect");
		exit(1);
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (nonblock)
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

static void send_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			continue;
		if (w <= 0) {
			perror("write");
			exit(1);
		}
		s += w;
		n -= (size_t)w;
	}
}

/* Appends what the socket has; returns 0 on EOF/error. */
static int fill(struct conn *c)
{
	for (;;) {
		if (c->cap - c->len < 65536) {
			c->cap = c->cap ? c->cap * 2 : 131072;
			c->buf = realloc(c->buf, c->cap);
		}
		ssize_t r = read(c->fd, c->buf + c->len, c->cap - c->len - 1);
		if (r > 0) {
			c->len += (size_t)r;
			c->buf[c->len] = '\0';
			continue;
		}
		if (r == 0)
			return 0;
		return errno == EAGAIN || errno == EWOULDBLOCK;
	}
}

static void consume(struct conn *c, size_t n)
{
	memmove(c->buf, c->buf + n, c->len - n);
	c->len -= n;
	c->buf[c->len] = '\0';
}

/* SSE: parses whole frames; the first one is PB_CONNECT. */
static void sse_parse(struct conn *c, double t)
{
	if (!c->headers_done) {
		char *h = strstr(c->buf, "\r\n\r\n");
		if (!h)
			return;
		consume(c, (size_t)(h + 4 - c->buf));
		c->headers_done = 1;
	}
	char *end;
	while ((end = strstr(c->buf, "\n\n"))) {
		size_t n = (size_t)(end + 2 - c->buf);
		if (!c->id[0] && !strncmp(c->buf, "id:", 3)) {
			size_t k = strcspn(c->buf + 3, "\n");
			if (k >= sizeof c->id)
				k = sizeof c->id - 1;
			memcpy(c->id, c->buf + 3, k);
			c->id[k] = '\0';
		} else {
			if (c->arrivals)
				c->arrivals[c->events] = t;
			c->events++;
		}
		consume(c, n);
	}
}

/* One blocking request on a fresh keep-alive-less connection; returns the status. */
static int request(const char *method, const char *path, const char *body)
{
	int fd = dial(0);
	char head[512];
	int hl = snprintf(head, sizeof head,
	                  "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\nContent-Type: application/json\r\n"
	                  "Content-Length: %zu\r\n\r\n",
	                  method, path, host, body ? strlen(body) : 0);
	send_all(fd, head, (size_t)hl);
	if (body)
		send_all(fd, body, strlen(body));
	char buf[4096];
	ssize_t r = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (r <= 12)
		return -1;
	buf[r] = '\0';
	return atoi(buf + 9);
}

static void writer_send(struct conn *w)
{
	static unsigned long seq;
	char body[128], req[512];
	/* demo2 titles are unique: a fresh one per create */
	int bl = snprintf(body, sizeof body, "{\"title\":\"rt bench %d %lu\"}", (int)getpid(), seq++);
	int n = snprintf(req, sizeof req,
	                 "POST /api/collections/demo2/records HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"
	                 "Content-Length: %d\r\n\r\n%s",
	                 host, bl, body);
	w->sent_at = now();
	w->busy = 1;
	send_all(w->fd, req, (size_t)n);
}

/* Writer: returns 1 when a complete response has been consumed. */
static int writer_parse(struct conn *w)
{
	char *hend = strstr(w->buf, "\r\n\r\n");
	if (!hend)
		return 0;
	const char *cl = strcasestr(w->buf, "\r\nContent-Length:");
	size_t body = cl && cl < hend ? (size_t)atol(cl + 17) : 0;
	size_t total = (size_t)(hend + 4 - w->buf) + body;
	if (w->len < total)
		return 0;
	consume(w, total);
	w->busy = 0;
	return 1;
}

static struct conn *open_streams(int n)
{
	struct conn *s = calloc((size_t)n, sizeof *s);
	int ready = 0;
	char req[256];
	int rl = snprintf(req, sizeof req, "GET /api/realtime HTTP/1.0\r\nHost: %s\r\n\r\n", host);
	for (int i = 0; i < n; i++) {
		s[i].fd = dial(1);
		send_all(s[i].fd, req, (size_t)rl);
		struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &s[i]};
		epoll_ctl(ep, EPOLL_CTL_ADD, s[i].fd, &ev);
	}
	struct epoll_event evs[256];
	while (ready < n) {
		int k = epoll_wait(ep, evs, 256, 10000);
		if (k <= 0) {
			fprintf(stderr, "streams: %d of %d connected\n", ready, n);
			exit(1);
		}
		for (int i = 0; i < k; i++) {
			struct conn *c = evs[i].data.ptr;
			int had = c->id[0] != 0;
			if (!fill(c)) {
				fprintf(stderr, "stream closed early (errno %d, %zu bytes: %.200s)\n", errno, c->len,
				        c->buf ? c->buf : "");
				exit(1);
			}
			sse_parse(c, now());
			if (!had && c->id[0])
				ready++;
		}
	}
	return s;
}

static void subscribe_all(struct conn *s, int n)
{
	for (int i = 0; i < n; i++) {
		char body[256];
		snprintf(body, sizeof body, "{\"clientId\":\"%s\",\"subscriptions\":[\"demo2/*\"]}", s[i].id);
		if (request("POST", "/api/realtime", body) != 204) {
			fprintf(stderr, "subscribe failed\n");
			exit(1);
		}
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void print_pcts(const char *what, double *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_double);
	printf("  %-22s p50 %8.3f ms   p95 %8.3f ms   p99 %8.3f ms   (n=%zu)\n", what, v[n / 2] * 1e3,
	       v[(size_t)(n * 0.95)] * 1e3, v[(size_t)(n * 0.99)] * 1e3, n);
}

/* Runs the loop until every stream has `want` events and (throughput) `total` creates are done. */
static void pump(struct conn *s, int n, struct conn *w, int nw, long want, long *creates_left, double *resp_at,
                 double *sent_at, long *created)
{
	struct epoll_event evs[512];
	for (;;) {
		int done = 1;
		for (int i = 0; i < n && done; i++)
			if (s[i].events < want)
				done = 0;
		for (int i = 0; i < nw && done; i++)
			if (w[i].busy)
				done = 0;
		if (done && (!creates_left || *creates_left == 0))
			return;
		int k = epoll_wait(ep, evs, 512, 10000);
		if (k <= 0) {
			fprintf(stderr, "timeout waiting for events\n");
			exit(1);
		}
		double t = now();
		for (int i = 0; i < k; i++) {
			struct conn *c = evs[i].data.ptr;
			if (!fill(c)) {
				fprintf(stderr, "connection closed\n");
				exit(1);
			}
			if (c->kind == 0) {
				sse_parse(c, t);
				continue;
			}
			while (c->len && writer_parse(c)) {
				if (resp_at)
					resp_at[*created] = t, sent_at[*created] = c->sent_at;
				(*created)++;
				if (creates_left && *creates_left > 0) {
					(*creates_left)--;
					writer_send(c);
				}
			}
		}
	}
}

static struct conn *open_writers(int n)
{
	struct conn *w = calloc((size_t)n, sizeof *w);
	for (int i = 0; i < n; i++) {
		w[i].fd = dial(1);
		w[i].kind = 1;
		struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &w[i]};
		epoll_ctl(ep, EPOLL_CTL_ADD, w[i].fd, &ev);
	}
	return w;
}

static void free_conns(struct conn *c, int n)
{
	for (int i = 0; i < n; i++) {
		close(c[i].fd);
		free(c[i].buf);
		free(c[i].arrivals);
	}
	free(c);
}

static long rss_kb(const char *pid)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%s/status", pid);
	FILE *f = fopen(path, "r");
	long kb = -1;
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "VmRSS:", 6))
			kb = atol(line + 6);
	if (f)
		fclose(f);
	return kb;
}

int main(int argc, char **argv)
{
	if (argc < 6) {
		fprintf(stderr, "usage: rt_bench HOST PORT latency|throughput|idle N EVENTS|PID\n");
		return 2;
	}
	host = argv[1];
	port = atoi(argv[2]);
	const char *mode = argv[3];
	int n = atoi(argv[4]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	ep = epoll_create1(0);
	if (!strcmp(mode, "idle")) {
		long before = rss_kb(argv[5]);
		double t0 = now();
		struct conn *s = open_streams(n);
		double t1 = now();
		sleep(1);
		long after = rss_kb(argv[5]);
		printf("idle streams: %d opened in %.2f s; daemon VmRSS %ld KiB -> %ld KiB: %.2f KiB per stream\n", n, t1 - t0,
		       before, after, (double)(after - before) / n);
		free_conns(s, n);
		return 0;
	}
	long m = atol(argv[5]);
	if (m < 1 || m > 1000000) {
		fprintf(stderr, "EVENTS must be 1..1000000\n");
		return 2;
	}
	struct conn *s = open_streams(n);
	subscribe_all(s, n);
	if (!strcmp(mode, "latency")) {
		for (int i = 0; i < n; i++)
			s[i].arrivals = calloc((size_t)m, sizeof(double));
		double *resp = calloc((size_t)m, sizeof(double)), *sent = calloc((size_t)m, sizeof(double));
		struct conn *w = open_writers(1);
		long created = 0;
		for (long e = 0; e < m; e++) {
			writer_send(&w[0]);
			pump(s, n, w, 1, e + 1, NULL, resp, sent, &created);
		}
		size_t total = (size_t)n * (size_t)m;
		double *from_resp = calloc(total, sizeof(double)), *from_send = calloc(total, sizeof(double));
		size_t k = 0;
		for (int i = 0; i < n; i++)
			for (long e = 0; e < m; e++, k++) {
				from_resp[k] = s[i].arrivals[e] - resp[e];
				from_send[k] = s[i].arrivals[e] - sent[e];
			}
		printf("latency, %d subscribers, %ld creates:\n", n, m);
		print_pcts("create response->event", from_resp, k);
		print_pcts("create request->event", from_send, k);
		free(from_resp);
		free(from_send);
		free(resp);
		free(sent);
		free_conns(w, 1);
		free_conns(s, n);
		return 0;
	}
	if (!strcmp(mode, "throughput")) {
		struct conn *w = open_writers(WRITERS);
		long left = m, created = 0;
		double t0 = now();
		for (int i = 0; i < WRITERS && left > 0; i++, left--)
			writer_send(&w[i]);
		pump(s, n, w, WRITERS, m, &left, NULL, NULL, &created);
		double dt = now() - t0;
		printf("throughput, %d subscribers, %ld creates from %d writers: %.0f creates/s, %.0f messages/s delivered "
		       "(%.2f s)\n",
		       n, m, WRITERS, m / dt, (double)n * m / dt, dt);
		free_conns(w, WRITERS);
		free_conns(s, n);
		return 0;
	}
	fprintf(stderr, "unknown mode %s\n", mode);
	return 2;
}
