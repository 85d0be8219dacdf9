/* messages — the wire strings of API errors, as PocketBase v0.39.11 sends them (already
 * sentenized), kept in one place so handlers never retype them. */
#ifndef POCKETC_API_MESSAGES_H
#define POCKETC_API_MESSAGES_H

#define PB_MSG_REQUIRES_AUTH "The request requires valid record authorization token."
#define PB_MSG_AUTH_NOT_ALLOWED "The authorized record is not allowed to perform this action."
#define PB_MSG_ONLY_SUPERUSERS "Only superusers can perform this action."
#define PB_MSG_MISSING_COLLECTION "Missing collection context."
#define PB_MSG_MISSING_OR_INVALID_COLLECTION "Missing or invalid collection context."
#define PB_MSG_MISSING_AUTH_COLLECTION "Missing or invalid auth collection context."
#define PB_MSG_FILE_NOT_FOUND "File not found."
#define PB_MSG_NOT_FOUND "The requested resource wasn't found."
#define PB_MSG_UNSUPPORTED_COLLECTION_TYPE "Unsupported collection type."
#define PB_MSG_FAILED_READ_DATA "Failed to read the submitted data."
#define PB_MSG_HEALTHY "API is healthy."

/* backups (apis/backup*.go) */
#define PB_MSG_BACKUP_BUSY "Try again later - another backup/restore process has already been started."
#define PB_MSG_BACKUP_LIST_FAILED "Failed to retrieve backup items. Raw error: \n"
#define PB_MSG_BACKUP_LOAD_FAILED "An error occurred while loading the submitted data."
#define PB_MSG_BACKUP_VALIDATE_FAILED "An error occurred while validating the submitted data."
#define PB_MSG_BACKUP_CREATE_FAILED "Failed to create backup."
#define PB_MSG_BACKUP_UPLOAD_FAILED "Failed to upload backup."
#define PB_MSG_BACKUP_FORBIDDEN "Insufficient permissions to access the resource."
#define PB_MSG_BACKUP_IN_USE "The backup is currently being used and cannot be deleted."
#define PB_MSG_BACKUP_DELETE_FAILED "Invalid or already deleted backup file. Raw error: \n"
#define PB_MSG_BACKUP_RESTORE_MISSING "Missing or invalid backup file."
#define PB_MSG_BACKUP_NAME_EXISTS "The backup file name is invalid or already exists."
#define PB_MSG_BACKUP_FILE_EXISTS "Backup file with the specified name already exists."

/* realtime (apis/realtime.go) */
#define PB_MSG_RT_MISSING_CLIENT "Missing or invalid client id."
#define PB_MSG_RT_INVALID_CLIENT "Invalid realtime client."
#define PB_MSG_RT_AUTH_MISMATCH "The current and the previous request authorization don't match."

#endif
