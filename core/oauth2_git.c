/* oauth2_git — the code hosting providers of PocketBase's tools/auth: GitHub and Gitea/Forgejo
 * (numeric id, login as username, the verified primary address from <userInfoURL>/emails; a
 * 401/403/404 there means "no email"), GitLab (email only when confirmed_at is a non-zero
 * RFC 3339 time), Gitee (the public email when valid, else the confirmed primary one from its
 * emails API) and Bitbucket (active accounts only, the confirmed primary email). */
#include <stdlib.h>
#include <string.h>

#include "core/is.h"
#include "core/oauth2_internal.h"
#include "core/strbuf.h"

/* GET url with the token; NULL body when the status is one of the "insufficient scope" ones
 * (ignore_from: 401/403/404 when 0, any status >= ignore_from otherwise). -1 on transport errors. */
static int fetch_emails(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const char *url,
                        long ignore_from, json_t **out, bool tolerate_decode, struct pb_error *err)
{
	*out = NULL;
	long status = 0;
	char *body = pb_oauth2_api_call(p, t, url, NULL, NULL, &status, err);
	if (!body)
		return -1;
	bool ignored = ignore_from ? status >= ignore_from : (status == 401 || status == 403 || status == 404);
	if (!ignored) {
		*out = json_loads(body, JSON_DECODE_ANY, NULL);
		if (!*out && !tolerate_decode) {
			free(body);
			return pb_oauth2_decode_failed(err);
		}
	}
	free(body);
	return 0;
}

static char *emails_url(const struct pb_oauth2_provider *p)
{
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_strbuf_printf(&b, "%s/emails", p->user_info_url);
	return pb_strbuf_steal(&b);
}

/* the first verified primary entry of a [{email, verified, primary}] list ("" when none) */
static int primary_verified(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t,
                            struct pb_oauth2_user *u, struct pb_error *err)
{
	char *url = emails_url(p);
	json_t *list = NULL;
	int rc = fetch_emails(p, t, url, 0, &list, false, err);
	free(url);
	if (rc != 0)
		return -1;
	if (list && !json_is_array(list)) {
		json_decref(list);
		return pb_oauth2_decode_failed(err);
	}
	size_t i;
	json_t *e;
	bool bad = false;
	pb_oauth2_set(&u->email, "");
	json_array_foreach(list, i, e)
	{
		if (pb_oauth2_jbool(e, "verified", &bad) && pb_oauth2_jbool(e, "primary", &bad)) {
			pb_oauth2_set(&u->email, pb_oauth2_jstr(e, "email", &bad));
			break;
		}
	}
	json_decref(list);
	return bad ? pb_oauth2_decode_failed(err) : 0;
}

/* The profile fields GitHub, Gitea, GitLab and Gitee share: a numeric id, the name under
 * name_key, the username under username_key and avatar_url. */
static void map_profile(const json_t *raw, const char *name_key, const char *username_key, struct pb_oauth2_user *u,
                        bool *bad)
{
	char id[24];
	pb_oauth2_set(&u->id, pb_oauth2_jint(raw, "id", bad, id));
	pb_oauth2_set(&u->name, pb_oauth2_jstr(raw, name_key, bad));
	pb_oauth2_set(&u->username, pb_oauth2_jstr(raw, username_key, bad));
	pb_oauth2_set(&u->avatar_url, pb_oauth2_jstr(raw, "avatar_url", bad));
}

int pb_oauth2_map_github(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const json_t *raw,
                         struct pb_oauth2_user *u, struct pb_error *err)
{
	bool bad = false;
	map_profile(raw, "name", "login", u, &bad);
	if (bad)
		return pb_oauth2_decode_failed(err);
	return primary_verified(p, t, u, err);
}

int pb_oauth2_map_gitea(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const json_t *raw,
                        struct pb_oauth2_user *u, struct pb_error *err)
{
	bool bad = false;
	map_profile(raw, "full_name", "login", u, &bad);
	bool active = pb_oauth2_jbool(raw, "active", &bad);
	if (bad)
		return pb_oauth2_decode_failed(err);
	if (!active)
		return pb_error_set(err, 400, "user account is not active");
	return primary_verified(p, t, u, err);
}

/* time.Parse(time.RFC3339, s) succeeds and is not the zero time (shape check) */
static bool rfc3339_nonzero(const char *s)
{
	if (strlen(s) < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':')
		return false;
	return strncmp(s, "0001-01-01T00:00:00", 19) != 0;
}

int pb_oauth2_map_gitlab(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const json_t *raw,
                         struct pb_oauth2_user *u, struct pb_error *err)
{
	(void)p, (void)t;
	bool bad = false;
	map_profile(raw, "name", "username", u, &bad);
	const char *email = pb_oauth2_jstr(raw, "email", &bad);
	pb_oauth2_set(&u->email, rfc3339_nonzero(pb_oauth2_jstr(raw, "confirmed_at", &bad)) ? email : "");
	return bad ? pb_oauth2_decode_failed(err) : 0;
}

int pb_oauth2_map_gitee(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const json_t *raw,
                        struct pb_oauth2_user *u, struct pb_error *err)
{
	bool bad = false;
	map_profile(raw, "name", "login", u, &bad);
	const char *email = pb_oauth2_jstr(raw, "email", &bad);
	if (bad)
		return pb_oauth2_decode_failed(err);
	if (*email && pb_is_email(email, strlen(email))) {
		pb_oauth2_set(&u->email, email);
		return 0;
	}
	json_t *list = NULL;
	if (fetch_emails(p, t, "https://gitee.com/api/v5/emails", 0, &list, true, err) != 0)
		return -1;
	pb_oauth2_set(&u->email, "");
	size_t i, j;
	json_t *e, *scope;
	json_array_foreach(json_is_array(list) ? list : NULL, i, e)
	{
		const char *addr = pb_oauth2_jstr(e, "email", &bad);
		bool confirmed = !strcmp(pb_oauth2_jstr(e, "state", &bad), "confirmed");
		json_array_foreach(pb_oauth2_jget(e, "scope"), j, scope)
		{
			if (confirmed && json_is_string(scope) && !strcmp(json_string_value(scope), "primary") &&
			    pb_is_email(addr, strlen(addr)) && !*u->email)
				pb_oauth2_set(&u->email, addr);
		}
	}
	json_decref(list);
	return 0;
}

int pb_oauth2_map_bitbucket(const struct pb_oauth2_provider *p, const struct pb_oauth2_token *t, const json_t *raw,
                            struct pb_oauth2_user *u, struct pb_error *err)
{
	bool bad = false;
	pb_oauth2_set(&u->id, pb_oauth2_jstr(raw, "uuid", &bad));
	pb_oauth2_set(&u->name, pb_oauth2_jstr(raw, "display_name", &bad));
	pb_oauth2_set(&u->username, pb_oauth2_jstr(raw, "username", &bad));
	pb_oauth2_set(&u->avatar_url, pb_oauth2_jstr(raw, "links.avatar.href", &bad));
	const char *status = pb_oauth2_jstr(raw, "account_status", &bad);
	if (bad)
		return pb_oauth2_decode_failed(err);
	if (strcmp(status, "active") != 0)
		return pb_error_set(err, 400, "the Bitbucket user is not active");
	char *url = emails_url(p);
	json_t *doc = NULL;
	int rc = fetch_emails(p, t, url, 400, &doc, false, err);
	free(url);
	if (rc != 0)
		return -1;
	pb_oauth2_set(&u->email, "");
	size_t i;
	json_t *v;
	json_array_foreach(pb_oauth2_jget(doc, "values"), i, v)
	{
		if (pb_oauth2_jbool(v, "is_primary", &bad) && pb_oauth2_jbool(v, "is_confirmed", &bad)) {
			pb_oauth2_set(&u->email, pb_oauth2_jstr(v, "email", &bad));
			break;
		}
	}
	json_decref(doc);
	return bad ? pb_oauth2_decode_failed(err) : 0;
}
