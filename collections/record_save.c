/* record_save — create and update as writer jobs (see record_save.h). The order of checks is
 * PocketBase's: assign the body (modifiers, uploads, hidden fields) → resolved @request.body →
 * create/update rule → manageRule (manager access) → auth form rules → field validation plus
 * the database checks → save-time rules (bcrypt, tokenKey, autodates) → INSERT/UPDATE (UNIQUE
 * violations as field errors) → the auth save hooks (auth_record.h: ref rows, installer) → files →
 * change event. */
#include "collections/record_save.h"

#include <stdlib.h>
#include <string.h>

#include "collections/auth_record.h"
#include "collections/filter.h"
#include "collections/record_assign.h"
#include "collections/record_find.h"
#include "collections/record_rule.h"
#include "collections/record_save_files.h"
#include "collections/record_save_internal.h"
#include "collections/record_validate.h"
#include "collections/field_type.h"
#include "collections/record_write.h"
#include "core/datetime.h"
#include "core/json_write.h"
#include "core/random.h"

void pb_record_save_init(struct pb_record_save *s) { memset(s, 0, sizeof *s); }

void pb_record_save_deinit(struct pb_record_save *s)
{
	if (s->form) {
		pb_record_form_deinit(s->form);
		free(s->form);
		s->form = NULL;
	}
	json_decref(s->checks);
	s->checks = NULL;
	json_decref(s->record);
	json_decref(s->upload_names);
	json_decref(s->written_files);
	json_decref(s->stale_files);
	s->record = s->upload_names = s->written_files = s->stale_files = NULL;
}

const struct pb_collection *pb_record_write_precheck(const struct pb_schema *s, const char *collection,
                                                     enum pb_record_op op, const char *id, bool superuser,
                                                     struct pb_error *err)
{
	const struct pb_collection *c = pb_schema_find(s, collection);
	if (!c) {
		pb_error_set(err, 404, "%s", PB_MSG_MISSING_COLLECTION_CTX);
		return NULL;
	}
	if (c->type == PB_COLLECTION_VIEW) {
		pb_error_set(err, 400, "%s", PB_MSG_UNSUPPORTED_TYPE);
		return NULL;
	}
	if (op != PB_RECORD_CREATE && (!id || !*id)) {
		pb_error_set(err, 404, "%s", "");
		return NULL;
	}
	enum pb_rule_kind kind = op == PB_RECORD_CREATE ? PB_RULE_CREATE : op == PB_RECORD_UPDATE ? PB_RULE_UPDATE
	                                                                                        : PB_RULE_DELETE;
	if (!superuser && !c->rules[kind]) {
		pb_error_set(err, 403, "%s", PB_MSG_SUPERUSERS_ONLY_ACTION);
		return NULL;
	}
	return c;
}

/* ---- shared helpers ------------------------------------------------------------------------ */

json_t *pb_save_load_stored(struct pb_write_ctx *w, const struct pb_collection *c, const char *id)
{
	struct pb_record_export x = {.show_hidden = true, .show_email = true, .keep_secrets = true,
	                             .no_collection_keys = true};
	return pb_record_find_by_id_cached(w->stmts, c, id, &x, NULL);
}

static int cmp_key(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

static bool is_secret(const struct pb_collection *c, const struct pb_field *f)
{
	return f->type == PB_FIELD_PASSWORD || (c->type == PB_COLLECTION_AUTH && !strcmp(f->name, "tokenKey"));
}

/* One key of a public copy, in order: a field's value, or (collectionId, collectionName) a
 * text. */
typedef void (*public_key_fn)(void *arg, const char *key, const json_t *value, const char *text);

/* Walks the public copy of stored in c->sorted order with collectionId and collectionName
 * merged in (hidden fields only when show_hidden, secrets never), calling emit for each key.
 * Returns false when stored holds a key that names no field (what was emitted is then not
 * the copy: the caller takes the general path, which sorts what is there). */
static bool walk_public_by_fields(const struct pb_collection *c, const json_t *stored, bool show_hidden,
                                  public_key_fn emit, void *arg)
{
	static const char *const extra[2] = {"collectionId", "collectionName"}; /* in byte order */
	const char *extra_value[2] = {c->id, c->name};
	size_t found = 0, next_extra = 0;
	for (size_t j = 0; j <= c->nfields; j++) {
		const struct pb_field *f = j < c->nfields ? &c->fields[c->sorted[j]] : NULL;
		while (next_extra < 2 && (!f || strcmp(extra[next_extra], f->name) < 0)) {
			emit(arg, extra[next_extra], NULL, extra_value[next_extra]);
			next_extra++;
		}
		if (!f)
			break;
		json_t *v = json_object_get(stored, f->name);
		if (!v)
			continue;
		found++;
		if (!is_secret(c, f) && (show_hidden || !f->hidden) && strcmp(f->name, extra[0]) != 0 &&
		    strcmp(f->name, extra[1]) != 0)
			emit(arg, f->name, v, NULL);
	}
	return found == json_object_size(stored);
}

static void set_public_key(void *arg, const char *key, const json_t *value, const char *text)
{
	if (value)
		json_object_set(arg, key, (json_t *)value);
	else if (text)
		json_object_set_new(arg, key, json_string(text));
}

/* The public copy (hidden fields included) when every key of stored names a field (a saved
 * record), else NULL. */
static json_t *public_copy_by_fields(const struct pb_collection *c, const json_t *stored)
{
	json_t *o = json_object();
	if (!walk_public_by_fields(c, stored, true, set_public_key, o)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

struct public_writer {
	struct pb_strbuf *out;
	bool first;
};

static void write_public_key(void *arg, const char *key, const json_t *value, const char *text)
{
	struct public_writer *w = arg;
	if (!w->first)
		pb_strbuf_putc(w->out, ',');
	w->first = false;
	pb_json_write_string(w->out, key, strlen(key));
	pb_strbuf_putc(w->out, ':');
	if (value)
		pb_json_write(w->out, value);
	else if (text)
		pb_json_write_string(w->out, text, strlen(text));
}

json_t *pb_save_public_copy(const struct pb_collection *c, const json_t *stored)
{
	json_t *fast = public_copy_by_fields(c, stored);
	if (fast)
		return fast;
	size_t n = json_object_size(stored) + 2, i = 0;
	const char **keys = malloc(n * sizeof *keys);
	if (!keys)
		abort();
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)stored, k, v)
	{
		const struct pb_field *f = pb_collection_field(c, k);
		if (f && is_secret(c, f))
			continue; /* secrets never leave the writer */
		if (!strcmp(k, "collectionId") || !strcmp(k, "collectionName"))
			continue;
		keys[i++] = k;
	}
	keys[i++] = "collectionId";
	keys[i++] = "collectionName";
	qsort(keys, i, sizeof *keys, cmp_key);
	json_t *o = json_object();
	for (size_t j = 0; j < i; j++) {
		if (!strcmp(keys[j], "collectionId"))
			json_object_set_new(o, keys[j], json_string(c->id));
		else if (!strcmp(keys[j], "collectionName"))
			json_object_set_new(o, keys[j], json_string(c->name));
		else
			json_object_set(o, keys[j], json_object_get(stored, keys[j]));
	}
	free(keys);
	return o;
}

void pb_save_event(struct pb_write_ctx *w, const char *action, const struct pb_collection *c, const json_t *record)
{
	json_t *ev = json_object();
	json_object_set_new(ev, "action", json_string(action));
	json_object_set_new(ev, "collectionId", json_string(c->id));
	json_object_set_new(ev, "record", json_deep_copy(record));
	pb_write_ctx_event(w, ev);
}

void pb_save_event_shared(struct pb_write_ctx *w, const char *action, const struct pb_collection *c, json_t *record)
{
	json_t *ev = json_object();
	json_object_set_new(ev, "action", json_string(action));
	json_object_set_new(ev, "collectionId", json_string(c->id));
	json_object_set(ev, "record", record);
	pb_write_ctx_event(w, ev);
}

static int exec_write(struct pb_write_ctx *w, const struct pb_collection *c, const struct pb_strbuf *sql,
                      const struct pb_query *q, const char *message)
{
	sqlite3_stmt *st = pb_stmt_cache_get(w->stmts, sql->data, sql->len);
	if (!st)
		return pb_error_set(w->err, 500, "%s", sqlite3_errmsg(w->db));
	int rc = pb_query_bind_all(q, st);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	int out = 0;
	if (rc != SQLITE_DONE) {
		const char *msg = sqlite3_errmsg(w->db);
		if (pb_record_unique_error(c, msg, message, w->err) == 0)
			pb_error_set(w->err, 400, "%s", message);
		out = -1;
	}
	pb_stmt_cache_release(w->stmts, st);
	return out;
}

int pb_save_update_row(struct pb_write_ctx *w, const struct pb_collection *c, const json_t *record, const char *id,
                       const char *message)
{
	struct pb_query q;
	pb_query_init(&q);
	struct pb_strbuf sql = PB_STRBUF_INIT;
	pb_record_update_sql(c, &sql);
	pb_record_bind(c, record, &q);
	pb_query_bind_text(&q, id, strlen(id));
	int rc = exec_write(w, c, &sql, &q, message);
	pb_strbuf_deinit(&sql);
	pb_query_deinit(&q);
	return rc;
}

#define CREATE_CTE_SUFFIX "pbcrte"

int pb_save_rule_check_new(const struct pb_read_ctx *ctx, const struct pb_collection *c, const json_t *record,
                           const char *rule, struct pb_error *err)
{
	/* PocketBase names the CTE with 6 random characters; a fixed suffix is as collision-free in
	 * practice (no collection is named like that) and keeps the statement text cacheable */
	const char *rnd = CREATE_CTE_SUFFIX;
	/* a shallow copy of c under a dummy id and name (fields shared, nothing freed) */
	struct pb_collection dummy = *c;
	struct pb_strbuf name = PB_STRBUF_INIT, id = PB_STRBUF_INIT;
	pb_strbuf_puts(&name, c->name);
	pb_strbuf_puts(&name, "__pb_create__");
	pb_strbuf_puts(&name, rnd);
	pb_strbuf_puts(&id, c->id);
	pb_strbuf_puts(&id, "__pb_create__");
	pb_strbuf_puts(&id, rnd);
	dummy.name = name.data;
	dummy.id = id.data;

	/* the record's values as bound, with a temporary id when it has none yet and verified
	 * false for an auth record (nothing of the record itself changes) */
	const char *rid = json_string_value(json_object_get(record, "id"));
	json_t *temp_id = !rid || !*rid ? json_string("__temp_id____pb_create__" CREATE_CTE_SUFFIX) : NULL;
	bool unverified = c->type == PB_COLLECTION_AUTH && pb_collection_field(c, "verified");

	struct pb_query q;
	pb_query_init(&q);
	struct pb_strbuf where = PB_STRBUF_INIT, sql = PB_STRBUF_INIT;
	struct pb_filter_ctx fc = {ctx->schema, &dummy, ctx->req, &q, true, false, ctx->filters, NULL};
	int out = -1;
	if (pb_filter_to_sql(&fc, rule, &where, err) != 0) {
		pb_error_set(err, 400, "%s", PB_MSG_FAILED_CREATE);
		goto done;
	}
	int first = (int)q.nbinds + 1;
	for (size_t i = 0; i < c->nfields; i++) {
		const struct pb_field *f = &c->fields[i];
		const struct pb_field_ops *ops = pb_field_impl(f);
		json_t *v, *zero = NULL;
		if (temp_id && !strcmp(f->name, "id"))
			v = temp_id;
		else if (unverified && !strcmp(f->name, "verified"))
			v = json_false();
		else if (!(v = json_object_get(record, f->name)))
			v = zero = ops->zero(f);
		ops->to_db(f, v, &q);
		json_decref(zero);
	}
	pb_strbuf_puts(&sql, "WITH ");
	pb_sql_ident(&sql, dummy.name);
	pb_strbuf_puts(&sql, " AS (SELECT ");
	for (size_t i = 0; i < c->nfields; i++) {
		if (i)
			pb_strbuf_puts(&sql, ", ");
		pb_strbuf_putc(&sql, '?');
		pb_strbuf_put_int(&sql, first + (int)i);
		pb_strbuf_puts(&sql, " AS ");
		pb_sql_ident(&sql, c->fields[i].name);
	}
	pb_strbuf_puts(&sql, ") SELECT (1) FROM ");
	pb_sql_ident(&sql, dummy.name);
	pb_query_write_joins(&q, &sql);
	pb_strbuf_puts(&sql, " WHERE (");
	pb_strbuf_append(&sql, where.data, where.len);
	pb_strbuf_puts(&sql, ") LIMIT 1");
	sqlite3_stmt *st = pb_stmt_cache_get(ctx->stmts, sql.data, sql.len);
	if (!st) {
		pb_error_set(err, 400, "%s", PB_MSG_FAILED_CREATE);
		goto done;
	}
	pb_query_bind_all(&q, st);
	int rc = sqlite3_step(st);
	pb_stmt_cache_release(ctx->stmts, st);
	if (rc == SQLITE_ROW)
		out = 1;
	else if (rc == SQLITE_DONE)
		out = 0;
	else
		pb_error_set(err, 400, "%s", PB_MSG_FAILED_CREATE);
done:
	pb_strbuf_deinit(&where);
	pb_strbuf_deinit(&sql);
	pb_query_deinit(&q);
	json_decref(temp_id);
	pb_strbuf_deinit(&name);
	pb_strbuf_deinit(&id);
	return out;
}

/* hasAuthManageAccess: only for an authenticated requester of an auth collection whose
 * manageRule is set. */
static bool manage_rule_applies(const struct pb_record_save *s)
{
	return s->c->type == PB_COLLECTION_AUTH && s->req->auth && !s->req->superuser && s->c->manage_rule &&
	       *s->c->manage_rule;
}

static void form_start(struct pb_record_form *form, const struct pb_record_save *s, const json_t *stored)
{
	pb_record_form_init(form, s->c, stored);
	form->skip_password_checks = s->skip_password_checks;
	if (s->req->superuser)
		pb_record_form_grant(form, PB_ACCESS_SUPERUSER);
}

/* validate_auth → validate → database checks, reporting every field error together */
static int validate_all(struct pb_write_ctx *w, struct pb_record_save *s, struct pb_record_form *form,
                        const char *message)
{
	if (pb_record_form_validate_auth(form, message, w->err) != 0)
		return -1;
	json_t *checks = json_array();
	int v = pb_record_form_validate(form, checks, message, w->err);
	int k = pb_record_run_checks(w->stmts, s->schema, checks, message, w->err);
	json_decref(checks);
	if (w->err->status == 500)
		return -1;
	return v != 0 || k != 0 ? -1 : 0;
}

static void finish_record(struct pb_record_save *s, struct pb_write_ctx *w, const char *action,
                          const json_t *values)
{
	json_decref(s->record);
	s->record = pb_save_public_copy(s->c, values);
	pb_save_event_shared(w, action, s->c, s->record);
}

/* ---- create -------------------------------------------------------------------------------- */

/* The part of a create that only reads: PocketBase evaluates the create and manage rules on
 * its concurrent (non-transaction) connection too. */
int pb_record_create_prepare(struct pb_record_save *s, struct pb_stmt_cache *stmts, bool run_db_checks,
                             struct pb_error *err)
{
	const struct pb_collection *c = s->c;
	s->form = calloc(1, sizeof *s->form);
	if (!s->form)
		abort();
	struct pb_record_form *form = s->form;
	form_start(form, s, NULL);
	if (pb_save_register_uploads(s, form, err) != 0)
		return -1;
	json_t *resolved = pb_record_form_assign(form, s->body);
	struct pb_request_info info = *s->req;
	info.body = resolved;
	struct pb_read_ctx rctx = {s->schema, stmts, &info, s->filters};
	int rc = -1;
	if (!s->req->superuser) {
		const char *rule = c->rules[PB_RULE_CREATE];
		if (rule && *rule && pb_save_rule_check_new(&rctx, c, form->record, rule, err) != 1) {
			pb_error_clear(err);
			pb_error_set(err, 400, "%s", PB_MSG_FAILED_CREATE);
			goto done;
		}
		if (manage_rule_applies(s)) {
			struct pb_error merr = PB_ERROR_INIT;
			if (pb_save_rule_check_new(&rctx, c, form->record, c->manage_rule, &merr) == 1)
				pb_record_form_grant(form, PB_ACCESS_MANAGER);
			pb_error_clear(&merr);
		}
	}
	if (pb_record_form_validate_auth(form, PB_MSG_FAILED_CREATE, err) != 0)
		goto done;
	json_decref(s->checks);
	s->checks = json_array();
	if (pb_record_form_validate(form, s->checks, PB_MSG_FAILED_CREATE, err) != 0) {
		/* the database checks still complete PocketBase's error map */
		pb_record_run_checks(stmts, s->schema, s->checks, PB_MSG_FAILED_CREATE, err);
		goto done;
	}
	if (run_db_checks && pb_record_run_checks(stmts, s->schema, s->checks, PB_MSG_FAILED_CREATE, err) != 0)
		goto done;
	rc = 0;
done:
	json_decref(resolved);
	return rc;
}

int pb_record_create_check_db(struct pb_record_save *s, struct pb_stmt_cache *stmts, struct pb_error *err)
{
	return pb_record_run_checks(stmts, s->schema, s->checks, PB_MSG_FAILED_CREATE, err) != 0 ? -1 : 0;
}

bool pb_record_save_needs_hashing(const struct pb_record_save *s)
{
	return s->form && json_object_size(s->form->plain) > 0;
}

int pb_record_save_hash(struct pb_record_save *s, struct pb_error *err)
{
	if (!pb_record_save_needs_hashing(s))
		return 0;
	if (pb_record_hash_passwords(s->c, s->form->record, s->form->plain, err) != 0)
		return -1;
	json_object_clear(s->form->plain);
	return 0;
}

int pb_record_create_commit(struct pb_write_ctx *w, void *arg)
{
	struct pb_record_save *s = arg;
	const struct pb_collection *c = s->c;
	struct pb_record_form *form = s->form;
	if (!form)
		return pb_error_set(w->err, 500, "the create was not prepared");
	/* relation ids and custom ids are checked again inside the transaction */
	if (pb_record_run_checks(w->stmts, s->schema, s->checks, PB_MSG_FAILED_CREATE, w->err) != 0)
		return -1;
	const char *id = json_string_value(json_object_get(form->record, "id"));
	if (c->type == PB_COLLECTION_AUTH &&
	    pb_record_check_auth_id(w->stmts, s->schema, c, id ? id : "", PB_MSG_FAILED_CREATE, w->err) != 0)
		return -1;
	if (pb_record_form_prepare_write(form, pb_now_ms(), w->err) != 0)
		return -1;
	struct pb_query q;
	pb_query_init(&q);
	struct pb_strbuf sql = PB_STRBUF_INIT;
	pb_record_insert_sql(c, &sql);
	pb_record_bind(c, form->record, &q);
	int wr = exec_write(w, c, &sql, &q, PB_MSG_FAILED_CREATE);
	pb_strbuf_deinit(&sql);
	pb_query_deinit(&q);
	if (wr != 0)
		return -1;
	if (pb_auth_record_after_create(w, s->schema, c, form->record) != 0)
		return -1;
	if (pb_save_store_uploads(s, form, id, NULL, w->err) != 0)
		return -1;
	if (s->answer_later && !pb_write_ctx_wants_events(w)) {
		/* nobody listens: the public copy is made where the answer is written */
		json_decref(s->record);
		s->record = NULL;
		return 0;
	}
	finish_record(s, w, "create", form->record);
	return 0;
}

int pb_record_save_answer_write(const struct pb_record_save *s, bool superuser, struct pb_strbuf *out)
{
	if (!s->answer_later || s->record || !s->form || s->c->type == PB_COLLECTION_AUTH)
		return -1;
	size_t start = out->len;
	struct public_writer w = {out, true};
	pb_strbuf_putc(out, '{');
	if (!walk_public_by_fields(s->c, s->form->record, superuser, write_public_key, &w)) {
		out->len = start;
		out->data[start] = '\0';
		return -1;
	}
	pb_strbuf_putc(out, '}');
	return 0;
}

json_t *pb_record_save_answer(struct pb_record_save *s)
{
	json_t *r = s->record;
	s->record = NULL;
	if (!r && s->answer_later && s->form)
		r = pb_save_public_copy(s->c, s->form->record);
	return r;
}

unsigned pb_record_create_write_flags(const struct pb_record_save *s)
{
	return s->c->type != PB_COLLECTION_AUTH && s->nuploads == 0 ? PB_WRITE_ONE_CHANGE : 0;
}

int pb_record_create_run(struct pb_write_ctx *w, void *arg)
{
	struct pb_record_save *s = arg;
	if (pb_record_create_prepare(s, w->stmts, false, w->err) != 0)
		return -1;
	return pb_record_create_commit(w, s);
}

/* ---- update -------------------------------------------------------------------------------- */

int pb_record_update_run(struct pb_write_ctx *w, void *arg)
{
	struct pb_record_save *s = arg;
	const struct pb_collection *c = s->c;
	json_t *stored = pb_save_load_stored(w, c, s->id);
	if (!stored)
		return pb_error_set(w->err, 404, "%s", "");
	struct pb_record_form form;
	form_start(&form, s, stored);
	json_t *resolved = NULL;
	int rc = -1;
	if (pb_save_register_uploads(s, &form, w->err) != 0)
		goto done;
	resolved = pb_record_form_assign(&form, s->body);
	struct pb_request_info info = *s->req;
	info.body = resolved;
	struct pb_read_ctx rctx = {s->schema, w->stmts, &info, NULL};

	if (!s->req->superuser) {
		const char *rule = c->rules[PB_RULE_UPDATE];
		if (rule && *rule) {
			int ok = pb_record_rule_check(&rctx, c, s->id, rule, w->err);
			if (ok != 1) {
				pb_error_clear(w->err);
				pb_error_set(w->err, 404, "%s", "");
				goto done;
			}
		}
		if (manage_rule_applies(s)) {
			struct pb_error merr = PB_ERROR_INIT;
			if (pb_record_rule_check(&rctx, c, s->id, c->manage_rule, &merr) == 1)
				pb_record_form_grant(&form, PB_ACCESS_MANAGER);
			pb_error_clear(&merr);
		}
	}
	if (validate_all(w, s, &form, PB_MSG_FAILED_UPDATE) != 0)
		goto done;
	if (pb_record_form_prepare_write(&form, pb_now_ms(), w->err) != 0)
		goto done;
	if (pb_auth_record_before_update(w, c, form.original, form.record) != 0)
		goto done;
	if (pb_save_update_row(w, c, form.record, s->id, PB_MSG_FAILED_UPDATE) != 0)
		goto done;
	if (pb_auth_record_after_update(w, c, form.original, form.record) != 0)
		goto done;
	const char *id = json_string_value(json_object_get(form.record, "id"));
	if (pb_save_store_uploads(s, &form, id ? id : s->id, stored, w->err) != 0)
		goto done;
	finish_record(s, w, "update", form.record);
	rc = 0;
done:
	json_decref(resolved);
	json_decref(stored);
	pb_record_form_deinit(&form);
	return rc;
}
