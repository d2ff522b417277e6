/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* init: bring a new ESP into the mirror (a replacement disk).
 *
 * The user has partitioned the disk, made the vfat, added the fstab line
 * and mounted it at ROOT@X. init checks that it is a fit: mounted, vfat,
 * not the source, no other system's boot entries, room for what must be
 * copied; then copies the boot loader (systemd-boot, its removable-media
 * copy when the source has one, loader.conf when the ESP has none; never
 * the source's random seed), the kernels and entries, makes its firmware
 * boot entry, and checks that it would boot alone. Other systems' files
 * on it are never touched. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "bootcheck.h"
#include "fileio.h"
#include "layout.h"
#include "log.h"
#include "survey.h"
#include "sync.h"
#include "text.h"
#include "verbs.h"

#define INIT_LOADER_CONF "loader/loader.conf"

static struct survey_esp *init_find(struct survey *s, const char *path)
{
	for (size_t i = 0; i < s->set.n; i++)
		if (strcmp(s->esps[i].esp->path, path) == 0)
			return &s->esps[i];
	return NULL;
}

/* A boot entry or UKI of another token in dir: the disk is not new, or
 * belongs to another system. Returns true with its name in why. */
static bool foreign_entry(const struct survey *s, int rootfd, const char *dir, const char *ext,
			  struct reason *why)
{
	_cleanup_closedir_ DIR *d = NULL;
	if (fileio_opendir(rootfd, dir, &d) < 0 || !d)
		return false;
	struct dirent *de;
	size_t tlen = strlen(s->token), elen = strlen(ext);
	while (fileio_readdir(d, &de) > 0) {
		size_t n = strlen(de->d_name);
		if (n <= elen || !layout_name_equal(de->d_name + n - elen, ext))
			continue;
		if (layout_name_ncmp(de->d_name, s->token, tlen) == 0 && de->d_name[tlen] == '-')
			continue;
		reason_set(why, "it already holds %s/%s, a boot entry of another entry token", dir,
			   de->d_name);
		return true;
	}
	return false;
}

/* The checks that need no examination. Returns 0 or -1 after logging. */
static int init_fit(const struct survey *s, const struct survey_esp *e)
{
	const struct esp *esp = e->esp;
	if (!esp->mounted) {
		log_error("%s is not mounted: add its fstab line and mount it there first", esp->path);
		return -1;
	}
	if (e == s->source) {
		log_error("%s is the source (%s is bound to it): init brings a new ESP in", esp->path,
			  s->set.root);
		return -1;
	}
	char type[32] = "";
	if (!esp->device || esp_probe_fstype(esp->device, type, sizeof type) < 0 ||
	    strcmp(type, "vfat") != 0) {
		log_error("%s is not a vfat filesystem (%s holds %s): an ESP is vfat, make it with "
			  "mkfs.vfat -F 32",
			  esp->path, esp->device ? esp->device : "its device",
			  type[0] ? type : "no filesystem libblkid knows");
		return -1;
	}
	if (e->rootfd < 0) {
		log_error("refusing %s: %s", esp->path, e->reason.text);
		return -1;
	}
	return 0;
}

/* Plan loader/loader.conf from the source when the ESP has none. Returns
 * 0 or -ENOMEM. */
static int init_loader_conf(const struct survey *s, struct survey_esp *e)
{
	if (fileio_exists(e->rootfd, INIT_LOADER_CONF) != 0)
		return 0;
	const char *base;
	_cleanup_close_ int dfd = fileio_open_parent(s->source->rootfd, INIT_LOADER_CONF, &base);
	struct stat st;
	if (dfd < 0 || fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
		return 0;
	int r = plan_add_mkdir(&e->plan, "loader");
	if (r == 0)
		r = plan_add_loader(&e->plan, INIT_LOADER_CONF, NULL, (uint64_t)st.st_size, st.st_mtim);
	return r;
}

/* Would the ESP boot alone now? Returns EXIT_OK or EXIT_INCOMPLETE. */
static int init_check(const struct survey *s, const struct survey_esp *e)
{
	struct tree t;
	struct reason why;
	int r = tree_scan(e->rootfd, e->esp->path, s->token, &t, &why);
	if (r == 0) {
		r = bootcheck_esp(e->rootfd, &t, &why);
		tree_free(&t);
	}
	if (r == 1) {
		printf("%s boots alone: boot loader, entries and the files they name are there\n",
		       text_safe(e->esp->path));
		return EXIT_OK;
	}
	log_error("%s would not boot alone: %s", e->esp->path, why.text);
	return EXIT_INCOMPLETE;
}

int init_run(const struct options *o)
{
	struct survey s;
	struct survey_lock lock = { .fd = -1 };
	char *path = esp_root_normalise(o->arg);
	if (!path) {
		fprintf(stderr, "Try 'bootsync --help' for more information.\n");
		return EXIT_USAGE;
	}
	int ret = sync_prepare(&s, o);
	if (ret != EXIT_OK)
		goto out;
	ret = EXIT_PRECONDITION;
	struct survey_esp *e = init_find(&s, path);
	if (!e) {
		log_error("%s is not one of the ESPs of %s (%s@a ... %s@z, each a directory)", path,
			  o->esp_root, o->esp_root, o->esp_root);
		goto out;
	}
	if (init_fit(&s, e) < 0)
		goto out;
	ret = sync_examine(&s, o, &lock);
	if (ret != EXIT_OK)
		goto out;
	ret = EXIT_PRECONDITION;
	struct reason why;
	if (e->state == SURVEY_REFUSED || e->state == SURVEY_TOO_SMALL) {
		log_error("refusing %s: %s; nothing was written to it", path, e->reason.text);
		goto out;
	}
	if (foreign_entry(&s, e->rootfd, "loader/entries", ".conf", &why) ||
	    foreign_entry(&s, e->rootfd, "EFI/Linux", ".efi", &why)) {
		log_error("refusing %s: %s; init brings in a new ESP (bootsync sync keeps an ESP of "
			  "this machine in step)",
			  path, why.text);
		goto out;
	}
	if (init_loader_conf(&s, e) < 0) {
		log_error("%s: out of memory", path);
		ret = EXIT_ERROR;
		goto out;
	}
	if (e->state == SURVEY_INCOMPLETE)
		log_warn("%s: %s", path, e->reason.text);

	bool failed[ESP_MAX];
	for (size_t i = 0; i < s.set.n; i++)
		failed[i] = &s.esps[i] != e; /* init writes to this ESP only */
	if (o->dry_run) {
		for (size_t i = 0; i < e->plan.n; i++)
			printf("%s: %s %s\n", text_safe(path), plan_op_name(e->plan.ops[i].kind),
			       text_safe(e->plan.ops[i].path));
		sync_entries(&s, true, failed);
		ret = EXIT_OK;
		goto out;
	}
	if (e->plan.n > 0 && sync_target(&s, &lock, e) != EXIT_OK) {
		ret = EXIT_ERROR;
		goto out;
	}
	sync_entries(&s, false, failed);
	ret = init_check(&s, e);
out:
	survey_unlock(&lock);
	survey_free(&s);
	free(path);
	return ret;
}
