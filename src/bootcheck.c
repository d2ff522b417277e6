/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* bootcheck: boot loader present, entries present, their files present. */
#include "bootcheck.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>

#include "fileio.h"
#include "layout.h"

static bool is_file(int rootfd, const char *relpath)
{
	const char *base;
	_cleanup_close_ int dfd = fileio_open_parent(rootfd, relpath, &base);
	struct stat st;
	return dfd >= 0 && fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

struct entry_check {
	int rootfd;
	const char *entry;
	int kernels;
	struct reason *why;
};

static int check_file(const char *path, bool kernel, void *ctx)
{
	struct entry_check *c = ctx;
	if (strstr(path, "..") || !is_file(c->rootfd, path)) {
		reason_set(c->why, "entry %s names missing /%s", c->entry, path);
		return 1;
	}
	c->kernels += kernel;
	return 0;
}

/* Check one type 1 entry of the tree. Returns 1 if every file it names
 * exists, else 0 with why set. */
static int check_entry(int rootfd, const struct tree_entry *e, struct reason *why)
{
	if (!e->content) {
		reason_set(why, "entry %s is larger than %d bytes, not an entry systemd-boot reads",
			   e->path, TREE_ENTRY_CONTENT_MAX);
		return 0;
	}
	struct entry_check c = { .rootfd = rootfd, .entry = e->path, .why = why };
	if (layout_entry_files(e->content, check_file, &c) != 0)
		return 0;
	if (c.kernels == 0) {
		reason_set(why, "entry %s names no kernel", e->path);
		return 0;
	}
	return 1;
}

/* Returns 1, 0 (why set) or a negative errno (why set); see bootcheck.h. */
int bootcheck_esp(int rootfd, const struct tree *tree, struct reason *why)
{
	const struct layout_loader *ld = layout_native_loader();
	reason_clear(why);
	if (!is_file(rootfd, ld->fallback) && !is_file(rootfd, ld->sdboot)) {
		reason_set(why, "no boot loader (%s or %s)", ld->fallback, ld->sdboot);
		return 0;
	}
	size_t entries = 0;
	for (size_t i = 0; i < tree->n; i++) {
		const struct tree_entry *e = &tree->entries[i];
		if (e->kind != TREE_FILE || !layout_is_entry(e->path))
			continue;
		if (layout_is_type1_entry(e->path) && check_entry(rootfd, e, why) == 0)
			return 0;
		entries++;
	}
	if (entries == 0) {
		reason_set(why, "no boot entry of this machine's entry token");
		return 0;
	}
	return 1;
}
