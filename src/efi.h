/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* efi: which partition did the firmware boot from?
 *
 * Sources, in order: systemd-boot's LoaderDevicePartUUID (vendor GUID
 * 4a67b082-0a4c-41cf-b6c7-440b29bb8c4f), else BootCurrent -> Boot#### ->
 * the HD() node of that load option's device path (parsed with libefiboot).
 * Raw variables are read from an efivarfs directory: 4 attribute bytes,
 * then the data, every read bounded by EFI_VAR_MAX.
 *
 * The efi_parse_* functions are pure: they log nothing and return -EBADMSG
 * on bad input (the caller knows which variable it was). The functions
 * that read variables log one line naming the variable, "NAME-GUID: why".
 *
 * Beware: libefivar's <efivar/efivar.h> also defines EFI_GLOBAL_GUID (as an
 * efi_guid_t value, not a string). Only efi.c includes libefivar; it
 * includes it first and #undefs that macro before including this file. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EFI_VARS_DIR "/sys/firmware/efi/efivars"
#define EFI_VAR_MAX (64 * 1024)
#define EFI_LOADER_GUID "4a67b082-0a4c-41cf-b6c7-440b29bb8c4f"
#define EFI_GLOBAL_GUID "8be4df61-93ca-11d2-aa0d-00e098032b8c"
/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" + NUL */
#define EFI_UUID_STR_LEN 37

/* Read variable NAME-GUID from efivars_dir. On success returns 0 and sets
 * *data (malloc'd, exactly the payload without the 4 attribute bytes;
 * caller frees) and *len. -ENOENT if absent (not logged), -EBADMSG if
 * shorter than the attribute bytes, -EFBIG if the payload is over
 * EFI_VAR_MAX, other negative errno on read errors; all but -ENOENT are
 * logged. */
int efi_read_var(const char *efivars_dir, const char *name, const char *guid, uint8_t **data,
		 size_t *len);

/* Parse LoaderDevicePartUUID's payload: a UTF-16LE string of a GUID,
 * NUL-terminated or not. Writes the lower-case GUID to out. 0 or
 * -EBADMSG (odd length, not a GUID, non-ASCII). */
int efi_parse_partuuid_string(const uint8_t *data, size_t len, char out[EFI_UUID_STR_LEN]);

/* Parse BootCurrent's payload (a little-endian uint16, exactly 2 bytes).
 * 0 or -EBADMSG. */
int efi_parse_boot_current(const uint8_t *data, size_t len, uint16_t *out);

/* Parse a Boot#### load option: validate it (efi_loadopt_is_valid), walk its
 * device path with libefiboot and find a HD() node with a GPT signature.
 * Writes that partition's lower-case GUID to out. Returns 0, -ENOENT if the
 * option is valid but has no GPT HD() node (e.g. the firmware's own
 * PciRoot/Pci/NVMe entries, or an HD() node with an MBR signature), -EBADMSG
 * if the option is malformed (any length field that does not fit, no End
 * node, an HD() node shorter than efidp_hd, ...), -ENOMEM. Only the first
 * device path of the option's list is searched. data need not be aligned
 * or writable (it is copied). If desc is not NULL, also writes the
 * option's description there (printable ASCII, each other character as
 * '?', truncated to desc_len - 1), also on -ENOENT; "" on -EBADMSG. */
int efi_parse_load_option(const uint8_t *data, size_t len, char out[EFI_UUID_STR_LEN], char *desc,
			  size_t desc_len);

/* How efi_booted_partuuid found its answer. */
enum efi_booted_source { EFI_BOOTED_LOADER, EFI_BOOTED_BOOTCURRENT };

/* Find the PARTUUID of the ESP the firmware booted from, using efivars_dir.
 * LoaderDevicePartUUID may not exist yet early at boot: wait up to wait_ms
 * for it, but stop waiting as soon as efivarfs is populated (BootCurrent is
 * present) and the loader variable is still absent, since then it never
 * will be (no systemd-boot). Then fall back to BootCurrent -> Boot####.
 * If the directory holding efivars_dir (/sys/firmware/efi) does not exist,
 * the machine did not boot through UEFI: fail at once, without waiting.
 * A LoaderDevicePartUUID that exists but is malformed is an error, not a
 * reason to fall back: binding a guessed ESP could make a stale one the
 * sync source.
 * Returns 0 and writes the lower-case GUID to out and the source to *how,
 * or a negative errno after logging one clear line (e.g. "BootCurrent
 * Boot0002 ("UEFI QEMU NVMe Ctrl") has no HD() partition node"): -ENOENT
 * when no source names a partition, -EBADMSG for a malformed variable. */
int efi_booted_partuuid(const char *efivars_dir, unsigned wait_ms, char out[EFI_UUID_STR_LEN],
			enum efi_booted_source *how);

/* One firmware boot entry that points at a GPT partition. */
struct efi_boot_entry {
	uint16_t number;                     /* the #### of Boot#### */
	char partuuid[EFI_UUID_STR_LEN]; /* lower case */
	char description[128];
};

/* List the Boot#### variables of efivars_dir (#### upper-case hex, global
 * GUID) that have a GPT HD() node, sorted by number. Malformed entries are
 * skipped with a warning, HD()-less ones silently. Returns the number found
 * (>= 0) and sets *entries (caller frees; NULL when 0), -ENOENT (not
 * logged) if efivars_dir does not exist, or another negative errno. */
int efi_list_boot_entries(const char *efivars_dir, struct efi_boot_entry **entries);

/* Case-insensitive GUID comparison: firmware writes upper case, blkid
 * lower case. NULL or empty strings never match anything. */
bool efi_uuid_equal(const char *a, const char *b);
