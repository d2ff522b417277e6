/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* sync: make the managed files of every other ESP equal to the source's.
 *
 * Preconditions first, each with its own message, and nothing written if
 * one fails. Then, per target: skip it if not mounted, refuse it if it
 * holds a newer kernel or cannot hold the plan, else apply the plan. The
 * other targets are synced whatever happens to one. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>

#include "apply.h"
#include "lock.h"
#include "log.h"
#include "size.h"
#include "survey.h"
#include "verbs.h"

static void sync_print_plan(const struct survey_esp *e)
{
	for (size_t i = 0; i < e->plan.n; i++) {
		const struct plan_op *op = &e->plan.ops[i];
		printf("%s: %s %s\n", e->esp->path, plan_op_name(op->kind), op->path);
	}
}

/* Sync one target whose plan is not empty. Returns EXIT_OK,
 * EXIT_INCOMPLETE (refused: not enough space) or EXIT_ERROR. */
static int sync_target(const struct survey *s, struct survey_esp *e)
{
	int r = survey_read_space(e);
	if (r < 0) {
		log_error_errno(r, "%s: cannot read its free space", e->esp->path);
		return EXIT_ERROR;
	}
	uint64_t need = plan_space_needed(&e->plan, e->block_size);
	if (need > e->free_bytes) {
		log_error("refusing %s: not enough space: the sync needs %" PRIu64
			  " bytes, %" PRIu64 " bytes are free; nothing was written to it",
			  e->esp->path, need, e->free_bytes);
		return EXIT_INCOMPLETE;
	}
	struct apply_stats st = { 0 };
	r = apply_plan(s->source->rootfd, e->rootfd, e->esp->path, &e->plan, &st);
	char size[SIZE_STR_MAX];
	size_format(st.bytes_copied, size, sizeof size);
	if (r < 0) {
		log_error("%s: sync stopped after %u files copied (%s); it still boots what it "
			  "booted before",
			  e->esp->path, st.files_copied, size);
		return EXIT_ERROR;
	}
	log_info("%s: synced: %u files copied (%s), %u deleted, %u directories made, %u removed",
		 e->esp->path, st.files_copied, size, st.files_deleted, st.dirs_made,
		 st.dirs_removed);
	return EXIT_OK;
}

int sync_run(const struct options *o)
{
	struct survey s;
	int ret = EXIT_PRECONDITION;
	int lockfd = -1;
	if (survey_open(o->esp_root, false, &s) < 0)
		goto out;
	if (!s.set.root_mounted) {
		log_error("%s is not a mountpoint: run 'bootsync bind' first", o->esp_root);
		goto out;
	}
	if (survey_find_source(&s) < 0 || survey_read_token(&s) < 0 ||
	    survey_read_modules(&s) < 0 || survey_check_source(&s) < 0)
		goto out;

	/* A dry run only reads, so it does not wait for a running sync. */
	if (!o->dry_run) {
		lockfd = lock_acquire(LOCK_PATH, o->lock_timeout);
		if (lockfd < 0)
			goto out;
	}
	if (survey_examine(&s) < 0) {
		ret = EXIT_ERROR;
		goto out;
	}

	ret = EXIT_OK;
	size_t targets = 0;
	for (size_t i = 0; i < s.set.n; i++) {
		struct survey_esp *e = &s.esps[i];
		int r = EXIT_OK;
		if (e == s.source)
			continue;
		targets++;
		switch (e->state) {
		case SURVEY_NOT_MOUNTED:
			log_warn("skipping %s: not mounted (degraded mirror?)", e->esp->path);
			r = EXIT_INCOMPLETE;
			break;
		case SURVEY_REFUSED:
			log_error("refusing %s: %s; left untouched", e->esp->path, e->reason);
			r = EXIT_INCOMPLETE;
			break;
		case SURVEY_IN_STEP:
			log_info("%s: in step", e->esp->path);
			break;
		case SURVEY_DIFFERS:
			if (o->dry_run)
				sync_print_plan(e);
			else
				r = sync_target(&s, e);
			break;
		default:
			r = EXIT_ERROR;
		}
		/* An error outranks an incomplete sync. */
		if (r == EXIT_ERROR || (r == EXIT_INCOMPLETE && ret == EXIT_OK))
			ret = r;
	}
	if (targets == 0) {
		log_warn("no ESP besides %s in %s@[a-z]: nothing to mirror to", s.source->esp->path,
			 o->esp_root);
		ret = EXIT_INCOMPLETE;
	}
out:
	if (lockfd >= 0)
		close(lockfd);
	survey_free(&s);
	return ret;
}
