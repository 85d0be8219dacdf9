/* storage_internal — helpers shared by the storage files (storage.c, storage_write.c,
 * storage_delete.c); not part of the module's API. */
#ifndef POCKETC_CORE_STORAGE_INTERNAL_H
#define POCKETC_CORE_STORAGE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

/* Joins root and the NULL-terminated list of components with '/' into out after validating
 * each component (the last one with the file-name rule when `last_is_file`). Returns 0, or
 * -1 with err (`bad_status` for a bad component, 500 for a too small buffer). */
int pbst_join(char *out, size_t cap, const char *root, const char *const *parts, bool last_is_file, int bad_status,
              struct pb_error *err);

/* mkdir -p of `dir` (borrowed; a path built by pbst_join) with mode 0755. Returns 0 or -1 with
 * err 500. */
int pbst_mkdirs(const char *dir, struct pb_error *err);

/* Writes data atomically to `path` (temp + fsync + rename) with the sidecar described in
 * storage.h, then fsyncs the directory. `original_name` NULL = "user.metadata":null.
 * Returns 0 or -1 with err 500; temp files are removed on failure. */
int pbst_write_file(const char *path, const void *data, size_t len, const char *content_type,
                    const char *original_name, struct pb_error *err);

#endif
