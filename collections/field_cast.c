/* field_cast — spf13/cast, list.ToUniqueStringSlice and Go number/JSON text (see field_cast.h). */
#include "collections/field_cast.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/json_write.h"

void pb_go_format_float(double v, char mode, char *buf, size_t cap)
{
	if (mode == 'f')
		pb_json_format_float_fixed(v, buf, cap);
	else if (mode == 'v')
		pb_json_format_float_general(v, buf, cap);
	else if (!isfinite(v))
		pb_json_format_float_fixed(v, buf, cap); /* "NaN", "+Inf", "-Inf" rather than JSON's null */
	else
		pb_json_format_float(v, buf, cap);
}

int pb_go_parse_bool(const char *s)
{
	static const char *const t[] = {"1", "t", "T", "TRUE", "true", "True"};
	static const char *const f[] = {"0", "f", "F", "FALSE", "false", "False"};
	for (size_t i = 0; i < 6; i++) {
		if (!strcmp(s, t[i]))
			return 1;
		if (!strcmp(s, f[i]))
			return 0;
	}
	return -1;
}

bool pb_go_parse_float(const char *s, double *out)
{
	*out = 0;
	const char *p = s;
	if (*p == '+' || *p == '-')
		p++;
	if (!strcasecmp(p, "inf") || !strcasecmp(p, "infinity")) {
		*out = *s == '-' ? -INFINITY : INFINITY;
		return true;
	}
	if (!strcasecmp(p, "nan")) {
		*out = NAN;
		return true;
	}
	bool hex = p[0] == '0' && (p[1] == 'x' || p[1] == 'X');
	const char *q = hex ? p + 2 : p;
	int mant = 0;
	bool dot = false;
	for (; *q; q++) {
		if (*q == '.' && !dot)
			dot = true;
		else if (hex ? isxdigit((unsigned char)*q) : isdigit((unsigned char)*q))
			mant++;
		else
			break;
	}
	if (mant == 0)
		return false;
	if (*q == (hex ? 'p' : 'e') || *q == (hex ? 'P' : 'E')) {
		q++;
		if (*q == '+' || *q == '-')
			q++;
		if (!isdigit((unsigned char)*q))
			return false;
		while (isdigit((unsigned char)*q))
			q++;
	} else if (hex) {
		return false; /* Go requires the p exponent for hex floats */
	}
	if (*q)
		return false;
	errno = 0;
	double d = strtod(s, NULL);
	if (errno == ERANGE && isinf(d))
		return false;
	*out = d;
	return true;
}

char *pb_cast_to_string(const json_t *v)
{
	char buf[400];
	if (json_is_string(v))
		return strndup(json_string_value(v), json_string_length(v));
	if (json_is_true(v))
		return strdup("true");
	if (json_is_false(v))
		return strdup("false");
	if (json_is_integer(v)) {
		snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
		return strdup(buf);
	}
	if (json_is_real(v)) {
		pb_go_format_float(json_real_value(v), 'f', buf, sizeof buf);
		return strdup(buf);
	}
	return strdup("");
}

double pb_cast_to_float(const json_t *v)
{
	if (json_is_number(v))
		return json_number_value(v);
	if (json_is_boolean(v))
		return json_is_true(v) ? 1 : 0;
	if (json_is_string(v)) {
		double d;
		const char *s = json_string_value(v);
		if (!*s || !pb_go_parse_float(s, &d))
			return 0;
		return d;
	}
	return 0;
}

bool pb_cast_to_bool(const json_t *v)
{
	if (json_is_boolean(v))
		return json_is_true(v);
	if (json_is_number(v))
		return json_number_value(v) != 0;
	if (json_is_string(v))
		return pb_go_parse_bool(json_string_value(v)) == 1;
	return false;
}

static void push_unique(json_t *out, const char *s)
{
	if (!*s)
		return;
	size_t i;
	json_t *it;
	json_array_foreach(out, i, it)
	{
		if (!strcmp(json_string_value(it), s))
			return;
	}
	json_array_append_new(out, json_string(s));
}

json_t *pb_cast_unique_strings(const json_t *v)
{
	json_t *out = json_array();
	if (!v || json_is_null(v))
		return out;
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		if (!*s)
			return out;
		if (!strchr(s, '[')) {
			push_unique(out, s);
			return out;
		}
		/* json.Unmarshal into []string: null → nothing; an array keeps its string elements (a
		 * mismatched element is an error, and on error the raw string is appended as well) */
		json_t *parsed = json_loads(s, JSON_DECODE_ANY, NULL);
		bool failed = !parsed || !(json_is_array(parsed) || json_is_null(parsed));
		if (json_is_array(parsed)) {
			size_t i;
			json_t *it;
			json_array_foreach(parsed, i, it)
			{
				if (json_is_string(it))
					push_unique(out, json_string_value(it));
				else if (!json_is_null(it))
					failed = true;
			}
		}
		json_decref(parsed);
		if (failed)
			push_unique(out, s);
		return out;
	}
	if (json_is_array(v)) {
		size_t i;
		json_t *it;
		json_array_foreach(v, i, it)
		{
			if (json_is_array(it) || json_is_object(it)) {
				json_array_clear(out);
				return out;
			}
		}
		json_array_foreach(v, i, it)
		{
			char *s = pb_cast_to_string(it);
			push_unique(out, s);
			free(s);
		}
		return out;
	}
	if (json_is_object(v))
		return out;
	char *s = pb_cast_to_string(v);
	push_unique(out, s);
	free(s);
	return out;
}

static void json_string_append(struct pb_strbuf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	pb_strbuf_putc(out, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': pb_strbuf_puts(out, "\\\""); continue;
		case '\\': pb_strbuf_puts(out, "\\\\"); continue;
		case '\n': pb_strbuf_puts(out, "\\n"); continue;
		case '\r': pb_strbuf_puts(out, "\\r"); continue;
		case '\t': pb_strbuf_puts(out, "\\t"); continue;
		case '\b': pb_strbuf_puts(out, "\\b"); continue;
		case '\f': pb_strbuf_puts(out, "\\f"); continue;
		case '<':
		case '>':
		case '&':
			pb_strbuf_puts(out, "\\u00");
			pb_strbuf_putc(out, hex[c >> 4]);
			pb_strbuf_putc(out, hex[c & 15]);
			continue;
		default: break;
		}
		if (c < 0x20) {
			pb_strbuf_puts(out, "\\u00");
			pb_strbuf_putc(out, hex[c >> 4]);
			pb_strbuf_putc(out, hex[c & 15]);
		} else if (c == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
		           ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9)) {
			pb_strbuf_puts(out, (unsigned char)s[i + 2] == 0xA8 ? "\\u2028" : "\\u2029");
			i += 2;
		} else {
			pb_strbuf_putc(out, (char)c);
		}
	}
	pb_strbuf_putc(out, '"');
}

static int cmp_keys(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

void pb_go_json_append(struct pb_strbuf *out, const json_t *v, bool sort_keys)
{
	char buf[64];
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		size_t n = json_object_size(v), k = 0;
		const char **keys = malloc((n ? n : 1) * sizeof *keys);
		if (!keys)
			abort();
		const char *key;
		json_t *it;
		json_object_foreach((json_t *)v, key, it) keys[k++] = key;
		if (sort_keys)
			qsort(keys, n, sizeof *keys, cmp_keys);
		pb_strbuf_putc(out, '{');
		for (size_t i = 0; i < n; i++) {
			if (i)
				pb_strbuf_putc(out, ',');
			json_string_append(out, keys[i], strlen(keys[i]));
			pb_strbuf_putc(out, ':');
			pb_go_json_append(out, json_object_get(v, keys[i]), sort_keys);
		}
		pb_strbuf_putc(out, '}');
		free(keys);
		break;
	}
	case JSON_ARRAY: {
		pb_strbuf_putc(out, '[');
		for (size_t i = 0; i < json_array_size(v); i++) {
			if (i)
				pb_strbuf_putc(out, ',');
			pb_go_json_append(out, json_array_get(v, i), sort_keys);
		}
		pb_strbuf_putc(out, ']');
		break;
	}
	case JSON_STRING: json_string_append(out, json_string_value(v), json_string_length(v)); break;
	case JSON_INTEGER: pb_strbuf_printf(out, "%lld", (long long)json_integer_value(v)); break;
	case JSON_REAL: {
		double d = json_real_value(v);
		if (isnan(d) || isinf(d)) {
			pb_strbuf_puts(out, "null");
			break;
		}
		pb_go_format_float(d, 'j', buf, sizeof buf);
		pb_strbuf_puts(out, buf);
		break;
	}
	case JSON_TRUE: pb_strbuf_puts(out, "true"); break;
	case JSON_FALSE: pb_strbuf_puts(out, "false"); break;
	default: pb_strbuf_puts(out, "null"); break;
	}
}

char *pb_go_json_marshal(const json_t *v, bool sort_keys)
{
	struct pb_strbuf b = PB_STRBUF_INIT;
	if (v)
		pb_go_json_append(&b, v, sort_keys);
	else
		pb_strbuf_puts(&b, "null");
	return pb_strbuf_steal(&b);
}

/* length of a valid UTF-8 sequence at s (0 when invalid) */
static int utf8_len(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF && (s[1] & 0xC0) == 0x80)
		return 2;
	if (s[0] >= 0xE0 && s[0] <= 0xEF && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
		unsigned cp = ((s[0] & 0xFu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
		return cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF) ? 3 : 0;
	}
	if (s[0] >= 0xF0 && s[0] <= 0xF4 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80) {
		unsigned cp = ((s[0] & 7u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
		return cp >= 0x10000 && cp <= 0x10FFFF ? 4 : 0;
	}
	return 0;
}

size_t pb_utf8_runes(const char *s)
{
	size_t n = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		int l = utf8_len(p);
		p += l ? l : 1;
		n++;
	}
	return n;
}

void pb_go_quote(struct pb_strbuf *out, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	pb_strbuf_putc(out, '"');
	while (*p) {
		int l = utf8_len(p);
		unsigned char c = *p;
		if (l == 0) {
			pb_strbuf_puts(out, "\\x");
			pb_strbuf_putc(out, hex[c >> 4]);
			pb_strbuf_putc(out, hex[c & 15]);
			p++;
			continue;
		}
		if (l > 1) {
			pb_strbuf_append(out, p, (size_t)l);
			p += l;
			continue;
		}
		switch (c) {
		case '"': pb_strbuf_puts(out, "\\\""); break;
		case '\\': pb_strbuf_puts(out, "\\\\"); break;
		case '\a': pb_strbuf_puts(out, "\\a"); break;
		case '\b': pb_strbuf_puts(out, "\\b"); break;
		case '\f': pb_strbuf_puts(out, "\\f"); break;
		case '\n': pb_strbuf_puts(out, "\\n"); break;
		case '\r': pb_strbuf_puts(out, "\\r"); break;
		case '\t': pb_strbuf_puts(out, "\\t"); break;
		case '\v': pb_strbuf_puts(out, "\\v"); break;
		default:
			if (c < 0x20 || c == 0x7f) {
				pb_strbuf_puts(out, "\\x");
				pb_strbuf_putc(out, hex[c >> 4]);
				pb_strbuf_putc(out, hex[c & 15]);
			} else {
				pb_strbuf_putc(out, (char)c);
			}
		}
		p++;
	}
	pb_strbuf_putc(out, '"');
}
