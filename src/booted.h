/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* booted: which partition did the firmware boot from?
 *
 * Sources, in order: systemd-boot's LoaderDevicePartUUID, else BootCurrent
 * -> Boot#### -> the HD() node of that load option's first device path.
 * Reads only; logs nothing but debug lines: bind logs the reason of a
 * failure as its error, status shows it as "unknown (reason)". */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "guid.h"
#include "reason.h"

enum booted_source { BOOTED_LOADER, BOOTED_BOOTCURRENT };

struct booted {
	char partuuid[GUID_STR_LEN]; /* lower case */
	enum booted_source how;
	int boot_current;            /* the Boot#### it came through, or -1 */
};

/* Find the booted partition from the variables in efivars_dir.
 * LoaderDevicePartUUID may not exist yet early at boot: wait up to wait_ms
 * for it, but stop as soon as efivarfs is populated (BootCurrent is there)
 * without it, since then it never will be (no systemd-boot). Without
 * UEFI at all (no /sys/firmware/efi) fail at once. A LoaderDevicePartUUID
 * that exists but is malformed is an error, not a reason to fall back:
 * binding a guessed ESP could make a stale one the sync source.
 * Returns 0, or a negative errno with why set to one line saying what is
 * wrong (e.g. "no LoaderDevicePartUUID, and BootCurrent Boot0002 (\"UEFI
 * QEMU NVMe Ctrl\") has no HD() partition node: ..."): -ENOENT when no
 * source names a partition, -EBADMSG for a malformed variable. */
int booted_find(const char *efivars_dir, unsigned wait_ms, struct booted *out, struct reason *why);

/* "LoaderDevicePartUUID" or "BootCurrent". */
const char *booted_source_name(enum booted_source how);

/* Parse LoaderDevicePartUUID's payload: a UTF-16LE GUID, NUL-terminated or
 * not. Writes it in lower case. Returns 0 or -EBADMSG (why says how:
 * odd length, not a GUID, not printable ASCII, data after the NUL). */
int booted_parse_partuuid(const uint8_t *data, size_t len, char out[GUID_STR_LEN],
			  struct reason *why);

/* Parse BootCurrent's payload: exactly 2 bytes, little-endian. Returns 0
 * or -EBADMSG. */
int booted_parse_boot_current(const uint8_t *data, size_t len, uint16_t *out, struct reason *why);
