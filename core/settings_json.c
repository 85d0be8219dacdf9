/* settings_json — the settings structs' field tables, and JSON decoding / encoding with Go's
 * encoding/json behaviour for them (see settings_internal.h). Decoding follows json.Unmarshal
 * onto an existing struct: keys match field names exactly or case-insensitively (Go's folding,
 * including U+017F ſ, U+212A K, U+0130 İ and U+0131 ı), unknown keys are skipped, null is a
 * no-op for scalars and structs and empties a slice, an array is decoded element by element
 * onto the existing elements (extra old elements are dropped), and a wrong JSON type for a
 * field is an error that does not stop the other fields. Encoding writes Go struct order;
 * the byte form escapes strings as Go's encoder does (HTML-safe, \b \f short forms). */
#include "core/settings_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/rx.h"
#include "core/strbuf.h"

#define OFF(type, member) offsetof(type, member)

static const struct pb_sf s3_table[] = {
	{"enabled", PB_SF_BOOL, OFF(struct pb_settings_s3, enabled), NULL, 0},
	{"bucket", PB_SF_STR, OFF(struct pb_settings_s3, bucket), NULL, 0},
	{"region", PB_SF_STR, OFF(struct pb_settings_s3, region), NULL, 0},
	{"endpoint", PB_SF_STR, OFF(struct pb_settings_s3, endpoint), NULL, 0},
	{"accessKey", PB_SF_STR, OFF(struct pb_settings_s3, access_key), NULL, 0},
	{"secret", PB_SF_STR, OFF(struct pb_settings_s3, secret), NULL, PB_SF_OMITEMPTY | PB_SF_SECRET},
	{"forcePathStyle", PB_SF_BOOL, OFF(struct pb_settings_s3, force_path_style), NULL, 0},
	{NULL, 0, 0, NULL, 0},
};

static const struct pb_sf smtp_table[] = {
	{"enabled", PB_SF_BOOL, OFF(struct pb_settings_smtp, enabled), NULL, 0},
	{"port", PB_SF_INT, OFF(struct pb_settings_smtp, port), NULL, 0},
	{"host", PB_SF_STR, OFF(struct pb_settings_smtp, host), NULL, 0},
	{"username", PB_SF_STR, OFF(struct pb_settings_smtp, username), NULL, 0},
	{"password", PB_SF_STR, OFF(struct pb_settings_smtp, password), NULL, PB_SF_SECRET},
	{"authMethod", PB_SF_STR, OFF(struct pb_settings_smtp, auth_method), NULL, 0},
	{"tls", PB_SF_BOOL, OFF(struct pb_settings_smtp, tls), NULL, 0},
	{"localName", PB_SF_STR, OFF(struct pb_settings_smtp, local_name), NULL, 0},
	{NULL, 0, 0, NULL, 0},
};

static const struct pb_sf backups_table[] = {
	{"cron", PB_SF_STR, OFF(struct pb_settings_backups, cron), NULL, 0},
	{"cronMaxKeep", PB_SF_INT, OFF(struct pb_settings_backups, cron_max_keep), NULL, 0},
	{"s3", PB_SF_STRUCT, OFF(struct pb_settings_backups, s3), s3_table, 0},
	{NULL, 0, 0, NULL, 0},
};

static const struct pb_sf meta_table[] = {
	{"accentColor", PB_SF_STR, OFF(struct pb_settings_meta, accent_color), NULL, 0},
	{"appName", PB_SF_STR, OFF(struct pb_settings_meta, app_name), NULL, 0},
	{"appURL", PB_SF_STR, OFF(struct pb_settings_meta, app_url), NULL, 0},
	{"senderName", PB_SF_STR, OFF(struct pb_settings_meta, sender_name), NULL, 0},
	{"senderAddress", PB_SF_STR, OFF(struct pb_settings_meta, sender_address), NULL, 0},
	{"hideControls", PB_SF_BOOL, OFF(struct pb_settings_meta, hide_controls), NULL, 0},
	{NULL, 0, 0, NULL, 0},
};

static const struct pb_sf rule_table[] = {
	{"label", PB_SF_STR, OFF(struct pb_settings_rate_limit_rule, label), NULL, 0},
	{"audience", PB_SF_STR, OFF(struct pb_settings_rate_limit_rule, audience), NULL, 0},
	{"duration", PB_SF_INT, OFF(struct pb_settings_rate_limit_rule, duration), NULL, 0},
	{"maxRequests", PB_SF_INT, OFF(struct pb_settings_rate_limit_rule, max_requests), NULL, 0},
	{NULL, 0, 0, NULL, 0},
};

static const struct pb_sf rate_limits_table[] = {
	{"rules", PB_SF_RULES, OFF(struct pb_settings_rate_limits, rules), rule_table, 0},
	{"excludedIPs", PB_SF_STRLIST, OFF(struct pb_settings_rate_limits, excluded_ips), NULL, 0},
	{"enabled", PB_SF_BOOL, OFF(struct pb_settings_rate_limits, enabled), NULL, 0},
	{NULL, 0, 0, NULL, 0},
};

static const struct pb_sf trusted_proxy_table[] = {
	{"headers", PB_SF_STRLIST, OFF(struct pb_settings_trusted_proxy, headers), NULL, 0},
	{"useLeftmostIP", PB_SF_BOOL, OFF(struct pb_settings_trusted_proxy, use_leftmost_ip), NULL, 0},
	{NULL, 0, 0, NULL, 0},
};

static const struct pb_sf batch_table[] = {
	{"enabled", PB_SF_BOOL, OFF(struct pb_settings_batch, enabled), NULL, 0},
	{"maxRequests", PB_SF_INT, OFF(struct pb_settings_batch, max_requests), NULL, 0},
	{"timeout", PB_SF_INT, OFF(struct pb_settings_batch, timeout), NULL, 0},
	{"maxBodySize", PB_SF_INT, OFF(struct pb_settings_batch, max_body_size), NULL, 0},
	{NULL, 0, 0, NULL, 0},
};

static const struct pb_sf logs_table[] = {
	{"maxDays", PB_SF_INT, OFF(struct pb_settings_logs, max_days), NULL, 0},
	{"minLevel", PB_SF_INT, OFF(struct pb_settings_logs, min_level), NULL, 0},
	{"logIP", PB_SF_BOOL, OFF(struct pb_settings_logs, log_ip), NULL, 0},
	{"logAuthId", PB_SF_BOOL, OFF(struct pb_settings_logs, log_auth_id), NULL, 0},
	{NULL, 0, 0, NULL, 0},
};

const struct pb_sf pb_settings_table[] = {
	{"superuserIPs", PB_SF_STRLIST, OFF(struct pb_settings, superuser_ips), NULL, 0},
	{"smtp", PB_SF_STRUCT, OFF(struct pb_settings, smtp), smtp_table, 0},
	{"backups", PB_SF_STRUCT, OFF(struct pb_settings, backups), backups_table, 0},
	{"s3", PB_SF_STRUCT, OFF(struct pb_settings, s3), s3_table, 0},
	{"meta", PB_SF_STRUCT, OFF(struct pb_settings, meta), meta_table, 0},
	{"rateLimits", PB_SF_STRUCT, OFF(struct pb_settings, rate_limits), rate_limits_table, 0},
	{"trustedProxy", PB_SF_STRUCT, OFF(struct pb_settings, trusted_proxy), trusted_proxy_table, 0},
	{"batch", PB_SF_STRUCT, OFF(struct pb_settings, batch), batch_table, 0},
	{"logs", PB_SF_STRUCT, OFF(struct pb_settings, logs), logs_table, 0},
	{NULL, 0, 0, NULL, 0},
};

/* ---- memory -------------------------------------------------------------------------------- */

#define AT(base, f, type) ((type *)((char *)(base) + (f)->off))
#define CAT(base, f, type) ((const type *)((const char *)(base) + (f)->off))

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d)
		abort();
	return d;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		abort();
	return p;
}

static void strlist_free(struct pb_settings_strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

static void rules_free(struct pb_settings_rules *r)
{
	for (size_t i = 0; i < r->n; i++)
		pb_settings_fields_free(&r->items[i], rule_table);
	free(r->items);
	r->items = NULL;
	r->n = 0;
}

void pb_settings_fields_init(void *base, const struct pb_sf *table)
{
	for (const struct pb_sf *f = table; f->name; f++) {
		switch (f->kind) {
		case PB_SF_BOOL: *AT(base, f, bool) = false; break;
		case PB_SF_INT: *AT(base, f, int64_t) = 0; break;
		case PB_SF_STR: *AT(base, f, char *) = xstrdup(""); break;
		case PB_SF_STRLIST: memset(AT(base, f, struct pb_settings_strlist), 0, sizeof(struct pb_settings_strlist)); break;
		case PB_SF_RULES: memset(AT(base, f, struct pb_settings_rules), 0, sizeof(struct pb_settings_rules)); break;
		case PB_SF_STRUCT: pb_settings_fields_init(AT(base, f, char), f->sub); break;
		}
	}
}

void pb_settings_fields_free(void *base, const struct pb_sf *table)
{
	for (const struct pb_sf *f = table; f->name; f++) {
		switch (f->kind) {
		case PB_SF_BOOL:
		case PB_SF_INT: break;
		case PB_SF_STR:
			free(*AT(base, f, char *));
			*AT(base, f, char *) = NULL;
			break;
		case PB_SF_STRLIST: strlist_free(AT(base, f, struct pb_settings_strlist)); break;
		case PB_SF_RULES: rules_free(AT(base, f, struct pb_settings_rules)); break;
		case PB_SF_STRUCT: pb_settings_fields_free(AT(base, f, char), f->sub); break;
		}
	}
}

void pb_settings_fields_copy(void *dst, const void *src, const struct pb_sf *table)
{
	for (const struct pb_sf *f = table; f->name; f++) {
		switch (f->kind) {
		case PB_SF_BOOL: *AT(dst, f, bool) = *CAT(src, f, bool); break;
		case PB_SF_INT: *AT(dst, f, int64_t) = *CAT(src, f, int64_t); break;
		case PB_SF_STR: *AT(dst, f, char *) = xstrdup(*CAT(src, f, char *)); break;
		case PB_SF_STRLIST: {
			const struct pb_settings_strlist *s = CAT(src, f, struct pb_settings_strlist);
			struct pb_settings_strlist *d = AT(dst, f, struct pb_settings_strlist);
			d->n = s->n;
			d->items = s->n ? xcalloc(s->n, sizeof *d->items) : NULL;
			for (size_t i = 0; i < s->n; i++)
				d->items[i] = xstrdup(s->items[i]);
			break;
		}
		case PB_SF_RULES: {
			const struct pb_settings_rules *s = CAT(src, f, struct pb_settings_rules);
			struct pb_settings_rules *d = AT(dst, f, struct pb_settings_rules);
			d->n = s->n;
			d->items = s->n ? xcalloc(s->n, sizeof *d->items) : NULL;
			for (size_t i = 0; i < s->n; i++)
				pb_settings_fields_copy(&d->items[i], &s->items[i], rule_table);
			break;
		}
		case PB_SF_STRUCT: pb_settings_fields_copy(AT(dst, f, char), CAT(src, f, char), f->sub); break;
		}
	}
}

/* ---- decoding ------------------------------------------------------------------------------ */

/* Go's appendFoldedName for one rune: ASCII upper-cased; the four non-ASCII runes that fold
 * to ASCII mapped; anything else kept (it can never equal an ASCII field name). */
static unsigned fold_rune(unsigned r)
{
	if (r >= 'a' && r <= 'z')
		return r - 32;
	switch (r) {
	case 0x130: case 0x131: return 'I';
	case 0x17F: return 'S';
	case 0x212A: return 'K';
	default: return r;
	}
}

static bool fold_equal(const char *key, size_t klen, const char *name)
{
	size_t i = 0;
	for (; i < klen; name++) {
		if (!*name)
			return false;
		size_t size;
		unsigned r = pb_rx_decode_rune(key + i, klen - i, &size);
		if (fold_rune(r) != fold_rune((unsigned char)*name))
			return false;
		i += size;
	}
	return *name == '\0';
}

static const struct pb_sf *find_field(const struct pb_sf *table, const char *key, size_t klen)
{
	for (const struct pb_sf *f = table; f->name; f++)
		if (strlen(f->name) == klen && memcmp(f->name, key, klen) == 0)
			return f;
	for (const struct pb_sf *f = table; f->name; f++)
		if (fold_equal(key, klen, f->name))
			return f;
	return NULL;
}

/* Decodes v onto a string slot (a NULL / "" slot is allowed for fresh elements). */
static int decode_string(char **slot, const json_t *v)
{
	if (json_is_null(v))
		return 0;
	if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
		return -1; /* embedded NUL bytes cannot be kept in a C string: treated as invalid */
	free(*slot);
	*slot = xstrdup(json_string_value(v));
	return 0;
}

static int decode_strlist(struct pb_settings_strlist *l, const json_t *v)
{
	if (json_is_null(v)) {
		strlist_free(l);
		return 0;
	}
	if (!json_is_array(v))
		return -1;
	size_t n = json_array_size(v);
	int rc = 0;
	if (n > l->n) {
		l->items = realloc(l->items, n * sizeof *l->items);
		if (!l->items)
			abort();
		for (size_t i = l->n; i < n; i++)
			l->items[i] = xstrdup("");
	} else {
		for (size_t i = n; i < l->n; i++)
			free(l->items[i]);
	}
	l->n = n;
	for (size_t i = 0; i < n; i++)
		if (decode_string(&l->items[i], json_array_get(v, i)) != 0)
			rc = -1;
	if (n == 0) {
		free(l->items);
		l->items = NULL;
	}
	return rc;
}

static int decode_rules(struct pb_settings_rules *r, const json_t *v)
{
	if (json_is_null(v)) {
		rules_free(r);
		return 0;
	}
	if (!json_is_array(v))
		return -1;
	size_t n = json_array_size(v);
	int rc = 0;
	if (n > r->n) {
		r->items = realloc(r->items, n * sizeof *r->items);
		if (!r->items)
			abort();
		for (size_t i = r->n; i < n; i++)
			pb_settings_fields_init(&r->items[i], rule_table);
	} else {
		for (size_t i = n; i < r->n; i++)
			pb_settings_fields_free(&r->items[i], rule_table);
	}
	r->n = n;
	for (size_t i = 0; i < n; i++)
		if (pb_settings_fields_decode(&r->items[i], rule_table, json_array_get(v, i)) != 0)
			rc = -1;
	if (n == 0) {
		free(r->items);
		r->items = NULL;
	}
	return rc;
}

static int decode_field(void *base, const struct pb_sf *f, const json_t *v)
{
	switch (f->kind) {
	case PB_SF_BOOL:
		if (json_is_null(v))
			return 0;
		if (!json_is_boolean(v))
			return -1;
		*AT(base, f, bool) = json_is_true(v);
		return 0;
	case PB_SF_INT:
		if (json_is_null(v))
			return 0;
		if (!json_is_integer(v))
			return -1; /* Go rejects 1.0 / 1e2 for an int field too */
		*AT(base, f, int64_t) = (int64_t)json_integer_value(v);
		return 0;
	case PB_SF_STR: return decode_string(AT(base, f, char *), v);
	case PB_SF_STRLIST: return decode_strlist(AT(base, f, struct pb_settings_strlist), v);
	case PB_SF_RULES: return decode_rules(AT(base, f, struct pb_settings_rules), v);
	case PB_SF_STRUCT: return pb_settings_fields_decode(AT(base, f, char), f->sub, v);
	}
	return -1;
}

int pb_settings_fields_decode(void *base, const struct pb_sf *table, const json_t *v)
{
	if (json_is_null(v))
		return 0;
	if (!json_is_object(v))
		return -1;
	int rc = 0;
	const char *key;
	size_t klen;
	json_t *val;
	json_object_keylen_foreach((json_t *)v, key, klen, val)
	{
		const struct pb_sf *f = find_field(table, key, klen);
		if (f && decode_field(base, f, val) != 0)
			rc = -1;
	}
	return rc;
}

/* ---- encoding ------------------------------------------------------------------------------ */

static json_t *strlist_json(const struct pb_settings_strlist *l)
{
	json_t *a = json_array();
	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(a, json_string(l->items[i]));
	return a;
}

json_t *pb_settings_fields_encode(const void *base, const struct pb_sf *table, bool api_view)
{
	json_t *o = json_object();
	for (const struct pb_sf *f = table; f->name; f++) {
		if (api_view && (f->flags & PB_SF_SECRET))
			continue;
		json_t *v = NULL;
		switch (f->kind) {
		case PB_SF_BOOL: v = json_boolean(*CAT(base, f, bool)); break;
		case PB_SF_INT: v = json_integer((json_int_t)*CAT(base, f, int64_t)); break;
		case PB_SF_STR: {
			const char *s = *CAT(base, f, char *);
			if ((f->flags & PB_SF_OMITEMPTY) && s[0] == '\0')
				continue;
			v = json_string(s);
			break;
		}
		case PB_SF_STRLIST: v = strlist_json(CAT(base, f, struct pb_settings_strlist)); break;
		case PB_SF_RULES: {
			const struct pb_settings_rules *r = CAT(base, f, struct pb_settings_rules);
			v = json_array();
			for (size_t i = 0; i < r->n; i++)
				json_array_append_new(v, pb_settings_fields_encode(&r->items[i], rule_table, api_view));
			break;
		}
		case PB_SF_STRUCT: v = pb_settings_fields_encode(CAT(base, f, char), f->sub, api_view); break;
		}
		json_object_set_new(o, f->name, v);
	}
	return o;
}

/* A string as Go's encoder writes it (SetEscapeHTML(true); input is valid UTF-8). */
static void go_string(struct pb_strbuf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	pb_strbuf_putc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char c = *p;
		switch (c) {
		case '"': pb_strbuf_puts(b, "\\\""); continue;
		case '\\': pb_strbuf_puts(b, "\\\\"); continue;
		case '\n': pb_strbuf_puts(b, "\\n"); continue;
		case '\r': pb_strbuf_puts(b, "\\r"); continue;
		case '\t': pb_strbuf_puts(b, "\\t"); continue;
		case '\b': pb_strbuf_puts(b, "\\b"); continue;
		case '\f': pb_strbuf_puts(b, "\\f"); continue;
		default: break;
		}
		if (c < 0x20 || c == '<' || c == '>' || c == '&') {
			pb_strbuf_puts(b, "\\u00");
			pb_strbuf_putc(b, hex[c >> 4]);
			pb_strbuf_putc(b, hex[c & 15]);
		} else if (c == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) {
			pb_strbuf_puts(b, p[2] == 0xA8 ? "\\u2028" : "\\u2029");
			p += 2;
		} else
			pb_strbuf_putc(b, (char)c);
	}
	pb_strbuf_putc(b, '"');
}

static void go_value(struct pb_strbuf *b, const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *k;
		json_t *x;
		bool first = true;
		pb_strbuf_putc(b, '{');
		json_object_foreach((json_t *)v, k, x)
		{
			if (!first)
				pb_strbuf_putc(b, ',');
			first = false;
			go_string(b, k);
			pb_strbuf_putc(b, ':');
			go_value(b, x);
		}
		pb_strbuf_putc(b, '}');
		break;
	}
	case JSON_ARRAY:
		pb_strbuf_putc(b, '[');
		for (size_t i = 0; i < json_array_size(v); i++) {
			if (i)
				pb_strbuf_putc(b, ',');
			go_value(b, json_array_get(v, i));
		}
		pb_strbuf_putc(b, ']');
		break;
	case JSON_STRING: go_string(b, json_string_value(v)); break;
	case JSON_INTEGER: pb_strbuf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v)); break;
	case JSON_TRUE: pb_strbuf_puts(b, "true"); break;
	case JSON_FALSE: pb_strbuf_puts(b, "false"); break;
	default: pb_strbuf_puts(b, "null"); break; /* reals never occur in settings */
	}
}

char *pb_settings_go_dump(const json_t *v)
{
	struct pb_strbuf b = PB_STRBUF_INIT;
	go_value(&b, v);
	return pb_strbuf_steal(&b);
}
