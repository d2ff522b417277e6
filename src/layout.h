/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* layout: where the Boot Loader Specification and the firmware put things
 * on an ESP, and the one case rule by which every name is classified.
 *
 * The case rule is vfat's: names are compared ignoring ASCII case, since
 * "EFI/Linux", "efi/linux" and "EFI/LINUX" are one directory there and the
 * firmware's FAT driver sees them so. Every classification of a path
 * (managed or not, entry or payload, kernel version, loader) goes through
 * this file, so that no two parts of the program can disagree on what a
 * name is.
 *
 * Managed paths, for an entry token T:
 *   T/...                          kernels and initrds (type 1 entries)
 *   loader/entries/T-*             entry files
 *   EFI/Linux/T-*                  unified kernel images (and .extra.d)
 * Everything else on an ESP belongs to someone else: the boot loader,
 * loader/loader.conf, loader/random-seed, other systems' files. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

/* ---- the case rule ---- */

/* strcmp/strncmp ignoring ASCII case: vfat's rule for names. */
int layout_name_cmp(const char *a, const char *b);
int layout_name_ncmp(const char *a, const char *b, size_t n);
static inline bool layout_name_equal(const char *a, const char *b)
{
	return layout_name_cmp(a, b) == 0;
}

/* ---- managed paths ---- */

enum layout_place {
	LAYOUT_IGNORE,  /* not ours, and not on the way to ours */
	LAYOUT_ON_WAY,  /* a directory that holds ours (loader, loader/entries, EFI, EFI/Linux) */
	LAYOUT_MANAGED, /* ours */
};

/* Where path (relative to the ESP root, no leading '/') stands for token;
 * is_dir says whether it is a directory. */
enum layout_place layout_classify(const char *path, bool is_dir, const char *token);

/* Is this managed path a boot entry (loader/entries/ *.conf or EFI/Linux/
 * *.efi, directly in that directory)? Entries land after the files they
 * name and go before them. */
bool layout_is_entry(const char *path);

/* The kernel version a managed path stands for, if any: the directory
 * T/VERSION (type 1), or the UKI file EFI/Linux/T-VERSION.efi with
 * systemd-boot's boot counting suffix (+LEFT or +LEFT-DONE) removed. Only
 * names that start with a digit are versions (as uname -r prints them).
 * Returns true and sets *ver, *len to the version within path. */
bool layout_kernel_version(const char *path, bool is_dir, const char *token, const char **ver,
			   size_t *len);

/* ---- the boot loader ---- */

struct layout_loader {
	const char *arch;     /* systemd's name: "x64", "ia32", "aa64", ... */
	const char *sdboot;   /* EFI/systemd/systemd-boot<arch>.efi */
	const char *fallback; /* EFI/BOOT/BOOT<ARCH>.EFI, the removable-media path */
};

/* The loader paths of the architecture this program was built for. */
const struct layout_loader *layout_native_loader(void);
