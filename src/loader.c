/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* loader: read systemd-boot's LoaderInfo marker; see loader.h. */
#include "loader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "fileio.h"

#define MARKER_START "#### LoaderInfo: "
#define MARKER_END " ####"
#define PRODUCT "systemd-boot "

/* Returns 1, 0 or -EBADMSG; see loader.h. */
int loader_find_marker(const uint8_t *data, size_t len, char version[LOADER_VERSION_MAX],
		       uint64_t *off, struct reason *why)
{
	const size_t slen = strlen(MARKER_START), elen = strlen(MARKER_END);
	const uint8_t *p = data, *end = data + len;
	version[0] = '\0';
	while ((size_t)(end - p) >= slen) {
		const uint8_t *m = memmem(p, (size_t)(end - p), MARKER_START, slen);
		if (!m)
			return 0;
		const uint8_t *info = m + slen;
		/* The info is printable text up to " ####"; anything else means
		 * this was not the marker (or it was cut by the end of the file). */
		const uint8_t *q = info;
		while (q < end && *q >= 0x20 && *q < 0x7f && (size_t)(end - q) >= elen &&
		       memcmp(q, MARKER_END, elen) != 0)
			q++;
		if ((size_t)(end - q) < elen || memcmp(q, MARKER_END, elen) != 0) {
			p = m + 1;
			continue;
		}
		size_t ilen = (size_t)(q - info), plen = strlen(PRODUCT);
		if (ilen < plen || memcmp(info, PRODUCT, plen) != 0)
			return 0; /* another product's marker */
		size_t vlen = ilen - plen;
		if (vlen == 0 || vlen >= LOADER_VERSION_MAX) {
			reason_set(why, "its LoaderInfo marker has a version of %zu characters", vlen);
			return -EBADMSG;
		}
		memcpy(version, info + plen, vlen);
		version[vlen] = '\0';
		*off = (uint64_t)(m - data);
		return 1;
	}
	return 0;
}

/* Does dfd/base hold like's marker at like's place? */
static bool same_marker(int dfd, const char *base, const struct loader_file *like)
{
	char want[sizeof MARKER_START + sizeof PRODUCT + LOADER_VERSION_MAX + sizeof MARKER_END];
	int n = snprintf(want, sizeof want, MARKER_START PRODUCT "%s" MARKER_END, like->version);
	if (n < 0 || (size_t)n >= sizeof want)
		return false;
	_cleanup_close_ int fd = fileio_open_read(dfd, base);
	char got[sizeof want];
	return fd >= 0 && pread(fd, got, (size_t)n, (off_t)like->marker_off) == n &&
	       memcmp(got, want, (size_t)n) == 0;
}

/* Returns 0 or a negative errno with why set. */
int loader_read(int rootfd, const char *path, const struct loader_file *like,
		struct loader_file *out, struct reason *why)
{
	memset(out, 0, sizeof *out);
	const char *base;
	_cleanup_close_ int dfd = fileio_open_parent(rootfd, path, &base);
	if (dfd == -ENOENT || dfd == -ENOTDIR)
		return 0;
	if (dfd < 0) {
		reason_set(why, "%s: %s", path, fileio_error_words(dfd));
		return dfd;
	}
	struct stat st;
	if (fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return 0;
		int r = -errno;
		reason_set(why, "%s: %s", path, fileio_error_words(r));
		return r;
	}
	if (!S_ISREG(st.st_mode)) {
		reason_set(why, "%s: not a regular file", path);
		return -EBADFD;
	}
	if (like && like->sdboot && like->size == (uint64_t)st.st_size &&
	    same_marker(dfd, base, like)) {
		*out = *like;
		out->mtime = st.st_mtim;
		return 0;
	}
	_cleanup_free_ char *data = NULL;
	size_t len;
	int r = fileio_read_bounded(dfd, base, LOADER_READ_MAX, &data, &len);
	if (r == -EFBIG) {
		reason_set(why, "%s: larger than %d MiB, not a boot loader this program reads", path,
			   LOADER_READ_MAX >> 20);
		return r;
	}
	if (r < 0) {
		reason_set(why, "%s: %s", path, fileio_error_words(r));
		return r;
	}
	out->present = true;
	out->size = len;
	out->mtime = st.st_mtim;
	struct reason sub;
	r = loader_find_marker((const uint8_t *)data, len, out->version, &out->marker_off, &sub);
	if (r < 0) {
		reason_set(why, "%s: %s", path, sub.text);
		return r;
	}
	out->sdboot = r == 1;
	return 0;
}
