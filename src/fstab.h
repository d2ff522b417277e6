/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* fstab: the ESPs' lines of /etc/fstab, read with libmount.
 *
 * The generator orders the boot after the booted ESP's line alone, and
 * status warns about lines written for the old ordering
 * (x-systemd.before=bootbind.service), which make a degraded boot wait for
 * the missing disk's device timeout. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "esp.h"
#include "reason.h"

struct fstab_esp {
	char letter;            /* ROOT@<letter> */
	char *target;           /* "ROOT@a" */
	char *source;           /* as written: "PARTLABEL=boot@a", "PARTUUID=...", "/dev/..." */
	char partuuid[GUID_STR_LEN]; /* when the source names it (PARTUUID=, by-partuuid), else "" */
	bool before_bind;       /* x-systemd.before=bootbind.service */
};

struct fstab_esps {
	struct fstab_esp lines[ESP_MAX];
	size_t n;               /* in letter order; one per letter (the last line wins) */
};

/* The lines of fstab (a file in fstab(5) format) whose mountpoint is
 * esp_root@[a-z]. A missing file is no line. Returns 0, or a negative
 * errno with why set. */
int fstab_read_esps(const char *fstab, const char *esp_root, struct fstab_esps *out,
		    struct reason *why);
void fstab_esps_free(struct fstab_esps *f);
