/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* esp: discover <root>@[a-z], their mounts and PARTUUIDs; bind-mount. */
#include "esp.h"

#include <blkid.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libmount.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fileio.h"
#include "log.h"

char *esp_root_normalise(const char *arg)
{
	if (!arg || arg[0] != '/') {
		log_error("--esp-root=%s: must be an absolute path", arg ? arg : "");
		return NULL;
	}
	char *s = strdup(arg);
	if (!s) {
		log_error("out of memory");
		return NULL;
	}
	size_t len = strlen(s);
	while (len > 1 && s[len - 1] == '/')
		s[--len] = '\0';
	/* "/" has no sibling "/@a"; "." or ".." components would make the
	 * sibling paths <root>@x name something else than the user meant. */
	if (strcmp(s, "/") == 0 || strstr(s, "//") || strstr(s, "/./") || strstr(s, "/../") ||
	    (len >= 2 && strcmp(s + len - 2, "/.") == 0) ||
	    (len >= 3 && strcmp(s + len - 3, "/..") == 0)) {
		log_error("--esp-root=%s: must be a plain absolute path other than /", arg);
		free(s);
		return NULL;
	}
	if (len + 3 > PATH_MAX) {
		log_error("--esp-root=%s: path too long", arg);
		free(s);
		return NULL;
	}
	return s;
}

static int lookup_u64(blkid_probe pr, const char *name, uint64_t *out)
{
	const char *v = NULL;
	if (blkid_probe_lookup_value(pr, name, &v, NULL) != 0 || !v)
		return -ENOENT;
	char *end;
	errno = 0;
	unsigned long long x = strtoull(v, &end, 10);
	if (errno || end == v || *end)
		return -EINVAL;
	*out = x;
	return 0;
}

/* Returns 0 or a negative errno; see esp.h. */
int esp_probe_partition(const char *device, struct esp *e)
{
	blkid_probe pr = blkid_new_probe_from_filename(device);
	if (!pr)
		return errno > 0 ? -errno : -EIO;
	/* Only the partition table entry is wanted: no superblock probing,
	 * which would read the filesystem. */
	blkid_probe_enable_superblocks(pr, 0);
	blkid_probe_enable_partitions(pr, 1);
	blkid_probe_set_partitions_flags(pr, BLKID_PARTS_ENTRY_DETAILS);
	/* A firmware entry's HD() names a GPT partition: the other table
	 * types' probers would only cost reads. */
	static char *const gpt_only[] = { "gpt", NULL };
	int r = blkid_probe_filter_partitions_type(pr, BLKID_FLTR_ONLYIN, (char **)gpt_only);
	if (r < 0) {
		blkid_free_probe(pr);
		return -ENOMEM;
	}
	r = -ENOENT;
	const char *v = NULL, *scheme = NULL;
	uint64_t number = 0, offset = 0, size = 0;
	/* PART_ENTRY_OFFSET and _SIZE count 512-byte sectors. */
	unsigned ss = blkid_probe_get_sectorsize(pr);
	if (blkid_do_safeprobe(pr) == 0 &&
	    blkid_probe_lookup_value(pr, "PART_ENTRY_SCHEME", &scheme, NULL) == 0 &&
	    strcmp(scheme, "gpt") == 0 &&
	    blkid_probe_lookup_value(pr, "PART_ENTRY_UUID", &v, NULL) == 0 &&
	    strlen(v) == GUID_STR_LEN - 1) {
		for (size_t i = 0; i < GUID_STR_LEN; i++)
			e->partuuid[i] = (char)tolower((unsigned char)v[i]);
		if (lookup_u64(pr, "PART_ENTRY_NUMBER", &number) == 0 &&
		    lookup_u64(pr, "PART_ENTRY_OFFSET", &offset) == 0 &&
		    lookup_u64(pr, "PART_ENTRY_SIZE", &size) == 0 && ss >= 512 && ss % 512 == 0 &&
		    number <= UINT32_MAX) {
			e->part_number = (uint32_t)number;
			e->part_start = offset / (ss / 512);
			e->part_size = size / (ss / 512);
		}
		r = 0;
	}
	blkid_free_probe(pr);
	return r;
}

/* Returns 0 or a negative errno; see esp.h. */
int esp_probe_fstype(const char *device, char *out, size_t len)
{
	blkid_probe pr = blkid_new_probe_from_filename(device);
	if (!pr)
		return errno > 0 ? -errno : -EIO;
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE);
	blkid_probe_enable_partitions(pr, 0);
	int r = -ENOENT;
	const char *type = NULL;
	if (blkid_do_safeprobe(pr) == 0 && blkid_probe_lookup_value(pr, "TYPE", &type, NULL) == 0) {
		snprintf(out, len, "%s", type);
		r = 0;
	}
	blkid_free_probe(pr);
	return r;
}

/* The letter of "<root>@x" if path is exactly that, else 0. */
static char esp_letter_of(const char *root, const char *path)
{
	size_t n = strlen(root);
	if (strncmp(path, root, n) != 0 || path[n] != '@')
		return 0;
	char c = path[n + 1];
	if (c < 'a' || c > 'z' || path[n + 2] != '\0')
		return 0;
	return c;
}

static struct esp *esp_slot(struct esp_set *set, char letter)
{
	for (size_t i = 0; i < set->n; i++)
		if (set->esps[i].letter == letter)
			return &set->esps[i];
	if (set->n >= ESP_MAX)
		return NULL;
	struct esp *e = &set->esps[set->n++];
	memset(e, 0, sizeof *e);
	e->letter = letter;
	if (asprintf(&e->path, "%s@%c", set->root, letter) < 0) {
		e->path = NULL;
		set->n--;
		return NULL;
	}
	return e;
}

static int esp_cmp(const void *a, const void *b)
{
	return ((const struct esp *)a)->letter - ((const struct esp *)b)->letter;
}

/* Add every existing directory <root>@[a-z]. Returns 0 or a negative
 * errno with why set. */
static int esp_scan_dirs(struct esp_set *set, struct reason *why)
{
	_cleanup_free_ char *parent = strdup(set->root);
	if (!parent) {
		reason_set(why, "out of memory");
		return -ENOMEM;
	}
	char *slash = strrchr(parent, '/');
	const char *base = slash + 1;
	size_t blen = strlen(base);
	const char *pdir = slash == parent ? "/" : parent;
	*slash = '\0';
	_cleanup_closedir_ DIR *d = NULL;
	int r = fileio_opendir(AT_FDCWD, pdir, &d);
	if (r == 0 && !d)
		return 0; /* no parent, so no <root>@x directory either */
	if (r < 0) {
		reason_set(why, "cannot read %s: %s", pdir, fileio_error_words(r));
		return r;
	}
	struct dirent *de;
	while ((r = fileio_readdir(d, &de)) > 0) {
		const char *nm = de->d_name;
		if (strncmp(nm, base, blen) != 0 || nm[blen] != '@' || nm[blen + 1] < 'a' ||
		    nm[blen + 1] > 'z' || nm[blen + 2] != '\0')
			continue;
		if (fileio_is_dir(dirfd(d), nm) != 1)
			continue;
		if (!esp_slot(set, nm[blen + 1])) {
			reason_set(why, "out of memory");
			return -ENOMEM;
		}
	}
	if (r < 0)
		reason_set(why, "cannot read %s: %s", pdir, fileio_error_words(r));
	return r;
}

static int esp_set_mount(struct esp *e, struct libmnt_fs *fs, bool probe)
{
	e->mounted = true;
	e->devno = mnt_fs_get_devno(fs);
	const char *type = mnt_fs_get_fstype(fs);
	e->fstype = strdup(type ? type : "");
	if (!e->fstype)
		return -ENOMEM;
	const char *root = mnt_fs_get_root(fs);
	e->fsroot = strdup(root ? root : "/");
	if (!e->fsroot)
		return -ENOMEM;
	if (!probe)
		return 0;
	const char *src = mnt_fs_get_srcpath(fs);
	if (src && strncmp(src, "/dev/", 5) == 0)
		e->device = strdup(src);
	else
		e->device = blkid_devno_to_devname(e->devno);
	if (e->device) {
		int r = esp_probe_partition(e->device, e);
		if (r < 0)
			log_debug("%s: no GPT PARTUUID for %s (%s)", e->path, e->device, strerror(-r));
	}
	return 0;
}

/* Returns 0 or a negative errno (logged); see esp.h. */
int esp_discover(const char *mountinfo, const char *esp_root, bool probe, struct esp_set *out,
		 struct reason *why)
{
	memset(out, 0, sizeof *out);
	out->root = strdup(esp_root);
	if (!out->root) {
		reason_set(why, "out of memory");
		return -ENOMEM;
	}
	int r = esp_scan_dirs(out, why);
	if (r < 0)
		return r;

	struct libmnt_table *tb = mnt_new_table_from_file(mountinfo);
	if (!tb) {
		r = errno ? -errno : -EIO;
		reason_set(why, "cannot read the mount table %s: %s", mountinfo, fileio_error_words(r));
		return r;
	}
	struct libmnt_iter *it = mnt_new_iter(MNT_ITER_FORWARD);
	if (!it) {
		mnt_unref_table(tb);
		reason_set(why, "out of memory");
		return -ENOMEM;
	}
	/* Forward order and overwrite: when mounts are stacked on one path,
	 * the last one (the visible one) wins. */
	struct libmnt_fs *fs;
	while (r == 0 && mnt_table_next_fs(tb, it, &fs) == 0) {
		const char *target = mnt_fs_get_target(fs);
		if (!target)
			continue;
		if (strcmp(target, esp_root) == 0) {
			out->root_mounted = true;
			out->root_devno = mnt_fs_get_devno(fs);
			free(out->root_fsroot);
			const char *root = mnt_fs_get_root(fs);
			out->root_fsroot = strdup(root ? root : "/");
			if (!out->root_fsroot)
				r = -ENOMEM;
			continue;
		}
		char letter = esp_letter_of(esp_root, target);
		if (!letter)
			continue;
		struct esp *e = esp_slot(out, letter);
		if (!e) {
			r = -ENOMEM;
			break;
		}
		free(e->device);
		free(e->fsroot);
		free(e->fstype);
		e->device = e->fsroot = e->fstype = NULL;
		e->partuuid[0] = '\0';
		e->part_number = 0;
		r = esp_set_mount(e, fs, probe);
	}
	mnt_free_iter(it);
	mnt_unref_table(tb);
	if (r < 0) {
		reason_set(why, "cannot list the ESPs of %s: %s", esp_root, fileio_error_words(r));
		return r;
	}
	qsort(out->esps, out->n, sizeof out->esps[0], esp_cmp);
	return 0;
}

void esp_set_free(struct esp_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		free(set->esps[i].path);
		free(set->esps[i].device);
		free(set->esps[i].fsroot);
		free(set->esps[i].fstype);
	}
	free(set->root);
	free(set->root_fsroot);
	memset(set, 0, sizeof *set);
}

/* Returns the source ESP, or NULL with why set; see esp.h. */
const struct esp *esp_source(const struct esp_set *set, struct reason *why)
{
	if (!set->root_mounted) {
		reason_set(why, "%s is not a mountpoint: run 'bootsync bind' first", set->root);
		return NULL;
	}
	const struct esp *found = NULL;
	for (size_t i = 0; i < set->n; i++) {
		const struct esp *e = &set->esps[i];
		if (!e->mounted || e->devno != set->root_devno ||
		    strcmp(e->fsroot, set->root_fsroot) != 0)
			continue;
		if (found) {
			reason_set(why, "%s is a bind of both %s and %s: cannot tell which ESP is the "
					"source",
				   set->root, found->path, e->path);
			return NULL;
		}
		found = e;
	}
	if (!found)
		reason_set(why, "%s is not a bind of any %s@[a-z] mount", set->root, set->root);
	return found;
}

/* Returns 0 or a negative errno after logging; see esp.h. */
int esp_bind_mount(const char *source, const char *target)
{
	struct libmnt_context *cxt = mnt_new_context();
	if (!cxt)
		return log_error_errno(ENOMEM, "out of memory");
	/* Source and target are given: never consult fstab for this mount. */
	int r = mnt_context_set_optsmode(cxt, MNT_OMODE_IGNORE);
	/* A plain bind has no userspace options: nothing for /run/mount/utab,
	 * so do not write it at all on the boot's critical path. */
	if (r == 0)
		r = mnt_context_disable_mtab(cxt, 1);
	if (r == 0)
		r = mnt_context_set_source(cxt, source);
	if (r == 0)
		r = mnt_context_set_target(cxt, target);
	if (r == 0)
		r = mnt_context_set_mflags(cxt, MS_BIND);
	if (r == 0)
		r = mnt_context_mount(cxt);
	if (r != 0) {
		char buf[BUFSIZ] = "";
		mnt_context_get_excode(cxt, r, buf, sizeof buf);
		log_error("cannot bind %s on %s: %s", source, target, buf[0] ? buf : strerror(EIO));
		mnt_free_context(cxt);
		return -EIO;
	}
	mnt_free_context(cxt);
	return 0;
}

/* Returns 1 if empty, 0 if not, or a negative errno. */
int esp_dir_is_empty(const char *path)
{
	_cleanup_closedir_ DIR *d = NULL;
	int r = fileio_opendir(AT_FDCWD, path, &d);
	if (r < 0)
		return r;
	if (!d)
		return -ENOENT;
	struct dirent *de;
	r = fileio_readdir(d, &de);
	return r < 0 ? r : r == 0;
}
