/* test_mime — content sniffing (core/mime.h) against mimetype v1.4.13, the library
 * PocketBase uses for uploads: the byte strings and expected types of the table below are
 * the cases of mimetype's own mimetype_test.go for the formats implemented here; the other
 * checks cover Office zips, charsets (BOM, byte classes, <meta>, XML encoding), inputs cut
 * at the 3072-byte read limit, empty input, the extension and MIME.Is with aliases. */
#include <stdlib.h>
#include <string.h>

#include "core/mime.h"
#include "test.h"

static const struct {
	const char *name;
	const char *data;
	size_t len;
	const char *want;
} cases[] = {
	{"png", "\x89PNG\x0d\x0a\x1a\x0a", 8, "image/png"},
	{"apng", "\x89PNG\x0d\x0a\x1a\x0a\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" "acTL", 41, "image/vnd.mozilla.apng"},
	{"jpg", "\xff\xd8\xff", 3, "image/jpeg"},
	{"gif 87", "GIF87a", 6, "image/gif"},
	{"webp", "RIFFhv\x00\x00WEBPV", 13, "image/webp"},
	{"bmp0", "BM            0\x00\x00\x00", 18, "image/bmp"},
	{"ico 01", "\x00\x00\x01\x00", 4, "image/x-icon"},
	{"svg no xml header", "<svg xmlns=\x22http://www.w3.org/2000/svg\x22", 39, "image/svg+xml"},
	{"svg xml header", "\x0a<\x3fxml version=\x22" "1.0\x22 encoding=\x22UTF-8\x22 standalone=\x22no\x22\x3f>\x0a<svg width=\x22" "391\x22 height=\x22" "391\x22 viewBox=\x22-70.5 -70.5 391 391\x22 xmlns=\x22http://www.w3.org/2000/svg\x22 xmlns:xlink=\x22http://www.w3.org/1999/xlink\x22>\x0a    <rect fill=\x22#fff\x22 stroke=\x22#000\x22 x=\x22-70\x22 y=\x22-70\x22 width=\x22" "390\x22 height=\x22" "390\x22/>\x0a</svg>\x0a", 281, "image/svg+xml"},
	{"svg with comment prefix", "<!-- this comment should not affect --><svg xmlns=\x22http://www.w3.org/2000/svg\x22", 78, "image/svg+xml"},
	{"pdf", "%PDF-", 5, "application/pdf"},
	{"zip", "PK\x03\x04", 4, "application/zip"},
	{"mp4 1", "\x00\x00\x00\x18" "ftyp0000", 12, "video/mp4"},
	{"webm", "\x1a" "E\xdf\xa3\x01\x00\x00\x00\x00\x00\x00\x1f" "B\x86\x81\x01" "B\xf7\x81\x01" "B\xf2\x81\x04" "B\xf3\x81\x08" "B\x82\x84webm", 35, "video/webm"},
	{"mp3", "ID3\x03", 4, "audio/mpeg"},
	{"mp3 v1 notag", "\xff\xfb\xc8\x00", 4, "audio/mpeg"},
	{"wav", "RIFF\xba\xa5\x04\x00WAVEf", 13, "audio/wav"},
	{"ogg", "OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x80\xbc\x81_\x00\x00\x00\x00\xd0\xfbP\x84\x01@fishead\x00\x03", 37, "video/ogg"},
	{"ogg spx oga", "OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\xc7w\xaa\x15\x00\x00\x00\x00V&\x88\x89\x01PSpeex   1", 37, "audio/ogg"},
	{"json", "{\x22" "a\x22:\x22" "b\x22, \x22" "c\x22:[{\x22" "a\x22:\x22" "b\x22},1,true,false,\x22" "abc\x22]}", 45, "application/json"},
	{"json issue#239", "{\x0a\x09\x09\x22key\x22:\x22val\x22}\x0a", 17, "application/json"},
	{"json.int.txt", "1", 1, "text/plain; charset=utf-8"},
	{"html", "<HtMl><bOdY>blah blah blah</body></html>", 40, "text/html; charset=utf-8"},
	{"html with encoding", "<Html><Head><metA Http-EquiV=\x22" "Content-Type\x22 Content=\x22text/html; charset=iso-8859-1\x22>", 84, "text/html; charset=iso-8859-1"},
	{"html with comment prefix", "<!-- this comment should not affect --><html><head>", 51, "text/html; charset=utf-8"},
	{"html empty", "<HTML></HTML>", 13, "text/html; charset=utf-8"},
	{"xml", "<\x3fxml ", 6, "text/xml; charset=utf-8"},
	{"xml withbr", "\x0d\x0a<\x3fxml ", 8, "text/xml; charset=utf-8"},
	{"csv", "1,2\x0a\x22" "abc\x22,\x22" "def\x22\x0a" "a,\x22" "b", 20, "text/csv"},
	{"csv with \\r\\n", "1,2\x0d\x0a" "3,4\x0d\x0a" "a,b", 13, "text/csv"},
	{"txt iso88591", "\x0a\xe6\xf8\xe6\xf8\xe5\xe6\xf8\xe5\xe5\x0a", 11, "text/plain; charset=iso-8859-1"},
	{"utf16bebom txt", "\xfe\xff\x00t\x00h\x00i\x00s", 10, "text/plain; charset=utf-16be"},
	{"utf32lebom txt", "\xff\xfe\x00\x00t\x00\x00\x00h\x00\x00\x00i\x00\x00\x00s\x00\x00\x00", 20, "text/plain; charset=utf-32le"},
	{"utf8ctrlchars", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\x10", 16, "application/octet-stream"},
	{"avif", "\x00\x00\x00\x18" "ftypavif", 12, "image/avif"},
	{"heic", "\x00\x00\x00\x18" "ftypheic", 12, "image/heic"},
	{"epub", "PK\x03\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00mimetypeapplication/epub+zip", 58, "application/epub+zip"},
	{"odt", "PK\x03\x04\x14\x00\x00\x08\x00\x00\xbbP\xa8N^\xc6" "2\x0a'\x00\x00\x00'\x00\x00\x00\x08\x00\x00\x00mimetypeapplication/vnd.oasis.opendocument.text", 77, "application/vnd.oasis.opendocument.text"},
	{"ndjson", "{\x22key\x22:\x22val\x22}\x0a{\x22key\x22:\x22val\x22}", 27, "application/x-ndjson"},
	{"ndjson with before&after lines", "\x0a\x09\x09{\x22key\x22:\x22val\x22}\x0a\x09\x09{\x22key\x22:\x22val\x22}\x0a", 33, "application/x-ndjson"},
	{"vcf", "BEGIN:VCARD\x0aV", 13, "text/vcard"},
	{"ics", "BEGIN:VCALENDAR\x0a" "00", 18, "text/calendar"},
	{"rtf", "{\x5crtf", 5, "text/rtf"},
	{"sqlite", "SQLite format 3\x00", 16, "application/vnd.sqlite3"},
	{"flac", "fLaC\x00\x00\x00\x22", 8, "audio/flac"},
	{"woff2", "wOF2", 4, "font/woff2"},
	{"tsv", "a\x09\x22" "b\x22\x09" "c\x0a" "1\x09" "2\x09" "3", 13, "text/tab-separated-values"},
	{"xz", "\xfd" "7zXZ\x00", 6, "application/x-xz"},
	{"zst", "(\xb5/\xfd", 4, "application/zstd"},
};

static const char *detect(const void *data, size_t len)
{
	static struct pb_mime m;
	return pb_mime_detect(data, len, &m);
}

/* A zip local file header for `name` (offset 0x1A: name length; 0x1E: the name). */
static size_t zip_entry(unsigned char *out, const char *name)
{
	size_t l = strlen(name);
	memset(out, 0, 30);
	memcpy(out, "PK\x03\x04", 4);
	out[0x1A] = (unsigned char)l;
	memcpy(out + 30, name, l);
	memcpy(out + 30 + l, "data", 4);
	return 30 + l + 4;
}

static void test_table(void)
{
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const char *got = detect(cases[i].data, cases[i].len);
		if (strcmp(got, cases[i].want) != 0)
			fprintf(stderr, "case %s\n", cases[i].name);
		CHECK_STR(got, cases[i].want);
	}
}

static void test_office(void)
{
	unsigned char buf[512];
	size_t n = zip_entry(buf, "[Content_Types].xml");
	n += zip_entry(buf + n, "_rels/.rels");
	size_t base = n;
	n += zip_entry(buf + n, "word/document.xml");
	CHECK_STR(detect(buf, n), "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
	n = base + zip_entry(buf + base, "xl/workbook.xml");
	CHECK_STR(detect(buf, n), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
	n = base + zip_entry(buf + base, "ppt/presentation.xml");
	CHECK_STR(detect(buf, n), "application/vnd.openxmlformats-officedocument.presentationml.presentation");
	/* the first entry must be an Office part, otherwise it is a plain zip */
	n = zip_entry(buf, "readme.txt");
	n += zip_entry(buf + n, "word/document.xml");
	CHECK_STR(detect(buf, n), "application/zip");
	/* an OpenDocument template is a child of its document type */
	n = zip_entry(buf, "mimetypeapplication/vnd.oasis.opendocument.text-template");
	CHECK_STR(detect(buf, n), "application/vnd.oasis.opendocument.text-template");
}

static void test_charsets(void)
{
	CHECK_STR(detect("plain ascii\n", 12), "text/plain; charset=utf-8");
	CHECK_STR(detect("caf\xC3\xA9!", 6), "text/plain; charset=utf-8");
	/* mimetype drops the last rune before its UTF-8 check even when complete, so a text whose
	 * only non-ASCII character ends it is classified by byte classes */
	CHECK_STR(detect("caf\xC3\xA9", 5), "text/plain; charset=iso-8859-1");
	/* a rune cut at the end does not spoil UTF-8 */
	CHECK_STR(detect("caf\xC3\xA9 \xE2\x82", 8), "text/plain; charset=utf-8");
	CHECK_STR(detect("caf\xE9", 4), "text/plain; charset=iso-8859-1");
	CHECK_STR(detect("dash\x85 caf\xE9", 10), "text/plain; charset=windows-1252");
	/* other C1 bytes: no charset can be named */
	CHECK_STR(detect("x\x81y", 3), "text/plain");
	CHECK_STR(detect("\xEF\xBB\xBFhi", 5), "text/plain; charset=utf-8");
	CHECK_STR(detect("\xFF\xFEh\x00", 4), "text/plain; charset=utf-16le");
	/* binary bytes make it octet-stream */
	CHECK_STR(detect("ab\x00" "cd", 5), "application/octet-stream");
	CHECK_STR(detect("ab\x1b" "cd", 5), "text/plain; charset=utf-8");
	/* HTML: <meta charset>, http-equiv + content, a content without the pragma is ignored */
	const char *h1 = "<html><head><meta charset=\"Shift_JIS\"></head>";
	CHECK_STR(detect(h1, strlen(h1)), "text/html; charset=Shift_JIS");
	const char *h2 = "<!DOCTYPE html><meta content='text/html; charset=koi8-r' http-equiv=content-type>";
	CHECK_STR(detect(h2, strlen(h2)), "text/html; charset=koi8-r");
	const char *h3 = "<html><meta content=\"text/html; charset=koi8-r\"><p>caf\xC3\xA9!";
	CHECK_STR(detect(h3, strlen(h3)), "text/html; charset=utf-8");
	const char *h4 = "<html><body><meta charset=\"koi8-r\">";
	CHECK_STR(detect(h4, strlen(h4)), "text/html; charset=utf-8");
	/* XML: the encoding attribute as written */
	const char *x1 = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><note/>";
	CHECK_STR(detect(x1, strlen(x1)), "text/xml; charset=UTF-8");
	const char *x2 = "  <?xml version='1.0' encoding='ISO-8859-1'?>\n<a>\xE9</a>";
	CHECK_STR(detect(x2, strlen(x2)), "text/xml; charset=ISO-8859-1");
	/* SVG and JSON get no charset */
	const char *s1 = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\"></svg>";
	CHECK_STR(detect(s1, strlen(s1)), "image/svg+xml");
	const char *s2 = "<svg width=\"1\"></svg>";
	CHECK_STR(detect(s2, strlen(s2)), "text/plain; charset=utf-8");
}

static void test_limits(void)
{
	/* empty input is text/plain without charset */
	CHECK_STR(detect(NULL, 0), "text/plain");
	CHECK_STR(detect("", 0), "text/plain");
	/* JSON cut by the 3072-byte read limit still counts; a complete invalid one does not */
	size_t n = 5000;
	char *big = malloc(n);
	big[0] = '[';
	for (size_t i = 1; i < n; i += 2) {
		big[i] = '1';
		if (i + 1 < n)
			big[i + 1] = ',';
	}
	CHECK_STR(detect(big, n), "application/json");
	CHECK_STR(detect(big, 3000), "text/plain; charset=utf-8");
	big[3000] = 'x';
	CHECK_STR(detect(big, n), "text/plain; charset=utf-8");
	/* mimetype's scanner is lenient: trailing commas are accepted */
	CHECK_STR(detect("[1,2,]", 6), "application/json");
	CHECK_STR(detect("{\"a\":1,}", 8), "application/json");
	CHECK_STR(detect("{\"a\":1", 6), "text/plain; charset=utf-8");
	/* binary bytes past the read limit are not seen */
	memset(big, 'a', n);
	big[4000] = '\0';
	CHECK_STR(detect(big, n), "text/plain; charset=utf-8");
	big[100] = '\0';
	CHECK_STR(detect(big, n), "application/octet-stream");
	/* CSV needs consistent field counts */
	CHECK_STR(detect("a,b\n1,2\n3,4\n", 12), "text/csv");
	CHECK_STR(detect("a,b\n1,2,3\n", 10), "text/plain; charset=utf-8");
	const char *c3 = "a,b\n\"multi\nline\",2\n";
	CHECK_STR(detect(c3, strlen(c3)), "text/csv");
	free(big);
}

static void test_is_and_extension(void)
{
	struct pb_mime m;
	pb_mime_detect((const unsigned char *)"BM            \x28\x00\x00\x00", 18, &m);
	CHECK_STR(m.type, "image/bmp");
	CHECK_STR(m.extension, ".bmp");
	CHECK(pb_mime_is(&m, "image/bmp"));
	CHECK(pb_mime_is(&m, "IMAGE/X-MS-BMP"));
	CHECK(pb_mime_is(&m, " image/x-bmp ; q=1"));
	CHECK(!pb_mime_is(&m, "image/png"));
	CHECK(!pb_mime_is(&m, "image/"));
	CHECK(!pb_mime_is(&m, ""));
	pb_mime_detect((const unsigned char *)"hello", 5, &m);
	CHECK_STR(m.type, "text/plain; charset=utf-8");
	CHECK_STR(m.extension, ".txt");
	CHECK(pb_mime_is(&m, "text/plain"));
	CHECK(pb_mime_is(&m, "text/plain; charset=iso-8859-1"));
	pb_mime_detect((const unsigned char *)"\x00\x01", 2, &m);
	CHECK_STR(m.type, "application/octet-stream");
	CHECK_STR(m.extension, "");
	pb_mime_detect((const unsigned char *)"\x1f\x8b\x08", 3, &m);
	CHECK_STR(m.type, "application/gzip");
	CHECK_STR(m.extension, ".gz");
	CHECK(pb_mime_is(&m, "application/x-gzip"));
	pb_mime_detect((const unsigned char *)"\x00\x00\x00\x18" "ftypmqt ", 12, &m);
	CHECK_STR(m.type, "video/quicktime");
	CHECK_STR(m.extension, ".mqv");
}

int main(void)
{
	test_table();
	test_office();
	test_charsets();
	test_limits();
	test_is_and_extension();
	TEST_DONE();
}
