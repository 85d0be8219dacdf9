/* mime_xml — the XML document types mimetype v1.4.13 recognises below text/xml: a root
 * element name and an xmlns declaration within the first 512 bytes (RSS, Atom, X3D, KML,
 * XLIFF, COLLADA, GML, GPX, TCX, AMF, 3MF, XFDF, OWL) and XHTML (an HTML doctype or an
 * <html xmlns=…> within the first 1024 bytes, case- and whitespace-insensitive). */
#include <string.h>

#include "core/mime_internal.h"

struct xml_sig {
	const char *local; /* "" = any root */
	const char *xmlns; /* "" = not checked */
};

static const unsigned char *find(const unsigned char *h, size_t hn, const char *needle)
{
	return memmem(h, hn, needle, strlen(needle));
}

static bool is_ws(unsigned char c)
{
	return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

/* xml(): leading whitespace skipped; one of `sigs` (ends with {NULL, NULL}) matches. */
static bool xml_match(const unsigned char *in, size_t n, const struct xml_sig *sigs)
{
	while (n && is_ws(in[0])) {
		in++;
		n--;
	}
	if (n == 0)
		return false;
	if (n > 512)
		n = 512;
	for (; sigs->local; sigs++) {
		const unsigned char *l = *sigs->local ? find(in, n, sigs->local) : NULL;
		const unsigned char *x = *sigs->xmlns ? find(in, n, sigs->xmlns) : NULL;
		if (!*sigs->local) {
			if (x && x > in)
				return true;
		} else if (!*sigs->xmlns) {
			if (l && l > in)
				return true;
		} else if (l && x && l < x) {
			return true;
		}
	}
	return false;
}

#define XML_DETECTOR(fn, ...)                                                    \
	bool fn(const unsigned char *in, size_t n, bool truncated)                   \
	{                                                                            \
		(void)truncated;                                                         \
		static const struct xml_sig sigs[] = {__VA_ARGS__, {NULL, NULL}};        \
		return xml_match(in, n, sigs);                                           \
	}

XML_DETECTOR(pb_mime_rss, {"<rss", ""})
XML_DETECTOR(pb_mime_atom, {"<feed", "xmlns=\"http://www.w3.org/2005/Atom\""})
XML_DETECTOR(pb_mime_x3d, {"<X3D", "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema-instance\""})
XML_DETECTOR(pb_mime_kml, {"<kml", "xmlns=\"http://www.opengis.net/kml/2.2\""},
             {"<kml", "xmlns=\"http://earth.google.com/kml/2.0\""}, {"<kml", "xmlns=\"http://earth.google.com/kml/2.1\""},
             {"<kml", "xmlns=\"http://earth.google.com/kml/2.2\""})
XML_DETECTOR(pb_mime_xliff, {"<xliff", "xmlns=\"urn:oasis:names:tc:xliff:document:1.2\""})
XML_DETECTOR(pb_mime_collada, {"<COLLADA", "xmlns=\"http://www.collada.org/2005/11/COLLADASchema\""})
XML_DETECTOR(pb_mime_gml, {"", "xmlns:gml=\"http://www.opengis.net/gml\""},
             {"", "xmlns:gml=\"http://www.opengis.net/gml/3.2\""}, {"", "xmlns:gml=\"http://www.opengis.net/gml/3.3/exr\""})
XML_DETECTOR(pb_mime_gpx, {"<gpx", "xmlns=\"http://www.topografix.com/GPX/1/1\""})
XML_DETECTOR(pb_mime_tcx,
             {"<TrainingCenterDatabase", "xmlns=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\""})
XML_DETECTOR(pb_mime_amf, {"<amf", ""})
XML_DETECTOR(pb_mime_3mf, {"<model", "xmlns=\"http://schemas.microsoft.com/3dmanufacturing/core/2015/02\""})
XML_DETECTOR(pb_mime_xfdf, {"<xfdf", "xmlns=\"http://ns.adobe.com/xfdf/\""})
XML_DETECTOR(pb_mime_owl2, {"<Ontology", "xmlns=\"http://www.w3.org/2002/07/owl#\""})

/* scan.Match with IgnoreCase|CompactWS: upper-case pattern letters match either case, a
 * pattern space matches one or more whitespace bytes. Returns the matched length or 0. */
static size_t loose_match(const unsigned char *b, size_t n, const char *pat)
{
	const unsigned char *p = (const unsigned char *)pat;
	size_t l = n;
	while (n > 0 && *p) {
		if (*p >= 'A' && *p <= 'Z') {
			unsigned char c = b[0] >= 'a' && b[0] <= 'z' ? (unsigned char)(b[0] - 32) : b[0];
			if (c != *p)
				return 0;
			b++, n--, p++;
		} else if (is_ws(*p)) {
			p++;
			if (!is_ws(b[0]))
				return 0;
			b++, n--;
			if (!is_ws(*p))
				while (n && is_ws(b[0]))
					b++, n--;
		} else {
			if (b[0] != *p)
				return 0;
			b++, n--, p++;
		}
	}
	return *p ? 0 : l - n;
}

static bool loose_search(const unsigned char *in, size_t n, const char *pat)
{
	size_t pl = strlen(pat);
	for (size_t i = 0; i < n && n - i >= pl; i++)
		if (loose_match(in + i, n - i, pat))
			return true;
	return false;
}

bool pb_mime_xhtml(const unsigned char *in, size_t n, bool truncated)
{
	(void)truncated;
	if (n > 1024)
		n = 1024;
	return loose_search(in, n, "<!DOCTYPE HTML") || loose_search(in, n, "<HTML XMLNS=");
}
