/* oauth2_providers — the provider table (see oauth2_providers.h). */
#include "collections/oauth2_providers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct provider {
	const char *name, *display;
	int order;
};

/* sorted by order, then name */
static const struct provider providers[] = {
	{"apple", "Apple", 1},          {"google", "Google", 2},        {"microsoft", "Microsoft", 3},
	{"yandex", "Yandex", 4},        {"facebook", "Facebook", 5},    {"instagram2", "Instagram", 6},
	{"github", "GitHub", 7},        {"gitlab", "GitLab", 8},        {"bitbucket", "Bitbucket", 9},
	{"gitee", "Gitee", 10},         {"gitea", "Gitea/Forgejo", 11}, {"discord", "Discord", 12},
	{"twitter", "X/Twitter", 13},   {"kakao", "Kakao", 14},         {"vk", "ВКонтакте", 15},
	{"linear", "Linear", 16},       {"notion", "Notion", 17},       {"monday", "monday.com", 18},
	{"lark", "Lark", 19},           {"box", "Box", 20},             {"spotify", "Spotify", 21},
	{"trakt", "Trakt", 22},         {"twitch", "Twitch", 23},       {"patreon", "Patreon", 24},
	{"strava", "Strava", 25},       {"wakatime", "WakaTime", 26},   {"livechat", "LiveChat", 27},
	{"mailcow", "mailcow", 28},     {"planningcenter", "Planning Center", 29},
	{"oidc", "OIDC", 99},           {"oidc2", "OIDC", 99},          {"oidc3", "OIDC", 99},
};

bool pb_oauth2_provider_known(const char *name)
{
	for (size_t i = 0; name && i < sizeof providers / sizeof providers[0]; i++)
		if (!strcmp(providers[i].name, name))
			return true;
	return false;
}

/* A plain badge: a rounded square with the first letter of the display name. */
static char *badge(const struct provider *p)
{
	char letter[8] = {0};
	const unsigned char *d = (const unsigned char *)p->display;
	size_t n = d[0] < 0x80 ? 1 : (d[0] >> 5) == 6 ? 2 : (d[0] >> 4) == 14 ? 3 : 4;
	memcpy(letter, d, n);
	if (n == 1 && letter[0] >= 'a' && letter[0] <= 'z')
		letter[0] = (char)(letter[0] - 'a' + 'A');
	char *out = NULL;
	if (asprintf(&out,
	             "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\"><rect width=\"32\" height=\"32\" "
	             "rx=\"7\" fill=\"#4b5563\"/><text x=\"16\" y=\"21.5\" font-family=\"sans-serif\" font-size=\"16\" "
	             "font-weight=\"bold\" text-anchor=\"middle\" fill=\"#ffffff\">%s</text></svg>",
	             letter) < 0)
		abort();
	return out;
}

json_t *pb_oauth2_providers_list(void)
{
	json_t *list = json_array();
	for (size_t i = 0; i < sizeof providers / sizeof providers[0]; i++) {
		char *logo = badge(&providers[i]);
		json_t *o = json_object();
		json_object_set_new(o, "name", json_string(providers[i].name));
		json_object_set_new(o, "displayName", json_string(providers[i].display));
		json_object_set_new(o, "logo", json_string(logo));
		json_array_append_new(list, o);
		free(logo);
	}
	return list;
}
