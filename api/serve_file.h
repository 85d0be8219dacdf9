/* serve_file — sending a file the way Go's http.ServeContent does: Content-Type from the
 * extension (Go's built-in table) unless given, Last-Modified, conditional requests
 * (If-None-Match / If-Modified-Since → 304, If-Match / If-Unmodified-Since → 412), a single
 * byte range (206 / 416; several ranges are answered with the whole file), Accept-Ranges.
 * The body goes out with sendfile through the connection's output buffer. */
#ifndef POCKETC_API_SERVE_FILE_H
#define POCKETC_API_SERVE_FILE_H

#include <sys/stat.h>

#include "api/http.h"

/* Answers req with the regular file open on `fd` (taken over: always closed). `st` describes
 * it. `content_type` NULL = by extension of `name` (then application/octet-stream). */
void pb_serve_file(struct pb_req *req, int fd, const struct stat *st, const char *name, const char *content_type);

/* Go's mime.TypeByExtension built-in table for the extension of `name` (case-insensitive), or
 * NULL. Static string. */
const char *pb_mime_by_extension(const char *name);

#endif
