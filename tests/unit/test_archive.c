/* test_archive — core/archive (zip create/extract as tools/archive) and core/dirs (clone,
 * move with rollback) on real trees in a temp dir. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "core/archive.h"
#include "core/dirs.h"
#include "core/strbuf.h"
#include "test.h"

static void put(const char *dir, const char *rel, const char *content)
{
	char *p = pb_dirs_join(dir, rel);
	char *parent = strdup(p);
	*strrchr(parent, '/') = '\0';
	pb_dirs_mkdir_p(parent, NULL);
	FILE *f = fopen(p, "wb");
	fputs(content, f);
	fclose(f);
	free(parent);
	free(p);
}

static char *slurp(const char *dir, const char *rel)
{
	char *p = pb_dirs_join(dir, rel);
	FILE *f = fopen(p, "rb");
	free(p);
	if (!f)
		return NULL;
	char buf[4096];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strdup(buf);
}

static bool exists(const char *dir, const char *rel)
{
	char *p = pb_dirs_join(dir, rel);
	struct stat st;
	bool ok = lstat(p, &st) == 0;
	free(p);
	return ok;
}

/* entry names of a zip joined with ',' */
static char *zip_names(const char *path)
{
	zip_t *za = zip_open(path, ZIP_RDONLY, NULL);
	if (!za)
		return NULL;
	struct pb_strbuf b = PB_STRBUF_INIT;
	zip_int64_t n = zip_get_num_entries(za, 0);
	for (zip_int64_t i = 0; i < n; i++) {
		if (i)
			pb_strbuf_putc(&b, ',');
		pb_strbuf_puts(&b, zip_get_name(za, (zip_uint64_t)i, 0));
	}
	zip_discard(za);
	return pb_strbuf_steal(&b);
}

static void test_create_extract(const char *tmp)
{
	char *src = pb_dirs_join(tmp, "src");
	put(src, "b.txt", "bee");
	put(src, "a/z.txt", "zed");
	put(src, "a/b/c.txt", "sea");
	put(src, "backups/x.zip", "nope");
	put(src, ".pb_temp_to_delete/t", "nope");
	put(src, "backupsy", "kept: only the exact name or a path below it is skipped");
	put(src, "A.txt", "upper sorts first");
	char *link_path = pb_dirs_join(src, "link");
	CHECK(symlink("/etc/passwd", link_path) == 0);
	chmod(link_path, 0755);
	char *exe = pb_dirs_join(src, "run.sh");
	put(src, "run.sh", "#!/bin/sh\n");
	chmod(exe, 0750);

	char *zip = pb_dirs_join(tmp, "out/archive.zip");
	static const char *const skip[] = {"backups", ".pb_temp_to_delete/"};
	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_archive_create(src, zip, skip, 2, &err) == 0);
	CHECK(pb_archive_is_zip(zip));
	char *names = zip_names(zip);
	/* lexical (byte) order per directory, files only, no symlink, skip list honoured */
	CHECK_STR(names, "A.txt,a/b/c.txt,a/z.txt,b.txt,backupsy,run.sh");
	free(names);

	/* entries are deflated and carry the Unix mode */
	zip_t *za = zip_open(zip, ZIP_RDONLY, NULL);
	zip_stat_t zs;
	CHECK(zip_stat(za, "run.sh", 0, &zs) == 0 && zs.comp_method == ZIP_CM_DEFLATE);
	zip_uint8_t os = 0;
	zip_uint32_t attr = 0;
	zip_file_get_external_attributes(za, (zip_uint64_t)zip_name_locate(za, "run.sh", 0), 0, &os, &attr);
	CHECK(os == ZIP_OPSYS_UNIX && ((attr >> 16) & 0777) == 0750);
	zip_discard(za);

	char *out = pb_dirs_join(tmp, "extracted");
	CHECK(pb_archive_extract(zip, out, &err) == 0);
	char *s = slurp(out, "a/b/c.txt");
	CHECK_STR(s, "sea");
	free(s);
	s = slurp(out, "b.txt");
	CHECK_STR(s, "bee");
	free(s);
	CHECK(!exists(out, "backups"));
	CHECK(!exists(out, "link"));
	struct stat st;
	char *exe_out = pb_dirs_join(out, "run.sh");
	CHECK(stat(exe_out, &st) == 0 && (st.st_mode & 0777) == 0750);
	free(exe_out);

	/* an empty tree gives Go's 22-byte empty archive, which extracts to nothing */
	char *empty = pb_dirs_join(tmp, "empty");
	pb_dirs_mkdir_p(empty, NULL);
	char *ezip = pb_dirs_join(tmp, "empty.zip");
	CHECK(pb_archive_create(empty, ezip, NULL, 0, &err) == 0);
	CHECK(stat(ezip, &st) == 0 && st.st_size == 22);
	CHECK(pb_archive_is_zip(ezip));
	char *eout = pb_dirs_join(tmp, "empty_out");
	CHECK(pb_archive_extract(ezip, eout, &err) == 0);

	/* not a zip */
	CHECK(!pb_archive_is_zip(exe));
	CHECK(pb_archive_extract(exe, eout, &err) == -1 && err.status == 400);
	pb_error_clear(&err);

	free(empty);
	free(ezip);
	free(eout);
	free(out);
	free(zip);
	free(exe);
	free(link_path);
	free(src);
}

static void test_zip_slip(const char *tmp)
{
	char *zip = pb_dirs_join(tmp, "evil.zip");
	zip_t *za = zip_open(zip, ZIP_CREATE | ZIP_TRUNCATE, NULL);
	static const char ok[] = "fine", bad[] = "evil";
	zip_file_add(za, "ok.txt", zip_source_buffer(za, ok, 4, 0), 0);
	zip_file_add(za, "sub/../../evil.txt", zip_source_buffer(za, bad, 4, 0), 0);
	CHECK(zip_close(za) == 0);
	char *out = pb_dirs_join(tmp, "slip/inner");
	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_archive_extract(zip, out, &err) == -1);
	CHECK(err.status == 400 && strstr(err.message, "invalid file path") != NULL);
	pb_error_clear(&err);
	char *evil = pb_dirs_join(tmp, "slip/evil.txt");
	struct stat st;
	CHECK(stat(evil, &st) != 0);
	free(evil);
	free(out);
	free(zip);
}

static void test_dirs(const char *tmp)
{
	char *a = pb_dirs_join(tmp, "da");
	put(a, "one", "1");
	put(a, "sub/two", "2");
	put(a, "keep", "k");
	char *clone = pb_dirs_join(tmp, "dclone");
	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_dirs_clone_tree(a, clone, &err) == 0);
	/* a hard link keeps the content after the original is replaced by rename */
	put(a, "one.new", "changed");
	char *one = pb_dirs_join(a, "one"), *one_new = pb_dirs_join(a, "one.new");
	rename(one_new, one);
	char *s = slurp(clone, "one");
	CHECK_STR(s, "1");
	free(s);
	s = slurp(clone, "sub/two");
	CHECK_STR(s, "2");
	free(s);
	struct stat st1, st2;
	char *two = pb_dirs_join(a, "sub/two"), *two_c = pb_dirs_join(clone, "sub/two");
	CHECK(stat(two, &st1) == 0 && stat(two_c, &st2) == 0 && st1.st_ino == st2.st_ino);

	/* move everything but "keep" */
	char *b = pb_dirs_join(tmp, "db");
	static const char *const ex[] = {"keep"};
	CHECK(pb_dirs_move_content(a, b, ex, 1, &err) == 0);
	CHECK(exists(a, "keep") && !exists(a, "one") && !exists(a, "sub"));
	CHECK(exists(b, "one") && exists(b, "sub/two") && !exists(b, "keep"));

	/* a failing rename rolls back: "sub" cannot replace a non-empty directory */
	char *c = pb_dirs_join(tmp, "dc");
	put(c, "sub/occupied", "x");
	CHECK(pb_dirs_move_content(b, c, NULL, 0, &err) == -1);
	pb_error_clear(&err);
	CHECK(exists(b, "one") && exists(b, "sub/two"));
	CHECK(!exists(c, "one"));

	pb_dirs_remove_tree(a);
	CHECK(!exists(tmp, "da"));
	free(a);
	free(b);
	free(c);
	free(one);
	free(one_new);
	free(two);
	free(two_c);
	free(clone);
}

int main(void)
{
	char tmpl[] = "/tmp/pocketc-archive-XXXXXX";
	char *tmp = strdup(mkdtemp(tmpl));
	test_create_extract(tmp);
	test_zip_slip(tmp);
	test_dirs(tmp);
	pb_dirs_remove_tree(tmp);
	free(tmp);
	TEST_DONE();
}
