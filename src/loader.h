/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* loader: systemd-boot on an ESP, and which version it is.
 *
 * systemd-boot carries its version in a marker inside the binary,
 * "#### LoaderInfo: systemd-boot VERSION ####" (bootctl reads the same).
 * A file at a loader path without that marker is not systemd-boot (shim,
 * another system's loader) and is never touched. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "reason.h"

/* Bound on what is read of a boot loader: systemd-boot is ~100 KiB; a
 * signed or shim-wrapped one stays far below this. */
#define LOADER_READ_MAX (16 * 1024 * 1024)
#define LOADER_VERSION_MAX 128

struct loader_file {
	bool present;      /* a regular file is there */
	bool sdboot;       /* ... and it is systemd-boot (the marker names it) */
	char version[LOADER_VERSION_MAX]; /* sdboot: its version */
	uint64_t marker_off;  /* sdboot: where its marker is */
	uint64_t size;
	struct timespec mtime;
};

/* Find the marker in data (len bytes, any content). Returns 1 with the
 * product's version in version and where the marker starts in *off when
 * it is systemd-boot, 0 when there is no complete marker or it names
 * another product, -EBADMSG when the marker is there but its version is
 * empty or longer than LOADER_VERSION_MAX - 1 (why says so). */
int loader_find_marker(const uint8_t *data, size_t len, char version[LOADER_VERSION_MAX],
		       uint64_t *off, struct reason *why);

/* Look at rootfd/path (no symlink followed). A missing file is
 * present = false, not an error. like, if not NULL, is a file this one may
 * be a copy of (the source's systemd-boot): when it has the same size and
 * the same marker at the same place, like's answer is taken after reading
 * only the marker (a sync with nothing to do reads no target's loader
 * whole). Returns 0, or a negative errno
 * with why naming path (not a regular file, larger than LOADER_READ_MAX, a
 * read error, a malformed marker). */
int loader_read(int rootfd, const char *path, const struct loader_file *like,
		struct loader_file *out, struct reason *why);
