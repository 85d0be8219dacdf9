/* test_html — the HTML parser behind `:excerpt` (core/html.h). Each expected tree is what
 * golang.org/x/net/html.Parse builds for the same input (comments and doctypes left out),
 * written as name(children) with "text" in Go %q form and svg:/math: for foreign elements. */
#include "core/html.h"

#include <stdlib.h>

#include "core/strbuf.h"
#include "test.h"

static void serialize(const struct pb_html_node *n, struct pb_strbuf *b)
{
	if (n->type == PB_HTML_TEXT) {
		pb_strbuf_putc(b, '"');
		for (size_t i = 0; i < n->len; i++) {
			char c = n->data[i];
			if (c == '"' || c == '\\')
				pb_strbuf_printf(b, "\\%c", c);
			else if (c == '\n')
				pb_strbuf_puts(b, "\\n");
			else
				pb_strbuf_putc(b, c);
		}
		pb_strbuf_putc(b, '"');
		return;
	}
	if (n->type == PB_HTML_DOCUMENT)
		pb_strbuf_puts(b, "#doc");
	else
		pb_strbuf_printf(b, "%s%s",
		                 n->ns == PB_HTML_NS_SVG    ? "svg:"
		                 : n->ns == PB_HTML_NS_MATH ? "math:"
		                                            : "",
		                 n->data);
	pb_strbuf_putc(b, '(');
	for (const struct pb_html_node *c = n->first_child; c; c = c->next) {
		if (c != n->first_child)
			pb_strbuf_putc(b, ' ');
		serialize(c, b);
	}
	pb_strbuf_putc(b, ')');
}

static void check_tree(const char *html, const char *expected)
{
	struct pb_html_node *doc = pb_html_parse(html, strlen(html));
	struct pb_strbuf b = PB_STRBUF_INIT;
	if (doc)
		serialize(doc, &b);
	if (!doc || strcmp(pb_strbuf_cstr(&b), expected) != 0)
		fprintf(stderr, "input: %s\n", html);
	CHECK_STR(doc ? pb_strbuf_cstr(&b) : "(NULL)", expected);
	pb_strbuf_deinit(&b);
	pb_html_free(doc);
}

int main(void)
{
	check_tree("", "#doc(html(head() body()))");
	check_tree("hello", "#doc(html(head() body(\"hello\")))");
	check_tree("  <title>T</title> <p>a<b>b</b></p>", "#doc(html(head(title(\"T\") \" \") body(p(\"a\" b(\"b\")))))");
	check_tree("<p>one<p>two", "#doc(html(head() body(p(\"one\") p(\"two\"))))");
	check_tree("<ul><li>a<li>b</ul>c", "#doc(html(head() body(ul(li(\"a\") li(\"b\")) \"c\")))");
	check_tree("<table>x</table>", "#doc(html(head() body(\"x\" table())))");
	check_tree("<svg><circle/><p>x</p></svg>", "#doc(html(head() body(svg:svg(svg:circle()) p(\"x\"))))");
	check_tree("a &amp; &lt;b&gt; &#x41;&copy &#128512;", "#doc(html(head() body(\"a & <b> A© 😀\")))");
	check_tree("<script>if (a<b) x</script>y", "#doc(html(head(script(\"if (a<b) x\")) body(\"y\")))");
	check_tree("<div><button>x</div>y", "#doc(html(head() body(div(button(\"x\")) \"y\")))");
	check_tree("</p>", "#doc(html(head() body()))");
	check_tree("x</p>y", "#doc(html(head() body(\"x\" p() \"y\")))");
	check_tree("<frameset><noframes>n</noframes></frameset>x", "#doc(html(head() frameset(noframes(\"n\"))))");
	check_tree("<math><mi>x</mi><mo>+</mo></math>",
	           "#doc(html(head() body(math:math(math:mi(\"x\") math:mo(\"+\")))))");
	check_tree("<h1>a<h2>b</h2>", "#doc(html(head() body(h1(\"a\") h2(\"b\"))))");
	check_tree("<br/><img src='a>b'>x", "#doc(html(head() body(br() img() \"x\")))");
	check_tree("<!DOCTYPE html><html><head><meta charset=utf-8><style>p{}</style></head><body>B</body></html>",
	           "#doc(html(head(meta() style(\"p{}\")) body(\"B\")))");
	check_tree("<textarea>&lt;t&gt;</textarea>", "#doc(html(head() body(textarea(\"<t>\"))))");
	check_tree("<xmp>&lt;x&gt;</xmp>", "#doc(html(head() body(xmp(\"&lt;x&gt;\"))))");
	check_tree("<select><option>1<option>2</select>", "#doc(html(head() body(select(option(\"1\") option(\"2\")))))");
	check_tree("<dl><dt>t<dd>d</dl>", "#doc(html(head() body(dl(dt(\"t\") dd(\"d\")))))");
	check_tree("a\r\nb", "#doc(html(head() body(\"a\\nb\")))");
	check_tree("<svg><foreignObject><p>f</p></foreignObject></svg>",
	           "#doc(html(head() body(svg:svg(svg:foreignObject(p(\"f\"))))))");
	check_tree("<math><![CDATA[c<d]]></math>", "#doc(html(head() body(math:math(\"c<d\"))))");
	check_tree("<!-- a --><p>x<!-- b -->y</p>", "#doc(html(head() body(p(\"x\" \"y\"))))");

	/* attribute names with NUL bytes; <font> leaves svg only with color/face/size */
	const char nul_attr[] = "<p a\0b=1 A\0B=2>t</p>";
	struct pb_html_node *d = pb_html_parse(nul_attr, sizeof nul_attr - 1);
	struct pb_strbuf sb = PB_STRBUF_INIT;
	serialize(d, &sb);
	CHECK_STR(pb_strbuf_cstr(&sb), "#doc(html(head() body(p(\"t\"))))");
	pb_strbuf_deinit(&sb);
	pb_html_free(d);
	check_tree("<svg><font color=red>x</font></svg>", "#doc(html(head() body(svg:svg() font(\"x\"))))");
	check_tree("<svg><font>x</font></svg>", "#doc(html(head() body(svg:svg(svg:font(\"x\")))))");

	/* nesting: x/net/html fails beyond 512 open elements (html and body count) */
	struct pb_strbuf deep = PB_STRBUF_INIT;
	for (int i = 0; i < 511; i++)
		pb_strbuf_puts(&deep, "<div>");
	struct pb_html_node *doc = pb_html_parse(deep.data, deep.len);
	CHECK(doc == NULL);
	pb_html_free(doc);
	doc = pb_html_parse(deep.data, deep.len - 5); /* 510 divs + html + body = 512 */
	CHECK(doc != NULL);
	pb_html_free(doc);
	pb_strbuf_deinit(&deep);
	TEST_DONE();
}
