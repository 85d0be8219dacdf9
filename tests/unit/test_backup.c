/* test_backup — core/backup on a copy of PocketBase's test pb_data: names (generateBackupName
 * and Snakecase cases of PocketBase's tests), the zip content (base_backup_test.go's
 * verifyBackupContent minus the -wal/-shm files pocketc does not need), sidecars, replace by
 * name, the busy mark, a backup taken while another thread keeps committing writes through the
 * writer (integrity_check passes and every write acknowledged before the backup began is in
 * it), restore (prepare + swap: data replaced, backups kept, old data parked in
 * .pb_temp_to_delete) and auto-backup rotation. */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "core/app.h"
#include "core/archive.h"
#include "core/backup.h"
#include "core/cron.h"
#include "core/db.h"
#include "core/dirs.h"
#include "core/strbuf.h"
#include "core/settings.h"
#include "test.h"

static void copy_tree(const char *src, const char *dest)
{
	pb_dirs_mkdir_p(dest, NULL);
	DIR *d = opendir(src);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || strstr(e->d_name, ".db-"))
			continue;
		char *a = pb_dirs_join(src, e->d_name), *b = pb_dirs_join(dest, e->d_name);
		struct stat st;
		if (lstat(a, &st) == 0 && S_ISDIR(st.st_mode))
			copy_tree(a, b);
		else if (S_ISREG(st.st_mode))
			pb_dirs_copy_file(a, b, NULL);
		free(a);
		free(b);
	}
	if (d)
		closedir(d);
}

static bool exists(const char *dir, const char *rel)
{
	char *p = pb_dirs_join(dir, rel);
	struct stat st;
	bool ok = stat(p, &st) == 0;
	free(p);
	return ok;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char buf[8192];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strdup(buf);
}

static long long query_int(const char *db_path, const char *sql)
{
	sqlite3 *db = NULL;
	long long v = -1;
	sqlite3_stmt *st = NULL;
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static char *query_text(const char *db_path, const char *sql)
{
	sqlite3 *db = NULL;
	char *v = NULL;
	sqlite3_stmt *st = NULL;
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void test_names(void)
{
	static const char *const snake[][2] = {
		{"", ""},
		{"  ", ""},
		{"!@#$%^", ""},
		{"...", ""},
		{"_", ""},
		{"John Doe", "john_doe"},
		{"John_Doe", "john_doe"},
		{".a!b@c#d$e%123. ", "a_b_c_d_e_123"},
		{"HelloWorld", "hello_world"},
		{"HelloWorld1HelloWorld2", "hello_world1_hello_world2"},
		{"TEST", "test"},
		{"testABR", "test_abr"},
	};
	char out[256];
	for (size_t i = 0; i < sizeof snake / sizeof snake[0]; i++) {
		pb_backup_snakecase(snake[i][0], out, sizeof out);
		CHECK_STR(out, snake[i][1]);
	}
	/* TestCreateBackup: "test @! " + 100 × "a" → "test_" + 45 × "a" */
	char app_name[128] = "test @! ";
	memset(app_name + 8, 'a', 100);
	app_name[108] = '\0';
	pb_backup_generate_name(app_name, "pb_backup_", 1714557600, out, sizeof out); /* 2024-05-01 10:00:00 UTC */
	char want[128] = "pb_backup_test_";
	memset(want + 15, 'a', 45);
	strcpy(want + 60, "_20240501100000.zip");
	CHECK_STR(out, want);
	pb_backup_generate_name("Acme", "@auto_pb_backup_", 0, out, sizeof out);
	CHECK_STR(out, "@auto_pb_backup_acme_19700101000000.zip");

	CHECK(pb_backup_name_valid("test.zip"));
	CHECK(pb_backup_name_valid("a-b_c9.zip"));
	CHECK(!pb_backup_name_valid("!test.zip"));
	CHECK(!pb_backup_name_valid("Test.zip"));
	CHECK(!pb_backup_name_valid(".zip"));
	CHECK(!pb_backup_name_valid("test.ZIP"));
	char long_name[160];
	memset(long_name, 'a', 146);
	strcpy(long_name + 146, ".zip"); /* 150 */
	CHECK(pb_backup_name_valid(long_name));
	memset(long_name, 'a', 147);
	strcpy(long_name + 147, ".zip"); /* 151 */
	CHECK(!pb_backup_name_valid(long_name));

	CHECK(pb_backup_key_ok("@test4.zip"));
	CHECK(pb_backup_key_ok("test"));
	CHECK(!pb_backup_key_ok(".."));
	CHECK(!pb_backup_key_ok("a/b.zip"));
	CHECK(!pb_backup_key_ok("x.zip.attrs"));
	CHECK(!pb_backup_key_ok(""));
}

static void test_mark(void)
{
	struct pb_backups b;
	pb_backups_init(&b);
	CHECK(!pb_backups_busy(&b));
	CHECK(pb_backups_begin(&b, "test1.zip"));
	CHECK(pb_backups_busy(&b));
	CHECK(!pb_backups_begin(&b, "other.zip"));
	CHECK(pb_backups_is_active(&b, "test1.zip"));
	CHECK(!pb_backups_is_active(&b, "new.zip"));
	pb_backups_end(&b);
	CHECK(!pb_backups_busy(&b) && !pb_backups_is_active(&b, "test1.zip"));
	CHECK(pb_backups_begin(&b, NULL));
	CHECK(!pb_backups_is_active(&b, "")); /* a generated name never matches a key */
	pb_backups_end(&b);
	pb_backups_set_pending_restore(&b, strdup("/x"));
	char *p = pb_backups_take_pending_restore(&b);
	CHECK_STR(p, "/x");
	free(p);
	CHECK(pb_backups_take_pending_restore(&b) == NULL);
	pb_backups_deinit(&b);
}

/* entry names of a zip, ','-joined */
static char *zip_names(const char *path)
{
	zip_t *za = zip_open(path, ZIP_RDONLY, NULL);
	if (!za)
		return strdup("");
	struct pb_strbuf b = PB_STRBUF_INIT;
	for (zip_int64_t i = 0; i < zip_get_num_entries(za, 0); i++) {
		pb_strbuf_puts(&b, zip_get_name(za, (zip_uint64_t)i, 0));
		pb_strbuf_putc(&b, ',');
	}
	zip_discard(za);
	return pb_strbuf_steal(&b);
}

static void test_create_list_delete(struct pb_app *app, const char *dir)
{
	struct pb_error err = PB_ERROR_INIT;
	struct pb_backup_store st = pb_backup_store_of(dir, NULL);
	struct pb_backup_item *items = NULL;
	size_t n = 9;
	CHECK(pb_backup_list(&st, NULL, &items, &n, &err) == 0 && n == 0);
	free(items);

	/* pending mark → error, nothing written */
	CHECK(pb_backups_begin(&app->backups, ""));
	CHECK(pb_backup_create(app, "test.zip", &err) == -1);
	CHECK_STR(err.message, PB_BACKUP_MSG_BUSY);
	pb_error_clear(&err);
	pb_backups_end(&app->backups);

	CHECK(pb_backup_create(app, NULL, &err) == 0);
	CHECK(pb_backup_create(app, "custom", &err) == 0);
	CHECK(pb_backup_create(app, "custom", &err) == 0); /* replaces */
	CHECK(pb_backup_create(app, "@test4.zip", &err) == 0);
	CHECK(!pb_backups_busy(&app->backups));
	CHECK(pb_backup_list(&st, NULL, &items, &n, &err) == 0 && n == 3);
	if (n == 3) {
		CHECK_STR(items[0].key, "@test4.zip");
		CHECK_STR(items[1].key, "custom");
		CHECK(!strncmp(items[2].key, "pb_backup_acme_test_", 20) && strlen(items[2].key) == 20 + 14 + 4);
		CHECK(items[1].size > 1000 && items[1].modified_ms > 1700000000000ll);
	}
	free(items);
	CHECK(pb_backup_list(&st, "cus", &items, &n, &err) == 0 && n == 1);
	free(items);

	/* the content: the databases, storage/ and the other root files; no excluded dirs */
	char *bdir = pb_dirs_join(dir, "backups");
	char *zip = pb_dirs_join(bdir, "custom");
	char *names = zip_names(zip);
	CHECK(!strncmp(names, ".gitignore,auxiliary.db,data.db,storage/", 40));
	CHECK(strstr(names, "storage/wsmn24bux7wo113/84nmscqy84lsi1t/300_WlbFWSGmW9.png,") != NULL);
	CHECK(strstr(names, "lost+found") == NULL && strstr(names, "backups/") == NULL &&
	      strstr(names, ".pb_temp_to_delete") == NULL && strstr(names, "-wal") == NULL);
	free(names);
	/* the sidecar fileblob would write for it */
	char *attrs_path = pb_dirs_join(bdir, "custom.attrs");
	char *attrs = slurp(attrs_path);
	CHECK(attrs && strstr(attrs, "\"user.content_type\":\"application/zip\",\"user.metadata\":{\"original-filename\":"
	                             "\"custom\"},\"md5\":\"") != NULL);
	free(attrs);
	free(attrs_path);
	/* nothing left in the temp dir */
	char *tmpd = pb_dirs_join(dir, ".pb_temp_to_delete");
	DIR *d = opendir(tmpd);
	int left = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		left += e->d_name[0] != '.';
	if (d)
		closedir(d);
	CHECK(left == 0);
	free(tmpd);

	/* the snapshot opens and holds the fixture's data */
	char *x = pb_dirs_join(dir, "x_extract");
	CHECK(pb_archive_extract(zip, x, &err) == 0);
	char *db = pb_dirs_join(x, "data.db");
	char *ic = query_text(db, "PRAGMA integrity_check");
	CHECK_STR(ic, "ok");
	free(ic);
	CHECK(query_int(db, "SELECT count(*) FROM _collections") > 5);
	pb_dirs_remove_tree(x);
	free(db);
	free(x);

	CHECK(pb_backup_exists(&st, "custom", &err) == 1);
	CHECK(pb_backup_exists(&st, "missing.zip", &err) == 0);
	CHECK(pb_backup_delete(&st, "missing.zip", &err) == -1 && err.status == 404);
	pb_error_clear(&err);
	CHECK(pb_backup_delete(&st, "@test4.zip", &err) == 0);
	CHECK(!exists(bdir, "@test4.zip") && !exists(bdir, "@test4.zip.attrs"));
	free(zip);
	free(bdir);
}

/* ---- a backup under write load --------------------------------------------------------------- */

struct load {
	struct pb_app *app;
	atomic_long acked;  /* rows whose commit was acknowledged */
	atomic_bool stop;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool done;
	int rc;
};

static int insert_job(struct pb_write_ctx *ctx, void *arg)
{
	struct load *l = arg;
	char sql[96];
	snprintf(sql, sizeof sql, "INSERT INTO t_load (n) VALUES (%ld)", atomic_load(&l->acked));
	return sqlite3_exec(ctx->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static void insert_done(void *arg, int rc, struct pb_error *err)
{
	(void)err;
	struct load *l = arg;
	pthread_mutex_lock(&l->lock);
	l->rc = rc;
	l->done = true;
	pthread_cond_signal(&l->cond);
	pthread_mutex_unlock(&l->lock);
}

static void *load_main(void *arg)
{
	struct load *l = arg;
	for (int i = 0; i < 20000 && !atomic_load(&l->stop); i++) {
		l->done = false;
		pb_writer_submit(&l->app->writer, insert_job, insert_done, l);
		pthread_mutex_lock(&l->lock);
		while (!l->done)
			pthread_cond_wait(&l->cond, &l->lock);
		pthread_mutex_unlock(&l->lock);
		if (l->rc != 0)
			break;
		atomic_fetch_add(&l->acked, 1); /* acknowledged: the commit is done */
	}
	return NULL;
}

static int create_table(struct pb_write_ctx *ctx, void *arg)
{
	(void)arg;
	return sqlite3_exec(ctx->db, "CREATE TABLE t_load (n INTEGER NOT NULL)", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static void test_under_load_and_restore(struct pb_app *app, const char *dir)
{
	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_writer_run_once(app->data, create_table, NULL, &err) == 0);
	CHECK(pb_app_start_writer(app, &err) == 0);
	struct load l = {.app = app};
	pthread_mutex_init(&l.lock, NULL);
	pthread_cond_init(&l.cond, NULL);
	pthread_t t;
	pthread_create(&t, NULL, load_main, &l);
	while (atomic_load(&l.acked) < 300)
		usleep(1000);
	long before = atomic_load(&l.acked);
	CHECK(pb_backup_create(app, "load.zip", &err) == 0);
	long after = atomic_load(&l.acked);
	usleep(20000);
	atomic_store(&l.stop, true);
	pthread_join(t, NULL);
	long total = atomic_load(&l.acked);
	CHECK(after > before); /* the writes went on while the backup ran */

	char *bdir = pb_dirs_join(dir, "backups");
	char *zip = pb_dirs_join(bdir, "load.zip");
	char *x = pb_dirs_join(dir, "x_load");
	CHECK(pb_archive_extract(zip, x, &err) == 0);
	char *db = pb_dirs_join(x, "data.db");
	char *ic = query_text(db, "PRAGMA integrity_check");
	CHECK_STR(ic, "ok");
	free(ic);
	long long rows = query_int(db, "SELECT count(*) FROM t_load");
	long long max = query_int(db, "SELECT max(n) FROM t_load");
	/* every write acknowledged before the backup began, as one unbroken prefix */
	CHECK(rows >= before && rows <= total && max == rows - 1);
	pb_dirs_remove_tree(x);
	free(db);
	free(x);

	/* restore it: prepare while "serving", swap after the app closed */
	CHECK(pb_backups_begin(&app->backups, "load.zip"));
	CHECK(pb_backup_restore_prepare(app, "missing.zip", &err) == -1 && err.status == 400);
	pb_error_clear(&err);
	CHECK(pb_backup_restore_prepare(app, "load.zip", &err) == 0);
	char *pending = pb_backups_take_pending_restore(&app->backups);
	CHECK(pending && exists(pending, "data.db") && exists(pending, "storage"));
	pb_app_close(app); /* every connection closed, as main does before the swap */
	CHECK(pb_backup_restore_swap(dir, pending, &err) == 0);
	char *live = pb_dirs_join(dir, "data.db");
	CHECK(query_int(live, "SELECT count(*) FROM t_load") == rows);
	CHECK(exists(dir, "backups/load.zip") && exists(dir, "backups/custom"));
	CHECK(exists(dir, "storage/wsmn24bux7wo113/84nmscqy84lsi1t/300_WlbFWSGmW9.png"));
	CHECK(!exists(pending, ""));
	/* the old content waits in .pb_temp_to_delete/old_pb_data_* for the next bootstrap */
	char *tmpd = pb_dirs_join(dir, ".pb_temp_to_delete");
	DIR *d = opendir(tmpd);
	struct dirent *e;
	char *old = NULL;
	while (d && (e = readdir(d)))
		if (!strncmp(e->d_name, "old_pb_data_", 12))
			old = pb_dirs_join(tmpd, e->d_name);
	if (d)
		closedir(d);
	CHECK(old && exists(old, "data.db") && !exists(old, "backups"));
	char *old_db = old ? pb_dirs_join(old, "data.db") : NULL;
	CHECK(old_db && query_int(old_db, "SELECT count(*) FROM t_load") == total);
	free(old_db);
	free(old);
	free(tmpd);
	free(live);
	free(pending);
	free(zip);
	free(bdir);
	pthread_mutex_destroy(&l.lock);
	pthread_cond_destroy(&l.cond);
}

static void test_cron(struct pb_app *app, const char *dir)
{
	struct pb_cron *cron = pb_cron_new();
	struct pb_settings *s = pb_settings_current();
	struct pb_error err = PB_ERROR_INIT;
	/* the fixture has no backups cron: nothing registered */
	CHECK(pb_backup_cron_sync(cron, app, s, &err) == 0 && pb_cron_total(cron) == 0);
	json_t *patch = json_pack("{s{ss}}", "backups", "cron", "0 3 * * *");
	struct pb_settings *on = pb_settings_merge(s, patch, &err);
	json_decref(patch);
	CHECK(on && pb_backup_cron_sync(cron, app, on, &err) == 0);
	json_t *jobs = pb_cron_list(cron);
	char *list = json_dumps(jobs, JSON_COMPACT);
	json_decref(jobs);
	CHECK_STR(list, "[{\"id\":\"__pbAutoBackup__\",\"expression\":\"0 3 * * *\"}]");
	free(list);
	CHECK(pb_backup_cron_sync(cron, app, s, &err) == 0 && pb_cron_total(cron) == 0); /* "" removes it */
	patch = json_pack("{s{ss}}", "backups", "cron", "61 * * * *");
	struct pb_settings *bad = pb_settings_merge(s, patch, &err);
	json_decref(patch);
	CHECK(bad && pb_backup_cron_sync(cron, app, bad, &err) == -1);
	pb_error_clear(&err);
	/* the job body: an @auto_ backup of the app */
	pb_backup_auto_run(app);
	struct pb_backup_store st = pb_backup_store_of(dir, s);
	struct pb_backup_item *items = NULL;
	size_t n = 0;
	CHECK(pb_backup_list(&st, PB_BACKUP_AUTO_PREFIX, &items, &n, &err) == 0 && n == 1);
	CHECK(n == 1 && !strncmp(items[0].key, "@auto_pb_backup_acme_test_", 26));
	free(items);
	if (on)
		pb_settings_unref(on);
	if (bad)
		pb_settings_unref(bad);
	pb_settings_unref(s);
	pb_cron_free(cron);
}

static void touch_backup(const char *dir, const char *name, time_t mtime)
{
	char *p = pb_dirs_join(dir, name);
	FILE *f = fopen(p, "wb");
	fputs("PK", f);
	fclose(f);
	struct timespec ts[2] = {{mtime, 0}, {mtime, 0}};
	utimensat(AT_FDCWD, p, ts, 0);
	free(p);
}

static void test_rotate(const char *tmp)
{
	char *dir = pb_dirs_join(tmp, "rot");
	char *bdir = pb_dirs_join(dir, "backups");
	pb_dirs_mkdir_p(bdir, NULL);
	touch_backup(bdir, "@auto_pb_backup_a_1.zip", 1000);
	touch_backup(bdir, "@auto_pb_backup_a_2.zip", 3000);
	touch_backup(bdir, "@auto_pb_backup_a_3.zip", 2000);
	touch_backup(bdir, "@auto_pb_backup_a_4.zip", 4000);
	touch_backup(bdir, "manual.zip", 10);
	struct pb_backup_store st = pb_backup_store_of(dir, NULL);
	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_backup_rotate(&st, 0, &err) == 0 && exists(bdir, "@auto_pb_backup_a_1.zip"));
	CHECK(pb_backup_rotate(&st, 2, &err) == 0);
	CHECK(exists(bdir, "@auto_pb_backup_a_4.zip") && exists(bdir, "@auto_pb_backup_a_2.zip"));
	CHECK(!exists(bdir, "@auto_pb_backup_a_3.zip") && !exists(bdir, "@auto_pb_backup_a_1.zip"));
	CHECK(exists(bdir, "manual.zip"));
	free(bdir);
	free(dir);
}

int main(void)
{
	const char *fixture = getenv("POCKETC_FIXTURE");
	if (!fixture)
		fixture = "../../shared/fixtures/pb-testdata";
	char tmpl[] = "/tmp/pocketc-backup-XXXXXX";
	char *tmp = strdup(mkdtemp(tmpl));
	char *dir = pb_dirs_join(tmp, "pb_data");
	copy_tree(fixture, dir);

	test_names();
	test_mark();
	test_rotate(tmp);

	struct pb_config cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.dir = dir;
	struct pb_app app;
	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_app_bootstrap(&app, &cfg, &err) == 0);
	test_create_list_delete(&app, dir);
	test_cron(&app, dir);
	test_under_load_and_restore(&app, dir); /* closes the app */

	pb_dirs_remove_tree(tmp);
	free(dir);
	free(tmp);
	TEST_DONE();
}
