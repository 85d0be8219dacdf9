/* record_auth — the record auth endpoints under /api/collections/{collection}/…, one file per
 * group as in PocketBase's apis/record_auth*.go: auth-methods, auth-with-password,
 * auth-refresh, impersonate, request-otp / auth-with-otp, request-/confirm-verification,
 * request-/confirm-password-reset, request-/confirm-email-change, auth-with-oauth2 and the
 * global /api/oauth2-redirect.
 * Every handler answers PocketBase's status codes and messages (pb-api.md §6.4, §6.5),
 * including its enumeration protection (200/204 where a miss must not show). Database writes
 * are writer jobs, bcrypt runs on the app's blocking pool, answers come back on the request's
 * worker loop. Their routes run pb_api_collection_context (collectionPathRateLimit's collection
 * check) before the body is read. */
#ifndef POCKETC_API_RECORD_AUTH_H
#define POCKETC_API_RECORD_AUTH_H

#include <stdbool.h>

#include "api/http.h"

void pb_api_record_auth_methods(struct pb_req *req);           /* record_auth_methods.c */
void pb_api_record_auth_with_password(struct pb_req *req);     /* record_auth_with_password.c */
void pb_api_record_auth_refresh(struct pb_req *req);           /* record_auth_refresh.c */
void pb_api_record_auth_impersonate(struct pb_req *req);       /* record_auth_impersonate.c */
void pb_api_record_request_otp(struct pb_req *req);            /* record_auth_otp.c */
void pb_api_record_auth_with_otp(struct pb_req *req);
void pb_api_record_auth_with_oauth2(struct pb_req *req);       /* record_auth_with_oauth2.c */
void pb_api_oauth2_redirect(struct pb_req *req);               /* oauth2_redirect.c (GET and POST) */
void pb_api_record_request_verification(struct pb_req *req);   /* record_auth_verification.c */
void pb_api_record_confirm_verification(struct pb_req *req);
void pb_api_record_request_password_reset(struct pb_req *req); /* record_auth_password_reset.c */
void pb_api_record_confirm_password_reset(struct pb_req *req);
void pb_api_record_request_email_change(struct pb_req *req);   /* record_auth_email_change.c */
void pb_api_record_confirm_email_change(struct pb_req *req);

#endif
