/* oauth2_registry — the table of the OAuth2 providers PocketBase v0.39.11 registers
 * (tools/auth/ — its provider files: one entry per name, the OIDC provider three times as oidc/oidc2/oidc3) with
 * their defaults, in the dashboard's order (order, then name). This is the one list of names:
 * collection validation, the meta providers list and the auth flows all read it. */
#include <string.h>

#include "core/oauth2.h"
#include "core/oauth2_internal.h"

#define MS_BASE "https://login.microsoftonline.com/common/oauth2/v2.0"

static const struct pb_oauth2_def defs[] = {
	{"apple", "Apple", 1, true, "https://appleid.apple.com/auth/authorize", "https://appleid.apple.com/auth/token", "",
	 "name email", pb_oauth2_raw_apple, pb_oauth2_map_apple},
	{"google", "Google", 2, true, "https://accounts.google.com/o/oauth2/v2/auth", "https://oauth2.googleapis.com/token",
	 "https://www.googleapis.com/oauth2/v3/userinfo",
	 "https://www.googleapis.com/auth/userinfo.profile https://www.googleapis.com/auth/userinfo.email", NULL,
	 pb_oauth2_map_google},
	{"microsoft", "Microsoft", 3, true, MS_BASE "/authorize", MS_BASE "/token", "https://graph.microsoft.com/v1.0/me",
	 "User.Read", NULL, pb_oauth2_map_microsoft},
	{"yandex", "Yandex", 4, true, "https://oauth.yandex.com/authorize", "https://oauth.yandex.com/token",
	 "https://login.yandex.ru/info", "login:email login:avatar login:info", NULL, pb_oauth2_map_yandex},
	{"facebook", "Facebook", 5, true, "https://www.facebook.com/v3.2/dialog/oauth",
	 "https://graph.facebook.com/v3.2/oauth/access_token",
	 "https://graph.facebook.com/me?fields=name,email,picture.type(large)", "email", NULL, pb_oauth2_map_facebook},
	{"instagram2", "Instagram", 6, true, "https://www.instagram.com/oauth/authorize",
	 "https://api.instagram.com/oauth/access_token",
	 "https://graph.instagram.com/me?fields=id,username,account_type,user_id,name,profile_picture_url,"
	 "followers_count,follows_count,media_count",
	 "instagram_business_basic", NULL, pb_oauth2_map_instagram},
	{"github", "GitHub", 7, true, "https://github.com/login/oauth/authorize",
	 "https://github.com/login/oauth/access_token", "https://api.github.com/user", "read:user user:email", NULL,
	 pb_oauth2_map_github},
	{"gitlab", "GitLab", 8, true, "https://gitlab.com/oauth/authorize", "https://gitlab.com/oauth/token",
	 "https://gitlab.com/api/v4/user", "read_user", NULL, pb_oauth2_map_gitlab},
	{"bitbucket", "Bitbucket", 9, false, "https://bitbucket.org/site/oauth2/authorize",
	 "https://bitbucket.org/site/oauth2/access_token", "https://api.bitbucket.org/2.0/user", "account", NULL,
	 pb_oauth2_map_bitbucket},
	{"gitee", "Gitee", 10, true, "https://gitee.com/oauth/authorize", "https://gitee.com/oauth/token",
	 "https://gitee.com/api/v5/user", "user_info emails", NULL, pb_oauth2_map_gitee},
	{"gitea", "Gitea/Forgejo", 11, true, "https://gitea.com/login/oauth/authorize",
	 "https://gitea.com/login/oauth/access_token", "https://gitea.com/api/v1/user", "read:user user:email", NULL,
	 pb_oauth2_map_gitea},
	{"discord", "Discord", 12, true, "https://discord.com/api/oauth2/authorize", "https://discord.com/api/oauth2/token",
	 "https://discord.com/api/users/@me", "identify email", NULL, pb_oauth2_map_discord},
	{"twitter", "X/Twitter", 13, true, "https://x.com/i/oauth2/authorize", "https://api.x.com/2/oauth2/token",
	 "https://api.x.com/2/users/me?user.fields=id,name,username,profile_image_url,confirmed_email",
	 "users.read users.email tweet.read", NULL, pb_oauth2_map_twitter},
	{"kakao", "Kakao", 14, true, "https://kauth.kakao.com/oauth/authorize", "https://kauth.kakao.com/oauth/token",
	 "https://kapi.kakao.com/v2/user/me", "account_email profile_nickname profile_image", NULL, pb_oauth2_map_kakao},
	{"vk", "ВКонтакте", 15, false, "https://oauth.vk.com/authorize", "https://oauth.vk.com/access_token",
	 "https://api.vk.com/method/users.get?fields=photo_max,screen_name&v=5.131", "email", NULL, pb_oauth2_map_vk},
	{"linear", "Linear", 16, false, "https://linear.app/oauth/authorize", "https://api.linear.app/oauth/token",
	 "https://api.linear.app/graphql", "read", pb_oauth2_raw_linear, pb_oauth2_map_linear},
	{"notion", "Notion", 17, true, "https://api.notion.com/v1/oauth/authorize", "https://api.notion.com/v1/oauth/token",
	 "https://api.notion.com/v1/users/me", "", pb_oauth2_raw_notion, pb_oauth2_map_notion},
	{"monday", "monday.com", 18, true, "https://auth.monday.com/oauth2/authorize", "https://auth.monday.com/oauth2/token",
	 "https://api.monday.com/v2", "me:read", pb_oauth2_raw_monday, pb_oauth2_map_monday},
	{"lark", "Lark", 19, true, "https://accounts.feishu.cn/open-apis/authen/v1/authorize",
	 "https://open.feishu.cn/open-apis/authen/v2/oauth/token", "https://open.feishu.cn/open-apis/authen/v1/user_info",
	 "", NULL, pb_oauth2_map_lark},
	{"box", "Box", 20, true, "https://account.box.com/api/oauth2/authorize", "https://api.box.com/oauth2/token",
	 "https://api.box.com/2.0/users/me", "root_readonly", NULL, pb_oauth2_map_box},
	{"spotify", "Spotify", 21, true, "https://accounts.spotify.com/authorize", "https://accounts.spotify.com/api/token",
	 "https://api.spotify.com/v1/me", "user-read-private", NULL, pb_oauth2_map_spotify},
	{"trakt", "Trakt", 22, true, "https://trakt.tv/oauth/authorize", "https://api.trakt.tv/oauth/token",
	 "https://api.trakt.tv/users/settings", "", pb_oauth2_raw_trakt, pb_oauth2_map_trakt},
	{"twitch", "Twitch", 23, true, "https://id.twitch.tv/oauth2/authorize", "https://id.twitch.tv/oauth2/token",
	 "https://api.twitch.tv/helix/users", "user:read:email", pb_oauth2_raw_twitch, pb_oauth2_map_twitch},
	{"patreon", "Patreon", 24, true, "https://www.patreon.com/oauth2/authorize",
	 "https://www.patreon.com/api/oauth2/token",
	 "https://www.patreon.com/api/oauth2/v2/identity?fields%5Buser%5D=full_name,email,vanity,image_url,"
	 "is_email_verified",
	 "identity identity[email]", NULL, pb_oauth2_map_patreon},
	{"strava", "Strava", 25, true, "https://www.strava.com/oauth/authorize", "https://www.strava.com/api/v3/oauth/token",
	 "https://www.strava.com/api/v3/athlete", "profile:read_all", NULL, pb_oauth2_map_strava},
	{"wakatime", "WakaTime", 26, true, "https://wakatime.com/oauth/authorize", "https://wakatime.com/oauth/token",
	 "https://wakatime.com/api/v1/users/current", "email", NULL, pb_oauth2_map_wakatime},
	{"livechat", "LiveChat", 27, true, "https://accounts.livechat.com/", "https://accounts.livechat.com/token",
	 "https://accounts.livechat.com/v2/accounts/me", "", NULL, pb_oauth2_map_livechat},
	{"mailcow", "mailcow", 28, true, "", "", "", "profile", NULL, pb_oauth2_map_mailcow},
	{"planningcenter", "Planning Center", 29, true, "https://api.planningcenteronline.com/oauth/authorize",
	 "https://api.planningcenteronline.com/oauth/token", "https://api.planningcenteronline.com/people/v2/me", "people",
	 NULL, pb_oauth2_map_planningcenter},
	{"oidc", "OIDC", 99, true, "", "", "", "openid email profile", pb_oauth2_raw_oidc, pb_oauth2_map_oidc},
	{"oidc2", "OIDC", 99, true, "", "", "", "openid email profile", pb_oauth2_raw_oidc, pb_oauth2_map_oidc},
	{"oidc3", "OIDC", 99, true, "", "", "", "openid email profile", pb_oauth2_raw_oidc, pb_oauth2_map_oidc},
};

size_t pb_oauth2_def_count(void) { return sizeof defs / sizeof defs[0]; }

const struct pb_oauth2_def *pb_oauth2_def_at(size_t i) { return i < pb_oauth2_def_count() ? &defs[i] : NULL; }

const struct pb_oauth2_def *pb_oauth2_def_find(const char *name)
{
	for (size_t i = 0; name && i < pb_oauth2_def_count(); i++)
		if (!strcmp(defs[i].name, name))
			return &defs[i];
	return NULL;
}
