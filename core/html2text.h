/* html2text — the plain-text alternative of an HTML mail body, as PocketBase derives it when a
 * message has no text part (tools/mailer/html2text.go): text runs have their whitespace
 * collapsed to one space (leading blanks dropped right after a line break), every block-level
 * element starts a new CRLF line, <br> always breaks, list items get a "- " prefix, links
 * become "[label](href)" ("[LINK]" without a label, no "(…)" without an href), the contents
 * of style/script/iframe/applet/object/svg/img/button/form/textarea/input/select/option/
 * template are dropped, and the result is trimmed.
 *
 * PocketBase runs this over the DOM tree built by golang.org/x/net/html; here a small
 * tokenizer drives the same walk (raw-text elements, comments, entities, implied <body>,
 * stray end tags ignored), which matches for the documents mail templates are made of. */
#ifndef POCKETC_CORE_HTML2TEXT_H
#define POCKETC_CORE_HTML2TEXT_H

/* Converts html (borrowed; NULL = "") and returns the text (malloc'd, caller frees; never
 * NULL). */
char *pb_html2text(const char *html);

#endif
