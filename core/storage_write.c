/* storage_write — the atomic writer of the local storage and the `.attrs` sidecar encoder.
 * Mirrors fileblob's writerWithSidecar: content to `<path>.<hex UnixNano>.tmp` (O_EXCL, a new
 * name on collision), sidecar written, temp renamed over `<path>`, sidecar removed again if
 * that rename fails. On top of fileblob, the content and the sidecar are fsync'ed before
 * their renames (the sidecar is also written through a temp name) and the directory after
 * (and the parent of every directory it creates), so an acknowledged upload survives a crash. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/json_write.h"
#include "core/storage.h"
#include "core/storage_internal.h"
#include "core/strbuf.h"

#define DIR_MODE 0755
#define FILE_MODE 0644
#define ORIGINAL_NAME_MAX 255 /* filesystem.UploadFile keeps the first 255 bytes */
#define TEMP_TRIES 10000

static int fsync_dir_of(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;
	if (n == 0 || n >= sizeof dir)
		return 0;
	memcpy(dir, path, n);
	dir[n] = '\0';
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

int pbst_mkdirs(const char *dir, struct pb_error *err)
{
	char buf[4096];
	size_t n = strlen(dir);
	if (n == 0 || n >= sizeof buf)
		return pb_error_set(err, 500, "Storage path too long.");
	memcpy(buf, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		char saved = buf[i];
		buf[i] = '\0';
		if (mkdir(buf, DIR_MODE) == 0) {
			/* a new directory entry is durable once its parent is synced */
			if (fsync_dir_of(buf) != 0) {
				int e = errno;
				return pb_error_set(err, 500, "Failed to sync the storage directory (%s).", strerror(e));
			}
		} else if (errno != EEXIST) {
			int e = errno;
			return pb_error_set(err, 500, "Failed to create the storage directory (%s).", strerror(e));
		}
		buf[i] = saved;
	}
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return pb_error_set(err, 500, "The storage path is not a directory.");
	return 0;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* creates `<base>.<hex ns>.tmp` exclusively; returns the fd and fills tmp, or -1 */
static int create_temp(const char *base, char *tmp, size_t cap)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	for (int i = 0; i < TEMP_TRIES; i++, ns++) {
		if (snprintf(tmp, cap, "%s.%" PRIx64 ".tmp", base, ns) >= (int)cap) {
			errno = ENAMETOOLONG;
			return -1;
		}
		int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, FILE_MODE);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	errno = EEXIST;
	return -1;
}

/* writes data to a new temp file next to `base` and fsyncs it; tmp receives its name */
static int write_temp(const char *base, const void *data, size_t len, char *tmp, size_t cap)
{
	int fd = create_temp(base, tmp, cap);
	if (fd < 0) {
		tmp[0] = '\0';
		return -1;
	}
	int rc = write_all(fd, data, len) == 0 && fsync(fd) == 0 ? 0 : -1;
	int saved = errno;
	if (close(fd) != 0 && rc == 0)
		rc = -1, saved = errno;
	if (rc != 0) {
		unlink(tmp);
		tmp[0] = '\0';
	}
	errno = saved;
	return rc;
}

/* the sidecar bytes, exactly as json.NewEncoder(f).Encode(xattrs) writes them */
static void attrs_json_md5(struct pb_strbuf *b, const unsigned char *md5, unsigned int md5_len,
                           const char *content_type, const char *original_name)
{
	char b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
	EVP_EncodeBlock((unsigned char *)b64, md5, (int)md5_len);

	pb_strbuf_puts(b, "{\"user.cache_control\":\"\",\"user.content_disposition\":\"\","
	                  "\"user.content_encoding\":\"\",\"user.content_language\":\"\",\"user.content_type\":");
	pb_json_write_string(b, content_type, strlen(content_type));
	pb_strbuf_puts(b, ",\"user.metadata\":");
	if (original_name) {
		size_t n = strlen(original_name);
		pb_strbuf_puts(b, "{\"original-filename\":");
		pb_json_write_string(b, original_name, n > ORIGINAL_NAME_MAX ? ORIGINAL_NAME_MAX : n);
		pb_strbuf_putc(b, '}');
	} else {
		pb_strbuf_puts(b, "null");
	}
	pb_strbuf_printf(b, ",\"md5\":\"%s\"}\n", b64);
}

static void attrs_json(struct pb_strbuf *b, const void *data, size_t len, const char *content_type,
                       const char *original_name)
{
	unsigned char md5[EVP_MAX_MD_SIZE];
	unsigned int md5_len = 0;
	EVP_Digest(data ? data : "", len, md5, &md5_len, EVP_md5(), NULL);
	attrs_json_md5(b, md5, md5_len, content_type, original_name);
}

/* The common end of both writes: the sidecar `attrs` (through a synced temporary, then renamed),
 * then the content file `from` renamed to `path`, then the directory synced. Returns 0, or -1
 * with err (500; the sidecar is removed again when `from` could not be renamed). *renamed
 * (may be NULL) tells whether `from` now is `path`. */
static int publish(const char *from, const char *path, const char *attrs, const struct pb_strbuf *sidecar,
                   bool *renamed, struct pb_error *err)
{
	char attrs_tmp[4200];
	bool moved_dummy;
	if (!renamed)
		renamed = &moved_dummy;
	*renamed = false;
	if (write_temp(attrs, sidecar->data, sidecar->len, attrs_tmp, sizeof attrs_tmp) != 0 ||
	    rename(attrs_tmp, attrs) != 0) {
		int e = errno;
		if (attrs_tmp[0])
			unlink(attrs_tmp);
		pb_error_set(err, 500, "Failed to write the file attributes (%s).", strerror(e));
		return -1;
	}
	if (rename(from, path) != 0) {
		int e = errno;
		unlink(attrs);
		pb_error_set(err, 500, "Failed to store the file (%s).", strerror(e));
		return -1;
	}
	*renamed = true;
	if (fsync_dir_of(path) != 0) {
		pb_error_set(err, 500, "Failed to sync the storage directory (%s).", strerror(errno));
		return -1;
	}
	return 0;
}

int pbst_write_file(const char *path, const void *data, size_t len, const char *content_type,
                    const char *original_name, struct pb_error *err)
{
	char tmp[4200] = "", attrs[4200];
	struct pb_strbuf sidecar = PB_STRBUF_INIT;
	int rc = -1, e = 0;
	bool renamed = false;

	if (snprintf(attrs, sizeof attrs, "%s.attrs", path) >= (int)sizeof attrs) {
		pb_error_set(err, 500, "Storage path too long.");
		goto done;
	}
	if (write_temp(path, data, len, tmp, sizeof tmp) != 0) {
		e = errno;
		pb_error_set(err, 500, "Failed to write the file (%s).", strerror(e));
		goto done;
	}
	attrs_json(&sidecar, data, len, content_type, original_name);
	rc = publish(tmp, path, attrs, &sidecar, &renamed, err);
	if (renamed)
		tmp[0] = '\0';
done:
	if (tmp[0])
		unlink(tmp);
	pb_strbuf_deinit(&sidecar);
	return rc;
}

int pb_storage_write_at(const char *path, const void *data, size_t len, const char *content_type,
                        const char *original_name, struct pb_error *err)
{
	return pbst_write_file(path, data, len, content_type ? content_type : PB_STORAGE_DEFAULT_CONTENT_TYPE,
	                       original_name, err);
}

/* MD5 of the file's content and an fsync of it */
static int md5_and_sync(const char *path, unsigned char *md5, unsigned int *md5_len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_DigestInit_ex(ctx, EVP_md5(), NULL);
	char buf[1 << 16];
	int rc = 0;
	for (;;) {
		ssize_t r = read(fd, buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = -1;
			break;
		}
		if (r == 0)
			break;
		EVP_DigestUpdate(ctx, buf, (size_t)r);
	}
	EVP_DigestFinal_ex(ctx, md5, md5_len);
	EVP_MD_CTX_free(ctx);
	if (rc == 0 && fsync(fd) != 0)
		rc = -1;
	int saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

int pb_storage_adopt_file(const char *src, const char *path, const char *content_type, const char *original_name,
                          struct pb_error *err)
{
	char attrs[4200];
	struct pb_strbuf sidecar = PB_STRBUF_INIT;
	unsigned char md5[EVP_MAX_MD_SIZE];
	unsigned int md5_len = 0;
	int rc = -1, e = 0;

	if (snprintf(attrs, sizeof attrs, "%s.attrs", path) >= (int)sizeof attrs) {
		pb_error_set(err, 500, "Storage path too long.");
		goto done;
	}
	if (md5_and_sync(src, md5, &md5_len) != 0) {
		e = errno;
		pb_error_set(err, 500, "Failed to read the file (%s).", strerror(e));
		goto done;
	}
	attrs_json_md5(&sidecar, md5, md5_len, content_type ? content_type : PB_STORAGE_DEFAULT_CONTENT_TYPE,
	               original_name);
	rc = publish(src, path, attrs, &sidecar, NULL, err);
done:
	pb_strbuf_deinit(&sidecar);
	return rc;
}
