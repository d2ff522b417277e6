/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* loadopt: the EFI_LOAD_OPTION of a Boot#### variable, parsed.
 *
 * Pure: bytes in, a struct out, nothing logged. The option's structure is
 * checked whole before anything is read from it (every length field, the
 * description's terminator, the device path list tiling its length and
 * ending with End Entire), because an option may have been written by
 * another OS or broken firmware. Only the first device path of the list
 * (UEFI 2.10, 3.1.3: the list may hold several) is read. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "guid.h"
#include "reason.h"

#define LOADOPT_DESC_MAX 128
#define LOADOPT_FILE_MAX 256

struct loadopt {
	uint32_t attributes;               /* LOAD_OPTION_ACTIVE = 1, ... */
	char description[LOADOPT_DESC_MAX]; /* printable ASCII, '?' for any other character, cut */
	bool has_hd;            /* the first path has an HD() node of a GPT partition */
	bool short_form;        /* ... and that node is the path's first (no PciRoot/...) */
	uint32_t part_number;   /* HD(): partition number, start and size in sectors */
	uint64_t part_start, part_size;
	char partuuid[GUID_STR_LEN]; /* HD(): lower case; "" without has_hd */
	char file[LOADOPT_FILE_MAX]; /* the File() nodes after HD(), e.g.
				      * "\EFI\systemd\systemd-bootx64.efi";
				      * printable ASCII, "" if none */
	size_t path_len;        /* FilePathListLength */
};

/* What a boot entry of this program holds: a short-form device path
 * HD(partition)/File(loader), as `efibootmgr -c -d DISK -p N -l FILE`
 * writes it, no optional data. */
struct loadopt_spec {
	uint32_t attributes;     /* LOADOPT_ACTIVE */
	const char *description; /* printable ASCII, e.g. "Linux Boot Manager (boot@b)" */
	uint32_t part_number;    /* the partition: number, start and size in the */
	uint64_t part_start, part_size; /* disk's logical blocks, PARTUUID */
	const char *partuuid;
	const char *file;        /* "\EFI\systemd\systemd-bootx64.efi" */
};

#define LOADOPT_ACTIVE 0x00000001u
/* Room that is always enough for a built option. */
#define LOADOPT_BUILD_MAX 2048

/* Build that option with libefiboot into buf (cap bytes), and read it
 * back with loadopt_parse: what is returned is what was asked for.
 * Returns its length, or -EINVAL (not a GUID, a description or file that
 * is not printable ASCII, or too long), -ENOSPC (cap too small), -EIO
 * (libefiboot built something else). Pure. */
ssize_t loadopt_build(const struct loadopt_spec *spec, uint8_t *buf, size_t cap);

/* Parse the payload of a Boot#### variable. Returns 0 (has_hd says whether
 * it names a GPT partition: the firmware's own PciRoot/.../NVMe entries and
 * MBR disks do not), -EBADMSG when it is malformed (why says how), or
 * -ENOMEM. data need not be aligned or writable. */
int loadopt_parse(const uint8_t *data, size_t len, struct loadopt *out, struct reason *why);
