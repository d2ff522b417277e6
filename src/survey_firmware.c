/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* survey: the firmware's side: the boot entries the ESPs want, and what
 * costs the user (fstab lines, a read-only efivarfs). A part of the
 * survey's decisions (see survey.h), in its own file; called by survey.c. */
#include "survey_internal.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>

#include "fstab.h"
#include "layout.h"

/* Read the firmware's side once: its boot entries, and the booted
 * partition (never waited for here). */
void survey_read_firmware(struct survey *s)
{
	if (s->entries_known || s->booted_known || !reason_empty(&s->booted_why))
		return;
	s->booted_known = booted_find(s->paths->efivars, 0, &s->booted, &s->booted_why) == 0;
	s->entries_known = bootentry_list_read(s->paths->efivars, &s->entries) == 0;
}

/* Will the ESP hold systemd-boot at its own path once its plan is done? */
static bool will_hold_sdboot(const struct survey_esp *e)
{
	const char *sd = layout_native_loader()->sdboot;
	if (e->loader_sd.sdboot)
		return true;
	for (size_t i = 0; i < e->plan.n; i++)
		if (e->plan.ops[i].kind == PLAN_UPDATE_LOADER && strcmp(e->plan.ops[i].path, sd) == 0)
			return true;
	return false;
}

/* Every ESP that is (or becomes) a working member of the mirror and holds
 * systemd-boot has a firmware entry HD(its partition)/File(systemd-boot):
 * an existing one is reused, else one is wanted. */
void survey_decide_entries(struct survey *s)
{
	survey_read_firmware(s);
	if (!s->entries_known)
		return;
	const struct layout_loader *ld = layout_native_loader();
	for (size_t i = 0; i < s->set.n; i++) {
		struct survey_esp *e = &s->esps[i];
		const struct esp *esp = e->esp;
		bool member = e->state == SURVEY_SOURCE || e->state == SURVEY_IN_STEP ||
			      e->state == SURVEY_DIFFERS || e->state == SURVEY_INCOMPLETE;
		if (!member || !esp->partuuid[0] || esp->part_number == 0 || !will_hold_sdboot(e))
			continue;
		const struct bootentry *be =
			bootentry_for_partition(&s->entries, esp->partuuid, ld->efi_path);
		if (be && bootentry_matches(be, esp->partuuid, ld->efi_path)) {
			e->firmware_entry = be;
			continue;
		}
		const char *name = strrchr(esp->path, '/');
		snprintf(e->entry_desc, sizeof e->entry_desc, "Linux Boot Manager (%s)",
			 name ? name + 1 : esp->path);
		e->entry_spec = (struct loadopt_spec){
			.attributes = LOADOPT_ACTIVE,
			.description = e->entry_desc,
			.part_number = esp->part_number,
			.part_start = esp->part_start,
			.part_size = esp->part_size,
			.partuuid = esp->partuuid,
			.file = ld->efi_path,
		};
		e->entry_wanted = true;
	}
}

/* The next free warning of status, or NULL when they are all taken. */
static struct reason *new_warning(struct survey *s)
{
	return s->nwarnings < SURVEY_MAX_PROBLEMS ? &s->warnings[s->nwarnings++] : NULL;
}

/* fstab lines written for the ordering before bootsync-generator. */
void survey_check_fstab(struct survey *s)
{
	struct fstab_esps f;
	struct reason why, *w;
	if (fstab_read_esps(s->paths->fstab, s->set.root, &f, &why) < 0) {
		if ((w = new_warning(s)))
			*w = why;
		return;
	}
	for (size_t i = 0; i < f.n; i++)
		if (f.lines[i].before_bind) {
			if (!(w = new_warning(s)))
				break;
			reason_set(w,
				   "%s: the line of %s says x-systemd.before=bootbind.service: with that disk "
				   "gone, every boot waits for its device timeout (90 s by default); "
				   "bootsync-generator orders the bind after the booted ESP alone, "
				   "remove the option",
				   s->paths->fstab, f.lines[i].target);
		}
	fstab_esps_free(&f);
}

/* An ESP without a firmware entry, and efivarfs read-only: say why a sync
 * could not make one (it warned, and went on). */
void survey_check_efivars(struct survey *s)
{
	bool missing = false;
	for (size_t i = 0; i < s->set.n; i++)
		missing |= s->esps[i].rootfd >= 0 && survey_loader_version(&s->esps[i]) &&
			   !s->esps[i].firmware_entry;
	struct statvfs sv;
	struct reason *w;
	if (missing && statvfs(s->paths->efivars, &sv) == 0 && (sv.f_flag & ST_RDONLY) &&
	    (w = new_warning(s)))
		reason_set(w,
			   "%s is mounted read-only: the firmware boot entries an ESP lacks cannot "
			   "be made",
			   s->paths->efivars);
}

