/* record_auth_messages — the wire strings of the record auth endpoints (PocketBase v0.39.11,
 * apis/record_auth*.go and apis/middlewares.go), already sentenized, and the validation codes /
 * messages of their form checks, kept in one place. */
#ifndef POCKETC_API_RECORD_AUTH_MESSAGES_H
#define POCKETC_API_RECORD_AUTH_MESSAGES_H

#define PB_MSG_LOAD_FAILED "An error occurred while loading the submitted data."
#define PB_MSG_VALIDATE_FAILED "An error occurred while validating the submitted data."
#define PB_MSG_SAME_COLLECTION_AUTH "The request requires auth record from %s collection." /* printf */
#define PB_MSG_PASSWORD_AUTH_DISABLED "The collection is not configured to allow password authentication."
#define PB_MSG_OTP_DISABLED "The collection is not configured to allow OTP authentication."
#define PB_MSG_OTP_INVALID "Invalid or expired OTP."
#define PB_MSG_OTP_TOO_MANY "Too many attempts, please try again later with a new OTP."
#define PB_MSG_SUPERUSERS_VERIFIED "All superusers are verified by default."
#define PB_MSG_SUPERUSERS_EMAIL "All superusers can change their emails directly."
#define PB_MSG_VERIFICATION_SAVE_FAILED "An error occurred while saving the verified state."
#define PB_MSG_VERIFICATION_TOKEN_INVALID "Invalid or expired verification token."
#define PB_MSG_RESET_TOKEN_INVALID "Invalid or expired password reset token."
#define PB_MSG_RESET_SAVE_FAILED "Failed to set new password."
#define PB_MSG_EMAIL_CHANGE_REQUEST_FAILED "Failed to request email change."
#define PB_MSG_EMAIL_CHANGE_CONFIRM_FAILED "Failed to confirm email change."
#define PB_MSG_TOKEN_INVALID "Invalid or expired token."

/* form validation items (code, message as PocketBase writes it before sentenizing) */
#define PB_VCODE_INVALID_TOKEN "validation_invalid_token"
#define PB_VMSG_INVALID_TOKEN "Invalid or expired token."
#define PB_VCODE_TOKEN_COLLECTION_MISMATCH "validation_token_collection_mismatch"
#define PB_VMSG_TOKEN_COLLECTION_MISMATCH "The provided token is for different auth collection."
#define PB_VCODE_INVALID_TOKEN_CLAIMS "validation_invalid_token_claims"
#define PB_VMSG_INVALID_TOKEN_CLAIMS "Missing email token claim."
#define PB_VCODE_TOKEN_EMAIL_MISMATCH "validation_token_email_mismatch"
#define PB_VMSG_TOKEN_EMAIL_MISMATCH "The record email doesn't match with the requested token claims."
#define PB_VCODE_INVALID_TOKEN_PAYLOAD "validation_invalid_token_payload"
#define PB_VMSG_INVALID_TOKEN_PAYLOAD "Invalid token payload - newEmail must be set."
#define PB_VCODE_INVALID_TOKEN_EMAIL "validation_invalid_token_email"
#define PB_VMSG_INVALID_TOKEN_EMAIL "The new email address is invalid."
#define PB_VCODE_INVALID_PASSWORD "validation_invalid_password"
#define PB_VMSG_INVALID_PASSWORD "Missing or invalid auth record password."
#define PB_VCODE_INVALID_NEW_EMAIL "validation_invalid_new_email"
#define PB_VMSG_INVALID_NEW_EMAIL "Invalid new email address."
#define PB_VCODE_NOT_IN_INVALID "validation_not_in_invalid"
#define PB_VMSG_NOT_IN_INVALID "must not be in list"

#endif
