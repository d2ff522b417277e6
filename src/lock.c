/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* lock: flock on a file in /run, polled so the wait has a bound. */
#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"

/* Returns the locked fd or a negative errno (logged); see lock.h. */
int lock_acquire(const char *path, unsigned timeout_s)
{
	int fd = fileio_open_rw(AT_FDCWD, path, 0600);
	if (fd < 0)
		return log_error_errno(fd, "cannot open lock file %s", path);

	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	/* A deadline in nanoseconds: whole seconds would give up up to a
	 * second early. */
	long long deadline = now.tv_sec * 1000000000LL + now.tv_nsec + timeout_s * 1000000000LL;
	int told = 0;
	for (;;) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return fd;
		if (errno != EWOULDBLOCK && errno != EINTR) {
			int e = errno;
			close(fd);
			return log_error_errno(e, "cannot lock %s", path);
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec * 1000000000LL + now.tv_nsec >= deadline) {
			close(fd);
			log_error("another bootsync sync holds the lock %s; gave up after %u s "
				  "(see --lock-timeout)",
				  path, timeout_s);
			return -EWOULDBLOCK;
		}
		if (!told) {
			log_info("waiting for another bootsync sync to finish (lock %s)", path);
			told = 1;
		}
		/* Polling keeps the bound simple; 100 ms is nothing next to a copy. */
		nanosleep(&(struct timespec){ .tv_nsec = 100 * 1000 * 1000 }, NULL);
	}
}
