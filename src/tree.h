/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* tree: the managed part of one ESP, scanned relative to its root dirfd.
 *
 * Managed are the places where the Boot Loader Specification names things
 * after the entry token:
 *   <token>/...                     kernels, initrds (type 1 entries)
 *   loader/entries/<token>-*        entry files
 *   EFI/Linux/<token>-*             unified kernel images (and their
 *                                   .extra.d directories)
 * For a machine-id token this is every path that contains the token. It
 * stops short of "contains" for a short token such as an os-id ("debian",
 * "fedora"), which would otherwise take in the distribution's own boot
 * loader in EFI/<os-id>/: that, like everything else on the ESP (boot
 * loader, loader.conf, random-seed, other systems), is never listed.
 * "loader", "EFI" and the two directories above are matched without case,
 * as vfat does.
 *
 * Only <token>/, loader/entries/ and EFI/Linux/ are walked. The directories
 * on the way (loader, loader/entries, EFI, EFI/Linux) are listed as
 * TREE_OTHER_DIR: not ours, but the plan must know they exist. Files named
 * with TREE_TEMP_PREFIX in a walked directory are this program's temporary
 * files, left by an interrupted copy: TREE_STALE_TEMP, never content. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define TREE_TEMP_PREFIX ".bootsync-tmp."
#define TREE_MAX_DEPTH 16
#define TREE_MAX_ENTRIES 100000

enum tree_kind { TREE_FILE, TREE_DIR, TREE_STALE_TEMP, TREE_OTHER_DIR };

struct tree_entry {
	char *path; /* relative to the ESP root, no leading or trailing '/' */
	enum tree_kind kind;
	uint64_t size; /* files */
	struct timespec mtime;
};

/* Entries sorted by strcmp(path), so a parent comes before its children. */
struct tree {
	struct tree_entry *entries;
	size_t n;
};

/* Scan everything under rootfd (depth and count bounded) and keep the
 * managed entries and stale temp files (regular files whose basename starts
 * with TREE_TEMP_PREFIX, managed or not). Symlinks and special files are
 * skipped (with a warning when managed). Directories are listed only if
 * their own path contains the token (so "loader/entries" itself is not
 * managed); directories of another filesystem mounted inside are skipped.
 * rootfd is not closed or moved. name is the ESP's path, for messages.
 * Returns 0 or a negative errno (logged with the path): -ELOOP when a path
 * has more than TREE_MAX_DEPTH components, -E2BIG when the ESP holds more
 * than TREE_MAX_ENTRIES entries (all counted, managed or not), -EINVAL for
 * an empty token or one containing '/'. */
int tree_scan(int rootfd, const char *name, const char *token, struct tree *out);
void tree_free(struct tree *t);

/* Find path in t (binary search). NULL if absent. */
const struct tree_entry *tree_find(const struct tree *t, const char *path);
