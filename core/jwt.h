/* jwt — compact JWS tokens signed with HMAC-SHA256, as PocketBase issues and accepts them.
 * Mirrors tools/security/jwt.go on golang-jwt v5.3.1: the header is {"alg":"HS256","typ":"JWT"},
 * the claims are encoded like Go's json.Marshal of a map (keys byte-wise sorted, compact,
 * HTML-escaped strings, Go number formatting), segments are unpadded base64url. Verification
 * accepts only alg HS256, compares the MAC in constant time and validates the numeric
 * `exp`, `nbf` and `iat` claims with zero leeway exactly as golang-jwt's validator does
 * (a zero value counts as absent; any non-number value is invalid). */
#ifndef POCKETC_CORE_JWT_H
#define POCKETC_CORE_JWT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* Signs `claims` (borrowed; must be a JSON object) with HS256 under key[0..keylen) (an empty
 * key is allowed, as in Go). Nothing is added to the claims: callers put `exp` in themselves.
 * Returns a malloc'd NUL-terminated token (caller frees), or NULL when claims is not an object
 * or holds a value Go cannot encode (NaN/Inf cannot occur in jansson) or HMAC fails. */
char *pb_jwt_sign_hs256(const json_t *claims, const char *key, size_t keylen);

/* Splits and decodes `token` without checking the signature or any time claim, as golang-jwt's
 * ParseUnverified: exactly three segments, a JSON-object header whose `alg` is a string naming a
 * signing method golang-jwt knows (HS*, RS*, PS*, ES*, EdDSA, none), a JSON-object (or null)
 * claims segment and a base64url signature segment. Numbers in the claims are decoded as reals,
 * like Go's float64. Returns the claims object (new reference; caller json_decref's it) or NULL
 * when the token is malformed. */
json_t *pb_jwt_parse_unverified(const char *token);

/* Checks `token` against key[0..keylen) at time now_unix (seconds): the structure as
 * pb_jwt_parse_unverified, header alg exactly "HS256" (every other alg, "none" included, is
 * rejected), the HMAC-SHA256 of "<header>.<claims>" equal to the signature, and the time
 * claims valid: exp (when present and non-zero) > now, nbf and iat (when present and non-zero)
 * <= now. Returns 0 when valid, -1 otherwise. When claims_out is non-NULL and the token is
 * valid, *claims_out gets the claims object (new reference; caller json_decref's it). */
int pb_jwt_verify_hs256_claims(const char *token, const char *key, size_t keylen, int64_t now_unix,
                               json_t **claims_out);

/* pb_jwt_verify_hs256_claims without returning the claims. */
/* The exp/nbf/iat checks of verification alone, on already verified claims (borrowed):
 * 0 when they hold at now_unix, -1 otherwise. */
int pb_jwt_check_times(const json_t *claims, int64_t now_unix);
int pb_jwt_verify_hs256(const char *token, const char *key, size_t keylen, int64_t now_unix);

#endif
