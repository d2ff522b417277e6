/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* fileio: the only way this program opens, reads and lists files. Every
 * read is bounded, every open is O_NOFOLLOW|O_CLOEXEC. Errors are negative
 * errnos; fileio_error_words() says them in words for a reason string. */
#pragma once
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <stdlib.h>
#include <unistd.h>

/* Cleanup helpers: declare with e.g. "_cleanup_free_ char *p = NULL;". */
static inline void fileio_freep(void *p) { free(*(void **)p); }
static inline void fileio_closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}
static inline void fileio_closedirp(DIR **d)
{
	if (*d)
		closedir(*d);
}
#define _cleanup_free_ __attribute__((cleanup(fileio_freep)))
#define _cleanup_close_ __attribute__((cleanup(fileio_closep)))
#define _cleanup_closedir_ __attribute__((cleanup(fileio_closedirp)))

/* Read the whole regular file at dirfd/path (AT_FDCWD for a plain path) into
 * a new NUL-terminated buffer. A file larger than max is an error (-EFBIG),
 * never truncated silently. Returns 0 and sets *buf (caller frees) and *len,
 * or a negative errno: -ELOOP for a symlink, -EISDIR for a directory,
 * -EBADFD for any other file that is not a regular one (FIFO, device,
 * socket), else the open's or read's errno. Logs nothing: the caller knows
 * what the file means. */
int fileio_read_bounded(int dirfd, const char *path, size_t max, char **buf, size_t *len);

/* Open a directory relative to dirfd, not following a final symlink.
 * Returns the fd or a negative errno. */
int fileio_open_dir(int dirfd, const char *path);

/* Open dirfd/path to read, O_NOATIME where allowed (reading a source ESP
 * must not write to it; the flag needs the file's owner or CAP_FOWNER).
 * Returns the fd or a negative errno. */
int fileio_open_read(int dirfd, const char *path);

/* Create dirfd/path, which must not exist (O_EXCL), to write. Returns the
 * fd or a negative errno (-EEXIST when it exists, whatever it is). */
int fileio_create(int dirfd, const char *path, mode_t mode);

/* Open dirfd/path to write (not truncated), creating it if needed: an
 * efivarfs variable. Returns the fd or a negative errno. */
int fileio_open_write(int dirfd, const char *path, mode_t mode);

/* Open dirfd/path to read and write, creating it if needed (a lock file).
 * Returns the fd or a negative errno. */
int fileio_open_rw(int dirfd, const char *path, mode_t mode);

/* Write all of buf to fd, retrying short writes and EINTR. 0 or -errno. */
int fileio_write_all(int fd, const void *buf, size_t len);

/* Open the directory that holds relpath (a '/'-separated path relative to
 * rootfd, no "." or ".." components), walking one component at a time with
 * O_NOFOLLOW so that no symlink on the way can lead outside rootfd. Sets
 * *base to the last component (pointing into relpath). Returns the
 * directory fd or a negative errno. */
int fileio_open_parent(int rootfd, const char *relpath, const char **base);


/* Open dirfd/path as a DIR stream, not following a final symlink. Sets
 * *out to NULL when the directory does not exist (a missing directory is
 * an empty one to every caller). Returns 0 or a negative errno. */
int fileio_opendir(int dirfd, const char *path, DIR **out);

/* The next entry of d other than "." and "..": returns 1 with *de set, 0
 * at the end, or a negative errno when reading the directory failed (a
 * plain readdir() loop cannot tell that from the end). */
int fileio_readdir(DIR *d, struct dirent **de);

/* Does dirfd/path exist (not following a final symlink)? 1 yes, 0 no
 * (ENOENT or ENOTDIR on the way), or a negative errno when it cannot be
 * told. */
int fileio_exists(int dirfd, const char *path);

/* Is dirfd/path a directory (not following a final symlink)? 1, 0, or a
 * negative errno (-ENOENT when absent). */
int fileio_is_dir(int dirfd, const char *path);

/* A negative errno of the functions above in words, for a reason string:
 * "not a regular file", "is a symbolic link", "does not exist", ... */
const char *fileio_error_words(int err);
