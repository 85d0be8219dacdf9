/* fields_excerpt — the `:excerpt(max[, withEllipsis])` modifier of the `fields` picker,
 * mirroring PocketBase's tools/picker/excerpt_modifier.go. Arguments are split like
 * initModifer does (separators "(" ")" "," and space, parentheses not grouped) and read with
 * spf13/cast v1.10 semantics: max through cast.ToInt (a decimal part is dropped, then Go's
 * strconv.ParseInt with base prefixes and underscores; anything unreadable is 0), the flag
 * through strconv.ParseBool. A string value is parsed as HTML (core/html.h) and its text
 * collected depth-first: the content of excluded elements is skipped, a space goes around
 * every element that is not inline, whitespace runs collapse to one space, descending stops
 * once the text is longer than max+2 bytes; then TrimSpace, a cut to max runes, TrimSpace,
 * and "..." when something was cut and the flag is set. */
#include "collections/fields_pick_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/html.h"
#include "core/strbuf.h"
#include "core/tokenizer.h"
#include "core/utf8.h"

static const char *const exclude_tags[] = {"head",     "style", "script",  "iframe", "embed",    "applet", "object",
                                           "svg",      "img",   "picture", "dialog", "template", "button", "form",
                                           "textarea", "input", "select",  "option", NULL};
static const char *const inline_tags[] = {"a",      "abbr",   "acronym", "b",   "bdo",   "big", "br",    "button",
                                          "cite",   "code",   "em",      "i",   "label", "q",   "small", "span",
                                          "strong", "strike", "sub",     "sup", "time",  NULL};

static bool in_list(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(name, *list))
			return true;
	return false;
}

/* ---- argument parsing (spf13/cast) ------------------------------------------------------- */

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c; }

static bool underscore_ok(const char *s)
{
	char saw = '^';
	bool hex = false;
	if (*s == '-' || *s == '+')
		s++;
	if (s[0] == '0' && (lower(s[1]) == 'b' || lower(s[1]) == 'o' || lower(s[1]) == 'x')) {
		hex = lower(s[1]) == 'x';
		s += 2;
		saw = '0';
	}
	for (; *s; s++) {
		if ((*s >= '0' && *s <= '9') || (hex && lower(*s) >= 'a' && lower(*s) <= 'f')) {
			saw = '0';
			continue;
		}
		if (*s == '_') {
			if (saw != '0')
				return false;
			saw = '_';
			continue;
		}
		if (saw == '_')
			return false;
		saw = '!';
	}
	return saw != '_';
}

/* strconv.ParseInt(s, 0, 64). */
static bool parse_int_base0(const char *s0, int64_t *out)
{
	const char *s = s0;
	bool neg = false;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	if (!*s)
		return false;
	unsigned base = 10;
	if (s[0] == '0') {
		size_t n = strlen(s);
		char p = lower(s[1]);
		if (n >= 3 && (p == 'b' || p == 'o' || p == 'x')) {
			base = p == 'b' ? 2 : p == 'o' ? 8 : 16;
			s += 2;
		} else {
			base = 8;
			s += 1;
		}
	}
	uint64_t v = 0;
	bool underscores = false;
	for (; *s; s++) {
		unsigned d;
		char c = lower(*s);
		if (c == '_') {
			underscores = true;
			continue;
		} else if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'z')
			d = (unsigned)(c - 'a' + 10);
		else
			return false;
		if (d >= base)
			return false;
		if (v > (UINT64_MAX - d) / base)
			return false;
		v = v * base + d;
	}
	if (underscores && !underscore_ok(s0))
		return false;
	if (neg ? v > (uint64_t)1 << 63 : v >= (uint64_t)1 << 63)
		return false;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return true;
}

/* cast.ToInt for a string; 0 when unreadable. */
static int64_t cast_to_int(const char *s)
{
	if (!*s)
		return 0;
	char *tmp = NULL;
	if (strchr(s, '.')) { /* ^([-+]?\d*)(\.\d*)?$ keeps the integer part */
		const char *p = s + (*s == '-' || *s == '+');
		const char *int_end = p + strspn(p, "0123456789");
		if (*int_end == '.' && int_end[1 + strspn(int_end + 1, "0123456789")] == '\0') {
			size_t n = (size_t)(int_end - s);
			tmp = malloc(n + 2);
			if (!tmp)
				abort();
			memcpy(tmp, s, n);
			tmp[n] = '\0';
			if (n == 0 || (n == 1 && (s[0] == '-' || s[0] == '+')))
				strcat(tmp, "0");
			s = tmp;
		}
	}
	int64_t v = 0;
	if (!parse_int_base0(s, &v))
		v = 0;
	free(tmp);
	return v;
}

/* strconv.ParseBool, false on error (cast.ToBool). */
static bool cast_to_bool(const char *s)
{
	static const char *const yes[] = {"1", "t", "T", "TRUE", "true", "True", NULL};
	return in_list(s, yes);
}

int pb_fields_modifier_parse(const char *raw, struct pb_fields_excerpt *out, struct pb_error *err)
{
	const struct pb_tokenizer_opts opts = {.separators = "(), ", .ignore_parens = true};
	size_t n = 0;
	char **parts = pb_tokenize(raw, &opts, &n, err);
	int rc = -1;
	if (!parts)
		return -1;
	if (n == 0)
		pb_error_set(err, 400, "invalid or empty modifier expression \"%s\"", raw);
	else if (strcmp(parts[0], "excerpt") != 0)
		pb_error_set(err, 400, "missing or invalid modifier \"%s\"", parts[0]);
	else if (n == 1)
		pb_error_set(err, 400, "max argument is required - expected (max, withEllipsis?)");
	else if (n > 3)
		pb_error_set(err, 400, "too many arguments - expected (max, withEllipsis?)");
	else if ((out->max = cast_to_int(parts[1])) <= 0)
		pb_error_set(err, 400, "max argument must be > 0");
	else {
		out->with_ellipsis = n > 2 && cast_to_bool(parts[2]);
		rc = 0;
	}
	pb_tokens_free(parts);
	return rc;
}

/* ---- text extraction --------------------------------------------------------------------- */

struct collect {
	struct pb_strbuf out;
	bool prev_space;
	int64_t limit; /* max + 2, wrapping like Go's int arithmetic */
};

static bool is_collapsible(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }

static void add_text(struct collect *st, const char *s, size_t len)
{
	struct pb_strbuf txt = PB_STRBUF_INIT; /* \s+ → " " */
	for (size_t i = 0; i < len;) {
		if (is_collapsible(s[i])) {
			pb_strbuf_putc(&txt, ' ');
			while (i < len && is_collapsible(s[i]))
				i++;
		} else
			pb_strbuf_putc(&txt, s[i++]);
	}
	const char *t = pb_strbuf_cstr(&txt);
	size_t tlen = txt.len;
	if (st->prev_space)
		while (tlen && *t == ' ')
			t++, tlen--;
	if (tlen) {
		st->prev_space = t[tlen - 1] == ' ';
		pb_strbuf_append(&st->out, t, tlen);
	}
	pb_strbuf_deinit(&txt);
}

static void space(struct collect *st)
{
	if (!st->prev_space) {
		pb_strbuf_putc(&st->out, ' ');
		st->prev_space = true;
	}
}

static void strip_tags(struct collect *st, const struct pb_html_node *n)
{
	if (n->type == PB_HTML_TEXT)
		add_text(st, n->data, n->len);
	if ((int64_t)st->out.len > st->limit)
		return;
	for (const struct pb_html_node *c = n->first_child; c; c = c->next) {
		bool element = c->type == PB_HTML_ELEMENT;
		if (element && in_list(c->data, exclude_tags))
			continue;
		bool block = element && !in_list(c->data, inline_tags);
		if (block)
			space(st);
		strip_tags(st, c);
		if (block)
			space(st);
	}
}

/* Go strings hold bytes, but the value went through json.Unmarshal: invalid UTF-8 arrives
 * as U+FFFD, one per bad byte. */
static void valid_utf8(struct pb_strbuf *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = pb_utf8_decode(s + i, len - i, &cp);
		if (cp == PB_UTF8_REPLACEMENT && k == 1)
			pb_strbuf_puts(out, "\xef\xbf\xbd");
		else
			pb_strbuf_append(out, s + i, k);
		i += k;
	}
}

json_t *pb_fields_excerpt_apply(const struct pb_fields_excerpt *m, const json_t *value)
{
	if (!json_is_string(value))
		return NULL;
	struct pb_strbuf src = PB_STRBUF_INIT;
	valid_utf8(&src, json_string_value(value), json_string_length(value));
	struct pb_html_node *doc = pb_html_parse(pb_strbuf_cstr(&src), src.len);
	pb_strbuf_deinit(&src);
	if (!doc) /* html.Parse failed (too deeply nested): Modify's result is "" */
		return json_string("");
	struct collect st = {PB_STRBUF_INIT, false, (int64_t)((uint64_t)m->max + 2)};
	strip_tags(&st, doc);
	pb_html_free(doc);

	const char *r = pb_strbuf_cstr(&st.out);
	size_t rlen = st.out.len;
	pb_utf8_trim_space(&r, &rlen);
	bool cut = false;
	if ((uint64_t)rlen > (uint64_t)m->max) {
		size_t off = 0;
		int64_t runes = 0;
		while (off < rlen && runes < m->max) {
			uint32_t cp;
			off += pb_utf8_decode(r + off, rlen - off, &cp);
			runes++;
		}
		if (off < rlen) { /* more than max runes */
			rlen = off;
			pb_utf8_trim_space(&r, &rlen);
			cut = true;
		}
	}
	struct pb_strbuf res = PB_STRBUF_INIT;
	pb_strbuf_append(&res, r, rlen);
	if (cut && m->with_ellipsis)
		pb_strbuf_puts(&res, "...");
	json_t *out = json_stringn(pb_strbuf_cstr(&res), res.len);
	pb_strbuf_deinit(&res);
	pb_strbuf_deinit(&st.out);
	if (!out)
		abort();
	return out;
}
