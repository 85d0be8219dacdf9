/* backup — the active mark, backup names and the backups store (see backup.h). The local
 * store mirrors fileblob over pb_data/backups: keys are relative paths, every file has a
 * `<key>.attrs` sidecar (content type, original-filename metadata, MD5), listings walk the
 * directory recursively in lexical order and leave the sidecars out. */
#include "core/backup.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/dirs.h"
#include "core/random.h"
#include "core/s3.h"
#include "core/storage.h"

/* ---- the active mark ---------------------------------------------------------------------- */

void pb_backups_init(struct pb_backups *b)
{
	memset(b, 0, sizeof *b);
	pthread_mutex_init(&b->lock, NULL);
}

void pb_backups_deinit(struct pb_backups *b)
{
	free(b->active_name);
	free(b->pending_restore);
	pthread_mutex_destroy(&b->lock);
	memset(b, 0, sizeof *b);
}

bool pb_backups_begin(struct pb_backups *b, const char *name)
{
	pthread_mutex_lock(&b->lock);
	bool ok = !b->active;
	if (ok) {
		b->active = true;
		b->active_name = strdup(name ? name : "");
		if (!b->active_name)
			abort();
	}
	pthread_mutex_unlock(&b->lock);
	return ok;
}

void pb_backups_end(struct pb_backups *b)
{
	pthread_mutex_lock(&b->lock);
	b->active = false;
	free(b->active_name);
	b->active_name = NULL;
	pthread_mutex_unlock(&b->lock);
}

bool pb_backups_busy(struct pb_backups *b)
{
	pthread_mutex_lock(&b->lock);
	bool busy = b->active;
	pthread_mutex_unlock(&b->lock);
	return busy;
}

bool pb_backups_is_active(struct pb_backups *b, const char *key)
{
	if (!key || !*key)
		return false;
	pthread_mutex_lock(&b->lock);
	bool same = b->active && b->active_name && !strcmp(b->active_name, key);
	pthread_mutex_unlock(&b->lock);
	return same;
}

void pb_backups_set_pending_restore(struct pb_backups *b, char *dir)
{
	pthread_mutex_lock(&b->lock);
	free(b->pending_restore);
	b->pending_restore = dir;
	pthread_mutex_unlock(&b->lock);
}

char *pb_backups_take_pending_restore(struct pb_backups *b)
{
	pthread_mutex_lock(&b->lock);
	char *dir = b->pending_restore;
	b->pending_restore = NULL;
	pthread_mutex_unlock(&b->lock);
	return dir;
}

/* ---- names ---------------------------------------------------------------------------------- */

void pb_backup_snakecase(const char *in, char *out, size_t cap)
{
	size_t n = 0;
	const unsigned char *p = (const unsigned char *)in;
#define PUT(c)                                  \
	do {                                        \
		if (n + 1 < cap)                        \
			out[n++] = (char)tolower((int)(c)); \
	} while (0)
	while (*p) {
		while (*p && !isalnum(*p))
			p++; /* [\W_]+ separates words */
		if (!*p)
			break;
		if (n > 0)
			PUT('_');
		const unsigned char *w = p;
		while (*p && isalnum(*p)) {
			if (p > w && isupper(*p) && !isupper(p[-1]))
				PUT('_');
			PUT(*p);
			p++;
		}
	}
#undef PUT
	if (cap)
		out[n] = '\0';
}

void pb_backup_generate_name(const char *app_name, const char *prefix, int64_t unix_s, char *out, size_t cap)
{
	char snake[1024];
	pb_backup_snakecase(app_name ? app_name : "", snake, sizeof snake);
	if (strlen(snake) > 50)
		snake[50] = '\0';
	time_t t = (time_t)unix_s;
	struct tm tm;
	gmtime_r(&t, &tm);
	char stamp[32];
	strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm);
	snprintf(out, cap, "%s%s_%s.zip", prefix, snake, stamp);
}

bool pb_backup_name_valid(const char *name)
{
	size_t n = strlen(name);
	if (n < 5 || n > PB_BACKUP_NAME_MAX || strcmp(name + n - 4, ".zip") != 0)
		return false;
	for (size_t i = 0; i < n - 4; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

bool pb_backup_key_ok(const char *key)
{
	size_t n = key ? strlen(key) : 0;
	if (n == 0 || n >= 256 || !strcmp(key, ".") || !strcmp(key, ".."))
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)key[i] < 0x20 || key[i] == 0x7f || key[i] == '/' || key[i] == '\\')
			return false;
	return !(n >= 6 && !strcmp(key + n - 6, ".attrs"));
}

/* ---- the store ------------------------------------------------------------------------------- */

struct pb_backup_store pb_backup_store_of(const char *data_dir, const struct pb_settings *s)
{
	struct pb_backup_store st = {data_dir, s && s->backups.s3.enabled ? &s->backups.s3 : NULL};
	return st;
}

static bool is_s3(const struct pb_backup_store *st) { return st->s3 && st->s3->enabled; }

static char *local_path(const struct pb_backup_store *st, const char *key)
{
	char *dir = pb_dirs_join(st->data_dir, PB_BACKUP_DIR);
	char *p = pb_dirs_join(dir, key);
	free(dir);
	return p;
}

static int byte_order(const struct dirent **a, const struct dirent **b) { return strcmp((*a)->d_name, (*b)->d_name); }

struct item_list {
	struct pb_backup_item *items;
	size_t n, cap;
};

static void item_push(struct item_list *l, const char *key, int64_t size, int64_t modified_ms)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->items = realloc(l->items, l->cap * sizeof *l->items);
		if (!l->items)
			abort();
	}
	struct pb_backup_item *it = &l->items[l->n++];
	snprintf(it->key, sizeof it->key, "%s", key);
	it->size = size;
	it->modified_ms = modified_ms;
}

static void walk_local(const char *dir, const char *rel, const char *prefix, struct item_list *l)
{
	struct dirent **entries = NULL;
	int n = scandir(dir, &entries, NULL, byte_order);
	for (int i = 0; i < n; i++) {
		const char *name = entries[i]->d_name;
		size_t len = strlen(name);
		if (strcmp(name, ".") && strcmp(name, "..") && !(len >= 6 && !strcmp(name + len - 6, ".attrs"))) {
			char *path = pb_dirs_join(dir, name);
			char *key = *rel ? pb_dirs_join(rel, name) : strdup(name);
			struct stat st;
			if (!key)
				abort();
			if (lstat(path, &st) == 0) {
				if (S_ISDIR(st.st_mode))
					walk_local(path, key, prefix, l);
				else if (!strncmp(key, prefix, strlen(prefix)))
					item_push(l, key, (int64_t)st.st_size,
					          (int64_t)st.st_mtim.tv_sec * 1000 + st.st_mtim.tv_nsec / 1000000);
			}
			free(path);
			free(key);
		}
		free(entries[i]);
	}
	free(entries);
}

int pb_backup_list(const struct pb_backup_store *st, const char *prefix, struct pb_backup_item **out, size_t *n,
                   struct pb_error *err)
{
	struct item_list l = {0};
	if (!prefix)
		prefix = "";
	if (is_s3(st)) {
		struct pb_s3_object *objs = NULL;
		size_t count = 0;
		if (pb_s3_list(st->s3, prefix, &objs, &count, err) != 0)
			return -1;
		for (size_t i = 0; i < count; i++)
			item_push(&l, objs[i].key, objs[i].size, objs[i].modified_ms);
		pb_s3_objects_free(objs, count);
	} else {
		char *dir = pb_dirs_join(st->data_dir, PB_BACKUP_DIR);
		walk_local(dir, "", prefix, &l);
		free(dir);
	}
	*out = l.items;
	*n = l.n;
	return 0;
}

int pb_backup_exists(const struct pb_backup_store *st, const char *key, struct pb_error *err)
{
	if (is_s3(st))
		return key && *key ? pb_s3_head(st->s3, key, NULL, err) : 0;
	if (!pb_backup_key_ok(key))
		return 0;
	char *p = local_path(st, key);
	struct stat s;
	int rc = stat(p, &s) == 0 && S_ISREG(s.st_mode) ? 1 : 0;
	free(p);
	return rc;
}

int pb_backup_delete(const struct pb_backup_store *st, const char *key, struct pb_error *err)
{
	if (is_s3(st))
		return pb_s3_delete(st->s3, key, err);
	if (!pb_backup_key_ok(key))
		return pb_error_set(err, 404, "[key: %s] resource not found", key ? key : "");
	char *p = local_path(st, key);
	int rc = 0;
	if (unlink(p) != 0) {
		int e = errno;
		rc = e == ENOENT ? pb_error_set(err, 404, "[key: %s] remove %s: %s\nresource not found", key, p, strerror(e))
		                 : pb_error_set(err, 500, "[key: %s] remove %s: %s", key, p, strerror(e));
	} else {
		char *attrs = malloc(strlen(p) + 7);
		if (!attrs)
			abort();
		sprintf(attrs, "%s.attrs", p);
		unlink(attrs);
		free(attrs);
	}
	free(p);
	return rc;
}

int pb_backup_store_bytes(const struct pb_backup_store *st, const char *key, const void *data, size_t len,
                          struct pb_error *err)
{
	if (is_s3(st))
		return pb_s3_put(st->s3, key, data, len, PB_BACKUP_CONTENT_TYPE, key, err);
	if (!pb_backup_key_ok(key))
		return pb_error_set(err, 400, "invalid backup key %s", key ? key : "");
	char *dir = pb_dirs_join(st->data_dir, PB_BACKUP_DIR);
	int rc = pb_dirs_mkdir_p(dir, err);
	free(dir);
	if (rc != 0)
		return -1;
	char *p = local_path(st, key);
	rc = pb_storage_write_at(p, data, len, PB_BACKUP_CONTENT_TYPE, key, err);
	free(p);
	return rc;
}

int pb_backup_store_file(const struct pb_backup_store *st, const char *tmp_path, const char *key,
                         struct pb_error *err)
{
	int rc;
	if (is_s3(st)) {
		rc = pb_s3_put_file(st->s3, key, tmp_path, PB_BACKUP_CONTENT_TYPE, key, err);
	} else if (!pb_backup_key_ok(key)) {
		rc = pb_error_set(err, 400, "invalid backup key %s", key ? key : "");
	} else {
		char *dir = pb_dirs_join(st->data_dir, PB_BACKUP_DIR);
		rc = pb_dirs_mkdir_p(dir, err);
		free(dir);
		if (rc == 0) {
			char *p = local_path(st, key);
			rc = pb_storage_adopt_file(tmp_path, p, PB_BACKUP_CONTENT_TYPE, key, err);
			free(p);
		}
	}
	unlink(tmp_path); /* gone already when adopted */
	return rc;
}

char *pb_backup_fetch(const struct pb_backup_store *st, const char *key, bool *is_temp, struct pb_error *err)
{
	*is_temp = false;
	if (!is_s3(st)) {
		if (pb_backup_exists(st, key, err) != 1) {
			pb_error_set(err, 404, "[key: %s] resource not found", key ? key : "");
			return NULL;
		}
		return local_path(st, key);
	}
	char *temp_dir = pb_dirs_join(st->data_dir, PB_BACKUP_TEMP_DIR);
	if (pb_dirs_mkdir_p(temp_dir, err) != 0) {
		free(temp_dir);
		return NULL;
	}
	char rnd[9], name[32];
	if (pb_random_string(rnd, 8, PB_ALPHABET_ALNUM) != 0) {
		free(temp_dir);
		pb_error_set(err, 500, "failed to generate a random name");
		return NULL;
	}
	snprintf(name, sizeof name, "pb_restore_zip%s", rnd);
	char *path = pb_dirs_join(temp_dir, name);
	free(temp_dir);
	if (pb_s3_get_file(st->s3, key, path, err) != 0) {
		free(path);
		return NULL;
	}
	*is_temp = true;
	return path;
}
