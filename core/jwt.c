/* jwt — HS256 signing, unverified parsing and verification (see jwt.h).
 * The claims encoder reproduces Go's encoding/json output for a map[string]any so that a token
 * signed here is byte-identical to one PocketBase signs for the same claims. Verification
 * checks exp/nbf/iat together: PocketBase's FindAuthRecordByToken validates all three in its
 * unverified pre-parse (ParseUnverifiedJWT, WithIssuedAt) and exp/nbf again in ParseJWT. */
#include "core/jwt.h"

#include <math.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base64url.h"
#include "core/strbuf.h"

/* base64url of {"alg":"HS256","typ":"JWT"} */
#define HS256_HEADER_B64 "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
#define HS256_MAC_LEN 32

/* ---- Go-compatible JSON encoding -------------------------------------------------------- */

static void go_string(struct pb_strbuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	pb_strbuf_putc(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': pb_strbuf_puts(b, "\\\""); continue;
		case '\\': pb_strbuf_puts(b, "\\\\"); continue;
		case '\b': pb_strbuf_puts(b, "\\b"); continue;
		case '\f': pb_strbuf_puts(b, "\\f"); continue;
		case '\n': pb_strbuf_puts(b, "\\n"); continue;
		case '\r': pb_strbuf_puts(b, "\\r"); continue;
		case '\t': pb_strbuf_puts(b, "\\t"); continue;
		default: break;
		}
		if (c < 0x20 || c == '<' || c == '>' || c == '&') {
			char u[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
			pb_strbuf_puts(b, u);
		} else if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
		           ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9)) {
			pb_strbuf_puts(b, (unsigned char)s[i + 2] == 0xA8 ? "\\u2028" : "\\u2029");
			i += 2;
		} else {
			pb_strbuf_putc(b, (char)c); /* jansson strings are valid UTF-8 */
		}
	}
	pb_strbuf_putc(b, '"');
}

/* strconv.FormatFloat(v, 'f' or 'e', -1, 64) as encoding/json picks it: the shortest digits
 * that round-trip, 'e' form only for |v| < 1e-6 or >= 1e21, exponent without a leading zero. */
static void go_float(struct pb_strbuf *b, double v)
{
	char buf[40];
	int prec = 1;
	for (; prec < 17; prec++) {
		snprintf(buf, sizeof buf, "%.*e", prec - 1, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	snprintf(buf, sizeof buf, "%.*e", prec - 1, v);
	/* buf: [-]d[.ddd]e(+|-)XX */
	const char *p = buf;
	bool neg = *p == '-';
	if (neg)
		p++;
	char digits[20];
	int nd = 0;
	for (; *p && *p != 'e'; p++)
		if (*p != '.')
			digits[nd++] = *p;
	int exp10 = atoi(p + 1);
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	double a = fabs(v);
	if (neg)
		pb_strbuf_putc(b, '-');
	if (a != 0 && (a < 1e-6 || a >= 1e21)) {
		pb_strbuf_putc(b, digits[0]);
		if (nd > 1) {
			pb_strbuf_putc(b, '.');
			pb_strbuf_append(b, digits + 1, (size_t)nd - 1);
		}
		pb_strbuf_printf(b, "e%c%0*d", exp10 < 0 ? '-' : '+', exp10 < 0 ? 1 : 2, abs(exp10));
		return;
	}
	if (exp10 < 0) {
		pb_strbuf_puts(b, "0.");
		for (int i = 0; i < -exp10 - 1; i++)
			pb_strbuf_putc(b, '0');
		pb_strbuf_append(b, digits, (size_t)nd);
		return;
	}
	for (int i = 0; i <= exp10; i++)
		pb_strbuf_putc(b, i < nd ? digits[i] : '0');
	if (nd > exp10 + 1) {
		pb_strbuf_putc(b, '.');
		pb_strbuf_append(b, digits + exp10 + 1, (size_t)(nd - exp10 - 1));
	}
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int go_json(struct pb_strbuf *b, const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_NULL: pb_strbuf_puts(b, "null"); return 0;
	case JSON_TRUE: pb_strbuf_puts(b, "true"); return 0;
	case JSON_FALSE: pb_strbuf_puts(b, "false"); return 0;
	case JSON_INTEGER: pb_strbuf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v)); return 0;
	case JSON_REAL:
		if (!isfinite(json_real_value(v)))
			return -1;
		go_float(b, json_real_value(v));
		return 0;
	case JSON_STRING: go_string(b, json_string_value(v), json_string_length(v)); return 0;
	case JSON_ARRAY:
		pb_strbuf_putc(b, '[');
		for (size_t i = 0; i < json_array_size(v); i++) {
			if (i)
				pb_strbuf_putc(b, ',');
			if (go_json(b, json_array_get(v, i)) != 0)
				return -1;
		}
		pb_strbuf_putc(b, ']');
		return 0;
	case JSON_OBJECT: {
		size_t n = json_object_size(v), i = 0;
		const char **keys = malloc((n ? n : 1) * sizeof *keys);
		if (!keys)
			return -1;
		const char *k;
		json_t *val;
		json_object_foreach((json_t *)v, k, val) keys[i++] = k;
		qsort(keys, n, sizeof *keys, key_cmp);
		int rc = 0;
		pb_strbuf_putc(b, '{');
		for (i = 0; i < n && rc == 0; i++) {
			if (i)
				pb_strbuf_putc(b, ',');
			go_string(b, keys[i], strlen(keys[i]));
			pb_strbuf_putc(b, ':');
			rc = go_json(b, json_object_get(v, keys[i]));
		}
		pb_strbuf_putc(b, '}');
		free(keys);
		return rc;
	}
	}
	return -1;
}

/* ---- signing ------------------------------------------------------------------------------ */

static int hmac_sha256(const char *key, size_t keylen, const char *data, size_t n, unsigned char out[HS256_MAC_LEN])
{
	unsigned int len = 0;
	/* OpenSSL wants a non-NULL key pointer even for an empty key. */
	if (!HMAC(EVP_sha256(), keylen ? key : "", (int)keylen, (const unsigned char *)data, n, out, &len))
		return -1;
	return len == HS256_MAC_LEN ? 0 : -1;
}

char *pb_jwt_sign_hs256(const json_t *claims, const char *key, size_t keylen)
{
	if (!json_is_object(claims) || (keylen && !key) || keylen > INT32_MAX)
		return NULL;
	struct pb_strbuf payload = PB_STRBUF_INIT, tok = PB_STRBUF_INIT;
	char *out = NULL;
	if (go_json(&payload, claims) != 0)
		goto done;
	pb_strbuf_puts(&tok, HS256_HEADER_B64 ".");
	pb_base64url_encode(&tok, payload.data, payload.len);
	unsigned char mac[HS256_MAC_LEN];
	if (hmac_sha256(key, keylen, tok.data, tok.len, mac) != 0)
		goto done;
	pb_strbuf_putc(&tok, '.');
	pb_base64url_encode(&tok, mac, sizeof mac);
	out = pb_strbuf_steal(&tok);
done:
	pb_strbuf_deinit(&payload);
	pb_strbuf_deinit(&tok);
	return out;
}

/* ---- parsing ------------------------------------------------------------------------------ */

struct parsed {
	const char *seg[3]; /* borrowed from the token */
	size_t len[3];
	json_t *header, *claims; /* owned */
	unsigned char *sig;      /* owned */
	size_t siglen;
};

static void parsed_clear(struct parsed *p)
{
	json_decref(p->header);
	json_decref(p->claims);
	free(p->sig);
}

/* A segment holding a JSON object; `null` decodes to an empty object as Go's Unmarshal into
 * a map leaves it empty. New reference or NULL. */
static json_t *json_segment(const char *s, size_t n)
{
	size_t len;
	unsigned char *raw = pb_base64url_decode(s, n, &len);
	if (!raw)
		return NULL;
	json_t *v = json_loadb((const char *)raw, len, JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL, NULL);
	free(raw);
	if (json_is_null(v)) {
		json_decref(v);
		return json_object();
	}
	if (!json_is_object(v)) {
		json_decref(v);
		return NULL;
	}
	return v;
}

static bool known_alg(const char *alg)
{
	static const char *const algs[] = {"HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384",
	                                   "PS512", "ES256", "ES384", "ES512", "EdDSA", "none"};
	for (size_t i = 0; i < sizeof algs / sizeof algs[0]; i++)
		if (strcmp(alg, algs[i]) == 0)
			return true;
	return false;
}

static int parse(const char *token, struct parsed *p)
{
	memset(p, 0, sizeof *p);
	if (!token)
		return -1;
	const char *s = token;
	for (int i = 0; i < 3; i++) {
		const char *dot = strchr(s, '.');
		if (i < 2 && !dot)
			return -1;
		if (i == 2 && dot)
			return -1; /* more than three segments */
		p->seg[i] = s;
		p->len[i] = dot ? (size_t)(dot - s) : strlen(s);
		s = dot ? dot + 1 : s;
	}
	p->header = json_segment(p->seg[0], p->len[0]);
	if (!p->header)
		return -1;
	p->claims = json_segment(p->seg[1], p->len[1]);
	if (!p->claims)
		return -1;
	const char *alg = json_string_value(json_object_get(p->header, "alg"));
	if (!alg || !known_alg(alg))
		return -1;
	p->sig = pb_base64url_decode(p->seg[2], p->len[2], &p->siglen);
	return p->sig ? 0 : -1;
}

json_t *pb_jwt_parse_unverified(const char *token)
{
	struct parsed p;
	json_t *claims = NULL;
	if (parse(token, &p) == 0) {
		claims = p.claims;
		p.claims = NULL;
	}
	parsed_clear(&p);
	return claims;
}

/* ---- verification ------------------------------------------------------------------------- */

/* Seconds from Go's zero time (January 1, year 1) to the Unix epoch. */
#define UNIX_TO_INTERNAL 62135596800u

/* Seconds since Go's zero time of a NumericDate built from `f`, computed the way Go does it on
 * amd64: floor to whole seconds, an out-of-range float→int64 conversion yields INT64_MIN, and
 * adding the epoch offset wraps around (so exp near INT64_MAX counts as long expired). */
static int64_t go_abs_seconds(double f)
{
	int64_t s = (f >= -0x1p63 && f < 0x1p63) ? (int64_t)floor(f) : INT64_MIN;
	return (int64_t)((uint64_t)s + UNIX_TO_INTERNAL);
}

/* 0 when claim `name` is absent or zero or satisfies the check against now; -1 otherwise. */
static int check_time(const json_t *claims, const char *name, int64_t now_abs, bool is_exp)
{
	json_t *v = json_object_get(claims, name);
	if (!v)
		return 0;
	if (!json_is_number(v))
		return -1;
	double f = json_number_value(v);
	if (f == 0)
		return 0; /* golang-jwt v5.3.1 treats a zero date as absent */
	int64_t t = go_abs_seconds(f);
	return (is_exp ? now_abs < t : now_abs >= t) ? 0 : -1;
}

int pb_jwt_verify_hs256_claims(const char *token, const char *key, size_t keylen, int64_t now_unix,
                               json_t **claims_out)
{
	struct parsed p;
	int rc = -1;
	if (parse(token, &p) != 0 || (keylen && !key) || keylen > INT32_MAX)
		goto done;
	if (strcmp(json_string_value(json_object_get(p.header, "alg")), "HS256") != 0)
		goto done;
	unsigned char mac[HS256_MAC_LEN];
	size_t signed_len = p.len[0] + 1 + p.len[1];
	if (hmac_sha256(key, keylen, token, signed_len, mac) != 0)
		goto done;
	if (p.siglen != HS256_MAC_LEN || CRYPTO_memcmp(mac, p.sig, HS256_MAC_LEN) != 0)
		goto done;
	int64_t now_abs = (int64_t)((uint64_t)now_unix + UNIX_TO_INTERNAL);
	if (check_time(p.claims, "exp", now_abs, true) || check_time(p.claims, "nbf", now_abs, false) ||
	    check_time(p.claims, "iat", now_abs, false))
		goto done;
	rc = 0;
	if (claims_out) {
		*claims_out = p.claims;
		p.claims = NULL;
	}
done:
	parsed_clear(&p);
	return rc;
}

int pb_jwt_verify_hs256(const char *token, const char *key, size_t keylen, int64_t now_unix)
{
	return pb_jwt_verify_hs256_claims(token, key, keylen, now_unix, NULL);
}
