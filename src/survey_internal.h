/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* survey_internal: what survey.c shares with the files that hold parts of
 * its decisions (survey_loader.c, survey_firmware.c). Not for the verbs:
 * they use survey.h. */
#pragma once
#include "survey.h"

/* survey_loader.c */

/* Read an ESP's two loader files (like: the source's systemd-boot, which a
 * target's copy matches when nothing changed). Noted, never an error. */
void survey_read_loaders(struct survey_esp *e, const struct loader_file *like);
/* Plan the target's boot loader after its kernels (update-loader ops and
 * the mkdirs they need). Returns 0 or -ENOMEM. */
int survey_plan_loaders(struct survey *s, struct survey_esp *e);

/* survey_firmware.c */

/* Read the firmware's boot entries and the booted partition, once. */
void survey_read_firmware(struct survey *s);
/* Which ESPs want a firmware boot entry (sets entry_wanted, entry_spec). */
void survey_decide_entries(struct survey *s);
/* Warnings for status: fstab lines of the old ordering; a read-only
 * efivarfs while an ESP lacks its entry. */
void survey_check_fstab(struct survey *s);
void survey_check_efivars(struct survey *s);
