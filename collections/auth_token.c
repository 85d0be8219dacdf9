/* auth_token — token → auth record resolution and token issuing (see auth_token.h).
 * The order of checks follows FindAuthRecordByToken; only the outcome (record or failure) is
 * observable, so the time claims are checked together with the signature at the end. */
#include "collections/auth_token.h"

#include <stdlib.h>
#include <string.h>

#include "collections/record_find.h"
#include "core/hash.h"
#include "core/jwt.h"
#include "core/strbuf.h"

static const struct {
	const char *type, *option;
} token_types[] = {
	{PB_TOKEN_AUTH, "authToken"},
	{PB_TOKEN_FILE, "fileToken"},
	{PB_TOKEN_VERIFICATION, "verificationToken"},
	{PB_TOKEN_PASSWORD_RESET, "passwordResetToken"},
	{PB_TOKEN_EMAIL_CHANGE, "emailChangeToken"},
};

const char *pb_auth_token_option(const char *type)
{
	for (size_t i = 0; type && i < sizeof token_types / sizeof token_types[0]; i++)
		if (strcmp(type, token_types[i].type) == 0)
			return token_types[i].option;
	return NULL;
}

/* A claim that is a non-empty string, or NULL. Borrowed from claims. */
static const char *claim_str(const json_t *claims, const char *name)
{
	const char *s = json_string_value(json_object_get(claims, name));
	return s && *s ? s : NULL;
}

/* The secret of `type`'s token option; "" when the option or its secret is absent (a Go
 * collection then has a zero-value secret). Borrowed. */
static const char *type_secret(const struct pb_collection *c, const char *type)
{
	const char *secret = NULL;
	if (pb_collection_token_config(c, pb_auth_token_option(type), &secret, NULL) != 0 || !secret)
		return "";
	return secret;
}

static struct pb_auth_cache_entry *cache_find(struct pb_auth_cache *cache, const char *token, uint64_t h)
{
	for (size_t i = 0; cache && i < PB_AUTH_CACHE_SIZE; i++)
		if (cache->e[i].token && cache->e[i].hash == h && !strcmp(cache->e[i].token, token))
			return &cache->e[i];
	return NULL;
}

static void entry_drop_record(struct pb_auth_cache_entry *e)
{
	e->c = NULL;
	e->checked_unix = 0;
	json_decref(e->record);
	free(e->token_key);
	pb_schema_unref(e->schema);
	e->record = NULL;
	e->token_key = NULL;
	e->schema = NULL;
}

/* The slot for a new token: a free one, else the least recently used. Returned emptied. */
static struct pb_auth_cache_entry *cache_slot(struct pb_auth_cache *cache)
{
	struct pb_auth_cache_entry *slot = &cache->e[0];
	for (size_t i = 0; i < PB_AUTH_CACHE_SIZE; i++) {
		if (!cache->e[i].token) {
			slot = &cache->e[i];
			break;
		}
		if (cache->e[i].used_at < slot->used_at)
			slot = &cache->e[i];
	}
	free(slot->token);
	free(slot->key);
	json_decref(slot->claims);
	entry_drop_record(slot);
	memset(slot, 0, sizeof *slot);
	return slot;
}

void pb_auth_cache_init(struct pb_auth_cache *c, const struct pb_writer *writer)
{
	memset(c, 0, sizeof *c);
	c->writer = writer;
}

void pb_auth_cache_deinit(struct pb_auth_cache *c)
{
	for (size_t i = 0; i < PB_AUTH_CACHE_SIZE; i++) {
		free(c->e[i].token);
		free(c->e[i].key);
		json_decref(c->e[i].claims);
		entry_drop_record(&c->e[i]);
	}
	memset(c, 0, sizeof *c);
}

/* The kept record of `hit` when it is still the row's current state (see auth_token.h). */
static bool kept_record_valid(const struct pb_auth_cache *cache, const struct pb_auth_cache_entry *hit,
                              const struct pb_schema *schema, uint64_t gen, int64_t now_unix)
{
	return hit && hit->record && cache->writer && hit->schema == schema && hit->gen == gen &&
	       hit->loaded_unix == now_unix;
}

/* Whether hit's last successful resolution answers this one (see checked_unix). */
static bool checked_hit(const struct pb_auth_cache *cache, const struct pb_auth_cache_entry *hit,
                        const struct pb_schema *schema, const char *type, int64_t now_unix)
{
	return hit && hit->checked_unix == now_unix && hit->c && hit->record && cache->writer && hit->schema == schema &&
	       hit->loaded_unix == now_unix && strcmp(type ? type : "", hit->checked_type) == 0 &&
	       pb_writer_table_gen(cache->writer, hit->c->name) == hit->gen;
}

/* Records on e (the entry this successful resolution used) what checked_hit needs. */
static void entry_checked(struct pb_auth_cache_entry *e, const struct pb_schema *schema, const struct pb_auth *a,
                          const char *type, int64_t now_unix)
{
	size_t tlen = strlen(type ? type : "");
	if (!e || !e->record || e->record != a->record || e->schema != schema || tlen >= sizeof e->checked_type)
		return;
	e->c = a->collection;
	e->checked_unix = now_unix;
	memcpy(e->checked_type, type ? type : "", tlen + 1);
	e->refreshable = a->refreshable;
}

int pb_auth_token_resolve_cached(const struct pb_schema *schema, struct pb_stmt_cache *stmts,
                                 struct pb_auth_cache *cache, const char *token, const char *type, int64_t now_unix,
                                 struct pb_auth *out)
{
	memset(out, 0, sizeof *out);
	if (!schema || !stmts || !token || !*token)
		return -1;
	int rc = -1;
	uint64_t h = pb_hash_str(token);
	struct pb_auth_cache_entry *hit = cache_find(cache, token, h);
	if (checked_hit(cache, hit, schema, type, now_unix)) {
		out->record = json_incref(hit->record);
		out->collection = hit->c;
		out->superuser = strcmp(hit->c->name, "_superusers") == 0;
		out->refreshable = hit->refreshable;
		out->claims = json_incref(hit->claims);
		hit->used_at = ++cache->tick;
		return 0;
	}
	struct pb_auth_cache_entry *used = NULL;
	json_t *unverified = hit ? json_incref(hit->claims) : pb_jwt_parse_unverified(token);
	json_t *record = NULL, *claims = NULL;
	char *loaded_key = NULL;
	const char *token_key = NULL;
	struct pb_strbuf key = PB_STRBUF_INIT;
	const struct pb_collection *c = NULL;
	const struct pb_record_export x = {.show_hidden = true, .show_email = true};
	const char *id = claim_str(unverified, "id");
	const char *collection_id = claim_str(unverified, "collectionId");
	const char *token_type = claim_str(unverified, "type");
	if (!id || !collection_id || !token_type)
		goto done;
	if (type && strcmp(token_type, type) != 0)
		goto done;
	if (!pb_auth_token_option(token_type))
		goto done;
	/* FindRecordById resolves the collection by id or name (FindCachedCollectionByNameOrId). */
	c = pb_schema_find(schema, collection_id);
	if (!c || c->type != PB_COLLECTION_AUTH)
		goto done;
	/* taken before the load: a change committed after this moves it */
	uint64_t gen = cache && cache->writer ? pb_writer_table_gen(cache->writer, c->name) : 0;
	if (kept_record_valid(cache, hit, schema, gen, now_unix)) {
		record = json_incref(hit->record);
		token_key = hit->token_key;
	} else {
		record = pb_record_find_by_id_cached(stmts, c, id, &x, &loaded_key);
		if (!record || !loaded_key)
			goto done;
		token_key = loaded_key;
		if (hit && cache->writer) {
			entry_drop_record(hit);
			hit->record = json_incref(record);
			hit->token_key = strdup(loaded_key);
			hit->schema = pb_schema_ref((struct pb_schema *)schema);
			hit->gen = gen;
			hit->loaded_unix = now_unix;
		}
	}
	pb_strbuf_puts(&key, token_key);
	pb_strbuf_puts(&key, type_secret(c, token_type));
	if (hit && !strcmp(hit->key, pb_strbuf_cstr(&key))) {
		/* the same bytes were verified with this very key before */
		if (pb_jwt_check_times(hit->claims, now_unix) != 0)
			goto done;
		claims = json_incref(hit->claims);
		hit->used_at = ++cache->tick;
		used = hit;
	} else {
		if (pb_jwt_verify_hs256_claims(token, pb_strbuf_cstr(&key), key.len, now_unix, &claims) != 0)
			goto done;
		if (cache) {
			struct pb_auth_cache_entry *e = hit ? hit : cache_slot(cache);
			if (hit) {
				free(hit->key);
				json_decref(hit->claims);
			} else {
				e->hash = h;
				e->token = strdup(token);
				if (cache->writer) {
					e->record = json_incref(record);
					e->token_key = strdup(token_key);
					e->schema = pb_schema_ref((struct pb_schema *)schema);
					e->gen = gen;
					e->loaded_unix = now_unix;
				}
			}
			e->key = strdup(pb_strbuf_cstr(&key));
			e->claims = json_deep_copy(claims);
			e->used_at = ++cache->tick;
			used = e;
		}
	}
	out->record = record;
	out->collection = c;
	out->superuser = strcmp(c->name, "_superusers") == 0;
	out->refreshable = json_is_true(json_object_get(claims, "refreshable"));
	out->claims = claims;
	record = claims = NULL;
	rc = 0;
	entry_checked(used, schema, out, type, now_unix);
done:
	json_decref(unverified);
	json_decref(record);
	json_decref(claims);
	free(loaded_key);
	pb_strbuf_deinit(&key);
	return rc;
}

int pb_auth_token_resolve(const struct pb_schema *schema, struct pb_stmt_cache *stmts, const char *token,
                          const char *type, int64_t now_unix, struct pb_auth *out)
{
	return pb_auth_token_resolve_cached(schema, stmts, NULL, token, type, now_unix, out);
}

void pb_auth_clear(struct pb_auth *a)
{
	if (!a)
		return;
	json_decref(a->record);
	json_decref(a->claims);
	memset(a, 0, sizeof *a);
}

static bool has_str(const json_t *extra, const char *name)
{
	return json_is_string(json_object_get(extra, name));
}

char *pb_auth_token_issue(const struct pb_collection *c, const char *record_id, const char *token_key,
                          const char *type, json_t *extra, int64_t now_unix, long long duration_override)
{
	const char *option = pb_auth_token_option(type);
	if (!c || c->type != PB_COLLECTION_AUTH || !option || !record_id)
		return NULL;
	if (extra && !json_is_object(extra))
		return NULL;
	if ((!strcmp(type, PB_TOKEN_VERIFICATION) || !strcmp(type, PB_TOKEN_PASSWORD_RESET)) && !has_str(extra, "email"))
		return NULL;
	if (!strcmp(type, PB_TOKEN_EMAIL_CHANGE) && (!has_str(extra, "email") || !has_str(extra, "newEmail")))
		return NULL;
	const char *secret = NULL;
	long long duration = 0;
	if (pb_collection_token_config(c, option, &secret, &duration) != 0)
		return NULL;
	if (duration_override > 0)
		duration = duration_override;

	struct pb_strbuf key = PB_STRBUF_INIT;
	pb_strbuf_puts(&key, token_key ? token_key : "");
	pb_strbuf_puts(&key, secret ? secret : "");
	char *token = NULL;
	json_t *claims = json_object();
	if (key.len == 0) /* ErrMissingSigningKey */
		goto done;
	/* json_string fails (NULL) on invalid UTF-8; json_object_set_new then fails too. */
	if (json_object_set_new(claims, "id", json_string(record_id)) != 0 ||
	    json_object_set_new(claims, "collectionId", json_string(c->id)) != 0 ||
	    json_object_set_new(claims, "type", json_string(type)) != 0 ||
	    json_object_set_new(claims, "exp", json_integer((json_int_t)(now_unix + duration))) != 0)
		goto done;
	if (!strcmp(type, PB_TOKEN_AUTH))
		json_object_set_new(claims, "refreshable", json_true());
	if (extra && json_object_update(claims, extra) != 0)
		goto done;
	token = pb_jwt_sign_hs256(claims, key.data, key.len);
done:
	json_decref(claims);
	pb_strbuf_deinit(&key);
	return token;
}

static bool bearer_prefix(const char *s)
{
	static const char prefix[] = "bearer ";
	for (size_t i = 0; i < sizeof prefix - 1; i++) {
		char ch = s[i];
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		if (ch != prefix[i])
			return false;
	}
	return true;
}

const char *pb_auth_header_token(const char *value)
{
	if (!value)
		return "";
	if (strlen(value) > 7 && bearer_prefix(value))
		return value + 7;
	return value;
}
