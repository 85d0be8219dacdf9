/* mail_mime — assembling a message in the SMTP (mailyak) and sendmail layouts PocketBase uses
 * (see mail_mime.h for both shapes). */
#include "core/mail_mime.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/html2text.h"
#include "core/mail_encode.h"
#include "core/random.h"

#define BOUNDARY_LEN 60 /* hex of 30 random bytes */

/* Appends one recipient the way PocketBase lists it in To/CC: "Name" <addr> when named, the
 * bare address otherwise, with line breaks removed. */
static void put_listed_address(struct pb_strbuf *out, const char *in)
{
	char *name, *addr;
	pb_mail_address_parse(in, &name, &addr);
	struct pb_strbuf t = PB_STRBUF_INIT;
	if (name)
		pb_mail_address_format(&t, name, addr);
	else
		pb_strbuf_puts(&t, addr);
	pb_mail_put_oneline(out, pb_strbuf_cstr(&t));
	pb_strbuf_deinit(&t);
	free(name);
	free(addr);
}

static void put_address_list(struct pb_strbuf *out, const char *header, const char *const *list, size_t n)
{
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		struct pb_strbuf one = PB_STRBUF_INIT;
		put_listed_address(&one, list[i]);
		if (one.len) {
			pb_strbuf_puts(out, any ? "," : header);
			pb_strbuf_append(out, one.data, one.len);
			any = true;
		}
		pb_strbuf_deinit(&one);
	}
	if (any)
		pb_strbuf_puts(out, "\r\n");
}

/* Header value as mailyak's setters store it: "\r?\n" removed, then Q-encoded. */
static void put_encoded(struct pb_strbuf *out, const char *value)
{
	char *v = pb_mail_strip_newlines(value);
	pb_mail_qencode(out, "UTF-8", v);
	free(v);
}

/* Go's %q for attachment names: quotes, backslash escapes, invalid bytes as \xNN. */
static void put_go_quoted(struct pb_strbuf *out, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	pb_strbuf_putc(out, '"');
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		unsigned char c = *p;
		switch (c) {
		case '"': pb_strbuf_puts(out, "\\\""); continue;
		case '\\': pb_strbuf_puts(out, "\\\\"); continue;
		case '\a': pb_strbuf_puts(out, "\\a"); continue;
		case '\b': pb_strbuf_puts(out, "\\b"); continue;
		case '\f': pb_strbuf_puts(out, "\\f"); continue;
		case '\n': pb_strbuf_puts(out, "\\n"); continue;
		case '\r': pb_strbuf_puts(out, "\\r"); continue;
		case '\t': pb_strbuf_puts(out, "\\t"); continue;
		case '\v': pb_strbuf_puts(out, "\\v"); continue;
		default: break;
		}
		if (c < 0x20 || c == 0x7F || c >= 0x80) {
			/* keep well-formed multi-byte sequences, escape stray bytes */
			size_t len = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
			size_t k = 1;
			while (len && k < len && (p[k] & 0xC0) == 0x80)
				k++;
			if (len && k == len) {
				pb_strbuf_append(out, p, len);
				p += len - 1;
			} else {
				char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
				pb_strbuf_append(out, e, 4);
			}
			continue;
		}
		pb_strbuf_putc(out, (char)c);
	}
	pb_strbuf_putc(out, '"');
}

static void put_qp_part(struct pb_strbuf *out, const char *alt, bool first, const char *ctype, const char *body)
{
	pb_strbuf_printf(out, "%s--%s\r\n", first ? "" : "\r\n", alt);
	pb_strbuf_puts(out, "Content-Transfer-Encoding: quoted-printable\r\n");
	pb_strbuf_printf(out, "Content-Type: %s; charset=UTF-8\r\n\r\n", ctype);
	pb_mail_qp(out, body, strlen(body));
}

static void put_attachment(struct pb_strbuf *out, const char *mixed, bool first, const struct pb_mail_attachment *a)
{
	const char *type = a->content_type && *a->content_type ? a->content_type : "application/octet-stream";
	pb_strbuf_printf(out, "%s--%s\r\n", first ? "" : "\r\n", mixed);
	pb_strbuf_puts(out, "Content-Disposition: ");
	pb_strbuf_puts(out, a->is_inline ? "inline" : "attachment");
	pb_strbuf_puts(out, ";\r\n\tfilename=");
	put_go_quoted(out, a->name);
	pb_strbuf_puts(out, "; name=");
	put_go_quoted(out, a->name);
	pb_strbuf_puts(out, "\r\nContent-ID: <");
	pb_mail_put_oneline(out, a->name);
	pb_strbuf_puts(out, ">\r\nContent-Transfer-Encoding: base64\r\nContent-Type: ");
	pb_mail_put_oneline(out, type);
	pb_strbuf_puts(out, ";\r\n\tfilename=");
	put_go_quoted(out, a->name);
	pb_strbuf_puts(out, "; name=");
	put_go_quoted(out, a->name);
	pb_strbuf_puts(out, "\r\n\r\n");
	pb_mail_base64_lines(out, a->data, a->len);
}

static bool has_header(const struct pb_mail *m, const char *name)
{
	for (size_t i = 0; i < m->nheaders; i++)
		if (m->headers[i].name && strcasecmp(m->headers[i].name, name) == 0)
			return true;
	return false;
}

int pb_mail_mime_build(const struct pb_mail *m, const struct pb_mail_mime_params *params, struct pb_strbuf *out,
                       struct pb_error *err)
{
	const struct pb_mail_mime_params none = {0};
	const struct pb_mail_mime_params *p = params ? params : &none;
	char date[48], mixed[BOUNDARY_LEN + 1], alt[BOUNDARY_LEN + 1];
	if (p->date)
		snprintf(date, sizeof date, "%s", p->date);
	else
		pb_mail_date_format(date, sizeof date, time(NULL));
	if ((!p->mixed_boundary && pb_random_string(mixed, BOUNDARY_LEN, "0123456789abcdef") != 0) ||
	    (!p->alt_boundary && pb_random_string(alt, BOUNDARY_LEN, "0123456789abcdef") != 0))
		return pb_error_set(err, 500, "failed to generate a MIME boundary");
	const char *mb = p->mixed_boundary ? p->mixed_boundary : mixed;
	const char *ab = p->alt_boundary ? p->alt_boundary : alt;

	/* From, MIME-Version, Date, Subject, To, CC */
	pb_strbuf_puts(out, "From: ");
	if (m->from_name && *m->from_name) {
		put_encoded(out, m->from_name);
		pb_strbuf_puts(out, " <");
		pb_mail_put_oneline(out, m->from_address);
		pb_strbuf_puts(out, ">\r\n");
	} else {
		pb_mail_put_oneline(out, m->from_address);
		pb_strbuf_puts(out, "\r\n");
	}
	pb_strbuf_puts(out, "MIME-Version: 1.0\r\n");
	pb_strbuf_printf(out, "Date: %s\r\n", date);
	pb_strbuf_puts(out, "Subject: ");
	put_encoded(out, m->subject);
	pb_strbuf_puts(out, "\r\n");
	put_address_list(out, "To: ", m->to, m->nto);
	put_address_list(out, "CC: ", m->cc, m->ncc);

	/* extra headers, then the default Message-ID */
	for (size_t i = 0; i < m->nheaders; i++) {
		if (!m->headers[i].name)
			continue;
		pb_mail_put_oneline(out, m->headers[i].name);
		pb_strbuf_puts(out, ": ");
		put_encoded(out, m->headers[i].value);
		pb_strbuf_puts(out, "\r\n");
	}
	if (!has_header(m, "Message-ID")) {
		const char *from = m->from_address ? m->from_address : "";
		const char *at = strchr(from, '@');
		if (p->message_id) {
			pb_strbuf_printf(out, "Message-ID: %s\r\n", p->message_id);
		} else if (at && !strchr(at + 1, '@')) {
			char id[16];
			if (pb_random_string(id, 15, PB_ALPHABET_ALNUM) != 0)
				return pb_error_set(err, 500, "failed to generate a Message-ID");
			pb_strbuf_printf(out, "Message-ID: <%s@", id);
			pb_mail_put_oneline(out, at + 1);
			pb_strbuf_puts(out, ">\r\n");
		}
	}

	const char *html = m->html ? m->html : "";
	char *plain = m->text && *m->text ? strdup(m->text) : pb_html2text(html);
	if (!plain)
		abort();
	bool has_body = *html || *plain;
	if (!has_body && m->nattachments == 0) {
		pb_strbuf_puts(out, "\r\n");
		free(plain);
		return 0;
	}

	pb_strbuf_printf(out, "Content-Type: multipart/mixed;\r\n\tboundary=\"%s\"; charset=UTF-8\r\n\r\n", mb);
	bool first = true;
	if (has_body) {
		pb_strbuf_printf(out, "--%s\r\nContent-Type: multipart/alternative;\r\n\tboundary=\"%s\"\r\n\r\n", mb, ab);
		bool alt_first = true;
		if (*plain) {
			put_qp_part(out, ab, alt_first, "text/plain", plain);
			alt_first = false;
		}
		if (*html)
			put_qp_part(out, ab, alt_first, "text/html", html);
		pb_strbuf_printf(out, "\r\n--%s--\r\n", ab);
		first = false;
	}
	for (size_t i = 0; i < m->nattachments; i++) {
		put_attachment(out, mb, first, &m->attachments[i]);
		first = false;
	}
	pb_strbuf_printf(out, "\r\n--%s--\r\n", mb);
	free(plain);
	return 0;
}

/* http.Header.Write's value cleaning: CR/LF → space, ASCII blanks trimmed. */
static void put_header_line(struct pb_strbuf *out, const char *key, const char *value)
{
	size_t n = strlen(value);
	while (n && strchr(" \t\r\n", value[n - 1]))
		n--;
	while (n && strchr(" \t\r\n", *value))
		value++, n--;
	pb_strbuf_puts(out, key);
	pb_strbuf_puts(out, ": ");
	for (size_t i = 0; i < n; i++)
		pb_strbuf_putc(out, value[i] == '\r' || value[i] == '\n' ? ' ' : value[i]);
	pb_strbuf_puts(out, "\r\n");
}

/* The bare addresses of a list, comma-joined (addressesToStrings without names). */
static char *bare_list(const char *const *list, size_t n)
{
	struct pb_strbuf b = PB_STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		char *name, *addr;
		pb_mail_address_parse(list[i], &name, &addr);
		if (i)
			pb_strbuf_putc(&b, ',');
		pb_strbuf_puts(&b, addr);
		free(name);
		free(addr);
	}
	return pb_strbuf_steal(&b);
}

void pb_mail_mime_build_sendmail(const struct pb_mail *m, struct pb_strbuf *out)
{
	struct pb_strbuf v = PB_STRBUF_INIT;
	char *list;
	if (m->nbcc) {
		list = bare_list(m->bcc, m->nbcc);
		put_header_line(out, "Bcc", list);
		free(list);
	}
	if (m->ncc) {
		list = bare_list(m->cc, m->ncc);
		put_header_line(out, "Cc", list);
		free(list);
	}
	put_header_line(out, "Content-Type", "text/html; charset=UTF-8");
	pb_mail_address_format(&v, m->from_name, m->from_address);
	put_header_line(out, "From", pb_strbuf_cstr(&v));
	pb_strbuf_reset(&v);
	pb_mail_qencode(&v, "utf-8", m->subject ? m->subject : "");
	put_header_line(out, "Subject", pb_strbuf_cstr(&v));
	list = bare_list(m->to, m->nto);
	put_header_line(out, "To", list);
	free(list);
	pb_strbuf_deinit(&v);
	pb_strbuf_puts(out, "\r\n");
	if (m->html && *m->html)
		pb_strbuf_puts(out, m->html);
	else if (m->text)
		pb_strbuf_puts(out, m->text);
}
