/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* version: kernel version strings, ordered like `sort -V` (GNU filevercmp). */
#pragma once
#include <stddef.h>

/* <0, 0, >0 like strcmp, in `sort -V` order. Must agree with coreutils
 * sort -V on real Fedora/Debian/Arch/Ubuntu kernel versions. */
int version_compare(const char *a, const char *b);

/* A list of version strings, sorted ascending by version_compare. */
struct version_list {
	char **v;
	size_t n;
};
void version_list_free(struct version_list *l);
/* The newest (last) version, or NULL if the list is empty. */
const char *version_list_newest(const struct version_list *l);

/* Only names that start with a digit are kernel versions (as uname -r
 * prints them); other names are ignored by both lists below. */

/* Kernel versions installed in a modules directory (/lib/modules): the names
 * of its subdirectories. Returns 0 or a negative errno (logged, names dir). */
int version_list_modules(const char *modules_dir, struct version_list *out);

/* Kernel versions present on an ESP for token, from the ESP's root dirfd:
 *  - directories <token>/<version>/ (Boot Loader Specification type 1),
 *  - UKIs EFI/Linux/<token>-<version>.efi and <token>-<version>+<tries>.efi.
 * Duplicates merged. Missing directories are not an error (empty list).
 * Returns 0 or a negative errno. */
int version_list_esp(int esp_rootfd, const char *token, struct version_list *out);
