/* html — a small, tolerant HTML parser producing a node tree, for text extraction.
 * It mirrors the parts of golang.org/x/net/html.Parse (the HTML5 algorithm PocketBase's
 * `:excerpt` modifier relies on) that decide which text ends up under which element:
 * the tokenizer (tags with quoted/unquoted attributes, self-closing syntax, comments,
 * doctypes, bogus comments, raw text in script/style/xmp/iframe/noembed/noframes/
 * noscript/plaintext, RCDATA in textarea/title, CDATA in foreign content, character
 * references), the document skeleton (html → head + body, head content kept apart),
 * void elements, implied end tags (p, li, dd/dt, option, headings, table cells), end tags
 * matched by scope, and svg/math foreign content with its breakout tags.
 * Deliberately left out: the adoption agency algorithm, reconstruction of active formatting
 * elements, foster parenting in tables, frameset documents, templates' separate content
 * fragment, and the script-data escape states (a script ends at its first `</script`).
 * Comments and doctypes are not kept in the tree. */
#ifndef POCKETC_CORE_HTML_H
#define POCKETC_CORE_HTML_H

#include <stdbool.h>
#include <stddef.h>

/* x/net/html rejects documents whose stack of open elements exceeds this. */
#define PB_HTML_MAX_OPEN 512

enum pb_html_node_type { PB_HTML_DOCUMENT, PB_HTML_ELEMENT, PB_HTML_TEXT };
enum pb_html_ns { PB_HTML_NS_HTML, PB_HTML_NS_SVG, PB_HTML_NS_MATH };

struct pb_html_node {
	enum pb_html_node_type type;
	char *data;         /* owned, NUL-terminated: element name (lower case; svg names adjusted,
	                     * e.g. "foreignObject") or the decoded UTF-8 text; "" for the document */
	size_t len;         /* bytes in data */
	enum pb_html_ns ns; /* elements: namespace (svg and math are "foreign content") */
	struct pb_html_node *parent, *first_child, *last_child, *next;
};

/* Parses `len` bytes of `s` (borrowed; any bytes) into a new document node: the document
 * holds one "html" element with a "head" and a "body" element, like x/net/html. Returns
 * NULL only when the nesting exceeds PB_HTML_MAX_OPEN open elements (where x/net/html
 * returns an error). Aborts on out of memory. Free with pb_html_free. */
struct pb_html_node *pb_html_parse(const char *s, size_t len);

/* Frees a tree returned by pb_html_parse (NULL is a no-op). */
void pb_html_free(struct pb_html_node *doc);

#endif
