/* mime_internal — detectors shared by mime.c (the type tree and binary signatures) and
 * mime_text.c (text formats and charsets). Every detector gets the sniffed prefix `in` of
 * `n` bytes (at most PB_MIME_READ_LIMIT) and whether that prefix reached the read limit (so
 * the file may go on; mimetype then tolerates a cut at the end). */
#ifndef POCKETC_CORE_MIME_INTERNAL_H
#define POCKETC_CORE_MIME_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#define PB_MIME_READ_LIMIT 3072 /* mimetype's default read limit */

bool pb_mime_text(const unsigned char *in, size_t n, bool truncated);
bool pb_mime_svg(const unsigned char *in, size_t n, bool truncated);
bool pb_mime_html(const unsigned char *in, size_t n, bool truncated);
bool pb_mime_xml(const unsigned char *in, size_t n, bool truncated);
bool pb_mime_json(const unsigned char *in, size_t n, bool truncated);
bool pb_mime_ndjson(const unsigned char *in, size_t n, bool truncated);
bool pb_mime_rtf(const unsigned char *in, size_t n, bool truncated);
bool pb_mime_csv(const unsigned char *in, size_t n, bool truncated);
bool pb_mime_tsv(const unsigned char *in, size_t n, bool truncated);
bool pb_mime_vcard(const unsigned char *in, size_t n, bool truncated);
bool pb_mime_icalendar(const unsigned char *in, size_t n, bool truncated);
/* children of text/xml (mime_xml.c) */
bool pb_mime_rss(const unsigned char *in, size_t n, bool truncated);
bool pb_mime_atom(const unsigned char *in, size_t n, bool truncated);
bool pb_mime_x3d(const unsigned char *in, size_t n, bool truncated);
bool pb_mime_kml(const unsigned char *in, size_t n, bool truncated);
bool pb_mime_xliff(const unsigned char *in, size_t n, bool truncated);
bool pb_mime_collada(const unsigned char *in, size_t n, bool truncated);
bool pb_mime_gml(const unsigned char *in, size_t n, bool truncated);
bool pb_mime_gpx(const unsigned char *in, size_t n, bool truncated);
bool pb_mime_tcx(const unsigned char *in, size_t n, bool truncated);
bool pb_mime_amf(const unsigned char *in, size_t n, bool truncated);
bool pb_mime_3mf(const unsigned char *in, size_t n, bool truncated);
bool pb_mime_xfdf(const unsigned char *in, size_t n, bool truncated);
bool pb_mime_owl2(const unsigned char *in, size_t n, bool truncated);
bool pb_mime_xhtml(const unsigned char *in, size_t n, bool truncated);

/* Charset of plain text / HTML / XML content (first 1024 bytes), written NUL-terminated
 * into out (cap bytes, truncating); "" when unknown (then no charset parameter is added). */
void pb_mime_charset_plain(const unsigned char *in, size_t n, char *out, size_t cap);
void pb_mime_charset_html(const unsigned char *in, size_t n, char *out, size_t cap);
void pb_mime_charset_xml(const unsigned char *in, size_t n, char *out, size_t cap);

#endif
