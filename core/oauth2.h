/* oauth2 — the OAuth2 provider registry and client of PocketBase's tools/auth: one table of the
 * known providers (name, display name, order, PKCE default, auth/token/userinfo URLs, scopes and
 * the function that turns the provider's user payload into an AuthUser), a provider instance
 * initialised from an auth collection's `oauth2.providers[]` entry (configured URLs, display
 * name, PKCE flag and extra override the defaults, as OAuth2ProviderConfig.InitProvider), the
 * authorization URL as golang.org/x/oauth2's AuthCodeURL builds it, the code → token exchange
 * (form POST, client credentials first as HTTP Basic, then in the body, like the library's
 * auto-detected auth style) and the user fetch. Everything that talks to the network blocks:
 * call it on the blocking pool, never on a worker loop. No HTTP server code here. */
#ifndef POCKETC_CORE_OAUTH2_H
#define POCKETC_CORE_OAUTH2_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct pb_oauth2_provider;

/* The app store key prefix (+ the authorization code) of the Apple user name that
 * /api/oauth2-redirect forwards to auth-with-oauth2. */
#define PB_OAUTH2_APPLE_NAME_PREFIX "@redirect_name_"

/* The token endpoint's answer. All strings owned (pb_oauth2_token_deinit). */
struct pb_oauth2_token {
	char *access_token;
	char *token_type;
	char *refresh_token;
	int64_t expiry_ms; /* 0 = no expiry given */
	json_t *raw;       /* the whole answer as an object (id_token, email, permissions, …) */
};

/* PocketBase's auth.AuthUser. All strings owned, never NULL after a successful fetch. */
struct pb_oauth2_user {
	char *id, *name, *username, *email, *avatar_url, *access_token, *refresh_token;
	int64_t expiry_ms; /* 0 = none (serialised as "") */
	json_t *raw_user;  /* owned object */
};

/* Maps the provider's user payload to u (fetching more when the provider needs it, e.g. the
 * GitHub /user/emails list). `raw` is the decoded user info object (borrowed). Returns 0 or -1
 * with err. Blocking. */
typedef int (*pb_oauth2_map_fn)(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const json_t *raw,
                                struct pb_oauth2_user *u, struct pb_error *err);
/* Fetches the raw user info bytes when the provider does not use a plain GET of userInfoURL
 * (extra headers, GraphQL POST, id_token claims). Returns a malloc'd NUL-terminated body or NULL
 * with err. Blocking. */
typedef char *(*pb_oauth2_raw_fn)(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t,
                                  struct pb_error *err);

/* One registered provider (static data). */
struct pb_oauth2_def {
	const char *name;
	const char *display_name;
	int order;
	bool pkce;
	const char *auth_url, *token_url, *user_info_url;
	const char *scopes;     /* space separated; "" = none */
	pb_oauth2_raw_fn raw;   /* NULL: GET userInfoURL with the bearer token */
	pb_oauth2_map_fn map;
};

/* The registry in dashboard order (order, then name). Index i < pb_oauth2_def_count(). */
size_t pb_oauth2_def_count(void);
const struct pb_oauth2_def *pb_oauth2_def_at(size_t i);
/* The provider registered under `name` (exact), or NULL. */
const struct pb_oauth2_def *pb_oauth2_def_find(const char *name);

/* A configured provider. Strings owned (pb_oauth2_provider_deinit). */
struct pb_oauth2_provider {
	const struct pb_oauth2_def *def;
	char *name;
	char *client_id, *client_secret;
	char *auth_url, *token_url, *user_info_url;
	char *display_name;
	char *scopes;        /* space separated */
	char *redirect_url;  /* "" until set */
	bool pkce;
	json_t *extra;       /* owned object, or NULL */
	long timeout_ms;     /* per HTTP request (default 30 s) */
};

/* InitProvider: the registered defaults of config["name"], overridden by the non-empty
 * clientId, clientSecret, authURL, tokenURL, userInfoURL, displayName, a boolean pkce and an
 * object extra of `config` (borrowed providers[] entry). Returns 0, or -1 with err when the
 * name is not registered ("missing provider <name>"). */
int pb_oauth2_provider_init(struct pb_oauth2_provider *p, const json_t *config, struct pb_error *err);
void pb_oauth2_provider_deinit(struct pb_oauth2_provider *p);
/* Sets the redirect URL used by the token exchange (copied; NULL = ""). */
void pb_oauth2_provider_set_redirect(struct pb_oauth2_provider *p, const char *url);

/* The first providers[] entry of the auth collection options' `oauth2` object (borrowed)
 * named `name`, or NULL. Borrowed. */
const json_t *pb_oauth2_config_find(const json_t *oauth2_options, const char *name);

/* AuthCodeURL(state, …) + "&redirect_uri=": response_type=code, client_id, scope (space
 * joined), state, and when `challenge` is non-NULL code_challenge + code_challenge_method=S256,
 * plus response_mode=form_post for Apple; keys sorted, values query-escaped as Go's
 * url.Values.Encode. Caller frees. */
char *pb_oauth2_auth_url(const struct pb_oauth2_provider *p, const char *state, const char *challenge);

/* S256 PKCE challenge of `verifier`: unpadded base64url of its SHA-256. Caller frees. */
char *pb_oauth2_s256_challenge(const char *verifier);

/* Exchanges `code` (with `verifier` as code_verifier when non-NULL) at the token URL. Returns 0
 * with t filled, or -1 with err (the endpoint's non-2xx answer, a missing access_token, a
 * transport error). Blocking. */
int pb_oauth2_fetch_token(const struct pb_oauth2_provider *p, const char *code, const char *verifier,
                          struct pb_oauth2_token *t, struct pb_error *err);
/* FetchAuthUser: the raw user info (provider's raw fn or a bearer GET of userInfoURL; a status
 * >= 400 is an error), decoded and mapped. Returns 0 with u filled, or -1 with err. Blocking. */
int pb_oauth2_fetch_user(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t,
                         struct pb_oauth2_user *u, struct pb_error *err);
/* Maps an already fetched raw user info body (for tests and for callers that have it). */
int pb_oauth2_map_raw(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const char *body,
                      struct pb_oauth2_user *u, struct pb_error *err);

/* safeFileFromURL: GETs `url` refusing loopback/private/link-local/multicast targets, a
 * status outside 200..399 or more than `max` bytes. Returns the bytes (caller frees; *len set)
 * or NULL with err. *name gets path.Base(url) (caller frees). Blocking. */
unsigned char *pb_oauth2_download(const char *url, long timeout_ms, size_t max, size_t *len, char **name,
                                  struct pb_error *err);

void pb_oauth2_token_deinit(struct pb_oauth2_token *t);
void pb_oauth2_user_deinit(struct pb_oauth2_user *u);

/* The response's `meta`: the AuthUser as PocketBase marshals it into a map plus isNew, every
 * object's keys sorted (accessToken, avatarURL, avatarUrl, email, expiry, id, isNew, name,
 * rawUser, refreshToken, username). New reference. */
json_t *pb_oauth2_user_meta(const struct pb_oauth2_user *u, bool is_new);

#endif
