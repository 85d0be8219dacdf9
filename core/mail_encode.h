/* mail_encode — the byte-level encodings of an e-mail message, as Go writes them for
 * PocketBase: RFC 2047 encoded-words (mime.QEncoding / BEncoding .Encode: left unchanged when
 * printable ASCII, split into words of at most 75 bytes at character boundaries),
 * quoted-printable bodies (mime/quotedprintable.Writer: 76-byte lines, soft breaks "=\r\n",
 * trailing blanks encoded, line breaks normalised to CRLF), base64 attachment bodies in
 * 60-column lines (mailyak), the RFC 5322 form of an address (net/mail Address.String), the
 * "Name <addr>" notation accepted by struct pb_mail, and the RFC 1123Z Date header value. */
#ifndef POCKETC_CORE_MAIL_ENCODE_H
#define POCKETC_CORE_MAIL_ENCODE_H

#include <stddef.h>
#include <time.h>

#include "core/strbuf.h"

/* Appends mime.QEncoding.Encode(charset, s) (charset borrowed, e.g. "UTF-8" or "utf-8"). */
void pb_mail_qencode(struct pb_strbuf *out, const char *charset, const char *s);
/* Appends mime.BEncoding.Encode(charset, s). */
void pb_mail_bencode(struct pb_strbuf *out, const char *charset, const char *s);

/* Appends data encoded like a quoted-printable Writer that received all of it and was closed
 * (text mode: CR, LF and CRLF become hard line breaks). */
void pb_mail_qp(struct pb_strbuf *out, const void *data, size_t len);

/* Appends standard padded base64 of data, CRLF after every full 60-character line (no CRLF
 * after a last, shorter line). */
void pb_mail_base64_lines(struct pb_strbuf *out, const void *data, size_t len);

/* Appends net/mail Address{Name: name, Address: addr}.String(): `"John Doe" <a@b.c>`,
 * `<a@b.c>` without a name, non-ASCII names as encoded-words. name may be NULL. */
void pb_mail_address_format(struct pb_strbuf *out, const char *name, const char *addr);

/* Splits "addr" or "Name <addr>" / "\"Quoted Name\" <addr>" (surrounding blanks trimmed,
 * backslash escapes of a quoted name undone). *name (NULL when there is none) and *addr are
 * malloc'd; the caller frees both. Never fails (an unparsable input is all address). */
void pb_mail_address_parse(const char *in, char **name, char **addr);

/* Writes t as Go's time.RFC1123Z in local time ("Mon, 02 Jan 2006 15:04:05 -0700") into buf
 * (at least 32 bytes). */
void pb_mail_date_format(char *buf, size_t cap, time_t t);

/* Returns a malloc'd copy of s without its "\r?\n" sequences (mailyak's trimming of header
 * values before they are encoded; a lone CR stays and is then encoded). s NULL → "". */
char *pb_mail_strip_newlines(const char *s);

/* Appends s with every CR and LF removed: for values written into a header unencoded
 * (addresses), where a lone CR must not survive either. s NULL → nothing. */
void pb_mail_put_oneline(struct pb_strbuf *out, const char *s);

#endif
