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

#define BOOTCHECK_ENTRY_MAX (64 * 1024)

static bool is_file(int rootfd, const char *relpath)
{
	const char *base;
	_cleanup_close_ int dfd = fileio_open_parent(rootfd, relpath, &base);
	struct stat st;
	return dfd >= 0 && fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

/* The keys of a type 1 entry that name files on the ESP. */
static bool names_file(const char *key, size_t klen, bool *kernel)
{
	static const struct { const char *key; bool kernel; } keys[] = {
		{ "linux", true }, { "efi", true }, { "initrd", false }, { "devicetree", false },
	};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strlen(keys[i].key) == klen && strncmp(key, keys[i].key, klen) == 0) {
			*kernel = keys[i].kernel;
			return true;
		}
	return false;
}

/* Check one type 1 entry. Returns 1 if every file it names exists, 0 if
 * not, negative errno if it cannot be read; why set unless 1. */
static int check_entry(int rootfd, const char *relpath, struct reason *why)
{
	const char *base;
	_cleanup_close_ int dfd = fileio_open_parent(rootfd, relpath, &base);
	_cleanup_free_ char *text = NULL;
	size_t len;
	int r = dfd < 0 ? dfd : fileio_read_bounded(dfd, base, BOOTCHECK_ENTRY_MAX, &text, &len);
	if (r < 0) {
		reason_set(why, "entry %s cannot be read: %s", relpath, fileio_error_words(r));
		return r;
	}
	int kernels = 0;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		while (is_space(*line))
			line++;
		size_t klen = strcspn(line, " \t");
		bool kernel;
		if (!names_file(line, klen, &kernel))
			continue;
		char *val = line + klen;
		while (*val == ' ' || *val == '\t')
			val++;
		char *end = val + strlen(val);
		while (end > val && is_space(end[-1]))
			*--end = '\0';
		while (*val == '/')
			val++;
		if (!*val)
			continue;
		if (strstr(val, "..") || !is_file(rootfd, val)) {
			reason_set(why, "entry %s names missing /%s", relpath, val);
			return 0;
		}
		kernels += kernel;
	}
	if (kernels == 0) {
		reason_set(why, "entry %s names no kernel", relpath);
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
		const char *dot = strrchr(e->path, '.');
		if (dot && layout_name_equal(dot, ".conf")) {
			int r = check_entry(rootfd, e->path, why);
			if (r <= 0)
				return r;
		}
		entries++;
	}
	if (entries == 0) {
		reason_set(why, "no boot entry of this machine's entry token");
		return 0;
	}
	return 1;
}
