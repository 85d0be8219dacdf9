/* record_save — the records write path as writer jobs: create, update and delete of one
 * record with PocketBase's order of checks (apis/record_crud.go recordCreate/recordUpdate/
 * recordDelete, forms.RecordUpsert.Submit, core.App.Delete with its relation cascade). Each
 * run function executes on the writer thread inside the job's savepoint, so every rule probe,
 * validation query, INSERT/UPDATE/DELETE and cascade of one request is atomic and sees every
 * write committed or queued before it. No HTTP here: the caller decoded the body, checked the
 * null-rule 403s and answers from the outcome.
 *
 * Change events (pb_write_ctx_event) have the shape
 *   {"action":"create"|"update"|"delete","collectionId":"…","record":{…}}
 * where the record holds every field incl. hidden ones and email (never password/tokenKey) —
 * the realtime broadcaster exports it per subscriber. */
#ifndef POCKETC_COLLECTIONS_RECORD_SAVE_H
#define POCKETC_COLLECTIONS_RECORD_SAVE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "collections/request_info.h"
#include "collections/schema.h"
#include "core/stmt_cache.h"
#include "core/strbuf.h"
#include "core/writer.h"

struct pb_filter_cache;

struct pb_record_form;

/* One uploaded file of the request. */
struct pb_save_upload {
	const char *key;           /* form key: "f", "+f" or "f+" (borrowed) */
	const char *original_name; /* client's file name (borrowed) */
	const unsigned char *data; /* borrowed bytes */
	size_t len;
	const char *mime;          /* sniffed content type (borrowed, may be "") */
};

struct pb_record_save {
	/* input, borrowed until the job's completion */
	const struct pb_schema *schema;
	const struct pb_collection *c;
	const struct pb_request_info *req; /* who asks; its body is replaced by the resolved body */
	const char *id;                    /* update/delete: the target record */
	const json_t *body;                /* create/update: the decoded body object (NULL = {}) */
	const struct pb_save_upload *uploads;
	size_t nuploads;
	const char *storage_dir;           /* <pb_data>/storage */
	bool skip_password_checks;         /* OAuth2 sign-ups */
	bool answer_later;                 /* create: when no change event is wanted, the writer leaves
	                                    * `record` NULL and pb_record_save_answer makes it on the
	                                    * caller's thread (where the answer is written and freed) */
	struct pb_filter_cache *filters;   /* optional: the memo of compiled rules of the thread running
	                                    * pb_record_create_prepare (NULL anywhere else) */

	/* output, owned (pb_record_save_deinit) */
	json_t *record;        /* the saved record: every field incl. hidden and email, no secrets */
	json_t *upload_names;  /* array: the stored name generated for each upload, in order */
	json_t *written_files; /* files written by the job, removed if it does not commit:
	                        * array of {"c": collectionId, "r": recordId, "f": name} */
	json_t *stale_files;   /* files to remove once the job committed, same shape; an item
	                        * without "f" is a whole record directory */
	struct pb_record_form *form; /* owned: a create prepared outside the writer */
	json_t *checks;              /* owned: its database checks, run again in the transaction */
};

void pb_record_save_init(struct pb_record_save *s);
void pb_record_save_deinit(struct pb_record_save *s);

/* pb_write_fn bodies (arg = struct pb_record_save *). Errors (in ctx->err) are PocketBase's:
 * create: 400 "Failed to create record." (rule failure with data {}, validation with field
 * errors); update: 404 (missing or rule), 400 "Failed to update record."; delete: 404,
 * 400 "Failed to delete record. Make sure that the record is not part of a required relation
 * reference.", 400 "You can't delete the only existing superuser.". */
int pb_record_create_run(struct pb_write_ctx *ctx, void *arg);

/* A create in two phases, so that the writer only does what needs the transaction: prepare
 * (body, rules, validation: reads only, on a worker's read connection `stmts`, as PocketBase
 * evaluates create rules on its concurrent connection; with run_db_checks the relation/id
 * checks run there too, else only when validation failed, to complete the error map),
 * optional password hashing (on the blocking pool), then commit as the writer job (the
 * database checks, again or for the first time, INSERT, files, event). pb_record_create_run
 * does both phases on the writer. Return 0 or -1 with err. */
int pb_record_create_prepare(struct pb_record_save *s, struct pb_stmt_cache *stmts, bool run_db_checks,
                             struct pb_error *err);
/* The database checks of a prepared create (relation ids exist, the id is free) on the read
 * connection `stmts`: for a create that is going to be hashed first, so that bad input fails
 * before the bcrypt work. Returns 0 or -1 with err (400 with the field errors). */
int pb_record_create_check_db(struct pb_record_save *s, struct pb_stmt_cache *stmts, struct pb_error *err);
bool pb_record_save_needs_hashing(const struct pb_record_save *s);
int pb_record_save_hash(struct pb_record_save *s, struct pb_error *err);
int pb_record_create_commit(struct pb_write_ctx *ctx, void *arg);
/* The writer flags (core/writer.h) of the commit of prepared create s: PB_WRITE_ONE_CHANGE
 * when its INSERT is its only change and nothing after it can fail (not an auth collection,
 * whose saves also touch the auth reference tables; no uploads, which are written after). */
unsigned pb_record_create_write_flags(const struct pb_record_save *s);
/* The saved record as answered (public copy, collectionId/collectionName, no secrets) after a
 * successful job: `record` taken over, or made now from the create's form when the writer left
 * it to the caller (answer_later). New reference, or NULL when there is none. */
json_t *pb_record_save_answer(struct pb_record_save *s);
/* The answer of pb_record_save_answer, exported (pb_records_export: hidden fields only for a
 * superuser) and without expand, written as JSON to out straight from the create's form: for a
 * create the writer left to the caller (answer_later) into a collection that is not an auth
 * one. Returns 0, or -1 with out unchanged when it does not apply (take the general path). */
int pb_record_save_answer_write(const struct pb_record_save *s, bool superuser, struct pb_strbuf *out);
int pb_record_update_run(struct pb_write_ctx *ctx, void *arg);
int pb_record_delete_run(struct pb_write_ctx *ctx, void *arg);

enum pb_record_op { PB_RECORD_CREATE, PB_RECORD_UPDATE, PB_RECORD_DELETE };

/* The checks PocketBase's handlers make before any lookup: the collection (404 "Missing
 * collection context."), not a view (400 "Unsupported collection type."), a non-empty id for
 * update/delete (404), a non-null rule unless superuser (403 "Only superusers can perform this
 * action."). Returns the collection (borrowed from s) or NULL with err. */
const struct pb_collection *pb_record_write_precheck(const struct pb_schema *s, const char *collection,
                                                     enum pb_record_op op, const char *id, bool superuser,
                                                     struct pb_error *err);

/* After the outcome is final: removes the stale files of a committed job, or the files a
 * failed job had written. Call from the job's completion (rc as given to it). */
void pb_record_save_cleanup(struct pb_record_save *s, int rc);

/* The wire strings of the write path. */
#define PB_MSG_FAILED_CREATE "Failed to create record."
#define PB_MSG_FAILED_UPDATE "Failed to update record."
#define PB_MSG_FAILED_DELETE \
	"Failed to delete record. Make sure that the record is not part of a required relation reference."
#define PB_MSG_LAST_SUPERUSER "You can't delete the only existing superuser."
#define PB_MSG_MISSING_COLLECTION_CTX "Missing collection context."
#define PB_MSG_UNSUPPORTED_TYPE "Unsupported collection type."
#define PB_MSG_SUPERUSERS_ONLY_ACTION "Only superusers can perform this action."

#endif
