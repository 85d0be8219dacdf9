/* static — GET /{path...} from --publicDir with PocketBase's apis.Static rules (clean path,
 * traversal rejected, directory → trailing-slash redirect and its index.html, `…/index.html`
 * → redirect without it, missing → root index.html when --indexFallback, else 404
 * "File not found."), and GET /_/{path...} for the admin dashboard. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/handlers.h"
#include "api/messages.h"
#include "api/serve_file.h"

#define INDEX_PAGE "index.html"

/* filepath.Clean of a relative name; "" → "." */
static char *clean_rel(const char *in)
{
	while (*in == '/')
		in++;
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_strbuf_putc(&b, '/');
	pb_strbuf_puts(&b, in);
	char *tmp = pb_strbuf_steal(&b);
	/* resolve against a virtual root, but keep leading ".." visible for the traversal check */
	size_t n = strlen(tmp);
	char **segs = malloc((n + 1) * sizeof *segs);
	if (!segs)
		abort();
	int depth = 0, ups = 0;
	for (char *tok = strtok(tmp, "/"); tok; tok = strtok(NULL, "/")) {
		if (!strcmp(tok, "."))
			continue;
		if (!strcmp(tok, "..")) {
			if (depth)
				depth--;
			else
				ups++;
			continue;
		}
		segs[depth++] = tok;
	}
	struct pb_strbuf o = PB_STRBUF_INIT;
	for (int i = 0; i < ups; i++)
		pb_strbuf_puts(&o, i ? "/.." : "..");
	for (int i = 0; i < depth; i++) {
		if (o.len)
			pb_strbuf_putc(&o, '/');
		pb_strbuf_puts(&o, segs[i]);
	}
	if (!o.len)
		pb_strbuf_putc(&o, '.');
	free(segs);
	free(tmp);
	return pb_strbuf_steal(&o);
}

static char *join(const char *dir, const char *rel)
{
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_strbuf_printf(&b, "%s/%s", dir, rel);
	return pb_strbuf_steal(&b);
}

/* FileFS: opens dir/rel (a directory serves its index.html). Returns 0 when answered, -1 when
 * not found. */
static int serve_fs(struct pb_req *req, const char *dir, const char *rel)
{
	char *path = join(dir, rel);
	struct stat st;
	int rc = -1;
	if (stat(path, &st) != 0)
		goto out;
	if (S_ISDIR(st.st_mode)) {
		char *idx = join(path, INDEX_PAGE);
		free(path);
		path = idx;
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			goto out;
	}
	if (!S_ISREG(st.st_mode))
		goto out;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		goto out;
	pb_serve_file(req, fd, &st, path, NULL);
	rc = 0;
out:
	free(path);
	return rc;
}

/* safeRedirectPath: collapse leading slashes/backslashes to one '/' */
static void redirect_safe(struct pb_req *req, const char *path)
{
	while (path[0] && path[1] && (path[0] == '/' || path[0] == '\\') && (path[1] == '/' || path[1] == '\\'))
		path++;
	pb_resp_redirect(req, 301, path[0] == '\\' ? "/" : path);
}

static void fallback_or_404(struct pb_req *req, const char *dir, bool fallback, const char *filename)
{
	if (fallback && strcmp(filename, INDEX_PAGE) != 0 && serve_fs(req, dir, INDEX_PAGE) == 0)
		return;
	pb_resp_error(req, 404, PB_MSG_FILE_NOT_FOUND, NULL);
}

static void serve_static(struct pb_req *req, const char *dir, bool fallback)
{
	char *filename = clean_rel(pb_req_param(req, 0));
	if (strlen(filename) > 2 && filename[0] == '.' && filename[1] == '.' && filename[2] == '/') {
		fallback_or_404(req, dir, fallback, filename);
		goto out;
	}
	if (!strcmp(filename, "..")) {
		fallback_or_404(req, dir, fallback, filename);
		goto out;
	}
	char *path = join(dir, filename);
	struct stat st;
	int found = stat(path, &st) == 0;
	free(path);
	if (!found) {
		fallback_or_404(req, dir, fallback, filename);
		goto out;
	}
	/* the URL path as decoded by the router: the raw path is what the client sent */
	char *url = pb_url_decode(req->raw_path, strlen(req->raw_path), false);
	if (!url)
		url = strdup(req->raw_path);
	size_t ul = strlen(url);
	if (S_ISDIR(st.st_mode)) {
		if (ul == 0 || url[ul - 1] != '/') {
			struct pb_strbuf b = PB_STRBUF_INIT;
			pb_strbuf_printf(&b, "%s/", url);
			redirect_safe(req, b.data);
			pb_strbuf_deinit(&b);
			free(url);
			goto out;
		}
	} else if (ul && url[ul - 1] == '/') {
		while (ul && url[ul - 1] == '/')
			url[--ul] = '\0';
		if (ul) {
			redirect_safe(req, url);
			free(url);
			goto out;
		}
	} else if (ul >= strlen(INDEX_PAGE) && !strcmp(url + ul - strlen(INDEX_PAGE), INDEX_PAGE)) {
		url[ul - strlen(INDEX_PAGE)] = '\0';
		redirect_safe(req, url);
		free(url);
		goto out;
	}
	free(url);
	if (serve_fs(req, dir, filename) != 0)
		fallback_or_404(req, dir, fallback, filename);
out:
	free(filename);
}

void pb_api_static(struct pb_req *req)
{
	serve_static(req, req->app->cfg->public_dir, req->app->cfg->index_fallback);
}

/* The headers of PocketBase's `/_` group: long caching outside --dev and the dashboard's CSP
 * (self only, plus the local dev server and the map tiles/geocoder of the geoPoint field). */
static void admin_ui_headers(struct pb_req *req)
{
	if (!req->app->cfg->dev && !pb_resp_header_get(req, "Cache-Control"))
		pb_resp_header_set(req, "Cache-Control", "max-age=1209600, stale-while-revalidate=86400");
	if (!pb_resp_header_get(req, "Content-Security-Policy"))
		pb_resp_header_set(req, "Content-Security-Policy",
		                   "default-src 'self'; style-src 'self' 'unsafe-inline'; "
		                   "img-src 'self' http://127.0.0.1:* https://tile.openstreetmap.org data: blob:; "
		                   "connect-src 'self' http://127.0.0.1:* https://nominatim.openstreetmap.org; "
		                   "script-src 'self' http://127.0.0.1:*; frame-ancestors 'none'");
}

void pb_api_admin_ui_extensions(struct pb_req *req)
{
	/* the concatenated main.js of the registered dashboard extensions; extensions are
	 * registered by JS hooks, which pocketc does not run yet, so the file is empty */
	admin_ui_headers(req);
	pb_resp_header_set(req, "Content-Type", "text/javascript");
	pb_resp_send(req, 200, "", 0);
}

void pb_api_admin_ui(struct pb_req *req)
{
	/* the dashboard is not built yet: every /_/ path is missing */
	pb_resp_error(req, 404, PB_MSG_FILE_NOT_FOUND, NULL);
}
