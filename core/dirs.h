/* dirs — directory-tree helpers for backups and restores: mkdir -p, rm -rf, a cheap "clone"
 * of a tree (hard links, falling back to copies) and PocketBase's osutils.MoveDirContent
 * (rename every top-level entry of one directory into another, except a list of root names,
 * rolling the renames back when one fails). Symbolic links are never followed. */
#ifndef POCKETC_CORE_DIRS_H
#define POCKETC_CORE_DIRS_H

#include <stddef.h>

#include "core/error.h"

/* "<a>/<b>" as a new string (caller frees). Aborts on out of memory. */
char *pb_dirs_join(const char *a, const char *b);

/* Creates `dir` and its missing parents (0755). Returns 0 or -1 with err (500). */
int pb_dirs_mkdir_p(const char *dir, struct pb_error *err);

/* Removes `path` and everything below it, without following symlinks. Missing is fine;
 * other failures are ignored (best effort, like os.RemoveAll's callers here). */
void pb_dirs_remove_tree(const char *path);

/* Copies the regular file `src` to `dest` (created or truncated, mode 0644, fsync'ed).
 * Returns 0 or -1 with err (500). */
int pb_dirs_copy_file(const char *src, const char *dest, struct pb_error *err);

/* Mirrors the tree `src` into `dest` (created when missing): directories are created, each
 * regular file is hard-linked (copied when the link fails, e.g. across file systems), other
 * entries are skipped. A linked file keeps its content even if the original is later
 * unlinked or replaced by rename. A missing `src` gives an empty `dest`. Returns 0 or -1
 * with err (500). */
int pb_dirs_clone_tree(const char *src, const char *dest, struct pb_error *err);

/* osutils.MoveDirContent: renames every entry of `src` whose name is not one of `exclude`
 * (nexclude borrowed names; may be NULL when 0) into `dest` (created when missing). When a
 * rename fails, the ones already done are renamed back (and a dest created here is removed)
 * and -1 is returned with err (500). Returns 0 on success. */
int pb_dirs_move_content(const char *src, const char *dest, const char *const *exclude, size_t nexclude,
                         struct pb_error *err);

#endif
