/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* tree: scan the managed part of one ESP, relative to directory fds.
 *
 * Only the places of layout.h are walked, depth-first, each directory
 * opened with openat(O_NOFOLLOW) from its parent's fd, so a symlink or a
 * rename elsewhere can never lead the walk off the ESP. The walk is bounded
 * in depth and in entries: an ESP beyond the bounds is not one we
 * understand, and we say so rather than guess. */
#include "tree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "array.h"
#include "fileio.h"
#include "layout.h"
#include "log.h"

/* Paths longer than this are beyond anything an ESP holds (vfat allows
 * 255 characters per name; 16 levels of long names still fit). */
#define TREE_MAX_PATH 4096

struct scan {
	const char *name;  /* the ESP's path, for the reason */
	const char *token;
	struct tree *out;
	size_t cap;
	size_t seen; /* every entry met, kept or not: bounds the work */
	dev_t dev;   /* the ESP's filesystem: never walk into another mount */
	struct reason *why;
};

void tree_free(struct tree *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		free(t->entries[i].path);
		free(t->entries[i].content);
	}
	free(t->entries);
	t->entries = NULL;
	t->n = 0;
}

/* Append an entry (path copied). Returns 0 or -ENOMEM. */
static int add_entry(struct scan *s, const char *path, enum tree_kind kind, const struct stat *st)
{
	if (ARRAY_GROW(s->out->entries, s->out->n, s->cap) < 0)
		return -ENOMEM;
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

/* A failure of the scan in words; returns err. */
static int scan_fail(struct scan *s, int err, const char *what, const char *path)
{
	reason_set(s->why, "cannot %s %s/%s: %s", what, s->name, path, fileio_error_words(err));
	return err;
}

/* Keep the content of the entry just added (name in dirfd). One larger
 * than TREE_ENTRY_CONTENT_MAX is no entry systemd-boot reads: it is left
 * without content (the boot check says why). Returns 0 or a negative
 * errno with the reason set. */
static int read_content(struct scan *s, int dirfd, const char *name, const char *path)
{
	struct tree_entry *e = &s->out->entries[s->out->n - 1];
	size_t len;
	int r = fileio_read_bounded(dirfd, name, TREE_ENTRY_CONTENT_MAX, &e->content, &len);
	if (r == -EFBIG || r == -ENOENT)
		return 0;
	if (r < 0)
		return scan_fail(s, r, "read", path);
	/* What was read is what will be compared: the size too. */
	e->size = len;
	return 0;
}

/* Walk the directory d, whose path relative to the ESP root is rel ("" for
 * the root) of depth components; its entries have depth + 1 components,
 * which may not exceed TREE_MAX_DEPTH. The caller closes d. Returns 0 or a
 * negative errno with the reason set. */
static int scan_dir(struct scan *s, DIR *d, const char *rel, unsigned depth)
{
	struct dirent *de;
	int r;
	while ((r = fileio_readdir(d, &de)) > 0) {
		if (++s->seen > TREE_MAX_ENTRIES) {
			reason_set(s->why, "it holds more than %d entries, more than any ESP this "
					   "program understands",
				   TREE_MAX_ENTRIES);
			return -E2BIG;
		}
		if (depth + 1 > TREE_MAX_DEPTH) {
			reason_set(s->why, "%s/%s is nested deeper than %d levels", rel, de->d_name,
				   TREE_MAX_DEPTH);
			return -ELOOP;
		}

		char path[TREE_MAX_PATH];
		int k = snprintf(path, sizeof path, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
		if (k < 0 || (size_t)k >= sizeof path) {
			reason_set(s->why, "a path under %s/%s is longer than %d bytes", s->name, rel,
				   TREE_MAX_PATH);
			return -ENAMETOOLONG;
		}

		if (layout_name_is_foreign(de->d_name)) {
			if (layout_classify(path, true, s->token) != LAYOUT_IGNORE)
				log_warn("%s/%s: a name vfat cannot hold as it is spelled (it would "
					 "resolve to another file), leaving it alone",
					 s->name, path);
			continue;
		}

		struct stat st;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno == ENOENT)
				continue; /* removed while we read: as if never there */
			return scan_fail(s, -errno, "stat", path);
		}

		enum layout_place place = layout_classify(path, S_ISDIR(st.st_mode), s->token);
		bool managed = place == LAYOUT_MANAGED;
		bool temp = strncmp(de->d_name, TREE_TEMP_PREFIX, strlen(TREE_TEMP_PREFIX)) == 0;

		if (!S_ISDIR(st.st_mode) && !managed && !temp &&
		    layout_classify(path, true, s->token) == LAYOUT_ON_WAY) {
			/* "loader" or "loader/entries" that is not a directory: the
			 * plan must see it, to refuse instead of failing a mkdir. */
			if (add_entry(s, path, TREE_OTHER_FILE, &st) < 0)
				return scan_fail(s, -ENOMEM, "scan", path);
			continue;
		}
		if (S_ISREG(st.st_mode)) {
			if (!temp && !managed)
				continue;
			if (add_entry(s, path, temp ? TREE_STALE_TEMP : TREE_FILE, &st) < 0)
				return scan_fail(s, -ENOMEM, "scan", path);
			if (!temp && layout_is_type1_entry(path)) {
				r = read_content(s, dirfd(d), de->d_name, path);
				if (r < 0)
					return r;
			}
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
				log_debug("skipping %s/%s: not a regular file or directory", s->name, path);
			continue;
		}

		if (st.st_dev != s->dev) {
			log_debug("skipping %s/%s: another filesystem is mounted there", s->name, path);
			continue;
		}
		if (place == LAYOUT_IGNORE)
			continue;
		/* A directory only walked (a machine-id token may be anywhere
		 * below) is not listed: the plan makes one when it needs it. */
		if (place != LAYOUT_WALK &&
		    add_entry(s, path, managed ? TREE_DIR : TREE_OTHER_DIR, &st) < 0)
			return scan_fail(s, -ENOMEM, "scan", path);

		_cleanup_closedir_ DIR *sub = NULL;
		r = fileio_opendir(dirfd(d), de->d_name, &sub);
		if (r < 0)
			return scan_fail(s, r, "open directory", path);
		if (!sub)
			continue; /* removed while we read */
		r = scan_dir(s, sub, path, depth + 1);
		if (r < 0)
			return r;
	}
	if (r < 0)
		return scan_fail(s, r, "read directory", *rel ? rel : ".");
	return 0;
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct tree_entry *)a)->path, ((const struct tree_entry *)b)->path);
}

/* Returns 0 or a negative errno with why set; see tree.h. */
int tree_scan(int rootfd, const char *name, const char *token, struct tree *out,
	      struct reason *why)
{
	struct tree t = { 0 };
	struct scan s = { .name = name, .token = token, .out = &t, .why = why };

	*out = t;
	reason_clear(why);
	if (!token || !*token || strchr(token, '/')) {
		reason_set(why, "invalid entry token \"%s\"", token ? token : "");
		return -EINVAL;
	}

	/* Our own descriptor for the walk: the caller's rootfd stays
	 * untouched (closedir closes the fd it is given). */
	_cleanup_closedir_ DIR *d = NULL;
	int r = fileio_opendir(rootfd, ".", &d);
	if (r == 0 && !d)
		r = -ENOENT;
	if (r < 0)
		return scan_fail(&s, r, "open", ".");
	struct stat st;
	if (fstat(dirfd(d), &st) < 0)
		return scan_fail(&s, -errno, "stat", ".");
	s.dev = st.st_dev;

	r = scan_dir(&s, d, "", 0);
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

/* Returns 0 or -ENOMEM. */
int tree_kernels(const struct tree *t, const char *token, struct version_list *out)
{
	struct version_list l = { 0 };
	*out = l;
	for (size_t i = 0; i < t->n; i++) {
		const struct tree_entry *e = &t->entries[i];
		const char *v;
		size_t len;
		if ((e->kind != TREE_DIR && e->kind != TREE_FILE) ||
		    !layout_kernel_version(e->path, e->kind == TREE_DIR, token, &v, &len))
			continue;
		int r = version_list_add(&l, v, len);
		if (r < 0) {
			version_list_free(&l);
			return r;
		}
	}
	version_list_sort_unique(&l);
	*out = l;
	return 0;
}
