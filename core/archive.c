/* archive — zip create/extract on libzip (see archive.h). */
#include "core/archive.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "core/dirs.h"
#include "core/strbuf.h"

static int byte_order(const struct dirent **a, const struct dirent **b) { return strcmp((*a)->d_name, (*b)->d_name); }

static bool skipped(const char *rel, const char *const *skip, size_t nskip)
{
	for (size_t i = 0; i < nskip; i++) {
		size_t n = strlen(skip[i]);
		while (n > 0 && skip[i][n - 1] == '/')
			n--;
		if (n == 0)
			continue;
		if (!strncmp(rel, skip[i], n) && (rel[n] == '\0' || rel[n] == '/'))
			return true;
	}
	return false;
}

/* adds the files below src/rel (rel "" = the root) in lexical order */
static int add_dir(zip_t *za, const char *src, const char *rel, const char *const *skip, size_t nskip,
                   struct pb_error *err)
{
	char *dir = *rel ? pb_dirs_join(src, rel) : strdup(src);
	if (!dir)
		abort();
	struct dirent **entries = NULL;
	int n = scandir(dir, &entries, NULL, byte_order);
	if (n < 0) {
		int e = errno;
		free(dir);
		return pb_error_set(err, 500, "failed to read %s: %s", *rel ? rel : ".", strerror(e));
	}
	int rc = 0;
	for (int i = 0; i < n; i++) {
		const char *name = entries[i]->d_name;
		if (rc != 0 || !strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		char *child_rel = *rel ? pb_dirs_join(rel, name) : strdup(name);
		char *path = pb_dirs_join(dir, name);
		if (!child_rel)
			abort();
		struct stat st;
		if (skipped(child_rel, skip, nskip) || lstat(path, &st) != 0) {
			/* left out, or vanished while walking */
		} else if (S_ISDIR(st.st_mode)) {
			rc = add_dir(za, src, child_rel, skip, nskip, err);
		} else if (S_ISREG(st.st_mode)) {
			zip_source_t *zs = zip_source_file(za, path, 0, -1);
			zip_int64_t idx = zs ? zip_file_add(za, child_rel, zs, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) : -1;
			if (idx < 0) {
				if (zs)
					zip_source_free(zs);
				rc = pb_error_set(err, 500, "failed to add %s to the archive: %s", child_rel, zip_strerror(za));
			} else if (zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 1) != 0 ||
			           zip_file_set_mtime(za, (zip_uint64_t)idx, st.st_mtime, 0) != 0 ||
			           zip_file_set_external_attributes(za, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX,
			                                            ((zip_uint32_t)st.st_mode & 0xffff) << 16) != 0) {
				rc = pb_error_set(err, 500, "failed to describe %s in the archive: %s", child_rel,
				                  zip_strerror(za));
			}
		}
		free(child_rel);
		free(path);
	}
	for (int i = 0; i < n; i++)
		free(entries[i]);
	free(entries);
	free(dir);
	return rc;
}

int pb_archive_create(const char *src, const char *dest, const char *const *skip, size_t nskip, struct pb_error *err)
{
	char *parent = strdup(dest);
	if (!parent)
		abort();
	char *slash = strrchr(parent, '/');
	if (slash && slash != parent) {
		*slash = '\0';
		if (pb_dirs_mkdir_p(parent, err) != 0) {
			free(parent);
			return -1;
		}
	}
	free(parent);
	int zerr = 0;
	zip_t *za = zip_open(dest, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	if (!za) {
		zip_error_t ze;
		zip_error_init_with_code(&ze, zerr);
		pb_error_set(err, 500, "failed to create the archive: %s", zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return -1;
	}
	if (add_dir(za, src, "", skip, nskip, err) != 0) {
		zip_discard(za);
		unlink(dest);
		return -1;
	}
	if (zip_get_num_entries(za, 0) == 0) {
		/* libzip writes nothing for an empty archive; Go writes the 22-byte end record */
		zip_discard(za);
		static const unsigned char empty[22] = {'P', 'K', 5, 6};
		FILE *f = fopen(dest, "wb");
		if (!f || fwrite(empty, 1, sizeof empty, f) != sizeof empty) {
			if (f)
				fclose(f);
			unlink(dest);
			return pb_error_set(err, 500, "failed to write the archive");
		}
		if (fclose(f) != 0) {
			unlink(dest);
			return pb_error_set(err, 500, "failed to write the archive");
		}
		return 0;
	}
	if (zip_close(za) != 0) {
		pb_error_set(err, 500, "failed to write the archive: %s", zip_strerror(za));
		zip_discard(za);
		unlink(dest);
		return -1;
	}
	return 0;
}

/* a name is safe when relative and free of ".." components (and of empty ones but a trailing
 * slash for directories) */
static bool safe_name(const char *name)
{
	if (!*name || name[0] == '/' || strchr(name, '\\'))
		return false;
	const char *p = name;
	while (*p) {
		const char *end = strchr(p, '/');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return false;
		if (n == 0 && end)
			return false;
		if (!end)
			break;
		p = end + 1;
	}
	return true;
}

static int extract_file(zip_t *za, zip_uint64_t i, const char *path, mode_t mode, struct pb_error *err)
{
	zip_file_t *zf = zip_fopen_index(za, i, 0);
	if (!zf)
		return pb_error_set(err, 400, "failed to read an archive entry: %s", zip_strerror(za));
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0) {
		int e = errno;
		zip_fclose(zf);
		return pb_error_set(err, 500, "failed to create %s: %s", path, strerror(e));
	}
	char buf[1 << 16];
	int rc = 0;
	for (;;) {
		zip_int64_t r = zip_fread(zf, buf, sizeof buf);
		if (r < 0) {
			rc = pb_error_set(err, 400, "failed to read an archive entry: %s", zip_file_strerror(zf));
			break;
		}
		if (r == 0)
			break;
		for (zip_int64_t off = 0; off < r;) {
			ssize_t w = write(fd, buf + off, (size_t)(r - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				rc = pb_error_set(err, 500, "failed to write %s: %s", path, strerror(errno));
				break;
			}
			off += w;
		}
		if (rc != 0)
			break;
	}
	zip_fclose(zf);
	if (rc == 0 && fsync(fd) != 0)
		rc = pb_error_set(err, 500, "failed to sync %s: %s", path, strerror(errno));
	if (close(fd) != 0 && rc == 0)
		rc = pb_error_set(err, 500, "failed to write %s: %s", path, strerror(errno));
	return rc;
}

int pb_archive_extract(const char *src, const char *dest, struct pb_error *err)
{
	int zerr = 0;
	zip_t *za = zip_open(src, ZIP_RDONLY, &zerr);
	if (!za) {
		zip_error_t ze;
		zip_error_init_with_code(&ze, zerr);
		pb_error_set(err, 400, "zip: %s", zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return -1;
	}
	int rc = pb_dirs_mkdir_p(dest, err);
	zip_int64_t n = zip_get_num_entries(za, 0);
	for (zip_int64_t i = 0; rc == 0 && i < n; i++) {
		const char *name = zip_get_name(za, (zip_uint64_t)i, ZIP_FL_ENC_GUESS);
		if (!name || !safe_name(name)) {
			rc = pb_error_set(err, 400, "invalid file path: %s", name ? name : "");
			break;
		}
		zip_uint8_t opsys = 0;
		zip_uint32_t attr = 0;
		zip_file_get_external_attributes(za, (zip_uint64_t)i, 0, &opsys, &attr);
		mode_t mode = opsys == ZIP_OPSYS_UNIX ? (mode_t)(attr >> 16) : 0;
		size_t len = strlen(name);
		bool is_dir = name[len - 1] == '/' || (mode && S_ISDIR(mode));
		char *path = pb_dirs_join(dest, name);
		if (is_dir) {
			rc = pb_dirs_mkdir_p(path, err);
		} else if (!mode || S_ISREG(mode)) {
			char *parent = strdup(path);
			if (!parent)
				abort();
			*strrchr(parent, '/') = '\0';
			rc = pb_dirs_mkdir_p(parent, err);
			free(parent);
			mode_t perm = mode & 0777;
			if (rc == 0)
				rc = extract_file(za, (zip_uint64_t)i, path, perm ? perm : 0644, err);
		}
		/* anything else (symlinks, devices, fifos) is skipped */
		free(path);
	}
	zip_discard(za);
	return rc;
}

bool pb_archive_is_zip(const char *path)
{
	int zerr = 0;
	zip_t *za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
	if (!za)
		return false;
	zip_discard(za);
	return true;
}
