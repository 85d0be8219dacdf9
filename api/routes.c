/* routes — the route table: PocketBase v0.39.11's routes (apis/base.go and friends) that
 * pocketc serves, plus the static `GET /{path...}` of the official binary and the catch-all
 * that answers everything else with a JSON 404. */
#include "api/backup.h"
#include "api/batch.h"
#include "api/collection_write.h"
#include "api/file.h"
#include "api/handlers.h"
#include "api/record_auth.h"
#include "api/realtime.h"
#include "api/router.h"

void pb_api_not_found(struct pb_req *req) { pb_resp_error(req, 404, NULL, NULL); }

const struct pb_route pb_routes[] = {
	{"GET", "/api/health", pb_api_health, 0, NULL},
	{"GET", "/api/collections", pb_api_collections_list, PB_ROUTE_SUPERUSER, NULL},
	{"POST", "/api/collections", pb_api_collection_create, PB_ROUTE_SUPERUSER, NULL},
	{"GET", "/api/collections/{collection}", pb_api_collections_view, PB_ROUTE_SUPERUSER, NULL},
	{"PATCH", "/api/collections/{collection}", pb_api_collection_update, PB_ROUTE_SUPERUSER, NULL},
	{"DELETE", "/api/collections/{collection}", pb_api_collection_delete, PB_ROUTE_SUPERUSER, NULL},
	{"DELETE", "/api/collections/{collection}/truncate", pb_api_collection_truncate, PB_ROUTE_SUPERUSER, NULL},
	{"PUT", "/api/collections/import", pb_api_collections_import, PB_ROUTE_SUPERUSER, NULL},
	{"GET", "/api/collections/meta/scaffolds", pb_api_collection_scaffolds, PB_ROUTE_SUPERUSER, NULL},
	{"GET", "/api/collections/meta/oauth2-providers", pb_api_collection_oauth2_providers, PB_ROUTE_SUPERUSER, NULL},
	{"POST", "/api/collections/meta/dry-run-view", pb_api_collection_dry_run_view, PB_ROUTE_SUPERUSER, NULL},
	{"GET", "/api/collections/{collection}/records", pb_api_records_list, 0, NULL},
	{"GET", "/api/collections/{collection}/records/{id}", pb_api_records_view, 0, NULL},
	{"POST", "/api/collections/{collection}/records", pb_api_records_create, 0, pb_api_records_write_before_body},
	{"PATCH", "/api/collections/{collection}/records/{id}", pb_api_records_update, 0,
	 pb_api_records_write_before_body},
	{"DELETE", "/api/collections/{collection}/records/{id}", pb_api_records_delete, 0, NULL},
	{"GET", "/api/collections/{collection}/auth-methods", pb_api_record_auth_methods, 0, pb_api_collection_context},
	{"POST", "/api/collections/{collection}/auth-refresh", pb_api_record_auth_refresh, 0,
	 pb_api_collection_context},
	{"POST", "/api/collections/{collection}/auth-with-password", pb_api_record_auth_with_password, 0,
	 pb_api_collection_context},
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
	{"POST", "/api/collections/{collection}/impersonate/{id}", pb_api_record_auth_impersonate, PB_ROUTE_SUPERUSER, NULL},
	{"GET", "/api/realtime", pb_api_realtime_connect, 0, NULL},
	{"POST", "/api/realtime", pb_api_realtime_subscribe, 0, NULL},
	{"POST", "/api/batch", pb_api_batch, 0, pb_api_batch_before_body},
	{"POST", "/api/files/token", pb_api_file_token, PB_ROUTE_AUTH, NULL},
	{"GET", "/api/files/{collection}/{recordId}/{filename}", pb_api_file_download, 0, pb_api_collection_context},
	{"GET", "/api/backups", pb_api_backups_list, PB_ROUTE_SUPERUSER, NULL},
	{"POST", "/api/backups", pb_api_backups_create, PB_ROUTE_SUPERUSER, NULL},
	{"POST", "/api/backups/upload", pb_api_backups_upload, PB_ROUTE_SUPERUSER, pb_api_backups_upload_before_body},
	{"GET", "/api/backups/{key}", pb_api_backups_download, 0, NULL},
	{"DELETE", "/api/backups/{key}", pb_api_backups_delete, PB_ROUTE_SUPERUSER, NULL},
	{"POST", "/api/backups/{key}/restore", pb_api_backups_restore, PB_ROUTE_SUPERUSER, NULL},
	{"GET", "/_/{path...}", pb_api_admin_ui, 0, NULL},
	{"GET", "/{path...}", pb_api_static, 0, NULL},
	{NULL, "/{path...}", pb_api_not_found, 0, NULL},
	{0},
};
