/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* fileio: the only way this program opens and reads files. Every read is
 * bounded, every open is O_NOFOLLOW|O_CLOEXEC. */
#pragma once
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
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
 * or a negative errno. Logs nothing: the caller knows what the file means. */
int fileio_read_bounded(int dirfd, const char *path, size_t max, char **buf, size_t *len);

/* Open a directory relative to dirfd, not following a final symlink.
 * Returns the fd or a negative errno. */
int fileio_open_dir(int dirfd, const char *path);

/* Write all of buf to fd, retrying short writes and EINTR. 0 or -errno. */
int fileio_write_all(int fd, const void *buf, size_t len);

/* Open the directory that holds relpath (a '/'-separated path relative to
 * rootfd, no "." or ".." components), walking one component at a time with
 * O_NOFOLLOW so that no symlink on the way can lead outside rootfd. Sets
 * *base to the last component (pointing into relpath). Returns the
 * directory fd or a negative errno. */
int fileio_open_parent(int rootfd, const char *relpath, const char **base);

/* fsync the directory at rootfd/reldir ("" for rootfd itself). 0 or -errno. */
int fileio_fsync_dir(int rootfd, const char *reldir);

/* Open dirfd/path as a DIR stream, not following a final symlink. Sets
 * *out to NULL when the directory does not exist (a missing directory is
 * an empty one to every caller). Returns 0 or a negative errno. */
int fileio_opendir(int dirfd, const char *path, DIR **out);
