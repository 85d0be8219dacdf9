/* request_uri — url.URL.RequestURI() of Go's net/url for a request as it was received: the
 * path as EscapedPath gives it (the sent path when it is a valid encoding of itself, else the
 * decoded path re-escaped with shouldEscape(encodePath)) plus "?" and the raw query when one
 * was sent (an empty one too: ForceQuery). The activity log stores this as "url". */
#ifndef POCKETC_CORE_REQUEST_URI_H
#define POCKETC_CORE_REQUEST_URI_H

#include <stdbool.h>

#include "core/strbuf.h"

/* Whether `path` (NUL-terminated) is kept as sent: every byte is one validEncoded accepts. */
bool pb_request_path_valid_encoded(const char *path);

/* Appends the request URI of `path` (NULL = "/") and `query` (NULL = none; both borrowed) to
 * out. */
void pb_request_uri(const char *path, const char *query, struct pb_strbuf *out);

#endif
