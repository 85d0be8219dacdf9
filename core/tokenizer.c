/* tokenizer — quote- and parenthesis-aware splitting like PocketBase's tools/tokenizer
 * (see tokenizer.h). A token ends at a separator met outside quotes and parentheses; an
 * escaped character (preceded by a backslash) neither opens nor closes a quote or group;
 * a group or quote still open at the end of the input is an error. */
#include "core/tokenizer.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "core/utf8.h"

static bool is_sep(const char *seps, uint32_t cp) { return cp && cp < 0x80 && strchr(seps, (int)cp) != NULL; }

static bool is_trimmed(const char *seps, uint32_t cp)
{
	bool ws =
	    cp == '\t' || cp == '\n' || cp == '\v' || cp == '\f' || cp == '\r' || cp == ' ' || cp == 0x85 || cp == 0xA0;
	return ws && !is_sep(seps, cp);
}

/* strings.Trim with the whitespace cutset; returns a new string. */
static char *trim(const char *seps, const char *s, size_t len)
{
	size_t start = 0, end = len;
	while (start < end) {
		uint32_t cp;
		size_t k = pb_utf8_decode(s + start, end - start, &cp);
		if (!is_trimmed(seps, cp))
			break;
		start += k;
	}
	while (end > start) { /* the token holds valid UTF-8 (re-encoded runes) */
		size_t b = end - 1;
		while (b > start && ((unsigned char)s[b] & 0xC0) == 0x80)
			b--;
		uint32_t cp;
		pb_utf8_decode(s + b, end - b, &cp);
		if (!is_trimmed(seps, cp))
			break;
		end = b;
	}
	char *out = malloc(end - start + 1);
	if (!out)
		abort();
	memcpy(out, s + start, end - start);
	out[end - start] = '\0';
	return out;
}

static void quote_for_error(struct pb_strbuf *out, const char *s, size_t len)
{
	pb_strbuf_putc(out, '"');
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"' || s[i] == '\\')
			pb_strbuf_putc(out, '\\');
		pb_strbuf_putc(out, s[i]);
	}
	pb_strbuf_putc(out, '"');
}

char **pb_tokenize(const char *s, const struct pb_tokenizer_opts *o, size_t *count, struct pb_error *err)
{
	static const struct pb_tokenizer_opts defaults = {NULL, false, false, false};
	if (!o)
		o = &defaults;
	const char *seps = o->separators ? o->separators : ",";
	if (!s)
		s = "";
	size_t len = strlen(s), pos = 0, n = 0, cap = 4;
	char **tokens = malloc(cap * sizeof *tokens);
	struct pb_strbuf buf = PB_STRBUF_INIT;
	if (!tokens)
		abort();
	while (pos < len) {
		int parens = 0;
		uint32_t quote = 0, prev = 0;
		pb_strbuf_reset(&buf);
		while (pos < len) {
			uint32_t ch;
			pos += pb_utf8_decode(s + pos, len - pos, &ch);
			if (prev != '\\') {
				if (!o->ignore_parens && ch == '(' && !quote)
					parens++;
				else if (!o->ignore_parens && ch == ')' && parens > 0 && !quote)
					parens--;
				else if (ch == '\'' || ch == '"' || ch == '`') {
					if (quote == ch)
						quote = 0;
					else if (!quote)
						quote = ch;
				}
			}
			char enc[4];
			size_t enc_len = pb_utf8_encode(ch, enc);
			if (is_sep(seps, ch) && parens == 0 && !quote) {
				if (o->keep_separator)
					pb_strbuf_append(&buf, enc, enc_len);
				break;
			}
			prev = ch;
			pb_strbuf_append(&buf, enc, enc_len);
		}
		if (parens > 0 || quote) {
			struct pb_strbuf msg = PB_STRBUF_INIT;
			quote_for_error(&msg, pb_strbuf_cstr(&buf), buf.len);
			pb_error_set(err, 400, "unbalanced parenthesis or quoted expression: %s", pb_strbuf_cstr(&msg));
			pb_strbuf_deinit(&msg);
			pb_strbuf_deinit(&buf);
			tokens[n] = NULL;
			pb_tokens_free(tokens);
			return NULL;
		}
		char *t = trim(seps, pb_strbuf_cstr(&buf), buf.len);
		if (!*t && !o->keep_empty) {
			free(t);
			continue;
		}
		if (n + 2 > cap) {
			cap *= 2;
			tokens = realloc(tokens, cap * sizeof *tokens);
			if (!tokens)
				abort();
		}
		tokens[n++] = t;
	}
	pb_strbuf_deinit(&buf);
	tokens[n] = NULL;
	if (count)
		*count = n;
	return tokens;
}

void pb_tokens_free(char **tokens)
{
	if (!tokens)
		return;
	for (char **t = tokens; *t; t++)
		free(*t);
	free(tokens);
}
