/* server — binds the listen address once per worker (SO_REUSEPORT: the kernel spreads
 * connections over the workers' loops), prints PocketBase's start banner and serves until
 * SIGINT/SIGTERM, then stops like PocketBase's graceful shutdown (1 s for running exchanges).
 * Before the shared sockets are made, the address is probed with a plain socket so that a
 * port already taken by any process (also another pocketc) is reported as PocketBase reports
 * it instead of being silently shared. The app's services (logs writer, cron scheduler with
 * the built-in jobs) start with the writer and stop after the workers. */
#include "api/server.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "api/installer.h"
#include "api/realtime.h"
#include "api/worker.h"
#include "core/backup.h"
#include "core/cron.h"
#include "core/settings.h"
#include "core/thumb.h"
#include "realtime/realtime.h"

#define SHUTDOWN_GRACE_MS 1000
#define LISTEN_BACKLOG 4096

struct listen_addr {
	char host[256];
	char port[16];
};

/* "host:port", ":port", "[v6]:port" */
static int split_addr(const char *addr, struct listen_addr *out)
{
	const char *colon = strrchr(addr, ':');
	if (!colon)
		return -1;
	size_t hlen = (size_t)(colon - addr);
	const char *h = addr;
	if (hlen >= 2 && h[0] == '[' && h[hlen - 1] == ']') {
		h++;
		hlen -= 2;
	}
	if (hlen >= sizeof out->host || strlen(colon + 1) >= sizeof out->port || !colon[1])
		return -1;
	memcpy(out->host, h, hlen);
	out->host[hlen] = '\0';
	strcpy(out->port, colon + 1);
	return 0;
}

static int make_socket(const struct addrinfo *ai, bool reuseport, int *err_out)
{
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
	if (fd < 0) {
		*err_out = errno;
		return -1;
	}
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (reuseport)
		setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, LISTEN_BACKLOG) != 0) {
		*err_out = errno;
		close(fd);
		return -1;
	}
	return fd;
}

static void print_banner(const char *addr)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	char date[32];
	strftime(date, sizeof date, "%Y/%m/%d %H:%M:%S", &tm);
	printf("%s Server started at http://%s\n"
	       "\xe2\x94\x9c\xe2\x94\x80 REST API:  http://%s/api/\n"
	       "\xe2\x94\x94\xe2\x94\x80 Dashboard: http://%s/_/\n",
	       date, addr, addr, addr);
	fflush(stdout);
}

int pb_server_run(struct pb_app *app)
{
	const char *addr = app->cfg->http_addr;
	struct listen_addr la;
	if (split_addr(addr, &la) != 0) {
		fprintf(stderr, "Error: listen tcp %s: address %s: missing port in address\n", addr, addr);
		return -1;
	}
	struct addrinfo hints = {0}, *ai = NULL;
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	int gai = getaddrinfo(la.host[0] ? la.host : NULL, la.port, &hints, &ai);
	if (gai != 0) {
		fprintf(stderr, "Error: listen tcp %s: %s\n", addr, gai_strerror(gai));
		return -1;
	}
	int n = app->cfg->workers;
	struct pb_worker *workers = calloc((size_t)n, sizeof *workers);
	int *fds = malloc((size_t)n * sizeof *fds);
	if (!workers || !fds)
		abort();
	int rc = -1, started = 0, e = 0;
	char *installer_token = NULL;
	struct pb_rt_hub *hub = NULL;

	/* probe: a plain socket fails if anybody holds the port, SO_REUSEPORT or not */
	if (strcmp(la.port, "0") != 0) {
		int probe = make_socket(ai, false, &e);
		if (probe < 0) {
			fprintf(stderr, "Error: listen tcp %s: bind: %s\n", addr, strerror(e));
			goto out;
		}
		close(probe);
	}
	for (int i = 0; i < n; i++) {
		fds[i] = make_socket(ai, true, &e);
		if (fds[i] < 0) {
			fprintf(stderr, "Error: listen tcp %s: bind: %s\n", addr, strerror(e));
			for (int k = 0; k < i; k++)
				close(fds[k]);
			goto out;
		}
		if (i == 0 && !strcmp(la.port, "0")) {
			/* an ephemeral port: the other workers join the one the kernel picked */
			struct sockaddr_storage ss;
			socklen_t sl = sizeof ss;
			getsockname(fds[0], (struct sockaddr *)&ss, &sl);
			int port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
			                                          : ((struct sockaddr_in *)&ss)->sin_port);
			snprintf(la.port, sizeof la.port, "%d", port);
			freeaddrinfo(ai);
			ai = NULL;
			if (getaddrinfo(la.host[0] ? la.host : NULL, la.port, &hints, &ai) != 0) {
				close(fds[0]);
				goto out;
			}
		}
	}
	struct pb_error werr = PB_ERROR_INIT;
	/* the installer writes synchronously, before the writer thread owns the connection */
	if (pb_installer_prepare(app, &installer_token, &werr) != 0) {
		fprintf(stderr, "Error: %s\n", werr.message);
		pb_error_clear(&werr);
	}
	if (pb_thumb_init(app->cfg->program, &werr) != 0) {
		fprintf(stderr, "Error: %s\n", werr.message);
		pb_error_clear(&werr);
		for (int k = 0; k < n; k++)
			close(fds[k]);
		goto out;
	}
	if (pb_app_start_writer(app, &werr) != 0 || pb_app_start_services(app, &werr) != 0) {
		fprintf(stderr, "Error: %s\n", werr.message);
		pb_error_clear(&werr);
		for (int k = 0; k < n; k++)
			close(fds[k]);
		goto out;
	}
	/* realtime: one broker shard per worker (attached below); committed change events go to
	 * the broker from the first write on */
	hub = pb_rt_hub_new((size_t)n, &pb_api_realtime_transport);
	/* test knobs (not PocketBase flags): shorter stream timeouts, in milliseconds */
	const char *idle = getenv("POCKETC_REALTIME_IDLE_MS"), *max = getenv("POCKETC_REALTIME_MAX_MS");
	pb_rt_hub_set_timeouts(hub, idle ? atoll(idle) : 0, max ? atoll(max) : 0);
	pb_writer_set_event_sink(&app->writer, pb_rt_hub_publish, hub);
	pb_writer_set_event_interest(&app->writer, pb_rt_hub_interested);
	for (int i = 0; i < n; i++) {
		struct pb_error err = PB_ERROR_INIT;
		if (pb_worker_init(&workers[i], i, app, fds[i], &err) != 0) {
			fprintf(stderr, "Error: %s\n", err.message);
			pb_error_clear(&err);
			for (int k = i + 1; k < n; k++)
				close(fds[k]);
			goto stop;
		}
		started = i + 1;
	}
	/* shards get their loops before the loops run (publishing skips shards without clients) */
	for (int i = 0; i < n; i++) {
		pb_rt_shard_attach(pb_rt_hub_shard(hub, (size_t)i), &workers[i], &workers[i].stmts);
		workers[i].realtime = pb_rt_hub_shard(hub, (size_t)i);
	}

	char shown[300];
	snprintf(shown, sizeof shown, "%s%s%s:%s", strchr(la.host, ':') ? "[" : "",
	         la.host[0] && strcmp(la.host, "0.0.0.0") ? la.host : "127.0.0.1", strchr(la.host, ':') ? "]" : "",
	         la.port);
	/* the caller blocked these before creating any thread (main.c) */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	for (int i = 0; i < n; i++)
		if (pb_worker_start(&workers[i]) != 0) {
			fprintf(stderr, "Error: failed to start worker %d\n", i);
			goto stop;
		}
	print_banner(shown);
	if (installer_token) {
		char base[320];
		snprintf(base, sizeof base, "http://%s", shown);
		pb_installer_print(stdout, base, installer_token, app->cfg->program, isatty(STDOUT_FILENO));
	}
	int sig = 0;
	sigwait(&set, &sig);
	rc = 0;
stop:
	for (int i = 0; i < started; i++)
		if (workers[i].thread)
			pb_worker_stop(&workers[i], SHUTDOWN_GRACE_MS);
	for (int i = 0; i < started; i++)
		pb_worker_join(&workers[i]);
	/* the loops are done: no new cron runs (and wait for the running ones — an auto backup,
	 * a cleanup — which may still submit writer jobs), then commit what is still queued; its
	 * completions land in the workers' task queues, which pb_worker_deinit still runs before it
	 * frees anything; the request logs of those last exchanges are written when the logs
	 * writer stops */
	pb_app_stop_cron(app);
	pb_app_stop_writer(app);
	for (int i = 0; i < started; i++)
		pb_worker_deinit(&workers[i]);
	pb_writer_set_event_sink(&app->writer, NULL, NULL);
	pb_rt_hub_free(hub);
	pb_app_stop_logs(app);
	pb_thumb_shutdown();
out:
	free(installer_token);
	if (ai)
		freeaddrinfo(ai);
	free(fds);
	free(workers);
	return rc;
}
