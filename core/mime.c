/* mime — mimetype's detection tree (see mime.h) with its binary signatures; the text
 * detectors and charsets live in mime_text.c / mime_json.c. The tree is constant data:
 * each node has a detector and ordered children, the first child whose detector matches
 * is descended into, and the deepest match is the result. */
#include "core/mime.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/mime_internal.h"

typedef bool (*detect_fn)(const unsigned char *in, size_t n, bool truncated);

struct node {
	const char *mime;
	const char *ext;
	const char *aliases;
	detect_fn detect;
	const struct node *const *children; /* NULL-terminated, or NULL */
};

static bool prefix(const unsigned char *in, size_t n, const void *sig, size_t len)
{
	return n >= len && memcmp(in, sig, len) == 0;
}

#define PREFIX(lit) prefix(in, n, lit, sizeof lit - 1)

/* mimetype's offset(): the signature at `off` (which must be inside the input). */
static bool at(const unsigned char *in, size_t n, size_t off, const char *sig)
{
	return n > off && prefix(in + off, n - off, sig, strlen(sig));
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

#define DETECTOR(name) static bool name(const unsigned char *in, size_t n, bool truncated)
#define UNUSED (void)truncated

DETECTOR(d_root) { UNUSED; (void)in; (void)n; return true; }
DETECTOR(d_7z) { UNUSED; return PREFIX("\x37\x7A\xBC\xAF\x27\x1C"); }
DETECTOR(d_zip)
{
	UNUSED;
	return n > 3 && in[0] == 'P' && in[1] == 'K' && (in[2] == 3 || in[2] == 5 || in[2] == 7) &&
	       (in[3] == 4 || in[3] == 6 || in[3] == 8);
}

/* The entry names of the local file headers ("PK\3\4"), as mimetype's zip iterator sees them. */
static bool zip_next(const unsigned char **p, size_t *n, const unsigned char **name, size_t *len)
{
	const unsigned char *pk = memmem(*p, *n, "PK\003\004", 4);
	if (!pk)
		return false;
	size_t off = (size_t)(pk - *p);
	if (*n - off < 0x1A + 2 + 2)
		return false;
	size_t l = pk[0x1A] | (size_t)pk[0x1B] << 8;
	const unsigned char *nm = pk + 0x1A + 4;
	size_t rest = *n - off - 0x1A - 4;
	if (rest < l)
		return false;
	*p = nm;
	*n = rest;
	*name = nm;
	*len = l;
	return l > 0;
}

/* msoxml: one of the first 100 entries starts with `dir`; the first entry must look like an
 * Office package part. */
static bool msoxml(const unsigned char *in, size_t n, const char *dir)
{
	const unsigned char *p = in, *name;
	size_t rest = n, len, dl = strlen(dir);
	for (int i = 0; i < 100 && zip_next(&p, &rest, &name, &len); i++) {
		if (len >= dl && memcmp(name, dir, dl) == 0)
			return true;
		if (i == 0 && !(len == 19 && memcmp(name, "[Content_Types].xml", 19) == 0) &&
		    !(len >= 6 && memcmp(name, "_rels/", 6) == 0) && !(len >= 9 && memcmp(name, "docProps/", 9) == 0) &&
		    !(len >= 10 && memcmp(name, "customXml/", 10) == 0) && !(len >= 8 && memcmp(name, "[trash]/", 8) == 0))
			return false;
	}
	return false;
}

DETECTOR(d_docx) { UNUSED; return msoxml(in, n, "word/"); }
DETECTOR(d_pptx) { UNUSED; return msoxml(in, n, "ppt/"); }
DETECTOR(d_xlsx) { UNUSED; return msoxml(in, n, "xl/"); }
DETECTOR(d_epub) { UNUSED; return at(in, n, 30, "mimetypeapplication/epub+zip"); }
#define OASIS(fn, kind) DETECTOR(fn) { UNUSED; return at(in, n, 30, "mimetypeapplication/vnd.oasis.opendocument." kind); }
OASIS(d_odt, "text")
OASIS(d_ott, "text-template")
OASIS(d_ods, "spreadsheet")
OASIS(d_ots, "spreadsheet-template")
OASIS(d_odp, "presentation")
OASIS(d_otp, "presentation-template")
OASIS(d_odg, "graphics")
OASIS(d_otg, "graphics-template")
OASIS(d_odf, "formula")
OASIS(d_odc, "chart")
DETECTOR(d_sxc) { UNUSED; return at(in, n, 30, "mimetypeapplication/vnd.sun.xml.calc"); }
DETECTOR(d_pdf) { UNUSED; return memmem(in, n < 1024 ? n : 1024, "%PDF-", 5) != NULL; }
DETECTOR(d_ps) { UNUSED; return PREFIX("%!PS-Adobe-"); }
DETECTOR(d_psd) { UNUSED; return PREFIX("8BPS"); }
DETECTOR(d_ogg) { UNUSED; return PREFIX("OggS\x00"); }
DETECTOR(d_ogg_audio)
{
	UNUSED;
	return n >= 37 && (at(in, n, 28, "\x7f" "FLAC") || at(in, n, 28, "\x01vorbis") || at(in, n, 28, "OpusHead") ||
	                   at(in, n, 28, "Speex   "));
}
DETECTOR(d_ogg_video)
{
	UNUSED;
	return n >= 37 && (at(in, n, 28, "\x80theora") || prefix(in + 28, n - 28, "fishead\0", 8) ||
	                   prefix(in + 28, n - 28, "\x01video\0\0\0", 9));
}
DETECTOR(d_png) { UNUSED; return PREFIX("\x89PNG\r\n\x1a\n"); }
DETECTOR(d_apng) { UNUSED; return at(in, n, 37, "acTL"); }
DETECTOR(d_jpg) { UNUSED; return PREFIX("\xFF\xD8\xFF"); }
DETECTOR(d_jxl) { UNUSED; return PREFIX("\xFF\x0A") || PREFIX("\x00\x00\x00\x0cJXL \x0d\x0a\x87\x0a"); }
DETECTOR(d_gif) { UNUSED; return PREFIX("GIF87a") || PREFIX("GIF89a"); }
DETECTOR(d_webp) { UNUSED; return n > 12 && memcmp(in, "RIFF", 4) == 0 && memcmp(in + 8, "WEBP", 4) == 0; }
DETECTOR(d_bz2) { UNUSED; return PREFIX("BZh"); }
DETECTOR(d_tiff) { UNUSED; return PREFIX("II*\x00") || PREFIX("MM\x00*"); }
DETECTOR(d_bmp)
{
	UNUSED;
	if (n < 18 || in[0] != 'B' || in[1] != 'M')
		return false;
	uint32_t f = le32(in + 14);
	return f == 48 || f == 24 || f == 16 || f == 64 || f == 52 || f == 56 || f == 40 || f == 124 || f == 108;
}
DETECTOR(d_ico) { UNUSED; return PREFIX("\x00\x00\x01\x00") || PREFIX("\x00\x00\x02\x00"); }
DETECTOR(d_mp3)
{
	UNUSED;
	if (n < 3)
		return false;
	if (PREFIX("ID3"))
		return true;
	unsigned v = ((unsigned)in[0] << 8 | in[1]) & 0xFFFE;
	return v == 0xFFFA || v == 0xFFF2 || v == 0xFFE2;
}
DETECTOR(d_flac) { UNUSED; return PREFIX("fLaC\x00\x00\x00\x22"); }
DETECTOR(d_midi) { UNUSED; return PREFIX("MThd"); }
DETECTOR(d_wav) { UNUSED; return n > 12 && memcmp(in, "RIFF", 4) == 0 && memcmp(in + 8, "WAVE", 4) == 0; }
DETECTOR(d_aiff) { UNUSED; return n > 12 && memcmp(in, "FORM", 4) == 0 && memcmp(in + 8, "AIFF", 4) == 0; }
DETECTOR(d_mpeg) { UNUSED; return n > 3 && PREFIX("\x00\x00\x01") && in[3] >= 0xB0 && in[3] <= 0xBF; }
DETECTOR(d_quicktime)
{
	UNUSED;
	if (n < 12)
		return false;
	if (memcmp(in + 4, "ftypqt  ", 8) == 0 || memcmp(in + 4, "ftypmoov", 8) == 0)
		return in[0] == 0;
	static const char atoms[][6] = {"moov", "mdat", "free", "skip", "pnot"};
	for (size_t i = 0; i < sizeof atoms / sizeof *atoms; i++)
		if (memcmp(in + 4, atoms[i], 5) == 0) /* the name plus a NUL byte */
			return true;
	return memcmp(in, "\x00\x00\x00\x08wide", 8) == 0;
}
DETECTOR(d_mp4) { UNUSED; return n >= 12 && in[0] == 0 && memcmp(in + 4, "ftyp", 4) == 0; }

/* An ISO base media file whose major brand (bytes 8–12) is one of `brands` (4 chars each). */
static bool ftyp(const unsigned char *in, size_t n, const char *brands)
{
	if (n < 12)
		return false;
	for (; *brands; brands += 4)
		if (memcmp(in + 8, brands, 4) == 0)
			return true;
	return false;
}
#define FTYP(fn, brands) DETECTOR(fn) { UNUSED; return ftyp(in, n, brands); }
FTYP(d_avif, "avifavis")
FTYP(d_3gp, "3gp13gp23gp33gp43gp53gp63gp73gs73ge63ge73gg6")
FTYP(d_3g2, "3g243g253g263g2a3g2b3g2cKDDI")
FTYP(d_amp4, "F4A F4B M4B M4P MSNVNDAS")
FTYP(d_mqv, "mqt ")
FTYP(d_m4a, "M4A ")
FTYP(d_m4v, "M4V M4VHM4VP")
FTYP(d_heic, "heicheix")
FTYP(d_heics, "hevchevx")
FTYP(d_heif, "mif1heimheisavic")
FTYP(d_heifs, "msf1hevmhevsavcs")
FTYP(d_mj2, "mj2smjp2MFSMMGSV")
FTYP(d_dvb, "dby1dsmsdts1dts2dts3dxo dmb1dmpfdrc1dv1adv1bdv2adv2bdv3adv3bdvr1dvt1emsg")

/* Matroska: an EBML header whose DocType element (0x4282) names `type`. */
static bool matroska(const unsigned char *in, size_t n, const char *type)
{
	if (!prefix(in, n, "\x1A\x45\xDF\xA3", 4))
		return false;
	const unsigned char *d = memmem(in, n < 4096 ? n : 4096, "\x42\x82", 2);
	if (!d || d == in)
		return false;
	size_t i = (size_t)(d - in) + 2;
	if (n <= i)
		return false;
	size_t w = 1;
	for (unsigned mask = 128; w < 8 && !(in[i] & mask); mask >>= 1)
		w++;
	return n > i + w && prefix(in + i + w, n - i - w, type, strlen(type));
}
DETECTOR(d_webm) { UNUSED; return matroska(in, n, "webm"); }
DETECTOR(d_mkv) { UNUSED; return matroska(in, n, "matroska"); }
DETECTOR(d_avi) { UNUSED; return n > 16 && memcmp(in, "RIFF", 4) == 0 && memcmp(in + 8, "AVI LIST", 8) == 0; }
DETECTOR(d_flv) { UNUSED; return PREFIX("FLV\x01"); }
DETECTOR(d_asf)
{
	UNUSED;
	return PREFIX("\x30\x26\xB2\x75\x8E\x66\xCF\x11\xA6\xD9\x00\xAA\x00\x62\xCE\x6C");
}
DETECTOR(d_aac) { UNUSED; return n > 1 && in[0] == 0xFF && (in[1] == 0xF1 || in[1] == 0xF9); }
DETECTOR(d_gzip) { UNUSED; return PREFIX("\x1f\x8b"); }
DETECTOR(d_woff) { UNUSED; return PREFIX("wOFF"); }
DETECTOR(d_woff2) { UNUSED; return PREFIX("wOF2"); }
DETECTOR(d_sqlite) { UNUSED; return PREFIX("SQLite format 3\x00"); }
DETECTOR(d_zstd)
{
	UNUSED;
	if (n < 4)
		return false;
	uint32_t s = le32(in);
	return (s >= 0xFD2FB522 && s <= 0xFD2FB528) || (s >= 0x184D2A50 && s <= 0x184D2A5F);
}
DETECTOR(d_xz) { UNUSED; return PREFIX("\xFD\x37\x7A\x58\x5A\x00"); }

#define LEAF(var, mime, ext, aliases, fn) static const struct node var = {mime, ext, aliases, fn, NULL}
#define KIDS(...) ((const struct node *const[]){__VA_ARGS__, NULL})

LEAF(n_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "", d_docx);
LEAF(n_pptx, "application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx", "", d_pptx);
LEAF(n_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "", d_xlsx);
LEAF(n_epub, "application/epub+zip", ".epub", "", d_epub);
LEAF(n_ott, "application/vnd.oasis.opendocument.text-template", ".ott",
     "application/x-vnd.oasis.opendocument.text-template", d_ott);
LEAF(n_ots, "application/vnd.oasis.opendocument.spreadsheet-template", ".ots",
     "application/x-vnd.oasis.opendocument.spreadsheet-template", d_ots);
LEAF(n_otp, "application/vnd.oasis.opendocument.presentation-template", ".otp",
     "application/x-vnd.oasis.opendocument.presentation-template", d_otp);
LEAF(n_otg, "application/vnd.oasis.opendocument.graphics-template", ".otg",
     "application/x-vnd.oasis.opendocument.graphics-template", d_otg);
static const struct node n_odt = {"application/vnd.oasis.opendocument.text", ".odt",
                                  "application/x-vnd.oasis.opendocument.text", d_odt, KIDS(&n_ott)};
static const struct node n_ods = {"application/vnd.oasis.opendocument.spreadsheet", ".ods",
                                  "application/x-vnd.oasis.opendocument.spreadsheet", d_ods, KIDS(&n_ots)};
static const struct node n_odp = {"application/vnd.oasis.opendocument.presentation", ".odp",
                                  "application/x-vnd.oasis.opendocument.presentation", d_odp, KIDS(&n_otp)};
static const struct node n_odg = {"application/vnd.oasis.opendocument.graphics", ".odg",
                                  "application/x-vnd.oasis.opendocument.graphics", d_odg, KIDS(&n_otg)};
LEAF(n_odf, "application/vnd.oasis.opendocument.formula", ".odf", "application/x-vnd.oasis.opendocument.formula", d_odf);
LEAF(n_odc, "application/vnd.oasis.opendocument.chart", ".odc", "application/x-vnd.oasis.opendocument.chart", d_odc);
LEAF(n_sxc, "application/vnd.sun.xml.calc", ".sxc", "", d_sxc);
static const struct node n_zip = {"application/zip", ".zip", "application/x-zip application/x-zip-compressed", d_zip,
                                  KIDS(&n_docx, &n_pptx, &n_xlsx, &n_epub, &n_odt, &n_ods, &n_odp, &n_odg, &n_odf,
                                       &n_odc, &n_sxc)};
LEAF(n_7z, "application/x-7z-compressed", ".7z", "", d_7z);
LEAF(n_pdf, "application/pdf", ".pdf", "application/x-pdf", d_pdf);
LEAF(n_ps, "application/postscript", ".ps", "", d_ps);
LEAF(n_psd, "image/vnd.adobe.photoshop", ".psd", "image/x-psd application/photoshop", d_psd);
LEAF(n_ogg_audio, "audio/ogg", ".oga", "", d_ogg_audio);
LEAF(n_ogg_video, "video/ogg", ".ogv", "", d_ogg_video);
static const struct node n_ogg = {"application/ogg", ".ogg", "application/x-ogg", d_ogg, KIDS(&n_ogg_audio, &n_ogg_video)};
LEAF(n_apng, "image/vnd.mozilla.apng", ".png", "", d_apng);
static const struct node n_png = {"image/png", ".png", "", d_png, KIDS(&n_apng)};
LEAF(n_jpg, "image/jpeg", ".jpg", "", d_jpg);
LEAF(n_jxl, "image/jxl", ".jxl", "", d_jxl);
LEAF(n_gif, "image/gif", ".gif", "", d_gif);
LEAF(n_webp, "image/webp", ".webp", "", d_webp);
LEAF(n_bz2, "application/x-bzip2", ".bz2", "", d_bz2);
LEAF(n_tiff, "image/tiff", ".tiff", "", d_tiff);
LEAF(n_bmp, "image/bmp", ".bmp", "image/x-bmp image/x-ms-bmp", d_bmp);
LEAF(n_ico, "image/x-icon", ".ico", "", d_ico);
LEAF(n_mp3, "audio/mpeg", ".mp3", "audio/x-mpeg audio/mp3", d_mp3);
LEAF(n_flac, "audio/flac", ".flac", "", d_flac);
LEAF(n_midi, "audio/midi", ".midi", "audio/mid audio/sp-midi audio/x-mid audio/x-midi", d_midi);
LEAF(n_wav, "audio/wav", ".wav", "audio/x-wav audio/vnd.wave audio/wave", d_wav);
LEAF(n_aiff, "audio/aiff", ".aiff", "audio/x-aiff", d_aiff);
LEAF(n_mpeg, "video/mpeg", ".mpeg", "", d_mpeg);
LEAF(n_quicktime, "video/quicktime", ".mov", "", d_quicktime);
LEAF(n_avif, "image/avif", ".avif", "", d_avif);
LEAF(n_3gp, "video/3gpp", ".3gp", "video/3gp audio/3gpp", d_3gp);
LEAF(n_3g2, "video/3gpp2", ".3g2", "video/3g2 audio/3gpp2", d_3g2);
LEAF(n_amp4, "audio/mp4", ".mp4", "audio/x-mp4a", d_amp4);
LEAF(n_mqv, "video/quicktime", ".mqv", "", d_mqv);
LEAF(n_m4a, "audio/x-m4a", ".m4a", "", d_m4a);
LEAF(n_m4v, "video/x-m4v", ".m4v", "", d_m4v);
LEAF(n_heic, "image/heic", ".heic", "", d_heic);
LEAF(n_heics, "image/heic-sequence", ".heic", "", d_heics);
LEAF(n_heif, "image/heif", ".heif", "", d_heif);
LEAF(n_heifs, "image/heif-sequence", ".heif", "", d_heifs);
LEAF(n_mj2, "video/mj2", ".mj2", "", d_mj2);
LEAF(n_dvb, "video/vnd.dvb.file", ".dvb", "", d_dvb);
static const struct node n_mp4 = {"video/mp4", ".mp4", "", d_mp4,
                                  KIDS(&n_avif, &n_3gp, &n_3g2, &n_amp4, &n_mqv, &n_m4a, &n_m4v, &n_heic, &n_heics,
                                       &n_heif, &n_heifs, &n_mj2, &n_dvb)};
LEAF(n_webm, "video/webm", ".webm", "audio/webm", d_webm);
LEAF(n_avi, "video/x-msvideo", ".avi", "video/avi video/msvideo", d_avi);
LEAF(n_flv, "video/x-flv", ".flv", "", d_flv);
LEAF(n_mkv, "video/x-matroska", ".mkv", "", d_mkv);
LEAF(n_asf, "video/x-ms-asf", ".asf", "video/asf video/x-ms-wmv", d_asf);
LEAF(n_aac, "audio/aac", ".aac", "", d_aac);
LEAF(n_gzip, "application/gzip", ".gz",
     "application/x-gzip application/x-gunzip application/gzipped application/gzip-compressed "
     "application/x-gzip-compressed gzip/document",
     d_gzip);
LEAF(n_woff, "font/woff", ".woff", "", d_woff);
LEAF(n_woff2, "font/woff2", ".woff2", "", d_woff2);
LEAF(n_sqlite, "application/vnd.sqlite3", ".sqlite", "application/x-sqlite3", d_sqlite);
LEAF(n_zstd, "application/zstd", ".zst", "", d_zstd);
LEAF(n_xz, "application/x-xz", ".xz", "", d_xz);

LEAF(n_svg, "image/svg+xml", ".svg", "", pb_mime_svg);
LEAF(n_html, "text/html", ".html", "", pb_mime_html);
LEAF(n_rss, "application/rss+xml", ".rss", "text/rss", pb_mime_rss);
LEAF(n_atom, "application/atom+xml", ".atom", "", pb_mime_atom);
LEAF(n_x3d, "model/x3d+xml", ".x3d", "", pb_mime_x3d);
LEAF(n_kml, "application/vnd.google-earth.kml+xml", ".kml", "", pb_mime_kml);
LEAF(n_xliff, "application/x-xliff+xml", ".xlf", "", pb_mime_xliff);
LEAF(n_collada, "model/vnd.collada+xml", ".dae", "", pb_mime_collada);
LEAF(n_gml, "application/gml+xml", ".gml", "", pb_mime_gml);
LEAF(n_gpx, "application/gpx+xml", ".gpx", "", pb_mime_gpx);
LEAF(n_tcx, "application/vnd.garmin.tcx+xml", ".tcx", "", pb_mime_tcx);
LEAF(n_amf, "application/x-amf", ".amf", "", pb_mime_amf);
LEAF(n_3mf, "application/vnd.ms-package.3dmanufacturing-3dmodel+xml", ".3mf", "", pb_mime_3mf);
LEAF(n_xfdf, "application/vnd.adobe.xfdf", ".xfdf", "", pb_mime_xfdf);
LEAF(n_owl2, "application/owl+xml", ".owl", "", pb_mime_owl2);
LEAF(n_xhtml, "application/xhtml+xml", ".html", "", pb_mime_xhtml);
static const struct node n_xml = {"text/xml", ".xml", "application/xml", pb_mime_xml,
                                  KIDS(&n_rss, &n_atom, &n_x3d, &n_kml, &n_xliff, &n_collada, &n_gml, &n_gpx, &n_tcx,
                                       &n_amf, &n_3mf, &n_xfdf, &n_owl2, &n_xhtml)};
LEAF(n_json, "application/json", ".json", "", pb_mime_json);
LEAF(n_ndjson, "application/x-ndjson", ".ndjson", "", pb_mime_ndjson);
LEAF(n_rtf, "text/rtf", ".rtf", "application/rtf", pb_mime_rtf);
LEAF(n_csv, "text/csv", ".csv", "", pb_mime_csv);
LEAF(n_tsv, "text/tab-separated-values", ".tsv", "", pb_mime_tsv);
LEAF(n_vcard, "text/vcard", ".vcf", "", pb_mime_vcard);
LEAF(n_ical, "text/calendar", ".ics", "", pb_mime_icalendar);
static const struct node n_text = {"text/plain", ".txt", "", pb_mime_text,
                                   KIDS(&n_svg, &n_html, &n_xml, &n_json, &n_ndjson, &n_rtf, &n_csv, &n_tsv, &n_vcard,
                                        &n_ical)};

static const struct node n_root = {
	"application/octet-stream", "", "", d_root,
	KIDS(&n_7z, &n_zip, &n_pdf, &n_ps, &n_psd, &n_ogg, &n_png, &n_jpg, &n_jxl, &n_gif, &n_webp, &n_bz2, &n_tiff,
	     &n_bmp, &n_ico, &n_mp3, &n_flac, &n_midi, &n_wav, &n_aiff, &n_mpeg, &n_quicktime, &n_mp4, &n_webm, &n_avi,
	     &n_flv, &n_mkv, &n_asf, &n_aac, &n_gzip, &n_woff, &n_woff2, &n_sqlite, &n_zstd, &n_xz, &n_text)};

const char *pb_mime_detect(const unsigned char *data, size_t len, struct pb_mime *out)
{
	static const unsigned char empty[1] = {0};
	const unsigned char *in = data ? data : empty;
	size_t n = data ? (len < PB_MIME_READ_LIMIT ? len : PB_MIME_READ_LIMIT) : 0;
	bool truncated = n >= PB_MIME_READ_LIMIT;
	const struct node *m = &n_root;
	for (bool descended = true; descended && m->children;) {
		descended = false;
		for (const struct node *const *c = m->children; *c; c++) {
			if ((*c)->detect(in, n, truncated)) {
				m = *c;
				descended = true;
				break;
			}
		}
	}
	char cs[PB_MIME_MAX - 32];
	cs[0] = '\0';
	size_t head = n < 1024 ? n : 1024;
	if (m == &n_text)
		pb_mime_charset_plain(in, head, cs, sizeof cs);
	else if (m == &n_html)
		pb_mime_charset_html(in, head, cs, sizeof cs);
	else if (m == &n_xml)
		pb_mime_charset_xml(in, head, cs, sizeof cs);
	if (cs[0])
		snprintf(out->type, sizeof out->type, "%s; charset=%s", m->mime, cs);
	else
		snprintf(out->type, sizeof out->type, "%s", m->mime);
	out->extension = m->ext;
	out->aliases = m->aliases;
	return out->type;
}

/* The media type of `s` as mime.ParseMediaType reports it (lower-cased, parameters
 * dropped), or false when it does not parse. */
static bool base_type(const char *s, char *out, size_t cap)
{
	size_t e = strcspn(s, ";");
	while (e > 0 && strchr(" \t\r\n\v\f", s[e - 1]))
		e--;
	while (e > 0 && strchr(" \t\r\n\v\f", *s)) {
		s++;
		e--;
	}
	if (e == 0 || e >= cap)
		return false;
	int slashes = 0;
	for (size_t i = 0; i < e; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '/') {
			if (++slashes > 1 || i == 0 || i + 1 == e)
				return false;
		} else if (c <= 0x20 || c >= 0x7f || strchr("()<>@,;:\\\"[]?=", c)) {
			return false;
		}
		out[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : (char)c;
	}
	out[e] = '\0';
	return true;
}

bool pb_mime_is(const struct pb_mime *m, const char *expected)
{
	char want[256], have[PB_MIME_MAX];
	if (!expected || !base_type(expected, want, sizeof want) || !base_type(m->type, have, sizeof have))
		return false;
	if (strcmp(want, have) == 0)
		return true;
	size_t wl = strlen(want);
	for (const char *a = m->aliases; a && *a;) {
		size_t l = strcspn(a, " ");
		if (l == wl && memcmp(a, want, l) == 0)
			return true;
		a += l;
		while (*a == ' ')
			a++;
	}
	return false;
}
