/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* plan: what to do to make one target's managed tree equal to the source's.
 *
 * Pure: computed from two struct tree, touches no disk. The operations are
 * in apply order, chosen so that at every instant the target boots:
 *   1. PLAN_DELETE_TEMP  stale temp files from an interrupted run
 *   2. PLAN_MKDIR        new directories, parents first
 *   3. PLAN_COPY / PLAN_REPLACE of payload (kernels, initrds, ...)
 *   4. PLAN_COPY / PLAN_REPLACE of entries (loader/entries/ *.conf and
 *      EFI/Linux/ *.efi), after the files they name
 *   5. PLAN_DELETE of entries gone from the source
 *   6. PLAN_DELETE of payload gone from the source, after its entries
 *   7. PLAN_RMDIR of directories gone from the source, children first
 *   8. PLAN_UPDATE_LOADER: the boot loader, last, once every entry it
 *      could pick has its files (added by plan_add_loader, not from the
 *      trees: the loader is not a managed file)
 * Within a step, paths are in strcmp order (RMDIR: reverse strcmp order,
 * which puts children before their parents).
 *
 * MKDIR also covers the unmanaged directories a managed path sits in
 * (loader/entries, EFI/Linux, EFI) when the target may lack them: the
 * target tree does not list unmanaged directories, so the plan asks for
 * one whenever the target lists nothing below it. Apply must therefore
 * treat a MKDIR whose directory already exists (as a directory) as done.
 * A target in step yields an empty plan.
 *
 * Paths are matched exactly, else by layout's case rule (vfat's): a target
 * file named "efi/linux/X.EFI" is the source's "EFI/Linux/X.efi", replaced
 * under the source's name if changed, never deleted. Which operations
 * are entries (step 4 and 5) is layout_is_entry's answer. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "reason.h"
#include "tree.h"

enum plan_op_kind {
	PLAN_DELETE_TEMP,
	PLAN_MKDIR,
	PLAN_COPY,
	PLAN_REPLACE,
	PLAN_DELETE,
	PLAN_RMDIR,
	PLAN_UPDATE_LOADER,
};

struct plan_op {
	enum plan_op_kind kind;
	const char *path; /* relative to the ESP root; owned by the plan (plan_free) */
	const char *from; /* UPDATE_LOADER: the source's file, when not path; owned */
	uint64_t size;    /* COPY/REPLACE: the source file's size */
	struct timespec mtime; /* COPY/REPLACE: the source file's mtime, to preserve */
};

struct plan {
	struct plan_op *ops;
	size_t n;
	uint64_t bytes_to_copy; /* sum of COPY/REPLACE sizes */
};

/* Two files are the same when sizes are equal, mtimes differ by less than
 * 2 seconds (vfat stores mtime with 2-second granularity) and, for
 * entries, whose content the tree keeps, the bytes are equal: an edit
 * within 2 seconds that keeps the size is still seen. */
bool plan_file_unchanged(const struct tree_entry *src, const struct tree_entry *dst);

/* Build the plan. A path that is a file on one side and a directory on the
 * other cannot be planned safely: returns -EEXIST with why naming it.
 * Returns 0 or a negative errno (why set); logs nothing. target_name is
 * the target's path, for the reason. */
int plan_build(const struct tree *source, const struct tree *target, const char *target_name,
	       struct plan *out, struct reason *why);
void plan_free(struct plan *p);

/* Append a copy of the source's boot loader file from (NULL: path) to
 * path, to land last (step 8). Returns 0 or -ENOMEM. */
int plan_add_loader(struct plan *p, const char *path, const char *from, uint64_t size,
		    struct timespec mtime);

/* Add a MKDIR of path after the plan's other MKDIRs (so call it parents
 * first), unless the plan has it already. Returns 0 or -ENOMEM. */
int plan_add_mkdir(struct plan *p, const char *path);

/* Does the op copy a file (COPY, REPLACE, UPDATE_LOADER)? */
bool plan_op_copies(enum plan_op_kind kind);

/* Space the plan needs free on the target before it starts, in bytes: each
 * copy rounded up to block_size (replaced files are freed only
 * after the copy lands, so they do not count as free), plus one block per
 * MKDIR. */
uint64_t plan_space_needed(const struct plan *p, uint64_t block_size);

/* Name of an op kind for --dry-run and status: "delete-temp", "mkdir",
 * "copy", "replace", "delete", "rmdir", "update-loader". */
const char *plan_op_name(enum plan_op_kind kind);
