/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* fusefat_fix.so: LD_PRELOAD'ed into fusefat (never into bootsync) by
 * tests/host/lib.sh, to undo two defects of fusefat 0.1a that kernel vfat
 * does not have, so that the host tests meet vfat's behaviour and not
 * fusefat's:
 *   - statfs puts the cluster counts in f_files/f_ffree and reports 0
 *     blocks, so every program sees a full filesystem (bootsync refuses to
 *     write to it). Here the counts move to f_blocks/f_bfree/f_bavail, in
 *     units of FUSEFAT_FIX_CLUSTER bytes (the cluster size, from the boot
 *     sector; lib.sh sets it).
 *   - rename writes the new directory entry with the current time: every
 *     file that lands by rename loses its modification time. Here the
 *     time the file had before the rename is put back right after it, as
 *     kernel vfat keeps it.
 *   - libfuse 2's high-level layer, which fusefat uses, drops a setattr
 *     that sets the modification time alone (futimens(fd, {UTIME_OMIT,
 *     mtime}), touch -m): it answers success and sets nothing. Here such
 *     a FUSE_SETATTR request, as read from /dev/fuse, is made to set the
 *     access time too, to the same value (FAT keeps only a date for it),
 *     so that fusefat's utime sets the modification time.
 * Everything else goes to fusefat unchanged: names, case, the FAT on disk
 * are fusefat's own. It wraps fuse_main_real (libfuse 2) and edits the
 * operations table fusefat hands it. */
#define FUSE_USE_VERSION 26
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <fuse.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <utime.h>

static struct fuse_operations real;
static unsigned long cluster;

static int fix_statfs(const char *path, struct statvfs *sv)
{
	int r = real.statfs(path, sv);
	if (r == 0 && sv->f_blocks == 0 && sv->f_files > 0 && cluster > 0) {
		sv->f_blocks = sv->f_files;
		sv->f_bfree = sv->f_bavail = sv->f_ffree;
		sv->f_bsize = sv->f_frsize = cluster;
	}
	return r;
}

/* The FUSE protocol (linux/fuse.h, stable layout): a request is a
 * fuse_in_header (40 bytes, opcode at offset 4) and, for FUSE_SETATTR (4),
 * a fuse_setattr_in: valid at 0, atime at 32, mtime at 40, atimensec at
 * 56, mtimensec at 60. */
#define FUSE_IN_HEADER 40
#define OP_SETATTR 4
#define FATTR_ATIME (1u << 4)
#define FATTR_MTIME (1u << 5)
#define FATTR_ATIME_NOW (1u << 7)

static ssize_t (*real_read)(int, void *, size_t);
static int fuse_fd = -1;

static bool is_fuse_dev(int fd)
{
	char link[64], target[32];
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, target, sizeof target - 1);
	if (n < 0)
		return false;
	target[n] = '\0';
	return strcmp(target, "/dev/fuse") == 0;
}

ssize_t read(int fd, void *buf, size_t count)
{
	if (!real_read)
		real_read = (ssize_t (*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
	ssize_t n = real_read(fd, buf, count);
	if (n < FUSE_IN_HEADER + 64 || (fuse_fd != fd && !(fuse_fd < 0 && is_fuse_dev(fd))))
		return n;
	fuse_fd = fd;
	uint8_t *p = buf;
	uint32_t op, valid;
	memcpy(&op, p + 4, 4);
	if (op != OP_SETATTR)
		return n;
	uint8_t *in = p + FUSE_IN_HEADER;
	memcpy(&valid, in, 4);
	if ((valid & FATTR_MTIME) && !(valid & (FATTR_ATIME | FATTR_ATIME_NOW))) {
		valid |= FATTR_ATIME;
		memcpy(in, &valid, 4);
		memcpy(in + 32, in + 40, 8);
		memcpy(in + 56, in + 60, 4);
	}
	return n;
}

static int fix_rename(const char *from, const char *to)
{
	struct stat st;
	int have = real.getattr && real.getattr(from, &st) == 0 && S_ISREG(st.st_mode);
	int r = real.rename(from, to);
	if (r == 0 && have) {
		if (real.utime) {
			struct utimbuf u = { .actime = st.st_atime, .modtime = st.st_mtime };
			(void)real.utime(to, &u);
		}
	}
	return r;
}

int fuse_main_real(int argc, char *argv[], const struct fuse_operations *op, size_t op_size,
		   void *user_data)
{
	int (*next)(int, char **, const struct fuse_operations *, size_t, void *) =
		(int (*)(int, char **, const struct fuse_operations *, size_t, void *))dlsym(
			RTLD_NEXT, "fuse_main_real");
	if (!next)
		return 1;
	static struct fuse_operations ops;
	size_t n = op_size < sizeof ops ? op_size : sizeof ops;
	memcpy(&real, op, n);
	memcpy(&ops, op, n);
	const char *c = getenv("FUSEFAT_FIX_CLUSTER");
	cluster = c ? strtoul(c, NULL, 10) : 0;
	if (real.statfs)
		ops.statfs = fix_statfs;
	if (real.rename)
		ops.rename = fix_rename;
	return next(argc, argv, &ops, sizeof ops, user_data);
}
