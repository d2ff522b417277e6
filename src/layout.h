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

/* Is name one that vfat cannot hold as it is spelled: ending with a dot or
 * a space (vfat's lookup ignores trailing dots, so "linux." resolves to
 * "linux")? Another system may have written such a name on a foreign
 * disk; it is never classified, copied or deleted. */
bool layout_name_is_foreign(const char *name);

/* Does token name a top-level directory that the firmware or the Boot
 * Loader Specification owns ("EFI", "loader", in any case)? Such a token
 * would make the boot loader and other systems' files "managed". */
bool layout_token_is_reserved(const char *token);

/* ---- managed paths ---- */

enum layout_place {
	LAYOUT_IGNORE,  /* not ours, and not on the way to ours */
	LAYOUT_WALK,    /* a directory that may hold ours somewhere below (machine-id token) */
	LAYOUT_ON_WAY,  /* a directory that holds ours (loader, loader/entries, EFI, EFI/Linux) */
	LAYOUT_MANAGED, /* ours */
};

/* Where path (relative to the ESP root, no leading '/') stands for token;
 * is_dir says whether it is a directory.
 * A machine-id token (32 hex digits: unique to this machine) manages every
 * path that contains it, as the shell tools' rsync filter did
 * (--include='**ID**'): EFI/<id>/..., loader/entries/foo-<id>.conf. Any
 * other token (an os-id such as "debian") manages the Boot Loader
 * Specification's places only, so that EFI/debian/ is never taken. */
enum layout_place layout_classify(const char *path, bool is_dir, const char *token);

/* Is token a machine id (32 hex digits)? */
bool layout_token_is_machine_id(const char *token);

/* Is this managed path a boot entry (loader/entries/ *.conf or EFI/Linux/
 * *.efi, directly in that directory)? Entries land after the files they
 * name and go before them. */
bool layout_is_entry(const char *path);

/* Is it a type 1 entry (loader/entries/ *.conf), a small text file? */
bool layout_is_type1_entry(const char *path);

/* Call fn for every file the type 1 entry text content names (its linux,
 * efi, initrd and devicetree lines), with the path relative to the ESP
 * root (leading '/' removed) and whether it is a kernel (linux, efi).
 * A value with ".." in it is passed as it is: fn decides. Stops at the
 * first non-zero value of fn and returns it; 0 when all were seen. */
int layout_entry_files(const char *content, int (*fn)(const char *path, bool kernel, void *ctx),
		       void *ctx);

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
	const char *efi_path; /* sdboot as a firmware boot entry names it: "\EFI\systemd\..." */
};

/* The loader paths of the architecture this program was built for. */
const struct layout_loader *layout_native_loader(void);
