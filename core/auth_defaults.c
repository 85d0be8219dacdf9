/* auth_defaults — default auth-collection options and email templates (see auth_defaults.h).
 * The templates are written for pocketc; only their placeholders and links follow PocketBase
 * so that a pb_data created here sends working emails when opened by PocketBase. */
#include "core/auth_defaults.h"

#include <stdbool.h>
#include <string.h>

#include "core/random.h"

const struct pb_email_template pb_default_verification_template = {
	"Please confirm your {APP_NAME} email address",
	"<p>Hi there,</p>\n"
	"<p>Welcome to {APP_NAME}! One last step: please confirm that this email address belongs to you.</p>\n"
	"<p>\n"
	"  <a class=\"btn\" href=\"{APP_URL}/_/#/auth/confirm-verification/{TOKEN}\" target=\"_blank\" "
	"rel=\"noopener\">Confirm my email</a>\n"
	"</p>\n"
	"<p>\n"
	"  Best regards,<br/>\n"
	"  The {APP_NAME} team\n"
	"</p>",
};

const struct pb_email_template pb_default_reset_password_template = {
	"Choose a new {APP_NAME} password",
	"<p>Hi there,</p>\n"
	"<p>Someone asked to reset the password of your {APP_NAME} account. Use the button below to pick a new one.</p>\n"
	"<p>\n"
	"  <a class=\"btn\" href=\"{APP_URL}/_/#/auth/confirm-password-reset/{TOKEN}\" target=\"_blank\" "
	"rel=\"noopener\">Set a new password</a>\n"
	"</p>\n"
	"<p><i>Did not ask for this? Then no action is needed and your password stays the same.</i></p>\n"
	"<p>\n"
	"  Best regards,<br/>\n"
	"  The {APP_NAME} team\n"
	"</p>",
};

const struct pb_email_template pb_default_confirm_email_change_template = {
	"Approve your new {APP_NAME} email address",
	"<p>Hi there,</p>\n"
	"<p>Please approve the change of your {APP_NAME} account email to this address.</p>\n"
	"<p>\n"
	"  <a class=\"btn\" href=\"{APP_URL}/_/#/auth/confirm-email-change/{TOKEN}\" target=\"_blank\" "
	"rel=\"noopener\">Approve new email</a>\n"
	"</p>\n"
	"<p><i>Did not ask for this? Then simply ignore this message; your email stays unchanged.</i></p>\n"
	"<p>\n"
	"  Best regards,<br/>\n"
	"  The {APP_NAME} team\n"
	"</p>",
};

const struct pb_email_template pb_default_otp_template = {
	"Your {APP_NAME} sign-in code",
	"<p>Hi there,</p>\n"
	"<p>Here is your one-time sign-in code: <strong>{OTP}</strong></p>\n"
	"<p><i>Did not try to sign in? Then you can safely ignore this message.</i></p>\n"
	"<p>\n"
	"  Best regards,<br/>\n"
	"  The {APP_NAME} team\n"
	"</p>",
};

const struct pb_email_template pb_default_auth_alert_template = {
	"New sign-in to your {APP_NAME} account",
	"<p>Hi there,</p>\n"
	"<p>Your {APP_NAME} account was just used to sign in from a location we have not seen before:</p>\n"
	"<p><em>{ALERT_INFO}</em></p>\n"
	"<p><strong>If this was not you, change your {APP_NAME} password right away; doing so signs out "
	"every other session.</strong></p>\n"
	"<p>If it was you, there is nothing more to do.</p>\n"
	"<p>\n"
	"  Best regards,<br/>\n"
	"  The {APP_NAME} team\n"
	"</p>",
};

static json_t *template_json(const struct pb_email_template *t)
{
	json_t *o = json_object();
	json_object_set_new(o, "subject", json_string(t->subject));
	json_object_set_new(o, "body", json_string(t->body));
	return o;
}

/* {secret, duration} with a fresh secret; NULL when the RNG fails. */
static json_t *token_json(long long duration)
{
	char secret[PB_TOKEN_SECRET_LEN + 1];
	if (pb_random_string(secret, PB_TOKEN_SECRET_LEN, PB_ALPHABET_ALNUM) != 0)
		return NULL;
	json_t *o = json_object();
	json_object_set_new(o, "secret", json_string(secret));
	json_object_set_new(o, "duration", json_integer(duration));
	return o;
}

json_t *pb_auth_options_new_default(void)
{
	json_t *o = json_object();

	json_object_set_new(o, "authRule", json_string(""));
	json_object_set_new(o, "manageRule", json_null());

	json_t *alert = json_object();
	json_object_set_new(alert, "enabled", json_true());
	json_object_set_new(alert, "emailTemplate", template_json(&pb_default_auth_alert_template));
	json_object_set_new(o, "authAlert", alert);

	json_t *oauth2 = json_object();
	json_t *mapped = json_object();
	json_object_set_new(mapped, "id", json_string(""));
	json_object_set_new(mapped, "name", json_string(""));
	json_object_set_new(mapped, "username", json_string(""));
	json_object_set_new(mapped, "avatarURL", json_string(""));
	json_object_set_new(oauth2, "providers", json_null());
	json_object_set_new(oauth2, "mappedFields", mapped);
	json_object_set_new(oauth2, "enabled", json_false());
	json_object_set_new(o, "oauth2", oauth2);

	json_t *password = json_object();
	json_object_set_new(password, "enabled", json_true());
	json_t *identity = json_array();
	json_array_append_new(identity, json_string("email"));
	json_object_set_new(password, "identityFields", identity);
	json_object_set_new(o, "passwordAuth", password);

	json_t *mfa = json_object();
	json_object_set_new(mfa, "enabled", json_false());
	json_object_set_new(mfa, "duration", json_integer(600));
	json_object_set_new(mfa, "rule", json_string(""));
	json_object_set_new(o, "mfa", mfa);

	json_t *otp = json_object();
	json_object_set_new(otp, "enabled", json_false());
	json_object_set_new(otp, "duration", json_integer(180));
	json_object_set_new(otp, "length", json_integer(8));
	json_object_set_new(otp, "emailTemplate", template_json(&pb_default_otp_template));
	json_object_set_new(o, "otp", otp);

	static const struct {
		const char *key;
		long long duration;
	} tokens[] = {
		{"authToken", 432000},        /* 5 days */
		{"passwordResetToken", 1800}, /* 30 min */
		{"emailChangeToken", 1800},   /* 30 min */
		{"verificationToken", 86400}, /* 1 day */
		{"fileToken", 180},           /* 3 min */
	};
	for (size_t i = 0; i < sizeof tokens / sizeof tokens[0]; i++) {
		json_t *t = token_json(tokens[i].duration);
		if (!t) {
			json_decref(o);
			return NULL;
		}
		json_object_set_new(o, tokens[i].key, t);
	}

	json_object_set_new(o, "verificationTemplate", template_json(&pb_default_verification_template));
	json_object_set_new(o, "resetPasswordTemplate", template_json(&pb_default_reset_password_template));
	json_object_set_new(o, "confirmEmailChangeTemplate", template_json(&pb_default_confirm_email_change_template));
	return o;
}
