/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* sync: what the sync and init verbs share: carrying out the decisions of
 * a survey examined under the lock. */
#pragma once
#include <stdbool.h>

#include "survey.h"
#include "verbs.h"

/* survey_prepare for a sync (firmware entries unless --no-variables), the
 * failed precondition logged. Returns EXIT_OK or EXIT_PRECONDITION. Always
 * survey_free afterwards. */
int sync_prepare(struct survey *s, const struct options *o);

/* Take the lock (not for --dry-run) and examine under it, a failure
 * logged. Returns EXIT_OK, EXIT_PRECONDITION (lock busy, the source lacks
 * the newest kernel) or EXIT_ERROR (the source cannot be read). */
int sync_examine(struct survey *s, const struct options *o, struct survey_lock *lock);

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
