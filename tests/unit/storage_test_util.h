/* storage_test_util — temp directories, a copy of the fixture's storage dir and small file
 * helpers shared by test_storage.c, test_thumb.c and test_bootstrap.c. */
#ifndef POCKETC_TESTS_UNIT_STORAGE_TEST_UTIL_H
#define POCKETC_TESTS_UNIT_STORAGE_TEST_UTIL_H

#include <dirent.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/strbuf.h"

__attribute__((unused)) static int st_rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	remove(path);
	return 0;
}

__attribute__((unused)) static void st_rm_rf(const char *path)
{
	nftw(path, st_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* a new temp dir (caller frees the string and st_rm_rf's the dir) */
__attribute__((unused)) static char *st_tmpdir(void)
{
	char tmpl[] = "/tmp/pocketc-storage-XXXXXX";
	char *d = mkdtemp(tmpl);
	return d ? strdup(d) : NULL;
}

__attribute__((unused)) static char *st_join(const char *a, const char *b)
{
	struct pb_strbuf s = PB_STRBUF_INIT;
	pb_strbuf_printf(&s, "%s/%s", a, b);
	return pb_strbuf_steal(&s);
}

__attribute__((unused)) static bool st_exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

/* whole file, NUL-terminated (caller frees); NULL when it cannot be read */
__attribute__((unused)) static char *st_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct pb_strbuf b = PB_STRBUF_INIT;
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		pb_strbuf_append(&b, buf, n);
	fclose(f);
	if (len)
		*len = b.len;
	return pb_strbuf_steal(&b);
}

__attribute__((unused)) static int st_write(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t w = fwrite(data, 1, len, f);
	return fclose(f) == 0 && w == len ? 0 : -1;
}

/* number of directory entries (without . and ..), -1 when it cannot be opened */
__attribute__((unused)) static int st_count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

/* a temp dir holding a copy of the fixture's storage dir as <tmp>/storage; NULL without
 * the fixture */
__attribute__((unused)) static char *st_fixture_storage_copy(void)
{
	const char *fx = getenv("POCKETC_FIXTURE");
	if (!fx)
		return NULL;
	char *tmp = st_tmpdir();
	if (!tmp)
		return NULL;
	struct pb_strbuf cmd = PB_STRBUF_INIT;
	pb_strbuf_printf(&cmd, "cp -R '%s/storage' '%s/storage'", fx, tmp);
	int rc = system(cmd.data);
	pb_strbuf_deinit(&cmd);
	if (rc != 0) {
		st_rm_rf(tmp);
		free(tmp);
		return NULL;
	}
	return tmp;
}

#endif
