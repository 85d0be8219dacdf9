/* oauth2_work — the workplace and productivity providers of PocketBase's tools/auth: Box
 * (active accounts; the login is the verified email), Linear and monday.com (GraphQL POST of a
 * fixed `me` query; active/enabled accounts only), Notion (Notion-Version header; the bot
 * owner's user), Lark (union_id), Trakt (API key/version headers), WakaTime, LiveChat,
 * mailcow (active == 1; username cut at '@') and Planning Center (active people only). */
#include <stdlib.h>
#include <string.h>

#include "core/oauth2_internal.h"
#include "core/strbuf.h"

#define S(path) pb_oauth2_jstr(raw, path, &bad)
#define B(path) pb_oauth2_jbool(raw, path, &bad)

int pb_oauth2_map_box(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const json_t *raw,
                      struct pb_oauth2_user *u, struct pb_error *err)
{
	(void)p, (void)t;
	bool bad = false;
	pb_oauth2_set(&u->id, S("id"));
	pb_oauth2_set(&u->name, S("name"));
	pb_oauth2_set(&u->avatar_url, S("avatar_url"));
	pb_oauth2_set(&u->email, S("login"));
	const char *status = S("status");
	if (bad)
		return pb_oauth2_decode_failed(err);
	if (strcmp(status, "active") != 0)
		return pb_error_set(err, 400, "Box user account is not active (status: \"%.50s\")", status);
	return 0;
}

char *pb_oauth2_raw_linear(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, struct pb_error *err)
{
	return pb_oauth2_api_call(p, t, p->user_info_url, NULL,
	                          "{\"query\": \"query Me { viewer { id displayName name email avatarUrl active } }\"}", NULL,
	                          err);
}

int pb_oauth2_map_linear(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const json_t *raw,
                         struct pb_oauth2_user *u, struct pb_error *err)
{
	(void)p, (void)t;
	bool bad = false;
	pb_oauth2_set(&u->id, S("data.viewer.id"));
	pb_oauth2_set(&u->name, S("data.viewer.name"));
	pb_oauth2_set(&u->username, S("data.viewer.displayName"));
	pb_oauth2_set(&u->email, S("data.viewer.email"));
	pb_oauth2_set(&u->avatar_url, S("data.viewer.avatarUrl"));
	bool active = B("data.viewer.active");
	if (bad)
		return pb_oauth2_decode_failed(err);
	return active ? 0 : pb_error_set(err, 400, "the Linear user account is not active");
}

char *pb_oauth2_raw_monday(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, struct pb_error *err)
{
	return pb_oauth2_api_call(p, t, p->user_info_url, NULL,
	                          "{\"query\": \"query { me { id enabled name email is_verified photo_small }}\"}", NULL, err);
}

int pb_oauth2_map_monday(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const json_t *raw,
                         struct pb_oauth2_user *u, struct pb_error *err)
{
	(void)p, (void)t;
	bool bad = false;
	pb_oauth2_set(&u->id, S("data.me.id"));
	pb_oauth2_set(&u->name, S("data.me.name"));
	pb_oauth2_set(&u->avatar_url, S("data.me.photo_small"));
	bool enabled = B("data.me.enabled"), verified = B("data.me.is_verified");
	pb_oauth2_set(&u->email, verified ? S("data.me.email") : "");
	if (bad)
		return pb_oauth2_decode_failed(err);
	return enabled ? 0 : pb_error_set(err, 400, "the monday.com user account is not enabled");
}

char *pb_oauth2_raw_notion(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, struct pb_error *err)
{
	const char *extra[] = {"Notion-Version: 2022-06-28", NULL};
	return pb_oauth2_api_call(p, t, p->user_info_url, extra, NULL, NULL, err);
}

int pb_oauth2_map_notion(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const json_t *raw,
                         struct pb_oauth2_user *u, struct pb_error *err)
{
	(void)p, (void)t;
	bool bad = false;
	pb_oauth2_set(&u->id, S("bot.owner.user.id"));
	pb_oauth2_set(&u->name, S("bot.owner.user.name"));
	pb_oauth2_set(&u->email, S("bot.owner.user.person.email"));
	pb_oauth2_set(&u->avatar_url, S("bot.owner.user.avatar_url"));
	return bad ? pb_oauth2_decode_failed(err) : 0;
}

int pb_oauth2_map_lark(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const json_t *raw,
                       struct pb_oauth2_user *u, struct pb_error *err)
{
	(void)p, (void)t;
	bool bad = false;
	pb_oauth2_set(&u->id, S("data.union_id"));
	pb_oauth2_set(&u->name, S("data.name"));
	pb_oauth2_set(&u->avatar_url, S("data.avatar_url"));
	return bad ? pb_oauth2_decode_failed(err) : 0;
}

char *pb_oauth2_raw_trakt(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, struct pb_error *err)
{
	struct pb_strbuf key = PB_STRBUF_INIT;
	pb_strbuf_printf(&key, "trakt-api-key: %s", p->client_id);
	const char *extra[] = {"Content-Type: application/json", pb_strbuf_cstr(&key), "trakt-api-version: 2", NULL};
	char *body = pb_oauth2_api_call(p, t, p->user_info_url, extra, NULL, NULL, err);
	pb_strbuf_deinit(&key);
	return body;
}

int pb_oauth2_map_trakt(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const json_t *raw,
                        struct pb_oauth2_user *u, struct pb_error *err)
{
	(void)p, (void)t;
	bool bad = false;
	pb_oauth2_set(&u->id, S("user.ids.uuid"));
	pb_oauth2_set(&u->username, S("user.username"));
	pb_oauth2_set(&u->name, S("user.name"));
	pb_oauth2_set(&u->avatar_url, S("user.images.avatar.full"));
	return bad ? pb_oauth2_decode_failed(err) : 0;
}

int pb_oauth2_map_wakatime(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const json_t *raw,
                           struct pb_oauth2_user *u, struct pb_error *err)
{
	(void)p, (void)t;
	bool bad = false;
	pb_oauth2_set(&u->id, S("data.id"));
	pb_oauth2_set(&u->name, S("data.display_name"));
	pb_oauth2_set(&u->username, S("data.username"));
	pb_oauth2_set(&u->email, B("data.is_email_confirmed") ? S("data.email") : "");
	pb_oauth2_set(&u->avatar_url, B("data.photo_public") ? S("data.photo") : "");
	return bad ? pb_oauth2_decode_failed(err) : 0;
}

int pb_oauth2_map_livechat(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const json_t *raw,
                           struct pb_oauth2_user *u, struct pb_error *err)
{
	(void)p, (void)t;
	bool bad = false;
	pb_oauth2_set(&u->id, S("account_id"));
	pb_oauth2_set(&u->name, S("name"));
	pb_oauth2_set(&u->avatar_url, S("avatar_url"));
	pb_oauth2_set(&u->email, B("email_verified") ? S("email") : "");
	return bad ? pb_oauth2_decode_failed(err) : 0;
}

int pb_oauth2_map_mailcow(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const json_t *raw,
                          struct pb_oauth2_user *u, struct pb_error *err)
{
	(void)p, (void)t;
	bool bad = false;
	char active[24];
	pb_oauth2_jint(raw, "active", &bad, active);
	pb_oauth2_set(&u->id, S("id"));
	pb_oauth2_set(&u->name, S("full_name"));
	pb_oauth2_set(&u->email, S("email"));
	const char *username = S("username");
	if (bad)
		return pb_oauth2_decode_failed(err);
	if (strcmp(active, "1") != 0)
		return pb_error_set(err, 400, "the mailcow user is not active");
	const char *at = strchr(username, '@');
	char *cut = strndup(username, at ? (size_t)(at - username) : strlen(username));
	pb_oauth2_set(&u->username, cut);
	free(cut);
	return 0;
}

int pb_oauth2_map_planningcenter(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const json_t *raw,
                                 struct pb_oauth2_user *u, struct pb_error *err)
{
	(void)p, (void)t;
	bool bad = false;
	pb_oauth2_set(&u->id, S("data.id"));
	pb_oauth2_set(&u->name, S("data.attributes.name"));
	pb_oauth2_set(&u->avatar_url, S("data.attributes.avatar"));
	const char *status = S("data.attributes.status");
	if (bad)
		return pb_oauth2_decode_failed(err);
	return strcmp(status, "active") ? pb_error_set(err, 400, "the user is not active") : 0;
}
