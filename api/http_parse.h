/* http_parse — the HTTP/1.x request head parser (request line + header fields).
 * A pure function over bytes, so it can be unit-tested and fuzzed without sockets. It accepts
 * what Go's net/http server accepts in practice: CRLF or bare LF line ends, tokens as methods,
 * origin-form or absolute-form targets (and `*` for OPTIONS), HTTP/1.0 and HTTP/1.1, header
 * names made of token characters with no space before the colon, values trimmed of spaces and
 * tabs. Obsolete line folding, control bytes in values and oversized heads are rejected. */
#ifndef POCKETC_API_HTTP_PARSE_H
#define POCKETC_API_HTTP_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#define PB_HTTP_MAX_HEADERS 128
#define PB_HTTP_MAX_HEAD_BYTES (1 << 20) /* Go's DefaultMaxHeaderBytes */

struct pb_http_header {
	const char *name;  /* borrowed: points into the parsed buffer (NUL-terminated by the parser) */
	const char *value; /* borrowed, likewise; surrounding blanks trimmed */
};

struct pb_http_head {
	const char *method; /* borrowed, NUL-terminated in the buffer */
	const char *target; /* borrowed: request target as sent */
	int minor;          /* 0 for HTTP/1.0, 1 for HTTP/1.1 */
	struct pb_http_header headers[PB_HTTP_MAX_HEADERS];
	int nheaders;
	size_t head_len; /* bytes of the head including the blank line */
};

enum pb_http_parse_result {
	PB_HTTP_PARSE_DONE = 0,
	PB_HTTP_PARSE_MORE = 1,     /* the head is not complete yet */
	PB_HTTP_PARSE_BAD = -1,     /* malformed: answer 400 and close */
	PB_HTTP_PARSE_TOO_BIG = -2, /* head or header count over the limit: answer 431 and close */
	PB_HTTP_PARSE_VERSION = -3, /* not HTTP/1.x: answer 505 and close */
};

/* Finds the end of the head in buf[0..len) and, once it is complete, parses it IN PLACE:
 * the parser writes NUL bytes into buf to terminate method, target, names and values, and
 * `out` points into buf (so buf must outlive out). Leading empty lines are skipped as RFC 9112
 * allows. Returns one of pb_http_parse_result. */
enum pb_http_parse_result pb_http_parse_head(char *buf, size_t len, struct pb_http_head *out);

/* Length of the head in buf[0..len) up to and including the empty line that ends it (leading
 * empty lines included), or 0 while it is incomplete. Does not modify buf. */
size_t pb_http_head_end(const char *buf, size_t len);

/* The first header named `name` (case-insensitive), or NULL. Borrowed from head. */
const char *pb_http_head_get(const struct pb_http_head *head, const char *name);

/* Case-insensitive search of a comma-separated header value for a token (e.g. "close" in
 * "Connection: keep-alive, close"). */
bool pb_http_token_in_list(const char *value, const char *token);

#endif
