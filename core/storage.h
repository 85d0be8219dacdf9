/* storage — the local file storage under `<pb_data>/storage`, laid out like PocketBase's
 * filesystem.System over gocloud's fileblob driver (tools/filesystem, internal/fileblob):
 *
 *   <collectionId>/<recordId>/<name>                         an uploaded file
 *   <collectionId>/<recordId>/<name>.attrs                   its sidecar (JSON, see below)
 *   <collectionId>/<recordId>/thumbs_<name>/<size>_<name>    a thumb (+ its .attrs)
 *
 * The sidecar is what fileblob writes, byte for byte (Go json.Encoder, trailing newline):
 *   {"user.cache_control":"","user.content_disposition":"","user.content_encoding":"",
 *    "user.content_language":"","user.content_type":"<type>","user.metadata":<null or
 *    {"original-filename":"<name>"}>,"md5":"<base64 MD5 of the content>"}
 * PocketBase reads the content type of every served file from it and treats a missing
 * sidecar as application/octet-stream, which would turn off thumbs and inline serving, so
 * pocketc always writes it. Writes are atomic: the content goes to `<path>.<hex ns>.tmp` in the
 * same directory (the temp-name scheme fileblob uses with NoTempDir), is fsync'ed, the sidecar
 * is written the same way, then the content is renamed into place and the directory fsync'ed.
 * Directories are created 0755, files 0644.
 *
 * Every path component (collection id, record id, file name, thumb size) is validated before
 * any path is built: non-empty, at most PB_STORAGE_COMPONENT_MAX bytes, not "." or "..", no
 * '/', '\\', control bytes or DEL, and a file name may not end in ".attrs" (fileblob reserves
 * it). A bad component is an error (status 400 on writes/deletes, 404 on lookups); a path
 * outside the storage root is never produced. No function here keeps state between calls. */
#ifndef POCKETC_CORE_STORAGE_H
#define POCKETC_CORE_STORAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

/* Longest accepted path component, in bytes (the usual NAME_MAX). */
#define PB_STORAGE_COMPONENT_MAX 255
/* A buffer of this size always holds a name made by pb_storage_file_name (the longest is
 * 100 + 1 + 10 + 21 bytes) plus its NUL. */
#define PB_STORAGE_FILE_NAME_CAP 160
/* The content type fileblob assumes when a file has no sidecar. */
#define PB_STORAGE_DEFAULT_CONTENT_TYPE "application/octet-stream"

/* The stored name of an upload, as filesystem.normalizeName makes it: the last 300 bytes of
 * `original` (borrowed); the extension is the last one, or the last two when the name has
 * two or more dots (".tar.gz"), with bytes outside [A-Za-z0-9_.*+=#-] removed and dots
 * trimmed (case is kept, as PocketBase does), cut to its last 20 characters; the base (the
 * name without that extension, dots trimmed) is snake_cased (split at every byte that is
 * not an ASCII letter or digit, '_' before an upper-case letter that follows a non-upper-case
 * one, lower-cased), gets 10 random [a-z0-9] appended when shorter than 3 bytes and is cut
 * to 100 bytes otherwise; result: base + "_" + 10 random [a-z0-9] + extension.
 * When the name yields no extension PocketBase uses the one of the content's detected MIME
 * type: pass it as `detected_ext` (borrowed, e.g. ".txt", "" or NULL for none) — see
 * pb_storage_file_name_ext. Writes the NUL-terminated name to `out`; returns 0, or -1 when
 * `cap` is too small (PB_STORAGE_FILE_NAME_CAP always suffices) or the RNG fails. */
int pb_storage_file_name_ext(const char *original, const char *detected_ext, char *out, size_t cap);
/* pb_storage_file_name_ext without a detected extension (an extension-less name stays so). */
int pb_storage_file_name(const char *original, char *out, size_t cap);

/* True when `s` (borrowed) is a valid single path component as described above;
 * `file_name` additionally rejects the reserved ".attrs" suffix. */
bool pb_storage_component_ok(const char *s, bool file_name);

/* Builds `<root>/<collection_id>/<record_id>/<file_name>` into `out`; `file_name` may be
 * NULL for the record directory. Components are validated (the root is trusted and used as
 * given). Returns 0, or -1 with err (404 for a bad component, 500 when `cap` is too small). */
int pb_storage_path(const char *root, const char *collection_id, const char *record_id, const char *file_name,
                    char *out, size_t cap, struct pb_error *err);

/* Builds `<root>/<collection_id>/<record_id>/thumbs_<file_name>/<size>_<file_name>`, with the
 * same validation and errors as pb_storage_path (`size` is a component too). */
int pb_storage_thumb_path(const char *root, const char *collection_id, const char *record_id, const char *file_name,
                          const char *size, char *out, size_t cap, struct pb_error *err);

/* Stores `len` bytes of `data` (borrowed) as `<root>/<collection_id>/<record_id>/<name>`,
 * creating missing directories, replacing an existing file, atomically (see above), with a
 * sidecar holding `content_type` (borrowed; NULL = PB_STORAGE_DEFAULT_CONTENT_TYPE, normally
 * the sniffed MIME type as filesystem.UploadFile records it) and, when `original_name` is
 * non-NULL, {"original-filename": its first 255 bytes}; NULL writes "user.metadata":null as
 * filesystem.Upload does. Returns 0, or -1 with err (400 for a bad component, 500 for an I/O
 * failure; nothing new is left behind then, temp files included, except when only the final
 * directory fsync fails: the file is in place then and the caller may delete it). */
int pb_storage_write(const char *root, const char *collection_id, const char *record_id, const char *name,
                     const void *data, size_t len, const char *content_type, const char *original_name,
                     struct pb_error *err);

/* pb_storage_write for a full path that the caller built and trusts (no component checks; the
 * directory must exist): used for the backups directory, which fileblob also manages.
 * content_type NULL = PB_STORAGE_DEFAULT_CONTENT_TYPE. Errors as pb_storage_write (500). */
int pb_storage_write_at(const char *path, const void *data, size_t len, const char *content_type,
                        const char *original_name, struct pb_error *err);

/* Puts the complete file `src` (renamed, so it must be on the same file system; fsync'ed here)
 * at the trusted `path`, with the sidecar pb_storage_write would write for that content (MD5
 * streamed from the file). content_type NULL = PB_STORAGE_DEFAULT_CONTENT_TYPE. Returns 0, or
 * -1 with err (500; `src` stays where it was unless only the final directory fsync failed). */
int pb_storage_adopt_file(const char *src, const char *path, const char *content_type, const char *original_name,
                          struct pb_error *err);

/* Stores a thumb of file `file_name` at its pb_storage_thumb_path, like pb_storage_write
 * with "user.metadata":null (what CreateThumb writes). Errors as pb_storage_write. */
int pb_storage_write_thumb(const char *root, const char *collection_id, const char *record_id, const char *file_name,
                           const char *size, const void *data, size_t len, const char *content_type,
                           struct pb_error *err);

/* The stored content type of the file at `path` (borrowed, a path built by the functions
 * above), read from `<path>.attrs` like fileblob's getAttrs: PB_STORAGE_DEFAULT_CONTENT_TYPE
 * when there is no sidecar, "" when the sidecar has no (or a null) user.content_type.
 * Returns a malloc'd string the caller frees, or NULL with err (404 when `path` is not a
 * regular file, 500 when the sidecar cannot be read or is not a JSON object with a string
 * content type — PocketBase fails such a file's lookups too). */
char *pb_storage_content_type(const char *path, struct pb_error *err);

/* Deletes one stored file with its sidecar and its whole thumbs_<file_name> directory, as
 * FileField.deleteFilesByNamesList does. Missing files are fine. Returns 0, or -1 with err
 * (400 bad component, 500 I/O failure other than "does not exist"). */
int pb_storage_delete_file(const char *root, const char *collection_id, const char *record_id, const char *file_name,
                           struct pb_error *err);

/* Deletes a record's whole directory tree (what PocketBase does after a record delete).
 * Symbolic links are removed, never followed. A missing directory is fine. Errors as
 * pb_storage_delete_file. */
int pb_storage_delete_record(const char *root, const char *collection_id, const char *record_id,
                             struct pb_error *err);

/* Deletes a collection's whole directory tree (after a collection delete). Same rules. */
int pb_storage_delete_collection(const char *root, const char *collection_id, struct pb_error *err);

/* Removes the record directory when it is empty (FileField.deleteEmptyRecordDir); a missing
 * or non-empty directory is left alone. Returns 0, or -1 with err (400 bad component, 500 for
 * another failure). */
int pb_storage_prune_record_dir(const char *root, const char *collection_id, const char *record_id,
                                struct pb_error *err);

#endif
