/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* survey: the one place that decides the state of every ESP of the mirror.
 *
 * Three steps, in an order the types enforce:
 *   survey_prepare   the ESPs and their mounts, the source, the entry
 *                    token, the kernels of /lib/modules; no ESP's tree is
 *                    read yet;
 *   survey_lock      one sync at a time: a struct survey_lock is the only
 *                    proof that the lock is held, and writing needs it;
 *   survey_examine   the source's tree, then every target's state: not
 *                    mounted, refused (and why), too small (with the
 *                    numbers), in step, or differs (with its plan).
 * status examines without the lock (it only shows) and then asks
 * survey_describe for what only it shows (booted, firmware entries,
 * bootable); sync applies the plans of an examination made under the lock.
 *
 * Nothing in a survey writes to a disk, and nothing in it logs but debug
 * lines: every failure is kept as a reason, in words, naming the file or
 * ESP, and the verb shows it once (sync on stderr, status in its output). */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "bootentry.h"
#include "booted.h"
#include "esp.h"
#include "loader.h"
#include "paths.h"
#include "plan.h"
#include "reason.h"
#include "token.h"
#include "tree.h"
#include "version.h"

enum survey_state {
	SURVEY_UNKNOWN,     /* not examined (a precondition failed) */
	SURVEY_SOURCE,      /* the ESP the ESP root is bound to */
	SURVEY_NOT_MOUNTED, /* directory exists, nothing mounted: skipped */
	SURVEY_REFUSED,     /* mounted, but must not be written (reason says why) */
	SURVEY_TOO_SMALL,   /* the plan does not fit (reason has the numbers) */
	SURVEY_IN_STEP,     /* nothing to do */
	SURVEY_DIFFERS,     /* the plan says what to do */
	SURVEY_INCOMPLETE,  /* the plan (maybe empty) is applied, but an entry names a
			     * file that will not be there (reason says which) */
};

/* The sync lock, held: only survey_lock makes one. */
struct survey_lock {
	int fd;
};

/* Options of a survey. */
enum {
	SURVEY_VARIABLES = 1 << 0, /* sync: decide the firmware boot entries (reads efivarfs
				    * and probes every ESP's partition) */
};

/* What the survey is for: a sync stops at the first failed precondition
 * and needs no device probing; status goes on, showing what it can. */
enum survey_purpose { SURVEY_TO_SYNC, SURVEY_TO_SHOW };

struct survey_esp {
	const struct esp *esp;
	enum survey_state state;
	struct reason reason;    /* for REFUSED, TOO_SMALL, NOT_MOUNTED, INCOMPLETE */
	int rootfd;              /* open root of a mounted ESP, else -1 */
	bool scanned;            /* tree and kernels are known */
	struct tree tree;
	struct version_list kernels;
	struct plan plan;
	bool space_known;
	uint64_t free_bytes, size_bytes, block_size;
	/* Its boot loader: systemd-boot's own path and the removable-media
	 * one (layout_native_loader), each maybe systemd-boot. */
	bool loader_known;
	struct loader_file loader_sd, loader_fb;
	bool loader_behind;        /* older than the source's: the plan updates it */
	struct reason loader_note; /* a loader left alone, and why (newer, not
				    * systemd-boot, unreadable) */
	/* Its firmware boot entry: the one that boots it (examine with
	 * SURVEY_VARIABLES, or describe), or what to create when it holds
	 * systemd-boot and the firmware has none. */
	const struct bootentry *firmware_entry;
	bool entry_wanted;
	struct loadopt_spec entry_spec;
	char entry_desc[LOADOPT_DESC_MAX];
	/* survey_describe: */
	bool booted;             /* its PARTUUID is the one the firmware booted */
	int bootable;            /* 1, 0, or -1 unknown */
	struct reason bootable_why;
};

#define SURVEY_MAX_PROBLEMS 8

struct survey {
	const struct paths *paths;
	enum survey_purpose purpose;
	unsigned flags;          /* SURVEY_* */
	struct esp_set set;
	bool have_token;
	char token[TOKEN_MAX + 1];
	struct version_list modules;
	const char *newest;      /* newest kernel in the modules directory, or NULL */
	struct survey_esp *source;
	struct survey_esp esps[ESP_MAX]; /* parallel to set.esps */
	/* Preconditions that failed, in the order they were checked; a sync
	 * stops at the first. */
	struct reason problems[SURVEY_MAX_PROBLEMS];
	size_t nproblems;
	/* survey_describe: what works but costs the user (an fstab line
	 * written for the old ordering). */
	struct reason warnings[SURVEY_MAX_PROBLEMS];
	size_t nwarnings;
	bool examined;
	const struct survey_lock *examined_under; /* NULL: a read-only examination */
	/* The source's systemd-boot, the binary every target is brought up
	 * to: its path on the source, or NULL when it has none. */
	const char *loader_from;
	const struct loader_file *loader;
	/* The firmware's side (examine with SURVEY_VARIABLES, or describe): */
	bool entries_known;      /* efivarfs could be read */
	struct bootentry_list entries;
	bool booted_known;
	struct booted booted;
	struct reason booted_why;
};

/* Step 1. Discover the ESPs of esp_root (probing devices and PARTUUIDs to
 * show them), open the mounted ones, find the source, read the entry token
 * and the kernels of paths->modules; for a sync also check that the source
 * holds loader/. Returns 0, or a negative errno when a precondition failed
 * (its reason is the last of s->problems): for SURVEY_TO_SYNC at the first
 * one, for SURVEY_TO_SHOW only when not even the ESPs could be listed.
 * Always call survey_free afterwards. */
int survey_prepare(struct survey *s, const struct paths *paths, const char *esp_root,
		   enum survey_purpose purpose, unsigned flags);

/* Step 2. Take the sync lock of a prepared survey, waiting up to timeout_s
 * seconds. Returns 0 with *lock held, or a negative errno (logged: the
 * lock file, or who holds it). Release with survey_unlock. */
int survey_lock(const struct survey *s, unsigned timeout_s, struct survey_lock *lock);
void survey_unlock(struct survey_lock *lock);

/* Step 3. Scan the source's tree, check (for a sync) that it holds the
 * newest kernel, then decide every other ESP's state, its boot loader, and
 * with SURVEY_VARIABLES which ESPs need a firmware boot entry. lock: the lock
 * survey_lock gave, or NULL for an examination that is only shown.
 * Returns 0; -ENOENT when a precondition failed (newest kernel missing on
 * the source: its reason is in s->problems); -EIO when the source cannot
 * be read (the reason too). A target that cannot be read is refused, with
 * its reason, and does not stop the others. */
int survey_examine(struct survey *s, const struct survey_lock *lock);

/* For status: the booted partition, the firmware's boot entries, the
 * ESPs' fstab lines (warnings), and for every mounted ESP its tree and
 * kernels (if not examined), bootability and free space. Never fails: what cannot be found stays unknown, with
 * its reason. */
void survey_describe(struct survey *s);

void survey_free(struct survey *s);

/* "source", "not-mounted", "refused", "too-small", "in-step", "differs",
 * "incomplete", "unknown". */
const char *survey_state_name(enum survey_state st);

/* The version of an ESP's systemd-boot (its own path first, then the
 * removable-media one), or NULL when it has none that is known. */
const char *survey_loader_version(const struct survey_esp *e);

/* Is this ESP in step? 1, 0, or -1 when unknown. */
int survey_in_step(const struct survey_esp *e);
