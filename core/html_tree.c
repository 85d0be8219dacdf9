/* html_tree — tree construction for core/html.h, a reduced form of the HTML5 algorithm as
 * golang.org/x/net/html implements it. This file holds the nodes, the stack of open
 * elements with its scopes, insertion (including foster parenting out of tables), the
 * phases before the body — leading whitespace dropped; title/style/script/noframes/
 * noscript/template and the void base/link/meta go into <head>; a <frameset> replaces the
 * body — and the parse loop. The body rules are in html_body.c. */
#include "core/html.h"

#include <stdlib.h>
#include <string.h>

#include "core/html_internal.h"

bool hb_in_set(const char *name, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(name, *set))
			return true;
	return false;
}

bool hb_foreign(const struct pb_html_node *n) { return n->ns != PB_HTML_NS_HTML; }

bool hb_is_html(const struct pb_html_node *n, const char *name) { return !hb_foreign(n) && !strcmp(n->data, name); }

bool hb_is_special(const struct pb_html_node *n)
{
	if (n->ns == PB_HTML_NS_MATH)
		return hb_in_set(n->data, HB_SET("mi", "mo", "mn", "ms", "mtext", "annotation-xml"));
	if (n->ns == PB_HTML_NS_SVG)
		return hb_in_set(n->data, HB_SET("foreignObject", "desc", "title"));
	return hb_in_set(n->data, HB_SET("address", "applet", "area", "article", "aside", "base", "basefont", "bgsound",
	                                 "blockquote", "body", "br", "button", "caption", "center", "col", "colgroup", "dd",
	                                 "details", "dir", "div", "dl", "dt", "embed", "fieldset", "figcaption", "figure",
	                                 "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head",
	                                 "header", "hgroup", "hr", "html", "iframe", "img", "input", "keygen", "li", "link",
	                                 "listing", "main", "marquee", "menu", "meta", "nav", "noembed", "noframes",
	                                 "noscript", "object", "ol", "p", "param", "plaintext", "pre", "script", "section",
	                                 "select", "source", "style", "summary", "table", "tbody", "td", "template",
	                                 "textarea", "tfoot", "th", "thead", "title", "tr", "track", "ul", "wbr", "xmp"));
}

/* ---- nodes ------------------------------------------------------------------------------- */

static struct pb_html_node *node_new(enum pb_html_node_type type, const char *data, size_t len)
{
	struct pb_html_node *n = calloc(1, sizeof *n);
	char *copy = malloc(len + 1);
	if (!n || !copy)
		abort();
	memcpy(copy, data, len);
	copy[len] = '\0';
	n->type = type;
	n->data = copy;
	n->len = len;
	return n;
}

/* Inserts n into parent before `ref` (a child of parent), or at the end when ref is NULL. */
static void insert_before(struct pb_html_node *parent, struct pb_html_node *n, struct pb_html_node *ref)
{
	n->parent = parent;
	n->next = ref;
	struct pb_html_node *prev = NULL;
	for (struct pb_html_node *c = parent->first_child; c && c != ref; c = c->next)
		prev = c;
	if (prev)
		prev->next = n;
	else
		parent->first_child = n;
	if (!ref)
		parent->last_child = n;
}

static void append_text(struct pb_html_node *n, const char *s, size_t len)
{
	char *grown = realloc(n->data, n->len + len + 1);
	if (!grown)
		abort();
	memcpy(grown + n->len, s, len);
	n->len += len;
	grown[n->len] = '\0';
	n->data = grown;
}

void pb_html_free(struct pb_html_node *n)
{
	while (n) {
		struct pb_html_node *next = n->next;
		pb_html_free(n->first_child);
		free(n->data);
		free(n);
		n = next;
	}
}

/* ---- the stack of open elements and insertion -------------------------------------------- */

struct pb_html_node *hb_top(const struct hb_builder *b) { return b->oe[b->noe - 1]; }

static void push(struct hb_builder *b, struct pb_html_node *n)
{
	if (b->noe == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 16;
		b->oe = realloc(b->oe, b->cap * sizeof *b->oe);
		if (!b->oe)
			abort();
	}
	b->oe[b->noe++] = n;
	if (b->noe > PB_HTML_MAX_OPEN)
		b->overflow = true;
}

/* Where a new node goes: the end of the current node, or — foster parenting while the
 * current node is a table, tbody, tfoot, thead or tr — right before the innermost table. */
static struct pb_html_node *insertion_parent(const struct hb_builder *b, struct pb_html_node **ref)
{
	struct pb_html_node *cur = hb_top(b);
	*ref = NULL;
	if (!b->foster || !hb_in_set(cur->data, HB_SET("table", "tbody", "tfoot", "thead", "tr")) || hb_foreign(cur))
		return cur;
	for (size_t i = b->noe; i-- > 1;)
		if (hb_is_html(b->oe[i], "table")) {
			*ref = b->oe[i];
			return b->oe[i]->parent ? b->oe[i]->parent : b->oe[i - 1];
		}
	return cur;
}

struct pb_html_node *hb_insert(struct hb_builder *b, const char *name, enum pb_html_ns ns, bool open)
{
	struct pb_html_node *ref, *parent = insertion_parent(b, &ref);
	struct pb_html_node *n = node_new(PB_HTML_ELEMENT, name, strlen(name));
	n->ns = ns;
	insert_before(parent, n, ref);
	b->text_break = false;
	if (open)
		push(b, n);
	return n;
}

void hb_insert_text(struct hb_builder *b, const char *s, size_t len)
{
	if (len == 0)
		return;
	struct pb_html_node *ref, *parent = insertion_parent(b, &ref), *prev = NULL;
	for (struct pb_html_node *c = parent->first_child; c && c != ref; c = c->next)
		prev = c;
	if (prev && prev->type == PB_HTML_TEXT && !b->text_break) /* adjacent text merges into one node */
		append_text(prev, s, len);
	else
		insert_before(parent, node_new(PB_HTML_TEXT, s, len), ref);
	b->text_break = false;
}

long hb_in_scope(const struct hb_builder *b, enum hb_scope s, const char *const *names)
{
	for (size_t i = b->noe; i-- > 0;) {
		const struct pb_html_node *n = b->oe[i];
		if (!hb_foreign(n)) {
			if (hb_in_set(n->data, names))
				return (long)i;
			if (s == HB_SCOPE_LIST_ITEM && (!strcmp(n->data, "ol") || !strcmp(n->data, "ul")))
				return -1;
			if (s == HB_SCOPE_BUTTON && !strcmp(n->data, "button"))
				return -1;
			if (s == HB_SCOPE_TABLE && hb_in_set(n->data, HB_SET("html", "table", "template")))
				return -1;
		}
		if (s == HB_SCOPE_TABLE)
			continue;
		if (hb_foreign(n) ? hb_is_special(n)
		                  : hb_in_set(n->data, HB_SET("applet", "caption", "html", "table", "td", "th", "marquee",
		                                              "object", "template", "select")))
			return -1;
	}
	return -1;
}

bool hb_pop_until(struct hb_builder *b, enum hb_scope s, const char *const *names)
{
	long i = hb_in_scope(b, s, names);
	if (i < 0)
		return false;
	b->noe = (size_t)i;
	return true;
}

bool hb_stack_has(const struct hb_builder *b, const char *name)
{
	for (size_t i = 0; i < b->noe; i++)
		if (hb_is_html(b->oe[i], name))
			return true;
	return false;
}

/* ---- frameset documents ------------------------------------------------------------------ */

void hb_start_frameset(struct hb_builder *b)
{
	struct pb_html_node *prev = NULL; /* the body is dropped with what it held */
	for (struct pb_html_node *c = b->html->first_child; c && c != b->body; c = c->next)
		prev = c;
	if (prev)
		prev->next = b->body->next;
	else
		b->html->first_child = b->body->next;
	if (b->html->last_child == b->body)
		b->html->last_child = prev;
	b->body->next = NULL;
	pb_html_free(b->body);
	b->body = NULL;
	b->form = NULL;
	b->noe = 1;
	hb_insert(b, "frameset", PB_HTML_NS_HTML, true);
	b->frameset = true;
}

/* Inside a frameset: frames nest, <noframes> holds raw text, everything else is ignored. */
static void frameset_token(struct hb_builder *b)
{
	struct pb_html_token *t = &b->tok;
	const char *name = t->data.data;
	if (t->type == PB_HTML_TOK_TEXT && hb_is_html(hb_top(b), "noframes"))
		hb_insert_text(b, t->data.data, t->data.len);
	else if (t->type == PB_HTML_TOK_START && hb_in_set(name, HB_SET("frameset", "noframes", "frame")))
		hb_insert(b, name, PB_HTML_NS_HTML, strcmp(name, "frame") != 0);
	else if (t->type == PB_HTML_TOK_END &&
	         (hb_is_html(hb_top(b), "noframes") || (!strcmp(name, "frameset") && b->noe > 2)))
		b->noe--;
}

/* ---- before the body --------------------------------------------------------------------- */

static void enter_body(struct hb_builder *b)
{
	b->noe = 1;
	push(b, b->body);
	b->in_body = true;
}

/* Returns true when consumed; false after switching to the body (the token is reprocessed). */
static bool head_token(struct hb_builder *b)
{
	struct pb_html_token *t = &b->tok;
	const char *name = t->data.data;
	if (hb_stack_has(b, "template")) { /* template contents follow the body rules */
		hb_body_token(b);
		return true;
	}
	if (hb_top(b) != b->head) { /* inside title/style/script/noscript/noframes */
		if (t->type == PB_HTML_TOK_TEXT)
			hb_insert_text(b, t->data.data, t->data.len);
		else if (t->type == PB_HTML_TOK_END)
			b->noe--;
		return true;
	}
	switch (t->type) {
	case PB_HTML_TOK_TEXT: {
		size_t skip = strspn(t->data.data, " \t\r\n\f");
		if (b->in_head && !b->after_head) /* whitespace inside <head> is kept there */
			hb_insert_text(b, t->data.data, skip);
		if (skip == t->data.len)
			return true;
		memmove(t->data.data, t->data.data + skip, t->data.len - skip + 1);
		t->data.len -= skip;
		enter_body(b);
		return false;
	}
	case PB_HTML_TOK_START:
		if (!strcmp(name, "head"))
			b->in_head = true;
		if (hb_in_set(name, HB_SET("html", "head")))
			return true;
		if (!strcmp(name, "frameset")) {
			hb_start_frameset(b);
			return true;
		}
		if (!strcmp(name, "body")) {
			enter_body(b);
			b->frameset_ok = false;
			return true;
		}
		if (hb_in_set(name, HB_SET("base", "link", "meta")) ||
		    (!b->after_head && hb_in_set(name, HB_SET("basefont", "bgsound")))) {
			hb_insert(b, name, PB_HTML_NS_HTML, false);
			b->in_head = true;
			return true;
		}
		if (hb_in_set(name, HB_SET("title", "style", "script", "noframes", "template")) ||
		    (!b->after_head && !strcmp(name, "noscript"))) {
			hb_insert(b, name, PB_HTML_NS_HTML, true);
			b->in_head = true;
			return true;
		}
		enter_body(b);
		return false;
	case PB_HTML_TOK_END:
		if (!strcmp(name, "head")) {
			b->after_head = true;
			return true;
		}
		if (hb_in_set(name, HB_SET("body", "html", "br"))) {
			enter_body(b);
			return false;
		}
		return true;
	default: return true;
	}
}

struct pb_html_node *pb_html_parse(const char *s, size_t len)
{
	struct hb_builder b = {0};
	b.tok.data = (struct pb_strbuf)PB_STRBUF_INIT;
	b.frameset_ok = true;
	pb_html_tokenizer_init(&b.z, s, len);
	b.doc = node_new(PB_HTML_DOCUMENT, "", 0);
	b.html = node_new(PB_HTML_ELEMENT, "html", 4);
	b.head = node_new(PB_HTML_ELEMENT, "head", 4);
	b.body = node_new(PB_HTML_ELEMENT, "body", 4);
	insert_before(b.doc, b.html, NULL);
	insert_before(b.html, b.head, NULL);
	insert_before(b.html, b.body, NULL);
	push(&b, b.html);
	push(&b, b.head);
	while (!b.overflow) {
		b.z.allow_cdata = hb_foreign(hb_top(&b));
		pb_html_next(&b.z, &b.tok);
		if (b.tok.type == PB_HTML_TOK_EOF)
			break;
		if (b.tok.type == PB_HTML_TOK_COMMENT) { /* not kept, but it separates text nodes */
			b.text_break = true;
			continue;
		}
		if (b.frameset)
			frameset_token(&b);
		else if (b.in_body || !head_token(&b))
			hb_body_token(&b);
	}
	pb_strbuf_deinit(&b.tok.data);
	free(b.oe);
	if (b.overflow) {
		pb_html_free(b.doc);
		return NULL;
	}
	return b.doc;
}
