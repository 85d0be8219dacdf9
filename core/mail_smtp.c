/* mail_smtp — the SMTP transport of pb_mail_send, mirroring PocketBase's SMTPClient (mailyak
 * over Go's net/smtp): EHLO with the configured local name (Go's default "localhost"),
 * implicit TLS when `tls`, otherwise STARTTLS whenever the server offers it, certificates
 * verified, AUTH PLAIN (the default) or LOGIN when a username or password is set, MAIL FROM
 * the sender, RCPT TO every To/CC/Bcc address (any refusal fails the send), DATA the message
 * of mail_mime.c. Like Go's auth, credentials never travel over an unencrypted connection to a
 * host other than localhost/127.0.0.1/::1: such a send requires STARTTLS. libcurl performs the
 * dialogue; its debug callback keeps the server's last reply so that a refusal is reported as
 * Go reports it ("550 5.1.1 no such user"), and notices a refused STARTTLS, which fails the
 * send as in Go instead of going on in plain text. */
#include "core/mailer_internal.h"

#include <curl/curl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/mail_encode.h"
#include "core/strbuf.h"

#define DEFAULT_TIMEOUT_MS 300000L
#define CONNECT_TIMEOUT_MS 30000L

/* What the server said, as seen through libcurl's debug callback. */
struct last_reply {
	/* the last reply line before our QUIT (libcurl sends QUIT before returning when it drops
	 * the connection after a refusal, and "221 Bye" must not hide the refusal) */
	char line[512];
	bool quitting;
	bool starttls_sent, starttls_answered;
	/* STARTTLS offered but refused: Go fails the send; libcurl's "try" mode would go on in
	 * plain text, so the transfer is stopped instead */
	bool starttls_refused;
	char refusal[512];
};

struct upload {
	const char *data;
	size_t len, pos;
	const struct last_reply *reply;
};

/* libcurl's read callback: the message, unless STARTTLS was refused (then nothing of the body
 * travels in plain text). */
static size_t read_body(char *buf, size_t size, size_t nitems, void *ud)
{
	struct upload *u = ud;
	if (u->reply->starttls_refused)
		return CURL_READFUNC_ABORT;
	size_t room = size * nitems, left = u->len - u->pos;
	size_t n = left < room ? left : room;
	memcpy(buf, u->data + u->pos, n);
	u->pos += n;
	return n;
}

/* libcurl's debug callback: only the server's replies (CURLINFO_HEADER_IN) are kept; what we
 * send (AUTH with credentials among it) is only checked for QUIT and STARTTLS. */
static int on_debug(CURL *h, curl_infotype type, char *data, size_t size, void *ud)
{
	(void)h;
	struct last_reply *r = ud;
	if (type == CURLINFO_HEADER_OUT && size >= 4 && strncasecmp(data, "QUIT", 4) == 0)
		r->quitting = true;
	if (type == CURLINFO_HEADER_OUT && size >= 8 && strncasecmp(data, "STARTTLS", 8) == 0)
		r->starttls_sent = true;
	if (type != CURLINFO_HEADER_IN || r->quitting)
		return 0;
	while (size && (data[size - 1] == '\n' || data[size - 1] == '\r'))
		size--;
	if (size == 0)
		return 0;
	if (size >= sizeof r->line)
		size = sizeof r->line - 1;
	memcpy(r->line, data, size);
	r->line[size] = '\0';
	if (r->starttls_sent && !r->starttls_answered) {
		r->starttls_answered = true;
		if (strncmp(r->line, "220", 3) != 0) {
			r->starttls_refused = true;
			memcpy(r->refusal, r->line, sizeof r->refusal);
		}
	}
	return 0;
}

/* libcurl's progress callback: stops the transfer as soon as a refused STARTTLS is known. */
static int on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	(void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	const struct upload *u = ud;
	return u->reply->starttls_refused ? 1 : 0;
}

static bool is_localhost(const char *host)
{
	return strcmp(host, "localhost") == 0 || strcmp(host, "127.0.0.1") == 0 || strcmp(host, "::1") == 0;
}

/* A host name, IPv4 or IPv6 literal: nothing that could change the meaning of the URL. */
static bool host_ok(const char *h)
{
	if (!*h)
		return false;
	for (const char *p = h; *p; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
		      c == '_' || c == ':'))
			return false;
	}
	return true;
}

/* Appends "<addr>" (the bare address of "Name <addr>") to the recipient list. */
static struct curl_slist *add_rcpts(struct curl_slist *l, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *name, *addr;
		pb_mail_address_parse(list[i], &name, &addr);
		struct pb_strbuf b = PB_STRBUF_INIT;
		pb_strbuf_putc(&b, '<');
		pb_mail_put_oneline(&b, addr);
		pb_strbuf_putc(&b, '>');
		l = curl_slist_append(l, pb_strbuf_cstr(&b));
		pb_strbuf_deinit(&b);
		free(name);
		free(addr);
	}
	return l;
}

int pb_mail_smtp_send(const struct pb_smtp_config *cfg, const struct pb_mail *m,
                      const struct pb_mail_mime_params *params, struct pb_error *err)
{
	const char *host = cfg->host ? cfg->host : "";
	if (!host_ok(host))
		return pb_error_set(err, 500, "invalid SMTP host %s", host);
	if (cfg->port <= 0 || cfg->port > 65535)
		return pb_error_set(err, 500, "invalid SMTP port %d", cfg->port);
	if (m->nto + m->ncc + m->nbcc == 0)
		return pb_error_set(err, 500, "the message has no recipients");

	int rc = -1;
	struct pb_strbuf msg = PB_STRBUF_INIT, url = PB_STRBUF_INIT, from = PB_STRBUF_INIT;
	struct curl_slist *rcpts = NULL;
	char errbuf[CURL_ERROR_SIZE] = "";
	struct last_reply last = {0};
	CURL *h = NULL;

	if (pb_mail_mime_build(m, params, &msg, err) != 0)
		goto done;
	h = curl_easy_init();
	if (!h) {
		pb_error_set(err, 500, "failed to initialise libcurl");
		goto done;
	}

	const char *local = cfg->local_name && *cfg->local_name ? cfg->local_name : "localhost";
	char *local_esc = curl_easy_escape(h, local, 0);
	bool v6 = strchr(host, ':') != NULL;
	pb_strbuf_printf(&url, "%s://%s%s%s:%d/%s", cfg->tls ? "smtps" : "smtp", v6 ? "[" : "", host, v6 ? "]" : "",
	                 cfg->port, local_esc ? local_esc : "localhost");
	curl_free(local_esc);

	bool creds = (cfg->username && *cfg->username) || (cfg->password && *cfg->password);
	bool login = cfg->auth_method && strcmp(cfg->auth_method, "LOGIN") == 0;
	long use_ssl = cfg->tls || (creds && !is_localhost(host)) ? CURLUSESSL_ALL : CURLUSESSL_TRY;
	long timeout = cfg->timeout_ms > 0 ? cfg->timeout_ms : DEFAULT_TIMEOUT_MS;

	pb_strbuf_putc(&from, '<');
	pb_mail_put_oneline(&from, m->from_address);
	pb_strbuf_putc(&from, '>');
	rcpts = add_rcpts(rcpts, m->to, m->nto);
	rcpts = add_rcpts(rcpts, m->cc, m->ncc);
	rcpts = add_rcpts(rcpts, m->bcc, m->nbcc);

	struct upload up = {msg.data, msg.len, 0, &last};
	curl_easy_setopt(h, CURLOPT_URL, url.data);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_USE_SSL, use_ssl);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout < CONNECT_TIMEOUT_MS ? timeout : CONNECT_TIMEOUT_MS);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
	curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
	curl_easy_setopt(h, CURLOPT_DEBUGDATA, &last);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, &up);
	if (creds) {
		curl_easy_setopt(h, CURLOPT_USERNAME, cfg->username ? cfg->username : "");
		curl_easy_setopt(h, CURLOPT_PASSWORD, cfg->password ? cfg->password : "");
		curl_easy_setopt(h, CURLOPT_LOGIN_OPTIONS, login ? "AUTH=LOGIN" : "AUTH=PLAIN");
		/* Go sends PLAIN's credentials with the AUTH command and waits for LOGIN's prompts */
		curl_easy_setopt(h, CURLOPT_SASL_IR, login ? 0L : 1L);
	}
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.data);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpts);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_body);
	curl_easy_setopt(h, CURLOPT_READDATA, &up);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)msg.len);

	CURLcode res = curl_easy_perform(h);
	if (last.starttls_refused) {
		pb_error_set(err, 500, "%s", last.refusal);
	} else if (res == CURLE_OK) {
		rc = 0;
	} else if (last.line[0] == '4' || last.line[0] == '5') {
		pb_error_set(err, 500, "%s", last.line);
	} else {
		pb_error_set(err, 500, "%s", errbuf[0] ? errbuf : curl_easy_strerror(res));
	}

done:
	if (h)
		curl_easy_cleanup(h);
	curl_slist_free_all(rcpts);
	pb_strbuf_deinit(&msg);
	pb_strbuf_deinit(&url);
	pb_strbuf_deinit(&from);
	return rc;
}
