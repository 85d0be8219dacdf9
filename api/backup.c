/* backup — /api/backups as PocketBase's apis/backup.go, backup_create.go and
 * backup_upload.go: list (struct order modified, key, size), create (optional name
 * ^[a-z0-9_-]+\.zip$ ≤150, unique; 204 once written), upload (multipart `file`, zip by
 * content, unique original name, no body limit), download (a superuser *file* token in
 * ?token=, superuserIPs honoured; 403 otherwise), delete (refused for the backup in use) and
 * restore (204 at once; a second later the archive is prepared and the server stops, main
 * swaps pb_data and re-executes the binary). Store I/O (disk, S3) and backups run on the
 * blocking pool; answers go back to the request's loop. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "api/backup.h"
#include "api/body.h"
#include "api/messages.h"
#include "api/serve_file.h"
#include "api/worker.h"
#include "collections/auth_token.h"
#include "collections/validation_messages.h"
#include "core/backup.h"
#include "core/datetime.h"
#include "core/mime.h"
#include "core/netip.h"
#include "core/settings.h"
#include "core/storage.h"

struct bjob {
	struct pb_req *req;
	struct pb_app *app;
	char *key;                   /* owned: backup key / name */
	const unsigned char *data;   /* upload bytes: borrowed from the request body, or owned_data */
	unsigned char *owned_data;   /* owned copy of a decoded (quoted-printable) upload */
	size_t len;
	int rc;
	int status;                  /* the answer: 0 = use err */
	struct pb_error err;
	json_t *out;                 /* owned: list result */
	int fd;                      /* download: open file, -1 when none */
	struct stat st;
	char *content_type;          /* owned */
	void (*answer)(struct bjob *j);
};

static struct bjob *bjob_new(struct pb_req *req, const char *key)
{
	struct bjob *j = calloc(1, sizeof *j);
	if (!j)
		abort();
	j->req = req;
	j->app = req->app;
	j->fd = -1;
	if (key && !(j->key = strdup(key)))
		abort();
	return j;
}

static void bjob_free(struct bjob *j)
{
	free(j->key);
	json_decref(j->out);
	pb_error_clear(&j->err);
	if (j->fd >= 0)
		close(j->fd);
	free(j->content_type);
	free(j->owned_data);
	free(j);
}

/* on the loop: the pool's result */
static void deliver(void *arg)
{
	struct bjob *j = arg;
	if (j->req->gone) {
		j->req->async = false;
		pb_resp_empty(j->req, 204); /* dropped: releases the exchange */
	} else {
		j->answer(j);
	}
	bjob_free(j);
}

static void run_on_pool(struct bjob *j, void (*fn)(void *), void (*answer)(struct bjob *))
{
	j->answer = answer;
	pb_req_async(j->req);
	pb_pool_submit(&j->app->pool, fn, j);
}

static void answer_status(struct bjob *j)
{
	if (j->rc != 0)
		pb_resp_pb_error(j->req, &j->err);
	else
		pb_resp_empty(j->req, j->status ? j->status : 204);
}

static struct pb_backup_store store_now(struct pb_app *app, struct pb_settings **s)
{
	*s = pb_settings_current();
	return pb_backup_store_of(app->cfg->dir, *s);
}

/* {"<field>":{"code":…,"message":<sentenized>}} as the validation error envelope's data */
static void field_error(struct pb_error *err, const char *field, const char *code, const char *message)
{
	char msg[PB_ERROR_MSG_MAX];
	pb_sentenize(message, msg, sizeof msg);
	pb_error_set(err, 400, PB_MSG_BACKUP_VALIDATE_FAILED);
	pb_error_field(err, field, code, msg);
}

/* ---- list ---------------------------------------------------------------------------------------- */

static void list_task(void *arg)
{
	struct bjob *j = arg;
	struct pb_settings *s;
	struct pb_backup_store st = store_now(j->app, &s);
	struct pb_backup_item *items = NULL;
	size_t n = 0;
	struct pb_error e = PB_ERROR_INIT;
	if (pb_backup_list(&st, "", &items, &n, &e) != 0) {
		j->rc = pb_error_set(&j->err, 400, PB_MSG_BACKUP_LIST_FAILED "%s", e.message);
		pb_error_clear(&e);
	} else {
		j->out = json_array();
		for (size_t i = 0; i < n; i++) {
			char when[PB_DATETIME_LEN + 1];
			pb_datetime_format(items[i].modified_ms, when);
			json_t *o = json_object();
			json_object_set_new(o, "modified", json_string(when));
			json_object_set_new(o, "key", json_string(items[i].key));
			json_object_set_new(o, "size", json_integer(items[i].size));
			json_array_append_new(j->out, o);
		}
		free(items);
	}
	if (s)
		pb_settings_unref(s);
	pb_worker_post(j->req->worker, deliver, j);
}

static void answer_list(struct bjob *j)
{
	if (j->rc != 0)
		pb_resp_pb_error(j->req, &j->err);
	else
		pb_resp_json(j->req, 200, j->out);
}

void pb_api_backups_list(struct pb_req *req) { run_on_pool(bjob_new(req, NULL), list_task, answer_list); }

/* ---- create ------------------------------------------------------------------------------------ */

static void create_task(void *arg)
{
	struct bjob *j = arg;
	struct pb_settings *s;
	struct pb_backup_store st = store_now(j->app, &s);
	if (j->key && *j->key && pb_backup_exists(&st, j->key, NULL) != 0) {
		/* checkUniqueName: an existing name, or a store that cannot tell */
		field_error(&j->err, "name", "validation_backup_name_exists", PB_MSG_BACKUP_NAME_EXISTS);
		j->rc = -1;
	} else {
		struct pb_error e = PB_ERROR_INIT;
		if (pb_backup_create_marked(j->app, j->key, &e) != 0) {
			fprintf(stderr, "Failed to create backup: %s\n", e.message);
			pb_error_clear(&e);
			j->rc = pb_error_set(&j->err, 400, PB_MSG_BACKUP_CREATE_FAILED);
		}
	}
	pb_backups_end(&j->app->backups);
	if (s)
		pb_settings_unref(s);
	pb_worker_post(j->req->worker, deliver, j);
}

void pb_api_backups_create(struct pb_req *req)
{
	if (pb_backups_busy(&req->app->backups)) {
		pb_resp_error(req, 400, PB_MSG_BACKUP_BUSY, NULL);
		return;
	}
	struct pb_body body = {0};
	struct pb_error err = PB_ERROR_INIT;
	if (pb_body_decode_method(req->method, pb_req_header(req, "Content-Type"), req->body, req->body_len,
	                          req->raw_query, &body, &err) != 0) {
		pb_error_clear(&err);
		pb_resp_error(req, 400, PB_MSG_BACKUP_LOAD_FAILED, NULL);
		return;
	}
	const json_t *v = json_object_get(body.data, "name");
	if (v && !json_is_string(v) && !json_is_null(v)) {
		pb_body_free(&body);
		pb_resp_error(req, 400, PB_MSG_BACKUP_LOAD_FAILED, NULL);
		return;
	}
	const char *name = json_is_string(v) ? json_string_value(v) : "";
	if (*name) {
		size_t runes = 0;
		for (const unsigned char *p = (const unsigned char *)name; *p; p++)
			runes += (*p & 0xc0) != 0x80;
		if (runes > PB_BACKUP_NAME_MAX) {
			struct pb_error e = PB_ERROR_INIT;
			char msg[PB_ERROR_MSG_MAX];
			pb_sentenize("the length must be between 1 and 150", msg, sizeof msg);
			json_t *data = json_pack("{s{sssss{sisi}}}", "name", "code", pb_vmsg_code(PB_VMSG_LENGTH_OUT_OF_RANGE),
			                         "message", msg, "params", "max", PB_BACKUP_NAME_MAX, "min", 1);
			pb_error_set(&e, 400, PB_MSG_BACKUP_VALIDATE_FAILED);
			e.data = data;
			pb_body_free(&body);
			pb_resp_pb_error(req, &e);
			return;
		}
		if (!pb_backup_name_valid(name)) {
			struct pb_error e = PB_ERROR_INIT;
			field_error(&e, "name", pb_vmsg_code(PB_VMSG_MATCH_INVALID), pb_vmsg_template(PB_VMSG_MATCH_INVALID));
			pb_body_free(&body);
			pb_resp_pb_error(req, &e);
			return;
		}
	}
	if (!pb_backups_begin(&req->app->backups, name)) {
		pb_body_free(&body);
		pb_resp_error(req, 400, PB_MSG_BACKUP_BUSY, NULL);
		return;
	}
	struct bjob *j = bjob_new(req, name);
	pb_body_free(&body);
	run_on_pool(j, create_task, answer_status);
}

/* ---- upload ------------------------------------------------------------------------------------ */

bool pb_api_backups_upload_before_body(struct pb_req *req)
{
	req->body_limit = -1;
	return true;
}

static void upload_task(void *arg)
{
	struct bjob *j = arg;
	struct pb_settings *s;
	struct pb_backup_store st = store_now(j->app, &s);
	if (pb_backup_exists(&st, j->key, NULL) != 0) {
		field_error(&j->err, "file", "validation_backup_name_exists", PB_MSG_BACKUP_FILE_EXISTS);
		j->rc = -1;
	} else {
		struct pb_error e = PB_ERROR_INIT;
		if (pb_backup_store_bytes(&st, j->key, j->data, j->len, &e) != 0) {
			fprintf(stderr, "Failed to upload backup: %s\n", e.message);
			pb_error_clear(&e);
			j->rc = pb_error_set(&j->err, 400, PB_MSG_BACKUP_UPLOAD_FAILED);
		}
	}
	if (s)
		pb_settings_unref(s);
	pb_worker_post(j->req->worker, deliver, j);
}

/* Go's %q for a plain string: quotes with \" and \\ escaped */
static void go_quote(char *out, size_t cap, const char *s)
{
	size_t n = 0;
	if (cap < 3)
		return;
	out[n++] = '"';
	for (; *s && n + 3 < cap; s++) {
		if (*s == '"' || *s == '\\')
			out[n++] = '\\';
		out[n++] = *s;
	}
	out[n++] = '"';
	out[n] = '\0';
}

void pb_api_backups_upload(struct pb_req *req)
{
	struct pb_body body = {0};
	struct pb_error err = PB_ERROR_INIT;
	/* FindUploadedFiles: a body that is not a readable form simply has no files */
	if (pb_body_decode_method(req->method, pb_req_header(req, "Content-Type"), req->body, req->body_len,
	                          req->raw_query, &body, &err) != 0)
		pb_error_clear(&err);
	const struct pb_upload *f = NULL;
	for (size_t i = 0; i < body.nfiles && !f; i++)
		if (!strcmp(body.files[i].field, "file"))
			f = &body.files[i];
	struct pb_error e = PB_ERROR_INIT;
	if (!f) {
		field_error(&e, "file", pb_vmsg_code(PB_VMSG_REQUIRED), pb_vmsg_template(PB_VMSG_REQUIRED));
		pb_body_free(&body);
		pb_resp_pb_error(req, &e);
		return;
	}
	struct pb_mime m;
	pb_mime_detect(f->data, f->len, &m);
	if (!pb_mime_is(&m, PB_BACKUP_CONTENT_TYPE)) {
		char stored[PB_STORAGE_FILE_NAME_CAP], quoted[PB_STORAGE_FILE_NAME_CAP * 2 + 3], msg[PB_ERROR_MSG_MAX];
		if (pb_storage_file_name(f->filename, stored, sizeof stored) != 0)
			snprintf(stored, sizeof stored, "%s", f->filename);
		go_quote(quoted, sizeof quoted, stored);
		snprintf(msg, sizeof msg, "%s mime type must be one of: %s.", quoted, PB_BACKUP_CONTENT_TYPE);
		field_error(&e, "file", "validation_invalid_mime_type", msg);
		pb_body_free(&body);
		pb_resp_pb_error(req, &e);
		return;
	}
	struct bjob *j = bjob_new(req, f->filename);
	/* the bytes stay valid: they point into the request body, which lives until the answer
	 * (a quoted-printable part's decoded copy is owned by `body`, so it is copied here) */
	if (f->decoded) {
		unsigned char *copy = malloc(f->len ? f->len : 1);
		if (!copy)
			abort();
		memcpy(copy, f->data, f->len);
		j->owned_data = copy;
		j->data = copy;
	} else {
		j->data = f->data;
	}
	j->len = f->len;
	pb_body_free(&body);
	run_on_pool(j, upload_task, answer_status);
}

/* ---- download ------------------------------------------------------------------------------------ */

static bool ip_in_list(const struct pb_settings_strlist *list, const char *ip)
{
	struct pb_netip_addr a;
	if (!pb_netip_parse_addr(ip, strlen(ip), &a))
		return false;
	for (size_t i = 0; i < list->n; i++) {
		const char *item = list->items[i];
		struct pb_netip_addr p;
		int bits = 0;
		if (strchr(item, '/')) {
			if (!pb_netip_parse_prefix(item, strlen(item), &p, &bits) || p.is4 != a.is4)
				continue;
		} else {
			if (!pb_netip_parse_addr(item, strlen(item), &p) || p.is4 != a.is4)
				continue;
			bits = a.is4 ? 32 : 128;
		}
		bool match = true;
		for (int b = 0; b < bits && match; b++)
			match = ((a.b[b / 8] ^ p.b[b / 8]) & (0x80 >> (b % 8))) == 0;
		if (match)
			return true;
	}
	return false;
}

static void download_task(void *arg)
{
	struct bjob *j = arg;
	struct pb_settings *s;
	struct pb_backup_store st = store_now(j->app, &s);
	bool is_temp = false;
	struct pb_error e = PB_ERROR_INIT;
	char *path = pb_backup_fetch(&st, j->key, &is_temp, &e);
	pb_error_clear(&e);
	if (path) {
		j->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (j->fd >= 0 && (fstat(j->fd, &j->st) != 0 || !S_ISREG(j->st.st_mode))) {
			close(j->fd);
			j->fd = -1;
		}
		if (!is_temp)
			j->content_type = pb_storage_content_type(path, &e);
		pb_error_clear(&e);
		if (is_temp)
			unlink(path); /* the open descriptor keeps the download readable */
		free(path);
	}
	if (s)
		pb_settings_unref(s);
	pb_worker_post(j->req->worker, deliver, j);
}

static void answer_download(struct bjob *j)
{
	struct pb_req *req = j->req;
	if (j->fd < 0) {
		pb_resp_error(req, 404, NULL, NULL);
		return;
	}
	const char *slash = strrchr(j->key, '/');
	const char *name = slash ? slash + 1 : j->key;
	char disp[PB_BACKUP_KEY_CAP + 32];
	snprintf(disp, sizeof disp, "attachment; filename=%s", name);
	pb_resp_header_set(req, "Content-Disposition", disp);
	pb_resp_header_set(req, "Content-Security-Policy",
	                   "default-src 'none'; media-src 'self'; style-src 'unsafe-inline'; sandbox");
	pb_resp_header_set(req, "Cache-Control", "max-age=2592000, stale-while-revalidate=86400");
	const char *type = j->content_type && *j->content_type ? j->content_type : PB_BACKUP_CONTENT_TYPE;
	pb_serve_file(req, j->fd, &j->st, name, type);
	j->fd = -1;
}

void pb_api_backups_download(struct pb_req *req)
{
	const char *token = pb_req_query(req, "token");
	struct pb_auth a = {0};
	bool ok = token && *token &&
	          pb_auth_token_resolve(req->schema, req->stmts, token, PB_TOKEN_FILE, (int64_t)time(NULL), &a) == 0 &&
	          a.superuser;
	pb_auth_clear(&a);
	if (ok) {
		struct pb_settings *s = pb_settings_current();
		if (s && s->superuser_ips.n > 0 && !ip_in_list(&s->superuser_ips, req->remote_ip))
			ok = false;
		if (s)
			pb_settings_unref(s);
	}
	if (!ok) {
		pb_resp_error(req, 403, PB_MSG_BACKUP_FORBIDDEN, NULL);
		return;
	}
	run_on_pool(bjob_new(req, pb_req_param(req, 0)), download_task, answer_download);
}

/* ---- delete ---------------------------------------------------------------------------------------- */

static void delete_task(void *arg)
{
	struct bjob *j = arg;
	struct pb_settings *s;
	struct pb_backup_store st = store_now(j->app, &s);
	struct pb_error e = PB_ERROR_INIT;
	if (pb_backup_delete(&st, j->key, &e) != 0) {
		j->rc = pb_error_set(&j->err, 400, PB_MSG_BACKUP_DELETE_FAILED "%s", e.message);
		pb_error_clear(&e);
	}
	if (s)
		pb_settings_unref(s);
	pb_worker_post(j->req->worker, deliver, j);
}

void pb_api_backups_delete(struct pb_req *req)
{
	const char *key = pb_req_param(req, 0);
	if (pb_backups_is_active(&req->app->backups, key)) {
		pb_resp_error(req, 400, PB_MSG_BACKUP_IN_USE, NULL);
		return;
	}
	run_on_pool(bjob_new(req, key), delete_task, answer_status);
}

/* ---- restore --------------------------------------------------------------------------------------- */

static void restore_task(void *arg)
{
	struct bjob *j = arg;
	struct pb_app *app = j->app;
	char *key = strdup(j->key);
	if (!key)
		abort();
	struct pb_settings *s;
	struct pb_backup_store st = store_now(app, &s);
	bool exists = pb_backup_exists(&st, key, NULL) == 1;
	if (s)
		pb_settings_unref(s);
	bool started = exists && pb_backups_begin(&app->backups, key);
	if (!exists)
		j->rc = pb_error_set(&j->err, 400, PB_MSG_BACKUP_RESTORE_MISSING);
	else if (!started)
		j->rc = pb_error_set(&j->err, 400, PB_MSG_BACKUP_BUSY);
	pb_worker_post(j->req->worker, deliver, j); /* j belongs to the loop from here */
	if (started) {
		/* some optimistic time to write the response before the restart */
		sleep(1);
		struct pb_error e = PB_ERROR_INIT;
		if (pb_backup_restore_prepare(app, key, &e) == 0) {
			/* the server's sigwait takes it: clean shutdown, then main swaps and re-execs */
			kill(getpid(), SIGTERM);
		} else {
			fprintf(stderr, "Failed to restore backup %s: %s\n", key, e.message);
			pb_error_clear(&e);
			pb_backups_end(&app->backups);
		}
	}
	free(key);
}

void pb_api_backups_restore(struct pb_req *req)
{
	if (pb_backups_busy(&req->app->backups)) {
		pb_resp_error(req, 400, PB_MSG_BACKUP_BUSY, NULL);
		return;
	}
	run_on_pool(bjob_new(req, pb_req_param(req, 0)), restore_task, answer_status);
}
