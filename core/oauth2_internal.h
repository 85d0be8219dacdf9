/* oauth2_internal — what the provider files (core/oauth2_*.c) share: the blocking HTTP calls
 * over libcurl, typed reads of a decoded JSON payload with Go's json.Unmarshal-into-struct
 * leniency (keys matched exactly, else case-insensitively; null and missing read as the zero
 * value; a value of the wrong JSON type is an error, as Unmarshal reports it), id_token claims
 * validation and the JWKS signature check. Not part of the public surface (see oauth2.h). */
#ifndef POCKETC_CORE_OAUTH2_INTERNAL_H
#define POCKETC_CORE_OAUTH2_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "core/oauth2.h"

/* ---- HTTP (oauth2_http.c) ------------------------------------------------------------------ */

struct pb_oauth2_http {
	long status;
	char *body;         /* owned, NUL-terminated */
	size_t len;
	char *content_type; /* owned, "" when absent */
};

/* One request: `method` "GET"/"POST", `headers` NULL-terminated "Name: value" lines (may be
 * NULL), `body` (may be NULL) of `len` bytes. Bodies above `max_body` bytes fail. With
 * `public_only`, connections to loopback, private, link-local, multicast and unspecified
 * addresses are refused (PocketBase's safeHTTPClient). Returns 0 (any status) or -1 with err.
 * Blocking; free the answer with pb_oauth2_http_free. */
int pb_oauth2_http_do(const char *method, const char *url, const char *const *headers, const char *body, size_t len,
                      long timeout_ms, size_t max_body, bool public_only, struct pb_oauth2_http *out,
                      struct pb_error *err);
void pb_oauth2_http_free(struct pb_oauth2_http *r);

/* "Authorization: <Type> <access token>" as oauth2.Token.Type() normalises the type
 * ("bearer"/"" → Bearer, mac → MAC, basic → Basic). Caller frees. */
char *pb_oauth2_auth_header(const struct pb_oauth2_token *t);

/* A GET (or POST of a JSON `json_body` when non-NULL) of `url` with the token's Authorization
 * header plus `extra` header lines (NULL-terminated, may be NULL). A status >= 400 fails with
 * "failed to fetch OAuth2 user profile via <url> (<status>)". Returns the body (caller frees)
 * or NULL with err. When status_out is non-NULL the status is stored and no status fails. */
char *pb_oauth2_api_call(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const char *url,
                         const char *const *extra, const char *json_body, long *status_out, struct pb_error *err);

/* ---- JSON reads (oauth2_json.c) ------------------------------------------------------------- */

/* A value at a dotted path ("data.0.id": array elements by index), keys matched as Go does.
 * Borrowed, NULL when missing or null. */
json_t *pb_oauth2_jget(const json_t *root, const char *path);
/* A string field (Go `string`): "" when missing/null; *bad set on another type. Borrowed. */
const char *pb_oauth2_jstr(const json_t *root, const char *path, bool *bad);
/* A Go `bool` field: false when missing/null; *bad set on another type. */
bool pb_oauth2_jbool(const json_t *root, const char *path, bool *bad);
/* cast.ToBool of an `any` field: true, a non-zero number or a strconv.ParseBool-true string. */
bool pb_oauth2_jcast_bool(const json_t *root, const char *path);
/* A Go `int64` field formatted in decimal into out (24 bytes): "0" when missing/null; *bad set
 * on a non-integral value or another type. Returns out. */
const char *pb_oauth2_jint(const json_t *root, const char *path, bool *bad, char out[24]);
/* Sets err to the 400 every provider answers for a user payload of the wrong shape; returns -1. */
int pb_oauth2_decode_failed(struct pb_error *err);

/* Fills the token-derived parts of u (access/refresh token, expiry) and copies `raw`
 * (borrowed) as rawUser; the other strings are set to "" when still NULL. */
void pb_oauth2_user_base(struct pb_oauth2_user *u, const struct pb_oauth2_token *t, const json_t *raw);
/* Replaces *slot with a copy of s (NULL → ""). */
void pb_oauth2_set(char **slot, const char *s);

/* ---- id_token (oauth2_idtoken.c) ------------------------------------------------------------- */

struct pb_oauth2_idtoken_rules {
	const char *audience;   /* required aud entry, NULL = not checked */
	const char *issuer;     /* required iss, NULL = not checked */
	bool exp_required;
	const char *jwks_url;   /* NULL/"" = no signature check */
	const json_t *issuers;  /* array of accepted iss values (OIDC "issuers" extra), or NULL */
	long timeout_ms;
};

/* The claims of `id_token` (new reference) after golang-jwt's validator with
 * PB_ID_TOKEN_LEEWAY (default 300 s): exp/nbf/iat against now ± leeway, the audience and issuer
 * rules above, and — with a jwks_url — the RS256/384/512, PS256/384/512 or EdDSA signature
 * against the JWKS key whose kid matches the header (its alg must equal the token's). NULL with
 * err on any failure. Blocking when jwks_url is set. */
json_t *pb_oauth2_idtoken_claims(const char *id_token, const struct pb_oauth2_idtoken_rules *rules,
                                 struct pb_error *err);

/* Verifies the JWS signature of `token` against the public key of `jwk` (borrowed object:
 * kty RSA with n/e, or OKP Ed25519 with x) for the algorithm `alg`. Returns 0 or -1. */
int pb_oauth2_jws_verify(const char *token, const json_t *jwk, const char *alg);

/* ---- provider families (their map/raw functions, referenced by the registry) ------------------ */

int pb_oauth2_map_oidc(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, const json_t *,
                       struct pb_oauth2_user *, struct pb_error *);
char *pb_oauth2_raw_oidc(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, struct pb_error *);
int pb_oauth2_map_apple(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, const json_t *,
                        struct pb_oauth2_user *, struct pb_error *);
char *pb_oauth2_raw_apple(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, struct pb_error *);
int pb_oauth2_map_google(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, const json_t *,
                         struct pb_oauth2_user *, struct pb_error *);
int pb_oauth2_map_microsoft(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, const json_t *,
                            struct pb_oauth2_user *, struct pb_error *);

int pb_oauth2_map_github(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, const json_t *,
                         struct pb_oauth2_user *, struct pb_error *);
int pb_oauth2_map_gitlab(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, const json_t *,
                         struct pb_oauth2_user *, struct pb_error *);
int pb_oauth2_map_gitea(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, const json_t *,
                        struct pb_oauth2_user *, struct pb_error *);
int pb_oauth2_map_gitee(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, const json_t *,
                        struct pb_oauth2_user *, struct pb_error *);
int pb_oauth2_map_bitbucket(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, const json_t *,
                            struct pb_oauth2_user *, struct pb_error *);

int pb_oauth2_map_discord(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, const json_t *,
                          struct pb_oauth2_user *, struct pb_error *);
int pb_oauth2_map_facebook(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, const json_t *,
                           struct pb_oauth2_user *, struct pb_error *);
int pb_oauth2_map_twitch(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, const json_t *,
                         struct pb_oauth2_user *, struct pb_error *);
char *pb_oauth2_raw_twitch(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, struct pb_error *);
int pb_oauth2_map_spotify(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, const json_t *,
                          struct pb_oauth2_user *, struct pb_error *);
int pb_oauth2_map_twitter(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, const json_t *,
                          struct pb_oauth2_user *, struct pb_error *);
int pb_oauth2_map_instagram(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, const json_t *,
                            struct pb_oauth2_user *, struct pb_error *);
int pb_oauth2_map_kakao(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, const json_t *,
                        struct pb_oauth2_user *, struct pb_error *);
int pb_oauth2_map_vk(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, const json_t *,
                     struct pb_oauth2_user *, struct pb_error *);
int pb_oauth2_map_yandex(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, const json_t *,
                         struct pb_oauth2_user *, struct pb_error *);
int pb_oauth2_map_patreon(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, const json_t *,
                          struct pb_oauth2_user *, struct pb_error *);
int pb_oauth2_map_strava(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, const json_t *,
                         struct pb_oauth2_user *, struct pb_error *);

int pb_oauth2_map_box(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, const json_t *,
                      struct pb_oauth2_user *, struct pb_error *);
int pb_oauth2_map_linear(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, const json_t *,
                         struct pb_oauth2_user *, struct pb_error *);
char *pb_oauth2_raw_linear(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, struct pb_error *);
int pb_oauth2_map_monday(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, const json_t *,
                         struct pb_oauth2_user *, struct pb_error *);
char *pb_oauth2_raw_monday(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, struct pb_error *);
int pb_oauth2_map_notion(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, const json_t *,
                         struct pb_oauth2_user *, struct pb_error *);
char *pb_oauth2_raw_notion(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, struct pb_error *);
int pb_oauth2_map_lark(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, const json_t *,
                       struct pb_oauth2_user *, struct pb_error *);
int pb_oauth2_map_trakt(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, const json_t *,
                        struct pb_oauth2_user *, struct pb_error *);
char *pb_oauth2_raw_trakt(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, struct pb_error *);
int pb_oauth2_map_wakatime(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, const json_t *,
                           struct pb_oauth2_user *, struct pb_error *);
int pb_oauth2_map_livechat(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, const json_t *,
                           struct pb_oauth2_user *, struct pb_error *);
int pb_oauth2_map_mailcow(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, const json_t *,
                          struct pb_oauth2_user *, struct pb_error *);
int pb_oauth2_map_planningcenter(const struct pb_oauth2_provider *, const struct pb_oauth2_token *, const json_t *,
                                 struct pb_oauth2_user *, struct pb_error *);

#endif
