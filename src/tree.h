/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* tree: the managed part of one ESP, scanned relative to its root dirfd.
 *
 * What is managed is layout.h's rule; a scan keeps the managed entries,
 * the directories on the way to them (loader, loader/entries, EFI,
 * EFI/Linux: TREE_OTHER_DIR, not ours, but the plan must know they exist;
 * TREE_OTHER_FILE when something else stands there) and this program's
 * temporary files left by an interrupted copy (TREE_STALE_TEMP, never
 * content). Names vfat cannot hold as spelled (layout_name_is_foreign:
 * "linux.") are skipped with a warning: on vfat they resolve to another
 * file, so neither copying nor deleting them could be right. Only <token>/, loader/entries/ and
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

/* This program's temporary files: the prefix and 8 random characters
 * (".bootsync-tmp.k3x9q0ab"). Older versions used the prefix and the final
 * name; a scan takes any regular file with the prefix for a stale one. */
#define TREE_TEMP_PREFIX ".bootsync-tmp."
#define TREE_MAX_DEPTH 16
#define TREE_MAX_ENTRIES 100000

enum tree_kind {
	TREE_FILE,       /* managed file */
	TREE_DIR,        /* managed directory */
	TREE_STALE_TEMP, /* a temporary file an interrupted copy left */
	TREE_OTHER_DIR,  /* a directory on the way to managed ones (loader/entries) */
	TREE_OTHER_FILE, /* not a directory, where one on the way must be: a
			  * target holding a file "loader" cannot take entries */
};

/* Type 1 entries are small and are edited in place (a kernel-install hook
 * may change "quiet" to "debug" within vfat's 2-second mtime resolution):
 * their content is kept, so that the plan compares them byte for byte. */
#define TREE_ENTRY_CONTENT_MAX (64 * 1024)

struct tree_entry {
	char *path; /* relative to the ESP root, no leading or trailing '/' */
	enum tree_kind kind;
	uint64_t size; /* files */
	struct timespec mtime;
	char *content; /* loader/entries/ *.conf up to TREE_ENTRY_CONTENT_MAX, else NULL */
};

/* Entries sorted by strcmp(path), so a parent comes before its children. */
struct tree {
	struct tree_entry *entries;
	size_t n;
	/* Names that are not directories where, with a machine-id token, a
	 * directory holding managed paths could be (LAYOUT_WALK): not part of
	 * the tree, but the plan must not make a directory over one. Sorted
	 * by layout_name_cmp. */
	char **blockers;
	size_t nblockers;
};

/* What a scan does with one entry of a directory it walks, from the
 * entry's path, its name's last component and its type alone (pure, so
 * that the planner's fuzz model lists trees exactly as a scan does). */
enum tree_type { TREE_TYPE_FILE, TREE_TYPE_DIR, TREE_TYPE_OTHER /* symlink, FIFO, ... */ };
enum tree_action {
	TREE_SKIP,            /* not listed, not walked */
	TREE_SKIP_WARN,       /* the same, with a warning: it stands where ours would */
	TREE_LIST,            /* listed as kind */
	TREE_LIST_WALK,       /* a directory, listed as kind and walked */
	TREE_WALK,            /* a directory walked without being listed (LAYOUT_WALK) */
	TREE_BLOCKER,         /* not listed, but kept among the blockers */
};
struct tree_decision {
	enum tree_action action;
	enum tree_kind kind;
};
struct tree_decision tree_decide(const char *path, const char *name, enum tree_type type,
				 const char *token);

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

/* Add a blocker (path copied; cap: its room) and sort a tree built by
 * hand as a scan does (the planner's fuzz model). 0 or -ENOMEM. */
int tree_add_blocker(struct tree *t, size_t *cap, const char *path);
void tree_sort(struct tree *t);

/* Is path (by the case rule) one of t's blockers? */
bool tree_is_blocker(const struct tree *t, const char *path);

/* Find path in t (binary search, exact). NULL if absent. */
const struct tree_entry *tree_find(const struct tree *t, const char *path);

/* The kernel versions of the tree (layout_kernel_version of its
 * directories and files), sorted by version_compare, duplicates merged.
 * Returns 0 or -ENOMEM. */
int tree_kernels(const struct tree *t, const char *token, struct version_list *out);
