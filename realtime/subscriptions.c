/* subscriptions — parsing subscription strings the way PocketBase's DefaultClient.Subscribe
 * does (tools/subscriptions/client.go): the whole string is the subscription (and the SSE
 * event name); its `options` query parameter, found as url.Parse + URL.Query().Get would find
 * it, holds JSON {"query":{…},"headers":{…}} that is decoded leniently (any error → no
 * options), every value turned into a string as cast.ToString does and every header name
 * snake_cased as inflector.Snakecase does. Known simplifications: url.Parse's authority
 * checks for "//host" topics are not repeated, and options JSON with invalid UTF-8 (which Go
 * would decode with U+FFFD) counts as malformed. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/json_write.h"
#include "core/text.h"
#include "realtime/realtime_internal.h"

/* ---- inflector.Snakecase ------------------------------------------------------------------- */

static bool is_word(unsigned char c) { return isascii(c) && isalnum(c); }

void pb_rt_snakecase(const char *s, size_t len, struct pb_strbuf *out)
{
	size_t start_len = out->len;
	size_t i = 0;
	while (i < len) {
		while (i < len && !is_word((unsigned char)s[i]))
			i++;
		size_t w = i;
		while (i < len && is_word((unsigned char)s[i]))
			i++;
		if (i == w)
			break;
		if (out->len > start_len)
			pb_strbuf_putc(out, '_');
		for (size_t k = w; k < i; k++) {
			unsigned char c = (unsigned char)s[k];
			if (isupper(c) && k > w && !isupper((unsigned char)s[k - 1]))
				pb_strbuf_putc(out, '_');
			pb_strbuf_putc(out, (char)tolower(c));
		}
	}
}

/* ---- the `options` parameter as url.Parse + Query().Get("options") finds it ---------------- */

/* url.QueryUnescape into out (cleared first). Returns false on a bad escape. */
static bool query_unescape(const char *s, size_t len, struct pb_strbuf *out)
{
	pb_strbuf_reset(out);
	return pb_text_unescape_append(s, len, PB_UNESCAPE_PLUS, out) == 0;
}

/* The raw query of `s` as url.Parse would set URL.RawQuery, or false when url.Parse fails. */
static bool url_raw_query(const char *s, size_t len, const char **q, size_t *qlen)
{
	*q = NULL;
	*qlen = 0;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false; /* invalid control character in URL */
	const char *hash = memchr(s, '#', len);
	size_t ulen = hash ? (size_t)(hash - s) : len;
	if (hash && !pb_text_escapes_valid(hash + 1, len - ulen - 1))
		return false;
	const char *rest = s;
	size_t rlen = ulen;
	if (rlen == 1 && rest[0] == '*')
		return true;
	/* getScheme */
	bool scheme = false;
	for (size_t i = 0; i < rlen; i++) {
		unsigned char c = (unsigned char)rest[i];
		if (isascii(c) && isalpha(c))
			continue;
		if (isascii(c) && (isdigit(c) || c == '+' || c == '-' || c == '.')) {
			if (i == 0)
				break;
			continue;
		}
		if (c == ':') {
			if (i == 0)
				return false; /* missing protocol scheme */
			scheme = true;
			rest += i + 1;
			rlen -= i + 1;
		}
		break;
	}
	/* the raw query is everything after the first '?' (a lone trailing '?' gives "") */
	const char *qm = memchr(rest, '?', rlen);
	size_t plen = qm ? (size_t)(qm - rest) : rlen;
	if (qm) {
		*q = qm + 1;
		*qlen = rlen - plen - 1;
	}
	if (plen == 0 || rest[0] != '/') {
		if (scheme)
			return true; /* opaque */
		const char *slash = memchr(rest, '/', plen);
		size_t seg = slash ? (size_t)(slash - rest) : plen;
		if (memchr(rest, ':', seg))
			return false; /* first path segment in URL cannot contain colon */
	}
	return pb_text_escapes_valid(rest, plen);
}

/* The first `options` value of the raw query (url.ParseQuery: pairs with ';' or bad escapes
 * are skipped). Fills out; returns false when there is none. */
static bool options_param(const char *q, size_t qlen, struct pb_strbuf *out)
{
	struct pb_strbuf key = PB_STRBUF_INIT;
	bool found = false;
	size_t i = 0;
	while (i <= qlen && !found) {
		const char *amp = memchr(q + i, '&', qlen - i);
		size_t end = amp ? (size_t)(amp - q) : qlen;
		const char *pair = q + i;
		size_t plen = end - i;
		if (plen && !memchr(pair, ';', plen)) {
			const char *eq = memchr(pair, '=', plen);
			size_t klen = eq ? (size_t)(eq - pair) : plen;
			if (query_unescape(pair, klen, &key) && key.len == 7 && !memcmp(key.data, "options", 7)) {
				if (eq ? query_unescape(eq + 1, plen - klen - 1, out) : (pb_strbuf_reset(out), true))
					found = true;
			}
		}
		if (!amp)
			break;
		i = end + 1;
	}
	pb_strbuf_deinit(&key);
	return found;
}

/* cast.ToString of a decoded JSON value (numbers are float64 in Go). New reference. */
static json_t *cast_string(const json_t *v)
{
	if (json_is_string(v))
		return json_stringn_nocheck(json_string_value(v), json_string_length(v));
	if (json_is_true(v))
		return json_string("true");
	if (json_is_false(v))
		return json_string("false");
	if (json_is_number(v)) {
		char buf[PB_JSON_FLOAT_FIXED_MAX];
		pb_json_format_float_fixed(json_number_value(v), buf, sizeof buf);
		return json_string(buf);
	}
	return json_string(""); /* null, objects, arrays */
}

/* Decodes one options member (value borrowed) into *map (created on demand), as json.Unmarshal
 * into a map[string]any field: an object merges its entries, null resets the map, anything
 * else is a type error that leaves it alone. */
static void decode_map(json_t **map, const json_t *value, bool snake)
{
	if (json_is_null(value)) {
		json_decref(*map);
		*map = NULL;
		return;
	}
	if (!json_is_object(value))
		return;
	if (!*map)
		*map = json_object();
	const char *k;
	size_t klen;
	json_t *v;
	struct pb_strbuf name = PB_STRBUF_INIT;
	json_object_keylen_foreach((json_t *)value, k, klen, v)
	{
		pb_strbuf_reset(&name);
		if (snake)
			pb_rt_snakecase(k, klen, &name);
		else
			pb_strbuf_append(&name, k, klen);
		json_object_setn_new_nocheck(*map, pb_strbuf_cstr(&name), name.len, cast_string(v));
	}
	pb_strbuf_deinit(&name);
}

static void parse_options(struct pb_rt_sub *sub)
{
	const char *q;
	size_t qlen;
	struct pb_strbuf raw = PB_STRBUF_INIT;
	if (url_raw_query(sub->topic, sub->len, &q, &qlen) && q && options_param(q, qlen, &raw) && raw.len) {
		json_t *doc = json_loadb(raw.data, raw.len, JSON_DECODE_INT_AS_REAL | JSON_ALLOW_NUL, NULL);
		if (json_is_object(doc)) {
			const char *k;
			json_t *v;
			json_object_foreach(doc, k, v)
			{
				if (!strcasecmp(k, "query"))
					decode_map(&sub->query, v, false);
				else if (!strcasecmp(k, "headers"))
					decode_map(&sub->headers, v, true);
			}
		}
		json_decref(doc);
	}
	pb_strbuf_deinit(&raw);
	if (sub->query && !json_object_size(sub->query)) {
		json_decref(sub->query);
		sub->query = NULL;
	}
	if (sub->headers && !json_object_size(sub->headers)) {
		json_decref(sub->headers);
		sub->headers = NULL;
	}
	if (sub->query || sub->headers) {
		json_t *key = json_object();
		json_object_set(key, "h", sub->headers ? sub->headers : json_null());
		json_object_set(key, "q", sub->query ? sub->query : json_null());
		sub->options_key = json_dumps(key, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(key);
	}
	if (!sub->options_key)
		sub->options_key = strdup("");
	if (!sub->options_key)
		abort();
}

/* ---- sets ------------------------------------------------------------------------------------- */

void pb_rt_sub_deinit(struct pb_rt_sub *s)
{
	free(s->topic);
	json_decref(s->query);
	json_decref(s->headers);
	free(s->options_key);
	memset(s, 0, sizeof *s);
}

struct pb_rt_subs *pb_rt_subs_parse(const char *const *topics, const size_t *lens, size_t n)
{
	struct pb_rt_subs *set = calloc(1, sizeof *set);
	if (!set || (n && !(set->items = calloc(n, sizeof *set->items))))
		abort();
	json_t *seen = json_object();
	for (size_t i = 0; i < n; i++) {
		if (!lens[i] || json_object_getn(seen, topics[i], lens[i]))
			continue;
		json_object_setn_new_nocheck(seen, topics[i], lens[i], json_true());
		struct pb_rt_sub *sub = &set->items[set->n++];
		sub->topic = malloc(lens[i] + 1);
		if (!sub->topic)
			abort();
		memcpy(sub->topic, topics[i], lens[i]);
		sub->topic[lens[i]] = '\0';
		sub->len = lens[i];
		const char *qm = memchr(sub->topic, '?', sub->len);
		sub->base_len = qm ? (size_t)(qm - sub->topic) : sub->len;
		parse_options(sub);
	}
	json_decref(seen);
	return set;
}

void pb_rt_subs_free(struct pb_rt_subs *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		pb_rt_sub_deinit(&s->items[i]);
	free(s->items);
	free(s);
}

size_t pb_rt_subs_count(const struct pb_rt_subs *s) { return s ? s->n : 0; }

const char *pb_rt_subs_topic(const struct pb_rt_subs *s, size_t i, size_t *len)
{
	if (!s || i >= s->n)
		return NULL;
	if (len)
		*len = s->items[i].len;
	return s->items[i].topic;
}

json_t *pb_rt_subs_query(const struct pb_rt_subs *s, size_t i) { return s && i < s->n ? s->items[i].query : NULL; }

json_t *pb_rt_subs_headers(const struct pb_rt_subs *s, size_t i)
{
	return s && i < s->n ? s->items[i].headers : NULL;
}
