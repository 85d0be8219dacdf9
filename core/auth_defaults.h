/* auth_defaults — the options a new auth collection starts with.
 * Mirrors the defaults PocketBase puts into a fresh auth collection (NewAuthCollection):
 * authRule "", manageRule null, login alerts on, OAuth2 off, password auth by email, MFA off
 * (600 s), OTP off (180 s, 8 digits), five token configs with fresh 50-char random secrets
 * (authToken 432000 s, passwordResetToken 1800, emailChangeToken 1800, verificationToken
 * 86400, fileToken 180) and the five default email templates. Keys are inserted in the
 * order PocketBase stores them (Go struct order, not alphabetical), so the dumped object
 * reads exactly like a `_collections.options` value written by PocketBase.
 *
 * The template wording is our own; the placeholders ({APP_NAME}, {APP_URL}, {TOKEN}, {OTP},
 * {ALERT_INFO}) and the dashboard links (/_/#/auth/...) are PocketBase's. */
#ifndef POCKETC_CORE_AUTH_DEFAULTS_H
#define POCKETC_CORE_AUTH_DEFAULTS_H

#include <jansson.h>
#include <stddef.h>

struct pb_email_template {
	const char *subject; /* static */
	const char *body;    /* static HTML */
};

extern const struct pb_email_template pb_default_verification_template;
extern const struct pb_email_template pb_default_reset_password_template;
extern const struct pb_email_template pb_default_confirm_email_change_template;
extern const struct pb_email_template pb_default_otp_template;
extern const struct pb_email_template pb_default_auth_alert_template;

/* Length of a token secret: 50 chars of [A-Za-z0-9] (security.RandomString(50)). */
#define PB_TOKEN_SECRET_LEN 50

/* Builds the stored options object of a new auth collection with fresh random secrets.
 * Returns a new reference (caller json_decref's it), or NULL when the RNG fails. */
json_t *pb_auth_options_new_default(void);

#endif
