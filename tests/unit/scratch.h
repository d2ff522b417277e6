/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* scratch: helpers for unit tests that need files. Header-only (static
 * functions) because every tests/unit/test_*.c is built on its own.
 *
 * - scratch_dir(): a new mkdtemp directory; scratch_rm() removes it.
 * - scratch_write(): a file with given bytes.
 * - scratch_read(): a whole file (for fixtures), NUL-terminated.
 * - capture_begin()/capture_end(): what the code under test wrote to
 *   stderr, to check that error messages name what they should. */
#pragma once
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Abort the whole test binary: a helper failing means the test cannot
 * say anything meaningful. */
#define SCRATCH_DIE(...)                                                                           \
	do {                                                                                       \
		fprintf(stderr, "test helper: " __VA_ARGS__);                                      \
		fputc('\n', stderr);                                                               \
		abort();                                                                           \
	} while (0)

/* The fixtures directory from the Makefile; fails loudly if unset. */
static inline const char *scratch_fixtures(void)
{
	const char *f = getenv("FIXTURES");
	if (!f || !*f)
		SCRATCH_DIE("FIXTURES is not set (run through make, or export FIXTURES=.../fixtures)");
	return f;
}

/* Returns a malloc'd path of a new empty directory. */
static inline char *scratch_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	char *p = NULL;
	if (asprintf(&p, "%s/bootsync-unit.XXXXXX", tmp && *tmp ? tmp : "/tmp") < 0)
		SCRATCH_DIE("out of memory");
	if (!mkdtemp(p))
		SCRATCH_DIE("mkdtemp %s: %s", p, strerror(errno));
	return p;
}

static inline int scratch_rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)f;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* Remove dir and everything under it, then free the path. */
static inline void scratch_rm(char *dir)
{
	if (!dir)
		return;
	if (nftw(dir, scratch_rm_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		SCRATCH_DIE("cannot remove %s: %s", dir, strerror(errno));
	free(dir);
}

/* Returns a malloc'd "dir/name". */
static inline char *scratch_path(const char *dir, const char *name)
{
	char *p = NULL;
	if (asprintf(&p, "%s/%s", dir, name) < 0)
		SCRATCH_DIE("out of memory");
	return p;
}

/* Create (or replace) dir/name with len bytes of data. */
static inline void scratch_write(const char *dir, const char *name, const void *data, size_t len)
{
	char *p = scratch_path(dir, name);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		SCRATCH_DIE("open %s: %s", p, strerror(errno));
	const char *b = data;
	while (len > 0) {
		ssize_t k = write(fd, b, len);
		if (k < 0)
			SCRATCH_DIE("write %s: %s", p, strerror(errno));
		b += k;
		len -= (size_t)k;
	}
	close(fd);
	free(p);
}

static inline void scratch_write_str(const char *dir, const char *name, const char *s)
{
	scratch_write(dir, name, s, strlen(s));
}

/* Returns the malloc'd, NUL-terminated content of path; *len its size. */
static inline char *scratch_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		SCRATCH_DIE("open %s: %s", path, strerror(errno));
	size_t cap = 4096, n = 0;
	char *b = malloc(cap + 1);
	size_t k;
	while (b && (k = fread(b + n, 1, cap - n, f)) > 0) {
		n += k;
		if (n == cap)
			b = realloc(b, (cap *= 2) + 1);
	}
	if (!b)
		SCRATCH_DIE("out of memory");
	fclose(f);
	b[n] = '\0';
	if (len)
		*len = n;
	return b;
}

struct capture {
	int saved;
	int fd;
};

/* Redirect stderr (fd 2) into a memory file until capture_end(). */
static inline void capture_begin(struct capture *c)
{
	fflush(stderr);
	c->fd = memfd_create("stderr", MFD_CLOEXEC);
	c->saved = dup(2);
	if (c->fd < 0 || c->saved < 0 || dup2(c->fd, 2) < 0)
		SCRATCH_DIE("cannot capture stderr: %s", strerror(errno));
}

/* Restore stderr and return what was written to it (malloc'd). With echo,
 * the text is also copied to the real stderr, so that a test's log shows
 * the messages it checked. */
static inline char *capture_end_echo(struct capture *c, int echo)
{
	fflush(stderr);
	if (dup2(c->saved, 2) < 0)
		SCRATCH_DIE("cannot restore stderr: %s", strerror(errno));
	close(c->saved);
	off_t n = lseek(c->fd, 0, SEEK_END);
	char *b = malloc((size_t)n + 1);
	if (!b || n < 0 || pread(c->fd, b, (size_t)n, 0) != n)
		SCRATCH_DIE("cannot read captured stderr");
	b[n] = '\0';
	close(c->fd);
	if (echo)
		fputs(b, stderr);
	return b;
}

static inline char *capture_end(struct capture *c) { return capture_end_echo(c, 1); }

/* A per-test scratch directory, for the tests that give scratch_setup and
 * scratch_teardown to cmocka: every test starts with an empty one. */
static char scratch[256] __attribute__((unused));

static inline int scratch_setup(void **state)
{
	(void)state;
	char *d = scratch_dir();
	snprintf(scratch, sizeof scratch, "%s", d);
	free(d);
	return 0;
}

static inline int scratch_teardown(void **state)
{
	(void)state;
	scratch_rm(strdup(scratch));
	scratch[0] = '\0';
	return 0;
}

/* mkdir scratch/rel (0755); the test fails if it cannot. */
static inline void scratch_mkdir(const char *rel)
{
	char *p = scratch_path(scratch, rel);
	if (mkdir(p, 0755) != 0)
		SCRATCH_DIE("mkdir %s: %s", p, strerror(errno));
	free(p);
}
