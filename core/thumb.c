/* thumb — size parsing, the allowed-size check, imaging's geometry, the thumb lookup/creation
 * flow of apis/file.go and the PB_THUMBS_* limits (see thumb.h). The libvips side is in
 * thumb_vips.c. */
#include "core/thumb.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/storage.h"

/* apis/file.go imageContentTypes */
static const char *const image_types[] = {"image/png", "image/jpg", "image/jpeg", "image/gif", "image/webp"};

/* a run of ASCII digits as a non-negative int, saturating at INT32 range; returns the end */
static const char *digits(const char *s, long long *out)
{
	long long v = 0;
	const char *p = s;
	while (*p >= '0' && *p <= '9') {
		if (v < 1000000000LL)
			v = v * 10 + (*p - '0');
		p++;
	}
	*out = v;
	return p;
}

int pb_thumb_parse(const char *size, struct pb_thumb_spec *out)
{
	if (!size || !out)
		return -1;
	long long w, h;
	const char *p = digits(size, &w);
	if (p == size || *p != 'x')
		return -1;
	const char *q = digits(p + 1, &h);
	if (q == p + 1)
		return -1;
	enum pb_thumb_mode mode = PB_THUMB_CENTER;
	if (*q == 't')
		mode = PB_THUMB_TOP, q++;
	else if (*q == 'b')
		mode = PB_THUMB_BOTTOM, q++;
	else if (*q == 'f')
		mode = PB_THUMB_FIT, q++;
	if (*q != '\0')
		return -1;
	if ((w == 0 && h == 0) || w > PB_THUMB_SIDE_MAX || h > PB_THUMB_SIDE_MAX)
		return -1;
	out->width = (int)w;
	out->height = (int)h;
	out->mode = mode;
	return 0;
}

bool pb_thumb_size_allowed(const char *size, const json_t *field_thumbs)
{
	if (!size || !*size)
		return false;
	if (!strcmp(size, PB_THUMB_DEFAULT_SIZE))
		return true;
	size_t i;
	const json_t *it;
	json_array_foreach(field_thumbs, i, it)
	{
		if (json_is_string(it) && !strcmp(json_string_value(it), size))
			return true;
	}
	return false;
}

/* ---- imaging geometry ------------------------------------------------------------------ */

/* imaging.Resize's output size for a w x h request on a sw x sh image (0 = keep the aspect
 * ratio, at least 1px); false for an empty result */
static bool resize_dims(int sw, int sh, int w, int h, int *ow, int *oh)
{
	if (w < 0 || h < 0 || (w == 0 && h == 0) || sw <= 0 || sh <= 0)
		return false;
	if (w == 0)
		w = (int)fmax(1.0, floor((double)h * (double)sw / (double)sh + 0.5));
	if (h == 0)
		h = (int)fmax(1.0, floor((double)w * (double)sh / (double)sw + 0.5));
	*ow = w;
	*oh = h;
	return true;
}

/* imaging.CropAnchor of a w x h box on a sw x sh image: the box at the anchor point,
 * intersected with the image; false when the intersection is empty */
static bool crop_anchor(int sw, int sh, int w, int h, enum pb_thumb_mode anchor, int *x, int *y, int *cw, int *ch)
{
	int px = (sw - w) / 2, py;
	if (anchor == PB_THUMB_TOP)
		py = 0;
	else if (anchor == PB_THUMB_BOTTOM)
		py = sh - h;
	else
		py = (sh - h) / 2;
	int x0 = px > 0 ? px : 0, y0 = py > 0 ? py : 0;
	int x1 = px + w < sw ? px + w : sw, y1 = py + h < sh ? py + h : sh;
	if (x1 <= x0 || y1 <= y0)
		return false;
	*x = x0, *y = y0, *cw = x1 - x0, *ch = y1 - y0;
	return true;
}

static void plan_empty(struct pb_thumb_plan *p)
{
	memset(p, 0, sizeof *p);
}

/* resize of the current cur_w x cur_h image, recorded in the plan */
static bool plan_resize(struct pb_thumb_plan *p, int cur_w, int cur_h, int w, int h)
{
	if (!resize_dims(cur_w, cur_h, w, h, &p->resize_w, &p->resize_h))
		return false;
	p->out_w = p->resize_w;
	p->out_h = p->resize_h;
	return true;
}

void pb_thumb_plan(int sw, int sh, const struct pb_thumb_spec *spec, struct pb_thumb_plan *p)
{
	plan_empty(p);
	int w = spec->width, h = spec->height;
	if (sw <= 0 || sh <= 0)
		return;
	p->resize_w = p->out_w = sw;
	p->resize_h = p->out_h = sh;

	if (w == 0 || h == 0) {
		if (!plan_resize(p, sw, sh, w, h))
			plan_empty(p);
		return;
	}
	if (w < 0 || h < 0) {
		plan_empty(p);
		return;
	}
	if (spec->mode == PB_THUMB_FIT) {
		if (sw <= w && sh <= h)
			return; /* Clone */
		double src_ar = (double)sw / (double)sh, max_ar = (double)w / (double)h;
		int nw, nh;
		if (src_ar > max_ar) {
			nw = w;
			nh = (int)((double)nw / src_ar);
		} else {
			nh = h;
			nw = (int)((double)nh * src_ar);
		}
		if (!plan_resize(p, sw, sh, nw, nh))
			plan_empty(p);
		return;
	}
	/* Fill */
	if (sw == w && sh == h)
		return;
	double src_ar = (double)sw / (double)sh, dst_ar = (double)w / (double)h;
	if (sw >= 100 && sh >= 100) {
		/* cropAndResize */
		int cw = sw, ch = sh;
		if (src_ar < dst_ar)
			ch = (int)(fmax(1.0, (double)sw * (double)h / (double)w) + 0.5);
		else
			cw = (int)(fmax(1.0, (double)sh * (double)w / (double)h) + 0.5);
		p->crop1 = true;
		if (!crop_anchor(sw, sh, cw, ch, spec->mode, &p->c1_x, &p->c1_y, &p->c1_w, &p->c1_h) ||
		    !plan_resize(p, p->c1_w, p->c1_h, w, h))
			plan_empty(p);
		return;
	}
	/* resizeAndCrop */
	if (!plan_resize(p, sw, sh, src_ar < dst_ar ? w : 0, src_ar < dst_ar ? 0 : h)) {
		plan_empty(p);
		return;
	}
	p->crop2 = true;
	if (!crop_anchor(p->resize_w, p->resize_h, w, h, spec->mode, &p->c2_x, &p->c2_y, &p->c2_w, &p->c2_h)) {
		plan_empty(p);
		return;
	}
	p->out_w = p->c2_w;
	p->out_h = p->c2_h;
}

/* ---- the download flow ----------------------------------------------------------------- */

static bool is_image_type(const char *ct)
{
	for (size_t i = 0; i < sizeof image_types / sizeof image_types[0]; i++)
		if (!strcmp(ct, image_types[i]))
			return true;
	return false;
}

static bool is_regular_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int pb_thumb_get(const char *storage_root, const char *collection_id, const char *record_id, const char *file_name,
                 const char *size, char **path_out, struct pb_error *err)
{
	char original[4096], thumb[4096];
	char *ct = NULL;
	void *buf = NULL;
	size_t buf_len = 0;
	const char *thumb_type = NULL;
	struct pb_thumb_spec spec;
	struct pb_error terr = PB_ERROR_INIT;
	int rc = -1;

	if (path_out)
		*path_out = NULL;
	if (!path_out)
		return pb_error_set(err, 500, "Missing output path.");
	if (pb_storage_path(storage_root, collection_id, record_id, file_name, original, sizeof original, err) != 0)
		return pb_error_set(err, 404, "The requested resource wasn't found.");
	if (!is_regular_file(original))
		return pb_error_set(err, 404, "The requested resource wasn't found.");
	if (!size || !*size) {
		rc = 1;
		goto serve_original;
	}
	ct = pb_storage_content_type(original, &terr);
	if (!ct) {
		pb_error_clear(&terr);
		return pb_error_set(err, 404, "The requested resource wasn't found.");
	}
	if (!is_image_type(ct) || pb_thumb_parse(size, &spec) != 0 ||
	    pb_storage_thumb_path(storage_root, collection_id, record_id, file_name, size, thumb, sizeof thumb,
	                          &terr) != 0) {
		pb_error_clear(&terr);
		pb_error_set(err, 400, "The thumb size \"%s\" or the original file format are not supported.", size);
		rc = 1;
		goto serve_original;
	}
	if (is_regular_file(thumb))
		goto serve_thumb;
	if (pb_thumb_render(original, ct, &spec, &buf, &buf_len, &thumb_type, &terr) != 0 ||
	    pb_storage_write_thumb(storage_root, collection_id, record_id, file_name, size, buf, buf_len, thumb_type,
	                           &terr) != 0) {
		pb_error_set(err, 500, "Failed to create thumb %s_%s: %s", size, file_name, terr.message);
		pb_error_clear(&terr);
		rc = 1;
		goto serve_original;
	}
serve_thumb:
	*path_out = strdup(thumb);
	rc = 0;
	goto done;
serve_original:
	*path_out = strdup(original);
done:
	free(buf);
	free(ct);
	if (!*path_out)
		return pb_error_set(err, 500, "Out of memory.");
	return rc;
}

/* ---- PB_THUMBS_* ----------------------------------------------------------------------- */

/* cast.ToInt64 of a string: trimZeroDecimal, then strconv.ParseInt(s, 0, 64); 0 on error */
static long long go_cast_int(const char *s)
{
	if (!s || !*s)
		return 0;
	char buf[64];
	size_t n = strlen(s);
	if (n >= sizeof buf)
		return 0;
	memcpy(buf, s, n + 1);
	/* "5.000" → "5" (only when every digit after the last dot is a zero) */
	bool zero = false;
	for (size_t i = n; i > 0; i--) {
		char c = buf[i - 1];
		if (c == '.') {
			if (zero)
				buf[i - 1] = '\0';
			break;
		}
		if (c != '0')
			break;
		zero = true;
	}
	const char *p = buf;
	if (*p == '+' || *p == '-')
		p++;
	if (!(*p >= '0' && *p <= '9'))
		return 0; /* Go accepts no spaces, strtoll would */
	char *end;
	errno = 0;
	long long v = strtoll(buf, &end, 0);
	if (errno != 0 || *end != '\0')
		return 0;
	return v;
}

void pb_thumb_limits_from_env(int ncpu, struct pb_thumb_limits *out)
{
	long long w = go_cast_int(getenv("PB_THUMBS_MAX_WORKERS"));
	long long t = go_cast_int(getenv("PB_THUMBS_MAX_WAIT"));
	out->max_workers = w > 0 ? w : (long long)ncpu + 2;
	out->max_wait_seconds = t > 0 ? t : 60;
}
