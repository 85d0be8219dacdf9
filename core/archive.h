/* archive — zip archives of a directory tree and their extraction, as PocketBase's
 * tools/archive does for backups (on libzip):
 *  - create: every regular file below `src`, walked in lexical order per directory (Go's
 *    fs.WalkDir), stored under its slash-separated relative path, Deflate at the fastest
 *    level, with the file's modification time and Unix mode; directories get no entries of
 *    their own; root-relative paths listed in `skip` are left out (a path equal to an entry or
 *    any path below it); symbolic links and other non-regular files are not followed;
 *  - extract: directories and regular files only (symlinks, devices, fifos are skipped), an
 *    entry whose name is absolute or has a ".." component fails the whole extraction (Zip
 *    Slip), missing directories are created (0755), files keep the archived permission bits
 *    (0644 when the archive has none).
 * Nothing here knows about pb_data. */
#ifndef POCKETC_CORE_ARCHIVE_H
#define POCKETC_CORE_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

/* Writes the zip of `src` (borrowed) to `dest` (created or replaced; its parent directory is
 * created when missing). `skip` holds `nskip` borrowed relative paths (may be NULL when
 * nskip == 0). Returns 0, or -1 with err (500, a message naming the failing step); a failed
 * create leaves no `dest` behind. */
int pb_archive_create(const char *src, const char *dest, const char *const *skip, size_t nskip,
                      struct pb_error *err);

/* Extracts the zip at `src` into the directory `dest` (created when missing). Returns 0, or
 * -1 with err (400 when the archive is not a readable zip or has an unsafe entry name, 500 for
 * an I/O failure); what was extracted before the failure stays in dest. */
int pb_archive_extract(const char *src, const char *dest, struct pb_error *err);

/* True when the file at `path` opens as a zip archive whose central directory is consistent
 * (libzip's ZIP_CHECKCONS). */
bool pb_archive_is_zip(const char *path);

#endif
