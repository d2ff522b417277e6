/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* tree: the managed part of one ESP, scanned relative to its root dirfd.
 *
 * What is managed is layout.h's rule; a scan keeps the managed entries,
 * the directories on the way to them (loader, loader/entries, EFI,
 * EFI/Linux: TREE_OTHER_DIR, not ours, but the plan must know they exist)
 * and this program's temporary files left by an interrupted copy
 * (TREE_STALE_TEMP, never content). Only <token>/, loader/entries/ and
 * EFI/Linux/ are walked. An ESP's kernel versions are read from its tree
 * (tree_kernels), so that the kernels, the plan and the boot check all
 * see the same names. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "reason.h"
#include "version.h"

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

/* Scan everything under rootfd (depth and count bounded) and keep what
 * the comment above says. Symlinks and special files are skipped (with a
 * warning when managed); directories of another filesystem mounted inside
 * are skipped. rootfd is not closed or moved. name is the ESP's path, for
 * the reason. Returns 0, or a negative errno with why saying in words what
 * is wrong (nothing is logged: the caller shows the reason once): -ELOOP
 * when a path has more than TREE_MAX_DEPTH components, -E2BIG when the
 * ESP holds more than TREE_MAX_ENTRIES entries (all counted, managed or
 * not), -EINVAL for an empty token or one containing '/', the errno of a
 * failed read otherwise. */
int tree_scan(int rootfd, const char *name, const char *token, struct tree *out,
	      struct reason *why);
void tree_free(struct tree *t);

/* Find path in t (binary search, exact). NULL if absent. */
const struct tree_entry *tree_find(const struct tree *t, const char *path);

/* The kernel versions of the tree (layout_kernel_version of its
 * directories and files), sorted by version_compare, duplicates merged.
 * Returns 0 or -ENOMEM. */
int tree_kernels(const struct tree *t, const char *token, struct version_list *out);
