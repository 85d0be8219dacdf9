/* routes — the route table: PocketBase v0.39.11's routes (apis/base.go and friends) that
 * pocketc serves, plus the static `GET /{path...}` of the official binary and the catch-all
 * that answers everything else with a JSON 404. */
#include "api/backup.h"
#include "api/batch.h"
#include "api/collection_write.h"
#include "api/cron.h"
#include "api/file.h"
#include "api/handlers.h"
#include "api/logs.h"
#include "api/record_auth.h"
#include "api/realtime.h"
#include "api/router.h"
#include "api/settings.h"
#include "api/sql.h"

void pb_api_not_found(struct pb_req *req) { pb_resp_error(req, 404, NULL, NULL); }

#define SU PB_ROUTE_SUPERUSER
#define SKIP_LOG PB_ROUTE_SKIP_SUCCESS_LOG
#define INLINE_RL PB_ROUTE_NO_RATE_LIMIT

const struct pb_route pb_routes[] = {
	{"GET", "/api/health", pb_api_health, 0, NULL},
	{"GET", "/api/collections", pb_api_collections_list, SU, NULL},
	{"POST", "/api/collections", pb_api_collection_create, SU, NULL},
	{"GET", "/api/collections/{collection}", pb_api_collections_view, SU, NULL},
	{"PATCH", "/api/collections/{collection}", pb_api_collection_update, SU, NULL},
	{"DELETE", "/api/collections/{collection}", pb_api_collection_delete, SU, NULL},
	{"DELETE", "/api/collections/{collection}/truncate", pb_api_collection_truncate, SU, NULL},
	{"PUT", "/api/collections/import", pb_api_collections_import, SU, NULL},
	{"GET", "/api/collections/meta/scaffolds", pb_api_collection_scaffolds, SU, NULL},
	{"GET", "/api/collections/meta/oauth2-providers", pb_api_collection_oauth2_providers, SU, NULL},
	{"POST", "/api/collections/meta/dry-run-view", pb_api_collection_dry_run_view, SU, NULL},
	{"GET", "/api/collections/{collection}/records", pb_api_records_list, INLINE_RL, NULL},
	{"GET", "/api/collections/{collection}/records/{id}", pb_api_records_view, INLINE_RL, NULL},
	{"POST", "/api/collections/{collection}/records", pb_api_records_create, INLINE_RL,
	 pb_api_records_write_before_body},
	{"PATCH", "/api/collections/{collection}/records/{id}", pb_api_records_update, INLINE_RL,
	 pb_api_records_write_before_body},
	{"DELETE", "/api/collections/{collection}/records/{id}", pb_api_records_delete, INLINE_RL, NULL},
	{"GET", "/api/collections/{collection}/auth-methods", pb_api_record_auth_methods, 0, pb_api_collection_context},
	{"POST", "/api/collections/{collection}/auth-refresh", pb_api_record_auth_refresh, 0,
	 pb_api_collection_context},
	{"POST", "/api/collections/{collection}/auth-with-password", pb_api_record_auth_with_password, 0,
	 pb_api_collection_context},
	{"POST", "/api/collections/{collection}/auth-with-oauth2", pb_api_record_auth_with_oauth2, 0,
	 pb_api_collection_context},
	{"GET", "/api/oauth2-redirect", pb_api_oauth2_redirect, SKIP_LOG, NULL},
	{"POST", "/api/oauth2-redirect", pb_api_oauth2_redirect, SKIP_LOG, NULL},
	{"POST", "/api/collections/{collection}/request-otp", pb_api_record_request_otp, 0, pb_api_collection_context},
	{"POST", "/api/collections/{collection}/auth-with-otp", pb_api_record_auth_with_otp, 0,
	 pb_api_collection_context},
	{"POST", "/api/collections/{collection}/request-password-reset", pb_api_record_request_password_reset, 0,
	 pb_api_collection_context},
	{"POST", "/api/collections/{collection}/confirm-password-reset", pb_api_record_confirm_password_reset, 0,
	 pb_api_collection_context},
	{"POST", "/api/collections/{collection}/request-verification", pb_api_record_request_verification, 0,
	 pb_api_collection_context},
	{"POST", "/api/collections/{collection}/confirm-verification", pb_api_record_confirm_verification, 0,
	 pb_api_collection_context},
	{"POST", "/api/collections/{collection}/request-email-change", pb_api_record_request_email_change, 0,
	 pb_api_collection_context},
	{"POST", "/api/collections/{collection}/confirm-email-change", pb_api_record_confirm_email_change, 0,
	 pb_api_collection_context},
	{"POST", "/api/collections/{collection}/impersonate/{id}", pb_api_record_auth_impersonate, SU, NULL},
	{"GET", "/api/realtime", pb_api_realtime_connect, SKIP_LOG, NULL},
	{"POST", "/api/realtime", pb_api_realtime_subscribe, 0, NULL},
	{"POST", "/api/batch", pb_api_batch, 0, pb_api_batch_before_body},
	{"POST", "/api/files/token", pb_api_file_token, PB_ROUTE_AUTH, NULL},
	{"GET", "/api/files/{collection}/{recordId}/{filename}", pb_api_file_download, 0, pb_api_collection_context},
	{"GET", "/api/settings", pb_api_settings_list, SU, NULL},
	{"PATCH", "/api/settings", pb_api_settings_set, SU, NULL},
	{"POST", "/api/settings/test/s3", pb_api_settings_test_s3, SU, NULL},
	{"POST", "/api/settings/test/email", pb_api_settings_test_email, SU, NULL},
	{"POST", "/api/settings/apple/generate-client-secret", pb_api_settings_apple_secret, SU, NULL},
	{"GET", "/api/logs", pb_api_logs_list, SU | SKIP_LOG, NULL},
	{"GET", "/api/logs/stats", pb_api_logs_stats, SU | SKIP_LOG, NULL},
	{"GET", "/api/logs/{id}", pb_api_logs_view, SU | SKIP_LOG, NULL},
	{"GET", "/api/crons", pb_api_crons_list, SU, NULL},
	{"POST", "/api/crons/{id}", pb_api_crons_run, SU, NULL},
	{"POST", "/api/sql", pb_api_sql, SU, NULL},
	{"GET", "/api/backups", pb_api_backups_list, PB_ROUTE_SUPERUSER, NULL},
	{"POST", "/api/backups", pb_api_backups_create, PB_ROUTE_SUPERUSER, NULL},
	{"POST", "/api/backups/upload", pb_api_backups_upload, PB_ROUTE_SUPERUSER, pb_api_backups_upload_before_body},
	{"GET", "/api/backups/{key}", pb_api_backups_download, 0, NULL},
	{"DELETE", "/api/backups/{key}", pb_api_backups_delete, PB_ROUTE_SUPERUSER, NULL},
	{"POST", "/api/backups/{key}/restore", pb_api_backups_restore, PB_ROUTE_SUPERUSER, NULL},
	{"GET", "/_/extensions.js", pb_api_admin_ui_extensions, SKIP_LOG, NULL},
	{"GET", "/_/{path...}", pb_api_admin_ui, SKIP_LOG, NULL},
	{"GET", "/{path...}", pb_api_static, SKIP_LOG, NULL},
	{NULL, "/{path...}", pb_api_not_found, 0, NULL},
	{0},
};
