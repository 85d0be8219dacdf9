/* superuser — `pocketc superuser …` (see superuser.h). Each sub-command validates its
 * arguments as cobra's RunE does, then runs one synchronous write job. Record errors are
 * rendered like ozzo's Errors.Error(): "field: message; field2: message2." */
#include "cmd/superuser.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collections/auth_lookup.h"
#include "collections/auth_options.h"
#include "collections/auth_refs.h"
#include "collections/field_type.h"
#include "collections/record_save.h"
#include "core/datetime.h"
#include "core/is.h"
#include "core/password.h"
#include "core/random.h"
#include "core/settings.h"
#include "core/strbuf.h"

#define GREEN "\x1b[32m"
#define YELLOW "\x1b[33m"
#define BG_GREEN "\x1b[42;30m"
#define RED "\x1b[31m"
#define RESET "\x1b[0m"

struct cli {
	struct pb_app *app;
	struct pb_schema *schema;
	const struct pb_collection *c; /* _superusers */
	bool color;
};

static void out_line(const struct cli *k, const char *color, const char *text)
{
	if (k->color)
		printf("%s%s%s\n", color, text, RESET);
	else
		printf("%s\n", text);
}

static int fail(const struct cli *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(const struct cli *k, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_strbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	bool tty = k && isatty(STDERR_FILENO);
	fprintf(stderr, "%sError: %s%s\n", tty ? RED : "", pb_strbuf_cstr(&b), tty ? RESET : "");
	pb_strbuf_deinit(&b);
	return 0; /* PocketBase's launcher ignores command errors */
}

/* ozzo Errors.Error() of one error map: "k: message; k2: (nested: message)." with sorted keys. */
static void errors_text(const json_t *data, struct pb_strbuf *b)
{
	size_t n = json_object_size(data), i = 0;
	const char **keys = malloc((n ? n : 1) * sizeof *keys);
	if (!keys)
		abort();
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)data, key, v) keys[i++] = key;
	for (size_t a = 1; a < n; a++)
		for (size_t z = a; z > 0 && strcmp(keys[z - 1], keys[z]) > 0; z--) {
			const char *t = keys[z];
			keys[z] = keys[z - 1];
			keys[z - 1] = t;
		}
	for (i = 0; i < n; i++) {
		const json_t *item = json_object_get(data, keys[i]);
		const char *msg = json_string_value(json_object_get(item, "message"));
		pb_strbuf_printf(b, "%s%s: ", i ? "; " : "", keys[i]);
		if (!msg && json_is_object(item)) {
			pb_strbuf_putc(b, '(');
			errors_text(item, b);
			pb_strbuf_putc(b, ')');
			continue;
		}
		size_t len = msg ? strlen(msg) : 0;
		if (len && msg[len - 1] == '.')
			len--;
		pb_strbuf_append(b, msg ? msg : "", len);
	}
	pb_strbuf_putc(b, '.');
	free(keys);
}

/* The text of a failed save: the field errors, or the error's message. Caller frees. */
static char *error_text(const struct pb_error *err)
{
	struct pb_strbuf b = PB_STRBUF_INIT;
	if (json_object_size(err->data))
		errors_text(err->data, &b);
	else
		pb_strbuf_puts(&b, err->message);
	return pb_strbuf_steal(&b);
}

/* ---- write jobs ------------------------------------------------------------------------------ */

struct save_arg {
	const struct cli *k;
	const char *email, *password;
	enum { SAVE_UPSERT, SAVE_CREATE, SAVE_UPDATE, SAVE_DELETE } op;
	bool missing; /* update/delete: no such superuser */
};

static int save_run(struct pb_write_ctx *w, void *arg)
{
	struct save_arg *a = arg;
	const struct pb_collection *c = a->k->c;
	struct pb_request_info info = {.context = "default", .method = "POST", .superuser = true};
	json_t *found = a->op == SAVE_CREATE ? NULL : pb_auth_find_by_email(w->stmts, c, a->email, NULL);
	if (!found && (a->op == SAVE_UPDATE || a->op == SAVE_DELETE)) {
		a->missing = true;
		return 0;
	}
	json_t *body = json_object();
	if (!found)
		json_object_set_new(body, "email", json_string(a->email));
	if (a->password) {
		json_object_set_new(body, "password", json_string(a->password));
		json_object_set_new(body, "passwordConfirm", json_string(a->password));
	}
	struct pb_record_save s;
	pb_record_save_init(&s);
	s.schema = a->k->schema;
	s.c = c;
	s.req = &info;
	s.body = body;
	s.storage_dir = a->k->app->storage_dir;
	s.id = found ? pb_auth_str(found, "id") : NULL;
	int rc;
	if (a->op == SAVE_DELETE)
		rc = pb_record_delete_run(w, &s);
	else
		rc = found ? pb_record_update_run(w, &s) : pb_record_create_run(w, &s);
	pb_record_save_cleanup(&s, rc);
	pb_record_save_deinit(&s);
	json_decref(body);
	json_decref(found);
	return rc;
}

static int run_save(const struct cli *k, struct save_arg *a, struct pb_error *err)
{
	a->k = k;
	return pb_writer_run_once(k->app->data, save_run, a, err);
}

static bool valid_email(const char *s) { return s && *s && pb_is_email(s, strlen(s)); }

static int cmd_save(const struct cli *k, int op, int argc, char **argv)
{
	if (argc != 2)
		return fail(k, "missing email and password arguments");
	if (!valid_email(argv[0]))
		return fail(k, "missing or invalid email address");
	struct save_arg a = {.email = argv[0], .password = argv[1], .op = op};
	struct pb_error err = PB_ERROR_INIT;
	if (run_save(k, &a, &err) != 0) {
		char *text = error_text(&err);
		if (op == SAVE_UPSERT)
			fail(k, "failed to upsert superuser account: %s", text);
		else if (op == SAVE_CREATE)
			fail(k, "failed to create new superuser account: %s", text);
		else
			fail(k, "failed to change superuser \"%s\" password: %s", argv[0], text);
		free(text);
		pb_error_clear(&err);
		return 0;
	}
	if (a.missing)
		return fail(k, "superuser with email \"%s\" doesn't exist", argv[0]);
	struct pb_strbuf b = PB_STRBUF_INIT;
	if (op == SAVE_UPSERT)
		pb_strbuf_printf(&b, "Successfully saved superuser \"%s\"!", argv[0]);
	else if (op == SAVE_CREATE)
		pb_strbuf_printf(&b, "Successfully created new superuser \"%s\"!", argv[0]);
	else
		pb_strbuf_printf(&b, "Successfully changed superuser \"%s\" password!", argv[0]);
	out_line(k, GREEN, pb_strbuf_cstr(&b));
	pb_strbuf_deinit(&b);
	return 0;
}

static int cmd_delete(const struct cli *k, int argc, char **argv)
{
	if (argc == 0 || !valid_email(argv[0]))
		return fail(k, "invalid or missing email address");
	struct save_arg a = {.email = argv[0], .op = SAVE_DELETE};
	struct pb_error err = PB_ERROR_INIT;
	struct pb_strbuf b = PB_STRBUF_INIT;
	if (run_save(k, &a, &err) != 0) {
		char *text = error_text(&err);
		fail(k, "failed to delete superuser \"%s\": %s", argv[0], text);
		free(text);
		pb_error_clear(&err);
	} else if (a.missing) {
		pb_strbuf_printf(&b, "superuser \"%s\" is missing or already deleted", argv[0]);
		out_line(k, YELLOW, pb_strbuf_cstr(&b));
	} else {
		pb_strbuf_printf(&b, "Successfully deleted superuser \"%s\"!", argv[0]);
		out_line(k, GREEN, pb_strbuf_cstr(&b));
	}
	pb_strbuf_deinit(&b);
	return 0;
}

/* ---- otp ------------------------------------------------------------------------------------- */

struct otp_arg {
	const struct cli *k;
	const char *email;
	const char *hash;
	char id[PB_RECORD_ID_LEN + 1];
	bool missing;
	const char *record_id;
};

static int otp_run(struct pb_write_ctx *w, void *arg)
{
	struct otp_arg *a = arg;
	json_t *v = json_pack("{ssssss}", "collectionRef", a->k->c->id, "recordRef", a->record_id, "password", a->hash);
	int rc = pb_auth_ref_insert(w, a->k->schema, PB_OTPS, v, pb_now_ms(), a->id);
	json_decref(v);
	return rc;
}

static int cmd_otp(const struct cli *k, int argc, char **argv)
{
	if (argc == 0 || !valid_email(argv[0]))
		return fail(k, "invalid or missing email address");
	struct pb_stmt_cache stmts;
	pb_stmt_cache_init(&stmts, k->app->data);
	json_t *su = pb_auth_find_by_email(&stmts, k->c, argv[0], NULL);
	pb_stmt_cache_deinit(&stmts);
	if (!su)
		return fail(k, "superuser with email \"%s\" doesn't exist", argv[0]);
	struct pb_auth_options o;
	pb_auth_options_get(k->c, &o);
	if (!o.otp_enabled) {
		json_decref(su);
		return fail(k, "OTP auth is not enabled for the _superusers collection");
	}
	int len = o.otp_length > 0 ? o.otp_length : 0;
	char *pass = malloc((size_t)len + 1);
	char hash[PB_BCRYPT_HASH_LEN + 1];
	struct pb_error err = PB_ERROR_INIT;
	const struct pb_collection *otps = pb_schema_find(k->schema, PB_OTPS);
	const struct pb_field *pf = otps ? pb_collection_field(otps, "password") : NULL;
	int cost = pf ? (int)pb_field_opt_num(pf, "cost", 0) : 0;
	struct otp_arg a = {.k = k, .email = argv[0], .record_id = pb_auth_str(su, "id"), .hash = hash};
	if (!pass || pb_random_string(pass, (size_t)len, "1234567890") != 0 ||
	    pb_password_hash(pass, cost > 0 ? cost : 8, hash, sizeof hash, &err) != 0 ||
	    pb_writer_run_once(k->app->data, otp_run, &a, &err) != 0) {
		fail(k, "failed to create OTP: %s", err.message);
	} else {
		struct pb_strbuf b = PB_STRBUF_INIT;
		pb_strbuf_printf(&b, "Successfully created OTP for superuser \"%s\":", argv[0]);
		if (k->color)
			printf(BG_GREEN "%s" RESET, pb_strbuf_cstr(&b));
		else
			printf("%s", pb_strbuf_cstr(&b));
		pb_strbuf_reset(&b);
		pb_strbuf_printf(&b, "\n\xe2\x94\x9c\xe2\x94\x80 Id:    %s", a.id);
		out_line(k, GREEN, pb_strbuf_cstr(&b));
		pb_strbuf_reset(&b);
		pb_strbuf_printf(&b, "\xe2\x94\x9c\xe2\x94\x80 Pass:  %s", pass);
		out_line(k, GREEN, pb_strbuf_cstr(&b));
		pb_strbuf_reset(&b);
		pb_strbuf_printf(&b, "\xe2\x94\x94\xe2\x94\x80 Valid: %llds\n", o.otp_duration);
		out_line(k, GREEN, pb_strbuf_cstr(&b));
		pb_strbuf_deinit(&b);
	}
	pb_error_clear(&err);
	free(pass);
	json_decref(su);
	return 0;
}

/* ---- ips ------------------------------------------------------------------------------------- */

static int cmd_ips(const struct cli *k, int argc, char **argv)
{
	struct pb_settings *cur = pb_settings_current();
	json_t *list = json_array();
	for (int i = 0; i < argc; i++)
		json_array_append_new(list, json_string(argv[i]));
	json_t *patch = json_pack("{so}", "superuserIPs", list);
	struct pb_error err = PB_ERROR_INIT;
	struct pb_settings *next = cur ? pb_settings_merge(cur, patch, &err) : NULL;
	json_decref(patch);
	pb_settings_unref(cur);
	const char *key = pb_settings_encryption_key(k->app->cfg->encryption_env);
	if (!next || pb_settings_validate(next, &err) != 0 || pb_settings_save(k->app->data, next, key, &err) != 0) {
		char *text = error_text(&err);
		fail(k, "%s", text);
		free(text);
		pb_error_clear(&err);
		pb_settings_unref(next);
		return 0;
	}
	if (argc == 0) {
		out_line(k, GREEN, "Successfully cleared SuperuserIPs setting!");
	} else {
		if (k->color)
			printf(BG_GREEN "Successfully updated SuperuserIPs setting:" RESET "\n");
		else
			printf("Successfully updated SuperuserIPs setting:\n");
		for (size_t i = 0; i < next->superuser_ips.n; i++) {
			struct pb_strbuf b = PB_STRBUF_INIT;
			pb_strbuf_printf(&b, "%s %s", i + 1 == next->superuser_ips.n ? "\xe2\x94\x94\xe2\x94\x80" : "\xe2\x94\x9c\xe2\x94\x80",
			                 next->superuser_ips.items[i]);
			out_line(k, GREEN, pb_strbuf_cstr(&b));
			pb_strbuf_deinit(&b);
		}
	}
	pb_settings_publish(next);
	return 0;
}

static void help(const char *prog)
{
	printf("Manage superusers\n\nUsage:\n  %s superuser [command]\n\nAvailable Commands:\n"
	       "  create      Creates a new superuser\n"
	       "  delete      Deletes an existing superuser\n"
	       "  ips         Updates the superuser IPs whitelist setting\n"
	       "  otp         Creates a new OTP for the specified superuser\n"
	       "  update      Changes the password of a single superuser\n"
	       "  upsert      Creates, or updates if email exists, a single superuser\n",
	       prog);
}

int pb_cmd_superuser(struct pb_app *app, int argc, char **argv)
{
	struct cli k = {.app = app, .color = isatty(STDOUT_FILENO)};
	const char *prog = app->cfg->program ? app->cfg->program : "pocketc";
	if (argc == 0) {
		help(prog);
		return 0;
	}
	k.schema = pb_schema_current();
	k.c = k.schema ? pb_schema_find(k.schema, PB_SUPERUSERS) : NULL;
	const char *sub = argv[0];
	int rc = 0;
	if (!k.c) {
		rc = fail(&k, "failed to fetch \"%s\" collection", PB_SUPERUSERS);
	} else if (!strcmp(sub, "upsert")) {
		rc = cmd_save(&k, SAVE_UPSERT, argc - 1, argv + 1);
	} else if (!strcmp(sub, "create")) {
		rc = cmd_save(&k, SAVE_CREATE, argc - 1, argv + 1);
	} else if (!strcmp(sub, "update")) {
		rc = cmd_save(&k, SAVE_UPDATE, argc - 1, argv + 1);
	} else if (!strcmp(sub, "delete")) {
		rc = cmd_delete(&k, argc - 1, argv + 1);
	} else if (!strcmp(sub, "otp")) {
		rc = cmd_otp(&k, argc - 1, argv + 1);
	} else if (!strcmp(sub, "ips")) {
		rc = cmd_ips(&k, argc - 1, argv + 1);
	} else {
		help(prog);
	}
	fflush(stdout);
	pb_schema_unref(k.schema);
	return rc;
}
