/* field_url — the "url" field (core/field_url.go). Values are strings. Validation: required;
 * govalidator.IsURL (length 4..2082 runes, not starting with '.', Go's url.Parse must accept it
 * — with "http://" prepended when it has a ':' but no "://" — its host must not start with '.',
 * a host-less value needs a '.' in its path, then govalidator's URL regex: the scheme is
 * optional and one of http(s)/ws(s)/ftp/tcp/udp); then url.Parse(value).Host (port included,
 * empty for scheme-less input) checked case-sensitively against onlyDomains / exceptDomains. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "collections/field_cast.h"
#include "collections/field_internal.h"
#include "core/regex.h"

/* govalidator's URL pattern; Go's \S and \s (ASCII space set) spelled out for PCRE2 */
#define URL_IP6                                                                                               \
	"(([0-9a-fA-F]{1,4}:){7,7}[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,7}:|([0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-F]{1,4}" \
	"|([0-9a-fA-F]{1,4}:){1,5}(:[0-9a-fA-F]{1,4}){1,2}|([0-9a-fA-F]{1,4}:){1,4}(:[0-9a-fA-F]{1,4}){1,3}|"         \
	"([0-9a-fA-F]{1,4}:){1,3}(:[0-9a-fA-F]{1,4}){1,4}|([0-9a-fA-F]{1,4}:){1,2}(:[0-9a-fA-F]{1,4}){1,5}|"          \
	"[0-9a-fA-F]{1,4}:((:[0-9a-fA-F]{1,4}){1,6})|:((:[0-9a-fA-F]{1,4}){1,7}|:)|fe80:(:[0-9a-fA-F]{0,4}){0,4}"     \
	"%[0-9a-zA-Z]{1,}|::(ffff(:0{1,4}){0,1}:){0,1}((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\\.){3,3}(25[0-5]|"    \
	"(2[0-4]|1{0,1}[0-9]){0,1}[0-9])|([0-9a-fA-F]{1,4}:){1,4}:((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\\.){3,3}" \
	"(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9]))"
#define URL_NS "[^\\t\\n\\f\\r ]"
static const char url_pattern[] =
	"^((ftp|tcp|udp|wss?|https?):\\/\\/)?(" URL_NS "+(:" URL_NS "*)?@)?((([1-9]\\d?|1\\d\\d|2[01]\\d|22[0-3]|24\\d|"
	"25[0-5])(\\.(\\d{1,2}|1\\d\\d|2[0-4]\\d|25[0-5])){2}(?:\\.([0-9]\\d?|1\\d\\d|2[0-4]\\d|25[0-5]))|(\\[" URL_IP6
	"\\])|(([a-zA-Z0-9]([a-zA-Z0-9-_]+)?[a-zA-Z0-9]([-\\.][a-zA-Z0-9]+)*)|(((www\\.)|([a-zA-Z0-9]+([-_\\.]?"
	"[a-zA-Z0-9])*[a-zA-Z0-9]\\.[a-zA-Z0-9]+))?))?(([a-zA-Z\\x{00a1}-\\x{ffff}0-9]+-?-?)*[a-zA-Z\\x{00a1}-"
	"\\x{ffff}0-9]+)(?:\\.([a-zA-Z\\x{00a1}-\\x{ffff}]{1,}))?))\\.?(:(\\d{1,5}))?((\\/|\\?|#)[^\\t\\n\\f\\r ]*)?$";

struct url_parts {
	char *host; /* owned, unescaped */
	char *path; /* owned, unescaped */
};

static int hexv(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (c | 0x20) - 'a' + 10;
	return -1;
}

static bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

/* net/url unescape; host mode rejects characters Go's shouldEscape(c, encodeHost) flags */
static char *unescape(const char *s, size_t n, bool host)
{
	char *out = malloc(n + 1);
	if (!out)
		abort();
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%') {
			if (i + 2 >= n || hexv(s[i + 1]) < 0 || hexv(s[i + 2]) < 0) {
				free(out);
				return NULL;
			}
			if (host && hexv(s[i + 1]) < 8 && strncmp(s + i, "%25", 3) != 0) {
				free(out);
				return NULL;
			}
			out[w++] = (char)(hexv(s[i + 1]) * 16 + hexv(s[i + 2]));
			i += 2;
			continue;
		}
		if (host && (unsigned char)c < 0x80 && !is_alnum(c) && !strchr("!$&'()*+,;=:[]<>\"-_.~", c)) {
			free(out);
			return NULL;
		}
		out[w++] = c;
	}
	out[w] = '\0';
	return out;
}

static bool valid_port(const char *p, size_t n)
{
	if (n == 0)
		return true;
	if (p[0] != ':')
		return false;
	for (size_t i = 1; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return true;
}

static bool valid_userinfo(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_alnum(s[i]) && !strchr("-._:~!$&'()*+,;=%@", s[i]))
			return false;
	return true;
}

/* A subset of Go's url.Parse: enough to know whether it fails and what Host/Path are. */
static int url_parse(const char *raw, struct url_parts *u)
{
	u->host = u->path = NULL;
	for (const char *p = raw; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return -1;
	const char *hash = strchr(raw, '#');
	size_t len = hash ? (size_t)(hash - raw) : strlen(raw);
	if (hash) {
		char *frag = unescape(hash + 1, strlen(hash + 1), false);
		if (!frag)
			return -1;
		free(frag);
	}
	/* scheme */
	const char *rest = raw;
	bool has_scheme = false;
	for (size_t i = 0; i < len; i++) {
		char c = raw[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			continue;
		if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
			if (i == 0)
				break;
			continue;
		}
		if (c == ':') {
			if (i == 0)
				return -1; /* missing protocol scheme */
			has_scheme = true;
			rest = raw + i + 1;
		}
		break;
	}
	size_t rlen = len - (size_t)(rest - raw);
	/* query */
	const char *q = memchr(rest, '?', rlen);
	if (q)
		rlen = (size_t)(q - rest);
	if (rlen == 0 || rest[0] != '/') {
		if (has_scheme) { /* opaque */
			u->host = strdup("");
			u->path = strdup("");
			return 0;
		}
		const char *slash = memchr(rest, '/', rlen);
		size_t seg = slash ? (size_t)(slash - rest) : rlen;
		if (memchr(rest, ':', seg))
			return -1; /* first path segment in URL cannot contain colon */
	}
	const char *path = rest;
	size_t plen = rlen;
	if (rlen >= 2 && rest[0] == '/' && rest[1] == '/' && (has_scheme || !(rlen >= 3 && rest[2] == '/'))) {
		const char *auth = rest + 2;
		size_t alen = rlen - 2;
		const char *slash = memchr(auth, '/', alen);
		if (slash) {
			path = slash;
			plen = alen - (size_t)(slash - auth);
			alen = (size_t)(slash - auth);
		} else {
			path = auth + alen;
			plen = 0;
		}
		const char *at = NULL;
		for (size_t i = 0; i < alen; i++)
			if (auth[i] == '@')
				at = auth + i;
		const char *host = at ? at + 1 : auth;
		size_t hlen = alen - (size_t)(host - auth);
		if (at && !valid_userinfo(auth, (size_t)(at - auth)))
			return -1;
		if (hlen && host[0] == '[') {
			const char *close = NULL;
			for (size_t i = 0; i < hlen; i++)
				if (host[i] == ']')
					close = host + i;
			if (!close || !valid_port(close + 1, hlen - (size_t)(close + 1 - host)))
				return -1;
		} else {
			const char *colon = NULL;
			for (size_t i = 0; i < hlen; i++)
				if (host[i] == ':')
					colon = host + i;
			if (colon && !valid_port(colon, hlen - (size_t)(colon - host)))
				return -1;
		}
		u->host = unescape(host, hlen, true);
		if (!u->host)
			return -1;
	}
	u->path = unescape(path, plen, false);
	if (!u->path) {
		free(u->host);
		u->host = NULL;
		return -1;
	}
	if (!u->host)
		u->host = strdup("");
	return 0;
}

static void url_parts_free(struct url_parts *u)
{
	free(u->host);
	free(u->path);
}

static bool is_url(const char *s)
{
	size_t runes = pb_utf8_runes(s);
	if (!*s || runes >= 2083 || strlen(s) <= 3 || s[0] == '.')
		return false;
	char *tmp = NULL;
	if (strchr(s, ':') && !strstr(s, "://")) {
		tmp = malloc(strlen(s) + 8);
		if (!tmp)
			abort();
		strcpy(tmp, "http://");
		strcat(tmp, s);
	}
	struct url_parts u;
	int rc = url_parse(tmp ? tmp : s, &u);
	free(tmp);
	if (rc != 0)
		return false;
	bool ok = u.host[0] != '.' && !(u.host[0] == '\0' && u.path[0] != '\0' && !strchr(u.path, '.'));
	url_parts_free(&u);
	return ok && pb_regex_match(url_pattern, s, strlen(s)) == 1;
}

static int url_validate(const struct pb_field *f, const struct pb_field_value *v, struct pb_field_error *out)
{
	const char *val = json_is_string(v->value) ? json_string_value(v->value) : "";
	if (f->required && pbf_required_string(val, out))
		return 1;
	if (!*val)
		return 0;
	if (!is_url(val))
		return pb_field_error_set(out, PB_VMSG_INVALID_URL, NULL);
	struct url_parts u;
	const char *host = "";
	bool parsed = url_parse(val, &u) == 0;
	if (parsed)
		host = u.host;
	int rc = 0;
	if (json_array_size(pb_field_opt_list(f, "onlyDomains")) > 0 && !pb_field_opt_list_has(f, "onlyDomains", host))
		rc = pb_field_error_set(out, PB_VMSG_URL_DOMAIN, NULL);
	else if (json_array_size(pb_field_opt_list(f, "exceptDomains")) > 0 &&
	         pb_field_opt_list_has(f, "exceptDomains", host))
		rc = pb_field_error_set(out, PB_VMSG_URL_DOMAIN, NULL);
	if (parsed)
		url_parts_free(&u);
	return rc;
}

const struct pb_field_ops pb_field_url_type = {
	.type = PB_FIELD_URL,
	.modifiers = PB_MOD_BIT(PB_MOD_SET),
	.prepare = pbf_string_prepare,
	.validate = url_validate,
	.to_db = pbf_string_to_db,
	.from_column = pbf_string_from_column,
	.write_column = pbf_string_write_column,
	.zero = pbf_string_zero,
	.column_def = pbf_text_column_def,
};
