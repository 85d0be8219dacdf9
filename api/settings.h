/* settings — the /api/settings endpoints of PocketBase's apis/settings.go (superusers only):
 * GET (the settings without secrets), PATCH (merge → validate → save through the writer →
 * publish after commit), POST /test/s3, POST /test/email and POST
 * /apple/generate-client-secret. */
#ifndef POCKETC_API_SETTINGS_H
#define POCKETC_API_SETTINGS_H

#include "api/http.h"

void pb_api_settings_list(struct pb_req *req);         /* settings.c */
void pb_api_settings_set(struct pb_req *req);
void pb_api_settings_test_s3(struct pb_req *req);      /* settings_tools.c */
void pb_api_settings_test_email(struct pb_req *req);
void pb_api_settings_apple_secret(struct pb_req *req);

/* Wire messages of the settings endpoints. */
#define PB_MSG_SETTINGS_LOAD_FAILED "An error occurred while loading the submitted data."
#define PB_MSG_SETTINGS_SAVE_FAILED "An error occurred while saving the new settings."
#define PB_MSG_TEST_S3_FAILED "Failed to test the S3 filesystem."
#define PB_MSG_TEST_EMAIL_FAILED "Failed to send the test email."
#define PB_MSG_APPLE_INVALID "Invalid client secret data."
#define PB_MSG_APPLE_FAILED "Failed to generate client secret."

#endif
