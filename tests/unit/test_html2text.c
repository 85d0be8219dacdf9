/* test_html2text — pb_html2text against the plain-text alternative PocketBase derives from
 * an HTML body (tools/mailer/html2text.go). The small vectors include the ones of
 * html2text_test.go; the others, and the e-mail sized document, have their expected text
 * from running PocketBase's html2Text (golang.org/x/net/html) over the same input. */
#include <stdlib.h>

#include "core/html2text.h"
#include "test.h"

static const struct {
	const char *html, *text;
} vectors[] = {
	{"",
	 ""},
	{"ab  c",
	 "ab c"},
	{"<!-- test html comment -->",
	 ""},
	{"<!-- test html comment -->   a   ",
	 "a"},
	{"<span>a</span>b<span>c</span>",
	 "abc"},
	{"<a href=\"a/b/c\">test</span>",
	 "[test](a/b/c)"},
	{"<a href=\"\">test</span>",
	 "[test]"},
	{"<span>a</span>  <span>b</span>",
	 "a b"},
	{"<span>a</span>   b   <span>c</span>",
	 "a b c"},
	{"<span>a</span>   b   <div>c</div>",
	 "a b \r\nc"},
	{"<p>Hello &amp; welcome &lt;b&gt; &quot;x&quot; &#39;y&#39; &#x41;&#66; &nbsp;z&copy;</p>",
	 "Hello & welcome <b> \"x\" 'y' AB \xc2\xa0z\xc2\xa9"},
	{"<p>a</p><p>b<br>c</p><ul><li>one</li><li><a href='http://x/?a=1&amp;b=2'>two</a></li></ul>",
	 "a\r\nb\r\nc\r\n- one\r\n- [two](http://x/?a=1&b=2)"},
	{"<a>no href</a> <a href=\"u\"></a> <a href=u><img src=x></a>",
	 "[no href] [LINK](u) [LINK](u)"},
	{"<title>T</title><p>body</p>",
	 "T\r\nbody"},
	{"<html><head><title>Title here</title></head><body>inline text<div>block</div></body></html>",
	 "Title here\r\ninline text\r\nblock"},
	{"<p>x <!-- c --> y</p><p>a </span> b</p>",
	 "x  y\r\na b"},
	{"<table><tr><td>a</td><td>b</td></tr></table>",
	 "a\r\nb"},
	{"<h1>Head</h1><p>Par <strong>bold</strong> <em>it</em></p><hr><p>end</p>",
	 "Head\r\nPar bold it\r\nend"},
	{"text<script>var a = '<p>';</script>after<style>p{}</style>x<textarea>t</textarea>y",
	 "textafterxy"},
	{"<select><option>1</option></select>z<button>b</button>w<form><p>f</p></form>v",
	 "zwv"},
	{"<div><a href='l1'>one<div>inner</div></a></div>",
	 "[one\r\ninner](l1)"},
	{"<p>line1<br/>line2</br>line3</p>",
	 "line1\r\nline2\r\nline3"},
	{"a\xc2\xa0""b \xc2\xa0<p>\xc2\xa0</p>",
	 "a\xc2\xa0""b"},
	{"<svg><text>s</text></svg>after",
	 "after"},
	{"<p>\xc3\x9cn\xc3\xaf""c\xc3\xb6""d\xc3\xa9 \xe2\x9c\x93</p>",
	 "\xc3\x9cn\xc3\xaf""c\xc3\xb6""d\xc3\xa9 \xe2\x9c\x93"},
	{"< not a tag > 3 < 4",
	 "< not a tag > 3 < 4"},
	{"<p>x</p>\n\n\t  <p>y</p>",
	 "x \r\ny"},
	{"<ol><li>a<li>b</ol>",
	 "- a\r\n- b"},
};

/* A newsletter-like document: head with title/style/script, comment, table layout, lists,
 * links with entities in href, an image-only link, a form, &nbsp; and &copy;. */
static const char big_doc[] =
	"<!DOCTYPE html>\n"
	"<html lang=\"en\">\n"
	"  <head>\n"
	"    <meta charset=\"utf-8\">\n"
	"    <title>Weekly digest</title>\n"
	"    <style>\n"
	"      .x { color: red; }\n"
	"    </style>\n"
	"    <script>if (a < b) { document.write(\"<p>no</p>\"); }</script>\n"
	"  </head>\n"
	"  <body>\n"
	"    <!-- preheader -->\n"
	"    <table class=\"outer\">\n"
	"      <tr>\n"
	"        <td>\n"
	"          <h2>Your week at   Acme</h2>\n"
	"          <p>Three things happened &mdash; here they are:</p>\n"
	"          <ol>\n"
	"            <li>New <strong>comment</strong> on <a href=\"https://acme.test/p/1?x=1&amp;y=2\">your post</a></li>\n"
	"            <li>Two <em>likes</em></li>\n"
	"            <li><a href=\"https://acme.test/settings\"><img src=\"cog.png\" alt=\"settings\"></a></li>\n"
	"          </ol>\n"
	"          <p>\n"
	"            Questions? Reply to this mail<br>\n"
	"            or visit <a href='https://acme.test/help'>the help centre</a>.\n"
	"          </p>\n"
	"          <form action=\"/x\"><input type=\"submit\" value=\"Unsubscribe\"></form>\n"
	"          <p class=\"small\"><small>&copy; 2024 Acme&nbsp;Inc.</small></p>\n"
	"        </td>\n"
	"      </tr>\n"
	"    </table>\n"
	"  </body>\n"
	"</html>\n";

static const char big_text[] =
	"Weekly digest    \r\nYour week at Acme \r\nThree things happened \xe2\x80\x94 here they are: \r\n- New comment on [your post](https://acme.test/p/1?x=1&y=2) \r\n- Two likes \r\n- [LINK](https://acme.test/settings)Questions? Reply to this mail\r\nor visit [the help centre](https://acme.test/help).   \r\n\xc2\xa9 2024 Acme\xc2\xa0Inc.";

int main(void)
{
	for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
		char *t = pb_html2text(vectors[i].html);
		CHECK_STR(t, vectors[i].text);
		free(t);
	}

	char *t = pb_html2text(big_doc);
	CHECK_STR(t, big_text);
	free(t);

	t = pb_html2text(NULL);
	CHECK_STR(t, "");
	free(t);

	/* an unterminated tag at the end is dropped, an open link is closed at the end */
	t = pb_html2text("<p>a</p><a href=\"x\">b<span");
	CHECK_STR(t, "a[b](x)");
	free(t);

	TEST_DONE();
}
