/* html_body — the body rules of the tree builder (see html_internal.h), after
 * x/net/html's inBodyIM, the table modes and parseForeignContent: implied closing of <p>,
 * <li>, <dd>/<dt>, <option>, <button>, headings and table cells, end tags matched within
 * their scope or ignored at a "special" element, void elements, a stray </p> making an empty
 * paragraph, </br> as <br>; inside tables whitespace stays and other content is
 * foster-parented before the table; in svg/math, elements nest generically until a breakout
 * tag or an integration point hands back to the HTML rules. Formatting elements are closed
 * like any other element (no adoption agency) and implied tbody/tr are not created. */
#include <string.h>
#include <strings.h>

#include "core/html_internal.h"

static bool html_integration_point(const struct pb_html_node *n)
{
	return n->ns == PB_HTML_NS_SVG && hb_in_set(n->data, HB_SET("desc", "foreignObject", "title"));
}

static bool mathml_text_integration_point(const struct pb_html_node *n)
{
	return n->ns == PB_HTML_NS_MATH && hb_in_set(n->data, HB_SET("mi", "mo", "mn", "ms", "mtext"));
}

static bool all_space(const char *s, size_t len) { return strspn(s, " \t\r\n\f") >= len; }

static void close_p(struct hb_builder *b) { hb_pop_until(b, HB_SCOPE_BUTTON, HB_SET("p")); }

static void implied_end_tags(struct hb_builder *b, const char *except)
{
	while (b->noe > 1) {
		const struct pb_html_node *n = hb_top(b);
		if (hb_foreign(n) ||
		    !hb_in_set(n->data, HB_SET("dd", "dt", "li", "optgroup", "option", "p", "rb", "rp", "rt", "rtc")) ||
		    (except && !strcmp(n->data, except)))
			break;
		b->noe--;
	}
}

/* <li>, <dd>, <dt>: close an open item of the same kind unless a special element intervenes. */
static void close_list_item(struct hb_builder *b, const char *const *kinds)
{
	for (size_t i = b->noe; i-- > 0;) {
		const struct pb_html_node *n = b->oe[i];
		if (!hb_foreign(n) && hb_in_set(n->data, kinds)) {
			b->noe = i;
			break;
		}
		if (!hb_foreign(n) && hb_in_set(n->data, HB_SET("address", "div", "p")))
			continue;
		if (hb_is_special(n))
			break;
	}
	close_p(b);
}

static void body_start_tag(struct hb_builder *b, const char *name)
{
	const struct pb_html_token *t = &b->tok;
	if (!strcmp(name, "frameset")) {
		if (b->frameset_ok && b->noe >= 2 && b->oe[1] == b->body)
			hb_start_frameset(b);
		return;
	}
	if (!strcmp(name, "body"))
		b->frameset_ok = false;
	if (hb_in_set(name, HB_SET("html", "body", "head", "frame")))
		return;
	if (hb_in_set(name, HB_SET("pre", "listing", "li", "dd", "dt", "button", "applet", "marquee", "object", "table",
	                           "area", "br", "embed", "img", "image", "keygen", "wbr", "input", "hr", "textarea", "xmp",
	                           "iframe", "select")))
		b->frameset_ok = false;
	if (hb_in_set(name,
	              HB_SET("address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl",
	                     "fieldset", "figcaption", "figure", "footer", "header", "hgroup", "main", "menu", "nav", "ol",
	                     "p", "search", "section", "summary", "ul", "pre", "listing", "plaintext", "xmp"))) {
		close_p(b);
		hb_insert(b, name, PB_HTML_NS_HTML, true);
	} else if (hb_in_set(name, HB_SET("h1", "h2", "h3", "h4", "h5", "h6"))) {
		close_p(b);
		if (!hb_foreign(hb_top(b)) && hb_in_set(hb_top(b)->data, HB_SET("h1", "h2", "h3", "h4", "h5", "h6")))
			b->noe--;
		hb_insert(b, name, PB_HTML_NS_HTML, true);
	} else if (!strcmp(name, "form")) {
		if (b->form && !hb_stack_has(b, "template"))
			return;
		close_p(b);
		struct pb_html_node *f = hb_insert(b, name, PB_HTML_NS_HTML, true);
		if (!hb_stack_has(b, "template"))
			b->form = f;
	} else if (!strcmp(name, "li")) {
		close_list_item(b, HB_SET("li"));
		hb_insert(b, name, PB_HTML_NS_HTML, true);
	} else if (!strcmp(name, "dd") || !strcmp(name, "dt")) {
		close_list_item(b, HB_SET("dd", "dt"));
		hb_insert(b, name, PB_HTML_NS_HTML, true);
	} else if (!strcmp(name, "button")) {
		if (hb_in_scope(b, HB_SCOPE_DEFAULT, HB_SET("button")) >= 0) {
			implied_end_tags(b, NULL);
			hb_pop_until(b, HB_SCOPE_DEFAULT, HB_SET("button"));
		}
		hb_insert(b, name, PB_HTML_NS_HTML, true);
	} else if (hb_in_set(name, HB_SET("area", "br", "embed", "img", "keygen", "wbr", "param", "source", "track", "base",
	                                  "basefont", "bgsound", "link", "meta"))) {
		hb_insert(b, name, PB_HTML_NS_HTML, false);
	} else if (!strcmp(name, "image")) {
		hb_insert(b, "img", PB_HTML_NS_HTML, false);
	} else if (!strcmp(name, "input")) {
		hb_pop_until(b, HB_SCOPE_DEFAULT, HB_SET("select"));
		hb_insert(b, name, PB_HTML_NS_HTML, false);
	} else if (!strcmp(name, "hr")) {
		close_p(b);
		hb_insert(b, name, PB_HTML_NS_HTML, false);
	} else if (!strcmp(name, "select")) {
		if (!hb_pop_until(b, HB_SCOPE_DEFAULT, HB_SET("select")))
			hb_insert(b, name, PB_HTML_NS_HTML, true);
	} else if (!strcmp(name, "option") || !strcmp(name, "optgroup")) {
		if (hb_in_scope(b, HB_SCOPE_DEFAULT, HB_SET("select")) >= 0)
			implied_end_tags(b, !strcmp(name, "option") ? "optgroup" : NULL);
		else if (hb_is_html(hb_top(b), "option"))
			b->noe--;
		hb_insert(b, name, PB_HTML_NS_HTML, true);
	} else if (hb_in_set(name, HB_SET("rb", "rtc", "rp", "rt"))) {
		if (hb_in_scope(b, HB_SCOPE_DEFAULT, HB_SET("ruby")) >= 0)
			implied_end_tags(b, hb_in_set(name, HB_SET("rp", "rt")) ? "rtc" : NULL);
		hb_insert(b, name, PB_HTML_NS_HTML, true);
	} else if (!strcmp(name, "math") || !strcmp(name, "svg")) {
		hb_insert(b, name, !strcmp(name, "svg") ? PB_HTML_NS_SVG : PB_HTML_NS_MATH, !t->self_closing);
	} else if (hb_in_set(name, HB_SET("caption", "col", "colgroup", "tbody", "td", "tfoot", "th", "thead", "tr"))) {
		if (hb_in_scope(b, HB_SCOPE_TABLE, HB_SET("table")) < 0)
			return; /* table parts outside a table are ignored */
		if (!strcmp(name, "td") || !strcmp(name, "th"))
			hb_pop_until(b, HB_SCOPE_TABLE, HB_SET("td", "th"));
		else if (!strcmp(name, "tr"))
			hb_pop_until(b, HB_SCOPE_TABLE, HB_SET("tr"));
		else
			while (!hb_is_html(hb_top(b), "table"))
				b->noe--;
		hb_insert(b, name, PB_HTML_NS_HTML, strcmp(name, "col") != 0);
	} else {
		hb_insert(b, name, PB_HTML_NS_HTML, true);
	}
}

static void body_end_tag(struct hb_builder *b, const char *name)
{
	if (hb_in_set(name, HB_SET("body", "html")))
		return;
	if (hb_in_set(name,
	              HB_SET("address", "article", "aside", "blockquote", "button", "center", "details", "dialog", "dir",
	                     "div", "dl", "fieldset", "figcaption", "figure", "footer", "header", "hgroup", "listing",
	                     "main", "menu", "nav", "ol", "pre", "search", "section", "select", "summary", "ul"))) {
		const char *const one[] = {name, NULL};
		if (hb_in_scope(b, HB_SCOPE_DEFAULT, one) >= 0) {
			implied_end_tags(b, NULL);
			hb_pop_until(b, HB_SCOPE_DEFAULT, one);
		}
	} else if (hb_in_set(name, HB_SET("applet", "marquee", "object", "dd", "dt"))) {
		const char *const one[] = {name, NULL};
		hb_pop_until(b, HB_SCOPE_DEFAULT, one);
	} else if (!strcmp(name, "form")) {
		struct pb_html_node *f = b->form;
		b->form = NULL;
		long i = hb_in_scope(b, HB_SCOPE_DEFAULT, HB_SET("form"));
		if (i < 0 || (!hb_stack_has(b, "template") && b->oe[i] != f))
			return;
		implied_end_tags(b, NULL);
		memmove(b->oe + i, b->oe + i + 1, (b->noe - (size_t)i - 1) * sizeof *b->oe); /* remove, not pop */
		b->noe--;
	} else if (!strcmp(name, "p")) {
		if (!hb_pop_until(b, HB_SCOPE_BUTTON, HB_SET("p")))
			hb_insert(b, "p", PB_HTML_NS_HTML, false); /* a stray </p> makes an empty paragraph */
	} else if (!strcmp(name, "li")) {
		hb_pop_until(b, HB_SCOPE_LIST_ITEM, HB_SET("li"));
	} else if (hb_in_set(name, HB_SET("h1", "h2", "h3", "h4", "h5", "h6"))) {
		hb_pop_until(b, HB_SCOPE_DEFAULT, HB_SET("h1", "h2", "h3", "h4", "h5", "h6"));
	} else if (!strcmp(name, "br")) {
		hb_insert(b, "br", PB_HTML_NS_HTML, false);
	} else if (hb_in_set(name, HB_SET("template", "table", "caption", "colgroup", "tbody", "td", "tfoot", "th", "thead",
	                                  "tr"))) {
		const char *const one[] = {name, NULL};
		hb_pop_until(b, HB_SCOPE_TABLE, one);
	} else { /* any other end tag (formatting elements included: no adoption agency) */
		for (size_t i = b->noe; i-- > 1;) {
			const struct pb_html_node *n = b->oe[i];
			if (!strcmp(n->data, name)) {
				b->noe = i;
				return;
			}
			if (hb_is_special(n))
				return;
		}
	}
}

/* Whether the current token is handled by the foreign-content rules. */
static bool foreign_context(const struct hb_builder *b)
{
	const struct pb_html_node *n = hb_top(b);
	enum pb_html_tok tt = b->tok.type;
	if (!hb_foreign(n))
		return false;
	if (mathml_text_integration_point(n) &&
	    ((tt == PB_HTML_TOK_START && !hb_in_set(b->tok.data.data, HB_SET("mglyph", "malignmark"))) ||
	     tt == PB_HTML_TOK_TEXT))
		return false;
	if (html_integration_point(n) && (tt == PB_HTML_TOK_START || tt == PB_HTML_TOK_TEXT))
		return false;
	return true;
}

/* Returns true when consumed; false to run the HTML rules on the token. */
static bool foreign_token(struct hb_builder *b)
{
	struct pb_html_token *t = &b->tok;
	const char *name = t->data.data;
	if (t->type == PB_HTML_TOK_TEXT) { /* NUL characters become U+FFFD here */
		if (!all_space(t->data.data, t->data.len))
			b->frameset_ok = false;
		size_t start = 0;
		for (size_t i = 0; i < t->data.len; i++)
			if (t->data.data[i] == '\0') {
				hb_insert_text(b, t->data.data + start, i - start);
				hb_insert_text(b, "\xef\xbf\xbd", 3);
				start = i + 1;
			}
		hb_insert_text(b, t->data.data + start, t->data.len - start);
		return true;
	}
	if (t->type == PB_HTML_TOK_START) {
		if (hb_in_set(name, HB_SET("b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt",
		                           "em", "embed", "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li",
		                           "listing", "menu", "meta", "nobr", "ol", "p", "pre", "ruby", "s", "small", "span",
		                           "strong", "strike", "sub", "sup", "table", "tt", "u", "ul", "var")) ||
		    (!strcmp(name, "font") && t->font_breakout)) {
			while (b->noe > 1 && hb_foreign(hb_top(b)) && !html_integration_point(hb_top(b)) &&
			       !mathml_text_integration_point(hb_top(b)))
				b->noe--;
			return false;
		}
		enum pb_html_ns ns = hb_top(b)->ns;
		hb_insert(b, ns == PB_HTML_NS_SVG && !strcmp(name, "foreignobject") ? "foreignObject" : name, ns,
		          !t->self_closing);
		pb_html_tokenizer_not_raw(&b->z);
		return true;
	}
	if (t->type == PB_HTML_TOK_END) {
		for (size_t i = b->noe; i-- > 1;) {
			if (!strcasecmp(b->oe[i]->data, name)) {
				b->noe = i;
				return true;
			}
			if (!hb_foreign(b->oe[i - 1]))
				break;
		}
		return false;
	}
	return true; /* comments, doctypes */
}

/* ---- tables ------------------------------------------------------------------------------ */

/* Pops back to the innermost table (or html/template). */
static void clear_to_table(struct hb_builder *b)
{
	while (b->noe > 1 && !hb_in_set(hb_top(b)->data, HB_SET("table", "template", "html")))
		b->noe--;
}

/* The rules while the current node is table, tbody, tfoot, thead or tr. Returns true when
 * the token was handled; false to run the body rules on it with foster parenting. */
static bool table_token(struct hb_builder *b)
{
	struct pb_html_token *t = &b->tok;
	const char *name = t->data.data;
	if (t->type == PB_HTML_TOK_TEXT) {
		if (!all_space(t->data.data, t->data.len))
			return false;
		hb_insert_text(b, t->data.data, t->data.len);
		return true;
	}
	if (t->type == PB_HTML_TOK_START) {
		if (hb_in_set(name, HB_SET("caption", "colgroup", "tbody", "tfoot", "thead"))) {
			clear_to_table(b);
			hb_insert(b, name, PB_HTML_NS_HTML, true);
		} else if (!strcmp(name, "col")) {
			clear_to_table(b);
			hb_insert(b, name, PB_HTML_NS_HTML, false);
		} else if (!strcmp(name, "tr")) {
			while (b->noe > 1 &&
			       !hb_in_set(hb_top(b)->data, HB_SET("tbody", "tfoot", "thead", "table", "template", "html")))
				b->noe--;
			hb_insert(b, name, PB_HTML_NS_HTML, true);
		} else if (!strcmp(name, "td") || !strcmp(name, "th")) {
			hb_insert(b, name, PB_HTML_NS_HTML, true);
		} else if (!strcmp(name, "table")) { /* a nested <table> closes the open one */
			if (hb_pop_until(b, HB_SCOPE_TABLE, HB_SET("table")))
				hb_body_token(b);
		} else if (hb_in_set(name, HB_SET("style", "script", "template"))) {
			hb_insert(b, name, PB_HTML_NS_HTML, true);
		} else if (!strcmp(name, "input")) {
			hb_insert(b, name, PB_HTML_NS_HTML, false);
		} else if (!strcmp(name, "form")) {
			if (!b->form && !hb_stack_has(b, "template"))
				b->form = hb_insert(b, name, PB_HTML_NS_HTML, false);
		} else
			return false;
		return true;
	}
	if (t->type == PB_HTML_TOK_END) {
		if (hb_in_set(name, HB_SET("table", "tbody", "tfoot", "thead", "tr")))
			hb_pop_until(b, HB_SCOPE_TABLE, (const char *const[]){name, NULL});
		else if (!hb_in_set(name, HB_SET("body", "caption", "col", "colgroup", "html", "td", "th")))
			return false;
		return true;
	}
	return true; /* comments, doctypes */
}

void hb_body_token(struct hb_builder *b)
{
	struct pb_html_token *t = &b->tok;
	if (foreign_context(b) && foreign_token(b))
		return;
	bool in_table =
	    !hb_foreign(hb_top(b)) && hb_in_set(hb_top(b)->data, HB_SET("table", "tbody", "tfoot", "thead", "tr"));
	if (in_table && table_token(b))
		return;
	b->foster = in_table;
	if (t->type == PB_HTML_TOK_TEXT) {
		size_t w = 0; /* NUL characters are dropped in the body */
		for (size_t i = 0; i < t->data.len; i++)
			if (t->data.data[i] != '\0')
				t->data.data[w++] = t->data.data[i];
		if (!all_space(t->data.data, w))
			b->frameset_ok = false;
		hb_insert_text(b, t->data.data, w);
	} else if (t->type == PB_HTML_TOK_START)
		body_start_tag(b, t->data.data);
	else if (t->type == PB_HTML_TOK_END)
		body_end_tag(b, t->data.data);
	b->foster = false;
}
