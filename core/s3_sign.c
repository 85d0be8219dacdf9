/* s3_sign — request URLs and AWS Signature V4 of the S3 client (see s3.h), as PocketBase's
 * S3.URL and S3.sign: canonical request = method, escaped path, sorted escaped query,
 * canonical headers (host, content-type, x-amz-*; lower-case names, trimmed values, sorted),
 * signed header names, payload hash; string to sign over the scope
 * <date>/<region>/s3/aws4_request; key derived from "AWS4" + secret. */
#include <ctype.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/s3.h"
#include "core/strbuf.h"
#include "core/text.h"

static bool unreserved(unsigned char c) { return isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~'; }

static void escape_into(struct pb_strbuf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (unreserved(c)) {
			pb_strbuf_putc(b, (char)c);
		} else {
			pb_strbuf_putc(b, '%');
			pb_strbuf_putc(b, hex[c >> 4]);
			pb_strbuf_putc(b, hex[c & 15]);
		}
	}
}

char *pb_s3_escape(const char *s, size_t len)
{
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_strbuf_reserve(&b, len + 1);
	escape_into(&b, s, len);
	return pb_strbuf_steal(&b);
}

/* escapePath: each '/'-separated segment escaped */
static void escape_path_into(struct pb_strbuf *b, const char *path, size_t len)
{
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i == len || path[i] == '/') {
			escape_into(b, path + start, i - start);
			if (i < len)
				pb_strbuf_putc(b, '/');
			start = i + 1;
		}
	}
}

char *pb_s3_url(const struct pb_settings_s3 *c, const char *key)
{
	const char *scheme = "https";
	const char *ep = c->endpoint;
	if (!strncmp(ep, "https://", 8)) {
		ep += 8;
	} else if (!strncmp(ep, "http://", 7)) {
		ep += 7;
		scheme = "http";
	}
	size_t eplen = strlen(ep);
	while (eplen > 0 && ep[eplen - 1] == '/')
		eplen--;

	/* the key's path part is decoded then escaped (no double escaping), query/fragment kept */
	size_t plen = strcspn(key, "?#");
	struct pb_strbuf decoded = PB_STRBUF_INIT, path = PB_STRBUF_INIT;
	pb_text_unescape_append(key, plen, PB_UNESCAPE_LENIENT, &decoded);
	escape_path_into(&path, decoded.data ? decoded.data : "", decoded.len);
	pb_strbuf_puts(&path, key + plen);
	const char *p = path.data ? path.data : "";
	while (*p == '/')
		p++;

	struct pb_strbuf url = PB_STRBUF_INIT;
	if (c->force_path_style)
		pb_strbuf_printf(&url, "%s://%.*s/%s/%s", scheme, (int)eplen, ep, c->bucket, p);
	else
		pb_strbuf_printf(&url, "%s://%s.%.*s/%s", scheme, c->bucket, (int)eplen, ep, p);
	pb_strbuf_deinit(&decoded);
	pb_strbuf_deinit(&path);
	return pb_strbuf_steal(&url);
}

static void hex_into(char *out, const unsigned char *d, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[2 * n] = '\0';
}

static void hmac(const void *key, size_t klen, const char *msg, unsigned char out[32])
{
	unsigned int n = 32;
	HMAC(EVP_sha256(), key, (int)klen, (const unsigned char *)msg, strlen(msg), out, &n);
}

struct qpair {
	char *raw;  /* decoded key: the sort key, as Go sorts url.Values keys */
	char *k, *v; /* escaped */
};

static int qpair_cmp(const void *a, const void *b)
{
	const struct qpair *x = a, *y = b;
	return strcmp(x->raw, y->raw);
}

/* escapeQuery(url.Query()): pairs decoded (form rules) then re-escaped, sorted by key (stable
 * for equal keys, as Go keeps each key's values in order) */
static void canonical_query(struct pb_strbuf *out, const char *q, size_t len)
{
	struct qpair *pairs = NULL;
	size_t n = 0;
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && q[i] != '&')
			continue;
		if (i > start) {
			const char *s = q + start;
			size_t slen = i - start;
			const char *eq = memchr(s, '=', slen);
			size_t kl = eq ? (size_t)(eq - s) : slen;
			struct pb_strbuf k = PB_STRBUF_INIT, v = PB_STRBUF_INIT;
			pb_text_unescape_append(s, kl, PB_UNESCAPE_LENIENT | PB_UNESCAPE_PLUS, &k);
			if (eq)
				pb_text_unescape_append(eq + 1, slen - kl - 1, PB_UNESCAPE_LENIENT | PB_UNESCAPE_PLUS, &v);
			pairs = realloc(pairs, (n + 1) * sizeof *pairs);
			if (!pairs)
				abort();
			pairs[n].raw = strdup(pb_strbuf_cstr(&k));
			pairs[n].k = pb_s3_escape(k.data ? k.data : "", k.len);
			pairs[n].v = pb_s3_escape(v.data ? v.data : "", v.len);
			n++;
			pb_strbuf_deinit(&k);
			pb_strbuf_deinit(&v);
		}
		start = i + 1;
	}
	/* insertion sort keeps equal keys in their order (qsort is not stable) */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && qpair_cmp(&pairs[j - 1], &pairs[j]) > 0; j--) {
			struct qpair t = pairs[j - 1];
			pairs[j - 1] = pairs[j];
			pairs[j] = t;
		}
	for (size_t i = 0; i < n; i++) {
		if (i)
			pb_strbuf_putc(out, '&');
		pb_strbuf_printf(out, "%s=%s", pairs[i].k, pairs[i].v);
		free(pairs[i].raw);
		free(pairs[i].k);
		free(pairs[i].v);
	}
	free(pairs);
}

struct chdr {
	char *name;  /* lower-case */
	char *value; /* normalized */
};

static int chdr_cmp(const void *a, const void *b)
{
	return strcmp(((const struct chdr *)a)->name, ((const struct chdr *)b)->name);
}

/* TrimSpace then every "  " → " " (one pass, like strings.ReplaceAll) */
static char *normalize_value(const char *v)
{
	while (isspace((unsigned char)*v))
		v++;
	size_t n = strlen(v);
	while (n > 0 && isspace((unsigned char)v[n - 1]))
		n--;
	struct pb_strbuf b = PB_STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		pb_strbuf_putc(&b, v[i]);
		if (v[i] == ' ' && i + 1 < n && v[i + 1] == ' ')
			i++;
	}
	return pb_strbuf_steal(&b);
}

char *pb_s3_authorization(const struct pb_settings_s3 *c, const char *method, const char *url,
                          const struct pb_s3_header *headers, size_t n)
{
	/* split the URL: scheme://host/path?query#fragment */
	const char *h = strstr(url, "://");
	h = h ? h + 3 : url;
	size_t hlen = strcspn(h, "/?#");
	const char *path = h + hlen;
	size_t plen = strcspn(path, "?#");
	const char *query = path[plen] == '?' ? path + plen + 1 : "";
	size_t qlen = strcspn(query, "#");

	const char *amz_date = "", *payload = "";
	struct chdr *ch = calloc(n + 1, sizeof *ch);
	if (!ch)
		abort();
	size_t nc = 0;
	ch[nc].name = strdup("host");
	ch[nc].value = strndup(h, hlen);
	nc++;
	for (size_t i = 0; i < n; i++) {
		if (!strcasecmp(headers[i].name, "x-amz-date"))
			amz_date = headers[i].value;
		if (!strcasecmp(headers[i].name, "x-amz-content-sha256"))
			payload = headers[i].value;
		if (strcasecmp(headers[i].name, "content-type") && strncasecmp(headers[i].name, "x-amz-", 6))
			continue;
		char *name = strdup(headers[i].name);
		for (char *p = name; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		ch[nc].name = name;
		ch[nc].value = normalize_value(headers[i].value);
		nc++;
	}
	qsort(ch, nc, sizeof *ch, chdr_cmp);

	struct pb_strbuf creq = PB_STRBUF_INIT, signed_names = PB_STRBUF_INIT;
	pb_strbuf_printf(&creq, "%s\n", method);
	/* the path is already escaped by pb_s3_url; decoding then escaping again is a no-op for it
	 * and matches escapePath(req.URL.Path) for anything else */
	struct pb_strbuf dpath = PB_STRBUF_INIT;
	pb_text_unescape_append(path, plen, PB_UNESCAPE_LENIENT, &dpath);
	if (dpath.len == 0)
		pb_strbuf_putc(&dpath, '/');
	escape_path_into(&creq, dpath.data, dpath.len);
	pb_strbuf_putc(&creq, '\n');
	canonical_query(&creq, query, qlen);
	pb_strbuf_putc(&creq, '\n');
	for (size_t i = 0; i < nc; i++) {
		pb_strbuf_printf(&creq, "%s:%s\n", ch[i].name, ch[i].value);
		if (i)
			pb_strbuf_putc(&signed_names, ';');
		pb_strbuf_puts(&signed_names, ch[i].name);
	}
	pb_strbuf_printf(&creq, "\n%s\n%s", signed_names.data, payload);

	unsigned char digest[32];
	char creq_hash[65];
	EVP_Digest(creq.data, creq.len, digest, NULL, EVP_sha256(), NULL);
	hex_into(creq_hash, digest, 32);

	char date[9];
	snprintf(date, sizeof date, "%.8s", amz_date);
	struct pb_strbuf scope = PB_STRBUF_INIT, sts = PB_STRBUF_INIT;
	pb_strbuf_printf(&scope, "%s/%s/s3/aws4_request", date, c->region);
	pb_strbuf_printf(&sts, "AWS4-HMAC-SHA256\n%s\n%s\n%s", amz_date, scope.data, creq_hash);

	struct pb_strbuf k0 = PB_STRBUF_INIT;
	pb_strbuf_printf(&k0, "AWS4%s", c->secret);
	unsigned char k1[32], k2[32], k3[32], k4[32], sig[32];
	hmac(k0.data, k0.len, date, k1);
	hmac(k1, 32, c->region, k2);
	hmac(k2, 32, "s3", k3);
	hmac(k3, 32, "aws4_request", k4);
	hmac(k4, 32, sts.data, sig);
	char sig_hex[65];
	hex_into(sig_hex, sig, 32);

	struct pb_strbuf out = PB_STRBUF_INIT;
	pb_strbuf_printf(&out, "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s", c->access_key,
	                 scope.data, signed_names.data, sig_hex);

	for (size_t i = 0; i < nc; i++) {
		free(ch[i].name);
		free(ch[i].value);
	}
	free(ch);
	pb_strbuf_deinit(&creq);
	pb_strbuf_deinit(&signed_names);
	pb_strbuf_deinit(&dpath);
	pb_strbuf_deinit(&scope);
	pb_strbuf_deinit(&sts);
	pb_strbuf_deinit(&k0);
	return pb_strbuf_steal(&out);
}
