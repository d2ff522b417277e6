/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* apply: execute plan operations with temp-file-then-rename writes. */
#include "apply.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "tree.h"

/* The fallback copy buffer: big enough to stream at disk speed, small
 * enough to keep the whole program under a few MiB of memory. */
#define APPLY_COPY_BUF (256 * 1024)

static bool apply_same_time(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

/* Copy all of sfd to tfd, expecting exactly size bytes. copy_file_range
 * lets the kernel move the data; across filesystems it may refuse, then
 * read/write. Returns 0 or a negative errno (-ESTALE if the size was not
 * what the scan saw). */
static int apply_copy_data(int sfd, int tfd, uint64_t size)
{
	uint64_t done = 0;
	bool use_cfr = true;
	static char buf[APPLY_COPY_BUF];

	for (;;) {
		ssize_t k;
		if (use_cfr) {
			k = copy_file_range(sfd, NULL, tfd, NULL, APPLY_COPY_BUF * 16, 0);
			if (k < 0 && (errno == EXDEV || errno == EINVAL || errno == ENOSYS ||
				      errno == EOPNOTSUPP) && done == 0) {
				use_cfr = false;
				continue;
			}
		} else {
			k = read(sfd, buf, sizeof buf);
			if (k > 0) {
				int r = fileio_write_all(tfd, buf, (size_t)k);
				if (r < 0)
					return r;
			}
		}
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (k == 0)
			break;
		/* Start writing this chunk back now, so the disk works while the
		 * next one is read; the fsync at the end then waits for little.
		 * Advisory: an error here shows up again at fsync. */
		(void)sync_file_range(tfd, (off_t)done, k, SYNC_FILE_RANGE_WRITE);
		done += (uint64_t)k;
		if (done > size)
			return -ESTALE;
	}
	return done == size ? 0 : -ESTALE;
}

/* Random characters in a temporary file's name, after TREE_TEMP_PREFIX:
 * short (any final name fits beside it in 255 bytes), and unguessable
 * enough that nothing on a foreign disk (a directory of that name, say)
 * is in the way twice. */
#define APPLY_TEMP_RANDOM 8
#define APPLY_TEMP_TRIES 16

static void apply_random_name(char out[APPLY_TEMP_RANDOM + 1])
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	uint8_t bytes[APPLY_TEMP_RANDOM];
	if (getrandom(bytes, sizeof bytes, GRND_NONBLOCK) != (ssize_t)sizeof bytes) {
		/* No entropy yet (early boot): unique is enough, O_EXCL does the rest. */
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		uint64_t x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^ ((uint64_t)getpid() << 12);
		for (size_t i = 0; i < sizeof bytes; i++, x = x * 6364136223846793005ULL + 1442695040888963407ULL)
			bytes[i] = (uint8_t)(x >> 56);
	}
	for (size_t i = 0; i < APPLY_TEMP_RANDOM; i++)
		out[i] = alphabet[bytes[i] % (sizeof alphabet - 1)];
	out[APPLY_TEMP_RANDOM] = '\0';
}

/* Create a new temporary file in ddir, its name in tmp. O_EXCL: nothing is
 * ever opened that was there before; on a name taken (by anything), try
 * another. Returns the fd or a negative errno. */
static int apply_create_temp(int ddir, char tmp[sizeof TREE_TEMP_PREFIX + APPLY_TEMP_RANDOM])
{
	int fd = -EEXIST;
	for (int i = 0; i < APPLY_TEMP_TRIES && fd == -EEXIST; i++) {
		char rnd[APPLY_TEMP_RANDOM + 1];
		apply_random_name(rnd);
		snprintf(tmp, sizeof TREE_TEMP_PREFIX + APPLY_TEMP_RANDOM, "%s%s", TREE_TEMP_PREFIX, rnd);
		fd = fileio_create(ddir, tmp, 0644);
	}
	return fd;
}

/* COPY or REPLACE one file. Returns 0 or a negative errno (logged). */
static int apply_copy(int src_rootfd, int dst_rootfd, const char *dst_name,
		      const struct plan_op *op, struct apply_stats *st)
{
	const char *sbase, *dbase;
	const char *from = op->from ? op->from : op->path;
	_cleanup_close_ int sdir = fileio_open_parent(src_rootfd, from, &sbase);
	if (sdir < 0)
		return log_error_errno(sdir, "cannot open the directory of source file %s", from);
	_cleanup_close_ int sfd = fileio_open_read(sdir, sbase);
	if (sfd < 0)
		return log_error_errno(sfd, "cannot open source file %s", from);
	struct stat before;
	if (fstat(sfd, &before) < 0)
		return log_error_errno(errno, "cannot stat source file %s", from);
	if (!S_ISREG(before.st_mode) || (uint64_t)before.st_size != op->size ||
	    !apply_same_time(&before.st_mtim, &op->mtime))
		return log_error_errno(ESTALE, "source file %s changed since it was scanned",
				       from);

	_cleanup_close_ int ddir = fileio_open_parent(dst_rootfd, op->path, &dbase);
	if (ddir < 0)
		return log_error_errno(ddir, "%s: cannot open the directory of %s", dst_name,
				       op->path);
	char tmp[sizeof TREE_TEMP_PREFIX + APPLY_TEMP_RANDOM];
	int tfd = apply_create_temp(ddir, tmp);
	if (tfd < 0)
		return log_error_errno(tfd, "%s: cannot create a temporary file for %s", dst_name,
				       op->path);

	int r = apply_copy_data(sfd, tfd, op->size);
	const char *what = "cannot copy";
	struct stat after;
	if (r == 0 && fstat(sfd, &after) == 0 &&
	    ((uint64_t)after.st_size != op->size || !apply_same_time(&after.st_mtim, &op->mtime)))
		r = -ESTALE;
	if (r == -ESTALE)
		what = "source changed during the copy of";
	/* Only the modification time is carried over: it is what tells the
	 * next run that the file is already in step. */
	if (r == 0 && futimens(tfd, (struct timespec[2]){ { .tv_nsec = UTIME_OMIT }, op->mtime }) < 0) {
		r = -errno;
		what = "cannot set the time of";
	}
	if (r == 0 && fsync(tfd) < 0) {
		r = -errno;
		what = "cannot flush";
	}
	if (r == 0 && renameat(ddir, tmp, ddir, dbase) < 0) {
		r = -errno;
		what = "cannot rename into place";
	}
	/* vfat keeps a file's directory slot with the file's inode, not with
	 * the directory: after a rename only an fsync of the file itself makes
	 * the new name durable (seen in the lab: a power cut after
	 * fsync(dir) alone left the name on the old, freed clusters). So both. */
	if (r == 0 && fsync(tfd) < 0) {
		r = -errno;
		what = "cannot flush the new name of";
	}
	if (close(tfd) < 0 && r == 0) {
		r = -errno;
		what = "cannot close";
	}
	if (r < 0) {
		(void)unlinkat(ddir, tmp, 0);
		return log_error_errno(r, "%s: %s %s", dst_name, what, op->path);
	}
	if (fsync(ddir) < 0)
		return log_error_errno(errno, "%s: cannot flush the directory of %s", dst_name,
				       op->path);
	st->bytes_copied += op->size;
	st->files_copied++;
	return 0;
}

/* MKDIR, DELETE, DELETE_TEMP, RMDIR: one directory change, then flush the
 * directory so the change is on disk before the next operation.
 * Returns 0 or a negative errno (logged). */
static int apply_dir_change(int dst_rootfd, const char *dst_name, const struct plan_op *op,
			    struct apply_stats *st)
{
	const char *base;
	_cleanup_close_ int ddir = fileio_open_parent(dst_rootfd, op->path, &base);
	if (ddir < 0) {
		/* Nothing to delete where the directory is already gone. */
		if (ddir == -ENOENT && op->kind != PLAN_MKDIR)
			return 0;
		return log_error_errno(ddir, "%s: cannot open the directory of %s", dst_name,
				       op->path);
	}
	int r = 0;
	switch (op->kind) {
	case PLAN_MKDIR:
		if (mkdirat(ddir, base, 0755) < 0) {
			int e = errno;
			struct stat s;
			if (e != EEXIST || fstatat(ddir, base, &s, AT_SYMLINK_NOFOLLOW) < 0 ||
			    !S_ISDIR(s.st_mode))
				r = -e;
		} else
			st->dirs_made++;
		break;
	case PLAN_DELETE:
	case PLAN_DELETE_TEMP:
		if (unlinkat(ddir, base, 0) < 0) {
			if (errno != ENOENT)
				r = -errno;
		} else
			st->files_deleted++;
		break;
	case PLAN_RMDIR:
		if (unlinkat(ddir, base, AT_REMOVEDIR) < 0) {
			if (errno != ENOENT)
				r = -errno;
		} else
			st->dirs_removed++;
		break;
	default:
		r = -EINVAL;
	}
	if (r < 0)
		return log_error_errno(r, "%s: cannot %s %s", dst_name, plan_op_name(op->kind),
				       op->path);
	if (fsync(ddir) < 0)
		return log_error_errno(errno, "%s: cannot flush the directory of %s", dst_name,
				       op->path);
	return 0;
}

/* Returns 0 or a negative errno (logged); see apply.h. */
int apply_plan(int src_rootfd, int dst_rootfd, const char *dst_name, const struct plan *p,
	       struct apply_stats *st)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct plan_op *op = &p->ops[i];
		log_debug("%s: %s %s", dst_name, plan_op_name(op->kind), op->path);
		int r = plan_op_copies(op->kind)
				? apply_copy(src_rootfd, dst_rootfd, dst_name, op, st)
				: apply_dir_change(dst_rootfd, dst_name, op, st);
		if (r < 0)
			return r;
	}
	return 0;
}
