/* oauth2_providers — the OAuth2 providers PocketBase v0.39.11 knows (tools/auth: one entry per
 * registered name, `oidc` three times as oidc/oidc2/oidc3), read from the one registry in
 * core/oauth2.h, with the display name and the sort order its dashboard uses. Collection validation accepts only these names
 * (validation_missing_provider) and GET /api/collections/meta/oauth2-providers lists them. The
 * logos are pocketc's own plain badges (an SVG with the provider's initial), not vendor art. */
#ifndef POCKETC_COLLECTIONS_OAUTH2_PROVIDERS_H
#define POCKETC_COLLECTIONS_OAUTH2_PROVIDERS_H

#include <jansson.h>
#include <stdbool.h>

/* True when `name` (borrowed) is a registered provider name (exact). */
bool pb_oauth2_provider_known(const char *name);

/* pocketc's logo for a provider: an SVG badge with the first letter of `display_name`
 * (borrowed). Caller frees. */
char *pb_oauth2_provider_logo(const char *display_name);

/* The providers list of the meta endpoint: [{"name","displayName","logo"}, …] sorted by order,
 * then name. New reference. */
json_t *pb_oauth2_providers_list(void);

#endif
