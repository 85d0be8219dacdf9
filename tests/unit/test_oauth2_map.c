/* test_oauth2_map — the providers' user payload → AuthUser mapping (core/oauth2.h,
 * pb_oauth2_map_raw) as PocketBase's tools/auth providers do it: which field is the id, name,
 * username, avatar (Discord's CDN URL), when the email counts (verified / confirmed flags,
 * Microsoft's Graph mail), the token values and expiry carried over, rawUser kept, and
 * payloads that do not decode. Also the response meta. */
#include <stdlib.h>

#include "core/oauth2.h"
#include "test.h"

struct mapped {
	int rc;
	struct pb_oauth2_user u;
	char message[600];
};

/* maps `body` for provider `name` with a fixed token (access "at", refresh "rt", expiry) */
static struct mapped map(const char *name, const char *body)
{
	struct mapped m = {0};
	struct pb_oauth2_provider p = {0};
	struct pb_error err = PB_ERROR_INIT;
	json_t *config = json_pack("{ssssss}", "name", name, "clientId", "cid", "clientSecret", "secret");
	if (pb_oauth2_provider_init(&p, config, &err) != 0) {
		m.rc = -2;
	} else {
		struct pb_oauth2_token t = {.access_token = "at", .refresh_token = "rt", .expiry_ms = 1767225600000};
		t.raw = json_object();
		m.rc = pb_oauth2_map_raw(&p, &t, body, &m.u, &err);
		json_decref(t.raw);
	}
	snprintf(m.message, sizeof m.message, "%s", err.message);
	pb_error_clear(&err);
	json_decref(config);
	pb_oauth2_provider_deinit(&p);
	return m;
}

static void check_user(struct mapped *m, const char *id, const char *name, const char *username, const char *email,
                       const char *avatar)
{
	CHECK(m->rc == 0);
	if (m->rc != 0) {
		fprintf(stderr, "  map failed: %s\n", m->message);
		return;
	}
	CHECK_STR(m->u.id, id);
	CHECK_STR(m->u.name, name);
	CHECK_STR(m->u.username, username);
	CHECK_STR(m->u.email, email);
	CHECK_STR(m->u.avatar_url, avatar);
	CHECK_STR(m->u.access_token, "at");
	CHECK_STR(m->u.refresh_token, "rt");
	CHECK(m->u.expiry_ms == 1767225600000);
	CHECK(json_is_object(m->u.raw_user));
	pb_oauth2_user_deinit(&m->u);
}

static void test_oidc_family(void)
{
	struct mapped m = map("oidc", "{\"sub\":\"s1\",\"name\":\"N\",\"preferred_username\":\"nick\",\"email\":\"a@b.c\","
	                              "\"email_verified\":true,\"picture\":\"https://x/p.png\"}");
	check_user(&m, "s1", "N", "nick", "a@b.c", "https://x/p.png");
	/* email_verified is cast loosely for OIDC ("true" string) */
	m = map("oidc2", "{\"sub\":\"s1\",\"email\":\"a@b.c\",\"email_verified\":\"true\"}");
	check_user(&m, "s1", "", "", "a@b.c", "");
	m = map("oidc3", "{\"sub\":\"s1\",\"email\":\"a@b.c\",\"email_verified\":false}");
	check_user(&m, "s1", "", "", "", "");
	/* google: same claims, no username, email only when verified */
	m = map("google", "{\"sub\":\"g1\",\"name\":\"G\",\"email\":\"g@b.c\",\"email_verified\":true,\"picture\":\"pic\"}");
	check_user(&m, "g1", "G", "", "g@b.c", "pic");
	m = map("google", "{\"sub\":\"g1\",\"email\":\"g@b.c\"}");
	check_user(&m, "g1", "", "", "", "");
	/* a number where PocketBase's struct wants a string does not decode */
	m = map("google", "{\"sub\":5}");
	CHECK(m.rc == -1);
	m = map("google", "[1]");
	CHECK(m.rc == -1);
	/* apple: the id_token claims, no avatar */
	m = map("apple", "{\"sub\":\"ap\",\"email\":\"ap@b.c\",\"email_verified\":\"true\"}");
	check_user(&m, "ap", "", "", "ap@b.c", "");
}

static void test_social(void)
{
	struct mapped m = map("gitlab", "{\"id\":42,\"name\":\"L\",\"username\":\"lab\",\"email\":\"l@b.c\","
	                                "\"avatar_url\":\"av\",\"confirmed_at\":\"2024-01-02T03:04:05Z\"}");
	check_user(&m, "42", "L", "lab", "l@b.c", "av");
	m = map("gitlab", "{\"id\":42,\"email\":\"l@b.c\",\"confirmed_at\":null}");
	check_user(&m, "42", "", "", "", "");

	m = map("discord", "{\"id\":\"d1\",\"global_name\":\"Disc\",\"username\":\"dd\",\"avatar\":\"hash\","
	                   "\"email\":\"d@b.c\",\"verified\":true}");
	check_user(&m, "d1", "Disc", "dd", "d@b.c", "https://cdn.discordapp.com/avatars/d1/hash.png");
	m = map("discord", "{\"id\":\"d1\",\"username\":\"dd\",\"discriminator\":\"1234\",\"email\":\"d@b.c\"}");
	check_user(&m, "d1", "dd#1234", "dd", "", "");
	m = map("discord", "{\"id\":\"d1\",\"username\":\"dd\",\"discriminator\":\"0\"}");
	check_user(&m, "d1", "dd", "dd", "", "");

	m = map("facebook", "{\"id\":\"f1\",\"name\":\"F\",\"email\":\"f@b.c\",\"picture\":{\"data\":{\"url\":\"fp\"}}}");
	check_user(&m, "f1", "F", "", "f@b.c", "fp");

	m = map("twitch", "{\"data\":[{\"id\":\"t1\",\"login\":\"tw\",\"display_name\":\"T\",\"email\":\"t@b.c\","
	                  "\"profile_image_url\":\"tp\"}]}");
	check_user(&m, "t1", "T", "tw", "t@b.c", "tp");
	m = map("twitch", "{\"data\":[]}");
	CHECK(m.rc == -1);

	/* microsoft without the idTokenEmailClaim extra: Graph's mail */
	m = map("microsoft", "{\"id\":\"m1\",\"displayName\":\"M S\",\"mail\":\"m@b.c\"}");
	check_user(&m, "m1", "M S", "", "m@b.c", "");

	m = map("spotify", "{\"id\":\"sp\",\"display_name\":\"S\",\"images\":[{\"url\":\"i1\"},{\"url\":\"i2\"}]}");
	check_user(&m, "sp", "S", "", "", "i1");
}

static void test_meta(void)
{
	struct mapped m = map("oidc", "{\"sub\":\"s1\",\"z\":1,\"a\":{\"y\":1,\"b\":2},\"email\":\"a@b.c\","
	                              "\"email_verified\":true}");
	CHECK(m.rc == 0);
	json_t *meta = pb_oauth2_user_meta(&m.u, true);
	char *s = json_dumps(meta, JSON_COMPACT | JSON_PRESERVE_ORDER);
	CHECK_STR(s, "{\"accessToken\":\"at\",\"avatarURL\":\"\",\"avatarUrl\":\"\",\"email\":\"a@b.c\","
	             "\"expiry\":\"2026-01-01 00:00:00.000Z\",\"id\":\"s1\",\"isNew\":true,\"name\":\"\","
	             "\"rawUser\":{\"a\":{\"b\":2,\"y\":1},\"email\":\"a@b.c\",\"email_verified\":true,\"sub\":\"s1\",\"z\":1},"
	             "\"refreshToken\":\"rt\",\"username\":\"\"}");
	free(s);
	json_decref(meta);
	m.u.expiry_ms = 0;
	meta = pb_oauth2_user_meta(&m.u, false);
	CHECK_STR(json_string_value(json_object_get(meta, "expiry")), "");
	CHECK(json_is_false(json_object_get(meta, "isNew")));
	json_decref(meta);
	pb_oauth2_user_deinit(&m.u);
}

int main(void)
{
	test_oidc_family();
	test_social();
	test_meta();
	TEST_DONE();
}
