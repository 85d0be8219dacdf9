/* routes — the route table: PocketBase v0.39.11's routes (apis/base.go and friends) that
 * pocketc serves, plus the static `GET /{path...}` of the official binary and the catch-all
 * that answers everything else with a JSON 404. */
#include "api/backup.h"
#include "api/batch.h"
#include "api/file.h"
#include "api/handlers.h"
#include "api/realtime.h"
#include "api/router.h"

void pb_api_not_found(struct pb_req *req) { pb_resp_error(req, 404, NULL, NULL); }

const struct pb_route pb_routes[] = {
	{"GET", "/api/health", pb_api_health, 0, NULL},
	{"GET", "/api/collections", pb_api_collections_list, PB_ROUTE_SUPERUSER, NULL},
	{"GET", "/api/collections/{collection}", pb_api_collections_view, PB_ROUTE_SUPERUSER, NULL},
	{"GET", "/api/collections/{collection}/records", pb_api_records_list, 0, NULL},
	{"GET", "/api/collections/{collection}/records/{id}", pb_api_records_view, 0, NULL},
	{"POST", "/api/collections/{collection}/records", pb_api_records_create, 0, pb_api_records_write_before_body},
	{"PATCH", "/api/collections/{collection}/records/{id}", pb_api_records_update, 0,
	 pb_api_records_write_before_body},
	{"DELETE", "/api/collections/{collection}/records/{id}", pb_api_records_delete, 0, NULL},
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
