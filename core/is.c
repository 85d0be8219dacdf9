/* is — govalidator predicates used by PocketBase's `is` rules (see is.h). The patterns below
 * describe the same languages as govalidator's (commit a9d515a09cc2) and are evaluated with
 * Go regexp semantics by core/rx. */
#include "core/is.h"

#include <stdlib.h>
#include <string.h>

#include "core/netip.h"
#include "core/rx.h"

/* Unicode letters accepted by the email pattern. */
#define UCS "\\x{00A0}-\\x{D7FF}\\x{F900}-\\x{FDCF}\\x{FDF0}-\\x{FFEF}"

/* Local part: dot-atom of atext, or a quoted string with folding white space and quoted pairs;
 * domain: dot-separated labels of letters/digits (inner '-', '.', '_', '~'), a letter TLD and an
 * optional final dot. */
static const char email_pattern[] =
	"^(((([a-zA-Z]|\\d|[!#\\$%&'\\*\\+\\-\\/=\\?\\^_`{\\|}~]|[" UCS "])+(\\.([a-zA-Z]|\\d|[!#\\$%&'\\*\\+\\-\\/=\\?"
	"\\^_`{\\|}~]|[" UCS "])+)*)|((\\x22)((((\\x20|\\x09)*(\\x0d\\x0a))?(\\x20|\\x09)+)?(([\\x01-\\x08\\x0b\\x0c"
	"\\x0e-\\x1f\\x7f]|\\x21|[\\x23-\\x5b]|[\\x5d-\\x7e]|[" UCS "])|(\\([\\x01-\\x09\\x0b\\x0c\\x0d-\\x7f]|[" UCS
	"]))))*(((\\x20|\\x09)*(\\x0d\\x0a))?(\\x20|\\x09)+)?(\\x22)))@((([a-zA-Z]|\\d|[" UCS "])|(([a-zA-Z]|\\d|["
	UCS "])([a-zA-Z]|\\d|-|\\.|_|~|[" UCS "])*([a-zA-Z]|\\d|[" UCS "])))\\.)+(([a-zA-Z]|[" UCS "])|(([a-zA-Z]|["
	UCS "])([a-zA-Z]|\\d|-|_|~|[" UCS "])*([a-zA-Z]|[" UCS "])))\\.?$";

static const char dns_name_pattern[] =
	"^([a-zA-Z0-9_]{1}[a-zA-Z0-9_-]{0,62}){1}(\\.[a-zA-Z0-9_]{1}[a-zA-Z0-9_-]{0,62})*[\\._]?$";

static const char hex_color_pattern[] = "^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$";

/* IPv6 (and a few IPv4-embedded forms) as the URL pattern accepts inside brackets. */
#define H4 "[0-9a-fA-F]{1,4}"
#define V4 "((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])"
#define IP6                                                                                             \
	"((" H4 ":){7,7}" H4 "|(" H4 ":){1,7}:|(" H4 ":){1,6}:" H4 "|(" H4 ":){1,5}(:" H4 "){1,2}|(" H4 \
	":){1,4}(:" H4 "){1,3}|(" H4 ":){1,3}(:" H4 "){1,4}|(" H4 ":){1,2}(:" H4 "){1,5}|" H4 ":((:" H4   \
	"){1,6})|:((:" H4 "){1,7}|:)|fe80:(:[0-9a-fA-F]{0,4}){0,4}%[0-9a-zA-Z]{1,}|::(ffff(:0{1,4}){0,1}:){0,1}" V4 \
	"|(" H4 ":){1,4}:" V4 ")"

#define URL_SCHEMA "((ftp|tcp|udp|wss?|https?):\\/\\/)"
#define URL_USER "(\\S+(:\\S*)?@)"
#define URL_PATH "((\\/|\\?|#)[^\\s]*)"
#define URL_PORT "(:(\\d{1,5}))"
#define URL_IP                                                                              \
	"([1-9]\\d?|1\\d\\d|2[01]\\d|22[0-3]|24\\d|25[0-5])(\\.(\\d{1,2}|1\\d\\d|2[0-4]\\d|25[0-5])){2}" \
	"(?:\\.([0-9]\\d?|1\\d\\d|2[0-4]\\d|25[0-5]))"
#define URL_SUB "((www\\.)|([a-zA-Z0-9]+([-_\\.]?[a-zA-Z0-9])*[a-zA-Z0-9]\\.[a-zA-Z0-9]+))"
#define URL_WORD "[a-zA-Z\\x{00a1}-\\x{ffff}0-9]"

/* Optional scheme and userinfo; host = IPv4 | [IPv6] | optional (dashed name | subdomain)
 * followed by a word, an optional letter TLD; optional dot, port and path. */
static const char url_pattern[] =
	"^" URL_SCHEMA "?" URL_USER "?((" URL_IP "|(\\[" IP6 "\\])|(([a-zA-Z0-9]([a-zA-Z0-9-_]+)?[a-zA-Z0-9]([-\\.]"
	"[a-zA-Z0-9]+)*)|(" URL_SUB "?))?((" URL_WORD "+-?-?)*" URL_WORD "+)(?:\\.([a-zA-Z\\x{00a1}-\\x{ffff}]{1,}))?))"
	"\\.?" URL_PORT "?" URL_PATH "?$";

#define URL_MAX_RUNES 2083
#define URL_MIN_BYTES 3

static size_t rune_count(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; n++) {
		size_t size;
		pb_rx_decode_rune(s + i, len - i, &size);
		i += size;
	}
	return n;
}

static bool contains(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(s + i, needle, n) == 0)
			return true;
	return false;
}

bool pb_is_url(const char *s, size_t len)
{
	if (len == 0 || len <= URL_MIN_BYTES || rune_count(s, len) >= URL_MAX_RUNES || s[0] == '.')
		return false;
	char *tmp = NULL;
	const char *parse_s = s;
	size_t parse_len = len;
	if (memchr(s, ':', len) && !contains(s, len, "://")) {
		tmp = malloc(len + 8);
		if (!tmp)
			abort();
		memcpy(tmp, "http://", 7);
		memcpy(tmp + 7, s, len);
		parse_s = tmp;
		parse_len = len + 7;
	}
	char *host = NULL, *path = NULL;
	bool ok = pb_is_go_url_parse(parse_s, parse_len, &host, &path);
	free(tmp);
	if (ok && host[0] == '.')
		ok = false;
	if (ok && host[0] == '\0' && path[0] != '\0' && !strchr(path, '.'))
		ok = false;
	free(host);
	free(path);
	return ok && pb_rx_match_once(url_pattern, s, len);
}

bool pb_is_dns_name(const char *s, size_t len)
{
	size_t nodots = 0;
	for (size_t i = 0; i < len; i++)
		nodots += s[i] != '.';
	if (len == 0 || nodots > 255)
		return false;
	return !pb_netip_is_ip(s, len) && pb_rx_match_once(dns_name_pattern, s, len);
}

bool pb_is_host(const char *s, size_t len)
{
	return pb_netip_is_ip(s, len) || pb_is_dns_name(s, len);
}

bool pb_is_email(const char *s, size_t len)
{
	return pb_rx_match_once(email_pattern, s, len);
}

bool pb_is_hex_color(const char *s, size_t len)
{
	return pb_rx_match_once(hex_color_pattern, s, len);
}
