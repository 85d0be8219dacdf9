/* realip — the client address as PocketBase's RequestEvent.RealIP() computes it
 * (core/event_request.go) and the superuser IPs whitelist middleware that uses it
 * (pbSuperuserIPsWhitelist, apis/middlewares.go). RealIP: for each header name in
 * settings.trustedProxy.headers, in order, the last line of that header is split on ',' and
 * the right-most (or, with useLeftmostIP, the left-most) item that parses as an IP address
 * (netip.ParseAddr after trimming spaces) wins, rendered fully expanded (Addr.StringExpanded);
 * otherwise the TCP peer address. */
#ifndef POCKETC_API_REALIP_H
#define POCKETC_API_REALIP_H

#include <stdbool.h>
#include <stddef.h>

#include "api/http.h"
#include "api/http_parse.h"
#include "core/settings.h"

/* RealIP of a request head (borrowed) under `tp` (borrowed); `remote_ip` is the peer address
 * text used as the fallback. Writes a NUL-terminated address into out (cap >= 64 is enough). */
void pb_real_ip(const struct pb_http_head *head, const struct pb_settings_trusted_proxy *tp, const char *remote_ip,
                char *out, size_t cap);

/* Fills req->real_ip from req->settings (runs once, after the auth token was loaded). */
void pb_mw_real_ip(struct pb_req *req);

/* pbSuperuserIPsWhitelist: a superuser request whose real IP is not in a non-empty
 * settings.superuserIPs is answered 403 with the default message. Returns false when
 * answered. */
bool pb_mw_superuser_ips(struct pb_req *req);

#endif
