/* dirs — directory-tree helpers (see dirs.h). */
#include "core/dirs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *pb_dirs_join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *p = malloc(n);
	if (!p)
		abort();
	snprintf(p, n, "%s/%s", a, b);
	return p;
}

int pb_dirs_mkdir_p(const char *dir, struct pb_error *err)
{
	size_t n = strlen(dir);
	char *buf = strdup(dir);
	if (!buf)
		abort();
	int rc = 0;
	for (size_t i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		char saved = buf[i];
		buf[i] = '\0';
		if (mkdir(buf, 0755) != 0 && errno != EEXIST) {
			rc = pb_error_set(err, 500, "failed to create directory %s: %s", buf, strerror(errno));
			break;
		}
		buf[i] = saved;
	}
	struct stat st;
	if (rc == 0 && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)))
		rc = pb_error_set(err, 500, "%s is not a directory", dir);
	free(buf);
	return rc;
}

void pb_dirs_remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		if (d) {
			struct dirent *e;
			while ((e = readdir(d))) {
				if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
					continue;
				char *child = pb_dirs_join(path, e->d_name);
				pb_dirs_remove_tree(child);
				free(child);
			}
			closedir(d);
		}
		rmdir(path);
	} else {
		unlink(path);
	}
}

int pb_dirs_copy_file(const char *src, const char *dest, struct pb_error *err)
{
	int in = open(src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (in < 0)
		return pb_error_set(err, 500, "failed to open %s: %s", src, strerror(errno));
	int out = open(dest, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		int e = errno;
		close(in);
		return pb_error_set(err, 500, "failed to create %s: %s", dest, strerror(e));
	}
	char buf[1 << 16];
	int rc = 0;
	for (;;) {
		ssize_t r = read(in, buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = pb_error_set(err, 500, "failed to read %s: %s", src, strerror(errno));
			break;
		}
		if (r == 0)
			break;
		for (ssize_t off = 0; off < r;) {
			ssize_t w = write(out, buf + off, (size_t)(r - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				rc = pb_error_set(err, 500, "failed to write %s: %s", dest, strerror(errno));
				break;
			}
			off += w;
		}
		if (rc != 0)
			break;
	}
	if (rc == 0 && fsync(out) != 0)
		rc = pb_error_set(err, 500, "failed to sync %s: %s", dest, strerror(errno));
	close(in);
	if (close(out) != 0 && rc == 0)
		rc = pb_error_set(err, 500, "failed to write %s: %s", dest, strerror(errno));
	if (rc != 0)
		unlink(dest);
	return rc;
}

int pb_dirs_clone_tree(const char *src, const char *dest, struct pb_error *err)
{
	if (mkdir(dest, 0755) != 0 && errno != EEXIST)
		return pb_error_set(err, 500, "failed to create directory %s: %s", dest, strerror(errno));
	DIR *d = opendir(src);
	if (!d)
		return errno == ENOENT ? 0 : pb_error_set(err, 500, "failed to read %s: %s", src, strerror(errno));
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *from = pb_dirs_join(src, e->d_name);
		char *to = pb_dirs_join(dest, e->d_name);
		struct stat st;
		if (lstat(from, &st) != 0) {
			/* vanished while walking (a concurrent delete): nothing to keep */
		} else if (S_ISDIR(st.st_mode)) {
			rc = pb_dirs_clone_tree(from, to, err);
		} else if (S_ISREG(st.st_mode)) {
			if (link(from, to) != 0 && errno != ENOENT)
				rc = pb_dirs_copy_file(from, to, err);
		}
		free(from);
		free(to);
	}
	closedir(d);
	return rc;
}

static bool excluded(const char *name, const char *const *exclude, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(name, exclude[i]))
			return true;
	return false;
}

/* the names of dir's entries except . and .. (NULL-terminated, caller frees), or NULL */
static char **list_names(const char *dir, size_t *n_out)
{
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (n + 1 >= cap) {
			cap = cap ? cap * 2 : 16;
			names = realloc(names, cap * sizeof *names);
			if (!names)
				abort();
		}
		if (!(names[n++] = strdup(e->d_name)))
			abort();
	}
	closedir(d);
	if (!names && !(names = calloc(1, sizeof *names)))
		abort();
	names[n] = NULL;
	*n_out = n;
	return names;
}

static void free_names(char **names)
{
	for (size_t i = 0; names && names[i]; i++)
		free(names[i]);
	free(names);
}

int pb_dirs_move_content(const char *src, const char *dest, const char *const *exclude, size_t nexclude,
                         struct pb_error *err)
{
	/* the entries are listed before anything moves: renaming while reading a directory may
	 * make readdir skip or repeat entries */
	size_t n = 0;
	char **names = list_names(src, &n);
	if (!names)
		return pb_error_set(err, 500, "failed to read %s: %s", src, strerror(errno));
	bool created = false;
	struct stat st;
	if (stat(dest, &st) != 0) {
		if (mkdir(dest, 0755) != 0) {
			int e = errno;
			free_names(names);
			return pb_error_set(err, 500, "failed to create directory %s: %s", dest, strerror(e));
		}
		created = true;
	}
	size_t nmoved = 0; /* names[0..n) that were moved are flagged by keeping their index here */
	size_t *moved = calloc(n ? n : 1, sizeof *moved);
	if (!moved)
		abort();
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		if (excluded(names[i], exclude, nexclude))
			continue;
		char *from = pb_dirs_join(src, names[i]);
		char *to = pb_dirs_join(dest, names[i]);
		int r = rename(from, to);
		int eno = errno;
		free(from);
		free(to);
		if (r != 0) {
			rc = pb_error_set(err, 500, "failed to move %s/%s: %s", src, names[i], strerror(eno));
			break;
		}
		moved[nmoved++] = i;
	}
	if (rc != 0) {
		bool all_back = true;
		for (size_t k = 0; k < nmoved; k++) {
			char *from = pb_dirs_join(dest, names[moved[k]]);
			char *to = pb_dirs_join(src, names[moved[k]]);
			if (rename(from, to) != 0)
				all_back = false;
			free(from);
			free(to);
		}
		if (created && all_back)
			rmdir(dest);
	}
	free(moved);
	free_names(names);
	return rc;
}
