/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* bootcheck: boot loader present, entries present, their files present. */
#include "bootcheck.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "fileio.h"

#define BOOTCHECK_ENTRY_MAX (64 * 1024)

static bool bootcheck_is_file(int rootfd, const char *relpath)
{
	const char *base;
	_cleanup_close_ int dfd = fileio_open_parent(rootfd, relpath, &base);
	struct stat st;
	return dfd >= 0 && fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

/* Check one BLS type 1 entry. Returns 1 if all files it names exist, 0 if
 * not (why filled), negative errno if it cannot be read. */
static int bootcheck_entry(int rootfd, const char *relpath, char *why, size_t why_len)
{
	const char *base;
	_cleanup_close_ int dfd = fileio_open_parent(rootfd, relpath, &base);
	if (dfd < 0)
		return dfd;
	_cleanup_free_ char *text = NULL;
	size_t len;
	int r = fileio_read_bounded(dfd, base, BOOTCHECK_ENTRY_MAX, &text, &len);
	if (r < 0)
		return r;
	int names = 0;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		while (isspace((unsigned char)*line))
			line++;
		size_t klen = strcspn(line, " \t");
		if (!((klen == 5 && strncmp(line, "linux", 5) == 0) ||
		      (klen == 6 && strncmp(line, "initrd", 6) == 0) ||
		      (klen == 3 && strncmp(line, "efi", 3) == 0) ||
		      (klen == 10 && strncmp(line, "devicetree", 10) == 0)))
			continue;
		char *val = line + klen;
		while (*val == ' ' || *val == '\t')
			val++;
		char *end = val + strlen(val);
		while (end > val && isspace((unsigned char)end[-1]))
			*--end = '\0';
		while (*val == '/')
			val++;
		if (!*val)
			continue;
		if (strstr(val, "..") || !bootcheck_is_file(rootfd, val)) {
			snprintf(why, why_len, "entry %s names missing /%s", relpath, val);
			return 0;
		}
		if (strncmp(line, "linux", 5) == 0 || strncmp(line, "efi", 3) == 0)
			names++;
	}
	if (names == 0) {
		snprintf(why, why_len, "entry %s names no kernel", relpath);
		return 0;
	}
	return 1;
}

/* Iterate dir (relative to rootfd) over names starting with token- and
 * ending with suffix; check each entry when check_files. Returns the
 * number of entries (>= 0), or -1 with why filled when one is broken, or
 * another negative errno. */
static int bootcheck_dir(int rootfd, const char *dir, const char *token, const char *suffix,
			 bool check_files, char *why, size_t why_len)
{
	_cleanup_closedir_ DIR *d = NULL;
	int r = fileio_opendir(rootfd, dir, &d);
	if (r < 0 || !d)
		return r;
	size_t tlen = strlen(token), slen = strlen(suffix);
	int count = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		if (n <= tlen + 1 + slen || strncmp(de->d_name, token, tlen) != 0 ||
		    de->d_name[tlen] != '-' || strcasecmp(de->d_name + n - slen, suffix) != 0)
			continue;
		char rel[512];
		if (snprintf(rel, sizeof rel, "%s/%s", dir, de->d_name) >= (int)sizeof rel)
			continue;
		if (check_files) {
			r = bootcheck_entry(rootfd, rel, why, why_len);
			if (r <= 0) {
				if (r < 0)
					snprintf(why, why_len, "entry %s cannot be read: %s", rel,
						 strerror(-r));
				return -1;
			}
		} else if (!bootcheck_is_file(rootfd, rel))
			continue;
		count++;
	}
	return count;
}

/* Returns 1 bootable, 0 not (why filled), negative errno; see bootcheck.h. */
int bootcheck_esp(int rootfd, const char *token, char *why, size_t why_len)
{
	if (!bootcheck_is_file(rootfd, "EFI/BOOT/BOOTX64.EFI") &&
	    !bootcheck_is_file(rootfd, "EFI/systemd/systemd-bootx64.efi")) {
		snprintf(why, why_len, "no boot loader (EFI/BOOT/BOOTX64.EFI or "
				       "EFI/systemd/systemd-bootx64.efi)");
		return 0;
	}
	int bls = bootcheck_dir(rootfd, "loader/entries", token, ".conf", true, why, why_len);
	if (bls == -1)
		return 0;
	if (bls < 0)
		return bls;
	int ukis = bootcheck_dir(rootfd, "EFI/Linux", token, ".efi", false, why, why_len);
	if (ukis < 0)
		return ukis == -1 ? 0 : ukis;
	if (bls + ukis == 0) {
		snprintf(why, why_len, "no boot entry for %s", token);
		return 0;
	}
	return 1;
}
