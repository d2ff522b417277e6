/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* fuzz: helpers shared by the libFuzzer targets of tests/fuzz. Header-only
 * (static functions): each target is its own program.
 *
 * - FUZZ_FAIL(...): an invariant does not hold: say which on stderr and
 *   abort(), which libFuzzer reports as a crash and saves the input.
 * - struct fuzz_in: read the input as a stream of bytes, with 0 past its
 *   end (so that every prefix of an input is an input too).
 * - with FUZZ_CPU_REPORT set, the CPU time the process used is printed
 *   at exit ("fuzz: cpu 12.34 s user, 0.56 s system"): the machine is
 *   shared, so a run's wall time is not its CPU time.
 * - fuzz_scratch(): a private scratch directory for targets that need
 *   files (in /dev/shm when it exists: no disk writes per input),
 *   removed at exit; fuzz_write(), fuzz_rm_rf(). */
#pragma once
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define FUZZ_FAIL(...)                                                                             \
	do {                                                                                       \
		fprintf(stderr, "\nFUZZ INVARIANT VIOLATED (%s:%d): ", __FILE__, __LINE__);       \
		fprintf(stderr, __VA_ARGS__);                                                      \
		fputc('\n', stderr);                                                               \
		abort();                                                                           \
	} while (0)

/* FUZZ_ASSERT(cond, "format", args...): FUZZ_FAIL unless cond. */
#define FUZZ_ASSERT(cond, fmt, ...)                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			FUZZ_FAIL("(%s) " fmt, #cond, ##__VA_ARGS__);                             \
	} while (0)

struct fuzz_in {
	const uint8_t *p;
	size_t n, off;
};

static inline bool fuzz_more(const struct fuzz_in *in) { return in->off < in->n; }

static inline uint8_t fuzz_byte(struct fuzz_in *in)
{
	return in->off < in->n ? in->p[in->off++] : 0;
}

static inline uint16_t fuzz_u16(struct fuzz_in *in)
{
	uint16_t lo = fuzz_byte(in);
	return (uint16_t)(lo | (uint16_t)fuzz_byte(in) << 8);
}

static inline uint64_t fuzz_u64(struct fuzz_in *in)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)fuzz_byte(in) << (8 * i);
	return v;
}

/* Up to max bytes (fewer at the end of the input); *len says how many. */
static inline const uint8_t *fuzz_bytes(struct fuzz_in *in, size_t max, size_t *len)
{
	size_t left = in->n - in->off;
	*len = max < left ? max : left;
	const uint8_t *p = in->p + in->off;
	in->off += *len;
	return p;
}

/* A copy of bytes as a NUL-terminated string (malloc'd; it may hold NULs
 * before its end, which then cut it, as for any C string). */
static inline char *fuzz_strndup(const uint8_t *p, size_t len)
{
	char *s = malloc(len + 1);
	if (!s)
		FUZZ_FAIL("out of memory");
	memcpy(s, p, len);
	s[len] = '\0';
	return s;
}

static int fuzz_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

/* Remove path and everything below it; a missing path is fine. */
static inline void fuzz_rm_rf(const char *path)
{
	if (nftw(path, fuzz_rm_one, 16, FTW_DEPTH | FTW_PHYS) < 0 && errno != ENOENT)
		FUZZ_FAIL("cannot remove %s: %s", path, strerror(errno));
}

static char fuzz_scratch_path[256];

static void fuzz_scratch_cleanup(void)
{
	if (fuzz_scratch_path[0])
		fuzz_rm_rf(fuzz_scratch_path);
}

/* The target's scratch directory (made on the first call). Under
 * libFuzzer's -fork or -jobs each process has its own. */
static inline const char *fuzz_scratch(const char *name)
{
	if (fuzz_scratch_path[0])
		return fuzz_scratch_path;
	struct stat st;
	const char *base = getenv("FUZZ_SCRATCH");
	if (!base || !*base)
		base = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) &&
				       access("/dev/shm", W_OK) == 0
			       ? "/dev/shm"
			       : getenv("TMPDIR");
	if (!base || !*base)
		base = "/tmp";
	snprintf(fuzz_scratch_path, sizeof fuzz_scratch_path, "%s/bootsync-fuzz-%s.XXXXXX", base,
		 name);
	if (!mkdtemp(fuzz_scratch_path))
		FUZZ_FAIL("mkdtemp %s: %s", fuzz_scratch_path, strerror(errno));
	atexit(fuzz_scratch_cleanup);
	return fuzz_scratch_path;
}

/* Write len bytes to path (created or truncated). */
static inline void fuzz_write(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		FUZZ_FAIL("cannot create %s: %s", path, strerror(errno));
	const uint8_t *p = data;
	while (len > 0) {
		ssize_t k = write(fd, p, len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			FUZZ_FAIL("cannot write %s: %s", path, strerror(errno));
		p += k;
		len -= (size_t)k;
	}
	if (close(fd) < 0)
		FUZZ_FAIL("cannot close %s: %s", path, strerror(errno));
}

/* Is s (NUL-terminated, at most max bytes with the NUL) printable ASCII? */
static inline bool fuzz_printable(const char *s, size_t max)
{
	const char *end = memchr(s, '\0', max);
	if (!end)
		return false;
	for (; s < end; s++)
		if (*s < 0x20 || *s > 0x7e)
			return false;
	return true;
}

/* Is s a GUID in lower case ("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx")? */
static inline bool fuzz_lower_guid(const char *s)
{
	if (strlen(s) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		char c = s[i];
		if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	return true;
}

static void fuzz_cpu_report(void)
{
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		fprintf(stderr, "fuzz: cpu %ld.%02ld s user, %ld.%02ld s system\n", (long)ru.ru_utime.tv_sec,
			(long)ru.ru_utime.tv_usec / 10000, (long)ru.ru_stime.tv_sec,
			(long)ru.ru_stime.tv_usec / 10000);
}

__attribute__((constructor)) static void fuzz_cpu_init(void)
{
	if (getenv("FUZZ_CPU_REPORT"))
		atexit(fuzz_cpu_report);
}
