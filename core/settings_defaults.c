/* settings_defaults — the default settings document (see settings_defaults.h).
 * Written out as one literal so the stored bytes are exactly what PocketBase would store
 * (meta.appName "Acme", rate limit rules present but disabled, logs kept 5 days). */
#include "core/settings_defaults.h"

static const char defaults_json[] =
	"{"
	"\"superuserIPs\":[],"
	"\"smtp\":{\"enabled\":false,\"port\":587,\"host\":\"smtp.example.com\",\"username\":\"\",\"password\":\"\","
	"\"authMethod\":\"\",\"tls\":false,\"localName\":\"\"},"
	"\"backups\":{\"cron\":\"\",\"cronMaxKeep\":3,\"s3\":{\"enabled\":false,\"bucket\":\"\",\"region\":\"\","
	"\"endpoint\":\"\",\"accessKey\":\"\",\"forcePathStyle\":false}},"
	"\"s3\":{\"enabled\":false,\"bucket\":\"\",\"region\":\"\",\"endpoint\":\"\",\"accessKey\":\"\","
	"\"forcePathStyle\":false},"
	"\"meta\":{\"accentColor\":\"#1055c9\",\"appName\":\"Acme\",\"appURL\":\"http://localhost:8090\","
	"\"senderName\":\"Support\",\"senderAddress\":\"support@example.com\",\"hideControls\":false},"
	"\"rateLimits\":{\"rules\":["
	"{\"label\":\"*:auth\",\"audience\":\"\",\"duration\":3,\"maxRequests\":2},"
	"{\"label\":\"*:create\",\"audience\":\"\",\"duration\":5,\"maxRequests\":20},"
	"{\"label\":\"/api/batch\",\"audience\":\"\",\"duration\":1,\"maxRequests\":3},"
	"{\"label\":\"/api/\",\"audience\":\"\",\"duration\":10,\"maxRequests\":300}],"
	"\"excludedIPs\":[],\"enabled\":false},"
	"\"trustedProxy\":{\"headers\":[],\"useLeftmostIP\":false},"
	"\"batch\":{\"enabled\":false,\"maxRequests\":50,\"timeout\":3,\"maxBodySize\":0},"
	"\"logs\":{\"maxDays\":5,\"minLevel\":0,\"logIP\":true,\"logAuthId\":false}"
	"}";

const char *pb_settings_defaults_json(void)
{
	return defaults_json;
}
