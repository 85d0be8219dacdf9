/* installer — the placeholder superuser and the one-time installer link (see installer.h). */
#include "api/installer.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collections/auth_lookup.h"
#include "collections/auth_options.h"
#include "collections/auth_token.h"
#include "collections/query.h"
#include "collections/record_save.h"
#include "core/random.h"

struct prepare {
	struct pb_app *app;
	struct pb_schema *schema;
	const struct pb_collection *c;
	char *token;
};

/* needInstallerSuperuser: no superuser other than the placeholder */
static int count_real(struct pb_write_ctx *w, const struct pb_collection *c, long long *n)
{
	struct pb_strbuf sql = PB_STRBUF_INIT;
	pb_strbuf_puts(&sql, "SELECT COUNT(*) FROM ");
	pb_sql_ident(&sql, c->name);
	pb_strbuf_puts(&sql, " WHERE `email` != ?1");
	sqlite3_stmt *st = pb_stmt_cache_get(w->stmts, sql.data, sql.len);
	pb_strbuf_deinit(&sql);
	if (!st)
		return pb_error_set(w->err, 500, "%s", sqlite3_errmsg(w->db));
	sqlite3_bind_text(st, 1, PB_INSTALLER_EMAIL, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	pb_stmt_cache_release(w->stmts, st);
	return rc == SQLITE_ROW ? 0 : pb_error_set(w->err, 500, "%s", sqlite3_errmsg(w->db));
}

static int prepare_run(struct pb_write_ctx *w, void *arg)
{
	struct prepare *p = arg;
	long long n = 0;
	if (count_real(w, p->c, &n) != 0)
		return -1;
	if (n != 0)
		return 0;
	json_t *su = pb_auth_find_by_email(w->stmts, p->c, PB_INSTALLER_EMAIL, w->err);
	if (!su && w->err->status)
		return -1;
	if (!su) {
		char pass[31];
		if (pb_random_string(pass, 30, PB_ALPHABET_ALNUM) != 0)
			return pb_error_set(w->err, 500, "random source failed");
		struct pb_request_info info = {.context = "default", .method = "POST", .superuser = true};
		json_t *body = json_pack("{ssssss}", "email", PB_INSTALLER_EMAIL, "password", pass, "passwordConfirm", pass);
		struct pb_record_save s;
		pb_record_save_init(&s);
		s.schema = p->schema;
		s.c = p->c;
		s.req = &info;
		s.body = body;
		s.storage_dir = p->app->storage_dir;
		int rc = pb_record_create_run(w, &s);
		pb_record_save_cleanup(&s, rc);
		pb_record_save_deinit(&s);
		json_decref(body);
		if (rc != 0)
			return -1;
		su = pb_auth_find_by_email(w->stmts, p->c, PB_INSTALLER_EMAIL, w->err);
		if (!su)
			return pb_error_set(w->err, 500, "failed to load the installer superuser");
	}
	json_t *extra = json_pack("{sb}", "refreshable", 0);
	p->token = pb_auth_token_issue(p->c, pb_auth_str(su, "id"), pb_auth_str(su, "tokenKey"), PB_TOKEN_AUTH, extra,
	                               (int64_t)time(NULL), PB_INSTALLER_TOKEN_DURATION);
	json_decref(extra);
	json_decref(su);
	return p->token ? 0 : pb_error_set(w->err, 500, "failed to create the installer token");
}

int pb_installer_prepare(struct pb_app *app, char **token_out, struct pb_error *err)
{
	*token_out = NULL;
	struct prepare p = {.app = app, .schema = pb_schema_current()};
	p.c = p.schema ? pb_schema_find(p.schema, PB_SUPERUSERS) : NULL;
	int rc = 0;
	if (p.c)
		rc = pb_writer_run_once(app->data, prepare_run, &p, err);
	pb_schema_unref(p.schema);
	if (rc != 0) {
		free(p.token);
		return -1;
	}
	*token_out = p.token;
	return 0;
}

void pb_installer_print(FILE *out, const char *base_url, const char *token, const char *argv0, bool color)
{
	size_t n = strlen(base_url);
	while (n && base_url[n - 1] == '/')
		n--;
	fprintf(out, "%s\n(!) Launch the URL below in the browser if it hasn't been open already to create your first "
	             "superuser account:\n%s",
	        color ? "\x1b[35m" : "", color ? "\x1b[0m" : "");
	fprintf(out, "%s%.*s/_/#/pbinstall/%s%s\n", color ? "\x1b[1;36m" : "", (int)n, base_url, token,
	        color ? "\x1b[0m" : "");
	fprintf(out, "%s(you can also create your first superuser by running: %s superuser upsert EMAIL PASS)\n\n%s",
	        color ? "\x1b[90;3m" : "", argv0 ? argv0 : "pocketc", color ? "\x1b[0m" : "");
	fflush(out);
}
