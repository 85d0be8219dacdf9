/* oauth2_json — typed reads of provider payloads as Go's json.Unmarshal into a struct sees
 * them (see oauth2_internal.h), the AuthUser base fields every provider fills the same way, and
 * the `meta` object of the auth response (AuthUser marshalled, then decoded into a map and
 * marshalled again by PocketBase, hence sorted keys at every level). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/datetime.h"
#include "core/json_write.h"
#include "core/oauth2_internal.h"

/* an object member: the exact key, else the first case-insensitive match (encoding/json) */
static json_t *member(const json_t *o, const char *key, size_t klen)
{
	const char *k;
	json_t *v, *fold = NULL;
	json_object_foreach((json_t *)o, k, v)
	{
		if (strlen(k) != klen)
			continue;
		if (!memcmp(k, key, klen))
			return v;
		if (!fold && !strncasecmp(k, key, klen))
			fold = v;
	}
	return fold;
}

json_t *pb_oauth2_jget(const json_t *root, const char *path)
{
	const json_t *cur = root;
	const char *p = path;
	while (cur && *p) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);
		if (json_is_object(cur)) {
			cur = member(cur, p, len);
		} else if (json_is_array(cur) && len && isdigit((unsigned char)*p)) {
			cur = json_array_get(cur, (size_t)strtoul(p, NULL, 10));
		} else {
			cur = NULL;
		}
		p += len + (dot ? 1 : 0);
	}
	return json_is_null(cur) ? NULL : (json_t *)cur;
}

const char *pb_oauth2_jstr(const json_t *root, const char *path, bool *bad)
{
	json_t *v = pb_oauth2_jget(root, path);
	if (!v)
		return "";
	if (!json_is_string(v)) {
		*bad = true;
		return "";
	}
	return json_string_value(v);
}

bool pb_oauth2_jbool(const json_t *root, const char *path, bool *bad)
{
	json_t *v = pb_oauth2_jget(root, path);
	if (!v)
		return false;
	if (!json_is_boolean(v)) {
		*bad = true;
		return false;
	}
	return json_is_true(v);
}

bool pb_oauth2_jcast_bool(const json_t *root, const char *path)
{
	json_t *v = pb_oauth2_jget(root, path);
	if (json_is_boolean(v))
		return json_is_true(v);
	if (json_is_number(v))
		return json_number_value(v) != 0;
	if (json_is_string(v)) {
		static const char *const yes[] = {"1", "t", "T", "TRUE", "true", "True"};
		for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
			if (!strcmp(json_string_value(v), yes[i]))
				return true;
	}
	return false;
}

const char *pb_oauth2_jint(const json_t *root, const char *path, bool *bad, char out[24])
{
	json_t *v = pb_oauth2_jget(root, path);
	strcpy(out, "0");
	if (!v)
		return out;
	if (json_is_integer(v)) {
		snprintf(out, 24, "%lld", (long long)json_integer_value(v));
	} else if (json_is_real(v) && floor(json_real_value(v)) == json_real_value(v) && fabs(json_real_value(v)) < 9.2e18) {
		snprintf(out, 24, "%lld", (long long)json_real_value(v));
	} else {
		*bad = true;
	}
	return out;
}

void pb_oauth2_set(char **slot, const char *s)
{
	free(*slot);
	*slot = strdup(s ? s : "");
	if (!*slot)
		abort();
}

void pb_oauth2_user_base(struct pb_oauth2_user *u, const struct pb_oauth2_token *t, const json_t *raw)
{
	char **strs[] = {&u->id, &u->name, &u->username, &u->email, &u->avatar_url};
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
		if (!*strs[i])
			pb_oauth2_set(strs[i], "");
	pb_oauth2_set(&u->access_token, t->access_token);
	pb_oauth2_set(&u->refresh_token, t->refresh_token);
	u->expiry_ms = t->expiry_ms;
	json_decref(u->raw_user);
	u->raw_user = json_is_object(raw) ? json_deep_copy(raw) : json_object();
}

void pb_oauth2_user_deinit(struct pb_oauth2_user *u)
{
	free(u->id);
	free(u->name);
	free(u->username);
	free(u->email);
	free(u->avatar_url);
	free(u->access_token);
	free(u->refresh_token);
	json_decref(u->raw_user);
	memset(u, 0, sizeof *u);
}

void pb_oauth2_token_deinit(struct pb_oauth2_token *t)
{
	free(t->access_token);
	free(t->token_type);
	free(t->refresh_token);
	json_decref(t->raw);
	memset(t, 0, sizeof *t);
}

int pb_oauth2_decode_failed(struct pb_error *err)
{
	return pb_error_set(err, 400, "failed to decode the OAuth2 user data");
}

static const char *s(const char *v) { return v ? v : ""; }

json_t *pb_oauth2_user_meta(const struct pb_oauth2_user *u, bool is_new)
{
	char expiry[40] = "";
	if (u->expiry_ms)
		pb_datetime_format(u->expiry_ms, expiry);
	json_t *m = json_object();
	json_object_set_new(m, "accessToken", json_string(s(u->access_token)));
	json_object_set_new(m, "avatarURL", json_string(s(u->avatar_url)));
	json_object_set_new(m, "avatarUrl", json_string(s(u->avatar_url)));
	json_object_set_new(m, "email", json_string(s(u->email)));
	json_object_set_new(m, "expiry", json_string(expiry));
	json_object_set_new(m, "id", json_string(s(u->id)));
	json_object_set_new(m, "isNew", json_boolean(is_new));
	json_object_set_new(m, "name", json_string(s(u->name)));
	json_object_set_new(m, "rawUser", u->raw_user ? pb_json_sorted_copy(u->raw_user) : json_object());
	json_object_set_new(m, "refreshToken", json_string(s(u->refresh_token)));
	json_object_set_new(m, "username", json_string(s(u->username)));
	return m;
}
