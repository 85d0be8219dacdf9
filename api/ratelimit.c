/* ratelimit — the settings rate limiter middlewares (see ratelimit.h). */
#include "api/ratelimit.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/messages.h"
#include "core/json_write.h"
#include "core/netip.h"
#include "core/strbuf.h"

#define MAX_TAGS 4

/* The routes whose global limiter PocketBase replaces by collectionPathRateLimit, with their
 * tags (apis/file.go, apis/record_auth.go). Rows for routes pocketc does not serve yet are
 * harmless: they never match. */
static const struct {
	const char *method, *pattern, *tags;
} collection_routes[] = {
	{"GET", "/api/files/{collection}/{recordId}/{filename}", "file"},
	{"GET", "/api/collections/{collection}/auth-methods", "listAuthMethods"},
	{"POST", "/api/collections/{collection}/auth-refresh", "authRefresh"},
	{"POST", "/api/collections/{collection}/auth-with-password", "authWithPassword auth"},
	{"POST", "/api/collections/{collection}/auth-with-oauth2", "authWithOAuth2 auth"},
	{"POST", "/api/collections/{collection}/request-otp", "requestOTP"},
	{"POST", "/api/collections/{collection}/auth-with-otp", "authWithOTP auth"},
	{"POST", "/api/collections/{collection}/request-password-reset", "requestPasswordReset"},
	{"POST", "/api/collections/{collection}/confirm-password-reset", "confirmPasswordReset"},
	{"POST", "/api/collections/{collection}/request-verification", "requestVerification"},
	{"POST", "/api/collections/{collection}/confirm-verification", "confirmVerification"},
	{"POST", "/api/collections/{collection}/request-email-change", "requestEmailChange"},
	{"POST", "/api/collections/{collection}/confirm-email-change", "confirmEmailChange"},
};

static const char *route_tags(const struct pb_route *r)
{
	for (size_t i = 0; i < sizeof collection_routes / sizeof collection_routes[0]; i++)
		if (r->method && !strcmp(r->method, collection_routes[i].method) &&
		    !strcmp(r->pattern, collection_routes[i].pattern))
			return collection_routes[i].tags;
	return NULL;
}

static bool skip(const struct pb_req *req)
{
	const struct pb_settings_rate_limits *rl = &req->settings->rate_limits;
	return !rl->enabled || req->superuser || pb_netip_in_list(rl->excluded_ips.items, rl->excluded_ips.n, req->real_ip);
}

/* RateLimitRule.String(): the rule as JSON */
static json_t *rule_details(const struct pb_settings_rate_limit_rule *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "label", json_string(r->label));
	json_object_set_new(o, "audience", json_string(r->audience));
	json_object_set_new(o, "duration", json_integer(r->duration));
	json_object_set_new(o, "maxRequests", json_integer(r->max_requests));
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_strbuf_puts(&b, "triggered rate limit rule: ");
	pb_json_write(&b, o);
	json_decref(o);
	json_t *s = json_stringn(b.data, b.len);
	pb_strbuf_deinit(&b);
	return s;
}

/* checkRateLimit: consumes one request of the real IP in limiter `key`. */
static bool check(struct pb_req *req, const char *key, const struct pb_settings_rate_limit_rule *rule)
{
	if ((!strcmp(rule->audience, "@guest") && req->auth) || (!strcmp(rule->audience, "@auth") && !req->auth))
		return true;
	if (!req->real_ip[0])
		return true;
	bool created = false;
	bool ok = pb_ratelimit_allow(req->app->ratelimit, key, req->real_ip, rule->max_requests, rule->duration,
	                             (int64_t)time(NULL), &created);
	if (created)
		pb_app_register_ratelimit_job(req->app);
	if (ok)
		return true;
	json_decref(req->error_details);
	req->error_details = rule_details(rule);
	pb_resp_error(req, 429, NULL, NULL);
	return false;
}

static size_t audiences(const struct pb_req *req, const char *out[2])
{
	out[0] = "";
	out[1] = req->auth ? "@auth" : "@guest";
	return 2;
}

/* e.Request.URL.Path: the decoded path (the raw one when it does not decode) */
static char *url_path(const struct pb_req *req)
{
	char *p = pb_url_decode(req->raw_path, strlen(req->raw_path), false);
	return p ? p : strdup(req->raw_path);
}

/* Finds the rule for labels[] followed by the two default labels and checks it with the
 * limiter key built by `key_prefix` + rule audience. */
static bool check_labels(struct pb_req *req, const char **labels, size_t nlabels, const char *key_prefix,
                         bool prefix_is_label)
{
	char *path = url_path(req);
	struct pb_strbuf ml = PB_STRBUF_INIT;
	pb_strbuf_printf(&ml, "%s %s", req->method, path);
	labels[nlabels++] = pb_strbuf_cstr(&ml);
	labels[nlabels++] = path;
	const char *aud[2];
	size_t naud = audiences(req, aud);
	const struct pb_settings_rate_limit_rule *rule =
	    pb_settings_find_rate_limit_rule(req->settings, labels, nlabels, aud, naud);
	bool ok = true;
	if (rule) {
		struct pb_strbuf key = PB_STRBUF_INIT;
		pb_strbuf_puts(&key, prefix_is_label ? rule->label : key_prefix);
		pb_strbuf_puts(&key, rule->audience);
		ok = check(req, pb_strbuf_cstr(&key), rule);
		pb_strbuf_deinit(&key);
	}
	pb_strbuf_deinit(&ml);
	free(path);
	return ok;
}

/* checkCollectionRateLimit with the tags in `tags` (space-separated). */
static bool check_collection(struct pb_req *req, const struct pb_collection *c, const char *tags)
{
	if (skip(req))
		return true;
	char *copy = strdup(tags);
	if (!copy)
		abort();
	const char *tag[MAX_TAGS];
	size_t ntags = 0;
	for (char *save = NULL, *t = strtok_r(copy, " ", &save); t && ntags < MAX_TAGS; t = strtok_r(NULL, " ", &save))
		tag[ntags++] = t;
	struct pb_strbuf id = PB_STRBUF_INIT, names[MAX_TAGS * 2];
	const char *labels[MAX_TAGS * 2 + 2];
	size_t nlabels = 0;
	/* the limiter key: collection id + the route's mux pattern + the tags */
	pb_strbuf_puts(&id, c->id);
	if (req->route && req->route->method) {
		pb_strbuf_puts(&id, req->route->method);
		pb_strbuf_putc(&id, ' ');
	}
	pb_strbuf_puts(&id, req->route ? req->route->pattern : "");
	for (size_t i = 0; i < ntags; i++) {
		pb_strbuf_puts(&id, tag[i]);
		pb_strbuf_init(&names[nlabels]);
		pb_strbuf_printf(&names[nlabels], "%s:%s", c->name, tag[i]);
		labels[nlabels] = pb_strbuf_cstr(&names[nlabels]);
		nlabels++;
	}
	for (size_t i = 0; i < ntags; i++) {
		pb_strbuf_init(&names[nlabels]);
		pb_strbuf_printf(&names[nlabels], "*:%s", tag[i]);
		labels[nlabels] = pb_strbuf_cstr(&names[nlabels]);
		nlabels++;
	}
	bool ok = check_labels(req, labels, nlabels, pb_strbuf_cstr(&id), false);
	for (size_t i = 0; i < nlabels; i++)
		pb_strbuf_deinit(&names[i]);
	pb_strbuf_deinit(&id);
	free(copy);
	return ok;
}

bool pb_api_collection_rate_limit(struct pb_req *req, const struct pb_collection *c, const char *tag)
{
	return check_collection(req, c, tag);
}

bool pb_mw_rate_limit(struct pb_req *req)
{
	const struct pb_route *route = req->route;
	if (!route || (route->flags & PB_ROUTE_NO_RATE_LIMIT) || skip(req))
		return true;
	const char *tags = route_tags(route);
	if (tags) {
		/* (with rate limiting off, the route's own collection check answers this 404) */
		const struct pb_collection *c = pb_schema_find(req->schema, pb_req_param(req, 0));
		if (!c) {
			pb_resp_error(req, 404, PB_MSG_MISSING_OR_INVALID_COLLECTION, NULL);
			return false;
		}
		return check_collection(req, c, tags);
	}
	const char *labels[2];
	return check_labels(req, labels, 0, NULL, true);
}
