/* auth_options — typed read access to the auth options of a collection (pb-data-model.md §4.4;
 * core/collection_model_auth_options.go): passwordAuth, mfa, otp, oauth2.enabled and
 * authAlert.enabled as the auth flows consult them. Values come from the stored options JSON;
 * a missing or mistyped key reads as Go's zero value (false, 0, "", no identity fields). */
#ifndef POCKETC_COLLECTIONS_AUTH_OPTIONS_H
#define POCKETC_COLLECTIONS_AUTH_OPTIONS_H

#include <jansson.h>
#include <stdbool.h>

#include "collections/collection.h"

#define PB_SUPERUSERS "_superusers"
#define PB_INSTALLER_EMAIL "__pbinstaller@example.com"

struct pb_auth_options {
	bool password_enabled;
	const json_t *identity_fields; /* borrowed array of strings; NULL when none */
	bool mfa_enabled;
	long long mfa_duration;        /* seconds */
	const char *mfa_rule;          /* borrowed, "" when none */
	bool otp_enabled;
	long long otp_duration;        /* seconds */
	int otp_length;
	bool oauth2_enabled;
	bool auth_alert_enabled;
};

/* Fills o from c's options (borrowed: valid while c is). Works on any collection; a base
 * collection simply reads as all disabled. */
void pb_auth_options_get(const struct pb_collection *c, struct pb_auth_options *o);

/* True when `name` is one of the password identity fields. */
bool pb_auth_options_is_identity(const struct pb_auth_options *o, const char *name);

/* True when c is the `_superusers` collection. */
bool pb_collection_is_superusers(const struct pb_collection *c);

#endif
