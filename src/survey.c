/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* survey: gather token, kernels, ESPs, trees and plans; see survey.h. */
#include "survey.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "bootcheck.h"
#include "fileio.h"
#include "log.h"

int survey_open(const char *esp_root, bool probe, struct survey *s)
{
	memset(s, 0, sizeof *s);
	for (size_t i = 0; i < ESP_MAX; i++) {
		s->esps[i].rootfd = -1;
		s->esps[i].bootable = -1;
		s->esps[i].firmware_entry = -1;
	}
	int r = esp_discover(esp_root, probe, &s->set);
	if (r < 0)
		return r;
	for (size_t i = 0; i < s->set.n; i++) {
		struct survey_esp *e = &s->esps[i];
		e->esp = &s->set.esps[i];
		if (!e->esp->mounted) {
			e->state = SURVEY_NOT_MOUNTED;
			continue;
		}
		e->rootfd = fileio_open_dir(AT_FDCWD, e->esp->path);
		if (e->rootfd < 0) {
			/* One unreadable ESP must not stop the others from syncing. */
			e->state = SURVEY_REFUSED;
			snprintf(e->reason, sizeof e->reason, "cannot open it: %s",
				 strerror(-e->rootfd));
			e->rootfd = -1;
		}
	}
	return 0;
}

void survey_free(struct survey *s)
{
	for (size_t i = 0; i < s->set.n; i++) {
		struct survey_esp *e = &s->esps[i];
		if (e->rootfd >= 0)
			close(e->rootfd);
		version_list_free(&e->kernels);
		plan_free(&e->plan);
		tree_free(&e->tree);
	}
	version_list_free(&s->modules);
	esp_set_free(&s->set);
}

int survey_read_token(struct survey *s)
{
	int r = token_read(TOKEN_ENTRY_TOKEN_PATH, TOKEN_MACHINE_ID_PATH, s->token);
	s->have_token = r >= 0;
	return r;
}

int survey_read_modules(struct survey *s)
{
	int r = version_list_modules(MODULES_DIR, &s->modules);
	if (r < 0)
		return r;
	s->newest = version_list_newest(&s->modules);
	if (!s->newest) {
		log_error("%s holds no kernel version: nothing tells which kernel must be on the "
			  "ESPs",
			  MODULES_DIR);
		return -ENOENT;
	}
	return 0;
}

int survey_find_source(struct survey *s)
{
	const struct esp *src = esp_source(&s->set);
	if (!src)
		return -ENOENT;
	for (size_t i = 0; i < s->set.n; i++)
		if (s->esps[i].esp == src)
			s->source = &s->esps[i];
	if (s->source->rootfd < 0) {
		log_error("source %s: %s", src->path, s->source->reason);
		s->source = NULL;
		return -EIO;
	}
	s->source->state = SURVEY_SOURCE;
	return 0;
}

static bool survey_has_version(const struct version_list *l, const char *v)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], v) == 0)
			return true;
	return false;
}

static int survey_read_kernels(struct survey *s, struct survey_esp *e)
{
	if (e->kernels_known)
		return 0;
	int r = version_list_esp(e->rootfd, s->token, &e->kernels);
	if (r < 0)
		return r;
	e->kernels_known = true;
	return 0;
}

int survey_check_source(struct survey *s)
{
	struct survey_esp *src = s->source;
	struct stat st;
	if (fstatat(src->rootfd, "loader", &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode)) {
		log_error("%s has no loader/ directory: is it an ESP with systemd-boot?",
			  s->set.root);
		return -ENOENT;
	}
	int r = survey_read_kernels(s, src);
	if (r < 0)
		return r;
	if (!survey_has_version(&src->kernels, s->newest)) {
		log_error("kernel %s, the newest in %s, is not installed on %s (no %s/%s/%s/): "
			  "refusing to mirror an ESP that lacks it",
			  s->newest, MODULES_DIR, s->set.root, s->set.root, s->token, s->newest);
		return -ENOENT;
	}
	return 0;
}

/* Decide what to do with one target. Returns 0, or a negative errno when
 * the target cannot be read (then it is refused, with the reason). */
static int survey_examine_target(struct survey *s, struct survey_esp *e)
{
	if (e->state == SURVEY_NOT_MOUNTED || e->rootfd < 0 || e == s->source)
		return 0;
	e->state = SURVEY_REFUSED;
	if (e->esp->devno == s->source->esp->devno) {
		snprintf(e->reason, sizeof e->reason, "it is the same filesystem as the source %s",
			 s->source->esp->path);
		return 0;
	}
	int r = survey_read_kernels(s, e);
	if (r < 0) {
		snprintf(e->reason, sizeof e->reason, "cannot list its kernels: %s", strerror(-r));
		return r;
	}
	/* A target newer than this system's kernels was updated while we were
	 * away: overwriting it would roll it back. */
	const char *newest = version_list_newest(&e->kernels);
	if (newest && version_compare(newest, s->newest) > 0) {
		snprintf(e->reason, sizeof e->reason,
			 "it holds kernel %s, newer than %s, the newest in %s", newest, s->newest,
			 MODULES_DIR);
		return 0;
	}
	r = tree_scan(e->rootfd, e->esp->path, s->token, &e->tree);
	if (r < 0) {
		snprintf(e->reason, sizeof e->reason, "cannot read it: %s", strerror(-r));
		return r;
	}
	r = plan_build(&s->source->tree, &e->tree, e->esp->path, &e->plan);
	if (r < 0) {
		snprintf(e->reason, sizeof e->reason, "cannot plan a safe sync: %s", strerror(-r));
		return r;
	}
	e->state = e->plan.n == 0 ? SURVEY_IN_STEP : SURVEY_DIFFERS;
	return 0;
}

int survey_examine(struct survey *s)
{
	int r = tree_scan(s->source->rootfd, s->source->esp->path, s->token, &s->source->tree);
	if (r < 0)
		return r;
	for (size_t i = 0; i < s->set.n; i++)
		(void)survey_examine_target(s, &s->esps[i]);
	return 0;
}

int survey_read_space(struct survey_esp *e)
{
	struct statvfs sv;
	if (fstatvfs(e->rootfd, &sv) < 0)
		return -errno;
	e->block_size = sv.f_bsize ? sv.f_bsize : 4096;
	e->free_bytes = (uint64_t)sv.f_bavail * sv.f_frsize;
	e->size_bytes = (uint64_t)sv.f_blocks * sv.f_frsize;
	e->space_known = true;
	return 0;
}

void survey_describe(struct survey *s)
{
	/* Status must not wait: if the firmware variables are not there now,
	 * they are not going to tell us anything. */
	s->booted_known = efi_booted_partuuid(EFI_VARS_DIR, 0, s->booted_partuuid,
					      &s->booted_how) == 0;
	struct efi_boot_entry *entries = NULL;
	int nentries = efi_list_boot_entries(EFI_VARS_DIR, &entries);

	for (size_t i = 0; i < s->set.n; i++) {
		struct survey_esp *e = &s->esps[i];
		const char *pu = e->esp->partuuid;
		e->booted = s->booted_known && pu[0] && efi_uuid_equal(pu, s->booted_partuuid);
		for (int k = 0; k < nentries && pu[0]; k++)
			if (efi_uuid_equal(entries[k].partuuid, pu)) {
				e->firmware_entry = entries[k].number;
				break;
			}
		if (e->rootfd < 0)
			continue;
		if (s->have_token) {
			(void)survey_read_kernels(s, e);
			e->bootable = bootcheck_esp(e->rootfd, s->token, e->bootable_why,
						    sizeof e->bootable_why);
			if (e->bootable < 0) {
				snprintf(e->bootable_why, sizeof e->bootable_why, "cannot read: %s",
					 strerror(-e->bootable));
				e->bootable = 0;
			}
		}
		(void)survey_read_space(e);
	}
	free(entries);
}

const char *survey_state_name(enum survey_state st)
{
	switch (st) {
	case SURVEY_SOURCE: return "source";
	case SURVEY_NOT_MOUNTED: return "not-mounted";
	case SURVEY_REFUSED: return "refused";
	case SURVEY_IN_STEP: return "in-step";
	case SURVEY_DIFFERS: return "differs";
	default: return "unknown";
	}
}
