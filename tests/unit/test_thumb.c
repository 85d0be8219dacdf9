/* test_thumb — thumb sizes, imaging's geometry, and thumbs made from real images: the
 * fixture's PNG (results compared with the thumbs PocketBase generated into the fixture),
 * JPEG/GIF/WebP copies of it, synthetic images for the crop anchors, alpha weighting, JPEG
 * orientation and GIF frames, plus every fallback to the original (corrupt, truncated,
 * non-image, bad sizes) and the errors. Results are decoded with libvips to check their
 * size and format. */
#include <stdlib.h>
#include <string.h>
#include <vips/vips.h>

#include "core/storage.h"
#include "core/thumb.h"
#include "tests/unit/storage_test_util.h"
#include "tests/unit/test.h"

#define USERS "_pb_users_auth_"
#define USER_REC "4q1xlclmfloku33"
#define USER_PNG "300_1SEi6Q6U72.png"

static const char *storage_root;

/* ---- sizes, allowed list, geometry ------------------------------------------------------- */

static void test_parse(void)
{
	struct pb_thumb_spec s;
	CHECK(pb_thumb_parse("100x100", &s) == 0 && s.width == 100 && s.height == 100 && s.mode == PB_THUMB_CENTER);
	CHECK(pb_thumb_parse("0x50", &s) == 0 && s.width == 0 && s.height == 50);
	CHECK(pb_thumb_parse("70x0", &s) == 0 && s.width == 70 && s.height == 0);
	CHECK(pb_thumb_parse("70x50t", &s) == 0 && s.mode == PB_THUMB_TOP);
	CHECK(pb_thumb_parse("70x50b", &s) == 0 && s.mode == PB_THUMB_BOTTOM);
	CHECK(pb_thumb_parse("70x50f", &s) == 0 && s.mode == PB_THUMB_FIT);
	CHECK(pb_thumb_parse("007x008", &s) == 0 && s.width == 7 && s.height == 8);
	CHECK(pb_thumb_parse("16384x1", &s) == 0);
	const char *bad[] = {"0x0",     "0x0t",      "0x0f",   "x100",   "100x",    "100X100",  "100x100 ", " 100x100",
	                     "100x100tt", "100x100c", "-1x5",   "1x-5",   "",        "16385x1",  "1x16385",
	                     "99999999999999999999x1", "1.5x2", "+1x2",   "100x100\n", "１x1"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		bool refused = pb_thumb_parse(bad[i], &s) == -1;
		if (!refused)
			fprintf(stderr, "accepted size [%s]\n", bad[i]);
		CHECK(refused);
	}
	CHECK(pb_thumb_parse(NULL, &s) == -1);
}

static void test_allowed(void)
{
	json_t *thumbs = json_pack("[s,s,i]", "50x50", "0x20f", 7);
	CHECK(pb_thumb_size_allowed("100x100", NULL));
	CHECK(pb_thumb_size_allowed("100x100", thumbs));
	CHECK(pb_thumb_size_allowed("50x50", thumbs));
	CHECK(pb_thumb_size_allowed("0x20f", thumbs));
	CHECK(!pb_thumb_size_allowed("50x50", NULL));
	CHECK(!pb_thumb_size_allowed("50x50t", thumbs));
	CHECK(!pb_thumb_size_allowed("100x100t", thumbs));
	CHECK(!pb_thumb_size_allowed("7", thumbs));
	CHECK(!pb_thumb_size_allowed("", thumbs));
	CHECK(!pb_thumb_size_allowed(NULL, thumbs));
	json_decref(thumbs);
}

struct plan_case {
	int sw, sh;
	const char *size;
	int crop1, c1x, c1y, c1w, c1h, rw, rh, crop2, c2x, c2y, c2w, c2h, ow, oh;
};

static void test_plan(void)
{
	/* worked through imaging v1.6.2's Fill/Fit/Resize/CropAnchor by hand */
	const struct plan_case cases[] = {
	    /* the fixture's 300x300 image and the sizes of its pre-generated thumbs */
	    {300, 300, "100x100", 1, 0, 0, 300, 300, 100, 100, 0, 0, 0, 0, 0, 100, 100},
	    {300, 300, "70x50", 1, 0, 43, 300, 214, 70, 50, 0, 0, 0, 0, 0, 70, 50},
	    {300, 300, "70x50t", 1, 0, 0, 300, 214, 70, 50, 0, 0, 0, 0, 0, 70, 50},
	    {300, 300, "70x50b", 1, 0, 86, 300, 214, 70, 50, 0, 0, 0, 0, 0, 70, 50},
	    {300, 300, "70x50f", 0, 0, 0, 0, 0, 50, 50, 0, 0, 0, 0, 0, 50, 50},
	    {300, 300, "0x50", 0, 0, 0, 0, 0, 50, 50, 0, 0, 0, 0, 0, 50, 50},
	    {300, 300, "70x0", 0, 0, 0, 0, 0, 70, 70, 0, 0, 0, 0, 0, 70, 70},
	    /* wide source: crop the width */
	    {400, 100, "100x100", 1, 150, 0, 100, 100, 100, 100, 0, 0, 0, 0, 0, 100, 100},
	    {400, 100, "100x100t", 1, 150, 0, 100, 100, 100, 100, 0, 0, 0, 0, 0, 100, 100},
	    {1000, 600, "300x100", 1, 0, 133, 1000, 333, 300, 100, 0, 0, 0, 0, 0, 300, 100},
	    {1000, 600, "300x100b", 1, 0, 267, 1000, 333, 300, 100, 0, 0, 0, 0, 0, 300, 100},
	    /* small sources: resize first, then crop */
	    {50, 80, "100x100", 0, 0, 0, 0, 0, 100, 160, 1, 0, 30, 100, 100, 100, 100},
	    {50, 80, "100x100t", 0, 0, 0, 0, 0, 100, 160, 1, 0, 0, 100, 100, 100, 100},
	    {50, 80, "100x100b", 0, 0, 0, 0, 0, 100, 160, 1, 0, 60, 100, 100, 100, 100},
	    {99, 33, "10x10", 0, 0, 0, 0, 0, 30, 10, 1, 10, 0, 10, 10, 10, 10},
	    /* same size: nothing to do */
	    {64, 64, "64x64", 0, 0, 0, 0, 0, 64, 64, 0, 0, 0, 0, 0, 64, 64},
	    /* fit: never enlarged; truncating, 0 becomes "keep the ratio" */
	    {50, 80, "100x100f", 0, 0, 0, 0, 0, 50, 80, 0, 0, 0, 0, 0, 50, 80},
	    {100, 300, "50x50f", 0, 0, 0, 0, 0, 16, 50, 0, 0, 0, 0, 0, 16, 50},
	    {1000, 10, "70x50f", 0, 0, 0, 0, 0, 70, 1, 0, 0, 0, 0, 0, 70, 1},
	    /* keep-ratio resizes may enlarge, minimum 1px */
	    {100, 300, "0x150", 0, 0, 0, 0, 0, 50, 150, 0, 0, 0, 0, 0, 50, 150},
	    {10, 20, "0x400", 0, 0, 0, 0, 0, 200, 400, 0, 0, 0, 0, 0, 200, 400},
	    {1000, 1, "10x0", 0, 0, 0, 0, 0, 10, 1, 0, 0, 0, 0, 0, 10, 1},
	    {3, 2, "0x1", 0, 0, 0, 0, 0, 2, 1, 0, 0, 0, 0, 0, 2, 1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct plan_case *c = &cases[i];
		struct pb_thumb_spec spec;
		struct pb_thumb_plan p;
		CHECK(pb_thumb_parse(c->size, &spec) == 0);
		pb_thumb_plan(c->sw, c->sh, &spec, &p);
		bool ok = p.crop1 == (bool)c->crop1 && p.resize_w == c->rw && p.resize_h == c->rh &&
		          p.crop2 == (bool)c->crop2 && p.out_w == c->ow && p.out_h == c->oh &&
		          (!c->crop1 || (p.c1_x == c->c1x && p.c1_y == c->c1y && p.c1_w == c->c1w && p.c1_h == c->c1h)) &&
		          (!c->crop2 || (p.c2_x == c->c2x && p.c2_y == c->c2y && p.c2_w == c->c2w && p.c2_h == c->c2h));
		if (!ok)
			fprintf(stderr,
			        "plan %dx%d %s: crop1=%d (%d,%d %dx%d) resize %dx%d crop2=%d (%d,%d %dx%d) out %dx%d\n", c->sw,
			        c->sh, c->size, p.crop1, p.c1_x, p.c1_y, p.c1_w, p.c1_h, p.resize_w, p.resize_h, p.crop2, p.c2_x,
			        p.c2_y, p.c2_w, p.c2_h, p.out_w, p.out_h);
		CHECK(ok);
	}
	struct pb_thumb_spec spec = {10, 10, PB_THUMB_CENTER};
	struct pb_thumb_plan p;
	pb_thumb_plan(0, 10, &spec, &p);
	CHECK(p.out_w == 0 && p.out_h == 0);
}

static void test_limits(void)
{
	struct pb_thumb_limits l;
	unsetenv("PB_THUMBS_MAX_WORKERS");
	unsetenv("PB_THUMBS_MAX_WAIT");
	pb_thumb_limits_from_env(4, &l);
	CHECK(l.max_workers == 6 && l.max_wait_seconds == 60);
	const struct {
		const char *v;
		long long want;
	} cases[] = {{"8", 8},  {"0x10", 16}, {"010", 8}, {"5.0", 5}, {"5.000", 5}, {"+3", 3}, {"5.", 6},  {" 5", 6},
	             {"-3", 6}, {"0", 6},     {"abc", 6}, {"5x", 6},  {"", 6},      {"1.5", 6}, {"99999999999999999999", 6}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		setenv("PB_THUMBS_MAX_WORKERS", cases[i].v, 1);
		setenv("PB_THUMBS_MAX_WAIT", cases[i].v, 1);
		pb_thumb_limits_from_env(4, &l);
		bool ok = l.max_workers == cases[i].want && l.max_wait_seconds == (cases[i].want == 6 ? 60 : cases[i].want);
		if (!ok)
			fprintf(stderr, "limits [%s]: %lld %lld\n", cases[i].v, l.max_workers, l.max_wait_seconds);
		CHECK(ok);
	}
	unsetenv("PB_THUMBS_MAX_WORKERS");
	unsetenv("PB_THUMBS_MAX_WAIT");
}

/* ---- image helpers ----------------------------------------------------------------------- */

static VipsImage *load_any(const char *path)
{
	VipsImage *img = vips_image_new_from_file(path, "access", VIPS_ACCESS_RANDOM, NULL);
	if (!img) {
		fprintf(stderr, "cannot decode %s: %s\n", path, vips_error_buffer());
		vips_error_clear();
	}
	return img;
}

static bool loader_is(VipsImage *img, const char *want)
{
	const char *l = NULL;
	return img && vips_image_get_string(img, "vips-loader", &l) == 0 && l && !strcmp(l, want);
}

/* mean absolute difference of two same-size 8-bit images over their colour bands */
static double mean_diff(VipsImage *a, VipsImage *b)
{
	VipsImage *scope = vips_image_new();
	VipsImage **t = (VipsImage **)vips_object_local_array(VIPS_OBJECT(scope), 6);
	double avg = 1e9;
	if (a->Xsize == b->Xsize && a->Ysize == b->Ysize && vips_extract_band(a, &t[0], 0, "n", 3, NULL) == 0 &&
	    vips_extract_band(b, &t[1], 0, "n", 3, NULL) == 0 && vips_subtract(t[0], t[1], &t[2], NULL) == 0 &&
	    vips_abs(t[2], &t[3], NULL) == 0 && vips_avg(t[3], &avg, NULL) == 0) {
	}
	g_object_unref(scope);
	return avg;
}

static bool pixel_is(VipsImage *img, int x, int y, const double *want, int bands, double tol)
{
	double *v = NULL;
	int n = 0;
	if (vips_getpoint(img, &v, &n, x, y, NULL) != 0)
		return false;
	bool ok = n == bands;
	for (int i = 0; ok && i < n; i++)
		if (v[i] < want[i] - tol || v[i] > want[i] + tol)
			ok = false;
	if (!ok)
		fprintf(stderr, "pixel (%d,%d): bands %d [%g %g %g %g]\n", x, y, n, n > 0 ? v[0] : -1, n > 1 ? v[1] : -1,
		        n > 2 ? v[2] : -1, n > 3 ? v[3] : -1);
	g_free(v);
	return ok;
}

/* stores an encoded image (or any bytes) as a record file with its content type */
static void store(const char *rec, const char *name, const void *data, size_t len, const char *ct)
{
	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_storage_write(storage_root, "pbc_thumbs", rec, name, data, len, ct, name, &err) == 0);
	pb_error_clear(&err);
}

static void store_image(const char *rec, const char *name, VipsImage *img, const char *suffix, const char *ct)
{
	void *buf = NULL;
	size_t len = 0;
	CHECK(vips_image_write_to_buffer(img, suffix, &buf, &len, NULL) == 0);
	store(rec, name, buf, len, ct);
	g_free(buf);
}

/* an 8-bit image from a pixel callback */
static VipsImage *make_image(int w, int h, int bands, void (*px)(int x, int y, int w, int h, unsigned char *out))
{
	unsigned char *mem = malloc((size_t)w * h * bands);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			px(x, y, w, h, mem + ((size_t)y * w + x) * bands);
	VipsImage *img = vips_image_new_from_memory_copy(mem, (size_t)w * h * bands, w, h, bands, VIPS_FORMAT_UCHAR);
	free(mem);
	return img;
}

/* horizontal thirds: red, green, blue */
static void stripes(int x, int y, int w, int h, unsigned char *o)
{
	(void)x, (void)w;
	o[0] = y < h / 3 ? 255 : 0;
	o[1] = y >= h / 3 && y < 2 * h / 3 ? 255 : 0;
	o[2] = y >= 2 * h / 3 ? 255 : 0;
}

/* left half transparent green, right half opaque red */
static void half_alpha(int x, int y, int w, int h, unsigned char *o)
{
	(void)y, (void)h;
	bool right = x >= w / 2;
	o[0] = right ? 255 : 0;
	o[1] = right ? 0 : 255;
	o[2] = 0;
	o[3] = right ? 255 : 0;
}

static void opaque_rgba(int x, int y, int w, int h, unsigned char *o)
{
	(void)w, (void)h;
	o[0] = (unsigned char)x, o[1] = (unsigned char)y, o[2] = 7, o[3] = 255;
}

/* pb_thumb_get that expects a thumb; returns the decoded result (caller unrefs) */
static VipsImage *get_thumb(const char *coll, const char *rec, const char *name, const char *size, char **path_out)
{
	struct pb_error err = PB_ERROR_INIT;
	char *path = NULL, want[2048];
	int rc = pb_thumb_get(storage_root, coll, rec, name, size, &path, &err);
	if (rc != 0)
		fprintf(stderr, "thumb %s of %s: rc %d: %s\n", size, name, rc, err.message);
	CHECK(rc == 0);
	CHECK(pb_storage_thumb_path(storage_root, coll, rec, name, size, want, sizeof want, NULL) == 0);
	CHECK_STR(path, want);
	pb_error_clear(&err);
	VipsImage *img = rc == 0 && path ? load_any(path) : NULL;
	if (path_out)
		*path_out = path;
	else
		free(path);
	return img;
}

/* ---- against the fixture's PocketBase thumbs --------------------------------------------- */

static void test_fixture_thumbs(void)
{
	const char *fx = getenv("POCKETC_FIXTURE");
	char fx_thumbs[1024], thumbs_dir[1024], *marker_path = NULL;
	snprintf(fx_thumbs, sizeof fx_thumbs, "%s/storage/%s/%s/thumbs_%s", fx, USERS, USER_REC, USER_PNG);
	snprintf(thumbs_dir, sizeof thumbs_dir, "%s/%s/%s/thumbs_%s", storage_root, USERS, USER_REC, USER_PNG);
	st_rm_rf(thumbs_dir); /* make them again */
	CHECK(!st_exists(thumbs_dir));

	const char *sizes[] = {"100x100", "70x50", "70x50t", "70x50b", "70x50f", "0x50", "70x0"};
	VipsImage *ours[7] = {0}, *theirs[7] = {0};
	for (int i = 0; i < 7; i++) {
		char *path = NULL;
		ours[i] = get_thumb(USERS, USER_REC, USER_PNG, sizes[i], &path);
		char ref[1200];
		snprintf(ref, sizeof ref, "%s/%s_%s", fx_thumbs, sizes[i], USER_PNG);
		theirs[i] = load_any(ref);
		CHECK(ours[i] && theirs[i]);
		if (!ours[i] || !theirs[i]) {
			free(path);
			continue;
		}
		CHECK(loader_is(ours[i], "pngload"));
		CHECK(ours[i]->Xsize == theirs[i]->Xsize && ours[i]->Ysize == theirs[i]->Ysize);
		CHECK(ours[i]->Bands == 3 && ours[i]->BandFmt == VIPS_FORMAT_UCHAR); /* opaque: RGB, like Go writes */
		double d = mean_diff(ours[i], theirs[i]);
		if (d >= 1.0)
			fprintf(stderr, "%s differs from PocketBase's by %.2f\n", sizes[i], d);
		CHECK(d < 1.0); /* measured: 0.10-0.15 of 255 */
		/* the sidecar CreateThumb writes */
		char *ct = pb_storage_content_type(path, NULL);
		CHECK_STR(ct, "image/png");
		free(ct);
		char attrs[1200];
		snprintf(attrs, sizeof attrs, "%s.attrs", path);
		char *side = st_read(attrs, NULL);
		CHECK(side && strstr(side, "\"user.metadata\":null,\"md5\":\""));
		free(side);
		if (i == 0)
			marker_path = path;
		else
			free(path);
	}
	/* the anchors really differ: each crop is closer to PocketBase's same crop */
	if (ours[2] && theirs[2] && ours[3] && theirs[3] && ours[1] && theirs[1]) {
		CHECK(mean_diff(ours[2], theirs[2]) < mean_diff(ours[2], theirs[3]));
		CHECK(mean_diff(ours[3], theirs[3]) < mean_diff(ours[3], theirs[2]));
		CHECK(mean_diff(ours[1], theirs[1]) < mean_diff(ours[1], theirs[3]));
	}
	for (int i = 0; i < 7; i++) {
		if (ours[i])
			g_object_unref(ours[i]);
		if (theirs[i])
			g_object_unref(theirs[i]);
	}
	CHECK(st_count_entries(thumbs_dir) == 14); /* 7 thumbs + 7 sidecars, no temp files */

	/* made once, then reused as it is */
	if (marker_path) {
		CHECK(st_write(marker_path, "marker", 6) == 0);
		char *again = NULL;
		struct pb_error err = PB_ERROR_INIT;
		CHECK(pb_thumb_get(storage_root, USERS, USER_REC, USER_PNG, "100x100", &again, &err) == 0);
		CHECK_STR(again, marker_path);
		size_t len = 0;
		char *body = st_read(marker_path, &len);
		CHECK(body && len == 6 && !memcmp(body, "marker", 6));
		free(body), free(again), free(marker_path);
	}

	/* a thumb PocketBase already made is served untouched */
	char fx_thumb[1024], *path = NULL;
	snprintf(fx_thumb, sizeof fx_thumb,
	         "%s/storage/wsmn24bux7wo113/84nmscqy84lsi1t/thumbs_300_WlbFWSGmW9.png/100x100_300_WlbFWSGmW9.png", fx);
	CHECK(pb_thumb_get(storage_root, "wsmn24bux7wo113", "84nmscqy84lsi1t", "300_WlbFWSGmW9.png", "100x100", &path,
	                   NULL) == 0);
	size_t a = 0, b = 0;
	char *x = path ? st_read(path, &a) : NULL, *y = st_read(fx_thumb, &b);
	CHECK(x && y && a == b && !memcmp(x, y, a));
	free(x), free(y), free(path);
}

/* ---- formats, anchors, alpha, orientation, frames ---------------------------------------- */

static void check_format(const char *name, const char *size, const char *loader, const char *ct, int w, int h)
{
	char *path = NULL;
	VipsImage *img = get_thumb("pbc_thumbs", "formats", name, size, &path);
	CHECK(img != NULL);
	if (img) {
		CHECK(loader_is(img, loader));
		CHECK(img->Xsize == w && img->Ysize == h);
		g_object_unref(img);
	}
	char *got = path ? pb_storage_content_type(path, NULL) : NULL;
	CHECK_STR(got, ct);
	free(got), free(path);
}

static void test_formats(void)
{
	const char *fx = getenv("POCKETC_FIXTURE");
	char src[1024];
	snprintf(src, sizeof src, "%s/storage/%s/%s/%s", fx, USERS, USER_REC, USER_PNG);
	VipsImage *png = load_any(src);
	CHECK(png != NULL);
	if (!png)
		return;
	store_image("formats", "src_abc.jpg", png, ".jpg[Q=90]", "image/jpeg");
	store_image("formats", "src_abc.gif", png, ".gif", "image/gif");
	store_image("formats", "src_abc.webp", png, ".webp", "image/webp");
	store_image("formats", "src_jpg.jpg", png, ".jpg", "image/jpg");
	size_t len = 0;
	char *raw = st_read(src, &len);
	store("formats", "src_abc.png", raw, len, "image/png");

	check_format("src_abc.jpg", "100x50", "jpegload", "image/jpeg", 100, 50);
	check_format("src_abc.gif", "100x50t", "gifload", "image/gif", 100, 50);
	check_format("src_abc.webp", "0x60", "pngload", "image/png", 60, 60); /* webp → png */
	check_format("src_jpg.jpg", "40x40", "pngload", "image/png", 40, 40); /* only image/jpeg stays JPEG */
	check_format("src_abc.png", "500x0", "pngload", "image/png", 500, 500); /* keep-ratio enlarges */
	check_format("src_abc.png", "500x500f", "pngload", "image/png", 300, 300); /* fit never enlarges */

	/* a truncated copy of a good PNG: fails cleanly, the original is served */
	store("formats", "trunc_abc.png", raw, len / 2, "image/png");
	char *path = NULL, orig[2048];
	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_thumb_get(storage_root, "pbc_thumbs", "formats", "trunc_abc.png", "100x100", &path, &err) == 1);
	CHECK(pb_storage_path(storage_root, "pbc_thumbs", "formats", "trunc_abc.png", orig, sizeof orig, NULL) == 0);
	CHECK_STR(path, orig);
	CHECK(err.status == 500);
	pb_error_clear(&err);
	free(path), free(raw);
	char tdir[2048];
	snprintf(tdir, sizeof tdir, "%s/pbc_thumbs/formats/thumbs_trunc_abc.png", storage_root);
	CHECK(!st_exists(tdir));
	g_object_unref(png);
}

static void test_anchors_alpha(void)
{
	const double red[] = {255, 0, 0}, green[] = {0, 255, 0}, blue[] = {0, 0, 255};
	VipsImage *tall = make_image(100, 300, 3, stripes), *small = make_image(30, 90, 3, stripes);
	store_image("formats", "tall.png", tall, ".png", "image/png");
	store_image("formats", "small.png", small, ".png", "image/png");
	g_object_unref(tall), g_object_unref(small);

	struct {
		const char *name, *size;
		const double *color;
		int w, h;
		bool edges; /* every corner has the colour (enlarged crops blend at the stripe edges) */
	} cases[] = {
	    {"tall.png", "100x100t", red, 100, 100, true},  {"tall.png", "100x100", green, 100, 100, true},
	    {"tall.png", "100x100b", blue, 100, 100, true}, {"tall.png", "50x50t", red, 50, 50, true},
	    {"tall.png", "50x50b", blue, 50, 50, true},     {"small.png", "60x60t", red, 60, 60, false},
	    {"small.png", "60x60b", blue, 60, 60, false},   {"small.png", "60x60", green, 60, 60, false},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		VipsImage *img = get_thumb("pbc_thumbs", "formats", cases[i].name, cases[i].size, NULL);
		CHECK(img && img->Xsize == cases[i].w && img->Ysize == cases[i].h);
		if (!img)
			continue;
		int w = img->Xsize - 1, h = img->Ysize - 1;
		CHECK(pixel_is(img, w / 2, h / 2, cases[i].color, 3, 1));
		if (cases[i].edges) {
			CHECK(pixel_is(img, 0, 0, cases[i].color, 3, 1));
			CHECK(pixel_is(img, w, 0, cases[i].color, 3, 1));
			CHECK(pixel_is(img, 0, h, cases[i].color, 3, 1));
			CHECK(pixel_is(img, w, h, cases[i].color, 3, 1));
		}
		g_object_unref(img);
	}
	VipsImage *fit = get_thumb("pbc_thumbs", "formats", "tall.png", "50x50f", NULL);
	CHECK(fit && fit->Xsize == 16 && fit->Ysize == 50);
	if (fit)
		g_object_unref(fit);

	/* alpha: kept when present, weighted in the resize (transparent green adds no green) */
	VipsImage *ha = make_image(100, 100, 4, half_alpha), *op = make_image(64, 64, 4, opaque_rgba);
	ha->Type = VIPS_INTERPRETATION_sRGB;
	op->Type = VIPS_INTERPRETATION_sRGB;
	store_image("formats", "alpha.png", ha, ".png", "image/png");
	store_image("formats", "opaque.png", op, ".png", "image/png");
	g_object_unref(ha), g_object_unref(op);
	VipsImage *a = get_thumb("pbc_thumbs", "formats", "alpha.png", "50x50", NULL);
	CHECK(a && a->Bands == 4);
	if (a && a->Bands == 4) {
		const double solid[] = {255, 0, 0, 255};
		CHECK(pixel_is(a, 40, 25, solid, 4, 1));
		double *v = NULL;
		int n = 0;
		CHECK(vips_getpoint(a, &v, &n, 5, 25, NULL) == 0 && n == 4 && v[3] == 0);
		g_free(v);
		/* the edge column is half transparent but still pure red */
		CHECK(vips_getpoint(a, &v, &n, 25, 25, NULL) == 0 && n == 4);
		if (n == 4) {
			CHECK(v[3] > 0 && v[3] < 255);
			CHECK(v[0] >= 254 && v[1] <= 1);
		}
		g_free(v);
	}
	if (a)
		g_object_unref(a);
	VipsImage *o = get_thumb("pbc_thumbs", "formats", "opaque.png", "32x32", NULL);
	CHECK(o && o->Bands == 3); /* an opaque alpha band is dropped, as Go's PNG encoder does */
	if (o)
		g_object_unref(o);
}

static void test_orientation_frames(void)
{
	/* a 200x100 JPEG tagged "rotate 90° clockwise" is 100x200 once oriented */
	VipsImage *wide = make_image(200, 100, 3, stripes), *tagged = NULL;
	CHECK(vips_copy(wide, &tagged, NULL) == 0);
	vips_image_set_int(tagged, VIPS_META_ORIENTATION, 6);
	store_image("formats", "rot_abc.jpg", tagged, ".jpg", "image/jpeg");
	VipsImage *r = get_thumb("pbc_thumbs", "formats", "rot_abc.jpg", "0x50", NULL);
	CHECK(r && r->Xsize == 25 && r->Ysize == 50);
	if (r)
		g_object_unref(r);
	g_object_unref(tagged), g_object_unref(wide);

	/* an animated GIF: two 50x50 frames, red then blue; the thumb is the first frame */
	VipsImage *roll = make_image(50, 100, 3, stripes), *anim = NULL;
	CHECK(vips_copy(roll, &anim, NULL) == 0);
	vips_image_set_int(anim, VIPS_META_PAGE_HEIGHT, 50);
	store_image("formats", "anim_abc.gif", anim, ".gif", "image/gif");
	VipsImage *g = get_thumb("pbc_thumbs", "formats", "anim_abc.gif", "0x20", NULL);
	CHECK(g && g->Xsize == 20 && g->Ysize == 20);
	if (g) {
		const double red[] = {255, 0, 0};
		VipsImage *flat = NULL;
		/* GIF decodes as RGBA */
		CHECK(vips_extract_band(g, &flat, 0, "n", 3, NULL) == 0);
		if (flat) {
			CHECK(pixel_is(flat, 2, 2, red, 3, 8));
			g_object_unref(flat);
		}
		g_object_unref(g);
	}
	g_object_unref(anim), g_object_unref(roll);
}

/* ---- fallbacks and errors ---------------------------------------------------------------- */

static void expect_original(const char *name, const char *size, int status)
{
	char *path = NULL, orig[2048], tdir[2048];
	struct pb_error err = PB_ERROR_INIT;
	int rc = pb_thumb_get(storage_root, "pbc_thumbs", "bad", name, size, &path, &err);
	if (rc != 1 || err.status != status)
		fprintf(stderr, "%s %s: rc %d status %d %s\n", name, size ? size : "(null)", rc, err.status, err.message);
	CHECK(rc == 1);
	CHECK(err.status == status);
	CHECK(pb_storage_path(storage_root, "pbc_thumbs", "bad", name, orig, sizeof orig, NULL) == 0);
	CHECK_STR(path, orig);
	snprintf(tdir, sizeof tdir, "%s/pbc_thumbs/bad/thumbs_%s", storage_root, name);
	CHECK(!st_exists(tdir));
	pb_error_clear(&err);
	free(path);
}

static void test_fallbacks(void)
{
	static const char garbage[] = "\x89PNG\r\n\x1a\n this is not a PNG at all";
	store("bad", "corrupt.png", garbage, sizeof garbage - 1, "image/png");
	store("bad", "text_as_png.png", "hello world", 11, "image/png");
	store("bad", "notes.txt", "hello world", 11, "text/plain; charset=utf-8");
	store("bad", "empty.png", "", 0, "image/png");
	static const char svg[] = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
	store("bad", "logo.svg", svg, sizeof svg - 1, "image/svg+xml");

	expect_original("corrupt.png", "100x100", 500);     /* decode fails */
	expect_original("text_as_png.png", "100x100", 500); /* not an image at all */
	expect_original("empty.png", "100x100", 500);
	expect_original("notes.txt", "100x100", 400);       /* not an image type */
	expect_original("logo.svg", "100x100", 400);        /* svg is not thumbed */
	expect_original("corrupt.png", "abc", 400);         /* malformed size */
	expect_original("corrupt.png", "0x0", 400);
	expect_original("corrupt.png", "", 0);              /* no thumb asked */
	expect_original("corrupt.png", NULL, 0);

	/* real PNG bytes without a sidecar: application/octet-stream, so no thumb (PocketBase too) */
	const char *fx = getenv("POCKETC_FIXTURE");
	char src[1024], dst[2048];
	snprintf(src, sizeof src, "%s/storage/%s/%s/%s", fx, USERS, USER_REC, USER_PNG);
	snprintf(dst, sizeof dst, "%s/pbc_thumbs/bad/nosidecar.png", storage_root);
	size_t len = 0;
	char *raw = st_read(src, &len);
	CHECK(raw && st_write(dst, raw, len) == 0);
	free(raw);
	expect_original("nosidecar.png", "100x100", 400);

	/* errors: nothing to serve */
	struct pb_error err = PB_ERROR_INIT;
	char *path = (char *)"untouched";
	CHECK(pb_thumb_get(storage_root, "pbc_thumbs", "bad", "missing.png", "100x100", &path, &err) == -1);
	CHECK(err.status == 404 && path == NULL);
	pb_error_clear(&err);
	const char *bad[][3] = {{"..", "bad", "corrupt.png"}, {"pbc_thumbs", "..", "bad"}, {"pbc_thumbs", "bad", "../bad/corrupt.png"},
	                        {"pbc_thumbs", "bad", "corrupt.png.attrs"}, {"pbc_thumbs", "bad", ""}};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK(pb_thumb_get(storage_root, bad[i][0], bad[i][1], bad[i][2], "100x100", &path, &err) == -1);
		CHECK(err.status == 404 && path == NULL);
		pb_error_clear(&err);
	}
	/* an unreadable sidecar fails the lookup like PocketBase's Attributes() */
	char attrs[2048];
	snprintf(attrs, sizeof attrs, "%s/pbc_thumbs/bad/corrupt.png.attrs", storage_root);
	CHECK(st_write(attrs, "{", 1) == 0);
	CHECK(pb_thumb_get(storage_root, "pbc_thumbs", "bad", "corrupt.png", "100x100", &path, &err) == -1);
	CHECK(err.status == 404);
	pb_error_clear(&err);
	/* the directory of a record is not a file */
	CHECK(pb_thumb_get(storage_root, USERS, USER_REC, "thumbs_" USER_PNG, "100x100", &path, &err) == -1);
	CHECK(err.status == 404);
	pb_error_clear(&err);
}

int main(int argc, char **argv)
{
	(void)argc;
	struct pb_error err = PB_ERROR_INIT;
	test_parse();
	test_allowed();
	test_plan();
	test_limits();

	CHECK(pb_thumb_init(argv[0], &err) == 0);
	char *tmp = st_fixture_storage_copy();
	CHECK(tmp != NULL);
	if (tmp) {
		char *storage = st_join(tmp, "storage");
		storage_root = storage;
		test_fixture_thumbs();
		test_formats();
		test_anchors_alpha();
		test_orientation_frames();
		test_fallbacks();
		st_rm_rf(tmp);
		free(storage);
		free(tmp);
	}
	pb_thumb_shutdown();
	TEST_DONE();
}
