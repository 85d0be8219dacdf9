/* app — bootstrap and teardown of the application object (see app.h). */
#include "core/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collections/schema.h"
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
	return pb_writer_start(&app->writer, app->data, err);
}

void pb_app_stop_writer(struct pb_app *app)
{
	pb_pool_stop(&app->pool);
	pb_writer_stop(&app->writer);
}

void pb_app_close(struct pb_app *app)
{
	pb_app_stop_writer(app);
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
