/* body_form — Go's url.Values as the body decoders collect them, url.ParseQuery (used for
 * the URL query and for application/x-www-form-urlencoded bodies) and PocketBase's
 * UnmarshalRequestData into a map: inferred plain values first, then the @jsonPayload
 * values decoded on top with json.Unmarshal rules. */
#include "api/body_internal.h"

#include <string.h>

#include "core/text.h"

void pb_form_init(struct pb_form *f)
{
	f->values = json_object();
}

void pb_form_deinit(struct pb_form *f)
{
	json_decref(f->values);
	f->values = NULL;
}

void pb_form_add(struct pb_form *f, const char *key, size_t klen, const char *val, size_t vlen)
{
	struct pb_strbuf k = PB_STRBUF_INIT;
	pb_body_utf8_append(&k, (const unsigned char *)key, klen);
	const char *ks = pb_strbuf_cstr(&k);
	json_t *list = json_object_getn(f->values, ks, k.len);
	if (!list) {
		list = json_array();
		json_object_setn_new_nocheck(f->values, ks, k.len, list);
	}
	json_array_append_new(list, pb_body_string(val, vlen));
	pb_strbuf_deinit(&k);
}

int pb_form_parse_query(struct pb_form *f, const char *s, size_t len)
{
	size_t pairs = 1;
	for (size_t i = 0; i < len; i++)
		pairs += s[i] == '&';
	if (pairs > PB_BODY_MAX_QUERY_PARAMS)
		return -1;
	int rc = 0;
	struct pb_strbuf k = PB_STRBUF_INIT, v = PB_STRBUF_INIT;
	size_t i = 0;
	while (i < len) {
		const char *amp = memchr(s + i, '&', len - i);
		size_t end = amp ? (size_t)(amp - s) : len;
		const char *pair = s + i;
		size_t plen = end - i;
		i = amp ? end + 1 : len;
		if (memchr(pair, ';', plen)) {
			rc = -1;
			continue;
		}
		if (plen == 0)
			continue;
		const char *eq = memchr(pair, '=', plen);
		size_t klen = eq ? (size_t)(eq - pair) : plen;
		pb_strbuf_reset(&k);
		if (pb_text_unescape_append(pair, klen, PB_UNESCAPE_PLUS, &k) < 0) {
			rc = -1;
			continue;
		}
		const char *val = eq ? eq + 1 : pair + plen;
		pb_strbuf_reset(&v);
		if (pb_text_unescape_append(val, eq ? plen - klen - 1 : 0, PB_UNESCAPE_PLUS, &v) < 0) {
			rc = -1;
			continue;
		}
		pb_form_add(f, pb_strbuf_cstr(&k), k.len, pb_strbuf_cstr(&v), v.len);
	}
	pb_strbuf_deinit(&k);
	pb_strbuf_deinit(&v);
	return rc;
}

/* json.Unmarshal(payload, &map): an object's keys overwrite, null clears the map. */
static int merge_payload(json_t *obj, const json_t *payload)
{
	json_t *j = pb_body_json_load((const unsigned char *)json_string_value(payload), json_string_length(payload), true);
	if (!j)
		return -1;
	int rc = 0;
	if (json_is_null(j)) {
		json_object_clear(obj);
	} else if (json_is_object(j)) {
		const char *key;
		size_t klen;
		json_t *val;
		json_object_keylen_foreach(j, key, klen, val) {
			json_object_setn_nocheck(obj, key, klen, val);
		}
	} else {
		rc = -1;
	}
	json_decref(j);
	return rc;
}

int pb_form_to_object(const struct pb_form *f, json_t *obj)
{
	const char *key;
	size_t klen;
	json_t *list;
	json_object_keylen_foreach(f->values, key, klen, list) {
		if (klen == strlen(PB_BODY_JSON_PAYLOAD_KEY) && memcmp(key, PB_BODY_JSON_PAYLOAD_KEY, klen) == 0)
			continue;
		json_t *val;
		if (json_array_size(list) == 1) {
			json_t *s = json_array_get(list, 0);
			val = pb_body_infer(json_string_value(s), json_string_length(s));
		} else {
			val = json_array();
			size_t i;
			json_t *s;
			json_array_foreach(list, i, s) {
				json_array_append_new(val, pb_body_infer(json_string_value(s), json_string_length(s)));
			}
		}
		json_object_setn_new_nocheck(obj, key, klen, val);
	}
	json_t *payloads = json_object_get(f->values, PB_BODY_JSON_PAYLOAD_KEY);
	size_t i;
	json_t *p;
	json_array_foreach(payloads, i, p) {
		if (merge_payload(obj, p) < 0)
			return -1;
	}
	return 0;
}
