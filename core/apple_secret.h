/* apple_secret — the "Sign in with Apple" client secret of PocketBase's
 * forms.AppleClientSecretCreate (v0.39.11): an ES256 JWT signed with the developer's EC P-256
 * private key, header {"alg":"ES256","kid":<keyId>,"typ":"JWT"} and claims
 * {"iss":<teamId>,"sub":<clientId>,"aud":["https://appleid.apple.com"],"exp":now+duration,
 * "iat":now} in golang-jwt's order and encoding (RegisteredClaims, integer NumericDates,
 * base64url without padding, the signature as the 64-byte R||S). The key is read like
 * jwt.ParseECPrivateKeyFromPEM: the first PEM block, as SEC 1 or PKCS #8 DER. Uses OpenSSL. */
#ifndef POCKETC_CORE_APPLE_SECRET_H
#define POCKETC_CORE_APPLE_SECRET_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"

/* The form's privateKey rule: `(?m)-----BEGIN PRIVATE KEY----[\s\S]+-----END PRIVATE KEY-----`
 * matches somewhere in s. */
bool pb_apple_private_key_format_ok(const char *s);

/* Signs a client secret. All strings borrowed; `pem` is trimmed of surrounding whitespace.
 * Returns a malloc'd JWT (caller frees), or NULL with err (400) holding golang-jwt's error
 * text: "invalid key: Key must be a PEM encoded PKCS1 or PKCS8 key" (no PEM block),
 * "key is not a valid ECDSA private key" (not an EC key), "key is invalid" (not P-256), or an
 * OpenSSL failure. */
char *pb_apple_client_secret(const char *client_id, const char *team_id, const char *key_id, const char *pem,
                             int64_t duration_s, int64_t now_s, struct pb_error *err);

#endif
