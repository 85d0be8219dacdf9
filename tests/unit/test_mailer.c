/* test_mailer — pb_mail_send and its transports against real peers: an ESMTP server run in a
 * thread of this test on 127.0.0.x:<free port> (EHLO, AUTH PLAIN/LOGIN, MAIL, RCPT, DATA with
 * dot-unstuffing, QUIT) that records the session, a fake `sendmail` script that records its
 * arguments and input, and the logged fallback when neither SMTP nor sendmail is there.
 * The SMTP checks mirror what PocketBase's client (mailyak over net/smtp) puts on the wire:
 * EHLO name, envelope (MAIL FROM, every To/CC/Bcc as RCPT), AUTH PLAIN with the initial
 * response and LOGIN through its prompts, no credentials over plain text to a non-local
 * host, and the exact message bytes. */
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/mail_mime.h"
#include "core/mailer.h"
#include "core/mailer_internal.h"
#include "core/strbuf.h"
#include "smtp_test_server.h"
#include "test.h"

/* ---- SMTP tests ---- */

static const char *const to2[] = {"John Doe <a@example.com>", "b@example.com"};
static const char *const cc1[] = {"c@example.com"};
static const char *const bcc1[] = {"Hidden <h@example.com>"};

static struct pb_mail sample_mail(void)
{
	struct pb_mail m = {
		.from_name = "Acme Support",
		.from_address = "support@example.com",
		.to = to2, .nto = 2, .cc = cc1, .ncc = 1, .bcc = bcc1, .nbcc = 1,
		.subject = "Willkommen bei Acme \xe2\x80\x93 bitte best\xc3\xa4tigen",
		/* a line starting with a dot exercises SMTP dot-stuffing */
		.html = "<p>Hello,</p>\n.<p>click <a href=\"http://localhost:8090/_/#/auth/confirm-verification/T.K\">here</a></p>\n",
	};
	return m;
}

static struct pb_smtp_config local_cfg(int port)
{
	struct pb_smtp_config c = {.enabled = true, .host = "127.0.0.1", .port = port, .timeout_ms = 10000};
	return c;
}

static void test_smtp_exact_message(void)
{
	struct srv s;
	CHECK(srv_start(&s, "127.0.0.1", SRV_NORMAL) == 0);
	srv_run(&s);
	struct pb_smtp_config cfg = local_cfg(s.port);
	cfg.local_name = "mail.example.org";
	struct pb_mail m = sample_mail();
	const struct pb_mail_mime_params p = {"Mon, 02 Jan 2006 15:04:05 -0700", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab",
	                                      "fedcba9876543210fedcba9876543210fedcba9876543210fedcba987654", "<id1@example.com>"};
	struct pb_error err = PB_ERROR_INIT;
	int rc = pb_mail_smtp_send(&cfg, &m, &p, &err);
	srv_finish(&s);
	CHECK(rc == 0);
	if (rc != 0)
		fprintf(stderr, "send: %s\n", err.message);

	CHECK_STR(s.ehlo, "mail.example.org");
	CHECK_STR(s.mail_from, "<support@example.com>");
	CHECK(s.nrcpt == 4);
	CHECK_STR(s.rcpt[0], "<a@example.com>");
	CHECK_STR(s.rcpt[1], "<b@example.com>");
	CHECK_STR(s.rcpt[2], "<c@example.com>");
	CHECK_STR(s.rcpt[3], "<h@example.com>");
	CHECK(s.auth_mech[0] == '\0'); /* no credentials, no AUTH */
	CHECK(s.got_data);
	CHECK(s.quit);

	/* the bytes received are exactly the message mail_mime builds */
	struct pb_strbuf want = PB_STRBUF_INIT;
	CHECK(pb_mail_mime_build(&m, &p, &want, NULL) == 0);
	CHECK_STR(pb_strbuf_cstr(&s.data), pb_strbuf_cstr(&want));
	pb_strbuf_deinit(&want);

	const char *d = pb_strbuf_cstr(&s.data);
	CHECK(strncmp(d, "From: Acme Support <support@example.com>\r\nMIME-Version: 1.0\r\n"
	                 "Date: Mon, 02 Jan 2006 15:04:05 -0700\r\n"
	                 "Subject: =?UTF-8?q?Willkommen_bei_Acme_=E2=80=93_bitte_best=C3=A4tigen?=\r\n"
	                 "To: \"John Doe\" <a@example.com>,b@example.com\r\nCC: c@example.com\r\n"
	                 "Message-ID: <id1@example.com>\r\n",
	              strlen("From: Acme Support <support@example.com>\r\nMIME-Version: 1.0\r\n"
	                     "Date: Mon, 02 Jan 2006 15:04:05 -0700\r\n"
	                     "Subject: =?UTF-8?q?Willkommen_bei_Acme_=E2=80=93_bitte_best=C3=A4tigen?=\r\n"
	                     "To: \"John Doe\" <a@example.com>,b@example.com\r\nCC: c@example.com\r\n"
	                     "Message-ID: <id1@example.com>\r\n")) == 0);
	CHECK(strstr(d, "h@example.com") == NULL); /* Bcc only in the envelope */
	CHECK(strstr(d, "Content-Type: text/plain; charset=UTF-8\r\n\r\nHello, .\r\nclick [here]"
	                "(http://localhost:8090/_/#/auth/confirm-verification/T.K)\r\n") != NULL);
	CHECK(strstr(d, "Content-Type: text/html; charset=UTF-8\r\n\r\n<p>Hello,</p>\r\n.<p>click <a href=3D") != NULL);
	srv_free(&s);
}

static void test_smtp_public_defaults(void)
{
	/* through pb_mail_send: EHLO "localhost" by default, generated Date/boundaries/Message-ID */
	struct srv s;
	CHECK(srv_start(&s, "127.0.0.1", SRV_NORMAL) == 0);
	srv_run(&s);
	struct pb_smtp_config cfg = local_cfg(s.port);
	const char *to[] = {"x@example.com"};
	struct pb_mail m = {.from_address = "noreply@acme.test", .to = to, .nto = 1, .subject = "Hi", .html = "<p>Hi</p>"};
	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_mail_send(&cfg, &m, &err) == 0);
	srv_finish(&s);
	CHECK_STR(s.ehlo, "localhost");
	CHECK_STR(s.mail_from, "<noreply@acme.test>");
	CHECK(s.nrcpt == 1 && strcmp(s.rcpt[0], "<x@example.com>") == 0);
	const char *d = pb_strbuf_cstr(&s.data);
	const char *head = "From: noreply@acme.test\r\nMIME-Version: 1.0\r\nDate: ";
	CHECK(strncmp(d, head, strlen(head)) == 0);
	CHECK(strstr(d, "@acme.test>\r\nContent-Type: multipart/mixed;\r\n\tboundary=\"") != NULL);
	CHECK(strstr(d, "\r\nMessage-ID: <") != NULL);
	srv_free(&s);
}

static void test_smtp_auth(const char *method, const char *want_mech, bool want_initial)
{
	struct srv s;
	CHECK(srv_start(&s, "127.0.0.1", SRV_NORMAL) == 0);
	s.auth = true;
	s.user = "mailer@acme.test";
	s.pass = "s3cr\xc3\xa9t pass";
	srv_run(&s);
	struct pb_smtp_config cfg = local_cfg(s.port);
	cfg.username = "mailer@acme.test";
	cfg.password = "s3cr\xc3\xa9t pass";
	cfg.auth_method = method;
	struct pb_mail m = sample_mail();
	struct pb_error err = PB_ERROR_INIT;
	int rc = pb_mail_send(&cfg, &m, &err);
	srv_finish(&s);
	CHECK(rc == 0);
	if (rc)
		fprintf(stderr, "auth %s: %s\n", method ? method : "(null)", err.message);
	CHECK_STR(s.auth_mech, want_mech);
	CHECK(s.auth_initial == want_initial);
	CHECK_STR(s.got_user, "mailer@acme.test");
	CHECK_STR(s.got_pass, "s3cr\xc3\xa9t pass");
	CHECK(s.got_data);
	srv_free(&s);
}

static void test_smtp_auth_rejected(void)
{
	struct srv s;
	CHECK(srv_start(&s, "127.0.0.1", SRV_NORMAL) == 0);
	s.auth = true;
	s.user = "u";
	s.pass = "right";
	srv_run(&s);
	struct pb_smtp_config cfg = local_cfg(s.port);
	cfg.username = "u";
	cfg.password = "wrong";
	struct pb_mail m = sample_mail();
	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_mail_send(&cfg, &m, &err) == -1);
	srv_finish(&s);
	CHECK(err.status == 500);
	CHECK_STR(err.message, "535 5.7.8 bad credentials");
	CHECK(!s.got_data && s.mail_from[0] == '\0');
	srv_free(&s);
}

static void test_smtp_refused_rcpt(void)
{
	struct srv s;
	CHECK(srv_start(&s, "127.0.0.1", SRV_NORMAL) == 0);
	s.refuse_rcpt = "b@example.com";
	srv_run(&s);
	struct pb_smtp_config cfg = local_cfg(s.port);
	struct pb_mail m = sample_mail();
	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_mail_send(&cfg, &m, &err) == -1);
	srv_finish(&s);
	CHECK_STR(err.message, "550 5.1.1 no such user");
	CHECK(s.nrcpt == 1); /* a@ accepted, b@ refused, nothing after */
	CHECK(!s.got_data);
	srv_free(&s);
}

static void test_smtp_server_gone(enum srv_mode mode)
{
	struct srv s;
	CHECK(srv_start(&s, "127.0.0.1", mode) == 0);
	srv_run(&s);
	struct pb_smtp_config cfg = local_cfg(s.port);
	if (mode == SRV_SILENT)
		cfg.timeout_ms = 700;
	struct pb_mail m = sample_mail();
	struct pb_error err = PB_ERROR_INIT;
	time_t t0 = time(NULL);
	CHECK(pb_mail_send(&cfg, &m, &err) == -1);
	CHECK(err.status == 500 && err.message[0] != '\0');
	CHECK(time(NULL) - t0 < 8);
	srv_finish(&s);
	CHECK(!s.got_data);
	srv_free(&s);
}

static void test_smtp_no_plaintext_credentials(void)
{
	/* 127.0.0.2 is not one of Go's localhost names: credentials need STARTTLS, which this
	 * server does not offer, so the send fails before any AUTH */
	struct srv s;
	if (srv_start(&s, "127.0.0.2", SRV_NORMAL) != 0) {
		fprintf(stderr, "note: 127.0.0.2 not bindable, skipping\n");
		close(s.lfd);
		return;
	}
	s.auth = true;
	s.user = "u";
	s.pass = "p";
	srv_run(&s);
	struct pb_smtp_config cfg = local_cfg(s.port);
	cfg.host = "127.0.0.2";
	cfg.username = "u";
	cfg.password = "p";
	struct pb_mail m = sample_mail();
	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_mail_send(&cfg, &m, &err) == -1);
	srv_finish(&s);
	CHECK(s.auth_mech[0] == '\0');
	CHECK(strstr(pb_strbuf_cstr(&s.cmds), "AUTH") == NULL);
	CHECK(strstr(pb_strbuf_cstr(&s.cmds), "STARTTLS") == NULL); /* not offered, not tried */
	CHECK(!s.got_data);
	srv_free(&s);

	/* without credentials the same host is fine over plain text (STARTTLS only if offered) */
	CHECK(srv_start(&s, "127.0.0.2", SRV_NORMAL) == 0);
	srv_run(&s);
	cfg = local_cfg(s.port);
	cfg.host = "127.0.0.2";
	pb_error_clear(&err);
	CHECK(pb_mail_send(&cfg, &m, &err) == 0);
	srv_finish(&s);
	CHECK(s.got_data);
	srv_free(&s);
}

static void test_smtp_starttls_refused(void)
{
	/* STARTTLS is tried whenever offered; when the server then refuses it, the send fails
	 * (as in Go) and the message does not go out in plain text */
	struct srv s;
	CHECK(srv_start(&s, "127.0.0.1", SRV_NORMAL) == 0);
	s.starttls = true;
	srv_run(&s);
	struct pb_smtp_config cfg = local_cfg(s.port);
	struct pb_mail m = sample_mail();
	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_mail_send(&cfg, &m, &err) == -1);
	srv_finish(&s);
	CHECK(strstr(pb_strbuf_cstr(&s.cmds), "EHLO localhost\nSTARTTLS\n") != NULL);
	CHECK_STR(err.message, "454 4.7.0 TLS not available due to local problem");
	CHECK(s.mail_from[0] == '\0' && s.nrcpt == 0 && !s.got_data); /* stopped right there */
	srv_free(&s);
}

static void test_smtp_implicit_tls(void)
{
	/* tls=true speaks TLS first (smtps): our plain server sees a ClientHello, not EHLO */
	struct srv s;
	CHECK(srv_start(&s, "127.0.0.1", SRV_NORMAL) == 0);
	srv_run(&s);
	struct pb_smtp_config cfg = local_cfg(s.port);
	cfg.tls = true;
	cfg.timeout_ms = 3000;
	struct pb_mail m = sample_mail();
	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_mail_send(&cfg, &m, &err) == -1);
	srv_finish(&s);
	CHECK(s.ehlo[0] == '\0');
	CHECK((unsigned char)s.first_line[0] == 0x16); /* TLS handshake record */
	CHECK(!s.got_data);
	srv_free(&s);
}

static void test_smtp_invalid_config(void)
{
	struct pb_mail m = sample_mail();
	struct pb_error err = PB_ERROR_INIT;
	struct pb_smtp_config cfg = {.enabled = true, .host = "evil/host?x", .port = 25};
	CHECK(pb_mail_send(&cfg, &m, &err) == -1 && strstr(err.message, "invalid SMTP host"));
	pb_error_clear(&err);
	cfg.host = "127.0.0.1";
	cfg.port = 0;
	CHECK(pb_mail_send(&cfg, &m, &err) == -1 && strstr(err.message, "invalid SMTP port"));
	pb_error_clear(&err);
	cfg.port = 25;
	struct pb_mail none = {.from_address = "a@b.c", .subject = "x"};
	CHECK(pb_mail_send(&cfg, &none, &err) == -1 && strstr(err.message, "no recipients"));
}

/* ---- sendmail and the fallback ---- */

static char tmpdir[64];

static void write_script(const char *name, const char *body)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	fputs(body, f);
	fclose(f);
	chmod(path, 0755);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return strdup("(missing)");
	struct pb_strbuf b = PB_STRBUF_INIT;
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		pb_strbuf_append(&b, buf, n);
	fclose(f);
	return pb_strbuf_steal(&b);
}

static const char *suffixed(const char *path, const char *suffix, char out[300])
{
	snprintf(out, 300, "%s%s", path, suffix);
	return out;
}

static bool system_sendmail(void)
{
	return access("/usr/sbin/sendmail", X_OK) == 0 || access("/usr/bin/sendmail", X_OK) == 0;
}

static void test_sendmail(void)
{
	char bin[128], path[256], tmp[300];
	snprintf(bin, sizeof bin, "%s/bin", tmpdir);
	mkdir(bin, 0755);
	write_script("bin/sendmail", "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$0.args\"\n/bin/cat > \"$0.stdin\"\n");
	write_script("fail", "#!/bin/sh\n/bin/cat >/dev/null\necho oops >&2\nexit 3\n");
	write_script("early", "#!/bin/sh\nexit 0\n");
	write_script("killed", "#!/bin/sh\nkill -9 $$\n");

	struct pb_mail m = sample_mail();
	struct pb_error err = PB_ERROR_INIT;
	snprintf(path, sizeof path, "%s/sendmail", bin);
	CHECK(pb_mail_sendmail_run(path, &m, &err) == 0);
	char *args = slurp(suffixed(path, ".args", tmp));
	CHECK_STR(args, "-i\n-t\n");
	free(args);
	char *in = slurp(suffixed(path, ".stdin", tmp));
	struct pb_strbuf want = PB_STRBUF_INIT;
	pb_mail_mime_build_sendmail(&m, &want);
	CHECK_STR(in, pb_strbuf_cstr(&want));
	CHECK(strncmp(in, "Bcc: h@example.com\r\nCc: c@example.com\r\nContent-Type: text/html; charset=UTF-8\r\n"
	                  "From: \"Acme Support\" <support@example.com>\r\n", 120) == 0);
	pb_strbuf_deinit(&want);
	free(in);

	snprintf(path, sizeof path, "%s/fail", tmpdir);
	CHECK(pb_mail_sendmail_run(path, &m, &err) == -1);
	CHECK_STR(err.message, "exit status 3");
	pb_error_clear(&err);
	snprintf(path, sizeof path, "%s/killed", tmpdir);
	CHECK(pb_mail_sendmail_run(path, &m, &err) == -1);
	CHECK_STR(err.message, "signal: killed");
	pb_error_clear(&err);
	/* a sendmail that exits without reading: no SIGPIPE, success by exit status */
	snprintf(path, sizeof path, "%s/early", tmpdir);
	char big[200000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	struct pb_mail bm = m;
	bm.html = big;
	CHECK(pb_mail_sendmail_run(path, &bm, &err) == 0);
	pb_error_clear(&err);
	snprintf(path, sizeof path, "%s/missing", tmpdir);
	CHECK(pb_mail_sendmail_run(path, &m, &err) == -1);
	pb_error_clear(&err);

	if (system_sendmail()) {
		fprintf(stderr, "note: a system sendmail exists, skipping the PATH lookup checks\n");
		return;
	}
	char pathenv[512];
	snprintf(pathenv, sizeof pathenv, "relative/dir::%s/nope:%s", tmpdir, bin);
	char *found = pb_mail_sendmail_find(pathenv);
	snprintf(path, sizeof path, "%s/sendmail", bin);
	CHECK_STR(found, path);
	free(found);
	CHECK(pb_mail_sendmail_find("bin:relative") == NULL);
	CHECK(pb_mail_sendmail_find(NULL) == NULL);

	/* pb_mail_send with SMTP off uses the sendmail found on PATH */
	remove(suffixed(path, ".stdin", tmp));
	char *old_path = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	setenv("PATH", bin, 1);
	struct pb_smtp_config off = {.enabled = false, .host = "smtp.example.com", .port = 587};
	CHECK(pb_mail_send(&off, &m, &err) == 0);
	in = slurp(suffixed(path, ".stdin", tmp));
	CHECK(strstr(in, "Subject: =?utf-8?q?Willkommen_bei_Acme_=E2=80=93_bitte_best=C3=A4tigen?=\r\n") != NULL);
	free(in);

	/* no sendmail at all: logged to stderr (recipients and subject, no body), success */
	setenv("PATH", tmpdir, 1); /* holds no "sendmail" */
	char logpath[256];
	snprintf(logpath, sizeof logpath, "%s/stderr.log", tmpdir);
	fflush(stderr);
	int saved = dup(2);
	int fd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	dup2(fd, 2);
	close(fd);
	int rc1 = pb_mail_send(&off, &m, &err);
	int rc2 = pb_mail_send(NULL, &m, &err);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	if (old_path) {
		setenv("PATH", old_path, 1);
		free(old_path);
	}
	CHECK(rc1 == 0 && rc2 == 0);
	char *log = slurp(logpath);
	CHECK(strstr(log, "mail not sent: SMTP is not configured") != NULL);
	CHECK(strstr(log, "to: John Doe <a@example.com>, b@example.com, c@example.com, Hidden <h@example.com>; "
	                  "subject: \"Willkommen bei Acme \xe2\x80\x93 bitte best\xc3\xa4tigen\"\n") != NULL);
	CHECK(strstr(log, "confirm-verification") == NULL); /* the body (and its token) is never logged */
	char *second = strstr(log, "\n");
	CHECK(second && strstr(second + 1, "mail not sent") != NULL);
	free(log);
}

static void test_settings_read(void)
{
	json_t *s = json_loads("{\"smtp\":{\"enabled\":true,\"port\":465,\"host\":\"smtp.acme.test\",\"username\":\"u\","
	                       "\"password\":\"p\",\"authMethod\":\"LOGIN\",\"tls\":true,\"localName\":\"acme.test\"},"
	                       "\"meta\":{\"appName\":\"Acme\",\"senderName\":\"Support\",\"senderAddress\":\"s@acme.test\"}}",
	                       0, NULL);
	struct pb_smtp_config c;
	const char *name, *addr;
	pb_mail_settings_read(s, &c, &name, &addr);
	CHECK(c.enabled && c.tls && c.port == 465 && c.timeout_ms == 0);
	CHECK_STR(c.host, "smtp.acme.test");
	CHECK_STR(c.username, "u");
	CHECK_STR(c.password, "p");
	CHECK_STR(c.auth_method, "LOGIN");
	CHECK_STR(c.local_name, "acme.test");
	CHECK_STR(name, "Support");
	CHECK_STR(addr, "s@acme.test");
	json_decref(s);

	s = json_object(); /* nothing set: Go zero values */
	pb_mail_settings_read(s, &c, &name, NULL);
	CHECK(!c.enabled && !c.tls && c.port == 0);
	CHECK_STR(c.host, "");
	CHECK_STR(name, "");
	json_decref(s);
}

int main(void)
{
	CHECK(pb_mailer_global_init() == 0);
	snprintf(tmpdir, sizeof tmpdir, "/tmp/pocketc_mailer_XXXXXX");
	CHECK(mkdtemp(tmpdir) != NULL);

	test_smtp_exact_message();
	test_smtp_public_defaults();
	test_smtp_auth(NULL, "PLAIN", true);
	test_smtp_auth("PLAIN", "PLAIN", true);
	test_smtp_auth("LOGIN", "LOGIN", false);
	test_smtp_auth_rejected();
	test_smtp_refused_rcpt();
	test_smtp_server_gone(SRV_CLOSE_AFTER_GREETING);
	test_smtp_server_gone(SRV_CLOSE_AT_DATA);
	test_smtp_server_gone(SRV_SILENT);
	test_smtp_no_plaintext_credentials();
	test_smtp_starttls_refused();
	test_smtp_implicit_tls();
	test_smtp_invalid_config();
	test_sendmail();
	test_settings_read();

	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cleanup failed\n");
	pb_mailer_global_cleanup();
	TEST_DONE();
}
