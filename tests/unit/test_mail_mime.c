/* test_mail_mime — the encodings and the assembled bytes of outgoing mail against what
 * PocketBase's Go stack writes: mime.QEncoding/BEncoding words, quoted-printable bodies,
 * net/mail address strings, mailyak's SMTP message and sendmail.go's message. Expected values
 * come from running those Go packages (mailyak v3.6.2, Go's mime, mime/quotedprintable,
 * net/mail, net/http) on the same inputs; random parts (boundaries, Date, Message-ID) are
 * fixed through pb_mail_mime_params. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/mail_encode.h"
#include "core/mail_mime.h"
#include "test.h"

struct pair {
	const char *in, *out;
};

static const struct pair qvec[] = {
	{"hello",
	 "hello"},
	{"Verify your Acme email",
	 "Verify your Acme email"},
	{"\xc3\x9cn\xc3\xaf""c\xc3\xb6""d\xc3\xa9 subject",
	 "=?UTF-8?q?=C3=9Cn=C3=AFc=C3=B6d=C3=A9_subject?="},
	{"a_b=c?d",
	 "a_b=c?d"},
	{"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},
	{"\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc",
	 "=?UTF-8?q?=C3=BC=C3=BC=C3=BC=C3=BC=C3=BC=C3=BC=C3=BC=C3=BC=C3=BC=C3=BC?= =?UTF-8?q?=C3=BC=C3=BC=C3=BC=C3=BC=C3=BC=C3=BC=C3=BC=C3=BC=C3=BC=C3=BC?= =?UTF-8?q?=C3=BC=C3=BC=C3=BC=C3=BC=C3=BC=C3=BC=C3=BC=C3=BC=C3=BC=C3=BC?= =?UTF-8?q?=C3=BC=C3=BC=C3=BC=C3=BC=C3=BC=C3=BC=C3=BC=C3=BC=C3=BC=C3=BC?="},
	{"tab\there",
	 "tab\there"},
	{"new\nline",
	 "=?UTF-8?q?new=0Aline?="},
	{"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\x86\xe3\x82\xad\xe3\x82\xb9\xe3\x83\x88\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\x86\xe3\x82\xad\xe3\x82\xb9\xe3\x83\x88\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\x86\xe3\x82\xad\xe3\x82\xb9\xe3\x83\x88\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\x86\xe3\x82\xad\xe3\x82\xb9\xe3\x83\x88\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\x86\xe3\x82\xad\xe3\x82\xb9\xe3\x83\x88",
	 "=?UTF-8?q?=E6=97=A5=E6=9C=AC=E8=AA=9E=E3=81=AE=E3=83=86=E3=82=AD=E3=82=B9?= =?UTF-8?q?=E3=83=88=E6=97=A5=E6=9C=AC=E8=AA=9E=E3=81=AE=E3=83=86=E3=82=AD?= =?UTF-8?q?=E3=82=B9=E3=83=88=E6=97=A5=E6=9C=AC=E8=AA=9E=E3=81=AE=E3=83=86?= =?UTF-8?q?=E3=82=AD=E3=82=B9=E3=83=88=E6=97=A5=E6=9C=AC=E8=AA=9E=E3=81=AE?= =?UTF-8?q?=E3=83=86=E3=82=AD=E3=82=B9=E3=83=88=E6=97=A5=E6=9C=AC=E8=AA=9E?= =?UTF-8?q?=E3=81=AE=E3=83=86=E3=82=AD=E3=82=B9=E3=83=88?="},
	{"\xc3\xbf",
	 "=?UTF-8?q?=C3=BF?="},
};

static const struct pair bvec[] = {
	{"\xc3\xbc, x",
	 "=?utf-8?b?w7wsIHg=?="},
	{"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
	 "=?utf-8?b?w6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6k=?= =?utf-8?b?w6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6k=?= =?utf-8?b?w6nDqcOpw6nDqcOp?="},
	{"plain",
	 "plain"},
};

static const struct pair qpvec[] = {
	{"hello",
	 "hello"},
	{"a=b",
	 "a=3Db"},
	{"trailing space \nnext",
	 "trailing space=20\r\nnext"},
	{"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=\r\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=\r\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},
	{"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
	 "=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=\r\n=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=\r\n=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=\r\n=A9=C3=A9=C3=A9"},
	{"line\r\nline2\rline3\n",
	 "line\r\nline2\r\nline3\r\n"},
	{"tab\t",
	 "tab=09"},
	{"==============================",
	 "=3D=3D=3D=3D=3D=3D=3D=3D=3D=3D=3D=3D=3D=3D=3D=3D=3D=3D=3D=3D=3D=3D=3D=3D=3D=\r\n=3D=3D=3D=3D=3D"},
	{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa b",
	 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa =\r\nb"},
	{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=",
	 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=\r\n=3D"},
	{"end with space ",
	 "end with space=20"},
	{".\n..",
	 ".\r\n.."},
};

static const struct {
	const char *name, *addr, *out;
} addrvec[] = {
	{"John Doe", "test1@example.com", "\"John Doe\" <test1@example.com>"},
	{"", "a@b.c", "<a@b.c>"},
	{"J\xc3\xb6hn", "a@b.c", "=?utf-8?q?J=C3=B6hn?= <a@b.c>"},
	{"J\xc3\xb6hn, Jr.", "a@b.c", "=?utf-8?b?SsO2aG4sIEpyLg==?= <a@b.c>"},
	{"q\"uote\\", "a@b.c", "\"q\\\"uote\\\\\" <a@b.c>"},
	{"x", "a b@c.d", "\"x\" <\"a b\"@c.d>"},
	{"x", "a..b@c.d", "\"x\" <\"a..b\"@c.d>"},
	{"x", "nodomain", "\"x\" <nodomain@>"},
	{"x", ".a@b", "\"x\" <\".a\"@b>"},
};

static void test_vectors(void)
{
	for (size_t i = 0; i < sizeof qvec / sizeof qvec[0]; i++) {
		struct pb_strbuf b = PB_STRBUF_INIT;
		pb_mail_qencode(&b, "UTF-8", qvec[i].in);
		CHECK_STR(pb_strbuf_cstr(&b), qvec[i].out);
		pb_strbuf_deinit(&b);
	}
	for (size_t i = 0; i < sizeof bvec / sizeof bvec[0]; i++) {
		struct pb_strbuf b = PB_STRBUF_INIT;
		pb_mail_bencode(&b, "utf-8", bvec[i].in);
		CHECK_STR(pb_strbuf_cstr(&b), bvec[i].out);
		pb_strbuf_deinit(&b);
	}
	for (size_t i = 0; i < sizeof qpvec / sizeof qpvec[0]; i++) {
		struct pb_strbuf b = PB_STRBUF_INIT;
		pb_mail_qp(&b, qpvec[i].in, strlen(qpvec[i].in));
		CHECK_STR(pb_strbuf_cstr(&b), qpvec[i].out);
		pb_strbuf_deinit(&b);
	}
	for (size_t i = 0; i < sizeof addrvec / sizeof addrvec[0]; i++) {
		struct pb_strbuf b = PB_STRBUF_INIT;
		pb_mail_address_format(&b, addrvec[i].name, addrvec[i].addr);
		CHECK_STR(pb_strbuf_cstr(&b), addrvec[i].out);
		pb_strbuf_deinit(&b);
	}
	/* the charset is written as given */
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_mail_qencode(&b, "utf-8", "\xc3\xa4");
	CHECK_STR(pb_strbuf_cstr(&b), "=?utf-8?q?=C3=A4?=");
	pb_strbuf_deinit(&b);
}

static void test_base64_lines(void)
{
	unsigned char data[90];
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (unsigned char)(i * 7);
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_mail_base64_lines(&b, "hello world", 11);
	CHECK_STR(pb_strbuf_cstr(&b), "aGVsbG8gd29ybGQ=");
	pb_strbuf_reset(&b);
	pb_mail_base64_lines(&b, data, 45); /* exactly one 60-character line */
	CHECK(b.len == 62 && memcmp(b.data + 60, "\r\n", 2) == 0);
	CHECK(memcmp(b.data, "AAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK+2vcTL0tng5+71/AMKERgfJi00", 60) == 0);
	pb_strbuf_reset(&b);
	pb_mail_base64_lines(&b, data, 46); /* 64 characters: a full line and 4 more */
	CHECK(b.len == 66 && memcmp(b.data + 60, "\r\n", 2) == 0 && strcmp(b.data + 62, "Ow==") == 0);
	pb_strbuf_reset(&b);
	pb_mail_base64_lines(&b, data, 90);
	CHECK(b.len == 124 && memcmp(b.data + 122, "\r\n", 2) == 0 && memcmp(b.data + 60, "\r\n", 2) == 0);
	pb_strbuf_deinit(&b);
}

static void check_parse(const char *in, const char *name, const char *addr)
{
	char *n, *a;
	pb_mail_address_parse(in, &n, &a);
	if (name)
		CHECK_STR(n, name);
	else
		CHECK(n == NULL);
	CHECK_STR(a, addr);
	free(n);
	free(a);
}

static void test_helpers(void)
{
	check_parse("a@b.c", NULL, "a@b.c");
	check_parse("  John Doe <a@b.c> ", "John Doe", "a@b.c");
	check_parse("\"Doe, John\" <a@b.c>", "Doe, John", "a@b.c");
	check_parse("\"q\\\"x\\\\\" <a@b>", "q\"x\\", "a@b");
	check_parse("<a@b.c>", NULL, "a@b.c");
	check_parse("broken <", NULL, "broken <");
	check_parse(NULL, NULL, "");

	char *s = pb_mail_strip_newlines("a\r\nb\nc\rd\r\r\n");
	CHECK_STR(s, "abc\rd\r");
	free(s);

	char d[48];
	setenv("TZ", "UTC0", 1);
	tzset();
	pb_mail_date_format(d, sizeof d, 1700000000);
	CHECK_STR(d, "Tue, 14 Nov 2023 22:13:20 +0000");
	pb_mail_date_format(d, sizeof d, 0);
	CHECK_STR(d, "Thu, 01 Jan 1970 00:00:00 +0000");
	setenv("TZ", "XST-05:30", 1);
	tzset();
	pb_mail_date_format(d, sizeof d, 1700000000);
	CHECK_STR(d, "Wed, 15 Nov 2023 03:43:20 +0530");
	setenv("TZ", "YST+03:30", 1);
	tzset();
	pb_mail_date_format(d, sizeof d, 1700000000);
	CHECK_STR(d, "Tue, 14 Nov 2023 18:43:20 -0330");
	setenv("TZ", "UTC0", 1);
	tzset();
}

static const struct pb_mail_mime_params fixed = {"DATE", "MIXED", "ALT", NULL};
static const struct pb_mail_mime_params fixed_id = {"DATE", "MIXED", "ALT", "<fixed@example.com>"};

static char *build(const struct pb_mail *m, const struct pb_mail_mime_params *p)
{
	struct pb_strbuf b = PB_STRBUF_INIT;
	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_mail_mime_build(m, p, &b, &err) == 0);
	return pb_strbuf_steal(&b);
}

#define X10 "xxxxxxxxxx"

static void test_smtp_messages(void)
{
	/* a PocketBase auth mail: HTML only, the text part derived from it */
	const char *to1[] = {"test@example.com"};
	struct pb_mail m1 = {.from_name = "Support", .from_address = "support@example.com", .to = to1, .nto = 1,
	                     .subject = "Verify your Acme email",
	                     .html = "<p>Hello</p>\n<p><a href=\"http://x/y\">Verify</a></p>"};
	char *s = build(&m1, &fixed_id);
	CHECK_STR(s, "From: Support <support@example.com>\r\n"
	             "MIME-Version: 1.0\r\n"
	             "Date: DATE\r\n"
	             "Subject: Verify your Acme email\r\n"
	             "To: test@example.com\r\n"
	             "Message-ID: <fixed@example.com>\r\n"
	             "Content-Type: multipart/mixed;\r\n"
	             "\tboundary=\"MIXED\"; charset=UTF-8\r\n"
	             "\r\n"
	             "--MIXED\r\n"
	             "Content-Type: multipart/alternative;\r\n"
	             "\tboundary=\"ALT\"\r\n"
	             "\r\n"
	             "--ALT\r\n"
	             "Content-Transfer-Encoding: quoted-printable\r\n"
	             "Content-Type: text/plain; charset=UTF-8\r\n"
	             "\r\n"
	             "Hello=20\r\n"
	             "[Verify](http://x/y)\r\n"
	             "--ALT\r\n"
	             "Content-Transfer-Encoding: quoted-printable\r\n"
	             "Content-Type: text/html; charset=UTF-8\r\n"
	             "\r\n"
	             "<p>Hello</p>\r\n"
	             "<p><a href=3D\"http://x/y\">Verify</a></p>\r\n"
	             "--ALT--\r\n"
	             "\r\n"
	             "--MIXED--\r\n");
	free(s);

	/* non-ASCII sender and subject, named and unnamed recipients, CC, an own text part, extra
	 * headers (Go writes them in map order; here in the given order), a soft line break */
	const char *to2[] = {"John Doe <a@example.com>", "b@example.com"};
	const char *cc2[] = {"c@example.com"};
	const char *bcc2[] = {"hidden@example.com"};
	const struct pb_mail_header h2[] = {{"X-Custom", "v\xc3\xa4lue"}, {"Message-ID", "<m@x>"}};
	struct pb_mail m2 = {.from_name = "S\xc3\xbcpport", .from_address = "support@example.com", .to = to2, .nto = 2,
	                     .cc = cc2, .ncc = 1, .bcc = bcc2, .nbcc = 1,
	                     .subject = "Gr\xc3\xbc\xc3\x9f" "e \xe2\x80\x93 \xe6\x97\xa5\xe6\x9c\xac",
	                     .html = "<p>Gr\xc3\xbc\xc3\x9f" "e " X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 "</p>",
	                     .text = "own text = here ", .headers = h2, .nheaders = 2};
	s = build(&m2, &fixed);
	CHECK_STR(s, "From: =?UTF-8?q?S=C3=BCpport?= <support@example.com>\r\n"
	             "MIME-Version: 1.0\r\n"
	             "Date: DATE\r\n"
	             "Subject: =?UTF-8?q?Gr=C3=BC=C3=9Fe_=E2=80=93_=E6=97=A5=E6=9C=AC?=\r\n"
	             "To: \"John Doe\" <a@example.com>,b@example.com\r\n"
	             "CC: c@example.com\r\n"
	             "X-Custom: =?UTF-8?q?v=C3=A4lue?=\r\n"
	             "Message-ID: <m@x>\r\n"
	             "Content-Type: multipart/mixed;\r\n"
	             "\tboundary=\"MIXED\"; charset=UTF-8\r\n"
	             "\r\n"
	             "--MIXED\r\n"
	             "Content-Type: multipart/alternative;\r\n"
	             "\tboundary=\"ALT\"\r\n"
	             "\r\n"
	             "--ALT\r\n"
	             "Content-Transfer-Encoding: quoted-printable\r\n"
	             "Content-Type: text/plain; charset=UTF-8\r\n"
	             "\r\n"
	             "own text =3D here=20\r\n"
	             "--ALT\r\n"
	             "Content-Transfer-Encoding: quoted-printable\r\n"
	             "Content-Type: text/html; charset=UTF-8\r\n"
	             "\r\n"
	             "<p>Gr=C3=BC=C3=9Fe xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=\r\n"
	             "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx</p>\r\n"
	             "--ALT--\r\n"
	             "\r\n"
	             "--MIXED--\r\n");
	CHECK(strstr(s, "hidden@example.com") == NULL);
	free(s);

	/* no body at all: the headers and one blank line */
	const char *to3[] = {"t@example.com"};
	struct pb_mail m3 = {.from_address = "support@example.com", .to = to3, .nto = 1, .subject = "empty"};
	const struct pb_mail_mime_params p3 = {"DATE", "MIXED", "ALT", "<m@x>"};
	s = build(&m3, &p3);
	CHECK_STR(s, "From: support@example.com\r\n"
	             "MIME-Version: 1.0\r\n"
	             "Date: DATE\r\n"
	             "Subject: empty\r\n"
	             "To: t@example.com\r\n"
	             "Message-ID: <m@x>\r\n"
	             "\r\n");
	free(s);

	/* text only: no HTML alternative */
	struct pb_mail m4 = {.from_name = "S", .from_address = "s@e.com", .to = to3, .nto = 1, .subject = "text only",
	                     .text = "just text\n"};
	s = build(&m4, &p3);
	CHECK_STR(s, "From: S <s@e.com>\r\n"
	             "MIME-Version: 1.0\r\n"
	             "Date: DATE\r\n"
	             "Subject: text only\r\n"
	             "To: t@example.com\r\n"
	             "Message-ID: <m@x>\r\n"
	             "Content-Type: multipart/mixed;\r\n"
	             "\tboundary=\"MIXED\"; charset=UTF-8\r\n"
	             "\r\n"
	             "--MIXED\r\n"
	             "Content-Type: multipart/alternative;\r\n"
	             "\tboundary=\"ALT\"\r\n"
	             "\r\n"
	             "--ALT\r\n"
	             "Content-Transfer-Encoding: quoted-printable\r\n"
	             "Content-Type: text/plain; charset=UTF-8\r\n"
	             "\r\n"
	             "just text\r\n"
	             "\r\n"
	             "--ALT--\r\n"
	             "\r\n"
	             "--MIXED--\r\n");
	free(s);
}

static void test_attachments(void)
{
	const char *to[] = {"t@example.com"};
	const struct pb_mail_attachment att[] = {
		{"a.txt", "hello world", 11, "text/plain", false},
		{"logo.png", "\x89PN", 3, NULL, true},
	};
	struct pb_mail m = {.from_address = "s@example.com", .to = to, .nto = 1, .subject = "files", .html = "<b>x</b>",
	                    .attachments = att, .nattachments = 2};
	char *s = build(&m, &fixed_id);
	CHECK_STR(s, "From: s@example.com\r\n"
	             "MIME-Version: 1.0\r\n"
	             "Date: DATE\r\n"
	             "Subject: files\r\n"
	             "To: t@example.com\r\n"
	             "Message-ID: <fixed@example.com>\r\n"
	             "Content-Type: multipart/mixed;\r\n"
	             "\tboundary=\"MIXED\"; charset=UTF-8\r\n"
	             "\r\n"
	             "--MIXED\r\n"
	             "Content-Type: multipart/alternative;\r\n"
	             "\tboundary=\"ALT\"\r\n"
	             "\r\n"
	             "--ALT\r\n"
	             "Content-Transfer-Encoding: quoted-printable\r\n"
	             "Content-Type: text/plain; charset=UTF-8\r\n"
	             "\r\n"
	             "x\r\n"
	             "--ALT\r\n"
	             "Content-Transfer-Encoding: quoted-printable\r\n"
	             "Content-Type: text/html; charset=UTF-8\r\n"
	             "\r\n"
	             "<b>x</b>\r\n"
	             "--ALT--\r\n"
	             "\r\n"
	             "--MIXED\r\n"
	             "Content-Disposition: attachment;\r\n"
	             "\tfilename=\"a.txt\"; name=\"a.txt\"\r\n"
	             "Content-ID: <a.txt>\r\n"
	             "Content-Transfer-Encoding: base64\r\n"
	             "Content-Type: text/plain;\r\n"
	             "\tfilename=\"a.txt\"; name=\"a.txt\"\r\n"
	             "\r\n"
	             "aGVsbG8gd29ybGQ=\r\n"
	             "--MIXED\r\n"
	             "Content-Disposition: inline;\r\n"
	             "\tfilename=\"logo.png\"; name=\"logo.png\"\r\n"
	             "Content-ID: <logo.png>\r\n"
	             "Content-Transfer-Encoding: base64\r\n"
	             "Content-Type: application/octet-stream;\r\n"
	             "\tfilename=\"logo.png\"; name=\"logo.png\"\r\n"
	             "\r\n"
	             "iVBO\r\n"
	             "--MIXED--\r\n");
	free(s);

	/* attachments without a body: the first part opens the multipart without a blank line */
	struct pb_mail m2 = {.from_address = "s@example.com", .to = to, .nto = 1, .subject = "f",
	                     .attachments = att, .nattachments = 1};
	s = build(&m2, &fixed_id);
	CHECK(strstr(s, "charset=UTF-8\r\n\r\n--MIXED\r\nContent-Disposition: attachment;") != NULL);
	CHECK(strstr(s, "ALT") == NULL);
	free(s);
}

static bool all_in(const char *s, size_t n, const char *set)
{
	for (size_t i = 0; i < n; i++)
		if (!s[i] || !strchr(set, s[i]))
			return false;
	return true;
}

static void test_generated_parts(void)
{
	/* header injection through the subject, a name or an address collapses to one line */
	const char *to[] = {"Eve\r\nBcc: x@evil <t@example.com\r\n>"};
	struct pb_mail m = {.from_name = "A\r\nB", .from_address = "s@example.com\r\nX-Evil: 1", .to = to, .nto = 1,
	                    .subject = "Hi\r\nBcc: evil@example.com", .html = "<p>x</p>"};
	char *s = build(&m, NULL);
	CHECK(strstr(s, "\r\nBcc:") == NULL);
	CHECK(strstr(s, "\r\nX-Evil") == NULL);
	CHECK(strstr(s, "Subject: HiBcc: evil@example.com\r\n") != NULL);

	/* generated Date, boundaries and Message-ID */
	const char *d = strstr(s, "\r\nDate: ");
	CHECK(d && strlen(d) > 40 && d[8 + 3] == ',' && d[8 + 25] == ' ' && (d[8 + 26] == '+' || d[8 + 26] == '-'));
	const char *mb = strstr(s, "multipart/mixed;\r\n\tboundary=\"");
	const char *ab = strstr(s, "multipart/alternative;\r\n\tboundary=\"");
	CHECK(mb && ab);
	if (mb && ab) {
		mb += strlen("multipart/mixed;\r\n\tboundary=\"");
		ab += strlen("multipart/alternative;\r\n\tboundary=\"");
		CHECK(all_in(mb, 60, "0123456789abcdef") && mb[60] == '"');
		CHECK(all_in(ab, 60, "0123456789abcdef") && ab[60] == '"');
		CHECK(memcmp(mb, ab, 60) != 0);
	}
	const char *id = strstr(s, "\r\nMessage-ID: <");
	CHECK(id != NULL);
	if (id) {
		id += strlen("\r\nMessage-ID: <");
		CHECK(all_in(id, 15, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"));
		CHECK(strncmp(id + 15, "@example.comX-Evil: 1>\r\n", 24) == 0);
	}
	free(s);

	/* no Message-ID when the sender address has no single '@' (strings.Split(addr, "@")) */
	struct pb_mail m2 = {.from_address = "a@b@c", .to = to, .nto = 1, .subject = "s"};
	s = build(&m2, NULL);
	CHECK(strstr(s, "Message-ID") == NULL);
	free(s);
}

static void test_sendmail_message(void)
{
	const char *to[] = {"X <a@example.com>", "b@example.com"};
	const char *cc[] = {"c@example.com"};
	struct pb_mail m = {.from_name = "S\xc3\xbcpport Team", .from_address = "support@example.com", .to = to, .nto = 2,
	                    .cc = cc, .ncc = 1, .subject = "Gr\xc3\xbc\xc3\x9f" "e\nzwei", .html = "<p>hi</p>", .text = "t"};
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_mail_mime_build_sendmail(&m, &b);
	CHECK_STR(pb_strbuf_cstr(&b), "Cc: c@example.com\r\n"
	                              "Content-Type: text/html; charset=UTF-8\r\n"
	                              "From: =?utf-8?q?S=C3=BCpport_Team?= <support@example.com>\r\n"
	                              "Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe=0Azwei?=\r\n"
	                              "To: a@example.com,b@example.com\r\n"
	                              "\r\n"
	                              "<p>hi</p>");
	pb_strbuf_reset(&b);
	const char *to2[] = {"a@example.com"};
	struct pb_mail m2 = {.from_address = "support@example.com", .to = to2, .nto = 1, .subject = "plain",
	                     .text = "text body"};
	pb_mail_mime_build_sendmail(&m2, &b);
	CHECK_STR(pb_strbuf_cstr(&b), "Content-Type: text/html; charset=UTF-8\r\n"
	                              "From: <support@example.com>\r\n"
	                              "Subject: plain\r\n"
	                              "To: a@example.com\r\n"
	                              "\r\n"
	                              "text body");
	pb_strbuf_deinit(&b);
}

int main(void)
{
	test_vectors();
	test_base64_lines();
	test_helpers();
	test_smtp_messages();
	test_attachments();
	test_generated_parts();
	test_sendmail_message();
	TEST_DONE();
}
