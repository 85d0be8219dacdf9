/* body_multipart — multipart/form-data parsing with the semantics of Go's
 * Request.ParseMultipartForm → mime/multipart Reader.ReadForm, which PocketBase calls with
 * 16 MiB of memory:
 *  - the Content-Type must parse (mime.ParseMediaType) as exactly multipart/form-data and
 *    carry a non-empty boundary parameter;
 *  - lines before the first "--boundary" line are skipped; that line may end in LF instead of
 *    CRLF, which switches the whole body to LF mode; boundary lines allow trailing spaces and
 *    tabs; lines read between parts may be at most 4096 bytes (bufio buffer);
 *  - a part ends at the first newline + "--boundary" followed by space, tab, CR, LF, "--" or the
 *    end of the body ("--boundary" right after the headers ends an empty part); a body that ends
 *    inside part data or between parts is an error, one that ends inside a part's headers just
 *    ends the form there (Go sees io.EOF), anything after the final "--boundary--" is ignored;
 *  - part headers follow net/textproto (continuation lines, key = token, no control bytes in
 *    values, at most 10000 header lines, size limits); Content-Transfer-Encoding
 *    quoted-printable is decoded;
 *  - a part needs Content-Disposition "form-data" with a non-empty name, otherwise it is
 *    skipped (but still counts against the 1000-part limit); a non-empty filename makes it a
 *    file (filename passed through filepath.Base), anything else a value;
 *  - the memory accounting of ReadForm (names, headers, values and in-memory files against
 *    maxMemory + 10 MiB) is reproduced so that forms Go rejects as too large fail here too. */
#include "api/body_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/mediatype.h"

#define MP_LINE_MAX 4096 /* mime/multipart peekBufferSize */

struct mp_hdr {
	char *key;
	size_t klen;
	bool spaced;      /* key holds a space: Go keeps it verbatim (never canonical) */
	char *val;
	size_t vlen;
};

struct mp_headers {
	struct mp_hdr *h;
	size_t n, cap;
};

struct mp_reader {
	const unsigned char *b;
	size_t len, pos;
	char *dash;       /* "--" + boundary */
	size_t dlen;
	const char *nl;   /* "\r\n" or "\n" */
	size_t nllen;
	int parts_read;
};

static void headers_clear(struct mp_headers *hs)
{
	for (size_t i = 0; i < hs->n; i++) {
		free(hs->h[i].key);
		free(hs->h[i].val);
	}
	hs->n = 0;
}

static bool same_key(const struct mp_hdr *a, const char *k, size_t klen, bool spaced)
{
	if (a->klen != klen || a->spaced != spaced)
		return false;
	return spaced ? memcmp(a->key, k, klen) == 0 : strncasecmp(a->key, k, klen) == 0;
}

/* Header.Get: the first value of the canonical key `name` (no spaces in name). */
static const struct mp_hdr *header_get(const struct mp_headers *hs, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < hs->n; i++)
		if (same_key(&hs->h[i], name, n, false))
			return &hs->h[i];
	return NULL;
}

static char *dupn(const void *s, size_t n)
{
	char *r = malloc(n + 1);
	if (!r)
		abort();
	if (n)
		memcpy(r, s, n);
	r[n] = '\0';
	return r;
}

/* bufio.Reader.ReadSlice('\n') on the 4096-byte buffer mime/multipart uses. */
static int read_slice(struct mp_reader *r, const unsigned char **line, size_t *n, bool *eof)
{
	const unsigned char *start = r->b + r->pos;
	size_t rem = r->len - r->pos;
	const unsigned char *nl = memchr(start, '\n', rem < MP_LINE_MAX ? rem : MP_LINE_MAX);
	if (!nl && rem >= MP_LINE_MAX)
		return -1;
	*line = start;
	*n = nl ? (size_t)(nl - start) + 1 : rem;
	*eof = !nl;
	r->pos += *n;
	return 0;
}

static size_t skip_lwsp(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

static bool is_final_boundary(const struct mp_reader *r, const unsigned char *line, size_t n)
{
	if (n < r->dlen + 2 || memcmp(line, r->dash, r->dlen) != 0 || line[r->dlen] != '-' || line[r->dlen + 1] != '-')
		return false;
	line += r->dlen + 2;
	n -= r->dlen + 2;
	size_t k = skip_lwsp(line, n);
	line += k;
	n -= k;
	return n == 0 || (n == r->nllen && memcmp(line, r->nl, n) == 0);
}

static bool is_delimiter(struct mp_reader *r, const unsigned char *line, size_t n)
{
	if (n < r->dlen || memcmp(line, r->dash, r->dlen) != 0)
		return false;
	line += r->dlen;
	n -= r->dlen;
	size_t k = skip_lwsp(line, n);
	line += k;
	n -= k;
	if (r->parts_read == 0 && n == 1 && line[0] == '\n') {
		r->nl = "\n";
		r->nllen = 1;
	}
	return n == r->nllen && memcmp(line, r->nl, n) == 0;
}

/* textproto readLineSlice: one line without its "\n" / "\r\n"; -2 at the end of the body, -1
 * when longer than lim. */
static int read_line(struct mp_reader *r, int64_t lim, const unsigned char **line, size_t *n)
{
	if (r->pos >= r->len)
		return -2;
	const unsigned char *start = r->b + r->pos;
	size_t rem = r->len - r->pos;
	const unsigned char *nl = memchr(start, '\n', rem);
	size_t k = nl ? (size_t)(nl - start) + 1 : rem;
	r->pos += k;
	if (nl) {
		k--;
		if (k > 0 && start[k - 1] == '\r')
			k--;
	}
	if (lim >= 0 && (int64_t)k > lim)
		return -1;
	*line = start;
	*n = k;
	return 0;
}

static void trim_lwsp(const unsigned char **s, size_t *n)
{
	size_t k = skip_lwsp(*s, *n);
	*s += k;
	*n -= k;
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

static bool header_key_byte(unsigned char c)
{
	return (c > 0x20 && c < 0x7f && strchr("\"(),/:;<=>?@[\\]{}", c) == NULL) || c == ' ';
}

static bool header_value_byte(unsigned char c)
{
	return c == '\t' || c == ' ' || (c >= 0x21 && c <= 0x7e) || c >= 0x80;
}

/* textproto readMIMEHeader with mime/multipart's limits: `mem` bytes, `hlimit` lines.
 * Returns 0 at the blank line, -1 on an error, 1 when the body ends before it: Go reports
 * that as io.EOF, which ReadForm takes for the end of the form (the part is dropped). */
static int read_headers(struct mp_reader *r, int64_t mem, int64_t hlimit, struct mp_headers *hs)
{
	struct pb_strbuf kv = PB_STRBUF_INIT;
	int rc = -1;
	mem -= 400;
	if (r->pos < r->len && (r->b[r->pos] == ' ' || r->b[r->pos] == '\t'))
		goto done;
	for (;;) {
		const unsigned char *line;
		size_t n;
		int lr = read_line(r, mem, &line, &n);
		if (lr == -2)
			rc = 1;
		if (lr < 0)
			goto done;
		if (n == 0)
			break;
		if (!memchr(line, ':', n))
			goto done;
		trim_lwsp(&line, &n);
		pb_strbuf_reset(&kv);
		pb_strbuf_append(&kv, line, n);
		int64_t lim = (mem < 0 ? INT64_MAX : mem) - (int64_t)kv.len;
		while (r->pos < r->len && (r->b[r->pos] == ' ' || r->b[r->pos] == '\t')) {
			r->pos += skip_lwsp(r->b + r->pos, r->len - r->pos);
			pb_strbuf_putc(&kv, ' ');
			if ((int64_t)kv.len >= lim)
				goto done;
			if (read_line(r, lim - (int64_t)kv.len, &line, &n) < 0)
				break;
			trim_lwsp(&line, &n);
			pb_strbuf_append(&kv, line, n);
		}
		const char *colon = memchr(kv.data, ':', kv.len);
		size_t klen = (size_t)(colon - kv.data);
		if (klen == 0)
			goto done;
		bool spaced = false;
		for (size_t i = 0; i < klen; i++) {
			if (!header_key_byte((unsigned char)kv.data[i]))
				goto done;
			spaced |= kv.data[i] == ' ';
		}
		const unsigned char *v = (const unsigned char *)colon + 1;
		size_t vn = kv.len - klen - 1;
		for (size_t i = 0; i < vn; i++)
			if (!header_value_byte(v[i]))
				goto done;
		if (--hlimit < 0)
			goto done;
		size_t k = skip_lwsp(v, vn);
		v += k;
		vn -= k;
		bool seen = false;
		for (size_t i = 0; i < hs->n && !seen; i++)
			seen = same_key(&hs->h[i], kv.data, klen, spaced);
		if (!seen)
			mem -= (int64_t)klen + 200;
		mem -= (int64_t)vn;
		if (mem < 0)
			goto done;
		if (hs->n == hs->cap) {
			hs->cap = hs->cap ? hs->cap * 2 : 8;
			hs->h = realloc(hs->h, hs->cap * sizeof *hs->h);
			if (!hs->h)
				abort();
		}
		hs->h[hs->n++] = (struct mp_hdr){dupn(kv.data, klen), klen, spaced, dupn(v, vn), vn};
	}
	rc = 0;
done:
	pb_strbuf_deinit(&kv);
	return rc;
}

/* Reader.nextPart: 1 = a part's headers were read, 0 = final boundary, -1 = error. */
static int next_part(struct mp_reader *r, int64_t mem, int64_t hlimit, struct mp_headers *hs)
{
	bool expect_new = false;
	for (;;) {
		const unsigned char *line;
		size_t n;
		bool eof;
		if (read_slice(r, &line, &n, &eof) < 0)
			return -1;
		if (eof && is_final_boundary(r, line, n))
			return 0;
		if (eof)
			return -1;
		if (is_delimiter(r, line, n)) {
			r->parts_read++;
			headers_clear(hs);
			int hr = read_headers(r, mem, hlimit, hs);
			return hr < 0 ? -1 : hr == 0 ? 1 : 0;
		}
		if (is_final_boundary(r, line, n))
			return 0;
		if (expect_new)
			return -1;
		if (r->parts_read == 0)
			continue;
		if (n == r->nllen && memcmp(line, r->nl, n) == 0) {
			expect_new = true;
			continue;
		}
		return -1;
	}
}

/* matchAfterPrefix with the whole body at hand: +1 boundary, -1 part data. */
static int match_after(const unsigned char *buf, size_t n, size_t plen)
{
	if (n == plen)
		return 1;
	unsigned char c = buf[plen];
	if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
		return 1;
	if (c == '-' && n > plen + 1 && buf[plen + 1] == '-')
		return 1;
	return -1;
}

/* Where the data of the part starting at r->pos ends (scanUntilBoundary); -1 if never. */
static int part_end(struct mp_reader *r, size_t *end)
{
	const unsigned char *buf = r->b + r->pos;
	size_t n = r->len - r->pos, from = 0;
	if (n >= r->dlen && memcmp(buf, r->dash, r->dlen) == 0) {
		if (match_after(buf, n, r->dlen) > 0) {
			*end = r->pos;
			return 0;
		}
		from = r->dlen;
	}
	size_t plen = r->nllen + r->dlen;
	while (from < n) {
		const unsigned char *hit = memmem(buf + from, n - from, r->nl, r->nllen);
		if (!hit)
			return -1;
		size_t i = (size_t)(hit - buf);
		if (n - i >= plen && memcmp(hit + r->nllen, r->dash, r->dlen) == 0) {
			if (match_after(hit, n - i, plen) > 0) {
				*end = r->pos + i;
				return 0;
			}
			from = i + plen;
		} else {
			from = i + 1;
		}
	}
	return -1;
}

static size_t header_size(const struct mp_headers *hs, bool skip_cte)
{
	size_t size = 400;
	for (size_t i = 0; i < hs->n; i++) {
		const struct mp_hdr *h = &hs->h[i];
		if (skip_cte && same_key(h, "Content-Transfer-Encoding", 25, false))
			continue;
		bool first = true;
		for (size_t j = 0; j < i && first; j++)
			first = !same_key(&hs->h[j], h->key, h->klen, h->spaced);
		if (first)
			size += h->klen + 200;
		size += h->vlen;
	}
	return size;
}

/* filepath.Base on a non-empty Unix path. */
static char *base_name(const char *s, size_t n)
{
	while (n > 0 && s[n - 1] == '/')
		n--;
	if (n == 0)
		return dupn("/", 1);
	size_t i = n;
	while (i > 0 && s[i - 1] != '/')
		i--;
	return dupn(s + i, n - i);
}

struct mp_limits {
	int64_t mem;       /* ReadForm maxMemoryBytes */
	int64_t file_mem;  /* ReadForm maxFileMemoryBytes */
	int64_t headers;   /* maxHeaders */
	int parts;         /* maxParts */
};

static void add_upload(struct pb_body *out, char *field, char *filename, const struct mp_hdr *ct,
                       const unsigned char *data, size_t len, unsigned char *decoded)
{
	struct pb_upload *u;
	out->files = realloc(out->files, (out->nfiles + 1) * sizeof *out->files);
	if (!out->files)
		abort();
	u = &out->files[out->nfiles++];
	u->field = field;
	u->filename = filename;
	u->content_type = ct ? dupn(ct->val, ct->vlen) : dupn("", 0);
	u->data = decoded ? decoded : data;
	u->len = len;
	u->decoded = decoded;
}

/* One named part of ReadForm: value or file, with the memory accounting. */
static int take_part(struct mp_headers *hs, const char *name, size_t nlen, const char *filename, size_t fnlen,
                     const unsigned char *data, size_t len, struct mp_limits *lim, struct pb_form *form,
                     struct pb_body *out)
{
	const struct mp_hdr *cte = header_get(hs, "Content-Transfer-Encoding");
	bool qp = cte && cte->vlen == 16 && strncasecmp(cte->val, "quoted-printable", 16) == 0;
	unsigned char *decoded = NULL;
	lim->mem -= (int64_t)nlen + 200;
	if (lim->mem < 0)
		return -1;
	if (qp) {
		decoded = pb_body_qp_decode(data, len, &len);
		if (!decoded)
			return -1;
		data = decoded;
	}
	if (!filename || fnlen == 0) {
		lim->mem -= (int64_t)len;
		if (lim->mem < 0) {
			free(decoded);
			return -1;
		}
		pb_form_add(form, name, nlen, (const char *)data, len);
		free(decoded);
		return 0;
	}
	lim->mem -= (int64_t)header_size(hs, qp) + 200 + 100;
	if (lim->mem < 0) {
		free(decoded);
		return -1;
	}
	for (size_t i = 0; i < hs->n; i++)
		if (!(qp && same_key(&hs->h[i], "Content-Transfer-Encoding", 25, false)))
			lim->headers--;
	if ((int64_t)len <= lim->file_mem) {
		lim->file_mem -= (int64_t)len;
		lim->mem -= (int64_t)len;
	}
	/* A field name with a NUL byte can never match a PocketBase field: drop the file. */
	if (memchr(name, '\0', nlen)) {
		free(decoded);
		return 0;
	}
	add_upload(out, dupn(name, nlen), base_name(filename, fnlen), header_get(hs, "Content-Type"), data,
	           len, decoded);
	return 0;
}

static int read_form(struct mp_reader *r, struct pb_form *form, struct pb_body *out)
{
	struct mp_limits lim = {PB_BODY_MULTIPART_MAX_MEMORY + (10 << 20), PB_BODY_MULTIPART_MAX_MEMORY,
	                        PB_BODY_MULTIPART_MAX_HEADERS, PB_BODY_MULTIPART_MAX_PARTS};
	struct mp_headers hs = {NULL, 0, 0};
	int rc = -1;
	for (;;) {
		int np = next_part(r, lim.mem, lim.headers, &hs);
		if (np == 0)
			break;
		if (np < 0)
			goto done;
		if (lim.parts <= 0)
			goto done;
		lim.parts--;
		size_t start = r->pos, end;
		if (part_end(r, &end) < 0)
			goto done;
		r->pos = end;

		const struct mp_hdr *cd = header_get(&hs, "Content-Disposition");
		struct pb_mediatype mt;
		if (!cd || pb_mediatype_parse(cd->val, cd->vlen, &mt) < 0)
			continue;
		size_t nlen = 0, fnlen = 0;
		char *name = strcmp(mt.type, "form-data") == 0 ? pb_mediatype_get(&mt, "name", &nlen) : NULL;
		char *filename = name && nlen ? pb_mediatype_get(&mt, "filename", &fnlen) : NULL;
		pb_mediatype_free(&mt);
		int trc = 0;
		if (name && nlen)
			trc = take_part(&hs, name, nlen, filename, fnlen, r->b + start, end - start, &lim, form, out);
		free(name);
		free(filename);
		if (trc < 0)
			goto done;
	}
	rc = 0;
done:
	headers_clear(&hs);
	free(hs.h);
	return rc;
}

int pb_body_multipart(const char *content_type, const unsigned char *body, size_t len, struct pb_form *form,
                      struct pb_body *out)
{
	struct pb_mediatype mt;
	if (!content_type || pb_mediatype_parse(content_type, strlen(content_type), &mt) < 0)
		return -1;
	size_t blen = 0;
	char *boundary = strcmp(mt.type, "multipart/form-data") == 0 ? pb_mediatype_get(&mt, "boundary", &blen) : NULL;
	pb_mediatype_free(&mt);
	if (!boundary)
		return -1;
	if (blen == 0) {
		free(boundary);
		return -1; /* "multipart: boundary is empty" */
	}
	struct mp_reader r = {body, len, 0, NULL, blen + 2, "\r\n", 2, 0};
	r.dash = malloc(blen + 3);
	if (!r.dash)
		abort();
	memcpy(r.dash, "--", 2);
	memcpy(r.dash + 2, boundary, blen + 1);
	free(boundary);
	int rc = read_form(&r, form, out);
	free(r.dash);
	return rc;
}
