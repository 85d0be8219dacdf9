/* request_uri — url.URL.RequestURI() of Go's net/url for a request as it was received: the
 * path as EscapedPath gives it (the sent path when it is a valid encoding of itself, else the
 * decoded path re-escaped with shouldEscape(encodePath)) plus "?" and the raw query when one
 * was sent (an empty one too: ForceQuery). The activity log stores this as "url". */
#ifndef POCKETC_CORE_REQUEST_URI_H
#define POCKETC_CORE_REQUEST_URI_H

#include "core/strbuf.h"

/* The request URI of `path` (NULL = "/") and `query` (NULL = none; both borrowed): `path`
 * itself when it is kept as sent and there is no query (no copy), else the URI built in
 * `scratch` (an empty buffer; caller deinits it). Valid until path or scratch changes. */
const char *pb_request_uri(const char *path, const char *query, struct pb_strbuf *scratch);

#endif
