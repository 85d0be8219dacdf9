/* mediatype — Go mime.ParseMediaType semantics for Content-Type / Content-Disposition values
 * (see mediatype.h). Whitespace trimming follows Go's unicode.IsSpace, so besides ASCII
 * spaces the UTF-8 encodings of U+0085, U+00A0 and the Unicode space separators are skipped
 * around the type and between parameters. */
#include "api/mediatype.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/strbuf.h"
#include "core/text.h"

static bool is_tspecial(unsigned char c)
{
	return c != '\0' && strchr("()<>@,;:\\\"/[]?=", c) != NULL;
}

static bool is_token_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f && !is_tspecial(c);
}

/* Length of the unicode.IsSpace rune starting at s (0 when there is none). */
static size_t space_len(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	if (n == 0)
		return 0;
	if (u[0] == ' ' || (u[0] >= '\t' && u[0] <= '\r'))
		return 1;
	if (n >= 2 && u[0] == 0xC2 && (u[1] == 0x85 || u[1] == 0xA0))
		return 2;
	if (n >= 3) {
		if (u[0] == 0xE1 && u[1] == 0x9A && u[2] == 0x80)
			return 3; /* U+1680 */
		if (u[0] == 0xE2 && u[1] == 0x80 && (u[2] <= 0x8A || u[2] == 0xA8 || u[2] == 0xA9 || u[2] == 0xAF) &&
		    u[2] >= 0x80)
			return 3; /* U+2000–U+200A, U+2028, U+2029, U+202F */
		if (u[0] == 0xE2 && u[1] == 0x81 && u[2] == 0x9F)
			return 3; /* U+205F */
		if (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80)
			return 3; /* U+3000 */
	}
	return 0;
}

static void trim_left(const char **s, size_t *n)
{
	size_t k;
	while ((k = space_len(*s, *n)) > 0) {
		*s += k;
		*n -= k;
	}
}

/* Trailing unicode.IsSpace runes: a space rune is at most 3 bytes, so try each width. */
static void trim_right(const char *s, size_t *n)
{
	for (;;) {
		size_t k = 0;
		for (size_t w = 1; w <= 3 && w <= *n; w++) {
			if (space_len(s + *n - w, w) == w) {
				k = w;
				break;
			}
		}
		if (k == 0)
			return;
		*n -= k;
	}
}

static size_t token_len(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && is_token_char((unsigned char)s[i]))
		i++;
	return i;
}

static bool check_type(const char *t, size_t n)
{
	size_t k = token_len(t, n);
	if (k == 0)
		return false;
	if (k == n)
		return true;
	if (t[k] != '/')
		return false;
	t += k + 1;
	n -= k + 1;
	size_t k2 = token_len(t, n);
	return k2 > 0 && k2 == n;
}

/* consumeValue: a token or a quoted-string. Returns false on failure. */
static bool consume_value(const char **s, size_t *n, struct pb_strbuf *val)
{
	const char *v = *s;
	size_t len = *n;
	if (len == 0)
		return false;
	if (v[0] != '"') {
		size_t k = token_len(v, len);
		if (k == 0)
			return false;
		pb_strbuf_append(val, v, k);
		*s += k;
		*n -= k;
		return true;
	}
	for (size_t i = 1; i < len; i++) {
		char c = v[i];
		if (c == '"') {
			*s += i + 1;
			*n -= i + 1;
			return true;
		}
		if (c == '\\' && i + 1 < len && is_tspecial((unsigned char)v[i + 1])) {
			pb_strbuf_putc(val, v[i + 1]);
			i++;
			continue;
		}
		if (c == '\r' || c == '\n')
			return false;
		pb_strbuf_putc(val, c);
	}
	return false;
}

/* consumeMediaParam: `; key = value`. On success advances *s and fills key/value. */
static bool consume_param(const char **s, size_t *n, struct pb_strbuf *key, struct pb_strbuf *val)
{
	const char *v = *s;
	size_t len = *n;
	trim_left(&v, &len);
	if (len == 0 || v[0] != ';')
		return false;
	v++;
	len--;
	trim_left(&v, &len);
	size_t k = token_len(v, len);
	if (k == 0)
		return false;
	for (size_t i = 0; i < k; i++) {
		char c = v[i];
		pb_strbuf_putc(key, (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c);
	}
	v += k;
	len -= k;
	trim_left(&v, &len);
	if (len == 0 || v[0] != '=')
		return false;
	v++;
	len--;
	trim_left(&v, &len);
	if (!consume_value(&v, &len, val))
		return false;
	*s = v;
	*n = len;
	return true;
}

static void params_free(struct pb_mediatype_param *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].key);
		free(p[i].value);
	}
	free(p);
}

int pb_mediatype_parse(const char *v, size_t len, struct pb_mediatype *out)
{
	memset(out, 0, sizeof *out);
	const char *semi = memchr(v, ';', len);
	size_t base_len = semi ? (size_t)(semi - v) : len;
	const char *t = v;
	size_t tn = base_len;
	trim_left(&t, &tn);
	trim_right(t, &tn);
	if (!check_type(t, tn))
		return -1;

	struct pb_mediatype_param *params = NULL;
	size_t np = 0, cap = 0;
	const char *rest = v + base_len;
	size_t rn = len - base_len;
	struct pb_strbuf key = PB_STRBUF_INIT, val = PB_STRBUF_INIT;
	for (;;) {
		trim_left(&rest, &rn);
		if (rn == 0)
			break;
		pb_strbuf_reset(&key);
		pb_strbuf_reset(&val);
		if (!consume_param(&rest, &rn, &key, &val)) {
			const char *r = rest;
			size_t n = rn;
			trim_left(&r, &n);
			trim_right(r, &n);
			if (n == 1 && r[0] == ';')
				break;
			goto fail;
		}
		size_t i;
		for (i = 0; i < np; i++)
			if (strcmp(params[i].key, pb_strbuf_cstr(&key)) == 0)
				break;
		if (i < np) {
			if (params[i].value_len != val.len || memcmp(params[i].value, pb_strbuf_cstr(&val), val.len) != 0)
				goto fail;
			continue;
		}
		if (np == cap) {
			cap = cap ? cap * 2 : 4;
			params = realloc(params, cap * sizeof *params);
			if (!params)
				abort();
		}
		params[np].value_len = val.len;
		params[np].key = pb_strbuf_steal(&key);
		params[np].value = pb_strbuf_steal(&val);
		np++;
	}
	pb_strbuf_deinit(&key);
	pb_strbuf_deinit(&val);
	out->type = malloc(tn + 1);
	if (!out->type)
		abort();
	for (size_t i = 0; i < tn; i++)
		out->type[i] = (t[i] >= 'A' && t[i] <= 'Z') ? (char)(t[i] + 32) : t[i];
	out->type[tn] = '\0';
	out->params = params;
	out->nparams = np;
	return 0;
fail:
	pb_strbuf_deinit(&key);
	pb_strbuf_deinit(&val);
	params_free(params, np);
	return -1;
}

/* decode2231Enc: charset'language'percent-encoded, charset utf-8 or us-ascii. */
static bool decode_2231(const struct pb_mediatype_param *p, struct pb_strbuf *out)
{
	const char *v = p->value, *end = p->value + p->value_len;
	const char *q1 = memchr(v, '\'', p->value_len);
	if (!q1)
		return false;
	const char *q2 = memchr(q1 + 1, '\'', (size_t)(end - q1 - 1));
	if (!q2)
		return false;
	size_t cl = (size_t)(q1 - v);
	if (!((cl == 5 && strncasecmp(v, "utf-8", 5) == 0) || (cl == 8 && strncasecmp(v, "us-ascii", 8) == 0)))
		return false;
	size_t before = out->len;
	if (pb_text_unescape_append(q2 + 1, (size_t)(end - q2 - 1), 0, out) != 0) {
		out->len = before;
		if (out->data)
			out->data[before] = '\0';
		return false;
	}
	return true;
}

static const struct pb_mediatype_param *find(const struct pb_mediatype *mt, const char *key)
{
	for (size_t i = 0; i < mt->nparams; i++)
		if (strcmp(mt->params[i].key, key) == 0)
			return &mt->params[i];
	return NULL;
}

static char *dup_value(const char *s, size_t n, size_t *len)
{
	char *r = malloc(n + 1);
	if (!r)
		abort();
	memcpy(r, s, n);
	r[n] = '\0';
	if (len)
		*len = n;
	return r;
}

char *pb_mediatype_get(const struct pb_mediatype *mt, const char *name, size_t *len)
{
	size_t nl = strlen(name);
	bool continued = false;
	for (size_t i = 0; i < mt->nparams && !continued && nl < 300; i++) {
		const char *star = strchr(mt->params[i].key, '*');
		continued = star && (size_t)(star - mt->params[i].key) == nl && strncmp(mt->params[i].key, name, nl) == 0;
	}
	if (continued) {
		struct pb_strbuf buf = PB_STRBUF_INIT;
		char piece[320];
		snprintf(piece, sizeof piece, "%s*", name);
		const struct pb_mediatype_param *single = find(mt, piece);
		if (single) {
			if (decode_2231(single, &buf)) {
				size_t n = buf.len;
				char *r = pb_strbuf_steal(&buf);
				if (len)
					*len = n;
				return r;
			}
			pb_strbuf_deinit(&buf);
		} else {
			bool valid = false;
			for (unsigned k = 0;; k++) {
				snprintf(piece, sizeof piece, "%s*%u", name, k);
				const struct pb_mediatype_param *p = find(mt, piece);
				if (p) {
					valid = true;
					pb_strbuf_append(&buf, p->value, p->value_len);
					continue;
				}
				snprintf(piece, sizeof piece, "%s*%u*", name, k);
				p = find(mt, piece);
				if (!p)
					break;
				valid = true;
				if (k == 0) {
					decode_2231(p, &buf);
				} else {
					size_t before = buf.len;
					if (pb_text_unescape_append(p->value, p->value_len, 0, &buf) != 0) {
						buf.len = before;
						if (buf.data)
							buf.data[before] = '\0';
					}
				}
			}
			if (valid) {
				size_t n = buf.len;
				char *r = pb_strbuf_steal(&buf);
				if (len)
					*len = n;
				return r;
			}
			pb_strbuf_deinit(&buf);
		}
	}
	const struct pb_mediatype_param *p = find(mt, name);
	return p ? dup_value(p->value, p->value_len, len) : NULL;
}

void pb_mediatype_free(struct pb_mediatype *mt)
{
	if (!mt)
		return;
	free(mt->type);
	params_free(mt->params, mt->nparams);
	memset(mt, 0, sizeof *mt);
}
