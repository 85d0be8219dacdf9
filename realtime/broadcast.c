/* broadcast — one committed change event filtered for the clients of one shard, as
 * PocketBase's realtimeBroadcastRecord (apis/realtime.go) does for every client:
 *   - subscriptions are matched on their part before '?': `NAME/ID` and `COLLID/ID` use the
 *     viewRule, the wildcard `NAME/` or `COLLID/` followed by `*` and the deprecated bare `NAME` /
 *     `COLLID` the listRule;
 *   - access as CanAccessRecord with a RequestInfo of context "realtime", method GET, the
 *     subscription's options as query/headers and the client's auth (superusers pass, a null
 *     rule denies, "" allows), then the `filter` option as a client-side filter (denied for
 *     non-superusers whose filter or sort mentions @collection. or @request.);
 *   - the payload is a clean copy of the record: expand per the option with the subscriber's
 *     view rules, hidden fields only for superusers, `email` when emailVisibility is on or the
 *     subscriber is the record itself, a superuser or passes the manageRule, then `fields`
 *     (a bad expression sends the unpruned record); data {"record":…,"action":…};
 *   - one message per matching subscription, its event name the exact subscription string.
 * Deletes are checked against the record as it was (record_probe's CTE of its values) since
 * the row is gone when the event arrives; PocketBase checks them just before the delete, so
 * rules that go through a parent removed by the same cascade can differ.
 *
 * Scale: within one event a rule is evaluated once per (rule, auth[, options when the rule
 * reads @request.query/@request.headers]), the filter and manageRule once per (auth, options),
 * and a payload built once per (auth, options); a client whose stream is full is dropped.
 * Auth state follows the event first (an update of the client's own auth record refreshes it
 * unless its tokenKey changed, which unsets it); a deleted auth record is unset after its
 * delete message went out, as upstream computes that message before the delete. */
#include <stdlib.h>
#include <string.h>

#include "collections/expand.h"
#include "collections/fields_pick.h"
#include "collections/query.h"
#include "collections/record_probe.h"
#include "core/json_write.h"
#include "realtime/realtime_internal.h"

enum match { M_NONE, M_LIST, M_VIEW };

struct bctx {
	struct pb_rt_shard *s;
	const struct pb_schema *schema;
	const struct pb_collection *c;
	const char *action;
	const json_t *record; /* borrowed from the event */
	const char *rid;
	size_t rid_len;
	bool deleted;
	json_t *checks;       /* cache key → true/false */
	json_t *payloads;     /* cache key → payload bytes (as a string) */
	struct pb_strbuf key, frame;
};

static bool eqn(const char *a, size_t alen, const char *b) { return strlen(b) == alen && !memcmp(a, b, alen); }

static enum match match_sub(const struct bctx *b, const struct pb_rt_sub *sub)
{
	const char *t = sub->topic;
	size_t n = sub->base_len;
	const char *slash = memchr(t, '/', n);
	size_t clen = slash ? (size_t)(slash - t) : n;
	if (!eqn(t, clen, b->c->name) && !eqn(t, clen, b->c->id))
		return M_NONE;
	if (!slash)
		return M_LIST;
	const char *rest = slash + 1;
	size_t rlen = n - clen - 1;
	if (rlen == 1 && rest[0] == '*')
		return M_LIST;
	if (rlen == b->rid_len && !memcmp(rest, b->rid, rlen))
		return M_VIEW;
	return M_NONE;
}

static void make_info(const struct bctx *b, const struct pb_rt_client *cl, const struct pb_rt_sub *sub,
                      struct pb_request_info *info)
{
	memset(info, 0, sizeof *info);
	info->context = "realtime";
	info->method = "GET";
	info->query = sub->query;
	info->headers = sub->headers;
	info->auth = cl->auth;
	info->auth_collection = cl->auth ? pb_schema_find_by_id(b->schema, cl->auth_cid) : NULL;
	info->superuser = cl->auth && cl->superuser;
}

static bool reads_options(const char *expr)
{
	return expr && (strstr(expr, "@request.query") || strstr(expr, "@request.headers"));
}

static const char *opt(const struct pb_rt_sub *sub, const char *name)
{
	const char *v = sub->query ? json_string_value(json_object_get(sub->query, name)) : NULL;
	return v && *v ? v : NULL;
}

/* 1 when `expr` (non-empty) matches the record for cl/sub, cached under tag + auth [+ options] */
static bool check(struct bctx *b, char tag, const char *expr, bool client_filter, bool with_options,
                  const struct pb_rt_client *cl, const struct pb_rt_sub *sub)
{
	pb_strbuf_reset(&b->key);
	pb_strbuf_putc(&b->key, tag);
	pb_strbuf_putc(&b->key, '\x1f');
	pb_strbuf_puts(&b->key, cl->auth_key);
	if (with_options) {
		pb_strbuf_putc(&b->key, '\x1f');
		pb_strbuf_puts(&b->key, sub->options_key);
	}
	json_t *hit = json_object_getn(b->checks, b->key.data, b->key.len);
	if (hit)
		return json_is_true(hit);
	struct pb_request_info info;
	make_info(b, cl, sub, &info);
	struct pb_read_ctx ctx = {b->schema, b->s->stmts, &info, NULL};
	struct pb_error err = PB_ERROR_INIT;
	int rc = b->deleted ? pb_record_probe_values(&ctx, b->c, b->record, expr, client_filter, &err)
	                    : pb_record_probe(&ctx, b->c, b->rid, expr, client_filter, &err);
	pb_error_clear(&err);
	b->s->stats.rule_checks++;
	json_object_setn_new_nocheck(b->checks, b->key.data, b->key.len, json_boolean(rc == 1));
	return rc == 1;
}

/* realtimeCanAccessRecord: the rule, then the subscription's `filter` option */
static bool can_access(struct bctx *b, const struct pb_rt_client *cl, const struct pb_rt_sub *sub, const char *rule,
                       char tag)
{
	bool su = cl->auth && cl->superuser;
	if (!su) {
		if (!rule)
			return false;
		if (*rule && !check(b, tag, rule, false, reads_options(rule), cl, sub))
			return false;
	}
	const char *filter = opt(sub, "filter");
	if (!filter)
		return true;
	if (!su) {
		/* checkForSuperuserOnlyRuleFields over filter and sort */
		const char *sort = opt(sub, "sort");
		static const char *const only[] = {"@collection.", "@request."};
		for (size_t i = 0; i < 2; i++)
			if (strstr(filter, only[i]) || (sort && strstr(sort, only[i])))
				return false;
	}
	/* joined collections' list rules may read the options too: key on all of them */
	return check(b, 'f', filter, true, true, cl, sub);
}

static bool is_same_record(const struct pb_rt_client *cl, const struct bctx *b)
{
	if (!cl->auth || strcmp(cl->auth_cid, b->c->id) != 0)
		return false;
	const char *id = json_string_value(json_object_get(cl->auth, "id"));
	return id && !strcmp(id, b->rid);
}

/* The record as this subscriber sees it, wrapped as {"record":…,"action":…}. */
static void build_payload(struct bctx *b, const struct pb_rt_client *cl, const struct pb_rt_sub *sub,
                          struct pb_strbuf *out)
{
	const struct pb_collection *c = b->c;
	json_t *rec = json_deep_copy(b->record);
	json_t *list = json_array();
	json_array_append(list, rec);
	struct pb_request_info info;
	make_info(b, cl, sub, &info);
	struct pb_read_ctx ctx = {b->schema, b->s->stmts, &info, NULL};
	const char *expand = opt(sub, "expand");
	if (expand)
		pb_expand_records(&ctx, c, list, expand);
	if (!info.superuser) {
		bool show_email = false;
		if (c->type == PB_COLLECTION_AUTH) {
			const char *mr = c->manage_rule;
			show_email = json_is_true(json_object_get(rec, "emailVisibility")) || is_same_record(cl, b) ||
			             (mr && (!*mr || check(b, 'm', mr, false, reads_options(mr), cl, sub)));
		}
		for (size_t k = 0; k < c->nfields; k++)
			if (c->fields[k].hidden)
				json_object_del(rec, c->fields[k].name);
		if (c->type == PB_COLLECTION_AUTH && !show_email)
			json_object_del(rec, "email");
	}
	json_t *shown = json_incref(rec);
	const char *fields = opt(sub, "fields");
	if (fields) {
		struct pb_error err = PB_ERROR_INIT;
		struct pb_fields_pick *pick = pb_fields_pick_parse(fields, &err);
		if (pick) {
			json_decref(shown);
			shown = pb_fields_pick_apply(pick, rec, false);
			pb_fields_pick_free(pick);
		}
		pb_error_clear(&err);
	}
	json_t *data = json_object();
	json_object_set_new(data, "record", shown);
	json_object_set_new(data, "action", json_string(b->action));
	pb_json_write(out, data);
	json_decref(data);
	json_decref(list);
	json_decref(rec);
}

static json_t *payload(struct bctx *b, const struct pb_rt_client *cl, const struct pb_rt_sub *sub)
{
	pb_strbuf_reset(&b->key);
	pb_strbuf_puts(&b->key, cl->auth_key);
	pb_strbuf_putc(&b->key, '\x1f');
	pb_strbuf_puts(&b->key, sub->options_key);
	json_t *hit = json_object_getn(b->payloads, b->key.data, b->key.len);
	if (hit)
		return hit;
	/* build_payload may reuse b->key for manageRule checks: keep a copy of the cache key */
	struct pb_strbuf key = PB_STRBUF_INIT, out = PB_STRBUF_INIT;
	pb_strbuf_append(&key, b->key.data, b->key.len);
	build_payload(b, cl, sub, &out);
	json_t *p = json_stringn_nocheck(out.data ? out.data : "", out.len);
	json_object_setn_new_nocheck(b->payloads, key.data, key.len, p);
	pb_strbuf_deinit(&key);
	pb_strbuf_deinit(&out);
	b->s->stats.payloads++;
	return p;
}

static void deliver(struct bctx *b, struct pb_rt_client *cl)
{
	for (size_t i = 0; cl->subs && i < cl->subs->n && !cl->doomed; i++) {
		const struct pb_rt_sub *sub = &cl->subs->items[i];
		enum match m = match_sub(b, sub);
		if (m == M_NONE)
			continue;
		const char *rule = b->c->rules[m == M_VIEW ? PB_RULE_VIEW : PB_RULE_LIST];
		if (!can_access(b, cl, sub, rule, m == M_VIEW ? 'v' : 'l'))
			continue;
		json_t *p = payload(b, cl, sub);
		pb_rt_client_write(cl, &b->frame, sub->topic, sub->len, json_string_value(p), json_string_length(p));
	}
}

/* tokenKey of the stored auth record (NULL when missing); caller frees */
static char *stored_token_key(struct bctx *b)
{
	struct pb_strbuf sql = PB_STRBUF_INIT;
	pb_strbuf_puts(&sql, "SELECT ");
	pb_sql_ident(&sql, "tokenKey");
	pb_strbuf_puts(&sql, " FROM ");
	pb_sql_ident(&sql, b->c->name);
	pb_strbuf_puts(&sql, " WHERE ");
	pb_sql_ident(&sql, "id");
	pb_strbuf_puts(&sql, " = ?1 LIMIT 1");
	char *out = NULL;
	sqlite3_stmt *st = pb_stmt_cache_get(b->s->stmts, sql.data, sql.len);
	if (st) {
		sqlite3_bind_text(st, 1, b->rid, (int)b->rid_len, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			const char *t = (const char *)sqlite3_column_text(st, 0);
			out = strdup(t ? t : "");
		}
		pb_stmt_cache_release(b->s->stmts, st);
	}
	pb_strbuf_deinit(&sql);
	return out;
}

/* realtimeUpdateClientsAuth / realtimeUnsetClientsAuthByRecordModelOrProxy */
static void follow_auth(struct bctx *b, bool deleted)
{
	json_t *fresh = NULL;
	char *token_key = NULL;
	bool loaded = false;
	for (struct pb_rt_client *cl = b->s->head; cl; cl = cl->next) {
		if (!is_same_record(cl, b))
			continue;
		if (deleted) {
			pb_rt_client_set_auth(cl, NULL, NULL, false, 0, 0);
			continue;
		}
		if (!loaded) {
			token_key = stored_token_key(b);
			fresh = json_deep_copy(b->record);
			loaded = true;
		}
		if (!token_key || pb_rt_hash64(token_key, strlen(token_key)) != cl->token_key_hash)
			pb_rt_client_set_auth(cl, NULL, NULL, false, 0, 0);
		else
			pb_rt_client_set_auth(cl, json_incref(fresh), cl->auth_cid, cl->superuser, cl->token_key_hash,
			                      cl->secret_hash);
	}
	json_decref(fresh);
	free(token_key);
}

void pb_rt_shard_broadcast(struct pb_rt_shard *s, const struct pb_schema *schema, const json_t *event)
{
	s->stats.events++;
	pb_rt_shard_check_schema(s, schema);
	const char *action = json_string_value(json_object_get(event, "action"));
	const char *cid = json_string_value(json_object_get(event, "collectionId"));
	const json_t *record = json_object_get(event, "record");
	const char *rid = json_string_value(json_object_get(record, "id"));
	const struct pb_collection *c = cid ? pb_schema_find_by_id(schema, cid) : NULL;
	if (!action || !c || !rid || !json_is_object(record) || c->type == PB_COLLECTION_VIEW)
		return;
	struct bctx b = {s, schema, c, action, record, rid, strlen(rid), !strcmp(action, "delete"), json_object(),
	                 json_object(), PB_STRBUF_INIT, PB_STRBUF_INIT};
	bool is_auth = c->type == PB_COLLECTION_AUTH;
	if (is_auth && !strcmp(action, "update"))
		follow_auth(&b, false);
	for (struct pb_rt_client *cl = s->head; cl; cl = cl->next)
		if (cl->subs && cl->subs->n)
			deliver(&b, cl);
	if (is_auth && b.deleted)
		follow_auth(&b, true);
	json_decref(b.checks);
	json_decref(b.payloads);
	pb_strbuf_deinit(&b.key);
	pb_strbuf_deinit(&b.frame);
	pb_rt_shard_reap(s);
}
