/* serve_file — ServeContent-style file responses (see serve_file.h). */
#include "api/serve_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static const struct {
	const char *ext, *type;
} builtin_types[] = {
	{".avif", "image/avif"},
	{".css", "text/css; charset=utf-8"},
	{".gif", "image/gif"},
	{".htm", "text/html; charset=utf-8"},
	{".html", "text/html; charset=utf-8"},
	{".ico", "image/vnd.microsoft.icon"},
	{".jpeg", "image/jpeg"},
	{".jpg", "image/jpeg"},
	{".js", "text/javascript; charset=utf-8"},
	{".json", "application/json"},
	{".mjs", "text/javascript; charset=utf-8"},
	{".pdf", "application/pdf"},
	{".png", "image/png"},
	{".svg", "image/svg+xml"},
	{".txt", "text/plain; charset=utf-8"},
	{".wasm", "application/wasm"},
	{".webp", "image/webp"},
	{".xml", "text/xml; charset=utf-8"},
	{".mp4", "video/mp4"},
	{".webm", "video/webm"},
	{".mp3", "audio/mpeg"},
	{".woff", "font/woff"},
	{".woff2", "font/woff2"},
	{".zip", "application/zip"},
};

const char *pb_mime_by_extension(const char *name)
{
	const char *slash = strrchr(name, '/');
	const char *dot = strrchr(slash ? slash : name, '.');
	if (!dot)
		return NULL;
	for (size_t i = 0; i < sizeof builtin_types / sizeof builtin_types[0]; i++)
		if (!strcasecmp(dot, builtin_types[i].ext))
			return builtin_types[i].type;
	return NULL;
}

static void http_date(time_t t, char *out, size_t cap)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, cap, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

static time_t parse_http_date(const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	const char *end = strptime(s, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	if (!end || *end)
		return (time_t)-1;
	return timegm(&tm);
}

/* One "bytes=a-b" range within size. Returns 1 with start/len, 0 when absent or several
 * ranges (serve whole), -1 when unsatisfiable. */
static int parse_range(const char *h, long long size, long long *start, long long *len)
{
	if (!h || strncmp(h, "bytes=", 6) != 0)
		return 0;
	h += 6;
	if (strchr(h, ','))
		return 0;
	while (*h == ' ')
		h++;
	char *end;
	if (*h == '-') {
		long long n = strtoll(h + 1, &end, 10);
		if (end == h + 1 || *end || n < 0)
			return 0;
		if (n == 0)
			return -1;
		if (n > size)
			n = size;
		*start = size - n;
		*len = n;
		return 1;
	}
	long long a = strtoll(h, &end, 10);
	if (end == h || *end != '-' || a < 0)
		return 0;
	const char *b = end + 1;
	long long last = size - 1;
	if (*b) {
		last = strtoll(b, &end, 10);
		if (*end || last < a)
			return 0;
		if (last >= size)
			last = size - 1;
	}
	if (a >= size)
		return -1;
	*start = a;
	*len = last - a + 1;
	return 1;
}

void pb_serve_file(struct pb_req *req, int fd, const struct stat *st, const char *name, const char *content_type)
{
	time_t mtime = st->st_mtime;
	char lm[64];
	http_date(mtime, lm, sizeof lm);
	const char *ius = pb_req_header(req, "If-Unmodified-Since");
	if (ius && !pb_req_header(req, "If-Match")) {
		time_t t = parse_http_date(ius);
		if (t != (time_t)-1 && mtime > t) {
			close(fd);
			pb_resp_empty(req, 412);
			return;
		}
	}
	const char *ims = pb_req_header(req, "If-Modified-Since");
	bool get_or_head = !strcmp(req->method, "GET") || req->head;
	if (ims && get_or_head && !pb_req_header(req, "If-None-Match")) {
		time_t t = parse_http_date(ims);
		if (t != (time_t)-1 && mtime <= t) {
			close(fd);
			pb_resp_header_set(req, "Last-Modified", lm);
			pb_resp_empty(req, 304);
			return;
		}
	}
	if (!content_type)
		content_type = pb_mime_by_extension(name);
	if (!pb_resp_header_get(req, "Content-Type"))
		pb_resp_header_set(req, "Content-Type", content_type ? content_type : "application/octet-stream");
	pb_resp_header_set(req, "Last-Modified", lm);
	pb_resp_header_set(req, "Accept-Ranges", "bytes");
	long long size = st->st_size, start = 0, len = size;
	int r = get_or_head ? parse_range(pb_req_header(req, "Range"), size, &start, &len) : 0;
	if (r < 0) {
		char cr[64];
		snprintf(cr, sizeof cr, "bytes */%lld", size);
		pb_resp_header_set(req, "Content-Range", cr);
		pb_resp_header_set(req, "Content-Type", "text/plain; charset=utf-8");
		close(fd);
		static const char msg[] = "invalid range: failed to overlap\n";
		pb_resp_send(req, 416, msg, sizeof msg - 1);
		return;
	}
	if (r == 1) {
		char cr[96];
		snprintf(cr, sizeof cr, "bytes %lld-%lld/%lld", start, start + len - 1, size);
		pb_resp_header_set(req, "Content-Range", cr);
		pb_resp_file(req, 206, fd, start, len);
		return;
	}
	pb_resp_file(req, 200, fd, 0, size);
}
