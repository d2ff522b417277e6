/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* lock: one sync at a time, from boot, from kernel-install and by hand. */
#pragma once

#define LOCK_PATH "/run/bootsync.lock"

/* Take an exclusive flock on path, waiting up to timeout_s seconds.
 * Returns the fd holding the lock (keep it open for as long as the lock
 * is needed) or a negative errno after logging: -EWOULDBLOCK when another
 * run kept it for the whole wait. */
int lock_acquire(const char *path, unsigned timeout_s);
