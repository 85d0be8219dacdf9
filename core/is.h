/* is — the string predicates behind ozzo-validation's `is` rules as PocketBase v0.39.11 uses
 * them (is.URL, is.Host, is.EmailFormat, is.HexColor), i.e. govalidator at the commit
 * PocketBase pins (a9d515a09cc2): IsURL (rune/byte length limits, a Go net/url Parse of the
 * text — with "http://" prepended when it has a ':' but no "://" — whose host must not start
 * with '.', and whose host-less path must contain a '.', then the URL pattern), IsHost (IsIP
 * or IsDNSName), IsEmail (the RFC 5322-ish pattern only, no DNS lookup) and IsHexcolor.
 *
 * These are the raw predicates: ozzo's string rules skip empty values before calling them,
 * which callers do themselves. Inputs are byte strings of the given length (UTF-8 expected;
 * invalid bytes are handled as Go does). None allocates beyond the call. */
#ifndef POCKETC_CORE_IS_H
#define POCKETC_CORE_IS_H

#include <stdbool.h>
#include <stddef.h>

bool pb_is_url(const char *s, size_t len);
bool pb_is_host(const char *s, size_t len);
bool pb_is_dns_name(const char *s, size_t len);
bool pb_is_email(const char *s, size_t len);
bool pb_is_hex_color(const char *s, size_t len);

/* Go's url.Parse(s) succeeds. When it does and host/path are non-NULL, *host and *path get
 * the unescaped URL.Host and URL.Path (malloc'ed; caller frees). */
bool pb_is_go_url_parse(const char *s, size_t len, char **host, char **path);

#endif
