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
	size_t bcap; /* room in out->blockers */
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
	for (size_t i = 0; i < t->nblockers; i++)
		free(t->blockers[i]);
	free(t->blockers);
	*t = (struct tree){ 0 };
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct tree_entry *)a)->path, ((const struct tree_entry *)b)->path);
}

/* Returns 0 or -ENOMEM. */
int tree_add_blocker(struct tree *t, size_t *cap, const char *path)
{
	if (ARRAY_GROW(t->blockers, t->nblockers, *cap) < 0)
		return -ENOMEM;
	char *p = strdup(path);
	if (!p)
		return -ENOMEM;
	t->blockers[t->nblockers++] = p;
	return 0;
}

static int blocker_cmp(const void *a, const void *b)
{
	return layout_name_cmp(*(char *const *)a, *(char *const *)b);
}

void tree_sort(struct tree *t)
{
	if (t->n > 1)
		qsort(t->entries, t->n, sizeof *t->entries, entry_cmp);
	if (t->nblockers > 1)
		qsort(t->blockers, t->nblockers, sizeof *t->blockers, blocker_cmp);
}

bool tree_is_blocker(const struct tree *t, const char *path)
{
	return t->nblockers > 0 &&
	       bsearch(&path, t->blockers, t->nblockers, sizeof *t->blockers, blocker_cmp);
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

/* Returns the decision; see tree.h. */
struct tree_decision tree_decide(const char *path, const char *name, enum tree_type type,
				 const char *token)
{
	struct tree_decision skip = { TREE_SKIP, TREE_FILE };
	enum layout_place place = layout_classify(path, type == TREE_TYPE_DIR, token);
	/* As if it were a directory: would one there hold ours? */
	enum layout_place as_dir = layout_classify(path, true, token);
	bool managed = place == LAYOUT_MANAGED;
	bool temp = strncmp(name, TREE_TEMP_PREFIX, strlen(TREE_TEMP_PREFIX)) == 0;

	if (layout_name_is_foreign(name)) {
		/* "linux." resolves to "linux" on vfat: neither copying nor
		 * deleting it could be right. Worth a word only where ours are. */
		skip.action = as_dir == LAYOUT_IGNORE ? TREE_SKIP : TREE_SKIP_WARN;
		return skip;
	}
	/* Something that is not a directory where one that may hold ours
	 * would be: the plan must see it, to refuse instead of failing a
	 * mkdir. "loader", "loader/entries" are listed; with a machine-id
	 * token any name may be such a place, and those are only kept aside
	 * (the tree lists nothing unmanaged). */
	if (type != TREE_TYPE_DIR && !managed && !temp && as_dir == LAYOUT_ON_WAY)
		return (struct tree_decision){ TREE_LIST, TREE_OTHER_FILE };
	if (type != TREE_TYPE_DIR && !managed && !temp && as_dir == LAYOUT_WALK)
		return (struct tree_decision){ TREE_BLOCKER, TREE_OTHER_FILE };
	if (type == TREE_TYPE_FILE) {
		if (!temp && !managed)
			return skip;
		return (struct tree_decision){ TREE_LIST, temp ? TREE_STALE_TEMP : TREE_FILE };
	}
	if (type == TREE_TYPE_OTHER) {
		/* vfat has neither symlinks nor special files; one here is not
		 * ours to copy or delete. Only ours are worth a warning. */
		skip.action = managed || temp ? TREE_SKIP_WARN : TREE_SKIP;
		return skip;
	}
	switch (place) {
	case LAYOUT_IGNORE:
		return skip;
	case LAYOUT_WALK:
		/* Walked (a machine-id token may be anywhere below) but not
		 * listed: the plan makes the directory when it needs it. */
		return (struct tree_decision){ TREE_WALK, TREE_OTHER_DIR };
	case LAYOUT_ON_WAY:
		return (struct tree_decision){ TREE_LIST_WALK, TREE_OTHER_DIR };
	case LAYOUT_MANAGED:
		return (struct tree_decision){ TREE_LIST_WALK, TREE_DIR };
	}
	return skip;
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

		struct stat st;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno == ENOENT)
				continue; /* removed while we read: as if never there */
			return scan_fail(s, -errno, "stat", path);
		}
		enum tree_type type = S_ISREG(st.st_mode)   ? TREE_TYPE_FILE
				      : S_ISDIR(st.st_mode) ? TREE_TYPE_DIR
							    : TREE_TYPE_OTHER;
		struct tree_decision dec = tree_decide(path, de->d_name, type, s->token);
		if (dec.action == TREE_SKIP_WARN)
			log_warn("%s/%s: %s, leaving it alone", s->name, path,
				 layout_name_is_foreign(de->d_name)
					 ? "a name vfat cannot hold as it is spelled (it would resolve "
					   "to another file)"
					 : "not a regular file or directory");
		if (dec.action == TREE_SKIP || dec.action == TREE_SKIP_WARN)
			continue;
		if (dec.action == TREE_BLOCKER) {
			if (tree_add_blocker(s->out, &s->bcap, path) < 0)
				return scan_fail(s, -ENOMEM, "scan", path);
			continue;
		}
		if (type == TREE_TYPE_DIR && st.st_dev != s->dev) {
			log_debug("skipping %s/%s: another filesystem is mounted there", s->name, path);
			continue;
		}
		if (dec.action != TREE_WALK && add_entry(s, path, dec.kind, &st) < 0)
			return scan_fail(s, -ENOMEM, "scan", path);
		if (dec.action == TREE_LIST) {
			if (dec.kind == TREE_FILE && layout_is_type1_entry(path)) {
				r = read_content(s, dirfd(d), de->d_name, path);
				if (r < 0)
					return r;
			}
			continue;
		}

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
	tree_sort(&t);
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
