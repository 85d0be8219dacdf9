/* jwt — HS256 signing, unverified parsing and verification (see jwt.h).
 * The claims are encoded as Go's encoding/json writes a map[string]any (core/json_write), so a
 * token signed here is byte-identical to one PocketBase signs for the same claims. Verification
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
#include "core/json_write.h"
#include "core/strbuf.h"

/* base64url of {"alg":"HS256","typ":"JWT"} */
#define HS256_HEADER_B64 "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
#define HS256_MAC_LEN 32

/* The claims are a Go map: keys sorted at every level, Go's encoder bytes. NaN/Inf (which Go
 * refuses to encode) make signing fail. */
static bool all_finite(const json_t *v)
{
	if (json_is_real(v))
		return isfinite(json_real_value(v));
	if (json_is_array(v)) {
		for (size_t i = 0; i < json_array_size(v); i++)
			if (!all_finite(json_array_get(v, i)))
				return false;
	} else if (json_is_object(v)) {
		const char *k;
		json_t *val;
		json_object_foreach((json_t *)v, k, val)
		if (!all_finite(val))
			return false;
	}
	return true;
}

static int go_json(struct pb_strbuf *b, const json_t *v)
{
	if (!all_finite(v))
		return -1;
	json_t *sorted = pb_json_sorted_copy(v);
	pb_json_write(b, sorted);
	json_decref(sorted);
	return 0;
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

int pb_jwt_check_times(const json_t *claims, int64_t now_unix)
{
	int64_t now_abs = (int64_t)((uint64_t)now_unix + UNIX_TO_INTERNAL);
	if (check_time(claims, "exp", now_abs, true) || check_time(claims, "nbf", now_abs, false) ||
	    check_time(claims, "iat", now_abs, false))
		return -1;
	return 0;
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
	if (pb_jwt_check_times(p.claims, now_unix) != 0)
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
