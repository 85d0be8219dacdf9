/* worker — a server thread with its own loop, listener, read connection and task queue
 * (see worker.h). */
#include "api/worker.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "api/http_conn.h"
#include "api/router.h"
#include "core/db.h"

struct pb_task {
	void (*fn)(void *arg);
	void *arg;
	struct pb_task *next;
};

static void run_tasks(struct pb_worker *w)
{
	pthread_mutex_lock(&w->queue_lock);
	struct pb_task *t = w->queue_head;
	w->queue_head = w->queue_tail = NULL;
	pthread_mutex_unlock(&w->queue_lock);
	while (t) {
		struct pb_task *next = t->next;
		t->fn(t->arg);
		free(t);
		t = next;
	}
}

static void on_wake(evutil_socket_t fd, short what, void *arg)
{
	(void)what;
	uint64_t n;
	/* one read takes the whole counter (or fails with EAGAIN after a spurious wake-up) */
	ssize_t r = read(fd, &n, sizeof n);
	(void)r;
	run_tasks(arg);
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int salen, void *arg)
{
	(void)l;
	struct pb_worker *w = arg;
	if (w->stopping) {
		close(fd);
		return;
	}
	pb_conn_accept(w, fd, sa, salen);
}

static void on_accept_error(struct evconnlistener *l, void *arg)
{
	(void)l;
	(void)arg;
	/* EMFILE and friends: the listener keeps running; the connection stays in the backlog */
	int e = EVUTIL_SOCKET_ERROR();
	if (e != EAGAIN && e != EINTR && e != ECONNABORTED)
		fprintf(stderr, "accept: %s\n", evutil_socket_error_to_string(e));
}

int pb_worker_init(struct pb_worker *w, int index, struct pb_app *app, int fd, struct pb_error *err)
{
	memset(w, 0, sizeof *w);
	w->index = index;
	w->app = app;
	w->wake_fd = -1;
	pthread_mutex_init(&w->queue_lock, NULL);
	struct event_config *cfg = event_config_new();
	event_config_set_flag(cfg, EVENT_BASE_FLAG_NOLOCK);
	w->base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	if (!w->base) {
		close(fd);
		pb_error_set(err, 500, "failed to create the event loop");
		goto fail;
	}
	w->listener = evconnlistener_new(w->base, on_accept, w, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, -1, fd);
	if (!w->listener) {
		close(fd);
		pb_error_set(err, 500, "failed to listen");
		goto fail;
	}
	evconnlistener_set_error_cb(w->listener, on_accept_error);
	w->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (w->wake_fd < 0) {
		pb_error_set(err, 500, "eventfd: %s", strerror(errno));
		goto fail;
	}
	w->wake_ev = event_new(w->base, w->wake_fd, EV_READ | EV_PERSIST, on_wake, w);
	event_add(w->wake_ev, NULL);
	w->db = pb_app_open_reader(app, err);
	if (!w->db)
		goto fail;
	pb_stmt_cache_init(&w->stmts, w->db);
	pb_auth_cache_init(&w->auth_cache, &app->writer);
	pb_filter_cache_init(&w->filters);
	pb_view_memo_init(&w->views, w->db);
	pb_strbuf_init(&w->body_scratch);
	w->router = pb_router_new(pb_routes);
	return 0;
fail:
	pb_worker_deinit(w);
	return -1;
}

static void *thread_main(void *arg)
{
	struct pb_worker *w = arg;
	char name[16];
	snprintf(name, sizeof name, "pb-worker-%d", w->index);
	pthread_setname_np(pthread_self(), name);
	event_base_dispatch(w->base);
	return NULL;
}

int pb_worker_start(struct pb_worker *w)
{
	return pthread_create(&w->thread, NULL, thread_main, w) == 0 ? 0 : -1;
}

static void on_stop_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct pb_worker *w = arg;
	pb_conn_close_all(w);
	event_base_loopexit(w->base, NULL);
}

struct stop_args {
	struct pb_worker *w;
	int grace_ms;
};

static void do_stop(void *arg)
{
	struct stop_args *a = arg;
	struct pb_worker *w = a->w;
	int grace = a->grace_ms;
	free(a);
	if (w->stopping)
		return;
	w->stopping = true;
	if (w->listener) {
		evconnlistener_free(w->listener);
		w->listener = NULL;
	}
	pb_conn_close_idle(w);
	if (!w->conns) {
		event_base_loopexit(w->base, NULL);
		return;
	}
	struct timeval tv = {grace / 1000, (grace % 1000) * 1000};
	w->stop_timer = evtimer_new(w->base, on_stop_timer, w);
	evtimer_add(w->stop_timer, &tv);
}

void pb_worker_stop(struct pb_worker *w, int grace_ms)
{
	struct stop_args *a = malloc(sizeof *a);
	if (!a)
		abort();
	a->w = w;
	a->grace_ms = grace_ms;
	pb_worker_post(w, do_stop, a);
}

/* Called by the connection layer when the last connection of a stopping worker closed. */
void pb_worker_conn_closed(struct pb_worker *w)
{
	if (w->stopping && !w->conns)
		event_base_loopexit(w->base, NULL);
}

void pb_worker_join(struct pb_worker *w)
{
	if (w->thread) {
		pthread_join(w->thread, NULL);
		w->thread = 0;
	}
}

void pb_worker_deinit(struct pb_worker *w)
{
	pb_worker_join(w);
	if (w->base) {
		/* tasks posted after the loop ended still release what they carry; a task may post
		 * another (e.g. a writer job refused at shutdown answers at once) */
		for (;;) {
			pthread_mutex_lock(&w->queue_lock);
			bool empty = !w->queue_head;
			pthread_mutex_unlock(&w->queue_lock);
			if (empty)
				break;
			run_tasks(w);
		}
		pb_conn_close_all(w);
		pb_conn_free_all(w);
	}
	if (w->listener)
		evconnlistener_free(w->listener);
	if (w->stop_timer)
		event_free(w->stop_timer);
	if (w->wake_ev)
		event_free(w->wake_ev);
	if (w->wake_fd >= 0)
		close(w->wake_fd);
	if (w->db) {
		pb_auth_cache_deinit(&w->auth_cache);
		pb_filter_cache_deinit(&w->filters);
		pb_view_memo_deinit(&w->views);
		pb_strbuf_deinit(&w->body_scratch);
		pb_stmt_cache_deinit(&w->stmts);
		sqlite3_close_v2(w->db);
	}
	if (w->aux)
		sqlite3_close_v2(w->aux);
	pb_router_free(w->router);
	w->router = NULL;
	if (w->base)
		event_base_free(w->base);
	pthread_mutex_destroy(&w->queue_lock);
	memset(w, 0, sizeof *w);
	w->wake_fd = -1;
}

void pb_worker_post(struct pb_worker *w, void (*fn)(void *arg), void *arg)
{
	struct pb_task *t = malloc(sizeof *t);
	if (!t)
		abort();
	t->fn = fn;
	t->arg = arg;
	t->next = NULL;
	pthread_mutex_lock(&w->queue_lock);
	bool was_empty = !w->queue_head;
	if (w->queue_tail)
		w->queue_tail->next = t;
	else
		w->queue_head = t;
	w->queue_tail = t;
	pthread_mutex_unlock(&w->queue_lock);
	/* the loop takes the whole queue at once: whoever made it non-empty wakes it, later tasks
	 * ride along with that wake-up */
	if (!was_empty)
		return;
	uint64_t one = 1;
	ssize_t n = write(w->wake_fd, &one, sizeof one);
	(void)n; /* EAGAIN means a wake-up is already pending */
}

const char *pb_worker_date(struct pb_worker *w)
{
	time_t now = time(NULL);
	if (now != w->date_sec) {
		struct tm tm;
		gmtime_r(&now, &tm);
		strftime(w->date, sizeof w->date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
		w->date_sec = now;
	}
	return w->date;
}

sqlite3 *pb_worker_aux(struct pb_worker *w, struct pb_error *err)
{
	if (!w->aux)
		w->aux = pb_db_open(w->app->aux_db_path, true, err);
	return w->aux;
}
