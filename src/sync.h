/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* sync: what the sync and init verbs share: carrying out the decisions of
 * a survey examined under the lock. */
#pragma once
#include <stdbool.h>

#include "survey.h"

/* Apply the plan of one target (DIFFERS or INCOMPLETE); the lock proves
 * that the examination was made under it. Returns EXIT_OK or EXIT_ERROR
 * (the failure logged). */
int sync_target(const struct survey *s, const struct survey_lock *lock,
		const struct survey_esp *e);

/* Create the firmware entries the survey wants (entry_wanted), once the
 * ESPs hold their loaders, then put them in BootOrder right after the
 * entry the machine booted through, in one write. failed[i]: ESP i's sync
 * failed or was not done, so it may lack its loader: no entry for it.
 * dry_run: print what would be created. */
void sync_entries(struct survey *s, bool dry_run, const bool failed[ESP_MAX]);
