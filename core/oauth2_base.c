/* oauth2_base — the provider-independent half of the OAuth2 client (see oauth2.h): provider
 * init from a collection's config, golang.org/x/oauth2's AuthCodeURL and token exchange
 * (RetrieveToken with the auto-detected auth style: HTTP Basic with query-escaped credentials
 * first, the credentials as form fields when that attempt fails; JSON or form-encoded answers),
 * the S256 PKCE challenge and BaseProvider.FetchRawUserInfo. */
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/base64url.h"
#include "core/datetime.h"
#include "core/oauth2_internal.h"
#include "core/strbuf.h"
#include "core/text.h"

static char *dup_or(const json_t *config, const char *key, const char *fallback)
{
	const char *v = json_string_value(json_object_get(config, key));
	return strdup(v && *v ? v : fallback ? fallback : "");
}

int pb_oauth2_provider_init(struct pb_oauth2_provider *p, const json_t *config, struct pb_error *err)
{
	memset(p, 0, sizeof *p);
	const char *name = json_string_value(json_object_get(config, "name"));
	const struct pb_oauth2_def *d = pb_oauth2_def_find(name);
	if (!d)
		return pb_error_set(err, 500, "missing provider %s", name ? name : "");
	p->def = d;
	p->name = strdup(d->name);
	p->client_id = dup_or(config, "clientId", "");
	p->client_secret = dup_or(config, "clientSecret", "");
	p->auth_url = dup_or(config, "authURL", d->auth_url);
	p->token_url = dup_or(config, "tokenURL", d->token_url);
	p->user_info_url = dup_or(config, "userInfoURL", d->user_info_url);
	p->display_name = dup_or(config, "displayName", d->display_name);
	p->redirect_url = strdup("");
	const json_t *pkce = json_object_get(config, "pkce");
	p->pkce = json_is_boolean(pkce) ? json_is_true(pkce) : d->pkce;
	const json_t *extra = json_object_get(config, "extra");
	p->extra = json_is_object(extra) ? json_deep_copy(extra) : NULL;
	p->timeout_ms = 30000;
	struct pb_strbuf sc = PB_STRBUF_INIT;
	pb_strbuf_puts(&sc, d->scopes);
	/* Microsoft.SetExtra: an id_token email claim needs the openid scope */
	const char *claim = json_string_value(json_object_get(p->extra, "idTokenEmailClaim"));
	if (!strcmp(d->name, "microsoft") && claim && *claim && !strstr(d->scopes, "openid"))
		pb_strbuf_puts(&sc, " openid");
	pb_strbuf_putc(&sc, '\0');
	p->scopes = pb_strbuf_steal(&sc);
	return 0;
}

void pb_oauth2_provider_deinit(struct pb_oauth2_provider *p)
{
	char *strs[] = {p->name,         p->client_id,    p->client_secret, p->auth_url,    p->token_url,
	                p->user_info_url, p->display_name, p->scopes,        p->redirect_url};
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
		free(strs[i]);
	json_decref(p->extra);
	memset(p, 0, sizeof *p);
}

void pb_oauth2_provider_set_redirect(struct pb_oauth2_provider *p, const char *url) { pb_oauth2_set(&p->redirect_url, url); }

const json_t *pb_oauth2_config_find(const json_t *oauth2_options, const char *name)
{
	const json_t *list = json_object_get(oauth2_options, "providers");
	size_t i;
	const json_t *v;
	json_array_foreach(list, i, v)
	{
		const char *n = json_string_value(json_object_get(v, "name"));
		if (n && name && !strcmp(n, name))
			return v;
	}
	return NULL;
}

/* url.QueryEscape */
static void query_escape(struct pb_strbuf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char c = *p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~') {
			pb_strbuf_putc(b, (char)c);
		} else if (c == ' ') {
			pb_strbuf_putc(b, '+');
		} else {
			pb_strbuf_putc(b, '%');
			pb_strbuf_putc(b, hex[c >> 4]);
			pb_strbuf_putc(b, hex[c & 15]);
		}
	}
}

struct kv {
	const char *k, *v;
};

/* url.Values.Encode of pairs (keys sorted; every key here is unique) */
static void encode_values(struct pb_strbuf *b, struct kv *kv, size_t n)
{
	for (size_t a = 1; a < n; a++)
		for (size_t c = a; c > 0 && strcmp(kv[c - 1].k, kv[c].k) > 0; c--) {
			struct kv t = kv[c];
			kv[c] = kv[c - 1];
			kv[c - 1] = t;
		}
	for (size_t i = 0; i < n; i++) {
		if (i)
			pb_strbuf_putc(b, '&');
		query_escape(b, kv[i].k);
		pb_strbuf_putc(b, '=');
		query_escape(b, kv[i].v);
	}
}

char *pb_oauth2_auth_url(const struct pb_oauth2_provider *p, const char *state, const char *challenge)
{
	struct kv kv[8];
	size_t n = 0;
	kv[n++] = (struct kv){"response_type", "code"};
	kv[n++] = (struct kv){"client_id", p->client_id};
	if (*p->redirect_url)
		kv[n++] = (struct kv){"redirect_uri", p->redirect_url};
	if (*p->scopes)
		kv[n++] = (struct kv){"scope", p->scopes};
	if (state && *state)
		kv[n++] = (struct kv){"state", state};
	if (!strcmp(p->def->name, "apple"))
		kv[n++] = (struct kv){"response_mode", "form_post"};
	if (challenge) {
		kv[n++] = (struct kv){"code_challenge", challenge};
		kv[n++] = (struct kv){"code_challenge_method", "S256"};
	}
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_strbuf_puts(&b, p->auth_url);
	pb_strbuf_putc(&b, strchr(p->auth_url, '?') ? '&' : '?');
	encode_values(&b, kv, n);
	pb_strbuf_puts(&b, "&redirect_uri=");
	pb_strbuf_putc(&b, '\0');
	return pb_strbuf_steal(&b);
}

char *pb_oauth2_s256_challenge(const char *verifier)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	SHA256((const unsigned char *)verifier, strlen(verifier), md);
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_base64url_encode(&b, md, sizeof md);
	pb_strbuf_putc(&b, '\0');
	return pb_strbuf_steal(&b);
}

/* ---- token exchange ------------------------------------------------------------------------ */

/* Parses a form-encoded token answer into an object of strings (url.ParseQuery: '+' is a
 * space, the first value of a key wins), or NULL when an escape is malformed (ParseQuery's
 * error, which fails the exchange). */
static json_t *parse_form(const char *s)
{
	json_t *o = json_object();
	while (s && *s) {
		const char *amp = strchr(s, '&'), *end = amp ? amp : s + strlen(s);
		const char *eq = memchr(s, '=', (size_t)(end - s));
		const char *kend = eq ? eq : end, *v = eq ? eq + 1 : end;
		struct pb_strbuf k = PB_STRBUF_INIT, val = PB_STRBUF_INIT;
		bool ok = pb_text_unescape_append(s, (size_t)(kend - s), PB_UNESCAPE_PLUS, &k) == 0 &&
		          pb_text_unescape_append(v, (size_t)(end - v), PB_UNESCAPE_PLUS, &val) == 0;
		const char *ks = pb_strbuf_cstr(&k);
		if (ok && *ks && !json_object_get(o, ks))
			json_object_set_new(o, ks, json_stringn(pb_strbuf_cstr(&val), val.len));
		pb_strbuf_deinit(&k);
		pb_strbuf_deinit(&val);
		if (!ok) {
			json_decref(o);
			return NULL;
		}
		s = amp ? amp + 1 : NULL;
	}
	return o;
}

static int token_from_answer(const struct pb_oauth2_http *r, struct pb_oauth2_token *t, struct pb_error *err)
{
	const char *ct = r->content_type;
	json_t *o;
	if (!strncasecmp(ct, "application/x-www-form-urlencoded", 33) || !strncasecmp(ct, "text/plain", 10)) {
		o = parse_form(r->body);
		if (!o)
			return pb_error_set(err, 400, "oauth2: cannot parse the form-encoded token response");
	} else {
		o = json_loadb(r->body, r->len, JSON_DECODE_ANY, NULL);
		if (!json_is_object(o)) {
			json_decref(o);
			return pb_error_set(err, 400, "oauth2: cannot parse json");
		}
	}
	const json_t *exp = json_object_get(o, "expires_in");
	double secs = json_is_number(exp) ? json_number_value(exp) : json_is_string(exp) ? atof(json_string_value(exp)) : 0;
	bool bad = false;
	const char *at = pb_oauth2_jstr(o, "access_token", &bad);
	t->access_token = strdup(at);
	t->token_type = strdup(pb_oauth2_jstr(o, "token_type", &bad));
	t->refresh_token = strdup(pb_oauth2_jstr(o, "refresh_token", &bad));
	t->expiry_ms = secs > 0 ? pb_now_ms() + (int64_t)secs * 1000 : 0;
	t->raw = o;
	if (!*t->access_token) {
		pb_oauth2_token_deinit(t);
		return pb_error_set(err, 400, "oauth2: server response missing access_token");
	}
	return 0;
}

static int exchange(const struct pb_oauth2_provider *p, const char *code, const char *verifier, bool in_header,
                    struct pb_oauth2_token *t, struct pb_error *err)
{
	struct kv kv[8];
	size_t n = 0;
	kv[n++] = (struct kv){"grant_type", "authorization_code"};
	kv[n++] = (struct kv){"code", code};
	if (*p->redirect_url)
		kv[n++] = (struct kv){"redirect_uri", p->redirect_url};
	if (verifier)
		kv[n++] = (struct kv){"code_verifier", verifier};
	if (!in_header) {
		kv[n++] = (struct kv){"client_id", p->client_id};
		if (*p->client_secret)
			kv[n++] = (struct kv){"client_secret", p->client_secret};
	}
	struct pb_strbuf body = PB_STRBUF_INIT, auth = PB_STRBUF_INIT, cred = PB_STRBUF_INIT;
	encode_values(&body, kv, n);
	const char *headers[4] = {"Content-Type: application/x-www-form-urlencoded", NULL, NULL, NULL};
	if (in_header) {
		query_escape(&cred, p->client_id);
		pb_strbuf_putc(&cred, ':');
		query_escape(&cred, p->client_secret);
		pb_strbuf_puts(&auth, "Authorization: Basic ");
		unsigned char *b64 = malloc(4 * (cred.len / 3 + 1) + 1);
		if (!b64)
			abort();
		EVP_EncodeBlock(b64, (const unsigned char *)(cred.data ? cred.data : ""), (int)cred.len);
		pb_strbuf_puts(&auth, (const char *)b64);
		free(b64);
		headers[1] = pb_strbuf_cstr(&auth);
	}
	struct pb_oauth2_http r;
	int rc = pb_oauth2_http_do("POST", p->token_url, headers, body.data ? body.data : "", body.len, p->timeout_ms,
	                           1u << 20, false, &r, err);
	pb_strbuf_deinit(&body);
	pb_strbuf_deinit(&auth);
	pb_strbuf_deinit(&cred);
	if (rc != 0)
		return -1;
	if (r.status < 200 || r.status > 299)
		rc = pb_error_set(err, 400, "oauth2: cannot fetch token: %ld Response: %.200s", r.status, r.body);
	else
		rc = token_from_answer(&r, t, err);
	pb_oauth2_http_free(&r);
	return rc;
}

int pb_oauth2_fetch_token(const struct pb_oauth2_provider *p, const char *code, const char *verifier,
                          struct pb_oauth2_token *t, struct pb_error *err)
{
	memset(t, 0, sizeof *t);
	if (!*p->token_url)
		return pb_error_set(err, 400, "oauth2: missing token URL");
	if (exchange(p, code, verifier, true, t, err) == 0)
		return 0;
	pb_error_clear(err);
	return exchange(p, code, verifier, false, t, err);
}

/* ---- user info ----------------------------------------------------------------------------- */

int pb_oauth2_map_raw(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const char *body,
                      struct pb_oauth2_user *u, struct pb_error *err)
{
	memset(u, 0, sizeof *u);
	json_error_t je;
	json_t *raw = json_loads(body ? body : "", JSON_DECODE_ANY, &je);
	if (!json_is_object(raw)) {
		json_decref(raw);
		return pb_error_set(err, 400, "invalid OAuth2 user payload");
	}
	pb_oauth2_user_base(u, t, raw); /* first: a mapper may add to rawUser */
	int rc = p->def->map(p, t, raw, u, err);
	if (rc != 0)
		pb_oauth2_user_deinit(u);
	json_decref(raw);
	return rc;
}

int pb_oauth2_fetch_user(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t,
                         struct pb_oauth2_user *u, struct pb_error *err)
{
	memset(u, 0, sizeof *u);
	char *body = p->def->raw ? p->def->raw(p, t, err) : pb_oauth2_api_call(p, t, p->user_info_url, NULL, NULL, NULL, err);
	if (!body)
		return -1;
	int rc = pb_oauth2_map_raw(p, t, body, u, err);
	free(body);
	return rc;
}
