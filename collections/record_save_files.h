/* record_save_files — the uploads of a record write: stored names generated before the body
 * is assigned (so @request.body and the rules see them), the files written under
 * storage/<collectionId>/<recordId>/ after the row is, and the bookkeeping of what to delete
 * afterwards (replaced or removed files once committed, the new files if the job fails). */
#ifndef POCKETC_COLLECTIONS_RECORD_SAVE_FILES_H
#define POCKETC_COLLECTIONS_RECORD_SAVE_FILES_H

#include "collections/record_assign.h"
#include "collections/record_save.h"

/* Generates a stored name per upload and registers it with the form. Returns 0 or -1 (400). */
int pb_save_register_uploads(struct pb_record_save *s, struct pb_record_form *form, struct pb_error *err);
/* Writes the uploads still part of the record's values under record `id`, and lists the files of
 * `original` (the stored row before an update; NULL on create) that the new values dropped as
 * stale. Returns 0 or -1 with err (500). */
int pb_save_store_uploads(struct pb_record_save *s, const struct pb_record_form *form, const char *id,
                          const json_t *original, struct pb_error *err);

#endif
