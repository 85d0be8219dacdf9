/* test_storage — stored upload names (PocketBase's TestFileNameNormalizations and
 * TestSnakecase cases re-expressed with regexes, plus odd inputs), path components and path
 * attacks, the atomic writer with sidecars compared byte for byte with the fixture's
 * PocketBase-written .attrs files, content type lookups and deletes. */
#include <errno.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/storage.h"
#include "tests/unit/storage_test_util.h"
#include "tests/unit/test.h"

#define R10 "[a-z0-9]{10}"

static bool matches(const char *s, const char *pattern)
{
	regex_t re;
	if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0) {
		fprintf(stderr, "bad pattern %s\n", pattern);
		return false;
	}
	bool ok = regexec(&re, s, 0, NULL, 0) == 0;
	regfree(&re);
	return ok;
}

/* one normalisation case; `ext` plays the content-detected extension */
static void check_name(const char *original, const char *ext, const char *pattern)
{
	char out[PB_STORAGE_FILE_NAME_CAP];
	int rc = pb_storage_file_name_ext(original, ext, out, sizeof out);
	CHECK(rc == 0);
	bool ok = rc == 0 && matches(out, pattern);
	if (!ok)
		fprintf(stderr, "name of [%.60s]: got [%s], want %s\n", original, out, pattern);
	CHECK(ok);
	/* every generated name is a valid storage component and passes the file field's rule */
	CHECK(pb_storage_component_ok(out, true));
	CHECK(matches(out, "^[^./\\\\][^/\\\\]+$"));
	CHECK(strlen(out) <= 150);
}

static char *repeat(char c, size_t n, const char *suffix)
{
	size_t sl = strlen(suffix);
	char *s = malloc(n + sl + 1);
	memset(s, c, n);
	memcpy(s + n, suffix, sl + 1);
	return s;
}

static void test_names(void)
{
	/* filesystem/file_test.go TestFileNameNormalizations (content "abc" → ".txt") */
	check_name("", ".txt", "^" R10 "_" R10 "\\.txt$");
	check_name(".png", ".txt", "^" R10 "_" R10 "\\.png$");
	check_name(".tar.gz", ".txt", "^" R10 "_" R10 "\\.tar\\.gz$");
	check_name("a.tar.gz", ".txt", "^a" R10 "_" R10 "\\.tar\\.gz$");
	check_name("....abc", ".txt", "^" R10 "_" R10 "\\.abc$");
	check_name("a.b.c.?.?.?.2", ".txt", "^a_b_c_" R10 "\\.2$");
	check_name("a.b.c.d.tar.gz", ".txt", "^a_b_c_d_" R10 "\\.tar\\.gz$");
	check_name("abcd", ".txt", "^abcd_" R10 "\\.txt$");
	check_name(".abcd.123.", ".txt", "^abcd_" R10 "\\.123$");
	check_name("a  b! c d  . 456", ".txt", "^a_b_c_d_" R10 "\\.456$");
	char *long1 = repeat('a', 101, "."), *long1x = NULL;
	{
		char *b = repeat('b', 21, "");
		struct pb_strbuf s = PB_STRBUF_INIT;
		pb_strbuf_printf(&s, "%s%s", long1, b);
		long1x = pb_strbuf_steal(&s);
		free(b);
	}
	check_name(long1x, ".txt", "^a{100}_" R10 "\\.b{20}$");
	char *d290 = repeat('d', 290, ".bbbbbbbbb");
	struct pb_strbuf s = PB_STRBUF_INIT;
	pb_strbuf_printf(&s, "abc%s", d290);
	check_name(s.data, ".txt", "^d{100}_" R10 "\\.b{9}$");
	pb_strbuf_deinit(&s);
	free(long1), free(long1x), free(d290);
	/* TestNewFileFromBytes */
	check_name("image_!@ special", ".txt", "^image_special_" R10 "\\.txt$");

	/* inflector TestSnakecase through the base part */
	check_name("John Doe.txt", NULL, "^john_doe_" R10 "\\.txt$");
	check_name("John_Doe.txt", NULL, "^john_doe_" R10 "\\.txt$");
	check_name("HelloWorld.txt", NULL, "^hello_world_" R10 "\\.txt$");
	check_name("HelloWorld1HelloWorld2.txt", NULL, "^hello_world1_hello_world2_" R10 "\\.txt$");
	check_name("TEST.txt", NULL, "^test_" R10 "\\.txt$");
	check_name("testABR.txt", NULL, "^test_abr_" R10 "\\.txt$");
	check_name("myTestDB.json", NULL, "^my_test_db_" R10 "\\.json$");
	check_name("!@#$%^.txt", NULL, "^" R10 "_" R10 "\\.txt$");

	/* the fixture's upload names and the spec's example */
	check_name("test.txt", NULL, "^test_" R10 "\\.txt$");
	check_name("300.png", NULL, "^300_" R10 "\\.png$");
	check_name("Logo vcf JJG5 TAh.svg", NULL, "^logo_vcf_jjg5_tah_" R10 "\\.svg$");

	/* odd inputs */
	check_name("no_extension", NULL, "^no_extension_" R10 "$");
	check_name("no_extension", "", "^no_extension_" R10 "$");
	check_name("binary", ".png", "^binary_" R10 "\\.png$");
	check_name("Photo.PNG", NULL, "^photo_" R10 "\\.PNG$"); /* PocketBase keeps the extension's case */
	check_name("../../etc/passwd", NULL, "^" R10 "_" R10 "\\.etcpasswd$");
	check_name("..", NULL, "^" R10 "_" R10 "$");
	check_name("/", NULL, "^" R10 "_" R10 "$");
	check_name("a\\b\\c.txt", NULL, "^a_b_c_" R10 "\\.txt$");
	check_name("file.t@r", NULL, "^file_" R10 "\\.tr$");
	check_name("x.a b", NULL, "^x" R10 "_" R10 "\\.ab$");
	check_name("ab.txt", NULL, "^ab" R10 "_" R10 "\\.txt$");
	check_name("abc.txt", NULL, "^abc_" R10 "\\.txt$");
	check_name("caf\xc3\xa9 au lait.jpg", NULL, "^caf_au_lait_" R10 "\\.jpg$");
	check_name("\xd0\xa1\xd0\xbd\xd0\xb8\xd0\xbc\xd0\xbe\xd0\xba.png", NULL, "^" R10 "_" R10 "\\.png$");
	check_name("bad\xff\xfeutf8.\xffpng", NULL, "^bad_utf8_" R10 "\\.png$");
	check_name("tab\there\nnewline.txt", NULL, "^tab_here_newline_" R10 "\\.txt$");
	check_name("report.final.v2.pdf", NULL, "^report_final_" R10 "\\.v2\\.pdf$");
	check_name("x.#*+=-_", NULL, "^x" R10 "_" R10 "\\.#\\*\\+=-_$");
	check_name("long.ext", ".abcdefghijklmnopqrstuvwxyz", "^long_" R10 "\\.ext$");
	check_name("noext", ".abcdefghijklmnopqrstuvwxyz", "^noext_" R10 "\\.ghijklmnopqrstuvwxyz$");
	check_name("x.aaaaaaaaaaaaaaaaaaa.bbbb", NULL, "^x" R10 "_" R10 "\\.aaaaaaaaaaaaaaa\\.bbbb$");
	check_name("x.aaaaaaaaaaaaaaaaaaaa.b", NULL, "^x" R10 "_" R10 "\\.aaaaaaaaaaaaaaaaaa\\.b$");
	check_name("x.aaaaaaaaaaaaaaaaaaa..b", NULL, "^x_a{19}_" R10 "\\.b$"); /* ext = the last two dots */
	check_name(NULL, NULL, "^" R10 "_" R10 "$");
	char *huge = repeat('Z', 100000, ".txt");
	check_name(huge, NULL, "^z{100}_" R10 "\\.txt$");
	free(huge);

	/* the random part changes, the buffer size is enforced */
	char a[PB_STORAGE_FILE_NAME_CAP], b[PB_STORAGE_FILE_NAME_CAP], small[16];
	CHECK(pb_storage_file_name("photo.png", a, sizeof a) == 0);
	CHECK(pb_storage_file_name("photo.png", b, sizeof b) == 0);
	CHECK(strcmp(a, b) != 0);
	CHECK(pb_storage_file_name("photo.png", small, sizeof small) == -1);
	CHECK(pb_storage_file_name("photo.png", small, 0) == -1);
}

static void test_components(void)
{
	CHECK(pb_storage_component_ok("abc", true));
	CHECK(pb_storage_component_ok("a..b", true));
	CHECK(pb_storage_component_ok("..a", false));
	CHECK(pb_storage_component_ok("x.attrs", false));
	CHECK(!pb_storage_component_ok("x.attrs", true));
	CHECK(!pb_storage_component_ok(".attrs", true));
	CHECK(!pb_storage_component_ok(NULL, false));
	CHECK(!pb_storage_component_ok("", false));
	CHECK(!pb_storage_component_ok(".", false));
	CHECK(!pb_storage_component_ok("..", false));
	CHECK(!pb_storage_component_ok("a/b", false));
	CHECK(!pb_storage_component_ok("/", false));
	CHECK(!pb_storage_component_ok("a\\b", false));
	CHECK(!pb_storage_component_ok("a\nb", false));
	CHECK(!pb_storage_component_ok("a\x7f", false));
	char *n255 = repeat('n', 255, ""), *n256 = repeat('n', 256, "");
	CHECK(pb_storage_component_ok(n255, true));
	CHECK(!pb_storage_component_ok(n256, true));

	char p[512];
	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_storage_path("/s", "c1", "r1", "f.png", p, sizeof p, &err) == 0);
	CHECK_STR(p, "/s/c1/r1/f.png");
	CHECK(pb_storage_path("/s", "c1", "r1", NULL, p, sizeof p, &err) == 0);
	CHECK_STR(p, "/s/c1/r1");
	CHECK(pb_storage_thumb_path("/s", "c1", "r1", "f.png", "70x50t", p, sizeof p, &err) == 0);
	CHECK_STR(p, "/s/c1/r1/thumbs_f.png/70x50t_f.png");
	const char *bad[][3] = {{"..", "r", "f"},  {"c", "..", "f"},      {"c", "r", ".."}, {"c/d", "r", "f"},
	                        {"c", "r", "../../x"}, {"c", "r", "/etc/passwd"}, {"", "r", "f"},  {"c", "r", "f.attrs"}};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		pb_error_clear(&err);
		CHECK(pb_storage_path("/s", bad[i][0], bad[i][1], bad[i][2], p, sizeof p, &err) == -1);
		CHECK(err.status == 404);
		CHECK_STR(p, "");
	}
	pb_error_clear(&err);
	CHECK(pb_storage_thumb_path("/s", "c", "r", "f.png", "1/2", p, sizeof p, &err) == -1 && err.status == 404);
	pb_error_clear(&err);
	/* thumbs_ + a 250-byte name exceeds a component */
	char *n250 = repeat('n', 250, "");
	CHECK(pb_storage_thumb_path("/s", "c", "r", n250, "100x100", p, sizeof p, &err) == -1 && err.status == 404);
	pb_error_clear(&err);
	CHECK(pb_storage_path("/s", "c1", "r1", "f.png", p, 8, &err) == -1 && err.status == 500);
	pb_error_clear(&err);
	free(n255), free(n256), free(n250);
}

/* the fixture's file and sidecar, rewritten by pb_storage_write, must give the same bytes */
static void check_sidecar_like_fixture(const char *root, const char *fx_dir, const char *name, const char *ct,
                                       const char *original)
{
	char *src = st_join(fx_dir, name), *src_attrs = NULL;
	struct pb_strbuf sa = PB_STRBUF_INIT;
	pb_strbuf_printf(&sa, "%s.attrs", src);
	src_attrs = pb_strbuf_steal(&sa);
	size_t len = 0, alen = 0, blen = 0, dlen = 0;
	char *data = st_read(src, &len), *want = st_read(src_attrs, &alen);
	CHECK(data && want);
	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_storage_write(root, "coll1", "rec1", name, data, len, ct, original, &err) == 0);
	char path[1024], attrs[1100];
	CHECK(pb_storage_path(root, "coll1", "rec1", name, path, sizeof path, &err) == 0);
	snprintf(attrs, sizeof attrs, "%s.attrs", path);
	char *got = st_read(attrs, &blen), *back = st_read(path, &dlen);
	CHECK(got && want && blen == alen && !memcmp(got, want, alen));
	if (got && want && (blen != alen || memcmp(got, want, alen)))
		fprintf(stderr, "sidecar\n got  %s want %s", got, want);
	CHECK(back && dlen == len && !memcmp(back, data, len));
	free(src), free(src_attrs), free(data), free(want), free(got), free(back);
}

static void test_write(void)
{
	const char *fx = getenv("POCKETC_FIXTURE");
	CHECK(fx != NULL);
	if (!fx)
		return;
	char *root = st_tmpdir();
	CHECK(root != NULL);
	if (!root)
		return;
	umask(022);
	char *storage = st_join(root, "storage"); /* does not exist yet: created on write */
	struct pb_error err = PB_ERROR_INIT;

	/* sidecars byte-exact with PocketBase's: with and without original-filename metadata */
	char *fxdir = NULL;
	{
		struct pb_strbuf b = PB_STRBUF_INIT;
		pb_strbuf_printf(&b, "%s/storage/wsmn24bux7wo113/84nmscqy84lsi1t", fx);
		fxdir = pb_strbuf_steal(&b);
	}
	check_sidecar_like_fixture(storage, fxdir, "test_MaWC6mWyrP.txt", "text/plain; charset=utf-8", "test.txt");
	check_sidecar_like_fixture(storage, fxdir, "test_QZFjKjXchk.txt", "text/plain; charset=utf-8", NULL);
	check_sidecar_like_fixture(storage, fxdir, "logo_vcfJJG5TAh.svg", "image/svg+xml", NULL);
	check_sidecar_like_fixture(storage, fxdir, "300_WlbFWSGmW9.png", "image/png", NULL);

	/* a thumb's sidecar: metadata null */
	{
		char *tp = st_join(fxdir, "thumbs_300_WlbFWSGmW9.png/100x100_300_WlbFWSGmW9.png");
		char *ta = st_join(fxdir, "thumbs_300_WlbFWSGmW9.png/100x100_300_WlbFWSGmW9.png.attrs");
		size_t len = 0, alen = 0, glen = 0;
		char *data = st_read(tp, &len), *want = st_read(ta, &alen);
		CHECK(pb_storage_write_thumb(storage, "coll1", "rec1", "300_WlbFWSGmW9.png", "100x100", data, len, "image/png",
		                             &err) == 0);
		char *gp = st_join(storage, "coll1/rec1/thumbs_300_WlbFWSGmW9.png/100x100_300_WlbFWSGmW9.png.attrs");
		char *got = st_read(gp, &glen);
		CHECK(got && want && glen == alen && !memcmp(got, want, alen));
		free(tp), free(ta), free(data), free(want), free(got), free(gp);
	}

	/* modes, no temp files left, overwrite */
	char *rec = st_join(storage, "coll1/rec1");
	struct stat st;
	CHECK(stat(rec, &st) == 0 && (st.st_mode & 0777) == 0755);
	char *f = st_join(rec, "test_MaWC6mWyrP.txt");
	CHECK(stat(f, &st) == 0 && (st.st_mode & 0777) == 0644);
	CHECK(st_count_entries(rec) == 9); /* 4 files + 4 sidecars + 1 thumbs dir */
	CHECK(pb_storage_write(storage, "coll1", "rec1", "test_MaWC6mWyrP.txt", "v2", 2, "text/plain; charset=utf-8",
	                       "new.txt", &err) == 0);
	size_t len = 0;
	char *v2 = st_read(f, &len);
	CHECK(v2 && len == 2 && !memcmp(v2, "v2", 2));
	free(v2);
	CHECK(st_count_entries(rec) == 9);

	/* empty content; escaping and the 255-byte cut of the original name; NULL type */
	struct pb_strbuf on = PB_STRBUF_INIT;
	pb_strbuf_puts(&on, "<a&b>\xff");
	for (int i = 0; i < 300; i++)
		pb_strbuf_putc(&on, 'x');
	CHECK(pb_storage_write(storage, "coll1", "rec2", "empty.bin", "", 0, NULL, on.data, &err) == 0);
	pb_strbuf_deinit(&on);
	char *ea = st_join(storage, "coll1/rec2/empty.bin.attrs");
	char *eat = st_read(ea, NULL);
	struct pb_strbuf want = PB_STRBUF_INIT;
	pb_strbuf_puts(&want, "{\"user.cache_control\":\"\",\"user.content_disposition\":\"\",\"user.content_encoding\":\"\","
	                      "\"user.content_language\":\"\",\"user.content_type\":\"application/octet-stream\","
	                      "\"user.metadata\":{\"original-filename\":\"\\u003ca\\u0026b\\u003e\\ufffd");
	for (int i = 0; i < 255 - 6; i++)
		pb_strbuf_putc(&want, 'x');
	pb_strbuf_puts(&want, "\"},\"md5\":\"1B2M2Y8AsgTpgAmY7PhCfg==\"}\n");
	CHECK_STR(eat, want.data);
	pb_strbuf_deinit(&want);
	free(ea), free(eat);

	/* content types as fileblob reads them */
	char *ct = pb_storage_content_type(f, &err);
	CHECK_STR(ct, "text/plain; charset=utf-8");
	free(ct);
	char *nosidecar = st_join(rec, "raw.bin");
	st_write(nosidecar, "x", 1);
	ct = pb_storage_content_type(nosidecar, &err);
	CHECK_STR(ct, PB_STORAGE_DEFAULT_CONTENT_TYPE);
	free(ct);
	char *badattrs = st_join(rec, "raw.bin.attrs");
	st_write(badattrs, "{not json", 9);
	CHECK(pb_storage_content_type(nosidecar, &err) == NULL && err.status == 500);
	pb_error_clear(&err);
	st_write(badattrs, "{\"user.content_type\":7}", 23);
	CHECK(pb_storage_content_type(nosidecar, &err) == NULL && err.status == 500);
	pb_error_clear(&err);
	st_write(badattrs, "{\"md5\":null}\ntrailing", 21);
	ct = pb_storage_content_type(nosidecar, &err);
	CHECK_STR(ct, "");
	free(ct);
	CHECK(pb_storage_content_type(rec, &err) == NULL && err.status == 404); /* a directory */
	pb_error_clear(&err);
	char *missing = st_join(rec, "missing.txt");
	CHECK(pb_storage_content_type(missing, &err) == NULL && err.status == 404);
	pb_error_clear(&err);

	/* path attacks: refused with 400, nothing written anywhere */
	int before = st_count_entries(root);
	const char *bad[][3] = {{"..", "rec1", "x.txt"},  {"coll1", "..", "x.txt"},    {"coll1", "rec1", "../x.txt"},
	                        {"coll1", "rec1", ".."},  {"../../tmp", "r", "x.txt"}, {"coll1", "rec1", "x.attrs"},
	                        {"coll1", "rec1", "a\\b"}, {"coll1", "", "x.txt"}};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK(pb_storage_write(storage, bad[i][0], bad[i][1], bad[i][2], "x", 1, "text/plain", NULL, &err) == -1);
		CHECK(err.status == 400);
		pb_error_clear(&err);
	}
	CHECK(st_count_entries(root) == before);
	CHECK(st_count_entries(storage) == 1);

	/* an unwritable directory fails cleanly with 500 and leaves no temp files */
	if (geteuid() != 0) {
		chmod(rec, 0555);
		CHECK(pb_storage_write(storage, "coll1", "rec1", "new.txt", "x", 1, NULL, NULL, &err) == -1 && err.status == 500);
		pb_error_clear(&err);
		chmod(rec, 0755);
	}
	CHECK(st_count_entries(rec) == 11); /* + raw.bin and raw.bin.attrs */

	free(f), free(rec), free(nosidecar), free(badattrs), free(missing), free(fxdir);
	st_rm_rf(root);
	free(storage), free(root);
}

static void test_delete(void)
{
	char *tmp = st_fixture_storage_copy();
	CHECK(tmp != NULL);
	if (!tmp)
		return;
	char *storage = st_join(tmp, "storage");
	struct pb_error err = PB_ERROR_INIT;
	char *rec = st_join(storage, "_pb_users_auth_/4q1xlclmfloku33");
	char *file = st_join(rec, "300_1SEi6Q6U72.png");
	char *thumbs = st_join(rec, "thumbs_300_1SEi6Q6U72.png");
	CHECK(st_count_entries(thumbs) == 14);
	CHECK(st_count_entries(rec) == 3);

	/* a file: its sidecar and every thumb go too */
	CHECK(pb_storage_delete_file(storage, "_pb_users_auth_", "4q1xlclmfloku33", "300_1SEi6Q6U72.png", &err) == 0);
	CHECK(!st_exists(file) && !st_exists(thumbs) && st_count_entries(rec) == 0);
	/* again: nothing there, still fine */
	CHECK(pb_storage_delete_file(storage, "_pb_users_auth_", "4q1xlclmfloku33", "300_1SEi6Q6U72.png", &err) == 0);
	CHECK(pb_storage_delete_file(storage, "nope", "nope", "nope.txt", &err) == 0);
	/* prune: an empty record dir goes, a non-empty one stays */
	CHECK(pb_storage_prune_record_dir(storage, "_pb_users_auth_", "4q1xlclmfloku33", &err) == 0);
	CHECK(!st_exists(rec));
	CHECK(pb_storage_prune_record_dir(storage, "_pb_users_auth_", "4q1xlclmfloku33", &err) == 0);
	char *other = st_join(storage, "_pb_users_auth_/oap640cot4yru2s");
	CHECK(pb_storage_prune_record_dir(storage, "_pb_users_auth_", "oap640cot4yru2s", &err) == 0);
	CHECK(st_count_entries(other) == 2);

	/* a whole record; a symlink inside points outside storage and must not be followed */
	char *outside = st_join(tmp, "outside");
	mkdir(outside, 0755);
	char *sentinel = st_join(outside, "keep.txt");
	st_write(sentinel, "keep", 4);
	char *rec2 = st_join(storage, "wsmn24bux7wo113/84nmscqy84lsi1t");
	char *link = st_join(rec2, "evil");
	CHECK(symlink(outside, link) == 0);
	char *link2 = st_join(rec2, "thumbs_300_WlbFWSGmW9.png/evil2");
	CHECK(symlink(outside, link2) == 0);
	CHECK(pb_storage_delete_record(storage, "wsmn24bux7wo113", "84nmscqy84lsi1t", &err) == 0);
	CHECK(!st_exists(rec2));
	CHECK(st_exists(sentinel));
	CHECK(st_count_entries(outside) == 1);
	char *coll = st_join(storage, "wsmn24bux7wo113");
	CHECK(st_count_entries(coll) == 1);
	CHECK(pb_storage_delete_record(storage, "wsmn24bux7wo113", "84nmscqy84lsi1t", &err) == 0);

	/* a record dir that is itself a symlink: the link goes, the target stays */
	char *linkrec = st_join(coll, "linkrec");
	CHECK(symlink(outside, linkrec) == 0);
	CHECK(pb_storage_delete_record(storage, "wsmn24bux7wo113", "linkrec", &err) == 0);
	CHECK(!st_exists(linkrec) && st_exists(sentinel));

	/* a whole collection */
	CHECK(pb_storage_delete_collection(storage, "wzlqyes4orhoygb", &err) == 0);
	char *coll2 = st_join(storage, "wzlqyes4orhoygb");
	CHECK(!st_exists(coll2));
	CHECK(pb_storage_delete_collection(storage, "wzlqyes4orhoygb", &err) == 0);
	CHECK(st_count_entries(storage) == 3);

	/* path attacks on deletes: refused, nothing removed */
	const char *bad[][3] = {{"..", "storage", "x"}, {"_pb_users_auth_", "..", "x"}, {"_pb_users_auth_", "oap640cot4yru2s", ".."},
	                        {"_pb_users_auth_", "oap640cot4yru2s", "../../outside/keep.txt"},
	                        {"_pb_users_auth_", "oap640cot4yru2s", "test_kfd2wYLxkz.txt.attrs"}};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK(pb_storage_delete_file(storage, bad[i][0], bad[i][1], bad[i][2], &err) == -1 && err.status == 400);
		pb_error_clear(&err);
	}
	CHECK(pb_storage_delete_record(storage, "_pb_users_auth_", "..", &err) == -1 && err.status == 400);
	pb_error_clear(&err);
	CHECK(pb_storage_delete_record(storage, "..", "outside", &err) == -1 && err.status == 400);
	pb_error_clear(&err);
	CHECK(pb_storage_delete_collection(storage, "..", &err) == -1 && err.status == 400);
	pb_error_clear(&err);
	CHECK(pb_storage_delete_collection(storage, "", &err) == -1 && err.status == 400);
	pb_error_clear(&err);
	CHECK(pb_storage_prune_record_dir(storage, "..", "..", &err) == -1 && err.status == 400);
	pb_error_clear(&err);
	CHECK(st_exists(sentinel) && st_count_entries(other) == 2 && st_count_entries(storage) == 3);

	free(rec), free(file), free(thumbs), free(other), free(outside), free(sentinel), free(rec2), free(link), free(link2);
	free(coll), free(linkrec), free(coll2);
	st_rm_rf(tmp);
	free(storage), free(tmp);
}

int main(void)
{
	test_names();
	test_components();
	test_write();
	test_delete();
	TEST_DONE();
}
