/* filter_lexer — tokenizer of the filter language (see filter_lexer.h). Mirrors the fexpr
 * scanner used by PocketBase v0.39.11: identifier/number/text/sign/join/comment rules and
 * their errors; `\r` is accepted as whitespace like newer fexpr versions. */
#include "collections/filter_lexer.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "core/text.h"

void pb_flexer_init(struct pb_flexer *lx, const char *src, size_t len)
{
	lx->src = src;
	lx->len = len;
	lx->pos = 0;
}

void pb_flex_token_clear(struct pb_flex_token *tok)
{
	free(tok->text);
	memset(tok, 0, sizeof *tok);
}

static bool is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_space(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
static bool is_sign_char(int c) { return c == '=' || c == '?' || c == '!' || c == '>' || c == '<' || c == '~'; }

static void set_text(struct pb_flex_token *tok, const char *s, size_t n)
{
	tok->text = malloc(n + 1);
	if (!tok->text)
		abort();
	memcpy(tok->text, s, n);
	tok->text[n] = '\0';
	tok->len = n;
}

static int read_hex4(const char *s, size_t n, size_t i, uint32_t *out)
{
	if (i + 4 > n)
		return -1;
	uint32_t v = 0;
	for (size_t k = 0; k < 4; k++) {
		int h = pb_text_hex_value((unsigned char)s[i + k]);
		if (h < 0)
			return -1;
		v = v * 16 + (uint32_t)h;
	}
	*out = v;
	return 0;
}

static void put_utf8(struct pb_strbuf *b, uint32_t cp)
{
	char u[4];
	if (cp < 0x80) {
		pb_strbuf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		pb_strbuf_append(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		pb_strbuf_append(b, u, 3);
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		pb_strbuf_append(b, u, 4);
	}
}

/* Decodes the body of a quoted text (without the quotes). */
static void decode_text(const char *s, size_t n, struct pb_flex_token *tok)
{
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_strbuf_reserve(&b, n + 1);
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c != '\\' || i + 1 >= n) {
			pb_strbuf_putc(&b, c);
			continue;
		}
		char e = s[i + 1];
		uint32_t cp, lo;
		switch (e) {
		case '"': case '\'': case '\\': case '/': pb_strbuf_putc(&b, e); i++; break;
		case 'n': pb_strbuf_putc(&b, '\n'); i++; break;
		case 'r': pb_strbuf_putc(&b, '\r'); i++; break;
		case 't': pb_strbuf_putc(&b, '\t'); i++; break;
		case 'b': pb_strbuf_putc(&b, '\b'); i++; break;
		case 'f': pb_strbuf_putc(&b, '\f'); i++; break;
		case 'u':
			if (read_hex4(s, n, i + 2, &cp) != 0) {
				pb_strbuf_putc(&b, c); /* not a valid escape: keep verbatim */
				break;
			}
			i += 5;
			if (cp >= 0xD800 && cp <= 0xDBFF && i + 2 < n && s[i + 1] == '\\' && s[i + 2] == 'u' &&
			    read_hex4(s, n, i + 3, &lo) == 0 && lo >= 0xDC00 && lo <= 0xDFFF) {
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				i += 6;
			} else if (cp >= 0xD800 && cp <= 0xDFFF) {
				cp = 0xFFFD;
			}
			put_utf8(&b, cp);
			break;
		default:
			/* unknown escape: keep the backslash and the char (LIKE escapes) */
			pb_strbuf_putc(&b, c);
			pb_strbuf_putc(&b, e);
			i++;
			break;
		}
	}
	tok->len = b.len;
	tok->text = pb_strbuf_steal(&b);
}

static int lex_error(struct pb_error *err, const char *what, size_t pos)
{
	return pb_error_set(err, 400, "Invalid filter: %s at position %zu.", what, pos);
}

int pb_flexer_next(struct pb_flexer *lx, struct pb_flex_token *tok, struct pb_error *err)
{
	memset(tok, 0, sizeof *tok);
	const char *s = lx->src;
	size_t n = lx->len;

	for (;;) {
		while (lx->pos < n && is_space((unsigned char)s[lx->pos]))
			lx->pos++;
		if (lx->pos < n && s[lx->pos] == '/') {
			if (lx->pos + 1 >= n || s[lx->pos + 1] != '/')
				return lex_error(err, "unexpected character '/'", lx->pos);
			while (lx->pos < n && s[lx->pos] != '\n')
				lx->pos++;
			continue;
		}
		break;
	}
	if (lx->pos >= n) {
		tok->kind = PB_FLEX_EOF;
		return 0;
	}

	size_t start = lx->pos;
	int c = (unsigned char)s[start];

	if (c == '(' || c == ')' || c == ',') {
		lx->pos++;
		tok->kind = c == '(' ? PB_FLEX_LPAREN : c == ')' ? PB_FLEX_RPAREN : PB_FLEX_COMMA;
		return 0;
	}

	if (is_alpha(c) || c == '_' || c == '@' || c == '#') {
		size_t i = start + 1;
		while (i < n && (is_alpha((unsigned char)s[i]) || is_digit((unsigned char)s[i]) || s[i] == '_' ||
		                 s[i] == '.' || s[i] == ':'))
			i++;
		size_t len = i - start;
		char last = s[i - 1];
		if (last == '.' || last == ':')
			return lex_error(err, "invalid identifier", start);
		if (len == 1 && (c == '@' || c == '_' || c == '#'))
			return lex_error(err, "invalid identifier", start);
		lx->pos = i;
		set_text(tok, s + start, len);
		if (i < n && s[i] == '(') {
			lx->pos++;
			tok->kind = PB_FLEX_FUNC;
		} else {
			tok->kind = PB_FLEX_IDENT;
		}
		return 0;
	}

	if (is_digit(c) || c == '-') {
		size_t i = start + 1;
		bool dot = false, digits = is_digit(c);
		while (i < n && (is_digit((unsigned char)s[i]) || s[i] == '.')) {
			if (s[i] == '.') {
				if (dot)
					return lex_error(err, "invalid number", start);
				dot = true;
			} else {
				digits = true;
			}
			i++;
		}
		if (!digits || s[i - 1] == '.')
			return lex_error(err, "invalid number", start);
		lx->pos = i;
		set_text(tok, s + start, i - start);
		tok->kind = PB_FLEX_NUMBER;
		return 0;
	}

	if (c == '\'' || c == '"') {
		size_t i = start + 1;
		bool esc = false;
		for (; i < n; i++) {
			if (esc) {
				esc = false;
			} else if (s[i] == '\\') {
				esc = true;
			} else if ((unsigned char)s[i] == c) {
				break;
			}
		}
		if (i >= n)
			return lex_error(err, "unterminated quoted text", start);
		decode_text(s + start + 1, i - start - 1, tok);
		lx->pos = i + 1;
		tok->kind = PB_FLEX_TEXT;
		return 0;
	}

	if (is_sign_char(c)) {
		size_t i = start;
		while (i < n && is_sign_char((unsigned char)s[i]))
			i++;
		static const struct {
			const char *lit;
			enum pb_fop op;
			bool any;
		} signs[] = {
			{"=", PB_FOP_EQ, false},     {"!=", PB_FOP_NEQ, false},   {">", PB_FOP_GT, false},
			{">=", PB_FOP_GTE, false},   {"<", PB_FOP_LT, false},     {"<=", PB_FOP_LTE, false},
			{"~", PB_FOP_LIKE, false},   {"!~", PB_FOP_NLIKE, false}, {"?=", PB_FOP_EQ, true},
			{"?!=", PB_FOP_NEQ, true},   {"?>", PB_FOP_GT, true},     {"?>=", PB_FOP_GTE, true},
			{"?<", PB_FOP_LT, true},     {"?<=", PB_FOP_LTE, true},   {"?~", PB_FOP_LIKE, true},
			{"?!~", PB_FOP_NLIKE, true},
		};
		size_t len = i - start;
		for (size_t k = 0; k < sizeof signs / sizeof signs[0]; k++) {
			if (strlen(signs[k].lit) == len && memcmp(signs[k].lit, s + start, len) == 0) {
				lx->pos = i;
				tok->kind = PB_FLEX_SIGN;
				tok->op = signs[k].op;
				tok->any = signs[k].any;
				set_text(tok, s + start, len);
				return 0;
			}
		}
		return lex_error(err, "invalid sign operator", start);
	}

	if (c == '&' || c == '|') {
		size_t i = start;
		while (i < n && (s[i] == '&' || s[i] == '|'))
			i++;
		if (i - start == 2 && s[start] == s[start + 1]) {
			lx->pos = i;
			tok->kind = PB_FLEX_JOIN;
			tok->join_or = c == '|';
			set_text(tok, s + start, 2);
			return 0;
		}
		return lex_error(err, "invalid join operator", start);
	}

	return lex_error(err, "unexpected character", start);
}
