/* html_tokenizer — splits HTML bytes into tokens the way golang.org/x/net/html's Tokenizer
 * does (see html_internal.h). Text runs until a '<' that starts a tag ('<' + letter), an end
 * tag ('</'), a markup declaration ('<!') or a processing instruction ('<?'); any other '<'
 * is text. Tags end at the first '>' outside a quoted attribute value; a tag cut off by the
 * end of input is dropped. After the start tag of a raw-text element the following text runs
 * to the matching end tag, case-insensitively (script uses the same rule: its escape states
 * are not modelled). */
#include "core/html_internal.h"

#include <stdio.h>
#include <string.h>

static bool is_ws(unsigned char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f'; }
static bool is_letter(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static unsigned char lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c; }

/* Attributes that make <font> break out of svg/math content. */
static const char *const font_attrs[] = {"\ncolor\n", "\nface\n", "\nsize\n"};

static const char *const raw_tags[] = {"iframe", "noembed", "noframes", "noscript", "plaintext",
                                       "script", "style",   "textarea", "title",    "xmp"};

void pb_html_tokenizer_init(struct pb_html_tokenizer *z, const char *s, size_t len)
{
	z->s = s;
	z->len = len;
	z->pos = 0;
	z->raw_tag[0] = '\0';
	z->allow_cdata = false;
}

void pb_html_tokenizer_not_raw(struct pb_html_tokenizer *z) { z->raw_tag[0] = '\0'; }

/* Sets t to a text token of s[start..end): "\r\n" and "\r" become "\n", NUL becomes U+FFFD
 * when convert_nul, references are decoded unless raw. */
static void emit_text(struct pb_html_tokenizer *z, struct pb_html_token *t, size_t start, size_t end, bool raw,
                      bool convert_nul)
{
	struct pb_strbuf tmp = PB_STRBUF_INIT;
	const char *s = z->s;
	for (size_t i = start; i < end; i++) {
		if (s[i] == '\r') {
			pb_strbuf_putc(&tmp, '\n');
			if (i + 1 < end && s[i + 1] == '\n')
				i++;
		} else if (s[i] == '\0' && convert_nul)
			pb_strbuf_puts(&tmp, "\xef\xbf\xbd");
		else
			pb_strbuf_putc(&tmp, s[i]);
	}
	pb_strbuf_reset(&t->data);
	if (raw)
		pb_strbuf_append(&t->data, tmp.data ? tmp.data : "", tmp.len);
	else
		pb_html_unescape(&t->data, tmp.data ? tmp.data : "", tmp.len);
	pb_strbuf_deinit(&tmp);
	t->type = PB_HTML_TOK_TEXT;
	t->raw = raw;
}

static void skip_ws(struct pb_html_tokenizer *z)
{
	while (z->pos < z->len && is_ws((unsigned char)z->s[z->pos]))
		z->pos++;
}

/* Moves past the next '>' (or to the end). */
static void skip_to_close_angle(struct pb_html_tokenizer *z)
{
	const char *gt = memchr(z->s + z->pos, '>', z->len - z->pos);
	z->pos = gt ? (size_t)(gt - z->s) + 1 : z->len;
}

/* "<!--" already consumed: finds the end of the comment ("-->", "--!>", or "<!-->" /
 * "<!--->" right at the start; unterminated comments run to the end). */
static void skip_comment(struct pb_html_tokenizer *z)
{
	int dashes = 0;
	bool beginning = true;
	while (z->pos < z->len) {
		unsigned char c = (unsigned char)z->s[z->pos++];
		if (c == '-') {
			dashes++;
			continue;
		}
		if (c == '>' && (dashes >= 2 || beginning))
			return;
		if (c == '!' && dashes >= 2) {
			if (z->pos >= z->len)
				return;
			c = (unsigned char)z->s[z->pos++];
			if (c == '>')
				return;
			if (c == '-') {
				dashes = 1;
				beginning = false;
				continue;
			}
		}
		dashes = 0;
		beginning = false;
	}
}

static bool starts_with_ci(const struct pb_html_tokenizer *z, const char *word)
{
	size_t n = strlen(word);
	if (z->len - z->pos < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower((unsigned char)z->s[z->pos + i]) != lower((unsigned char)word[i]))
			return false;
	return true;
}

/* "<!" already consumed. */
static void markup_declaration(struct pb_html_tokenizer *z, struct pb_html_token *t)
{
	t->type = PB_HTML_TOK_COMMENT;
	if (z->len - z->pos < 2) {
		z->pos = z->len;
		return;
	}
	if (z->s[z->pos] == '-' && z->s[z->pos + 1] == '-') {
		z->pos += 2;
		skip_comment(z);
		return;
	}
	if (starts_with_ci(z, "doctype")) {
		z->pos += 7;
		skip_ws(z);
		skip_to_close_angle(z);
		t->type = PB_HTML_TOK_DOCTYPE;
		return;
	}
	if (z->allow_cdata && z->len - z->pos >= 7 && memcmp(z->s + z->pos, "[CDATA[", 7) == 0) {
		size_t start = z->pos + 7, i = start, end = z->len;
		int brackets = 0;
		z->pos = z->len;
		for (; i < z->len; i++) {
			if (z->s[i] == ']')
				brackets++;
			else if (z->s[i] == '>' && brackets >= 2) {
				end = i - 2;
				z->pos = i + 1;
				break;
			} else
				brackets = 0;
		}
		emit_text(z, t, start, end, false, true);
		return;
	}
	skip_to_close_angle(z);
}

/* Reads a tag whose name starts at z->pos. Fills the name (lower case, NUL → U+FFFD) and,
 * for start tags, the self-closing and font-breakout flags. Returns false when the input
 * ends inside the tag. Attribute parsing follows the tokenizer's states closely enough to
 * find the same closing '>' and to tell `<br/>` from `<a href=x/>`. */
static bool read_tag(struct pb_html_tokenizer *z, struct pb_html_token *t, bool start_tag)
{
	const char *s = z->s;
	size_t name_start = z->pos;
	while (z->pos < z->len && !is_ws((unsigned char)s[z->pos]) && s[z->pos] != '/' && s[z->pos] != '>')
		z->pos++;
	if (z->pos >= z->len)
		return false;
	pb_strbuf_reset(&t->data);
	for (size_t i = name_start; i < z->pos; i++) {
		if (s[i] == '\0')
			pb_strbuf_puts(&t->data, "\xef\xbf\xbd");
		else
			pb_strbuf_putc(&t->data, (char)lower((unsigned char)s[i]));
	}
	if (is_ws((unsigned char)s[z->pos]))
		z->pos++;

	struct pb_strbuf seen = PB_STRBUF_INIT; /* "\n" then each saved attribute name and "\n" */
	pb_strbuf_putc(&seen, '\n');
	size_t nattrs = 0, last_val_end = 0;
	bool ok = false;
	for (;;) {
		skip_ws(z);
		if (z->pos >= z->len)
			goto done;
		if (s[z->pos] == '>') {
			z->pos++;
			break;
		}
		/* attribute name; a leading '=' belongs to it */
		size_t kstart = z->pos, kend;
		for (;;) {
			if (z->pos >= z->len) {
				kend = z->pos;
				break;
			}
			char c = s[z->pos++];
			if (c == '=' && z->pos == kstart + 1)
				continue;
			if (c == '=' || c == '/' || c == '>' || is_ws((unsigned char)c)) {
				kend = --z->pos;
				break;
			}
		}
		/* attribute value */
		size_t vend = z->pos;
		skip_ws(z);
		if (z->pos < z->len) {
			char c = s[z->pos++];
			if (c != '/' && c != '=')
				z->pos--;
			else if (c == '=') {
				skip_ws(z);
				if (z->pos < z->len) {
					char q = s[z->pos++];
					if (q == '>')
						z->pos--;
					else if (q == '\'' || q == '"') {
						const char *close = memchr(s + z->pos, q, z->len - z->pos);
						vend = close ? (size_t)(close - s) : z->len;
						z->pos = close ? vend + 1 : z->len;
					} else {
						while (z->pos < z->len && !is_ws((unsigned char)s[z->pos]) && s[z->pos] != '>')
							z->pos++;
						vend = z->pos;
						if (z->pos < z->len && is_ws((unsigned char)s[z->pos]))
							z->pos++;
					}
				}
			}
		}
		if (start_tag && kend > kstart) { /* names never hold whitespace: "\n" delimits them */
			struct pb_strbuf key = PB_STRBUF_INIT;
			pb_strbuf_putc(&key, '\n');
			for (size_t i = kstart; i < kend; i++)
				pb_strbuf_putc(&key, (char)lower((unsigned char)s[i]));
			pb_strbuf_putc(&key, '\n');
			if (!memmem(seen.data, seen.len, key.data, key.len)) {
				pb_strbuf_append(&seen, key.data + 1, key.len - 1);
				nattrs++;
				last_val_end = vend;
				for (size_t k = 0; k < sizeof font_attrs / sizeof *font_attrs; k++)
					if (key.len == strlen(font_attrs[k]) && !memcmp(key.data, font_attrs[k], key.len))
						t->font_breakout = true;
			}
			pb_strbuf_deinit(&key);
		}
	}
	/* <x/>: the byte before '>' is '/', and it is not the last byte of an unquoted value */
	if (start_tag && s[z->pos - 2] == '/' && (nattrs == 0 || z->pos - 2 != last_val_end - 1))
		t->self_closing = true;
	ok = true;
done:
	pb_strbuf_deinit(&seen);
	return ok;
}

/* The text of a raw-text element, up to its end tag. */
static bool raw_text(struct pb_html_tokenizer *z, struct pb_html_token *t)
{
	size_t start = z->pos, end = z->len;
	bool rcdata = !strcmp(z->raw_tag, "textarea") || !strcmp(z->raw_tag, "title");
	if (strcmp(z->raw_tag, "plaintext") != 0) {
		size_t n = strlen(z->raw_tag);
		for (size_t i = start; i + 1 < z->len; i++) {
			if (z->s[i] != '<' || z->s[i + 1] != '/')
				continue;
			size_t k = 0;
			while (k < n && i + 2 + k < z->len && lower((unsigned char)z->s[i + 2 + k]) == (unsigned char)z->raw_tag[k])
				k++;
			if (k < n || i + 2 + n >= z->len)
				continue;
			unsigned char c = (unsigned char)z->s[i + 2 + n];
			if (is_ws(c) || c == '/' || c == '>') {
				end = i;
				break;
			}
		}
	}
	z->raw_tag[0] = '\0';
	z->pos = end;
	if (end == start)
		return false;
	emit_text(z, t, start, end, !rcdata, true);
	return true;
}

void pb_html_next(struct pb_html_tokenizer *z, struct pb_html_token *t)
{
	t->self_closing = false;
	t->font_breakout = false;
	t->raw = false;
	if (z->raw_tag[0] && raw_text(z, t))
		return;
	const char *s = z->s;
	size_t start = z->pos, i = z->pos;
	for (;;) {
		const char *lt = i < z->len ? memchr(s + i, '<', z->len - i) : NULL;
		if (!lt || (size_t)(lt - s) + 1 >= z->len) { /* no tag ahead: the rest is text */
			z->pos = z->len;
			if (z->len > start)
				emit_text(z, t, start, z->len, false, false);
			else
				t->type = PB_HTML_TOK_EOF;
			return;
		}
		i = (size_t)(lt - s);
		unsigned char c = (unsigned char)s[i + 1];
		if (is_letter(c) || c == '/' || c == '!' || c == '?')
			break;
		i++;
	}
	if (i > start) { /* text first, the tag on the next call */
		z->pos = i;
		emit_text(z, t, start, i, false, false);
		return;
	}
	unsigned char c = (unsigned char)s[i + 1];
	z->pos = i + 2;
	if (c == '!') {
		markup_declaration(z, t);
		return;
	}
	if (c == '?') {
		z->pos = i + 1;
		skip_to_close_angle(z);
		t->type = PB_HTML_TOK_COMMENT;
		return;
	}
	if (c == '/') {
		if (z->pos >= z->len) { /* a lone "</" at the end is text */
			emit_text(z, t, i, z->len, false, false);
			return;
		}
		unsigned char d = (unsigned char)s[z->pos];
		if (d == '>') {
			z->pos++;
			t->type = PB_HTML_TOK_COMMENT;
		} else if (is_letter(d)) {
			t->type = read_tag(z, t, false) ? PB_HTML_TOK_END : PB_HTML_TOK_EOF;
		} else {
			skip_to_close_angle(z);
			t->type = PB_HTML_TOK_COMMENT;
		}
		if (t->type == PB_HTML_TOK_EOF)
			z->pos = z->len;
		return;
	}
	z->pos = i + 1;
	if (!read_tag(z, t, true)) {
		z->pos = z->len;
		t->type = PB_HTML_TOK_EOF;
		return;
	}
	t->type = PB_HTML_TOK_START;
	for (size_t k = 0; k < sizeof raw_tags / sizeof *raw_tags; k++)
		if (!strcmp(t->data.data, raw_tags[k]))
			snprintf(z->raw_tag, sizeof z->raw_tag, "%s", raw_tags[k]);
}
