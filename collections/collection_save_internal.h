/* collection_save_internal — what collection_save.c (create/update), collection_delete.c
 * (delete/truncate) and collection_import.c share. Not a public header. */
#ifndef POCKETC_COLLECTIONS_COLLECTION_SAVE_INTERNAL_H
#define POCKETC_COLLECTIONS_COLLECTION_SAVE_INTERNAL_H

#include "collections/collection_save.h"
#include "collections/schema.h"

/* How a save failed: a validation tree (err->data set, message empty) or another error
 * (message = the raw error). */
struct pb_cs_opts {
	bool validate;          /* run the validator (SaveNoValidate = false) */
	bool is_new;
	const char *autogen_id; /* checksum id of a new doc's factory */
	const json_t *original; /* for the validator when it is not the stored state (import) */
	bool integrity_checks;  /* resave dependent views afterwards (IntegrityChecks) */
};

/* Saves `doc` (normalized here) over `old` (the stored model, NULL when new) on the writer
 * connection: validation, view (re)creation, the `_collections` row, the record table. On
 * failure returns -1 with err: a validation tree in err->data (status 400, message ""), or a
 * 400 with the raw error text. `schema` = the collections as stored before this save. */
int pb_cs_save_doc(struct pb_write_ctx *w, struct pb_collection_save *s, const struct pb_schema *schema, json_t *doc,
                   const struct pb_collection *old, const struct pb_cs_opts *o);

/* resaveViewsWithChangedFields: every view collection except `exclude_id` whose derived fields
 * changed is saved again. Returns 0, or -1 with err (the first failure, "[name] <error>"). */
int pb_cs_resave_views(struct pb_write_ctx *w, struct pb_collection_save *s, const char *exclude_id);

/* Drops (the table/view and the row of) stored collection `c` with PocketBase's delete checks
 * when `integrity` is set; records its id for the storage cleanup. -1 with err (raw message). */
int pb_cs_delete(struct pb_write_ctx *w, struct pb_collection_save *s, const struct pb_schema *schema,
                 const struct pb_collection *c, bool integrity);

/* Loads the collections of the writer connection. NULL with err (500). */
struct pb_schema *pb_cs_load_schema(struct pb_write_ctx *w);

/* The current UTC time as PocketBase's date text (PB_DATETIME_LEN + 1 bytes). */
void pb_cs_now(char *out);

#endif
