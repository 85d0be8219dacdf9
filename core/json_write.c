/* json_write — Go encoding/json-compatible writer and sorted-object helpers (see
 * json_write.h). String escaping follows encoding/json's appendString with escapeHTML on,
 * as of Go 1.22+ (short \b and \f escapes). */
#include "core/json_write.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* 1 for the ASCII bytes that go out verbatim: printable except " \ < > & (DEL included). */
static const unsigned char ascii_safe[256] = {
	[0x20 ... 0x21] = 1, [0x23 ... 0x25] = 1, [0x27 ... 0x3b] = 1, [0x3d] = 1, [0x3f ... 0x5b] = 1, [0x5d ... 0x7f] = 1,
};

#ifdef __SSE2__
/* The index of the first byte from i on (len - i >= 16) that is not ascii_safe, scanning 16
 * bytes at a time (a signed compare below 0x20 also catches the bytes >= 0x80), or the index of
 * the first block that does not fit whole (the table loop takes the rest). */
__attribute__((noinline)) static size_t safe_blocks_end(const unsigned char *u, size_t i, size_t len)
{
	const __m128i space = _mm_set1_epi8(0x20), quote = _mm_set1_epi8('"'), amp = _mm_set1_epi8('&'),
	              lt = _mm_set1_epi8('<'), gt = _mm_set1_epi8('>'), bslash = _mm_set1_epi8('\\');
	while (i + 16 <= len) {
		__m128i v = _mm_loadu_si128((const __m128i *)(u + i));
		__m128i bad = _mm_or_si128(_mm_cmplt_epi8(v, space),
		                           _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, amp)),
		                                        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, lt), _mm_cmpeq_epi8(v, gt)),
		                                                     _mm_cmpeq_epi8(v, bslash))));
		int mask = _mm_movemask_epi8(bad);
		if (mask)
			return i + (size_t)__builtin_ctz((unsigned)mask);
		i += 16;
	}
	return i;
}
#endif

/* The index of the first byte from i on that is not ascii_safe (len when none): the same
 * answer as the table loop alone, long runs found 16 bytes at a time where SSE2 is there. */
static inline size_t safe_run_end(const unsigned char *u, size_t i, size_t len)
{
#ifdef __SSE2__
	if (len - i >= 16)
		i = safe_blocks_end(u, i, len);
#endif
	while (i < len && ascii_safe[u[i]])
		i++;
	return i;
}

void pb_json_write_string(struct pb_strbuf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = safe_run_end(u, 0, len);
	pb_strbuf_reserve(out, len + 2);
	if (i == len) { /* nothing to escape: the quoted bytes in one go */
		char *d = out->data + out->len;
		d[0] = '"';
		if (len)
			memcpy(d + 1, s, len);
		d[len + 1] = '"';
		out->len += len + 2;
		out->data[out->len] = '\0';
		return;
	}
	pb_strbuf_putc(out, '"');
	size_t start = 0;
	while (i < len) {
		i = safe_run_end(u, i, len);
		if (i == len)
			break;
		unsigned char c = u[i];
		if (c < 0x80) {
			pb_strbuf_append(out, s + start, i - start);
			switch (c) {
			case '"': pb_strbuf_puts(out, "\\\""); break;
			case '\\': pb_strbuf_puts(out, "\\\\"); break;
			case '\b': pb_strbuf_puts(out, "\\b"); break;
			case '\f': pb_strbuf_puts(out, "\\f"); break;
			case '\n': pb_strbuf_puts(out, "\\n"); break;
			case '\r': pb_strbuf_puts(out, "\\r"); break;
			case '\t': pb_strbuf_puts(out, "\\t"); break;
			default: {
				char esc[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xF], 0};
				pb_strbuf_puts(out, esc);
			}
			}
			start = ++i;
			continue;
		}
		uint32_t cp;
		size_t n = pb_utf8_decode(s + i, len - i, &cp);
		if ((cp == PB_UTF8_REPLACEMENT && n == 1) || cp == 0x2028 || cp == 0x2029) {
			pb_strbuf_append(out, s + start, i - start);
			pb_strbuf_puts(out, cp == 0x2028 ? "\\u2028" : cp == 0x2029 ? "\\u2029" : "\\ufffd");
			start = i + n;
		}
		i += n;
	}
	pb_strbuf_append(out, s + start, len - start);
	pb_strbuf_putc(out, '"');
}

void pb_json_write(struct pb_strbuf *out, const json_t *v)
{
	char num[PB_JSON_FLOAT_MAX];
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_OBJECT: {
		pb_strbuf_putc(out, '{');
		bool first = true;
		for (void *it = json_object_iter((json_t *)v); it; it = json_object_iter_next((json_t *)v, it)) {
			if (!first)
				pb_strbuf_putc(out, ',');
			first = false;
			pb_json_write_string(out, json_object_iter_key(it), json_object_iter_key_len(it));
			pb_strbuf_putc(out, ':');
			pb_json_write(out, json_object_iter_value(it));
		}
		pb_strbuf_putc(out, '}');
		break;
	}
	case JSON_ARRAY:
		pb_strbuf_putc(out, '[');
		for (size_t i = 0; i < json_array_size(v); i++) {
			if (i)
				pb_strbuf_putc(out, ',');
			pb_json_write(out, json_array_get(v, i));
		}
		pb_strbuf_putc(out, ']');
		break;
	case JSON_STRING: pb_json_write_string(out, json_string_value(v), json_string_length(v)); break;
	case JSON_INTEGER: pb_strbuf_printf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v)); break;
	case JSON_REAL:
		pb_json_format_float(json_real_value(v), num, sizeof num);
		pb_strbuf_puts(out, num);
		break;
	case JSON_TRUE: pb_strbuf_puts(out, "true"); break;
	case JSON_FALSE: pb_strbuf_puts(out, "false"); break;
	case JSON_NULL: pb_strbuf_puts(out, "null"); break;
	}
}

char *pb_json_dumps(const json_t *v)
{
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_json_write(&b, v);
	return pb_strbuf_steal(&b);
}

/* ---- byte-wise key order ----------------------------------------------------------------- */

struct key_ref {
	const char *key;
	size_t len;
	json_t *value; /* borrowed */
};

static int key_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);
	if (c)
		return c;
	return alen < blen ? -1 : alen > blen ? 1 : 0;
}

static int key_ref_cmp(const void *pa, const void *pb)
{
	const struct key_ref *a = pa, *b = pb;
	return key_cmp(a->key, a->len, b->key, b->len);
}

void pb_json_object_set_sorted_new(json_t *obj, const char *key, json_t *value)
{
	if (!json_is_object(obj) || !key || !value) {
		json_decref(value);
		return;
	}
	size_t klen = strlen(key);
	if (json_object_getn(obj, key, klen)) { /* jansson replaces in place */
		json_object_setn_new_nocheck(obj, key, klen, value);
		return;
	}
	void *it = json_object_iter(obj);
	while (it && key_cmp(json_object_iter_key(it), json_object_iter_key_len(it), key, klen) < 0)
		it = json_object_iter_next(obj, it);
	size_t n = 0;
	for (void *j = it; j; j = json_object_iter_next(obj, j))
		n++;
	struct key_ref *later = calloc(n ? n : 1, sizeof *later);
	if (!later)
		abort();
	n = 0;
	for (void *j = it; j; j = json_object_iter_next(obj, j)) {
		size_t len = json_object_iter_key_len(j);
		char *copy = malloc(len + 1);
		if (!copy)
			abort();
		memcpy(copy, json_object_iter_key(j), len + 1);
		later[n++] = (struct key_ref){copy, len, json_incref(json_object_iter_value(j))};
	}
	for (size_t i = 0; i < n; i++)
		json_object_deln(obj, later[i].key, later[i].len);
	json_object_setn_new_nocheck(obj, key, klen, value);
	for (size_t i = 0; i < n; i++) {
		json_object_setn_new_nocheck(obj, later[i].key, later[i].len, later[i].value);
		free((char *)later[i].key);
	}
	free(later);
}

json_t *pb_json_sorted_copy(const json_t *v)
{
	if (!v)
		return NULL;
	json_t *out = NULL;
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		size_t n = json_object_size(v), i = 0;
		struct key_ref *keys = calloc(n ? n : 1, sizeof *keys);
		if (!keys)
			abort();
		for (void *it = json_object_iter((json_t *)v); it; it = json_object_iter_next((json_t *)v, it))
			keys[i++] =
			    (struct key_ref){json_object_iter_key(it), json_object_iter_key_len(it), json_object_iter_value(it)};
		qsort(keys, n, sizeof *keys, key_ref_cmp);
		out = json_object();
		for (i = 0; out && i < n; i++)
			json_object_setn_new_nocheck(out, keys[i].key, keys[i].len, pb_json_sorted_copy(keys[i].value));
		free(keys);
		break;
	}
	case JSON_ARRAY:
		out = json_array();
		for (size_t i = 0; out && i < json_array_size(v); i++)
			json_array_append_new(out, pb_json_sorted_copy(json_array_get(v, i)));
		break;
	default: out = json_copy((json_t *)v); break;
	}
	if (!out)
		abort();
	return out;
}
