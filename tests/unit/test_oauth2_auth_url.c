/* test_oauth2_auth_url — provider configuration and the authorization URL (core/oauth2.h): the
 * registry's names and defaults, InitProvider overrides (URLs, display name, PKCE, extra), the
 * missing provider error, the providers[] lookup, the S256 challenge (RFC 7636's example) and
 * AuthCodeURL's bytes (sorted, query-escaped keys, PKCE params, Apple's form_post mode, the
 * trailing empty redirect_uri PocketBase appends). */
#include <stdlib.h>

#include "core/oauth2.h"
#include "test.h"

static int init(struct pb_oauth2_provider *p, const char *config_json)
{
	json_t *config = json_loads(config_json, 0, NULL);
	struct pb_error err = PB_ERROR_INIT;
	int rc = pb_oauth2_provider_init(p, config, &err);
	if (rc != 0)
		fprintf(stderr, "  init: %s\n", err.message);
	pb_error_clear(&err);
	json_decref(config);
	return rc;
}

static void test_registry(void)
{
	CHECK(pb_oauth2_def_count() >= 30);
	const char *required[] = {"oidc", "oidc2", "oidc3", "google", "github", "gitlab", "microsoft", "discord", "apple",
	                          "facebook", "twitch", "spotify"};
	for (size_t i = 0; i < sizeof required / sizeof *required; i++)
		CHECK(pb_oauth2_def_find(required[i]) != NULL);
	CHECK(pb_oauth2_def_find("GOOGLE") == NULL);
	CHECK(pb_oauth2_def_find("nope") == NULL);
	/* dashboard order: order field ascending */
	for (size_t i = 1; i < pb_oauth2_def_count(); i++)
		CHECK(pb_oauth2_def_at(i - 1)->order <= pb_oauth2_def_at(i)->order);
	const struct pb_oauth2_def *g = pb_oauth2_def_find("github");
	CHECK_STR(g->display_name, "GitHub");
	CHECK_STR(g->user_info_url, "https://api.github.com/user");
	CHECK_STR(g->scopes, "read:user user:email");
	CHECK(g->pkce);
	CHECK(!pb_oauth2_def_find("bitbucket")->pkce);
}

static void test_init(void)
{
	struct pb_oauth2_provider p = {0};
	CHECK(init(&p, "{\"name\":\"google\",\"clientId\":\"cid\",\"clientSecret\":\"sec\",\"authURL\":\"\",\"pkce\":null}") == 0);
	CHECK_STR(p.auth_url, "https://accounts.google.com/o/oauth2/v2/auth");
	CHECK_STR(p.token_url, "https://oauth2.googleapis.com/token");
	CHECK_STR(p.display_name, "Google");
	CHECK_STR(p.redirect_url, "");
	CHECK(p.pkce);
	pb_oauth2_provider_set_redirect(&p, "https://app/cb");
	CHECK_STR(p.redirect_url, "https://app/cb");
	pb_oauth2_provider_deinit(&p);

	CHECK(init(&p, "{\"name\":\"google\",\"clientId\":\"cid\",\"authURL\":\"http://127.0.0.1:9/a\",\"tokenURL\":"
	               "\"http://127.0.0.1:9/t\",\"userInfoURL\":\"http://127.0.0.1:9/u\",\"displayName\":\"Mine\","
	               "\"pkce\":false,\"extra\":{\"k\":1}}") == 0);
	CHECK_STR(p.auth_url, "http://127.0.0.1:9/a");
	CHECK_STR(p.token_url, "http://127.0.0.1:9/t");
	CHECK_STR(p.user_info_url, "http://127.0.0.1:9/u");
	CHECK_STR(p.display_name, "Mine");
	CHECK(!p.pkce);
	CHECK(json_integer_value(json_object_get(p.extra, "k")) == 1);
	pb_oauth2_provider_deinit(&p);

	struct pb_error err = PB_ERROR_INIT;
	json_t *bad = json_pack("{ss}", "name", "nope");
	CHECK(pb_oauth2_provider_init(&p, bad, &err) == -1);
	CHECK_STR(err.message, "missing provider nope");
	pb_error_clear(&err);
	json_decref(bad);
	pb_oauth2_provider_deinit(&p);

	json_t *opts = json_loads("{\"providers\":[{\"name\":\"gitlab\",\"clientId\":\"1\"},{\"name\":\"google\",\"clientId\":\"2\"}]}", 0,
	                          NULL);
	CHECK_STR(json_string_value(json_object_get(pb_oauth2_config_find(opts, "google"), "clientId")), "2");
	CHECK(pb_oauth2_config_find(opts, "github") == NULL);
	CHECK(pb_oauth2_config_find(NULL, "google") == NULL);
	json_decref(opts);
}

static void test_challenge(void)
{
	char *c = pb_oauth2_s256_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
	CHECK_STR(c, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
	free(c);
}

static void check_url(const char *config, const char *state, const char *challenge, const char *want)
{
	struct pb_oauth2_provider p = {0};
	CHECK(init(&p, config) == 0);
	char *url = pb_oauth2_auth_url(&p, state, challenge);
	CHECK_STR(url, want);
	free(url);
	pb_oauth2_provider_deinit(&p);
}

static void test_auth_url(void)
{
	check_url("{\"name\":\"google\",\"clientId\":\"c i&d\"}", "st", "E9M",
	          "https://accounts.google.com/o/oauth2/v2/auth?client_id=c+i%26d&code_challenge=E9M"
	          "&code_challenge_method=S256&response_type=code&scope=https%3A%2F%2Fwww.googleapis.com%2Fauth%2F"
	          "userinfo.profile+https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fuserinfo.email&state=st&redirect_uri=");
	check_url("{\"name\":\"github\",\"clientId\":\"cid\"}", "s/t", NULL,
	          "https://github.com/login/oauth/authorize?client_id=cid&response_type=code&scope=read%3Auser+user%3Aemail"
	          "&state=s%2Ft&redirect_uri=");
	/* an authURL that already has a query continues it with & */
	check_url("{\"name\":\"oidc\",\"clientId\":\"cid\",\"authURL\":\"http://127.0.0.1:9/authorize?tenant=x\"}", "st", NULL,
	          "http://127.0.0.1:9/authorize?tenant=x&client_id=cid&response_type=code&scope=openid+email+profile"
	          "&state=st&redirect_uri=");
	check_url("{\"name\":\"apple\",\"clientId\":\"cid\"}", "st", "ch",
	          "https://appleid.apple.com/auth/authorize?client_id=cid&code_challenge=ch&code_challenge_method=S256"
	          "&response_mode=form_post&response_type=code&scope=name+email&state=st&redirect_uri=");
}

int main(void)
{
	test_registry();
	test_init();
	test_challenge();
	test_auth_url();
	TEST_DONE();
}
