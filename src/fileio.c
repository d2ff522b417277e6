/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* fileio: bounded reads and safe opens. */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

/* Returns 0 or a negative errno; see fileio.h. */
int fileio_read_bounded(int dirfd, const char *path, size_t max, char **buf, size_t *len)
{
	/* O_NONBLOCK: a FIFO put where a file should be must not hang the
	 * open (at boot, bind would stall local-fs.target); it is refused
	 * below, and on regular files the flag changes nothing. */
	/* O_NOATIME: reading an ESP's entries must not write to it. */
	_cleanup_close_ int fd = openat(dirfd, path,
					O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOATIME);
	if (fd < 0 && errno == EPERM)
		fd = openat(dirfd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode))
		return -EBADFD;

	/* efivarfs and procfs report sizes that may not match what read()
	 * returns, so read until EOF and enforce the bound on what arrives. */
	size_t cap = 4096, used = 0;
	char *data = malloc(cap + 1);
	if (!data)
		return -ENOMEM;
	for (;;) {
		if (used == cap) {
			if (cap > max) {
				free(data);
				return -EFBIG;
			}
			size_t ncap = cap * 2;
			char *n = realloc(data, ncap + 1);
			if (!n) {
				free(data);
				return -ENOMEM;
			}
			data = n;
			cap = ncap;
		}
		ssize_t k = read(fd, data + used, cap - used);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			int e = -errno;
			free(data);
			return e;
		}
		if (k == 0)
			break;
		used += (size_t)k;
		if (used > max) {
			free(data);
			return -EFBIG;
		}
	}
	data[used] = '\0';
	*buf = data;
	*len = used;
	return 0;
}

/* Returns an fd or a negative errno. */
int fileio_open_dir(int dirfd, const char *path)
{
	int fd = openat(dirfd, path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* Returns an fd or a negative errno. */
int fileio_open_read(int dirfd, const char *path)
{
	int fd = openat(dirfd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NOATIME);
	if (fd < 0 && errno == EPERM)
		fd = openat(dirfd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	return fd < 0 ? -errno : fd;
}

/* Returns an fd or a negative errno. */
int fileio_create(int dirfd, const char *path, mode_t mode)
{
	int fd = openat(dirfd, path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY,
			mode);
	return fd < 0 ? -errno : fd;
}

/* Returns an fd or a negative errno. */
int fileio_open_write(int dirfd, const char *path, mode_t mode)
{
	int fd = openat(dirfd, path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, mode);
	return fd < 0 ? -errno : fd;
}

/* Returns an fd or a negative errno. */
int fileio_open_rw(int dirfd, const char *path, mode_t mode)
{
	int fd = openat(dirfd, path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, mode);
	return fd < 0 ? -errno : fd;
}

/* Returns 0 or a negative errno. */
int fileio_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t k = write(fd, p, len);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += k;
		len -= (size_t)k;
	}
	return 0;
}

/* Returns a directory fd or a negative errno; see fileio.h. */
int fileio_open_parent(int rootfd, const char *relpath, const char **base)
{
	int fd = fcntl(rootfd, F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		return -errno;
	const char *p = relpath;
	for (;;) {
		const char *slash = strchr(p, '/');
		if (!slash)
			break;
		size_t n = (size_t)(slash - p);
		char comp[256];
		if (n == 0 || n >= sizeof comp) {
			close(fd);
			return n == 0 ? -EINVAL : -ENAMETOOLONG;
		}
		memcpy(comp, p, n);
		comp[n] = '\0';
		if (strcmp(comp, ".") == 0 || strcmp(comp, "..") == 0) {
			close(fd);
			return -EINVAL;
		}
		int next = fileio_open_dir(fd, comp);
		close(fd);
		if (next < 0)
			return next;
		fd = next;
		p = slash + 1;
	}
	if (*p == '\0' || strcmp(p, ".") == 0 || strcmp(p, "..") == 0) {
		close(fd);
		return -EINVAL;
	}
	*base = p;
	return fd;
}

/* Returns 0 (with *out NULL if absent) or a negative errno. */
int fileio_opendir(int dirfd, const char *path, DIR **out)
{
	*out = NULL;
	int fd = fileio_open_dir(dirfd, path);
	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return fd;
	DIR *d = fdopendir(fd);
	if (!d) {
		int e = -errno;
		close(fd);
		return e;
	}
	*out = d;
	return 0;
}

/* Returns 1, 0 at the end, or a negative errno; see fileio.h. */
int fileio_readdir(DIR *d, struct dirent **de)
{
	for (;;) {
		errno = 0;
		struct dirent *e = readdir(d);
		if (!e)
			return errno ? -errno : 0;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		*de = e;
		return 1;
	}
}

/* Returns 1, 0 or a negative errno. */
int fileio_exists(int dirfd, const char *path)
{
	struct stat st;
	if (fstatat(dirfd, path, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return 1;
	return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
}

/* Returns 1, 0 or a negative errno. */
int fileio_is_dir(int dirfd, const char *path)
{
	struct stat st;
	if (fstatat(dirfd, path, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	return S_ISDIR(st.st_mode) ? 1 : 0;
}

const char *fileio_error_words(int err)
{
	switch (err < 0 ? -err : err) {
	case ENOENT: return "does not exist";
	case ENOTDIR: return "a part of its path is not a directory";
	case ELOOP: return "is a symbolic link, not followed";
	case EISDIR: return "is a directory, not a file";
	case EBADFD: return "not a regular file";
	case EFBIG: return "larger than this program reads";
	case EACCES:
	case EPERM: return "permission denied";
	case EIO: return "an I/O error";
	case ENOMEM: return "out of memory";
	case ENAMETOOLONG: return "name too long";
	case EROFS: return "read-only filesystem";
	case ENOSPC: return "no space left";
	case EMFILE:
	case ENFILE: return "too many open files";
	default: return strerror(err < 0 ? -err : err);
	}
}
