/* file — GET /api/files/{collection}/{recordId}/{filename} and POST /api/files/token, as
 * PocketBase's apis/file.go: the record must exist and hold the file in one of its file fields;
 * a protected field needs a `?token=` file token whose record passes the collection's view rule
 * (request context "protectedFile"); `?thumb=` serves (and creates once, on the blocking pool)
 * a thumb of an image for the default 100x100 or a size the field lists, falling back to the
 * original; files are served with the stored content type, inline or as attachment
 * (`?download=`), PocketBase's CSP and cache headers, and ServeContent's ranges. */
#include <fcntl.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/file.h"
#include "api/messages.h"
#include "api/serve_file.h"
#include "api/worker.h"
#include "collections/auth_token.h"
#include "collections/field_type.h"
#include "collections/record_find.h"
#include "collections/record_rule.h"
#include "collections/view_infer.h"
#include "core/netip.h"
#include "core/storage.h"
#include "core/thumb.h"

static const char *const inline_types[] = {
	"image/png", "image/jpg", "image/jpeg", "image/gif", "image/webp", "image/x-icon", "image/bmp", "video/webm",
	"video/mp4", "video/3gpp", "video/quicktime", "video/x-ms-wmv", "audio/basic", "audio/aiff", "audio/mpeg",
	"audio/midi", "audio/mp3", "audio/wave", "audio/wav", "audio/x-wav", "audio/x-mpeg", "audio/x-m4a",
	"audio/aac", "application/pdf", "application/x-pdf"};

static const struct {
	const char *ext, *type;
} manual_types[] = {
	{".svg", "image/svg+xml"},
	{".css", "text/css"},
	{".js", "text/javascript"},
	{".mjs", "text/javascript"},
	{".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
};

static bool go_parse_bool(const char *s, bool *out)
{
	static const char *const t[] = {"1", "t", "T", "TRUE", "true", "True"};
	static const char *const f[] = {"0", "f", "F", "FALSE", "false", "False"};
	for (size_t i = 0; i < 6; i++) {
		if (!strcmp(s, t[i]))
			return *out = true, true;
		if (!strcmp(s, f[i]))
			return *out = false, true;
	}
	return false;
}

static const struct pb_field *file_field_of(const struct pb_collection *c, const json_t *rec, const char *name)
{
	for (size_t i = 0; i < c->nfields; i++) {
		const struct pb_field *f = &c->fields[i];
		if (f->type != PB_FIELD_FILE)
			continue;
		const json_t *v = json_object_get(rec, f->name);
		if (json_is_string(v) && !strcmp(json_string_value(v), name))
			return f;
		size_t k;
		json_t *it;
		json_array_foreach(v, k, it)
		if (json_is_string(it) && !strcmp(json_string_value(it), name))
			return f;
	}
	return NULL;
}

struct download {
	struct pb_req *req;
	char *root, *collection_id, *record_id, *filename, *size;
	char *path;       /* result: what to serve */
	bool thumb;       /* the path is a thumb */
};

static void download_free(struct download *d)
{
	free(d->root);
	free(d->collection_id);
	free(d->record_id);
	free(d->filename);
	free(d->size);
	free(d->path);
	free(d);
}

/* Serves d->path on the worker loop. */
static void serve(void *arg)
{
	struct download *d = arg;
	struct pb_req *req = d->req;
	if (req->gone) {
		pb_resp_empty(req, 204);
		download_free(d);
		return;
	}
	struct stat st;
	int fd = d->path ? open(d->path, O_RDONLY | O_CLOEXEC) : -1;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		pb_resp_error(req, 404, NULL, NULL);
		download_free(d);
		return;
	}
	struct pb_error err = PB_ERROR_INIT;
	char *stored_type = pb_storage_content_type(d->path, &err);
	pb_error_clear(&err);
	const char *real_type = stored_type ? stored_type : PB_STORAGE_DEFAULT_CONTENT_TYPE;
	bool force_attachment = false;
	const char *dl = pb_req_query(req, "download");
	if (dl && *dl)
		go_parse_bool(dl, &force_attachment);
	bool is_inline = false;
	for (size_t i = 0; !force_attachment && i < sizeof inline_types / sizeof inline_types[0]; i++)
		if (!strcmp(real_type, inline_types[i]))
			is_inline = true;
	const char *ext_type = real_type;
	const char *dot = strrchr(d->path, '.');
	const char *slash = strrchr(d->path, '/');
	for (size_t i = 0; dot && dot > slash && i < sizeof manual_types / sizeof manual_types[0]; i++)
		if (!strcmp(dot, manual_types[i].ext))
			ext_type = manual_types[i].type;
	const char *served_name = slash ? slash + 1 : d->path;
	struct pb_strbuf disp = PB_STRBUF_INIT;
	pb_strbuf_printf(&disp, "%s; filename=%s", is_inline ? "inline" : "attachment", served_name);
	pb_resp_header_set(req, "X-Frame-Options", NULL);
	pb_resp_header_set(req, "Content-Disposition", disp.data);
	pb_resp_header_set(req, "Content-Security-Policy",
	                   "default-src 'none'; media-src 'self'; style-src 'unsafe-inline'; sandbox");
	pb_resp_header_set(req, "Cache-Control", "max-age=2592000, stale-while-revalidate=86400");
	pb_serve_file(req, fd, &st, served_name, ext_type);
	pb_strbuf_deinit(&disp);
	free(stored_type);
	download_free(d);
}

/* On the blocking pool: create (or find) the thumb, then serve on the loop. */
static void make_thumb(void *arg)
{
	struct download *d = arg;
	char *path = NULL;
	struct pb_error err = PB_ERROR_INIT;
	int rc = pb_thumb_get(d->root, d->collection_id, d->record_id, d->filename, d->size, &path, &err);
	pb_error_clear(&err);
	if (rc >= 0) {
		free(d->path);
		d->path = path;
	} else {
		free(path);
		free(d->path);
		d->path = NULL;
	}
	pb_worker_post(d->req->worker, serve, d);
}

static bool protected_access(struct pb_req *req, const struct pb_collection *c, const char *record_id)
{
	const char *token = pb_req_query(req, "token");
	struct pb_auth a = {0};
	bool have = token && *token &&
	            pb_auth_token_resolve(req->schema, req->stmts, token, "file", (int64_t)time(NULL), &a) == 0;
	/* a superuser file token from an address outside settings.superuserIPs counts as none */
	const struct pb_settings_strlist *ips = &req->settings->superuser_ips;
	if (have && a.superuser && ips->n && !pb_netip_in_list(ips->items, ips->n, req->real_ip)) {
		pb_auth_clear(&a);
		have = false;
	}
	struct pb_request_info info = *pb_req_info(req);
	info.context = "protectedFile";
	info.auth = have ? a.record : NULL;
	info.auth_collection = have ? a.collection : NULL;
	info.superuser = have && a.superuser;
	struct pb_read_ctx ctx = {req->schema, req->stmts, &info, NULL};
	struct pb_error err = PB_ERROR_INIT;
	int ok = pb_record_rule_check(&ctx, c, record_id, c->rules[PB_RULE_VIEW], &err);
	pb_error_clear(&err);
	if (have)
		pb_auth_clear(&a);
	return ok == 1;
}

/* FindRecordByViewFile: follows the view's file column to a non-view collection (at most 5
 * levels) and finds the record holding `filename` there. Returns that collection and sets
 * *record_id (malloc'd), or NULL. */
static const struct pb_collection *view_file_source(struct pb_req *req, const struct pb_collection *view,
                                                    const struct pb_field *f, const char *filename, char **record_id)
{
	const struct pb_collection *c = view;
	const char *field = f->name;
	const struct pb_field *src = NULL;
	for (int level = 1; level <= 5 && c && c->type == PB_COLLECTION_VIEW; level++) {
		c = pb_view_source_field(req->schema, c, field, &src);
		field = src ? src->name : NULL;
	}
	if (!c || !src || c->type == PB_COLLECTION_VIEW)
		return NULL;
	struct pb_strbuf sql = PB_STRBUF_INIT;
	struct pb_query q;
	pb_query_init(&q);
	pb_strbuf_puts(&sql, "SELECT ");
	pb_sql_column(&sql, c->name, "id");
	pb_strbuf_puts(&sql, " FROM ");
	pb_sql_ident(&sql, c->name);
	if (pb_field_is_multiple(src)) {
		pb_strbuf_puts(&sql, " INNER JOIN json_each(CASE WHEN json_valid(");
		pb_sql_column(&sql, c->name, src->name);
		pb_strbuf_puts(&sql, ") THEN ");
		pb_sql_column(&sql, c->name, src->name);
		pb_strbuf_puts(&sql, " ELSE json_array(");
		pb_sql_column(&sql, c->name, src->name);
		pb_strbuf_puts(&sql, ") END) `_je_file` WHERE `_je_file`.`value` = ");
	} else {
		pb_strbuf_puts(&sql, " WHERE ");
		pb_sql_column(&sql, c->name, src->name);
		pb_strbuf_puts(&sql, " = ");
	}
	pb_query_put_text(&q, &sql, filename, strlen(filename));
	pb_strbuf_puts(&sql, " LIMIT 1");
	*record_id = NULL;
	sqlite3_stmt *st = pb_stmt_cache_get(req->stmts, sql.data, sql.len);
	if (st) {
		pb_query_bind_all(&q, st);
		if (sqlite3_step(st) == SQLITE_ROW)
			*record_id = strdup((const char *)sqlite3_column_text(st, 0));
		pb_stmt_cache_release(req->stmts, st);
	}
	pb_strbuf_deinit(&sql);
	pb_query_deinit(&q);
	return *record_id ? c : NULL;
}

void pb_api_file_download(struct pb_req *req)
{
	const struct pb_collection *c = pb_schema_find(req->schema, pb_req_param(req, 0));
	const char *record_id = pb_req_param(req, 1);
	const char *filename = pb_req_param(req, 2);
	if (!c || !*record_id) {
		pb_resp_error(req, 404, NULL, NULL);
		return;
	}
	struct pb_record_export x = {.show_hidden = true};
	json_t *rec = pb_record_find_by_id_cached(req->stmts, c, record_id, &x, NULL);
	const struct pb_field *f = rec ? file_field_of(c, rec, filename) : NULL;
	json_decref(rec);
	if (!f || !pb_storage_component_ok(filename, true)) {
		pb_resp_error(req, 404, NULL, NULL);
		return;
	}
	if (f->protected_file && !protected_access(req, c, record_id)) {
		pb_resp_error(req, 404, NULL, NULL);
		return;
	}
	/* the files of a view live with the record of the collection the view selects them from */
	char *source_id = NULL;
	const struct pb_collection *base = c;
	if (c->type == PB_COLLECTION_VIEW) {
		base = view_file_source(req, c, f, filename, &source_id);
		if (!base) {
			pb_resp_error(req, 404, NULL, NULL);
			return;
		}
		record_id = source_id;
	}
	struct download *d = calloc(1, sizeof *d);
	if (!d)
		abort();
	d->req = req;
	d->root = strdup(req->app->storage_dir);
	d->collection_id = strdup(base->id);
	d->record_id = strdup(record_id);
	d->filename = strdup(filename);
	free(source_id);
	char path[4096];
	struct pb_error err = PB_ERROR_INIT;
	if (pb_storage_path(d->root, d->collection_id, d->record_id, filename, path, sizeof path, &err) != 0) {
		pb_error_clear(&err);
		download_free(d);
		pb_resp_error(req, 404, NULL, NULL);
		return;
	}
	d->path = strdup(path);
	const char *size = pb_req_query(req, "thumb");
	pb_req_async(req);
	if (size && *size && pb_thumb_size_allowed(size, pb_field_opt_list(f, "thumbs"))) {
		d->size = strdup(size);
		pb_pool_submit(&req->app->pool, make_thumb, d);
		return;
	}
	serve(d);
}

void pb_api_file_token(struct pb_req *req)
{
	if (!req->auth || !req->auth_collection) {
		pb_resp_error(req, 401, "Missing auth context.", NULL);
		return;
	}
	const char *id = json_string_value(json_object_get(req->auth, "id"));
	struct pb_record_export x = {0};
	char *token_key = NULL;
	json_t *rec = pb_record_find_by_id_cached(req->stmts, req->auth_collection, id ? id : "", &x, &token_key);
	json_decref(rec);
	char *token = token_key ? pb_auth_token_issue(req->auth_collection, id, token_key, "file", NULL,
	                                              (int64_t)time(NULL), 0)
	                        : NULL;
	free(token_key);
	if (!token) {
		pb_resp_error(req, 500, "Failed to generate file token.", NULL);
		return;
	}
	json_t *body = json_pack("{ss}", "token", token);
	pb_resp_json(req, 200, body);
	json_decref(body);
	free(token);
}
