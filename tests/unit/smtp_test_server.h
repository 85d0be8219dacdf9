/* smtp_test_server — a small ESMTP server for the mailer tests, run in a thread on
 * 127.0.0.x:<free port>. It accepts one connection and speaks enough of RFC 5321 for a client
 * like PocketBase's (EHLO, optional STARTTLS advertisement refused with 454, AUTH PLAIN with or
 * without initial response, AUTH LOGIN through its prompts, MAIL, RCPT with an optional
 * refusal, DATA with dot-unstuffing, RSET/NOOP, QUIT) and records what it was sent. Modes make
 * it hang up after the greeting or at DATA, or never answer. */
#ifndef POCKETC_TESTS_UNIT_SMTP_TEST_SERVER_H
#define POCKETC_TESTS_UNIT_SMTP_TEST_SERVER_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/strbuf.h"

enum srv_mode {
	SRV_NORMAL,
	SRV_CLOSE_AFTER_GREETING, /* greets, then hangs up */
	SRV_CLOSE_AT_DATA,        /* hangs up when DATA comes */
	SRV_SILENT,               /* accepts, never answers */
};

struct srv {
	int lfd, port;
	pthread_t th;
	enum srv_mode mode;
	bool auth;                /* advertise AUTH PLAIN LOGIN */
	bool starttls;            /* advertise STARTTLS, then refuse it with 454 */
	const char *user, *pass;  /* accepted credentials */
	const char *refuse_rcpt;  /* "550" for this address */
	/* recorded */
	char first_line[256];
	char ehlo[256];
	char auth_mech[16];
	bool auth_initial;        /* the credentials came with the AUTH command */
	char got_user[128], got_pass[128];
	char mail_from[256];
	char rcpt[8][256];
	int nrcpt;
	bool got_data, quit;
	struct pb_strbuf data;    /* the message, dot-unstuffed, CRLF line ends */
	struct pb_strbuf cmds;    /* every command line received */
	/* connection */
	int fd;
	char buf[8192];
	size_t blen;
};

static int srv_start(struct srv *s, const char *ip, enum srv_mode mode)
{
	memset(s, 0, sizeof *s);
	s->mode = mode;
	s->fd = -1;
	s->lfd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
	inet_pton(AF_INET, ip, &a.sin_addr);
	int one = 1;
	setsockopt(s->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(s->lfd, (struct sockaddr *)&a, sizeof a) != 0 || listen(s->lfd, 4) != 0)
		return -1;
	socklen_t al = sizeof a;
	getsockname(s->lfd, (struct sockaddr *)&a, &al);
	s->port = ntohs(a.sin_port);
	return 0;
}

static void copy_str(char *dst, size_t cap, const char *src)
{
	size_t n = strnlen(src, cap - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void srv_send(struct srv *s, const char *line)
{
	size_t n = strlen(line);
	if (send(s->fd, line, n, MSG_NOSIGNAL) < 0)
		return;
}

/* Reads one line without its CRLF into out; returns false on EOF/timeout. */
static bool srv_line(struct srv *s, char *out, size_t cap)
{
	for (;;) {
		char *nl = memchr(s->buf, '\n', s->blen);
		if (nl) {
			size_t n = (size_t)(nl - s->buf);
			size_t copy = n && s->buf[n - 1] == '\r' ? n - 1 : n;
			if (copy >= cap)
				copy = cap - 1;
			memcpy(out, s->buf, copy);
			out[copy] = '\0';
			memmove(s->buf, nl + 1, s->blen - n - 1);
			s->blen -= n + 1;
			return true;
		}
		if (s->blen == sizeof s->buf)
			return false;
		struct pollfd p = {s->fd, POLLIN, 0};
		if (poll(&p, 1, 10000) <= 0)
			return false;
		ssize_t r = recv(s->fd, s->buf + s->blen, sizeof s->buf - s->blen, 0);
		if (r <= 0)
			return false;
		s->blen += (size_t)r;
	}
}

static void b64_decode(const char *in, char *out, size_t cap)
{
	size_t n = strlen(in);
	unsigned char tmp[512];
	if (n > 680 || n % 4) {
		out[0] = '\0';
		return;
	}
	int len = EVP_DecodeBlock(tmp, (const unsigned char *)in, (int)n);
	if (len < 0)
		len = 0;
	while (n && in[n - 1] == '=')
		n--, len--;
	if ((size_t)len >= cap)
		len = (int)cap - 1;
	memcpy(out, tmp, (size_t)len);
	out[len] = '\0';
}

/* "\0user\0pass" → user, pass */
static void split_plain(struct srv *s, const char *b64)
{
	char raw[512];
	size_t n = strlen(b64);
	unsigned char tmp[512];
	int len = n && n % 4 == 0 && n < 680 ? EVP_DecodeBlock(tmp, (const unsigned char *)b64, (int)n) : 0;
	while (n && b64[n - 1] == '=')
		n--, len--;
	if (len < 0)
		len = 0;
	memcpy(raw, tmp, (size_t)len);
	const char *user = memchr(raw, '\0', (size_t)len);
	if (!user)
		return;
	user++;
	const char *pass = memchr(user, '\0', (size_t)(raw + len - user));
	if (!pass)
		return;
	snprintf(s->got_user, sizeof s->got_user, "%.*s", (int)(pass - user), user);
	snprintf(s->got_pass, sizeof s->got_pass, "%.*s", (int)(raw + len - pass - 1), pass + 1);
}

static void srv_auth_result(struct srv *s)
{
	bool ok = s->user && strcmp(s->got_user, s->user) == 0 && strcmp(s->got_pass, s->pass) == 0;
	srv_send(s, ok ? "235 2.7.0 Authentication successful\r\n" : "535 5.7.8 bad credentials\r\n");
}

static void srv_session(struct srv *s)
{
	char line[1024];
	if (s->mode == SRV_SILENT) {
		while (srv_line(s, line, sizeof line))
			;
		return;
	}
	srv_send(s, "220 test.local ESMTP ready\r\n");
	if (s->mode == SRV_CLOSE_AFTER_GREETING)
		return;
	bool first = true;
	while (srv_line(s, line, sizeof line)) {
		if (first)
			copy_str(s->first_line, sizeof s->first_line, line);
		first = false;
		pb_strbuf_puts(&s->cmds, line);
		pb_strbuf_puts(&s->cmds, "\n");
		if (strncasecmp(line, "EHLO ", 5) == 0) {
			copy_str(s->ehlo, sizeof s->ehlo, line + 5);
			srv_send(s, "250-test.local\r\n");
			if (s->starttls)
				srv_send(s, "250-STARTTLS\r\n");
			if (s->auth)
				srv_send(s, "250-AUTH PLAIN LOGIN\r\n");
			srv_send(s, "250 8BITMIME\r\n");
		} else if (strcasecmp(line, "STARTTLS") == 0) {
			srv_send(s, "454 4.7.0 TLS not available due to local problem\r\n");
		} else if (strncasecmp(line, "AUTH PLAIN", 10) == 0) {
			snprintf(s->auth_mech, sizeof s->auth_mech, "PLAIN");
			if (line[10] == ' ') {
				s->auth_initial = true;
				split_plain(s, line + 11);
			} else {
				srv_send(s, "334 \r\n");
				if (!srv_line(s, line, sizeof line))
					return;
				split_plain(s, line);
			}
			srv_auth_result(s);
		} else if (strncasecmp(line, "AUTH LOGIN", 10) == 0) {
			snprintf(s->auth_mech, sizeof s->auth_mech, "LOGIN");
			if (line[10] == ' ') {
				s->auth_initial = true;
				b64_decode(line + 11, s->got_user, sizeof s->got_user);
			} else {
				srv_send(s, "334 VXNlcm5hbWU6\r\n");
				if (!srv_line(s, line, sizeof line))
					return;
				b64_decode(line, s->got_user, sizeof s->got_user);
			}
			srv_send(s, "334 UGFzc3dvcmQ6\r\n");
			if (!srv_line(s, line, sizeof line))
				return;
			b64_decode(line, s->got_pass, sizeof s->got_pass);
			srv_auth_result(s);
		} else if (strncasecmp(line, "MAIL FROM:", 10) == 0) {
			copy_str(s->mail_from, sizeof s->mail_from, line + 10);
			srv_send(s, "250 2.1.0 Ok\r\n");
		} else if (strncasecmp(line, "RCPT TO:", 8) == 0) {
			if (s->refuse_rcpt && strstr(line + 8, s->refuse_rcpt)) {
				srv_send(s, "550 5.1.1 no such user\r\n");
			} else {
				if (s->nrcpt < 8)
					copy_str(s->rcpt[s->nrcpt++], sizeof s->rcpt[0], line + 8);
				srv_send(s, "250 2.1.5 Ok\r\n");
			}
		} else if (strcasecmp(line, "DATA") == 0) {
			if (s->mode == SRV_CLOSE_AT_DATA)
				return;
			srv_send(s, "354 End data with <CR><LF>.<CR><LF>\r\n");
			char dl[4096];
			for (;;) {
				if (!srv_line(s, dl, sizeof dl))
					return;
				if (strcmp(dl, ".") == 0)
					break;
				pb_strbuf_puts(&s->data, dl[0] == '.' ? dl + 1 : dl);
				pb_strbuf_puts(&s->data, "\r\n");
			}
			s->got_data = true;
			srv_send(s, "250 2.0.0 Ok: queued\r\n");
		} else if (strcasecmp(line, "QUIT") == 0) {
			s->quit = true;
			srv_send(s, "221 2.0.0 Bye\r\n");
			return;
		} else if (strcasecmp(line, "RSET") == 0 || strcasecmp(line, "NOOP") == 0) {
			srv_send(s, "250 2.0.0 Ok\r\n");
		} else {
			srv_send(s, "502 5.5.2 Error: command not recognized\r\n");
		}
	}
}

static void *srv_main(void *arg)
{
	struct srv *s = arg;
	struct pollfd p = {s->lfd, POLLIN, 0};
	if (poll(&p, 1, 10000) > 0) {
		s->fd = accept(s->lfd, NULL, NULL);
		if (s->fd >= 0) {
			srv_session(s);
			close(s->fd);
		}
	}
	return NULL;
}

static void srv_run(struct srv *s)
{
	pthread_create(&s->th, NULL, srv_main, s);
}

static void srv_finish(struct srv *s)
{
	pthread_join(s->th, NULL);
	close(s->lfd);
}

static void srv_free(struct srv *s)
{
	pb_strbuf_deinit(&s->data);
	pb_strbuf_deinit(&s->cmds);
}

#endif
