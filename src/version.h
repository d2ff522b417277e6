/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* version: kernel version strings, ordered like `sort -V` (GNU filevercmp). */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "reason.h"

/* <0, 0, >0 like strcmp, in `sort -V` order. Must agree with coreutils
 * sort -V on real Fedora/Debian/Arch/Ubuntu kernel versions. */
int version_compare(const char *a, const char *b);

/* <0, 0, >0: the order of the UAPI Version Format Specification as
 * systemd implements it (strverscmp_improved, what bootctl uses to compare
 * boot loader versions): characters other than A-Z a-z 0-9 - . ~ ^ are
 * skipped; '~' sorts before anything, even the end; then the end sorts
 * before anything left; '-', then '^', then '.' sort before letters and
 * digits; digit runs compare as numbers and after letters; letter runs
 * compare as bytes (A < a), the longer newer. "1.01" and "1.1" are equal:
 * this order is not total (a loader is only ever compared, not sorted). */
int version_compare_uapi(const char *a, const char *b);

/* A list of version strings, sorted ascending by version_compare. */
struct version_list {
	char **v;
	size_t n, cap;
};
void version_list_free(struct version_list *l);
/* The newest (last) version, or NULL if the list is empty. */
const char *version_list_newest(const struct version_list *l);

/* Append a copy of the first len bytes of s, if it is a kernel version:
 * one starts with a digit, as uname -r does. Other names (Arch's
 * /lib/modules/extramodules-*, a UKI called <token>-custom.efi) would sort
 * above every real version and make a target look newer than this system
 * forever. Returns 0, -E2BIG past VERSION_MAX_LIST, or -ENOMEM. */
#define VERSION_MAX_LIST 4096
int version_list_add(struct version_list *l, const char *s, size_t len);
/* Sort ascending by version_compare and drop duplicates. */
void version_list_sort_unique(struct version_list *l);
/* Is v in the list (exactly)? */
bool version_list_has(const struct version_list *l, const char *v);

/* Kernel versions installed in a modules directory (/lib/modules): the names
 * of its subdirectories that start with a digit. Returns 0 or a negative
 * errno with why naming the directory; logs nothing. An ESP's versions
 * come from its tree (tree_kernels). */
int version_list_modules(const char *modules_dir, struct version_list *out, struct reason *why);
