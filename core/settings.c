/* settings — snapshot lifecycle, views, PATCH merging and rate-limit rule lookup (see
 * settings.h). Loading/saving lives in settings_store.c, validation in settings_validate.c,
 * the Go-compatible JSON mapping in settings_json.c. */
#include "core/settings.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/settings_defaults.h"
#include "core/settings_internal.h"

struct pb_settings *pb_settings_alloc(void)
{
	struct pb_settings *s = calloc(1, sizeof *s);
	if (!s)
		abort();
	s->refcount = 1;
	pb_settings_fields_init(s, pb_settings_table);
	return s;
}

void pb_settings_seal(struct pb_settings *s)
{
	json_decref(s->doc);
	s->doc = pb_settings_fields_encode(s, pb_settings_table, false);
}

/* A deep copy of src that is not sealed yet (the caller changes it, then seals). */
static struct pb_settings *copy_unsealed(const struct pb_settings *src)
{
	struct pb_settings *s = calloc(1, sizeof *s);
	if (!s)
		abort();
	s->refcount = 1;
	pb_settings_fields_copy(s, src, pb_settings_table);
	return s;
}

struct pb_settings *pb_settings_new_defaults(void)
{
	struct pb_settings *s = pb_settings_alloc();
	json_t *doc = json_loads(pb_settings_defaults_json(), 0, NULL);
	/* The defaults text is a compile-time constant that decodes without error. */
	if (!doc || pb_settings_fields_decode(s, pb_settings_table, doc) != 0)
		abort();
	json_decref(doc);
	pb_settings_seal(s);
	return s;
}

struct pb_settings *pb_settings_ref(struct pb_settings *s)
{
	if (s)
		__atomic_add_fetch(&s->refcount, 1, __ATOMIC_RELAXED);
	return s;
}

void pb_settings_unref(struct pb_settings *s)
{
	if (!s || __atomic_sub_fetch(&s->refcount, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	pb_settings_fields_free(s, pb_settings_table);
	json_decref(s->doc);
	free(s);
}

const json_t *pb_settings_json(const struct pb_settings *s)
{
	return s->doc;
}

char *pb_settings_dump(const struct pb_settings *s)
{
	return pb_settings_go_dump(s->doc);
}

json_t *pb_settings_to_api_json(const struct pb_settings *s)
{
	return pb_settings_fields_encode(s, pb_settings_table, true);
}

struct pb_settings *pb_settings_merge(const struct pb_settings *base, const json_t *patch, struct pb_error *err)
{
	struct pb_settings *s = copy_unsealed(base);
	if (patch && pb_settings_fields_decode(s, pb_settings_table, patch) != 0) {
		pb_settings_unref(s);
		pb_error_set(err, 400, "An error occurred while loading the submitted data.");
		return NULL;
	}
	pb_settings_seal(s);
	return s;
}

static bool audience_ok(const char *audience, const char *const *audiences, size_t naudiences)
{
	if (naudiences == 0)
		return true;
	for (size_t i = 0; i < naudiences; i++)
		if (strcmp(audiences[i], audience) == 0)
			return true;
	return false;
}

/* strings.HasPrefix(label + "/", prefix) */
static bool slash_prefix(const char *label, const char *prefix)
{
	size_t n = strlen(label), p = strlen(prefix);
	if (p <= n)
		return memcmp(label, prefix, p) == 0;
	return p == n + 1 && memcmp(label, prefix, n) == 0 && prefix[n] == '/';
}

const struct pb_settings_rate_limit_rule *pb_settings_find_rate_limit_rule(const struct pb_settings *s,
                                                                             const char *const *labels, size_t nlabels,
                                                                             const char *const *audiences,
                                                                             size_t naudiences)
{
	const struct pb_settings_rules *r = &s->rate_limits.rules;
	/* Prefix candidates are collected while scanning the first label only, as in Go. */
	size_t *prefix = calloc(r->n ? r->n : 1, sizeof *prefix), nprefix = 0;
	const struct pb_settings_rate_limit_rule *found = NULL;
	if (!prefix)
		abort();
	for (size_t i = 0; i < nlabels && !found; i++) {
		for (size_t j = 0; j < r->n; j++) {
			const struct pb_settings_rate_limit_rule *rule = &r->items[j];
			if (strcmp(labels[i], rule->label) == 0 && audience_ok(rule->audience, audiences, naudiences)) {
				found = rule;
				break;
			}
			size_t len = strlen(rule->label);
			if (i == 0 && len && rule->label[len - 1] == '/')
				prefix[nprefix++] = j;
		}
		for (size_t k = 0; k < nprefix && !found; k++) {
			const struct pb_settings_rate_limit_rule *rule = &r->items[prefix[k]];
			if (slash_prefix(labels[i], rule->label) && audience_ok(rule->audience, audiences, naudiences))
				found = rule;
		}
	}
	free(prefix);
	return found;
}

struct pb_settings *pb_settings_rename_collection(const struct pb_settings *s, const char *old_name,
                                                  const char *new_name)
{
	size_t on = strlen(old_name), nn = strlen(new_name);
	struct pb_settings *copy = NULL;
	for (size_t i = 0; i < s->rate_limits.rules.n; i++) {
		const char *label = s->rate_limits.rules.items[i].label;
		if (strncmp(label, old_name, on) != 0 || label[on] != ':')
			continue;
		if (!copy)
			copy = copy_unsealed(s);
		size_t rest = strlen(label + on);
		char *renamed = malloc(nn + rest + 1);
		if (!renamed)
			abort();
		memcpy(renamed, new_name, nn);
		memcpy(renamed + nn, label + on, rest + 1);
		free(copy->rate_limits.rules.items[i].label);
		copy->rate_limits.rules.items[i].label = renamed;
	}
	if (copy)
		pb_settings_seal(copy);
	return copy;
}

const char *pb_settings_encryption_key(const char *env_name)
{
	if (!env_name || !*env_name)
		return NULL;
	const char *v = getenv(env_name);
	return v && *v ? v : NULL;
}

static pthread_mutex_t current_lock = PTHREAD_MUTEX_INITIALIZER;
static struct pb_settings *current_settings;

struct pb_settings *pb_settings_current(void)
{
	pthread_mutex_lock(&current_lock);
	struct pb_settings *s = pb_settings_ref(current_settings);
	pthread_mutex_unlock(&current_lock);
	return s;
}

void pb_settings_publish(struct pb_settings *s)
{
	pthread_mutex_lock(&current_lock);
	struct pb_settings *old = current_settings;
	current_settings = s;
	pthread_mutex_unlock(&current_lock);
	pb_settings_unref(old);
}
