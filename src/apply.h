/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* apply: carry out a plan on one target ESP, crash-safely.
 *
 * A file is never written in place: it is copied to a temporary file
 * (TREE_TEMP_PREFIX + random characters, created with O_EXCL) in its
 * final directory, flushed with fsync,
 * given the source's modification time, renamed over its final name, and
 * the directory is flushed. Deletions and directory changes are flushed the
 * same way. With the plan's order, the target boots at every instant. */
#pragma once
#include <stdint.h>

#include "plan.h"

struct apply_stats {
	uint64_t bytes_copied;
	unsigned files_copied; /* COPY and REPLACE */
	unsigned files_deleted; /* DELETE and DELETE_TEMP */
	unsigned dirs_made, dirs_removed;
};

/* Apply p, reading from src_rootfd and writing to dst_rootfd (the roots of
 * the source and target ESPs). dst_name is the target's path, for messages.
 * Stops at the first failure: operations done stay done, a partial copy is
 * removed. A source file that changed since it was scanned is an error
 * (-ESTALE): the next run plans again. Returns 0 or a negative errno, after
 * logging the file and the reason. */
int apply_plan(int src_rootfd, int dst_rootfd, const char *dst_name, const struct plan *p,
	       struct apply_stats *st);
