/* s3 — the S3 operations over libcurl (see s3.h): each call is one easy handle, headers are
 * signed by s3_sign.c, response bodies go to a buffer or a file, list pages and error bodies
 * are read with a tiny tag scanner (S3's XML is flat enough: <Contents> blocks of <Key>,
 * <LastModified>, <Size>; <NextContinuationToken>; <Error><Code>/<Message>). */
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/datetime.h"
#include "core/random.h"
#include "core/s3.h"
#include "core/strbuf.h"

#define ORIGINAL_NAME_MAX 255
#define MAX_HEADERS 8

/* ---- a tiny XML reader --------------------------------------------------------------------- */

/* decodes the five predefined entities and numeric references of s[0..len) */
static char *xml_text(const char *s, size_t len)
{
	struct pb_strbuf b = PB_STRBUF_INIT;
	for (size_t i = 0; i < len; i++) {
		if (s[i] != '&') {
			pb_strbuf_putc(&b, s[i]);
			continue;
		}
		const char *semi = memchr(s + i, ';', len - i);
		size_t n = semi ? (size_t)(semi - (s + i)) + 1 : 0;
		static const struct {
			const char *ent;
			char c;
		} ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
		bool done = false;
		for (size_t k = 0; semi && k < 5 && !done; k++)
			if (n == strlen(ents[k].ent) && !strncmp(s + i, ents[k].ent, n)) {
				pb_strbuf_putc(&b, ents[k].c);
				done = true;
			}
		if (!done && semi && n > 3 && s[i + 1] == '#') {
			unsigned long cp = s[i + 2] == 'x' ? strtoul(s + i + 3, NULL, 16) : strtoul(s + i + 2, NULL, 10);
			if (cp < 0x80) {
				pb_strbuf_putc(&b, (char)cp);
			} else if (cp < 0x800) {
				pb_strbuf_putc(&b, (char)(0xc0 | (cp >> 6)));
				pb_strbuf_putc(&b, (char)(0x80 | (cp & 0x3f)));
			} else if (cp < 0x10000) {
				pb_strbuf_putc(&b, (char)(0xe0 | (cp >> 12)));
				pb_strbuf_putc(&b, (char)(0x80 | ((cp >> 6) & 0x3f)));
				pb_strbuf_putc(&b, (char)(0x80 | (cp & 0x3f)));
			} else {
				pb_strbuf_putc(&b, (char)(0xf0 | (cp >> 18)));
				pb_strbuf_putc(&b, (char)(0x80 | ((cp >> 12) & 0x3f)));
				pb_strbuf_putc(&b, (char)(0x80 | ((cp >> 6) & 0x3f)));
				pb_strbuf_putc(&b, (char)(0x80 | (cp & 0x3f)));
			}
			done = true;
		}
		if (done)
			i += n - 1;
		else
			pb_strbuf_putc(&b, '&');
	}
	return pb_strbuf_steal(&b);
}

/* the raw inner text of the first <tag>…</tag> in s[0..len): true with *a / *alen set and
 * *end (may be NULL) = the offset just after the closing tag */
static bool xml_span(const char *s, size_t len, const char *tag, const char **a, size_t *alen, size_t *end)
{
	char open_tag[64], close_tag[64];
	snprintf(open_tag, sizeof open_tag, "<%s>", tag);
	snprintf(close_tag, sizeof close_tag, "</%s>", tag);
	const char *p = memmem(s, len, open_tag, strlen(open_tag));
	if (!p)
		return false;
	p += strlen(open_tag);
	const char *z = memmem(p, len - (size_t)(p - s), close_tag, strlen(close_tag));
	if (!z)
		return false;
	*a = p;
	*alen = (size_t)(z - p);
	if (end)
		*end = (size_t)(z - s) + strlen(close_tag);
	return true;
}

/* the decoded inner text of the first <tag> in s[0..len) (caller frees), or NULL */
static char *xml_find(const char *s, size_t len, const char *tag)
{
	const char *a;
	size_t alen;
	return xml_span(s, len, tag, &a, &alen, NULL) ? xml_text(a, alen) : NULL;
}

/* ---- requests --------------------------------------------------------------------------------- */

struct exchange {
	const char *method;
	char *url;                       /* owned */
	struct pb_s3_header hdrs[MAX_HEADERS];
	size_t nhdrs;
	/* request body */
	const unsigned char *data;       /* from memory … */
	size_t len, off;
	FILE *in;                        /* … or from a file */
	/* response */
	long status;
	struct pb_strbuf body;           /* unless `out` */
	FILE *out;
	struct pb_strbuf resp_headers;   /* raw header lines */
};

static size_t on_read(char *buf, size_t size, size_t n, void *arg)
{
	struct exchange *x = arg;
	size_t want = size * n;
	if (x->in)
		return fread(buf, 1, want, x->in);
	size_t left = x->len - x->off;
	if (want > left)
		want = left;
	memcpy(buf, x->data + x->off, want);
	x->off += want;
	return want;
}

static size_t on_write(char *buf, size_t size, size_t n, void *arg)
{
	struct exchange *x = arg;
	size_t len = size * n;
	if (x->out && x->status < 400)
		return fwrite(buf, 1, len, x->out);
	pb_strbuf_append(&x->body, buf, len);
	return len;
}

static size_t on_header(char *buf, size_t size, size_t n, void *arg)
{
	struct exchange *x = arg;
	size_t len = size * n;
	/* a new status line starts a new header block (e.g. after "100 Continue") */
	if (len > 5 && !strncmp(buf, "HTTP/", 5)) {
		pb_strbuf_reset(&x->resp_headers);
		const char *sp = memchr(buf, ' ', len);
		x->status = sp ? strtol(sp + 1, NULL, 10) : 0;
	}
	pb_strbuf_append(&x->resp_headers, buf, len);
	return len;
}

/* a response header's value (first, case-insensitive) copied into out */
static bool resp_header(const struct exchange *x, const char *name, char *out, size_t cap)
{
	const char *p = x->resp_headers.data;
	size_t nlen = strlen(name);
	while (p && *p) {
		const char *eol = strchr(p, '\n');
		size_t llen = eol ? (size_t)(eol - p) : strlen(p);
		if (llen > nlen && !strncasecmp(p, name, nlen) && p[nlen] == ':') {
			const char *v = p + nlen + 1;
			while (*v == ' ' || *v == '\t')
				v++;
			size_t vlen = llen - (size_t)(v - p);
			while (vlen > 0 && (v[vlen - 1] == '\r' || v[vlen - 1] == ' '))
				vlen--;
			if (vlen >= cap)
				vlen = cap - 1;
			memcpy(out, v, vlen);
			out[vlen] = '\0';
			return true;
		}
		p = eol ? eol + 1 : NULL;
	}
	return false;
}

static void set_error_from_response(struct exchange *x, struct pb_error *err)
{
	const char *raw = pb_strbuf_cstr(&x->body);
	char *code = xml_find(raw, x->body.len, "Code");
	char *msg = xml_find(raw, x->body.len, "Message");
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_strbuf_printf(&b, "%ld %s", x->status, code && *code ? code : "S3ResponseError");
	if (msg && *msg)
		pb_strbuf_printf(&b, ": %s", msg);
	if (x->body.len)
		pb_strbuf_printf(&b, "\n(RAW: %s)", raw);
	pb_error_set(err, x->status == 404 ? 404 : 400, "%s", pb_strbuf_cstr(&b));
	pb_strbuf_deinit(&b);
	free(code);
	free(msg);
}

static void add_header(struct exchange *x, const char *name, const char *value)
{
	if (x->nhdrs < MAX_HEADERS)
		x->hdrs[x->nhdrs++] = (struct pb_s3_header){name, value};
}

/* signs and performs the exchange; returns 0 for a 2xx/3xx answer, -1 with err otherwise */
static int perform(const struct pb_settings_s3 *c, struct exchange *x, bool upload, long long upload_len,
                   struct pb_error *err)
{
	char amz_date[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(amz_date, sizeof amz_date, "%Y%m%dT%H%M%SZ", &tm);
	add_header(x, "Accept-Encoding", "identity");
	add_header(x, "x-amz-content-sha256", "UNSIGNED-PAYLOAD");
	add_header(x, "x-amz-date", amz_date);
	char *auth = pb_s3_authorization(c, x->method, x->url, x->hdrs, x->nhdrs);

	CURL *h = curl_easy_init();
	if (!h) {
		free(auth);
		return pb_error_set(err, 500, "failed to initialize the HTTP client");
	}
	struct curl_slist *list = NULL;
	struct pb_strbuf line = PB_STRBUF_INIT;
	for (size_t i = 0; i < x->nhdrs; i++) {
		pb_strbuf_reset(&line);
		pb_strbuf_printf(&line, "%s: %s", x->hdrs[i].name, x->hdrs[i].value);
		list = curl_slist_append(list, pb_strbuf_cstr(&line));
	}
	pb_strbuf_reset(&line);
	pb_strbuf_printf(&line, "Authorization: %s", auth);
	list = curl_slist_append(list, pb_strbuf_cstr(&line));
	list = curl_slist_append(list, "Expect:"); /* no 100-continue round trip */
	list = curl_slist_append(list, "Accept:");

	curl_easy_setopt(h, CURLOPT_URL, x->url);
	curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 30L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, x);
	if (!strcmp(x->method, "HEAD")) {
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	} else if (upload) {
		curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
		curl_easy_setopt(h, CURLOPT_READDATA, x);
		curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)upload_len);
	} else if (strcmp(x->method, "GET") != 0) {
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, x->method);
	}
	CURLcode cc = curl_easy_perform(h);
	int rc = 0;
	if (cc != CURLE_OK) {
		rc = pb_error_set(err, 500, "%s %s: %s", x->method, x->url, curl_easy_strerror(cc));
	} else {
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &x->status);
		if (x->status >= 400) {
			set_error_from_response(x, err);
			rc = -1;
		}
	}
	curl_slist_free_all(list);
	curl_easy_cleanup(h);
	pb_strbuf_deinit(&line);
	free(auth);
	return rc;
}

static void exchange_deinit(struct exchange *x)
{
	free(x->url);
	pb_strbuf_deinit(&x->body);
	pb_strbuf_deinit(&x->resp_headers);
}

/* ---- operations -------------------------------------------------------------------------------- */

static int put(const struct pb_settings_s3 *c, const char *key, const void *data, size_t len, FILE *in,
               long long in_len, const char *content_type, const char *original_name, struct pb_error *err)
{
	struct exchange x = {.method = "PUT", .url = pb_s3_url(c, key), .data = data, .len = len, .in = in};
	char name[ORIGINAL_NAME_MAX + 1];
	if (content_type)
		add_header(&x, "Content-Type", content_type);
	if (original_name) {
		snprintf(name, sizeof name, "%s", original_name);
		add_header(&x, "x-amz-meta-original-filename", name);
	}
	int rc = perform(c, &x, true, in ? in_len : (long long)len, err);
	exchange_deinit(&x);
	return rc;
}

int pb_s3_put(const struct pb_settings_s3 *c, const char *key, const void *data, size_t len, const char *content_type,
              const char *original_name, struct pb_error *err)
{
	return put(c, key, data ? data : "", len, NULL, 0, content_type, original_name, err);
}

int pb_s3_put_file(const struct pb_settings_s3 *c, const char *key, const char *path, const char *content_type,
                   const char *original_name, struct pb_error *err)
{
	FILE *in = fopen(path, "rb");
	struct stat st;
	if (!in || fstat(fileno(in), &st) != 0) {
		int e = errno;
		if (in)
			fclose(in);
		return pb_error_set(err, 500, "failed to open %s: %s", path, strerror(e));
	}
	int rc = put(c, key, NULL, 0, in, (long long)st.st_size, content_type, original_name, err);
	fclose(in);
	return rc;
}

int pb_s3_get_file(const struct pb_settings_s3 *c, const char *key, const char *dest_path, struct pb_error *err)
{
	FILE *out = fopen(dest_path, "wb");
	if (!out)
		return pb_error_set(err, 500, "failed to create %s: %s", dest_path, strerror(errno));
	struct exchange x = {.method = "GET", .url = pb_s3_url(c, key), .out = out};
	int rc = perform(c, &x, false, 0, err);
	if (fclose(out) != 0 && rc == 0)
		rc = pb_error_set(err, 500, "failed to write %s: %s", dest_path, strerror(errno));
	if (rc != 0)
		unlink(dest_path);
	exchange_deinit(&x);
	return rc;
}

int pb_s3_head(const struct pb_settings_s3 *c, const char *key, struct pb_s3_head *out, struct pb_error *err)
{
	struct exchange x = {.method = "HEAD", .url = pb_s3_url(c, key)};
	struct pb_error e = PB_ERROR_INIT;
	int rc = perform(c, &x, false, 0, &e);
	if (rc != 0) {
		rc = x.status == 404 ? 0 : -1;
		if (rc < 0 && err)
			*err = e;
		else
			pb_error_clear(&e);
		exchange_deinit(&x);
		return rc;
	}
	if (out) {
		memset(out, 0, sizeof *out);
		char v[256];
		if (resp_header(&x, "Content-Length", v, sizeof v))
			out->size = strtoll(v, NULL, 10);
		if (resp_header(&x, "Last-Modified", v, sizeof v))
			pb_datetime_parse(v, &out->modified_ms);
		resp_header(&x, "Content-Type", out->content_type, sizeof out->content_type);
		resp_header(&x, "x-amz-meta-original-filename", out->original_name, sizeof out->original_name);
	}
	exchange_deinit(&x);
	return 1;
}

int pb_s3_delete(const struct pb_settings_s3 *c, const char *key, struct pb_error *err)
{
	struct exchange x = {.method = "DELETE", .url = pb_s3_url(c, key)};
	int rc = perform(c, &x, false, 0, err);
	exchange_deinit(&x);
	return rc;
}

void pb_s3_objects_free(struct pb_s3_object *objs, size_t n)
{
	for (size_t i = 0; objs && i < n; i++)
		free(objs[i].key);
	free(objs);
}

int pb_s3_list(const struct pb_settings_s3 *c, const char *prefix, struct pb_s3_object **out, size_t *n,
               struct pb_error *err)
{
	*out = NULL;
	*n = 0;
	struct pb_s3_object *objs = NULL;
	size_t count = 0, cap = 0;
	char *token = NULL;
	int rc = 0;
	for (;;) {
		struct pb_strbuf q = PB_STRBUF_INIT;
		pb_strbuf_puts(&q, "?");
		if (token) {
			char *t = pb_s3_escape(token, strlen(token));
			pb_strbuf_printf(&q, "continuation-token=%s&", t);
			free(t);
		}
		pb_strbuf_puts(&q, "list-type=2&max-keys=1000");
		if (prefix && *prefix) {
			char *p = pb_s3_escape(prefix, strlen(prefix));
			pb_strbuf_printf(&q, "&prefix=%s", p);
			free(p);
		}
		struct exchange x = {.method = "GET", .url = pb_s3_url(c, pb_strbuf_cstr(&q))};
		pb_strbuf_deinit(&q);
		rc = perform(c, &x, false, 0, err);
		free(token);
		token = NULL;
		if (rc != 0) {
			exchange_deinit(&x);
			break;
		}
		const char *body = pb_strbuf_cstr(&x.body);
		size_t len = x.body.len, off = 0, end = 0;
		const char *block;
		size_t blen;
		while (xml_span(body + off, len - off, "Contents", &block, &blen, &end)) {
			if (count == cap) {
				cap = cap ? cap * 2 : 32;
				objs = realloc(objs, cap * sizeof *objs);
				if (!objs)
					abort();
			}
			struct pb_s3_object *o = &objs[count++];
			memset(o, 0, sizeof *o);
			o->key = xml_find(block, blen, "Key");
			if (!o->key && !(o->key = strdup("")))
				abort();
			char *size = xml_find(block, blen, "Size");
			char *mod = xml_find(block, blen, "LastModified");
			o->size = size ? strtoll(size, NULL, 10) : 0;
			if (mod)
				pb_datetime_parse(mod, &o->modified_ms);
			free(size);
			free(mod);
			off += end;
		}
		token = xml_find(body, len, "NextContinuationToken");
		exchange_deinit(&x);
		if (!token || !*token)
			break;
	}
	free(token);
	if (rc != 0) {
		pb_s3_objects_free(objs, count);
		return -1;
	}
	*out = objs;
	*n = count;
	return 0;
}

int pb_s3_test(const struct pb_settings_s3 *c, struct pb_error *err)
{
	if (!c->enabled)
		return pb_error_set(err, 400, "S3 storage filesystem is not enabled");
	char rnd[6];
	if (pb_random_string(rnd, 5, PB_ALPHABET_ALNUM) != 0)
		return pb_error_set(err, 400, "failed to generate a random name");
	char prefix[64], key[80];
	snprintf(prefix, sizeof prefix, "pb_settings_test_%s", rnd);
	snprintf(key, sizeof key, "%s/test.txt", prefix);
	struct pb_error e = PB_ERROR_INIT;
	if (pb_s3_put(c, key, "test", 4, "text/plain; charset=utf-8", NULL, &e) != 0) {
		pb_error_set(err, 400, "failed to upload a test file: %s", e.message);
		pb_error_clear(&e);
		return -1;
	}
	struct pb_s3_object *objs = NULL;
	size_t n = 0;
	int rc = pb_s3_list(c, prefix, &objs, &n, &e);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = pb_s3_delete(c, objs[i].key, &e);
	pb_s3_objects_free(objs, n);
	if (rc != 0) {
		pb_error_set(err, 400, "failed to delete a test file: %s", e.message);
		pb_error_clear(&e);
		return -1;
	}
	return 0;
}
