/* thumb_vips — renders a thumb with libvips the way filesystem.CreateThumb does with
 * disintegration/imaging: decode the first frame (JPEG EXIF orientation applied, as
 * imaging.AutoOrientation does for JPEG only), work in 8-bit sRGB(A) like imaging's NRGBA,
 * apply pb_thumb_plan's crops and its Linear resize (alpha-weighted: premultiplied around the
 * resize), then encode by the original's content type: image/jpeg → JPEG quality 95
 * (imaging's default; transparency flattened on black like Go's encoder), image/gif → GIF,
 * anything else → PNG, written without alpha when the result is opaque (Go's PNG encoder
 * writes RGB then). The source bytes are sniffed and handed to exactly one of libvips'
 * JPEG/PNG/GIF/WebP loaders, so no other decoder ever sees an upload. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vips/vips.h>

#include "core/thumb.h"

/* a guard against decompression bombs; far above any photo */
#define SOURCE_PIXELS_MAX (1LL << 28)
#define JPEG_QUALITY 95
#define PNG_COMPRESSION 6 /* Go's png.DefaultCompression = zlib level 6 */

enum src_format { SRC_UNKNOWN, SRC_JPEG, SRC_PNG, SRC_GIF, SRC_WEBP };

/* libvips reports decoder trouble of untrusted uploads as g_warning()s on stderr; the
 * failure itself reaches the caller through pb_error, so the warnings are dropped */
static void drop_log(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
	(void)domain, (void)level, (void)message, (void)data;
}

int pb_thumb_init(const char *argv0, struct pb_error *err)
{
	if (VIPS_INIT(argv0 ? argv0 : "pocketc") != 0) {
		pb_error_set(err, 500, "Failed to initialise libvips: %s", vips_error_buffer());
		vips_error_clear();
		return -1;
	}
	vips_concurrency_set(1);
	vips_cache_set_max(0);
	vips_cache_set_max_mem(0);
	vips_cache_set_max_files(0);
	vips_block_untrusted_set(TRUE);
	g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING, drop_log, NULL);
	return 0;
}

void pb_thumb_shutdown(void)
{
	vips_shutdown();
}

static enum src_format sniff(const char *path)
{
	unsigned char h[12] = {0};
	FILE *f = fopen(path, "rb");
	if (!f)
		return SRC_UNKNOWN;
	size_t n = fread(h, 1, sizeof h, f);
	fclose(f);
	if (n >= 8 && !memcmp(h, "\x89PNG\r\n\x1a\n", 8))
		return SRC_PNG;
	if (n >= 3 && h[0] == 0xff && h[1] == 0xd8 && h[2] == 0xff)
		return SRC_JPEG;
	if (n >= 6 && (!memcmp(h, "GIF87a", 6) || !memcmp(h, "GIF89a", 6)))
		return SRC_GIF;
	if (n >= 12 && !memcmp(h, "RIFF", 4) && !memcmp(h + 8, "WEBP", 4))
		return SRC_WEBP;
	return SRC_UNKNOWN;
}

static int load(const char *path, enum src_format fmt, VipsAccess access, VipsImage **out)
{
	switch (fmt) {
	case SRC_JPEG: return vips_jpegload(path, out, "access", access, "fail_on", VIPS_FAIL_ON_ERROR, NULL);
	case SRC_PNG: return vips_pngload(path, out, "access", access, "fail_on", VIPS_FAIL_ON_ERROR, NULL);
	case SRC_GIF: return vips_gifload(path, out, "access", access, "fail_on", VIPS_FAIL_ON_ERROR, NULL);
	case SRC_WEBP: return vips_webpload(path, out, "access", access, "fail_on", VIPS_FAIL_ON_ERROR, NULL);
	default: return -1;
	}
}

static int fail(struct pb_error *err, const char *what)
{
	const char *detail = vips_error_buffer();
	pb_error_set(err, 500, "%s%s%s", what, detail && *detail ? ": " : "", detail ? detail : "");
	vips_error_clear();
	return -1;
}

/* 8-bit sRGB with an optional alpha band */
static int to_srgb8(VipsImage *in, VipsImage **t, VipsImage **out)
{
	VipsImage *x = in;
	if (vips_colourspace(x, &t[0], VIPS_INTERPRETATION_sRGB, NULL) != 0)
		return -1;
	x = t[0];
	if (x->BandFmt != VIPS_FORMAT_UCHAR) {
		if (vips_cast_uchar(x, &t[1], NULL) != 0)
			return -1;
		x = t[1];
	}
	if (x->Bands > 4) {
		if (vips_extract_band(x, &t[2], 0, "n", 4, NULL) != 0)
			return -1;
		x = t[2];
	}
	*out = x;
	return 0;
}

/* imaging's Linear resize to w x h; alpha-weighted like imaging's resizeHorizontal */
static int resize_to(VipsImage *in, int w, int h, VipsImage **t, VipsImage **out)
{
	VipsImage *x = in;
	bool alpha = vips_image_hasalpha(x);
	if (alpha) {
		if (vips_premultiply(x, &t[0], NULL) != 0)
			return -1;
		x = t[0];
	}
	double hs = (double)w / x->Xsize, vs = (double)h / x->Ysize;
	if (vips_resize(x, &t[1], hs, "vscale", vs, "kernel", VIPS_KERNEL_LINEAR, "gap", 0.0, NULL) != 0)
		return -1;
	x = t[1];
	if (alpha) {
		if (vips_unpremultiply(x, &t[2], NULL) != 0 || vips_cast_uchar(t[2], &t[3], NULL) != 0)
			return -1;
		x = t[3];
	}
	if (x->Xsize != w || x->Ysize != h) {
		vips_error("pb_thumb", "resize gave %dx%d instead of %dx%d", x->Xsize, x->Ysize, w, h);
		return -1;
	}
	*out = x;
	return 0;
}

/* drops an alpha band that is 255 everywhere (x is in memory, so this is cheap) */
static int drop_opaque_alpha(VipsImage *in, VipsImage **t, VipsImage **out)
{
	*out = in;
	if (in->Bands != 4)
		return 0;
	double min = 0;
	if (vips_extract_band(in, &t[0], 3, NULL) != 0 || vips_min(t[0], &min, NULL) != 0)
		return -1;
	if (min < 255.0)
		return 0;
	if (vips_extract_band(in, &t[1], 0, "n", 3, NULL) != 0)
		return -1;
	*out = t[1];
	return 0;
}

static int encode(VipsImage *x, const char *content_type, VipsImage **t, void **buf, size_t *len, const char **type)
{
	if (!strcmp(content_type, "image/jpeg")) {
		*type = "image/jpeg";
		if (vips_image_hasalpha(x)) {
			VipsArrayDouble *black = vips_array_double_newv(1, 0.0);
			int rc = vips_flatten(x, &t[0], "background", black, NULL);
			vips_area_unref(VIPS_AREA(black));
			if (rc != 0)
				return -1;
			x = t[0];
		}
		return vips_jpegsave_buffer(x, buf, len, "Q", JPEG_QUALITY, "strip", TRUE, NULL);
	}
	if (!strcmp(content_type, "image/gif")) {
		*type = "image/gif";
		return vips_gifsave_buffer(x, buf, len, NULL);
	}
	*type = "image/png";
	return vips_pngsave_buffer(x, buf, len, "compression", PNG_COMPRESSION, "strip", TRUE, NULL);
}

int pb_thumb_render(const char *src_path, const char *content_type, const struct pb_thumb_spec *spec, void **out,
                    size_t *out_len, const char **out_type, struct pb_error *err)
{
	*out = NULL;
	*out_len = 0;
	*out_type = NULL;
	enum src_format fmt = sniff(src_path);
	if (fmt == SRC_UNKNOWN)
		return pb_error_set(err, 500, "Unsupported image format.");

	VipsImage *scope = vips_image_new();
	VipsImage **t = (VipsImage **)vips_object_local_array(VIPS_OBJECT(scope), 24);
	void *vbuf = NULL;
	size_t vlen = 0;
	int rc = -1;
	VipsImage *x;

	if (load(src_path, fmt, VIPS_ACCESS_SEQUENTIAL, &t[0]) != 0) {
		fail(err, "Failed to decode the image");
		goto done;
	}
	x = t[0];
	if (fmt == SRC_JPEG && vips_image_get_orientation(x) > 1) {
		/* rotating needs random access */
		if (load(src_path, fmt, VIPS_ACCESS_RANDOM, &t[1]) != 0 || vips_autorot(t[1], &t[2], NULL) != 0) {
			fail(err, "Failed to decode the image");
			goto done;
		}
		x = t[2];
	}
	if ((long long)x->Xsize * x->Ysize > SOURCE_PIXELS_MAX) {
		pb_error_set(err, 500, "The image is too large.");
		goto done;
	}
	if (to_srgb8(x, t + 3, &x) != 0) {
		fail(err, "Failed to convert the image");
		goto done;
	}

	struct pb_thumb_plan plan;
	pb_thumb_plan(x->Xsize, x->Ysize, spec, &plan);
	if (plan.out_w <= 0 || plan.out_h <= 0) {
		pb_error_set(err, 500, "The thumb would be empty.");
		goto done;
	}
	if (plan.crop1) {
		if (vips_extract_area(x, &t[6], plan.c1_x, plan.c1_y, plan.c1_w, plan.c1_h, NULL) != 0) {
			fail(err, "Failed to crop the image");
			goto done;
		}
		x = t[6];
	}
	if (plan.resize_w != x->Xsize || plan.resize_h != x->Ysize) {
		if (resize_to(x, plan.resize_w, plan.resize_h, t + 7, &x) != 0) {
			fail(err, "Failed to resize the image");
			goto done;
		}
	}
	if (plan.crop2) {
		if (vips_extract_area(x, &t[11], plan.c2_x, plan.c2_y, plan.c2_w, plan.c2_h, NULL) != 0) {
			fail(err, "Failed to crop the image");
			goto done;
		}
		x = t[11];
	}
	/* run the pipeline once (decode errors surface here), then look at the small result */
	t[12] = vips_image_copy_memory(x);
	if (!t[12]) {
		fail(err, "Failed to decode the image");
		goto done;
	}
	if (drop_opaque_alpha(t[12], t + 13, &x) != 0 || encode(x, content_type, t + 15, &vbuf, &vlen, out_type) != 0) {
		fail(err, "Failed to encode the thumb");
		goto done;
	}
	*out = malloc(vlen ? vlen : 1);
	if (!*out) {
		pb_error_set(err, 500, "Out of memory.");
		goto done;
	}
	memcpy(*out, vbuf, vlen);
	*out_len = vlen;
	rc = 0;
done:
	g_free(vbuf);
	g_object_unref(scope);
	if (rc != 0)
		*out_type = NULL;
	return rc;
}
