/* settings_validate — Settings.PostValidate of PocketBase v0.39.11 (core/settings_model.go):
 * every field is checked, and per field the rules run in PocketBase's order and the first
 * failing one is reported (ozzo's ValidateStruct). Rules that ozzo skips for empty values
 * (Length, Min, In, Match, the `is` rules, IPOrSubnet, the cron check) skip "" and 0 here too.
 * Nested configs nest their errors; list items are keyed by index. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cron_schedule.h"
#include "core/is.h"
#include "core/netip.h"
#include "core/rx.h"
#include "core/settings.h"
#include "core/validation.h"

/* RateLimitRule label: "METHOD /path", "/path", "coll:action", "*:action" or a tag. */
static const char label_pattern[] = "^(\\w+\\ \\/[\\w\\/-]*|\\/[\\w\\/-]*|^\\w+\\:\\w+|\\*\\:\\w+|\\w+)$";

#define CONFLICT_MSG_FMT "Rate limit rule configuration with label %s already exists or conflicts with another rule."

static void put(json_t *tree, const char *key, json_t *item)
{
	if (item)
		json_object_set_new(tree, key, item);
}

/* Sets tree[key] = sub when sub has errors, else drops sub. */
static void put_tree(json_t *tree, const char *key, json_t *sub)
{
	if (json_object_size(sub))
		json_object_set_new(tree, key, sub);
	else
		json_decref(sub);
}

/* ---- rules: each returns a new error item, or NULL when the value passes ------------------ */

static json_t *required_str(const char *s)
{
	return s[0] ? NULL : pb_validation_item(PB_VCODE_REQUIRED, PB_VMSG_REQUIRED, NULL);
}

static json_t *required_int(int64_t v)
{
	return v ? NULL : pb_validation_item(PB_VCODE_REQUIRED, PB_VMSG_REQUIRED, NULL);
}

static json_t *length(const char *s, int64_t min, int64_t max)
{
	int64_t n = (int64_t)strlen(s); /* validation.Length counts bytes */
	if (n == 0 || ((min <= 0 || n >= min) && (max <= 0 || n <= max)))
		return NULL;
	return pb_validation_length(min, max);
}

static json_t *min_int(int64_t v, int64_t threshold)
{
	return v == 0 || v >= threshold ? NULL : pb_validation_min(threshold);
}

static json_t *str_rule(const char *s, bool (*ok)(const char *, size_t), const char *code, const char *msg)
{
	return !s[0] || ok(s, strlen(s)) ? NULL : pb_validation_item(code, msg, NULL);
}

static json_t *is_url(const char *s)
{
	return str_rule(s, pb_is_url, PB_VCODE_IS_URL, PB_VMSG_IS_URL);
}

static json_t *is_host(const char *s)
{
	return str_rule(s, pb_is_host, PB_VCODE_IS_HOST, PB_VMSG_IS_HOST);
}

static bool ip_or_subnet_ok(const char *s, size_t len)
{
	return pb_netip_parse_prefix(s, len, NULL, NULL) || pb_netip_parse_addr(s, len, NULL);
}

/* validation.In over NUL-terminated candidates ("" values are skipped before the check). */
static json_t *in(const char *s, const char *const *values, size_t n)
{
	if (!s[0])
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, values[i]) == 0)
			return NULL;
	return pb_validation_item(PB_VCODE_IN_INVALID, PB_VMSG_IN_INVALID, NULL);
}

static json_t *cron(const char *s)
{
	char msg[PB_CRON_ERROR_MAX];
	if (!s[0] || pb_cron_schedule_parse(s, NULL, msg, sizeof msg) == 0)
		return NULL;
	return pb_validation_item(PB_VCODE_INVALID_CRON, msg, NULL);
}

/* validation.Each(validation.Required, validation.By(validators.IPOrSubnet)) */
static json_t *each_ip(const struct pb_settings_strlist *l)
{
	json_t *sub = json_object();
	for (size_t i = 0; i < l->n; i++) {
		char key[24];
		snprintf(key, sizeof key, "%zu", i);
		put(sub, key, required_str(l->items[i]) ?: str_rule(l->items[i], ip_or_subnet_ok, PB_VCODE_IP_OR_SUBNET,
		                                                    PB_VMSG_IP_OR_SUBNET));
	}
	if (json_object_size(sub))
		return sub;
	json_decref(sub);
	return NULL;
}

/* ---- configs ------------------------------------------------------------------------------- */

static json_t *meta_errors(const struct pb_settings_meta *m)
{
	json_t *t = json_object();
	put(t, "accentColor",
	    length(m->accent_color, 7, 7) ?: str_rule(m->accent_color, pb_is_hex_color, PB_VCODE_IS_HEX_COLOR,
	                                              PB_VMSG_IS_HEX_COLOR));
	put(t, "appName", required_str(m->app_name) ?: length(m->app_name, 1, 255));
	put(t, "appURL", required_str(m->app_url) ?: is_url(m->app_url));
	put(t, "senderName", required_str(m->sender_name) ?: length(m->sender_name, 1, 255));
	put(t, "senderAddress",
	    str_rule(m->sender_address, pb_is_email, PB_VCODE_IS_EMAIL, PB_VMSG_IS_EMAIL) ?: required_str(m->sender_address));
	return t;
}

static json_t *smtp_errors(const struct pb_settings_smtp *c)
{
	static const char *const methods[] = {"LOGIN", "PLAIN"};
	json_t *t = json_object();
	put(t, "host", (c->enabled ? required_str(c->host) : NULL) ?: is_host(c->host));
	put(t, "port", (c->enabled ? required_int(c->port) : NULL) ?: min_int(c->port, 0));
	put(t, "authMethod", in(c->auth_method, methods, 2));
	put(t, "localName", is_host(c->local_name));
	return t;
}

static json_t *s3_errors(const struct pb_settings_s3 *c)
{
	json_t *t = json_object();
	put(t, "endpoint", is_url(c->endpoint) ?: (c->enabled ? required_str(c->endpoint) : NULL));
	if (c->enabled) {
		put(t, "bucket", required_str(c->bucket));
		put(t, "region", required_str(c->region));
		put(t, "accessKey", required_str(c->access_key));
		put(t, "secret", required_str(c->secret));
	}
	return t;
}

static json_t *backups_errors(const struct pb_settings_backups *c)
{
	json_t *t = json_object();
	put_tree(t, "s3", s3_errors(&c->s3));
	put(t, "cron", cron(c->cron));
	put(t, "cronMaxKeep", (c->cron[0] ? required_int(c->cron_max_keep) : NULL) ?: min_int(c->cron_max_keep, 1));
	return t;
}

static json_t *batch_errors(const struct pb_settings_batch *c)
{
	json_t *t = json_object();
	put(t, "maxRequests", (c->enabled ? required_int(c->max_requests) : NULL) ?: min_int(c->max_requests, 0));
	put(t, "timeout", (c->enabled ? required_int(c->timeout) : NULL) ?: min_int(c->timeout, 0));
	put(t, "maxBodySize", min_int(c->max_body_size, 0));
	return t;
}

static json_t *logs_errors(const struct pb_settings_logs *c)
{
	json_t *t = json_object();
	put(t, "maxDays", min_int(c->max_days, 0));
	return t;
}

static json_t *rule_errors(const struct pb_settings_rate_limit_rule *r)
{
	static const char *const audiences[] = {"", "@guest", "@auth"};
	json_t *t = json_object();
	put(t, "label",
	    required_str(r->label) ?: (pb_rx_match_once(label_pattern, r->label, strlen(r->label))
	                                   ? NULL
	                                   : pb_validation_item(PB_VCODE_MATCH_INVALID, PB_VMSG_MATCH_INVALID, NULL)));
	put(t, "maxRequests", required_int(r->max_requests) ?: min_int(r->max_requests, 1));
	put(t, "duration", required_int(r->duration) ?: min_int(r->duration, 1));
	put(t, "audience", in(r->audience, audiences, 3));
	return t;
}

/* checkUniqueRuleLabel: the first rule whose "label@@audience" is a prefix of an earlier one's
 * (or the other way round) is reported as {"<i>":{"label":…}}. */
static json_t *unique_labels(const struct pb_settings_rules *rules)
{
	char **keys = calloc(rules->n ? rules->n : 1, sizeof *keys);
	json_t *out = NULL;
	size_t nkeys = 0;
	if (!keys)
		abort();
	for (size_t i = 0; i < rules->n && !out; i++) {
		const struct pb_settings_rate_limit_rule *r = &rules->items[i];
		size_t ln = strlen(r->label), an = strlen(r->audience);
		char *full = malloc(ln + an + 3);
		if (!full)
			abort();
		memcpy(full, r->label, ln);
		memcpy(full + ln, "@@", 2);
		memcpy(full + ln + 2, r->audience, an + 1);
		size_t fn = ln + an + 2;
		bool conflict = false;
		for (size_t k = 0; k < nkeys && !conflict; k++) {
			size_t kn = strlen(keys[k]);
			size_t m = kn < fn ? kn : fn;
			conflict = memcmp(keys[k], full, m) == 0;
		}
		if (!conflict) {
			keys[nkeys++] = full;
			continue;
		}
		free(full);
		char *msg = malloc(sizeof CONFLICT_MSG_FMT + ln);
		if (!msg)
			abort();
		sprintf(msg, CONFLICT_MSG_FMT, r->label);
		char idx[24];
		snprintf(idx, sizeof idx, "%zu", i);
		json_t *item = pb_validation_item(PB_VCODE_CONFLICTING_RATE_LIMIT_RULE, msg,
		                                  json_pack("{ss}", "label", r->label));
		free(msg);
		out = json_pack("{s{so}}", idx, "label", item);
	}
	for (size_t k = 0; k < nkeys; k++)
		free(keys[k]);
	free(keys);
	return out;
}

static json_t *rate_limits_errors(const struct pb_settings_rate_limits *c)
{
	json_t *t = json_object();
	json_t *rules = NULL;
	if (c->enabled && c->rules.n == 0)
		rules = pb_validation_item(PB_VCODE_REQUIRED, PB_VMSG_REQUIRED, NULL);
	if (!rules)
		rules = unique_labels(&c->rules);
	if (!rules) {
		/* the rules passed: ozzo then validates each element */
		json_t *sub = json_object();
		for (size_t i = 0; i < c->rules.n; i++) {
			char idx[24];
			snprintf(idx, sizeof idx, "%zu", i);
			put_tree(sub, idx, rule_errors(&c->rules.items[i]));
		}
		put_tree(t, "rules", sub);
	} else
		put(t, "rules", rules);
	put(t, "excludedIPs", each_ip(&c->excluded_ips));
	return t;
}

int pb_settings_validate(const struct pb_settings *s, struct pb_error *err)
{
	json_t *t = json_object();
	put(t, "superuserIPs", each_ip(&s->superuser_ips));
	put_tree(t, "meta", meta_errors(&s->meta));
	put_tree(t, "logs", logs_errors(&s->logs));
	put_tree(t, "smtp", smtp_errors(&s->smtp));
	put_tree(t, "s3", s3_errors(&s->s3));
	put_tree(t, "backups", backups_errors(&s->backups));
	put_tree(t, "batch", batch_errors(&s->batch));
	put_tree(t, "rateLimits", rate_limits_errors(&s->rate_limits));
	/* trustedProxy has no rules */
	if (json_object_size(t) == 0) {
		json_decref(t);
		return 0;
	}
	if (err) {
		json_decref(err->data);
		err->data = pb_validation_sorted(t);
	}
	json_decref(t);
	return pb_error_set(err, 400, "An error occurred while saving the new settings.");
}
