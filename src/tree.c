/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* tree: scan the managed part of one ESP, relative to directory fds.
 *
 * Only the places of tree.h are walked, depth-first, each directory opened with openat(O_NOFOLLOW) from its parent's fd, so a
 * symlink or a rename elsewhere can never lead the walk off the ESP. The
 * walk is bounded in depth and in entries: an ESP beyond the bounds is not
 * one we understand, and we say so rather than guess. */
#include "tree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "fileio.h"
#include "log.h"

/* Paths longer than this are beyond anything an ESP holds (vfat allows
 * 255 characters per name; 16 levels of long names still fit). */
#define TREE_MAX_PATH 4096

struct scan {
	const char *name;  /* the ESP's path, for messages */
	const char *token;
	struct tree *out;
	size_t cap;
	size_t seen; /* every entry met, kept or not: bounds the work */
	dev_t dev;   /* the ESP's filesystem: never walk into another mount */
};


void tree_free(struct tree *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		free(t->entries[i].path);
	free(t->entries);
	t->entries = NULL;
	t->n = 0;
}

/* Append an entry (path copied). Returns 0 or -ENOMEM. */
static int add_entry(struct scan *s, const char *path, enum tree_kind kind, const struct stat *st)
{
	if (s->out->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 64;
		struct tree_entry *n = realloc(s->out->entries, ncap * sizeof *n);
		if (!n)
			return -ENOMEM;
		s->out->entries = n;
		s->cap = ncap;
	}
	char *p = strdup(path);
	if (!p)
		return -ENOMEM;
	s->out->entries[s->out->n++] = (struct tree_entry){
		.path = p,
		.kind = kind,
		.size = S_ISREG(st->st_mode) ? (uint64_t)st->st_size : 0,
		.mtime = st->st_mtim,
	};
	return 0;
}

enum place {
	PLACE_IGNORE,  /* not ours, not on the way to ours */
	PLACE_ON_WAY,  /* a directory leading to ours: walked, listed as other */
	PLACE_MANAGED, /* ours */
};

/* Does name start with "<token>-"? */
static bool starts_with_token_dash(const char *name, const char *token)
{
	size_t n = strlen(token);
	return strncmp(name, token, n) == 0 && name[n] == '-';
}

/* Where does path (relative to the ESP root) stand? See tree.h. */
static enum place classify(const char *path, bool is_dir, const char *token)
{
	size_t tlen = strlen(token);
	if (strncmp(path, token, tlen) == 0 && (path[tlen] == '\0' || path[tlen] == '/'))
		return PLACE_MANAGED;

	/* The directories that hold token-named entries, with their '/'. */
	static const char *const holders[] = { "loader/entries/", "EFI/Linux/" };
	for (size_t i = 0; i < sizeof holders / sizeof holders[0]; i++) {
		const char *dir = holders[i];
		size_t len = strlen(dir);
		if (strncasecmp(path, dir, len) == 0) {
			/* The first component below decides for everything in it. */
			return starts_with_token_dash(path + len, token) ? PLACE_MANAGED
									  : PLACE_IGNORE;
		}
		/* The holder itself and its parent, e.g. "loader" and "loader/entries". */
		if (is_dir && (strncasecmp(path, dir, len - 1) == 0 && path[len - 1] == '\0'))
			return PLACE_ON_WAY;
		const char *slash = strchr(dir, '/');
		size_t plen = (size_t)(slash - dir);
		if (is_dir && strncasecmp(path, dir, plen) == 0 && path[plen] == '\0')
			return PLACE_ON_WAY;
	}
	return PLACE_IGNORE;
}

/* Walk the directory d, whose path relative to the ESP root is rel ("" for
 * the root) of depth components; its entries have depth + 1 components,
 * which may not exceed TREE_MAX_DEPTH. Takes ownership of
 * nothing: the caller closes d. Returns 0 or a negative errno (logged). */
static int scan_dir(struct scan *s, DIR *d, const char *rel, unsigned depth)
{
	for (;;) {
		errno = 0;
		struct dirent *de = readdir(d);
		if (!de) {
			if (errno != 0)
				return log_error_errno(errno, "Failed to read directory %s/%s", s->name, rel);
			return 0;
		}
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;

		/* These two refusals log without strerror: "Argument list too
		 * long" or "Too many levels of symbolic links" would mislead. */
		if (++s->seen > TREE_MAX_ENTRIES) {
			log_error("%s holds more than %d entries, refusing to scan it", s->name,
				  TREE_MAX_ENTRIES);
			return -E2BIG;
		}

		if (depth + 1 > TREE_MAX_DEPTH) {
			log_error("%s/%s/%s is nested deeper than %d levels, refusing to scan %s", s->name,
				  rel, de->d_name, TREE_MAX_DEPTH, s->name);
			return -ELOOP;
		}

		char path[TREE_MAX_PATH];
		int k = snprintf(path, sizeof path, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
		if (k < 0 || (size_t)k >= sizeof path)
			return log_error_errno(ENAMETOOLONG, "Path under %s too long: %s/%s...", s->name,
					       rel, de->d_name);

		struct stat st;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno == ENOENT)
				continue; /* removed while we read: as if never there */
			return log_error_errno(errno, "Failed to stat %s/%s", s->name, path);
		}

		enum place place = classify(path, S_ISDIR(st.st_mode), s->token);
		bool managed = place == PLACE_MANAGED;
		bool temp = strncmp(de->d_name, TREE_TEMP_PREFIX, strlen(TREE_TEMP_PREFIX)) == 0;

		if (S_ISREG(st.st_mode)) {
			if (!temp && !managed)
				continue;
			int r = add_entry(s, path, temp ? TREE_STALE_TEMP : TREE_FILE, &st);
			if (r < 0)
				return log_error_errno(r, "Failed to scan %s", s->name);
			continue;
		}

		if (!S_ISDIR(st.st_mode)) {
			/* vfat has neither symlinks nor special files; one here
			 * is not ours to copy or delete. Only ours are worth a
			 * warning: others' are none of our business. */
			if (managed || temp)
				log_warn("%s/%s is not a regular file or directory, skipping it", s->name,
					 path);
			else
				log_debug("Skipping %s/%s: not a regular file or directory", s->name, path);
			continue;
		}

		if (st.st_dev != s->dev) {
			log_debug("Skipping %s/%s: another filesystem is mounted there", s->name, path);
			continue;
		}
		if (place == PLACE_IGNORE)
			continue;
		int r = add_entry(s, path, managed ? TREE_DIR : TREE_OTHER_DIR, &st);
		if (r < 0)
			return log_error_errno(r, "Failed to scan %s", s->name);

		int fd = fileio_open_dir(dirfd(d), de->d_name);
		if (fd == -ENOENT)
			continue;
		if (fd < 0)
			return log_error_errno(fd, "Failed to open directory %s/%s", s->name, path);
		_cleanup_closedir_ DIR *sub = fdopendir(fd);
		if (!sub) {
			r = -errno;
			close(fd);
			return log_error_errno(r, "Failed to open directory %s/%s", s->name, path);
		}
		r = scan_dir(s, sub, path, depth + 1);
		if (r < 0)
			return r;
	}
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct tree_entry *)a)->path, ((const struct tree_entry *)b)->path);
}

/* Returns 0 or a negative errno (logged with name and the path). */
int tree_scan(int rootfd, const char *name, const char *token, struct tree *out)
{
	struct tree t = { 0 };
	struct scan s = { .name = name, .token = token, .out = &t };

	*out = t;
	if (!token || !*token || strchr(token, '/'))
		return log_error_errno(EINVAL, "Invalid entry token \"%s\"", token ? token : "");

	/* Our own descriptor for the walk: the caller's rootfd stays
	 * untouched (closedir closes the fd it is given). */
	int fd = fileio_open_dir(rootfd, ".");
	if (fd < 0)
		return log_error_errno(fd, "Failed to open %s", name);
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int r = -errno;
		close(fd);
		return log_error_errno(r, "Failed to stat %s", name);
	}
	s.dev = st.st_dev;
	_cleanup_closedir_ DIR *d = fdopendir(fd);
	if (!d) {
		int r = -errno;
		close(fd);
		return log_error_errno(r, "Failed to open %s", name);
	}

	int r = scan_dir(&s, d, "", 0);
	if (r < 0) {
		tree_free(&t);
		return r;
	}
	if (t.n > 1)
		qsort(t.entries, t.n, sizeof *t.entries, entry_cmp);
	*out = t;
	return 0;
}

const struct tree_entry *tree_find(const struct tree *t, const char *path)
{
	size_t lo = 0, hi = t ? t->n : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(t->entries[mid].path, path);
		if (c == 0)
			return &t->entries[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
