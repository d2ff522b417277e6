/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* sync: make the managed files of every other ESP equal to the source's.
 *
 * survey decides; this verb presents each target's state and applies the
 * plans of the targets that differ. Preconditions first, each with its
 * own message, and nothing written if one fails. The other targets are
 * synced whatever happens to one. */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "apply.h"
#include "log.h"
#include "size.h"
#include "survey.h"
#include "sync.h"
#include "text.h"
#include "verbs.h"

static void sync_print_plan(const struct survey_esp *e)
{
	for (size_t i = 0; i < e->plan.n; i++) {
		const struct plan_op *op = &e->plan.ops[i];
		printf("%s: %s %s\n", text_safe(e->esp->path), plan_op_name(op->kind),
		       text_safe(op->path));
	}
}

/* Returns EXIT_OK or EXIT_ERROR; see sync.h. */
int sync_target(const struct survey *s, const struct survey_lock *lock,
		const struct survey_esp *e)
{
	if (!lock || s->examined_under != lock) {
		log_error("%s: not examined under the sync lock, refusing to write", e->esp->path);
		return EXIT_ERROR;
	}
	struct apply_stats st = { 0 };
	int r = apply_plan(s->source->rootfd, e->rootfd, e->esp->path, &e->plan, &st);
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

/* See sync.h. A refusal to write (read-only efivarfs, no space in NVRAM,
 * no permission) is a warning: the mirror is in step, the firmware just
 * does not know one more way to boot it. */
void sync_entries(struct survey *s, bool dry_run, const bool failed[ESP_MAX])
{
	uint16_t made[ESP_MAX];
	size_t n = 0;
	for (size_t i = 0; i < s->set.n; i++) {
		struct survey_esp *e = &s->esps[i];
		if (!e->entry_wanted || failed[i])
			continue;
		const struct loadopt_spec *sp = &e->entry_spec;
		if (dry_run) {
			printf("%s: create-boot-entry \"%s\" HD(%u,GPT,%s,0x%llx,0x%llx)/File(%s)\n",
			       text_safe(e->esp->path), text_safe(sp->description), sp->part_number,
			       sp->partuuid, (unsigned long long)sp->part_start,
			       (unsigned long long)sp->part_size, sp->file);
			continue;
		}
		struct reason why;
		uint16_t number;
		if (bootentry_create(s->paths->efivars, &s->entries, sp, &number, &why) < 0) {
			log_warn("%s: no firmware boot entry made: %s", e->esp->path, why.text);
			continue;
		}
		log_info("%s: firmware boot entry Boot%04X \"%s\" created", e->esp->path,
			 (unsigned)number, sp->description);
		made[n++] = number;
	}
	if (n == 0)
		return;
	/* After the entry the machine booted through, if it is in the order;
	 * else after the source's entry; else at the end. */
	int after = -1;
	if (s->booted_known && s->booted.boot_current >= 0)
		after = s->booted.boot_current;
	else if (s->source && s->source->firmware_entry)
		after = s->source->firmware_entry->number;
	struct reason why;
	if (bootentry_order_insert(s->paths->efivars, &s->entries, after, made, n, &why) < 0)
		log_warn("the new firmware boot entries are not in BootOrder: %s", why.text);
}

/* Present (and for DIFFERS apply) one target. Returns its exit code. */
static int sync_one(const struct survey *s, const struct survey_lock *lock, bool dry_run,
		    const struct survey_esp *e)
{
	if (!reason_empty(&e->loader_note))
		log_warn("%s: %s", e->esp->path, e->loader_note.text);
	switch (e->state) {
	case SURVEY_NOT_MOUNTED:
		log_warn("skipping %s: not mounted (degraded mirror?)", e->esp->path);
		return EXIT_INCOMPLETE;
	case SURVEY_REFUSED:
		log_error("refusing %s: %s; left untouched", e->esp->path, e->reason.text);
		return EXIT_INCOMPLETE;
	case SURVEY_TOO_SMALL:
		log_error("refusing %s: %s; nothing was written to it", e->esp->path, e->reason.text);
		return EXIT_INCOMPLETE;
	case SURVEY_IN_STEP:
		log_info("%s: in step", e->esp->path);
		return EXIT_OK;
	case SURVEY_DIFFERS:
		if (dry_run) {
			sync_print_plan(e);
			return EXIT_OK;
		}
		return sync_target(s, lock, e);
	case SURVEY_INCOMPLETE: {
		/* Copy what can be copied: the target gains every managed file;
		 * what the entry names beyond them is for the user to fix. */
		int r = EXIT_OK;
		if (dry_run)
			sync_print_plan(e);
		else if (e->plan.n > 0)
			r = sync_target(s, lock, e);
		log_error("%s: %s: it would not boot that entry alone", e->esp->path, e->reason.text);
		return r == EXIT_OK ? EXIT_INCOMPLETE : r;
	}
	default:
		return EXIT_ERROR;
	}
}

/* Returns EXIT_OK or EXIT_PRECONDITION; see sync.h. */
int sync_prepare(struct survey *s, const struct options *o)
{
	unsigned flags = o->no_variables ? 0 : SURVEY_VARIABLES;
	if (survey_prepare(s, &paths_system, o->esp_root, SURVEY_TO_SYNC, flags) < 0) {
		log_error("%s", s->problems[s->nproblems - 1].text);
		return EXIT_PRECONDITION;
	}
	return EXIT_OK;
}

/* Returns EXIT_OK, EXIT_PRECONDITION or EXIT_ERROR; see sync.h. */
int sync_examine(struct survey *s, const struct options *o, struct survey_lock *lock)
{
	/* A dry run only reads, so it does not wait for a running sync. */
	if (!o->dry_run && survey_lock(s, o->lock_timeout, lock) < 0)
		return EXIT_PRECONDITION;
	int r = survey_examine(s, o->dry_run ? NULL : lock);
	if (r < 0) {
		log_error("%s", s->problems[s->nproblems - 1].text);
		return r == -ENOENT ? EXIT_PRECONDITION : EXIT_ERROR;
	}
	return EXIT_OK;
}

int sync_run(const struct options *o)
{
	struct survey s;
	struct survey_lock lock = { .fd = -1 };
	int ret = sync_prepare(&s, o);
	if (ret == EXIT_OK)
		ret = sync_examine(&s, o, &lock);
	if (ret != EXIT_OK)
		goto out;

	ret = EXIT_OK;
	size_t targets = 0;
	bool failed[ESP_MAX] = { false };
	for (size_t i = 0; i < s.set.n; i++) {
		const struct survey_esp *e = &s.esps[i];
		if (e == s.source)
			continue;
		targets++;
		int r = sync_one(&s, &lock, o->dry_run, e);
		failed[i] = r == EXIT_ERROR;
		/* An error outranks an incomplete sync. */
		if (r == EXIT_ERROR || (r == EXIT_INCOMPLETE && ret == EXIT_OK))
			ret = r;
	}
	sync_entries(&s, o->dry_run, failed);
	if (targets == 0) {
		log_warn("no ESP besides %s in %s@[a-z]: nothing to mirror to", s.source->esp->path,
			 o->esp_root);
		ret = EXIT_INCOMPLETE;
	}
out:
	survey_unlock(&lock);
	survey_free(&s);
	return ret;
}
