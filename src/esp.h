/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* esp: the ESPs of this machine, <root>@a ... <root>@z, and the ESP root.
 *
 * The mount table comes from /proc/self/mountinfo through libmount, the
 * PARTUUIDs from the partition tables through libblkid. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "guid.h"
#include "reason.h"

#define ESP_MAX 26

struct esp {
	char letter;       /* 'a' .. 'z' */
	char *path;        /* "<root>@<letter>" */
	bool mounted;      /* something is mounted exactly on path */
	char *device;      /* the mount's source device, NULL if unknown */
	dev_t devno;       /* st_dev of the mounted filesystem */
	char *fsroot;      /* the mount's root within its filesystem ("/") */
	char *fstype;      /* "vfat", ... */
	char partuuid[GUID_STR_LEN]; /* lower case, "" if unknown */
	/* With a PARTUUID: the GPT entry, in the disk's logical blocks, as
	 * a boot entry's HD() node names it. */
	uint32_t part_number;
	uint64_t part_start, part_size;
};

struct esp_set {
	char *root;        /* the ESP root, normalised: absolute, no trailing '/' */
	bool root_mounted; /* is the ESP root a mountpoint? */
	dev_t root_devno;
	char *root_fsroot;
	struct esp esps[ESP_MAX];
	size_t n;          /* in letter order */
};

/* Normalise an --esp-root argument: absolute, no trailing '/', not "/",
 * no "//" or "." / ".." components. Returns a new string or NULL after
 * logging why. */
char *esp_root_normalise(const char *arg);

/* Discover the ESPs of esp_root: every existing directory <root>@[a-z]
 * and every mount on such a path in the mount table mountinfo (a
 * /proc/self/mountinfo file), and whether the ESP root itself is a
 * mountpoint. With probe, also the mounts' devices and PARTUUIDs (a
 * PARTUUID that cannot be probed is left "" with a debug message): that
 * reads each disk's partition table, which sync does not need and which
 * costs milliseconds per disk with a cold cache. Returns 0 or a negative
 * errno with why set; logs nothing. Always call esp_set_free. */
int esp_discover(const char *mountinfo, const char *esp_root, bool probe, struct esp_set *out,
		 struct reason *why);
void esp_set_free(struct esp_set *set);

/* The ESP the ESP root is a bind of: the one mounted ESP with the same
 * filesystem (devno) and the same root within it. Returns it, or NULL with
 * why set (ESP root not a mountpoint, a bind of none, of more than one);
 * logs nothing. */
const struct esp *esp_source(const struct esp_set *set, struct reason *why);

/* Read the GPT partition entry of a partition device with libblkid: its
 * UUID (lower case), number, start and size in the disk's logical
 * blocks, into e. Returns 0, or a negative errno (-ENOENT: the device has
 * no GPT partition entry). Logs nothing. */
int esp_probe_partition(const char *device, struct esp *e);

/* The filesystem on device as libblkid reads its superblock ("vfat",
 * "ext4", ...), whatever program mounted it. Returns 0 with the type in
 * out (len bytes), or a negative errno (-ENOENT: none recognised). */
int esp_probe_fstype(const char *device, char *out, size_t len);

/* Bind-mount source on target with libmount, like mount --bind.
 * Returns 0 or a negative errno after logging libmount's reason. */
int esp_bind_mount(const char *source, const char *target);

/* Is the directory at path empty? 1 yes, 0 no, negative errno. */
int esp_dir_is_empty(const char *path);
