/* oauth2_http — the blocking HTTP calls of the OAuth2 client over libcurl (see
 * oauth2_internal.h): one easy handle per request, http/https only, no redirects followed
 * for provider API calls (they answer directly), a total timeout, a body cap, and for avatar
 * downloads PocketBase's safeHTTPClient: redirects followed (up to 10, as Go's client) and the
 * address check done on every resolved address right before connecting (so neither a DNS
 * answer nor a redirect can smuggle in a loopback target). */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "core/oauth2_internal.h"
#include "core/strbuf.h"

struct xfer {
	struct pb_strbuf body;
	size_t max;
	bool too_big;
	char *content_type;
};

static size_t on_write(char *data, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * n;
	if (x->body.len + len > x->max) {
		x->too_big = true;
		return 0;
	}
	pb_strbuf_append(&x->body, data, len);
	return len;
}

static size_t on_header(char *data, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * n;
	if (len > 13 && !strncasecmp(data, "Content-Type:", 13)) {
		const char *v = data + 13;
		size_t vl = len - 13;
		while (vl && (*v == ' ' || *v == '\t'))
			v++, vl--;
		while (vl && (v[vl - 1] == '\r' || v[vl - 1] == '\n' || v[vl - 1] == ' '))
			vl--;
		free(x->content_type);
		x->content_type = strndup(v, vl);
	}
	return len;
}

/* safeHTTPClient's Control check: loopback, unspecified, private, link-local and multicast
 * addresses are refused. */
static bool address_allowed(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		uint32_t a = ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr);
		uint8_t b0 = (uint8_t)(a >> 24), b1 = (uint8_t)(a >> 16);
		if (b0 == 127 || a == 0 || b0 == 10 || (b0 == 172 && (b1 & 0xf0) == 16) || (b0 == 192 && b1 == 168) ||
		    (b0 == 169 && b1 == 254) || (b0 >= 224 && b0 <= 239))
			return false;
		return true;
	}
	if (sa->sa_family == AF_INET6) {
		const unsigned char *b = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
		static const unsigned char zero[16] = {0};
		static const unsigned char v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
		if (!memcmp(b, v4mapped, 12)) {
			struct sockaddr_in v4 = {.sin_family = AF_INET};
			memcpy(&v4.sin_addr, b + 12, 4);
			return address_allowed((const struct sockaddr *)&v4);
		}
		if (!memcmp(b, zero, 15) && (b[15] == 0 || b[15] == 1)) /* :: and ::1 */
			return false;
		if ((b[0] & 0xfe) == 0xfc)                    /* fc00::/7 unique local */
			return false;
		if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)    /* fe80::/10 link-local */
			return false;
		if (b[0] == 0xff)                              /* multicast */
			return false;
		return true;
	}
	return false;
}

static curl_socket_t open_public(void *arg, curlsocktype purpose, struct curl_sockaddr *addr)
{
	(void)arg;
	if (purpose != CURLSOCKTYPE_IPCXN || !address_allowed(&addr->addr))
		return CURL_SOCKET_BAD;
	return socket(addr->family, addr->socktype, addr->protocol);
}

int pb_oauth2_http_do(const char *method, const char *url, const char *const *headers, const char *body, size_t len,
                      long timeout_ms, size_t max_body, bool public_only, struct pb_oauth2_http *out,
                      struct pb_error *err)
{
	memset(out, 0, sizeof *out);
	CURL *h = curl_easy_init();
	if (!h)
		return pb_error_set(err, 500, "curl init failed");
	struct xfer x = {PB_STRBUF_INIT, max_body, false, NULL};
	struct curl_slist *list = NULL;
	for (size_t i = 0; headers && headers[i]; i++)
		list = curl_slist_append(list, headers[i]);
	list = curl_slist_append(list, "Expect:");
	curl_easy_setopt(h, CURLOPT_URL, url);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms > 0 ? timeout_ms : 30000L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "Go-http-client/1.1");
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &x);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &x);
	if (public_only) {
		curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, open_public);
		curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
		/* avatar hosts redirect (Go's client follows up to 10); every hop's connection goes
		 * through open_public again */
		curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
		curl_easy_setopt(h, CURLOPT_MAXREDIRS, 10L);
#if LIBCURL_VERSION_NUM >= 0x075500
		curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
		curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	}
	if (!strcmp(method, "POST")) {
		curl_easy_setopt(h, CURLOPT_POST, 1L);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body ? body : "");
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(body ? len : 0));
	} else if (strcmp(method, "GET") != 0) {
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	}
	CURLcode cc = curl_easy_perform(h);
	int rc = 0;
	if (cc != CURLE_OK) {
		rc = x.too_big ? pb_error_set(err, 400, "%s %s: response body too large", method, url)
		               : pb_error_set(err, 400, "%s %s: %s", method, url, curl_easy_strerror(cc));
		pb_strbuf_deinit(&x.body);
		free(x.content_type);
	} else {
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out->status);
		out->len = x.body.len;
		pb_strbuf_putc(&x.body, '\0');
		out->body = pb_strbuf_steal(&x.body);
		out->content_type = x.content_type ? x.content_type : strdup("");
	}
	curl_slist_free_all(list);
	curl_easy_cleanup(h);
	return rc;
}

void pb_oauth2_http_free(struct pb_oauth2_http *r)
{
	free(r->body);
	free(r->content_type);
	memset(r, 0, sizeof *r);
}

char *pb_oauth2_auth_header(const struct pb_oauth2_token *t)
{
	const char *type = t->token_type ? t->token_type : "";
	if (!*type || !strcasecmp(type, "bearer"))
		type = "Bearer";
	else if (!strcasecmp(type, "mac"))
		type = "MAC";
	else if (!strcasecmp(type, "basic"))
		type = "Basic";
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_strbuf_printf(&b, "Authorization: %s %s", type, t->access_token ? t->access_token : "");
	return pb_strbuf_steal(&b);
}

char *pb_oauth2_api_call(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const char *url,
                         const char *const *extra, const char *json_body, long *status_out, struct pb_error *err)
{
	const char *lines[12];
	size_t n = 0;
	char *auth = pb_oauth2_auth_header(t);
	lines[n++] = auth;
	if (json_body)
		lines[n++] = "Content-Type: application/json";
	for (size_t i = 0; extra && extra[i] && n < 11; i++)
		lines[n++] = extra[i];
	lines[n] = NULL;
	struct pb_oauth2_http r;
	int rc = pb_oauth2_http_do(json_body ? "POST" : "GET", url, lines, json_body, json_body ? strlen(json_body) : 0,
	                           p->timeout_ms, 32u << 20, false, &r, err);
	free(auth);
	if (rc != 0)
		return NULL;
	if (status_out) {
		*status_out = r.status;
	} else if (r.status >= 400) {
		pb_error_set(err, 400, "failed to fetch OAuth2 user profile via %s (%ld): %.200s", url, r.status, r.body);
		pb_oauth2_http_free(&r);
		return NULL;
	}
	free(r.content_type);
	return r.body;
}

unsigned char *pb_oauth2_download(const char *url, long timeout_ms, size_t max, size_t *len, char **name,
                                  struct pb_error *err)
{
	*name = NULL;
	struct pb_oauth2_http r;
	if (pb_oauth2_http_do("GET", url, NULL, NULL, 0, timeout_ms, max, true, &r, err) != 0)
		return NULL;
	if (r.status < 200 || r.status > 399) {
		pb_error_set(err, 400, "failed to download url %s (%ld)", url, r.status);
		pb_oauth2_http_free(&r);
		return NULL;
	}
	/* path.Base: the text after the last slash, trailing slashes ignored */
	size_t n = strlen(url);
	while (n > 1 && url[n - 1] == '/')
		n--;
	size_t start = n;
	while (start > 0 && url[start - 1] != '/')
		start--;
	*name = n > start ? strndup(url + start, n - start) : strdup(n ? "/" : ".");
	*len = r.len;
	free(r.content_type);
	return (unsigned char *)r.body;
}
