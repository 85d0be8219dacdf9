/* collection_save — the collections write path as writer jobs: create, update, delete,
 * truncate and import, each ONE job so the DDL and the `_collections` row commit (or roll
 * back) together. Mirrors PocketBase's App.Save / App.Delete of a Collection with its hooks
 * (onCollectionSave normalizations → validator → onCollectionSaveExecute: view (re)creation,
 * the row, SyncRecordTableSchema; dependent views re-derived afterwards), collectionDelete's
 * checks (system collections, relation references, dependent views), TruncateCollection (every
 * record deleted through the records delete path, cascades included) and ImportCollections.
 * Every job reads the collections from the writer connection itself (so it sees jobs
 * committed or queued before it) and builds the API answer before it returns; the caller's
 * completion calls pb_collection_save_finish, which publishes the new schema snapshot
 * (pb_schema_load on the writer connection), publishes renamed rate-limit settings and
 * removes the storage of deleted collections and records. Automigrate files
 * (pb_migrations/<unix>_<created|updated|deleted>_<name>.js) are not written: pocketc has no
 * JavaScript VM yet. */
#ifndef POCKETC_COLLECTIONS_COLLECTION_SAVE_H
#define POCKETC_COLLECTIONS_COLLECTION_SAVE_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>

#include "collections/record_save.h"
#include "core/settings.h"
#include "core/writer.h"

struct pb_collection_save {
	/* input, borrowed until the completion */
	const json_t *body;                /* create/update: the decoded request body ({} when NULL) */
	const char *target;                /* update/delete/truncate: collection id or name */
	const json_t *import;              /* import: the array of collection objects */
	bool delete_missing;               /* import */
	const char *storage_dir;           /* <pb_data>/storage */
	const char *enc_key;               /* settings encryption key (NULL = none) */
	const struct pb_request_info *req; /* truncate: who asks (must be a superuser) */

	/* output, owned (pb_collection_save_deinit) */
	json_t *result;                /* create/update: the saved collection's API JSON */
	json_t *deleted_ids;           /* ids of deleted collections (storage removed after commit) */
	struct pb_settings *settings;  /* renamed rate-limit settings to publish, or NULL */
	struct pb_record_save rec;     /* truncate: the record deletes' bookkeeping */
	struct pb_schema *rec_schema;  /* truncate: the schema the record deletes used */
	sqlite3 *db;                   /* the writer connection (set by the run functions) */
};

void pb_collection_save_init(struct pb_collection_save *s);
void pb_collection_save_deinit(struct pb_collection_save *s);

/* pb_write_fn bodies (arg = struct pb_collection_save *). Errors (in ctx->err) as PocketBase's
 * handlers answer them:
 *   create/update: 404 (update of a missing collection); 400 "Failed to load the collection type
 *     data due to invalid formatting." / "Failed to load the submitted data due to invalid
 *     formatting." (body types); 400 "Failed to create collection." / "Failed to update
 *     collection." with the validation tree as data; 400 "Failed to … collection. Raw error:
 *     \n<error>" for anything else;
 *   delete: 404; 400 "Failed to delete collection[ probably due to existing reference in A, B]";
 *   truncate: 404; 400 for views; 400 "Failed to truncate collection (most likely due to
 *     required cascade delete record references).";
 *   import: 400 "Failed to import collections." with the validation tree or with
 *     {"collections":{"code":"validation_collections_import_failure",…}}. */
int pb_collection_create_run(struct pb_write_ctx *ctx, void *arg);
int pb_collection_update_run(struct pb_write_ctx *ctx, void *arg);
int pb_collection_delete_run(struct pb_write_ctx *ctx, void *arg);
int pb_collection_truncate_run(struct pb_write_ctx *ctx, void *arg);
int pb_collections_import_run(struct pb_write_ctx *ctx, void *arg);

/* Call from the job's completion (on the writer thread) with its rc: publishes the schema (and
 * settings) after a commit and removes deleted storage; cleans up after a failure. */
void pb_collection_save_finish(struct pb_collection_save *s, int rc);

#define PB_MSG_COLLECTION_TYPE_FORMAT "Failed to load the collection type data due to invalid formatting."
#define PB_MSG_COLLECTION_DATA_FORMAT "Failed to load the submitted data due to invalid formatting."
#define PB_MSG_COLLECTION_CREATE_FAILED "Failed to create collection."
#define PB_MSG_COLLECTION_UPDATE_FAILED "Failed to update collection."
#define PB_MSG_COLLECTION_DELETE_FAILED "Failed to delete collection"
#define PB_MSG_COLLECTION_TRUNCATE_VIEW "View collections cannot be truncated since they don't store their own records."
#define PB_MSG_COLLECTION_TRUNCATE_FAILED \
	"Failed to truncate collection (most likely due to required cascade delete record references)."
#define PB_MSG_COLLECTIONS_IMPORT_FAILED "Failed to import collections."

#endif
