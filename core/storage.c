/* storage — path components, storage paths and the public write/read entry points of the
 * local file storage (see storage.h; the atomic writer is in storage_write.c, deletes in
 * storage_delete.c). Mirrors fileblob's key → path mapping for the keys PocketBase uses
 * (`<collectionId>/<recordId>/<name>`, thumbs under `thumbs_<name>/`), except that a key
 * component that fileblob would have to escape is refused instead. */
#include "core/storage.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/storage_internal.h"

#define ATTRS_EXT ".attrs"
#define ATTRS_READ_MAX (1u << 20) /* a sidecar is a few hundred bytes */

bool pb_storage_component_ok(const char *s, bool file_name)
{
	if (!s || !*s)
		return false;
	size_t n = strlen(s);
	if (n > PB_STORAGE_COMPONENT_MAX)
		return false;
	if (!strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f || c == '/' || c == '\\')
			return false;
	}
	if (file_name && n >= strlen(ATTRS_EXT) && !strcmp(s + n - strlen(ATTRS_EXT), ATTRS_EXT))
		return false;
	return true;
}

int pbst_join(char *out, size_t cap, const char *root, const char *const *parts, bool last_is_file, int bad_status,
              struct pb_error *err)
{
	if (!out || cap == 0 || !root || !*root)
		return pb_error_set(err, 500, "Invalid storage path.");
	out[0] = '\0';
	size_t w = strlen(root);
	if (w + 1 > cap)
		return pb_error_set(err, 500, "Storage path too long.");
	memcpy(out, root, w);
	for (size_t i = 0; parts[i]; i++) {
		bool is_last = parts[i + 1] == NULL;
		if (!pb_storage_component_ok(parts[i], is_last && last_is_file)) {
			out[0] = '\0';
			return pb_error_set(err, bad_status, "Invalid file path.");
		}
		size_t n = strlen(parts[i]);
		if (w + 1 + n + 1 > cap) {
			out[0] = '\0';
			return pb_error_set(err, 500, "Storage path too long.");
		}
		out[w++] = '/';
		memcpy(out + w, parts[i], n);
		w += n;
	}
	out[w] = '\0';
	return 0;
}

/* "<prefix><name>" into a component buffer; -1 when it would exceed a component's length */
static int derived(char *out, const char *prefix, const char *sep, const char *name)
{
	int n = snprintf(out, PB_STORAGE_COMPONENT_MAX + 1, "%s%s%s", prefix, sep, name);
	return n < 0 || n > PB_STORAGE_COMPONENT_MAX ? -1 : 0;
}

int pb_storage_path(const char *root, const char *collection_id, const char *record_id, const char *file_name,
                    char *out, size_t cap, struct pb_error *err)
{
	const char *parts[] = {collection_id, record_id, file_name, NULL};
	if (!collection_id || !record_id) {
		if (out && cap)
			out[0] = '\0';
		return pb_error_set(err, 404, "Invalid file path.");
	}
	return pbst_join(out, cap, root, parts, file_name != NULL, 404, err);
}

/* the thumb path with a chosen status for bad components */
static int thumb_path(const char *root, const char *collection_id, const char *record_id, const char *file_name,
                      const char *size, char *out, size_t cap, int bad_status, struct pb_error *err)
{
	char dir[PB_STORAGE_COMPONENT_MAX + 1], base[PB_STORAGE_COMPONENT_MAX + 1];
	if (out && cap)
		out[0] = '\0';
	if (!collection_id || !record_id || !pb_storage_component_ok(file_name, true) ||
	    !pb_storage_component_ok(size, false) || derived(dir, "thumbs_", "", file_name) != 0 ||
	    derived(base, size, "_", file_name) != 0)
		return pb_error_set(err, bad_status, "Invalid file path.");
	const char *parts[] = {collection_id, record_id, dir, base, NULL};
	return pbst_join(out, cap, root, parts, true, bad_status, err);
}

int pb_storage_thumb_path(const char *root, const char *collection_id, const char *record_id, const char *file_name,
                          const char *size, char *out, size_t cap, struct pb_error *err)
{
	return thumb_path(root, collection_id, record_id, file_name, size, out, cap, 404, err);
}

/* writes to a validated path: mkdir -p of its directory, then the atomic writer */
static int write_at(char *path, const void *data, size_t len, const char *content_type, const char *original_name,
                    struct pb_error *err)
{
	char *slash = strrchr(path, '/');
	*slash = '\0';
	int rc = pbst_mkdirs(path, err);
	*slash = '/';
	if (rc != 0)
		return -1;
	return pbst_write_file(path, data, len, content_type ? content_type : PB_STORAGE_DEFAULT_CONTENT_TYPE,
	                       original_name, err);
}

int pb_storage_write(const char *root, const char *collection_id, const char *record_id, const char *name,
                     const void *data, size_t len, const char *content_type, const char *original_name,
                     struct pb_error *err)
{
	char path[4096];
	const char *parts[] = {collection_id, record_id, name, NULL};
	if (!collection_id || !record_id || !name)
		return pb_error_set(err, 400, "Invalid file path.");
	if (!data && len)
		return pb_error_set(err, 500, "Missing file content.");
	if (pbst_join(path, sizeof path, root, parts, true, 400, err) != 0)
		return -1;
	return write_at(path, data, len, content_type, original_name, err);
}

int pb_storage_write_thumb(const char *root, const char *collection_id, const char *record_id, const char *file_name,
                           const char *size, const void *data, size_t len, const char *content_type,
                           struct pb_error *err)
{
	char path[4096];
	if (!data && len)
		return pb_error_set(err, 500, "Missing file content.");
	if (thumb_path(root, collection_id, record_id, file_name, size, path, sizeof path, 400, err) != 0)
		return -1;
	return write_at(path, data, len, content_type, NULL, err);
}

/* reads a whole small file; NULL with errno set on failure, ENOENT when missing */
static char *read_small(const char *path, size_t *len_out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (len == cap) {
			if (cap >= ATTRS_READ_MAX) {
				errno = EFBIG;
				goto fail;
			}
			cap = cap ? cap * 2 : 512;
			char *nb = realloc(buf, cap);
			if (!nb)
				goto fail;
			buf = nb;
		}
		ssize_t r = read(fd, buf + len, cap - len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	*len_out = len;
	return buf ? buf : calloc(1, 1);
fail:;
	int saved = errno;
	free(buf);
	close(fd);
	errno = saved;
	return NULL;
}

char *pb_storage_content_type(const char *path, struct pb_error *err)
{
	struct stat st;
	if (!path || stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
		pb_error_set(err, 404, "The requested resource wasn't found.");
		return NULL;
	}
	char attrs[4096 + sizeof ATTRS_EXT];
	if (snprintf(attrs, sizeof attrs, "%s%s", path, ATTRS_EXT) >= (int)sizeof attrs) {
		pb_error_set(err, 500, "Storage path too long.");
		return NULL;
	}
	size_t len = 0;
	char *text = read_small(attrs, &len);
	if (!text) {
		if (errno == ENOENT)
			return strdup(PB_STORAGE_DEFAULT_CONTENT_TYPE);
		pb_error_set(err, 500, "Failed to read the file attributes.");
		return NULL;
	}
	/* json.Decoder.Decode reads the first value and ignores what follows */
	json_t *doc = json_loadb(text, len, JSON_DISABLE_EOF_CHECK, NULL);
	free(text);
	const json_t *ct = json_object_get(doc, "user.content_type");
	char *out = NULL;
	if (!json_is_object(doc) || (ct && !json_is_null(ct) && !json_is_string(ct)))
		pb_error_set(err, 500, "Invalid file attributes.");
	else
		out = strdup(json_is_string(ct) ? json_string_value(ct) : "");
	json_decref(doc);
	return out;
}
