/* realip — RealIP() and the superuser IPs whitelist (see realip.h). */
#include "api/realip.h"

#include <string.h>
#include <strings.h>

#include "core/netip.h"

/* Parses s[0..len) trimmed of spaces as an address; on success writes its expanded text. */
static bool try_addr(const char *s, size_t len, char *out, size_t cap)
{
	while (len && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\v' || *s == '\f'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' || s[len - 1] == '\r' ||
	               s[len - 1] == '\v' || s[len - 1] == '\f'))
		len--;
	struct pb_netip_addr a;
	if (!len || !pb_netip_parse_addr(s, len, &a))
		return false;
	pb_netip_format_expanded(&a, out, cap);
	if (a.has_zone) {
		const char *pct = memchr(s, '%', len);
		size_t used = strlen(out), zl = (size_t)(s + len - pct);
		if (pct && used + zl < cap) {
			memcpy(out + used, pct, zl);
			out[used + zl] = '\0';
		}
	}
	return true;
}

void pb_real_ip(const struct pb_http_head *head, const struct pb_settings_trusted_proxy *tp, const char *remote_ip,
                char *out, size_t cap)
{
	for (size_t h = 0; h < tp->headers.n; h++) {
		const char *last = NULL;
		for (int i = 0; i < head->nheaders; i++)
			if (strcasecmp(head->headers[i].name, tp->headers.items[h]) == 0)
				last = head->headers[i].value;
		if (!last || !*last)
			continue;
		size_t n = strlen(last);
		if (tp->use_leftmost_ip) {
			for (size_t start = 0; start <= n;) {
				const char *comma = memchr(last + start, ',', n - start);
				size_t end = comma ? (size_t)(comma - last) : n;
				if (try_addr(last + start, end - start, out, cap))
					return;
				start = end + 1;
			}
		} else {
			for (size_t end = n;;) {
				size_t start = end;
				while (start > 0 && last[start - 1] != ',')
					start--;
				if (try_addr(last + start, end - start, out, cap))
					return;
				if (start == 0)
					break;
				end = start - 1;
			}
		}
	}
	snprintf(out, cap, "%s", remote_ip);
}

void pb_mw_real_ip(struct pb_req *req)
{
	if (req->settings->trusted_proxy.headers.n)
		pb_real_ip(req->http, &req->settings->trusted_proxy, req->remote_ip, req->real_ip, sizeof req->real_ip);
}

bool pb_mw_superuser_ips(struct pb_req *req)
{
	const struct pb_settings_strlist *ips = &req->settings->superuser_ips;
	if (!req->superuser || !ips->n || pb_netip_in_list(ips->items, ips->n, req->real_ip))
		return true;
	json_decref(req->error_details);
	req->error_details = json_string("superuser IP is not whitelisted");
	pb_resp_error(req, 403, NULL, NULL);
	return false;
}
