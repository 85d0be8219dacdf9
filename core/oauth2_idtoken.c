/* oauth2_idtoken — id_token handling of the OIDC, Apple and Microsoft providers (see
 * oauth2_internal.h): claims read without verification (golang-jwt ParseUnverified), then
 * golang-jwt's validator with PocketBase's leeway (PB_ID_TOKEN_LEEWAY seconds, default 5 min)
 * and audience/issuer rules, and optionally the signature against a remote JWKS
 * (tools/auth/internal/jwk): the key whose kid matches the header and whose alg is set, RSA
 * (PKCS#1 v1.5 or PSS) or Ed25519, verified with OpenSSL. The signature parse re-validates
 * exp/nbf without leeway, as golang-jwt's default parser does. */
#include <math.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/base64url.h"
#include "core/jwt.h"
#include "core/oauth2_internal.h"

static double leeway_seconds(void)
{
	const char *v = getenv("PB_ID_TOKEN_LEEWAY");
	if (v && *v) {
		char *end;
		long n = strtol(v, &end, 10);
		if (!*end)
			return (double)n;
	}
	return 300;
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* a NumericDate claim: 1 present (value in *out), 0 absent, -1 malformed */
static int numeric(const json_t *claims, const char *name, double *out)
{
	json_t *v = json_object_get(claims, name);
	if (!v || json_is_null(v))
		return 0;
	if (json_is_number(v)) {
		*out = json_number_value(v);
		return 1;
	}
	if (json_is_string(v)) {
		char *end;
		*out = strtod(json_string_value(v), &end);
		return *end ? -1 : 1;
	}
	return -1;
}

/* exp/nbf (and iat when check_iat) against now with `leeway`; 0 or -1 with err */
static int check_times(const json_t *claims, double now, double leeway, bool exp_required, bool check_iat,
                       struct pb_error *err)
{
	double t;
	int r = numeric(claims, "exp", &t);
	if (r < 0 || (r == 0 && exp_required))
		return pb_error_set(err, 400, "token has invalid claims: exp");
	if (r > 0 && !(now < t + leeway))
		return pb_error_set(err, 400, "token has invalid claims: token is expired");
	if (check_iat && (r = numeric(claims, "iat", &t)) != 0 && (r < 0 || now < t - leeway))
		return pb_error_set(err, 400, "token has invalid claims: token used before issued");
	if ((r = numeric(claims, "nbf", &t)) != 0 && (r < 0 || now < t - leeway))
		return pb_error_set(err, 400, "token has invalid claims: token is not valid yet");
	return 0;
}

static bool has_audience(const json_t *claims, const char *aud)
{
	const json_t *v = json_object_get(claims, "aud");
	if (json_is_string(v))
		return *aud && !strcmp(json_string_value(v), aud);
	size_t i;
	const json_t *x;
	json_array_foreach(v, i, x) if (json_is_string(x) && *aud && !strcmp(json_string_value(x), aud)) return true;
	return false;
}

/* the decoded JOSE header of a compact token, or NULL */
static json_t *token_header(const char *token)
{
	const char *dot = strchr(token, '.');
	if (!dot)
		return NULL;
	size_t n;
	unsigned char *raw = pb_base64url_decode(token, (size_t)(dot - token), &n);
	if (!raw)
		return NULL;
	json_t *h = json_loadb((const char *)raw, n, 0, NULL);
	free(raw);
	if (!json_is_object(h)) {
		json_decref(h);
		return NULL;
	}
	return h;
}

static const json_t *find_key(const json_t *jwks, const char *kid)
{
	const json_t *keys = pb_oauth2_jget(jwks, "keys");
	size_t i;
	const json_t *k;
	json_array_foreach(keys, i, k)
	{
		bool bad = false;
		const char *id = pb_oauth2_jstr(k, "kid", &bad), *alg = pb_oauth2_jstr(k, "alg", &bad);
		if (!bad && !strcmp(id, kid) && *alg)
			return k;
	}
	return NULL;
}

static int check_signature(const char *token, const char *jwks_url, long timeout_ms, struct pb_error *err)
{
	json_t *h = token_header(token);
	const char *kid = json_string_value(json_object_get(h, "kid"));
	const char *alg = json_string_value(json_object_get(h, "alg"));
	if (!kid || !*kid) {
		json_decref(h);
		return pb_error_set(err, 400, "id_token validation failed: missing kid header value");
	}
	struct pb_oauth2_http r;
	if (pb_oauth2_http_do("GET", jwks_url, NULL, NULL, 0, timeout_ms, 1u << 20, false, &r, err) != 0) {
		json_decref(h);
		return -1;
	}
	int rc = 0;
	json_t *jwks = r.status < 400 ? json_loadb(r.body, r.len, 0, NULL) : NULL;
	const json_t *key = jwks ? find_key(jwks, kid) : NULL;
	if (r.status >= 400)
		rc = pb_error_set(err, 400, "failed to fetch JSON Web Key Set from %s (%ld)", jwks_url, r.status);
	else if (!key)
		rc = pb_error_set(err, 400, "id_token validation failed: missing JWK with kid %.100s and non-empty alg", kid);
	else if (!alg || strcmp(alg, json_string_value(pb_oauth2_jget(key, "alg"))) != 0)
		rc = pb_error_set(err, 400, "id_token validation failed: signing method is invalid");
	else if (pb_oauth2_jws_verify(token, key, alg) != 0)
		rc = pb_error_set(err, 400, "id_token validation failed: signature is invalid");
	json_decref(jwks);
	json_decref(h);
	pb_oauth2_http_free(&r);
	return rc;
}

json_t *pb_oauth2_idtoken_claims(const char *id_token, const struct pb_oauth2_idtoken_rules *rules,
                                 struct pb_error *err)
{
	if (!id_token || !*id_token) {
		pb_error_set(err, 400, "empty id_token");
		return NULL;
	}
	json_t *claims = pb_jwt_parse_unverified(id_token);
	if (!claims) {
		pb_error_set(err, 400, "token is malformed");
		return NULL;
	}
	double now = now_seconds();
	if (check_times(claims, now, leeway_seconds(), rules->exp_required, true, err) != 0)
		goto fail;
	if (rules->audience && !has_audience(claims, rules->audience)) {
		pb_error_set(err, 400, "token has invalid claims: token has invalid audience");
		goto fail;
	}
	const char *iss = json_string_value(json_object_get(claims, "iss"));
	if (rules->issuer && (!iss || strcmp(iss, rules->issuer) != 0)) {
		pb_error_set(err, 400, "token has invalid claims: token has invalid issuer");
		goto fail;
	}
	if (json_array_size(rules->issuers)) {
		bool ok = false;
		size_t i;
		const json_t *v;
		json_array_foreach(rules->issuers, i, v) if (json_is_string(v) && iss && !strcmp(iss, json_string_value(v))) ok =
		    true;
		if (!ok) {
			pb_error_set(err, 400, "iss must be one of the configured issuers");
			goto fail;
		}
	}
	if (rules->jwks_url && *rules->jwks_url) {
		if (check_signature(id_token, rules->jwks_url, rules->timeout_ms, err) != 0 ||
		    check_times(claims, now, 0, false, false, err) != 0)
			goto fail;
	}
	return claims;
fail:
	json_decref(claims);
	return NULL;
}

/* ---- signature -------------------------------------------------------------------------------- */

static EVP_PKEY *rsa_key(const json_t *jwk)
{
	bool bad = false;
	const char *n64 = pb_oauth2_jstr(jwk, "n", &bad), *e64 = pb_oauth2_jstr(jwk, "e", &bad);
	size_t nl = strcspn(n64, "="), el = strcspn(e64, "="), nlen = 0, elen = 0;
	unsigned char *n = pb_base64url_decode(n64, nl, &nlen), *e = pb_base64url_decode(e64, el, &elen);
	EVP_PKEY *pkey = NULL;
	BIGNUM *bn = n ? BN_bin2bn(n, (int)nlen, NULL) : NULL, *be = e ? BN_bin2bn(e, (int)elen, NULL) : NULL;
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	if (bn && be && bld && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be) && (params = OSSL_PARAM_BLD_to_param(bld)) &&
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) && EVP_PKEY_fromdata_init(ctx) > 0)
		EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(bn);
	BN_free(be);
	free(n);
	free(e);
	return pkey;
}

static EVP_PKEY *okp_key(const json_t *jwk)
{
	bool bad = false;
	if (strcmp(pb_oauth2_jstr(jwk, "crv", &bad), "Ed25519") != 0)
		return NULL;
	const char *x64 = pb_oauth2_jstr(jwk, "x", &bad);
	size_t xl = 0;
	unsigned char *x = pb_base64url_decode(x64, strcspn(x64, "="), &xl);
	EVP_PKEY *k = x && xl == 32 ? EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, x, 32) : NULL;
	free(x);
	return k;
}

int pb_oauth2_jws_verify(const char *token, const json_t *jwk, const char *alg)
{
	const char *last = strrchr(token, '.');
	if (!last || last == token || !alg)
		return -1;
	bool bad = false;
	const char *kty = pb_oauth2_jstr(jwk, "kty", &bad);
	const EVP_MD *md = NULL;
	int pad = 0;
	bool eddsa = !strcmp(alg, "EdDSA");
	if (!strcmp(alg, "RS256") || !strcmp(alg, "PS256"))
		md = EVP_sha256();
	else if (!strcmp(alg, "RS384") || !strcmp(alg, "PS384"))
		md = EVP_sha384();
	else if (!strcmp(alg, "RS512") || !strcmp(alg, "PS512"))
		md = EVP_sha512();
	else if (!eddsa)
		return -1;
	if (!eddsa)
		pad = alg[0] == 'P' ? RSA_PKCS1_PSS_PADDING : RSA_PKCS1_PADDING;
	EVP_PKEY *key = eddsa ? (!strcmp(kty, "OKP") ? okp_key(jwk) : NULL) : (!strcmp(kty, "RSA") ? rsa_key(jwk) : NULL);
	size_t siglen = 0;
	unsigned char *sig = pb_base64url_decode(last + 1, strlen(last + 1), &siglen);
	int rc = -1;
	EVP_MD_CTX *mctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	if (key && sig && mctx && EVP_DigestVerifyInit(mctx, &pctx, md, NULL, key) > 0) {
		bool ok = true;
		if (!eddsa) {
			ok = EVP_PKEY_CTX_set_rsa_padding(pctx, pad) > 0;
			if (ok && pad == RSA_PKCS1_PSS_PADDING)
				ok = EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_AUTO) > 0;
		}
		if (ok && EVP_DigestVerify(mctx, sig, siglen, (const unsigned char *)token, (size_t)(last - token)) == 1)
			rc = 0;
	}
	EVP_MD_CTX_free(mctx);
	EVP_PKEY_free(key);
	free(sig);
	return rc;
}
