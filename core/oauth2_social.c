/* oauth2_social — the social and media providers of PocketBase's tools/auth: Discord (avatar
 * URL built from the hash, name from global_name or username#discriminator), Facebook, Twitch
 * (Client-Id header, first entry of `data`), Spotify (no email: unverified), X/Twitter,
 * Instagram (granted permissions copied into rawUser), Kakao, VK (email from the token answer),
 * Yandex, Patreon and Strava. Each maps the user payload the way its Go counterpart does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/oauth2_internal.h"
#include "core/strbuf.h"

#define S(path) pb_oauth2_jstr(raw, path, &bad)

int pb_oauth2_map_discord(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const json_t *raw,
                          struct pb_oauth2_user *u, struct pb_error *err)
{
	(void)p, (void)t;
	bool bad = false;
	const char *id = S("id"), *avatar = S("avatar"), *global = S("global_name"), *user = S("username");
	const char *disc = S("discriminator");
	bool verified = pb_oauth2_jbool(raw, "verified", &bad);
	const char *email = S("email");
	if (bad)
		return pb_oauth2_decode_failed(err);
	struct pb_strbuf b = PB_STRBUF_INIT;
	if (*avatar)
		pb_strbuf_printf(&b, "https://cdn.discordapp.com/avatars/%s/%s.png", id, avatar);
	pb_oauth2_set(&u->avatar_url, pb_strbuf_cstr(&b));
	pb_strbuf_reset(&b);
	if (*global)
		pb_strbuf_puts(&b, global);
	else if (*disc && strcmp(disc, "0") != 0)
		pb_strbuf_printf(&b, "%s#%s", user, disc);
	else
		pb_strbuf_puts(&b, user);
	pb_oauth2_set(&u->name, pb_strbuf_cstr(&b));
	pb_strbuf_deinit(&b);
	pb_oauth2_set(&u->id, id);
	pb_oauth2_set(&u->username, user);
	pb_oauth2_set(&u->email, verified ? email : "");
	return 0;
}

int pb_oauth2_map_facebook(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const json_t *raw,
                           struct pb_oauth2_user *u, struct pb_error *err)
{
	(void)p, (void)t;
	bool bad = false;
	pb_oauth2_set(&u->id, S("id"));
	pb_oauth2_set(&u->name, S("name"));
	pb_oauth2_set(&u->email, S("email"));
	pb_oauth2_set(&u->avatar_url, S("picture.data.url"));
	return bad ? pb_oauth2_decode_failed(err) : 0;
}

char *pb_oauth2_raw_twitch(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, struct pb_error *err)
{
	struct pb_strbuf h = PB_STRBUF_INIT;
	pb_strbuf_printf(&h, "Client-Id: %s", p->client_id);
	const char *extra[] = {pb_strbuf_cstr(&h), NULL};
	char *body = pb_oauth2_api_call(p, t, p->user_info_url, extra, NULL, NULL, err);
	pb_strbuf_deinit(&h);
	return body;
}

int pb_oauth2_map_twitch(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const json_t *raw,
                         struct pb_oauth2_user *u, struct pb_error *err)
{
	(void)p, (void)t;
	bool bad = false;
	if (!json_array_size(pb_oauth2_jget(raw, "data")))
		return pb_error_set(err, 400, "failed to fetch AuthUser data");
	pb_oauth2_set(&u->id, S("data.0.id"));
	pb_oauth2_set(&u->name, S("data.0.display_name"));
	pb_oauth2_set(&u->username, S("data.0.login"));
	pb_oauth2_set(&u->email, S("data.0.email"));
	pb_oauth2_set(&u->avatar_url, S("data.0.profile_image_url"));
	return bad ? pb_oauth2_decode_failed(err) : 0;
}

int pb_oauth2_map_spotify(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const json_t *raw,
                          struct pb_oauth2_user *u, struct pb_error *err)
{
	(void)p, (void)t;
	bool bad = false;
	pb_oauth2_set(&u->id, S("id"));
	pb_oauth2_set(&u->name, S("display_name"));
	pb_oauth2_set(&u->avatar_url, S("images.0.url"));
	return bad ? pb_oauth2_decode_failed(err) : 0;
}

int pb_oauth2_map_twitter(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const json_t *raw,
                          struct pb_oauth2_user *u, struct pb_error *err)
{
	(void)p, (void)t;
	bool bad = false;
	pb_oauth2_set(&u->id, S("data.id"));
	pb_oauth2_set(&u->name, S("data.name"));
	pb_oauth2_set(&u->username, S("data.username"));
	pb_oauth2_set(&u->email, S("data.confirmed_email"));
	pb_oauth2_set(&u->avatar_url, S("data.profile_image_url"));
	return bad ? pb_oauth2_decode_failed(err) : 0;
}

int pb_oauth2_map_instagram(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const json_t *raw,
                            struct pb_oauth2_user *u, struct pb_error *err)
{
	(void)p;
	bool bad = false;
	pb_oauth2_set(&u->id, S("user_id"));
	pb_oauth2_set(&u->name, S("name"));
	pb_oauth2_set(&u->username, S("username"));
	pb_oauth2_set(&u->avatar_url, S("profile_picture_url"));
	if (bad)
		return pb_oauth2_decode_failed(err);
	/* the granted permissions of the token answer join rawUser */
	json_t *perms = json_object_get(t->raw, "permissions");
	if (perms && !json_object_get(raw, "permissions") && u->raw_user)
		json_object_set(u->raw_user, "permissions", perms);
	return 0;
}

int pb_oauth2_map_kakao(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const json_t *raw,
                        struct pb_oauth2_user *u, struct pb_error *err)
{
	(void)p, (void)t;
	bool bad = false;
	char id[24];
	pb_oauth2_set(&u->id, pb_oauth2_jint(raw, "id", &bad, id));
	pb_oauth2_set(&u->username, S("properties.nickname"));
	pb_oauth2_set(&u->avatar_url, S("properties.profile_image"));
	bool ok = pb_oauth2_jbool(raw, "kakao_account.is_email_valid", &bad) &&
	          pb_oauth2_jbool(raw, "kakao_account.is_email_verified", &bad);
	pb_oauth2_set(&u->email, ok ? S("kakao_account.email") : "");
	return bad ? pb_oauth2_decode_failed(err) : 0;
}

int pb_oauth2_map_vk(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const json_t *raw,
                     struct pb_oauth2_user *u, struct pb_error *err)
{
	(void)p;
	bool bad = false;
	if (!json_array_size(pb_oauth2_jget(raw, "response")))
		return pb_error_set(err, 400, "missing response entry");
	char id[24];
	pb_oauth2_set(&u->id, pb_oauth2_jint(raw, "response.0.id", &bad, id));
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_strbuf_printf(&b, "%s %s", S("response.0.first_name"), S("response.0.last_name"));
	const char *full = pb_strbuf_cstr(&b);
	while (*full == ' ')
		full++;
	while (b.len && b.data[b.len - 1] == ' ')
		b.data[--b.len] = '\0';
	pb_oauth2_set(&u->name, full);
	pb_strbuf_deinit(&b);
	pb_oauth2_set(&u->username, S("response.0.screen_name"));
	pb_oauth2_set(&u->avatar_url, S("response.0.photo_max"));
	/* fmt.Sprint of the token answer's email */
	json_t *email = json_object_get(t->raw, "email");
	char *text = json_is_string(email) ? strdup(json_string_value(email))
	             : email && !json_is_null(email) ? json_dumps(email, JSON_ENCODE_ANY)
	                                             : strdup("");
	pb_oauth2_set(&u->email, text);
	free(text);
	return bad ? pb_oauth2_decode_failed(err) : 0;
}

int pb_oauth2_map_yandex(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const json_t *raw,
                         struct pb_oauth2_user *u, struct pb_error *err)
{
	(void)p, (void)t;
	bool bad = false;
	pb_oauth2_set(&u->id, S("id"));
	pb_oauth2_set(&u->name, S("real_name"));
	pb_oauth2_set(&u->username, S("login"));
	pb_oauth2_set(&u->email, S("default_email"));
	struct pb_strbuf b = PB_STRBUF_INIT;
	if (!pb_oauth2_jbool(raw, "is_avatar_empty", &bad))
		pb_strbuf_printf(&b, "https://avatars.yandex.net/get-yapic/%s/islands-200", S("default_avatar_id"));
	pb_oauth2_set(&u->avatar_url, pb_strbuf_cstr(&b));
	pb_strbuf_deinit(&b);
	return bad ? pb_oauth2_decode_failed(err) : 0;
}

int pb_oauth2_map_patreon(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const json_t *raw,
                          struct pb_oauth2_user *u, struct pb_error *err)
{
	(void)p, (void)t;
	bool bad = false;
	pb_oauth2_set(&u->id, S("data.id"));
	pb_oauth2_set(&u->username, S("data.attributes.vanity"));
	pb_oauth2_set(&u->name, S("data.attributes.full_name"));
	pb_oauth2_set(&u->avatar_url, S("data.attributes.image_url"));
	bool verified = pb_oauth2_jbool(raw, "data.attributes.is_email_verified", &bad);
	pb_oauth2_set(&u->email, verified ? S("data.attributes.email") : "");
	return bad ? pb_oauth2_decode_failed(err) : 0;
}

int pb_oauth2_map_strava(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const json_t *raw,
                         struct pb_oauth2_user *u, struct pb_error *err)
{
	(void)p, (void)t;
	bool bad = false;
	char id[24];
	pb_oauth2_jint(raw, "id", &bad, id);
	pb_oauth2_set(&u->id, strcmp(id, "0") ? id : "");
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_strbuf_printf(&b, "%s %s", S("firstname"), S("lastname"));
	pb_oauth2_set(&u->name, pb_strbuf_cstr(&b));
	pb_strbuf_deinit(&b);
	pb_oauth2_set(&u->username, S("username"));
	pb_oauth2_set(&u->avatar_url, S("profile"));
	return bad ? pb_oauth2_decode_failed(err) : 0;
}
