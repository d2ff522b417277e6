/* efi: which partition did the firmware boot from?
 *
 * Sources, in order: systemd-boot's LoaderDevicePartUUID (vendor GUID
 * 4a67b082-0a4c-41cf-b6c7-440b29bb8c4f), else BootCurrent -> Boot#### ->
 * the HD() node of that load option's device path (parsed with libefiboot).
 * Raw variables are read from an efivarfs directory: 4 attribute bytes,
 * then the data, every read bounded by EFI_VAR_MAX. */
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
 * *data (malloc'd, the payload without the 4 attribute bytes; caller frees)
 * and *len. -ENOENT if absent, -EBADMSG if shorter than the attribute
 * bytes, -EFBIG if over EFI_VAR_MAX, other negative errno on read errors. */
int efi_read_var(const char *efivars_dir, const char *name, const char *guid, uint8_t **data,
		 size_t *len);

/* Parse LoaderDevicePartUUID's payload: a UTF-16LE string of a GUID,
 * NUL-terminated or not. Writes the lower-case GUID to out. 0 or
 * -EBADMSG (odd length, not a GUID, non-ASCII). */
int efi_parse_partuuid_string(const uint8_t *data, size_t len, char out[EFI_UUID_STR_LEN]);

/* Parse BootCurrent's payload (a little-endian uint16). 0 or -EBADMSG. */
int efi_parse_boot_current(const uint8_t *data, size_t len, uint16_t *out);

/* Parse a Boot#### load option: validate it (efi_loadopt_is_valid), walk its
 * device path with libefiboot and find a HD() node with a GPT signature.
 * Writes that partition's lower-case GUID to out. Returns 0, -ENOENT if the
 * option is valid but has no GPT HD() node (e.g. the firmware's own
 * PciRoot/Pci/NVMe entries), -EBADMSG if the option is malformed. If desc
 * is not NULL, also writes the option's description (ASCII, truncated to
 * desc_len - 1) there, or "" if none. */
int efi_parse_load_option(const uint8_t *data, size_t len, char out[EFI_UUID_STR_LEN], char *desc,
			  size_t desc_len);

/* How efi_booted_partuuid found its answer. */
enum efi_booted_source { EFI_BOOTED_LOADER, EFI_BOOTED_BOOTCURRENT };

/* Find the PARTUUID of the ESP the firmware booted from, using efivars_dir.
 * LoaderDevicePartUUID may not exist yet early at boot: wait up to wait_ms
 * for it, but stop waiting as soon as efivarfs is populated (BootCurrent is
 * present) and the loader variable is still absent, since then it never
 * will be (no systemd-boot). Then fall back to BootCurrent -> Boot####.
 * Returns 0 and writes the lower-case GUID to out and the source to *how,
 * or a negative errno after logging one clear line (e.g. "BootCurrent
 * Boot0002 ("UEFI QEMU NVMe Ctrl") has no HD() partition node"). */
int efi_booted_partuuid(const char *efivars_dir, unsigned wait_ms, char out[EFI_UUID_STR_LEN],
			enum efi_booted_source *how);

/* One firmware boot entry that points at a GPT partition. */
struct efi_boot_entry {
	uint16_t number;                     /* the #### of Boot#### */
	char partuuid[EFI_UUID_STR_LEN]; /* lower case */
	char description[128];
};

/* List the Boot#### variables of efivars_dir that have a GPT HD() node.
 * Malformed or HD()-less entries are skipped. Returns the number found
 * (>= 0) and sets *entries (caller frees), or a negative errno. */
int efi_list_boot_entries(const char *efivars_dir, struct efi_boot_entry **entries);

/* Case-insensitive GUID comparison: firmware writes upper case, blkid
 * lower case. */
bool efi_uuid_equal(const char *a, const char *b);
