/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* efivars: bounded reads of efivarfs files; see efivars.h. */
#include "efivars.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fs.h>
#include <sys/ioctl.h>

#include "array.h"
#include "fileio.h"
#include "log.h"

/* Bytes of the attribute word that efivarfs puts before the payload. */
#define EFIVARS_ATTR_LEN 4

/* Returns 0 or a negative errno with why set; see efivars.h. */
int efivars_read(const char *dir, const char *name, const char *guid, uint32_t *attributes,
		 uint8_t **data, size_t *len, struct reason *why)
{
	char path[PATH_MAX];
	reason_clear(why);
	int n = snprintf(path, sizeof path, "%s/%s-%s", dir, name, guid);
	if (n < 0 || (size_t)n >= sizeof path) {
		reason_set(why, "%s-%s: path too long", name, guid);
		return -ENAMETOOLONG;
	}

	_cleanup_free_ char *buf = NULL;
	size_t got = 0;
	int r = fileio_read_bounded(AT_FDCWD, path, EFIVARS_MAX + EFIVARS_ATTR_LEN, &buf, &got);
	if (r == -ENOENT)
		return r;
	if (r == -EFBIG) {
		reason_set(why, "%s-%s: larger than %d bytes, refusing to read it", name, guid,
			   EFIVARS_MAX);
		return r;
	}
	if (r < 0) {
		reason_set(why, "%s-%s: %s", name, guid, fileio_error_words(r));
		return r;
	}
	if (got < EFIVARS_ATTR_LEN) {
		reason_set(why, "%s-%s: truncated (%zu bytes, shorter than the %d attribute bytes)",
			   name, guid, got, EFIVARS_ATTR_LEN);
		return -EBADMSG;
	}

	/* A buffer of exactly the payload's size: parsers that overrun it are
	 * caught by ASan in the tests instead of reading our own slack. */
	size_t plen = got - EFIVARS_ATTR_LEN;
	uint8_t *p = malloc(plen > 0 ? plen : 1);
	if (!p) {
		reason_set(why, "%s-%s: out of memory", name, guid);
		return -ENOMEM;
	}
	memcpy(p, buf + EFIVARS_ATTR_LEN, plen);
	if (attributes) {
		const uint8_t *a = (const uint8_t *)buf;
		*attributes = (uint32_t)a[0] | (uint32_t)a[1] << 8 | (uint32_t)a[2] << 16 |
			      (uint32_t)a[3] << 24;
	}
	*data = p;
	*len = plen;
	return 0;
}

/* Clear (set false) or restore the immutable flag of fd; returns the
 * flags it had, or -errno. */
static int immutable(int fd, bool set, int old)
{
	int flags = old;
	if (old < 0 && ioctl(fd, FS_IOC_GETFLAGS, &flags) < 0)
		return -errno;
	int want = set ? flags | FS_IMMUTABLE_FL : flags & ~FS_IMMUTABLE_FL;
	if (want != flags && ioctl(fd, FS_IOC_SETFLAGS, &want) < 0)
		return -errno;
	return flags;
}

/* Returns 0 or a negative errno with why set. */
int efivars_write(const char *dir, const char *name, const char *guid, uint32_t attributes,
		  const uint8_t *data, size_t len, struct reason *why)
{
	char path[PATH_MAX];
	reason_clear(why);
	int n = snprintf(path, sizeof path, "%s/%s-%s", dir, name, guid);
	if (n < 0 || (size_t)n >= sizeof path || len > EFIVARS_MAX) {
		reason_set(why, "%s-%s: too long to write", name, guid);
		return -EINVAL;
	}
	_cleanup_free_ uint8_t *buf = malloc(EFIVARS_ATTR_LEN + len);
	if (!buf) {
		reason_set(why, "%s-%s: out of memory", name, guid);
		return -ENOMEM;
	}
	for (int i = 0; i < EFIVARS_ATTR_LEN; i++)
		buf[i] = (uint8_t)(attributes >> (8 * i));
	if (len > 0)
		memcpy(buf + EFIVARS_ATTR_LEN, data, len);

	_cleanup_close_ int fd = fileio_open_write(AT_FDCWD, path, 0644);
	int old = -1;
	if (fd == -EPERM || fd == -EACCES) {
		/* An existing variable efivarfs made immutable: open it to
		 * clear the flag (reading needs no write permission). */
		_cleanup_close_ int ro = fileio_open_read(AT_FDCWD, path);
		if (ro >= 0 && (old = immutable(ro, false, -1)) >= 0)
			fd = fileio_open_write(AT_FDCWD, path, 0644);
		if (fd < 0 && old >= 0)
			(void)immutable(ro, true, old);
	}
	int r = fd < 0 ? fd : fileio_write_all(fd, buf, EFIVARS_ATTR_LEN + len);
	if (fd >= 0 && old >= 0 && (old & FS_IMMUTABLE_FL))
		(void)immutable(fd, true, old);
	if (r < 0) {
		const char *w = r == -ENOSPC ? "no space left in the firmware's variable store"
				: r == -EROFS ? "efivarfs is mounted read-only"
				: r == -EINVAL ? "the firmware refused the value"
					       : fileio_error_words(r);
		reason_set(why, "%s-%s: cannot write it: %s", name, guid, w);
		return r;
	}
	return 0;
}

bool efivars_exists(const char *dir, const char *name, const char *guid)
{
	char path[PATH_MAX];
	int n = snprintf(path, sizeof path, "%s/%s-%s", dir, name, guid);
	if (n < 0 || (size_t)n >= sizeof path)
		return false;
	return fileio_exists(AT_FDCWD, path) > 0;
}

/* False only when the firmware directory is known to be missing. */
bool efivars_firmware_present(const char *dir, struct reason *why)
{
	char parent[PATH_MAX];
	int n = snprintf(parent, sizeof parent, "%s", dir);
	if (n < 0 || (size_t)n >= sizeof parent)
		return true; /* cannot tell: keep the bounded wait */
	char *slash = strrchr(parent, '/');
	if (!slash || slash == parent)
		return true;
	*slash = '\0';
	if (fileio_exists(AT_FDCWD, parent) != 0)
		return true; /* there, or cannot tell */
	reason_set(why, "%s does not exist: the system was not booted through UEFI", parent);
	return false;
}

/* Is name "Boot####-<global guid>" with #### four upper-case hex digits? */
static bool boot_var_name(const char *name, uint16_t *number)
{
	static const char suffix[] = "-" EFIVARS_GLOBAL_GUID;
	if (strncmp(name, "Boot", 4) != 0)
		return false;
	unsigned v = 0;
	for (int i = 4; i < 8; i++) {
		char c = name[i];
		if (c >= '0' && c <= '9')
			v = v * 16 + (unsigned)(c - '0');
		else if (c >= 'A' && c <= 'F')
			v = v * 16 + (unsigned)(c - 'A' + 10);
		else
			return false;
	}
	if (strcmp(name + 8, suffix) != 0)
		return false;
	*number = (uint16_t)v;
	return true;
}

static int number_cmp(const void *a, const void *b)
{
	uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;
	return (x > y) - (x < y);
}

/* Returns the count, -ENOENT (not logged) or a negative errno (logged). */
int efivars_list_boot(const char *dir, uint16_t **numbers)
{
	*numbers = NULL;
	_cleanup_closedir_ DIR *d = NULL;
	int r = fileio_opendir(AT_FDCWD, dir, &d);
	if (r < 0)
		return log_error_errno(r, "cannot open %s", dir);
	if (!d)
		return -ENOENT;
	uint16_t *list = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((r = fileio_readdir(d, &de)) > 0) {
		uint16_t number;
		if (!boot_var_name(de->d_name, &number))
			continue;
		if (ARRAY_GROW(list, n, cap) < 0) {
			r = -ENOMEM;
			break;
		}
		list[n++] = number;
	}
	if (r < 0) {
		free(list);
		return log_error_errno(r, "cannot read %s", dir);
	}
	if (n > 1)
		qsort(list, n, sizeof *list, number_cmp);
	*numbers = list;
	return (int)n;
}
