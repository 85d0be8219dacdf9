/* app — bootstrap and teardown of the application object (see app.h). */
#include "core/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collections/schema.h"
#include "core/backup.h"
#include "core/bootstrap.h"
#include "core/db.h"
#include "core/settings.h"

static char *join_path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	if (!p)
		abort();
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

int pb_app_bootstrap(struct pb_app *app, struct pb_config *cfg, struct pb_error *err)
{
	memset(app, 0, sizeof *app);
	pb_backups_init(&app->backups);
	app->cfg = cfg;
	app->cron = pb_cron_new();
	app->ratelimit = pb_ratelimit_new();
	pb_store_init(&app->store);
	app->data_db_path = join_path(cfg->dir, "data.db");
	app->aux_db_path = join_path(cfg->dir, "auxiliary.db");
	app->storage_dir = join_path(cfg->dir, "storage");
	if (pb_bootstrap_open_dir(cfg->dir, &app->data, &app->aux, err) != 0)
		return -1;
	struct pb_schema *schema = pb_schema_load(app->data, err);
	if (!schema)
		return -1;
	pb_schema_publish(schema);
	/* ReloadSettings: load `_params` (decrypting with --encryptionEnv's key when needed); a
	 * missing row is written with the defaults, as PocketBase does on start. */
	const char *key = pb_settings_encryption_key(cfg->encryption_env);
	bool missing = false;
	struct pb_settings *settings = pb_settings_load(app->data, key, &missing, err);
	if (!settings)
		return -1;
	if (missing && pb_settings_save(app->data, settings, key, err) != 0) {
		pb_settings_unref(settings);
		return -1;
	}
	pb_settings_publish(settings);
	return 0;
}

int pb_app_start_writer(struct pb_app *app, struct pb_error *err)
{
	if (pb_pool_start(&app->pool, 2, err) != 0)
		return -1;
	struct pb_error cerr = PB_ERROR_INIT;
	if (pb_checkpointer_start(&app->checkpointer, app->data_db_path, app->data, &cerr) != 0) {
		/* SQLite's automatic checkpoint (in the writer's commits) stays: slower, still correct */
		fprintf(stderr, "Warning: %s\n", cerr.message);
		pb_error_clear(&cerr);
	}
	return pb_writer_start(&app->writer, app->data, err);
}

void pb_app_stop_writer(struct pb_app *app)
{
	pb_pool_stop(&app->pool);
	pb_writer_stop(&app->writer);
	pb_checkpointer_stop(&app->checkpointer);
}

int pb_app_start_services(struct pb_app *app, struct pb_error *err)
{
	struct pb_logs_options opt = {0};
	struct pb_settings *s = pb_settings_current();
	opt.config = s ? s->logs : (struct pb_settings_logs)PB_LOGS_CONFIG_DEFAULT;
	pb_settings_unref(s);
	if (pb_logs_start(&app->logs, app->aux_db_path, &opt, err) != 0)
		return -1;
	pb_app_register_jobs(app);
	/* registerAutobackupHooks' loadJob at start */
	struct pb_error berr = PB_ERROR_INIT;
	s = pb_settings_current();
	if (s && pb_backup_cron_sync(app->cron, app, s, &berr) != 0)
		fprintf(stderr, "Warning: %s\n", berr.message);
	pb_error_clear(&berr);
	pb_settings_unref(s);
	return pb_cron_start(app->cron, err);
}

void pb_app_stop_cron(struct pb_app *app)
{
	if (!app->cron)
		return;
	pb_cron_stop(app->cron);
	pb_cron_wait_idle(app->cron);
}

void pb_app_stop_logs(struct pb_app *app) { pb_logs_stop(&app->logs); }

struct prune_task {
	struct pb_logs *logs;
	struct pb_settings_logs cfg;
};

static void prune_logs(void *arg)
{
	struct prune_task *t = arg;
	struct pb_error err = PB_ERROR_INIT;
	if (t->logs->running && pb_logs_prune(t->logs, &t->cfg, &err) != 0)
		fprintf(stderr, "Failed to cleanup old logs: %s\n", err.message);
	pb_error_clear(&err);
	free(t);
}

void pb_app_apply_settings(struct pb_app *app, struct pb_settings *s)
{
	struct pb_settings_logs cfg = s->logs;
	pb_settings_ref(s);
	pb_settings_publish(s);
	/* OnSettingsReload: the logger's level and retention, then the rate limiters reset */
	pb_logs_set_config(&app->logs, &cfg);
	pb_ratelimit_reset(app->ratelimit);
	pb_cron_remove(app->cron, PB_CRON_RATE_LIMITERS_CLEANUP_ID);
	struct prune_task *t = malloc(sizeof *t);
	if (!t)
		abort();
	t->logs = &app->logs;
	t->cfg = cfg;
	struct pb_error berr = PB_ERROR_INIT;
	if (pb_backup_cron_sync(app->cron, app, s, &berr) != 0)
		fprintf(stderr, "Warning: %s\n", berr.message);
	pb_error_clear(&berr);
	pb_pool_submit(&app->pool, prune_logs, t);
	pb_settings_unref(s);
}

void pb_app_close(struct pb_app *app)
{
	pb_app_stop_cron(app);
	pb_app_stop_writer(app);
	pb_app_stop_logs(app);
	pb_cron_free(app->cron);
	pb_ratelimit_free(app->ratelimit);
	pb_store_deinit(&app->store);
	pb_schema_publish(NULL);
	pb_settings_publish(NULL);
	if (app->data)
		sqlite3_close_v2(app->data);
	if (app->aux)
		sqlite3_close_v2(app->aux);
	free(app->data_db_path);
	free(app->aux_db_path);
	free(app->storage_dir);
	pb_backups_deinit(&app->backups);
	memset(app, 0, sizeof *app);
}

sqlite3 *pb_app_open_reader(const struct pb_app *app, struct pb_error *err)
{
	return pb_db_open(app->data_db_path, true, err);
}
