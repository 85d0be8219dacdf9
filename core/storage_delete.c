/* storage_delete — removing stored files, thumbs, record and collection directories.
 * Mirrors what PocketBase does through fileblob: Delete(file) removes the file and its
 * sidecar (a missing file is not an error for the callers in core/field_file.go),
 * DeletePrefix("…/thumbs_<name>/") empties and removes a thumbs dir, and the record /
 * collection after-delete hooks call DeletePrefix on the whole `<collectionId>/<recordId>/`
 * or `<collectionId>/` prefix. Trees are walked with openat/unlinkat and O_NOFOLLOW, so a
 * symbolic link inside storage is removed itself and never followed out of the tree. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/storage.h"
#include "core/storage_internal.h"

/* deepest level walked below the removed directory (the layout needs 2) */
#define TREE_DEPTH_MAX 16

/* empties the directory open as `dfd` (which this function closes) */
static int empty_dir(int dfd, int depth)
{
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return -1;
	}
	int rc = 0;
	struct dirent *ent;
	errno = 0;
	while ((ent = readdir(d)) != NULL) {
		const char *n = ent->d_name;
		if (!strcmp(n, ".") || !strcmp(n, ".."))
			continue;
		struct stat st;
		if (fstatat(dirfd(d), n, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			if (errno == ENOENT) {
				errno = 0;
				continue;
			}
			rc = -1;
			break;
		}
		if (!S_ISDIR(st.st_mode)) {
			if (unlinkat(dirfd(d), n, 0) != 0 && errno != ENOENT) {
				rc = -1;
				break;
			}
			errno = 0;
			continue;
		}
		/* a directory: empty it, then remove it */
		if (depth >= TREE_DEPTH_MAX) {
			errno = ELOOP;
			rc = -1;
			break;
		}
		int sub = openat(dirfd(d), n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0 || empty_dir(sub, depth + 1) != 0 || (unlinkat(dirfd(d), n, AT_REMOVEDIR) != 0 && errno != ENOENT)) {
			rc = -1;
			break;
		}
		errno = 0;
	}
	if (rc == 0 && errno != 0)
		rc = -1;
	int saved = errno;
	closedir(d);
	errno = saved;
	return rc;
}

/* rm -r of `path`; a missing path is fine, a symlink or file at `path` is unlinked */
static int remove_tree(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		if (errno == ENOTDIR || errno == ELOOP)
			return unlink(path) == 0 || errno == ENOENT ? 0 : -1;
		return -1;
	}
	if (empty_dir(fd, 0) != 0)
		return -1;
	return rmdir(path) == 0 || errno == ENOENT ? 0 : -1;
}

static int io_error(struct pb_error *err, const char *what)
{
	int e = errno;
	return pb_error_set(err, 500, "Failed to delete %s (%s).", what, strerror(e));
}

int pb_storage_delete_file(const char *root, const char *collection_id, const char *record_id, const char *file_name,
                           struct pb_error *err)
{
	char path[4096], attrs[4200], thumbs[4096], dir[PB_STORAGE_COMPONENT_MAX + 1];
	const char *parts[] = {collection_id, record_id, file_name, NULL};
	if (!collection_id || !record_id || !file_name)
		return pb_error_set(err, 400, "Invalid file path.");
	if (pbst_join(path, sizeof path, root, parts, true, 400, err) != 0)
		return -1;
	int n = snprintf(dir, sizeof dir, "thumbs_%s", file_name);
	const char *tparts[] = {collection_id, record_id, dir, NULL};
	if (n < 0 || n >= (int)sizeof dir)
		thumbs[0] = '\0'; /* no thumbs dir can exist for such a long name */
	else if (pbst_join(thumbs, sizeof thumbs, root, tparts, false, 400, err) != 0)
		return -1;
	snprintf(attrs, sizeof attrs, "%s.attrs", path);

	struct stat st;
	if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return pb_error_set(err, 400, "Invalid file path.");
	if (unlink(path) != 0 && errno != ENOENT)
		return io_error(err, "the file");
	if (unlink(attrs) != 0 && errno != ENOENT)
		return io_error(err, "the file attributes");
	if (thumbs[0] && remove_tree(thumbs) != 0)
		return io_error(err, "the file thumbs");
	return 0;
}

/* <root>/<collectionId>/<recordId> into path. Returns 0, or -1 with err: 400 "Invalid file
 * path." for a missing id, pbst_join's error for a bad component or a too long path. */
static int record_dir(char *path, size_t cap, const char *root, const char *collection_id, const char *record_id,
                      struct pb_error *err)
{
	const char *parts[] = {collection_id, record_id, NULL};
	if (!collection_id || !record_id)
		return pb_error_set(err, 400, "Invalid file path.");
	return pbst_join(path, cap, root, parts, false, 400, err);
}

int pb_storage_delete_record(const char *root, const char *collection_id, const char *record_id,
                             struct pb_error *err)
{
	char path[4096];
	if (record_dir(path, sizeof path, root, collection_id, record_id, err) != 0)
		return -1;
	return remove_tree(path) == 0 ? 0 : io_error(err, "the record files");
}

int pb_storage_delete_collection(const char *root, const char *collection_id, struct pb_error *err)
{
	char path[4096];
	const char *parts[] = {collection_id, NULL};
	if (!collection_id)
		return pb_error_set(err, 400, "Invalid file path.");
	if (pbst_join(path, sizeof path, root, parts, false, 400, err) != 0)
		return -1;
	return remove_tree(path) == 0 ? 0 : io_error(err, "the collection files");
}

int pb_storage_prune_record_dir(const char *root, const char *collection_id, const char *record_id,
                                struct pb_error *err)
{
	char path[4096];
	if (record_dir(path, sizeof path, root, collection_id, record_id, err) != 0)
		return -1;
	if (rmdir(path) == 0 || errno == ENOENT || errno == ENOTEMPTY || errno == EEXIST)
		return 0;
	return io_error(err, "the record directory");
}
