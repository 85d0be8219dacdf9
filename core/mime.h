/* mime — content-type sniffing of uploaded files as PocketBase does it with
 * github.com/gabriel-vasile/mimetype v1.4.13 (the stored Content-Type, the file field's
 * mimeTypes validation and the extension given to names without one): the first 3072 bytes
 * are matched against a tree of signatures rooted at application/octet-stream, the first
 * matching child wins and its own children refine it; text/plain, text/html and text/xml get
 * a "; charset=…" parameter. A subset of mimetype's tree is implemented, in its order:
 * 7z, zip (docx, pptx, xlsx, epub, OpenDocument formats), pdf, postscript, psd, ogg (audio,
 * video), png (apng), jpeg, jxl, gif, webp, bz2, tiff, bmp, ico, mp3, flac, midi, wav, aiff,
 * mpeg, quicktime, mp4 (avif, 3gp, 3g2, m4a, m4v, heic/heif and the other ftyp brands), webm,
 * avi, flv, mkv, asf, aac, gzip, woff, woff2, sqlite3, zstd, xz, and text (svg, html, xml
 * with its document types — rss, atom, kml, gpx, xhtml, … —, json, ndjson, rtf, csv, tsv,
 * vcard, icalendar). Formats outside that subset come out as
 * their nearest supported ancestor (usually application/octet-stream or text/plain). */
#ifndef POCKETC_CORE_MIME_H
#define POCKETC_CORE_MIME_H

#include <stdbool.h>
#include <stddef.h>

#define PB_MIME_MAX 1100 /* type + "; charset=" + a charset declared in the first 1024 bytes */

struct pb_mime {
	char type[PB_MIME_MAX];  /* e.g. "image/png", "text/plain; charset=utf-8" */
	const char *extension;   /* static: ".png", ".txt", … or "" (application/octet-stream) */
	const char *aliases;     /* static: space-separated alternative type names, or "" */
};

/* Detects the type of `len` bytes (only the first 3072 are looked at; len may be 0, data may
 * then be NULL) into *out and returns out->type. Never fails. */
const char *pb_mime_detect(const unsigned char *data, size_t len, struct pb_mime *out);

/* mimetype's MIME.Is: whether `expected` (parameters ignored, case-insensitive) names the
 * detected type or one of its aliases, e.g. pb_mime_is(m, "image/x-ms-bmp") for a BMP. */
bool pb_mime_is(const struct pb_mime *m, const char *expected);

#endif
