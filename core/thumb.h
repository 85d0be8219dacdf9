/* thumb — image thumbnails as PocketBase's file download makes them (apis/file.go and
 * filesystem.CreateThumb over disintegration/imaging), rendered with libvips.
 *
 * Sizes match ^(\d+)x(\d+)(t|b|f)?$ (0x0 in any form is refused):
 *   WxH   fill the box, crop from the centre       WxHt / WxHb  fill, crop from top / bottom
 *   WxHf  fit inside the box, never enlarged       0xH / Wx0    resize keeping the aspect ratio
 * with imaging's exact geometry (its crop-then-resize for sources of at least 100x100 and
 * resize-then-crop below, its rounding) and its Linear (triangle) resampling, alpha-weighted.
 * A download may ask for 100x100 or a size listed in the file field's `thumbs`; a thumb is
 * made only when the original's stored content type is image/png, image/jpg, image/jpeg,
 * image/gif or image/webp. Only the first frame of a GIF/WebP is used, JPEG EXIF orientation
 * is applied. The thumb keeps the JPEG or GIF format and content type; everything else
 * (PNG, WebP) becomes PNG. It is stored once as `thumbs_<name>/<size>_<name>` and reused.
 * Any failure to make it means the original is served, as PocketBase does.
 *
 * Threads: nothing here starts threads or keeps state; libvips is set up once by
 * pb_thumb_init (one worker per pipeline, no operation cache, untrusted loaders blocked),
 * and the files' bytes are only ever decoded by the JPEG, PNG, GIF and WebP loaders. The
 * callers run pb_thumb_get on their blocking pool, bounded by pb_thumb_limits_from_env like
 * PocketBase's semaphore, and should coalesce concurrent requests for one thumb path
 * (PocketBase uses a singleflight group); concurrent creators are safe anyway, each writes
 * its own temp file and the last rename wins. */
#ifndef POCKETC_CORE_THUMB_H
#define POCKETC_CORE_THUMB_H

#include <jansson.h>
#include <stdbool.h>

#include "core/error.h"

/* The size every file field allows besides its own `thumbs` list. */
#define PB_THUMB_DEFAULT_SIZE "100x100"
/* Sides above this are refused (the original is served): no PocketBase limit, a guard
 * against an accidental 100000x100000 thumb filling the disk. */
#define PB_THUMB_SIDE_MAX 16384

enum pb_thumb_mode {
	PB_THUMB_CENTER, /* WxH, and 0xH / Wx0 (resize) */
	PB_THUMB_TOP,    /* WxHt */
	PB_THUMB_BOTTOM, /* WxHb */
	PB_THUMB_FIT,    /* WxHf */
};

struct pb_thumb_spec {
	int width, height; /* one of them may be 0: keep the aspect ratio */
	enum pb_thumb_mode mode;
};

/* Parses `size` (borrowed). Returns 0 and fills *out, or -1 when it does not match the size
 * pattern, is 0x0, or a side exceeds PB_THUMB_SIDE_MAX. */
int pb_thumb_parse(const char *size, struct pb_thumb_spec *out);

/* True when a download may ask for `size`: it equals PB_THUMB_DEFAULT_SIZE or one of the
 * strings of `field_thumbs` (borrowed JSON array, the file field's `thumbs`; NULL = none).
 * Exact string comparison, like apis/file.go; the format is checked by pb_thumb_get. */
bool pb_thumb_size_allowed(const char *size, const json_t *field_thumbs);

/* What imaging does to a src_w x src_h image for `spec`: optionally crop the source
 * (crop1), resize to resize_w x resize_h (equal to the input size = no resize), then
 * optionally crop again (crop2). out_w/out_h is the final size (0x0 when imaging would
 * produce an empty image, which cannot be encoded). */
struct pb_thumb_plan {
	bool crop1;
	int c1_x, c1_y, c1_w, c1_h;
	int resize_w, resize_h;
	bool crop2;
	int c2_x, c2_y, c2_w, c2_h;
	int out_w, out_h;
};
void pb_thumb_plan(int src_w, int src_h, const struct pb_thumb_spec *spec, struct pb_thumb_plan *out);

/* Initialises libvips for the process: call once at start-up before any pb_thumb_get (also
 * from tests); `argv0` may be NULL. Sets one worker thread per pipeline, disables libvips'
 * operation cache (originals may change on disk) and blocks its untrusted loaders.
 * Returns 0, or -1 with err 500 when libvips cannot start. */
int pb_thumb_init(const char *argv0, struct pb_error *err);
/* Releases libvips at exit (after the last pb_thumb_get has returned). */
void pb_thumb_shutdown(void);

/* Renders the thumb of the image file `src_path` (borrowed) whose stored content type is
 * `content_type` for `spec` into a new malloc'd buffer (*out, *out_len; caller frees) and
 * sets *out_type to the thumb's static content type. Returns 0, or -1 with err 500 (the
 * message says why: unsupported or corrupt image, empty result, encoder failure). */
int pb_thumb_render(const char *src_path, const char *content_type, const struct pb_thumb_spec *spec, void **out,
                    size_t *out_len, const char **out_type, struct pb_error *err);

/* The path to serve for `<storage_root>/<collection_id>/<record_id>/<file_name>` asked with
 * `?thumb=<size>` (all borrowed; `size` NULL or "" = no thumb). The caller has checked the
 * size with pb_thumb_size_allowed (the field's list is not known here). Returns
 *    0  *path_out = the thumb, made now when it did not exist yet;
 *    1  *path_out = the original: no size was asked (err untouched), or a thumb was asked but
 *       not served — err then holds the reason, as PocketBase's FileDownloadRequestEvent
 *       ThumbError: 400 when the size is malformed or the content type is not an image, 500
 *       when making the thumb failed (PocketBase logs a warning for that one); the caller
 *       clears it;
 *   -1  err 404: a bad component, the original is missing, or its sidecar is unreadable
 *       (PocketBase's Attributes lookup fails the same way).
 * *path_out is malloc'd, the caller frees it; NULL on -1. */
int pb_thumb_get(const char *storage_root, const char *collection_id, const char *record_id, const char *file_name,
                 const char *size, char **path_out, struct pb_error *err);

/* PocketBase's thumb generation limits from the environment: PB_THUMBS_MAX_WORKERS
 * (default ncpu + 2) and PB_THUMBS_MAX_WAIT in seconds (default 60), each parsed like
 * cast.ToInt64 (decimal, 0x hex, leading-0 octal, a ".0…" tail dropped; anything else or
 * <= 0 gives the default). */
struct pb_thumb_limits {
	long long max_workers;
	long long max_wait_seconds;
};
void pb_thumb_limits_from_env(int ncpu, struct pb_thumb_limits *out);

#endif
