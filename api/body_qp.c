/* body_qp — Go's mime/quotedprintable reader, which mime/multipart applies to parts sent
 * with "Content-Transfer-Encoding: quoted-printable". Lines are read as Go's 4096-byte
 * bufio.Reader delivers them; trailing spaces, tabs, CR and LF are dropped and the line
 * ending restored unless the line ends in a soft break '='; "=XX" (either case) decodes a
 * byte, a '=' not followed by two hex digits is kept literally when another byte that is not
 * CR/LF follows it, and unescaped control bytes other than TAB/CR/LF are errors. */
#include "api/body_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/text.h"

#define QP_LINE_MAX 4096

static bool is_discard(unsigned char c)
{
	return c == '\n' || c == '\r' || c == ' ' || c == '\t';
}

/* Decodes one prepared line (soft break removed or line ending restored). */
static int decode_line(const unsigned char *s, size_t n, struct pb_strbuf *out)
{
	for (size_t j = 0; j < n; j++) {
		unsigned char b = s[j];
		if (b == '=') {
			int h = j + 1 < n ? pb_text_hex_value(s[j + 1]) : -1;
			int l = j + 2 < n ? pb_text_hex_value(s[j + 2]) : -1;
			if (h >= 0 && l >= 0) {
				pb_strbuf_putc(out, (char)(h << 4 | l));
				j += 2;
				continue;
			}
			if (j + 1 < n && s[j + 1] != '\r' && s[j + 1] != '\n') {
				pb_strbuf_putc(out, '=');
				continue;
			}
			return -1;
		}
		if (b < ' ' && b != '\t' && b != '\r' && b != '\n')
			return -1;
		if (b == 0x7f)
			return -1;
		pb_strbuf_putc(out, (char)b);
	}
	return 0;
}

unsigned char *pb_body_qp_decode(const unsigned char *in, size_t len, size_t *out_len)
{
	struct pb_strbuf out = PB_STRBUF_INIT;
	struct pb_strbuf line = PB_STRBUF_INIT;
	size_t i = 0;
	while (i < len) {
		size_t rem = len - i;
		const unsigned char *nl = memchr(in + i, '\n', rem < QP_LINE_MAX ? rem : QP_LINE_MAX);
		if (!nl && rem >= QP_LINE_MAX)
			goto fail; /* bufio.ErrBufferFull */
		size_t k = nl ? (size_t)(nl - (in + i)) + 1 : rem;
		bool eof = !nl;
		const unsigned char *whole = in + i;
		i += k;
		bool has_lf = whole[k - 1] == '\n';
		bool has_crlf = has_lf && k >= 2 && whole[k - 2] == '\r';
		size_t t = k;
		while (t > 0 && is_discard(whole[t - 1]))
			t--;
		pb_strbuf_reset(&line);
		if (t > 0 && whole[t - 1] == '=') {
			const unsigned char *rs = whole + t;
			size_t rsn = k - t;
			t--;
			bool ok = (rsn >= 1 && rs[0] == '\n') || (rsn >= 2 && rs[0] == '\r' && rs[1] == '\n') ||
			          (rsn == 0 && t > 0 && eof);
			if (!ok)
				goto fail;
			pb_strbuf_append(&line, whole, t);
		} else {
			pb_strbuf_append(&line, whole, t);
			if (has_lf)
				pb_strbuf_append(&line, has_crlf ? "\r\n" : "\n", has_crlf ? 2 : 1);
		}
		if (decode_line((const unsigned char *)pb_strbuf_cstr(&line), line.len, &out) < 0)
			goto fail;
	}
	pb_strbuf_deinit(&line);
	*out_len = out.len;
	return (unsigned char *)pb_strbuf_steal(&out);
fail:
	pb_strbuf_deinit(&line);
	pb_strbuf_deinit(&out);
	return NULL;
}
