/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* survey: the state of the whole mirror, gathered once, read-only.
 *
 * Both verbs that look at more than one ESP start here: sync applies the
 * plans a survey computed, status prints them. Nothing in a survey writes
 * to any disk. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "efi.h"
#include "esp.h"
#include "plan.h"
#include "token.h"
#include "tree.h"
#include "version.h"

#define MODULES_DIR "/lib/modules"

enum survey_state {
	SURVEY_UNKNOWN,     /* not examined (no source or token) */
	SURVEY_SOURCE,      /* the ESP the ESP root is bound to */
	SURVEY_NOT_MOUNTED, /* directory exists, nothing mounted: skipped */
	SURVEY_REFUSED,     /* mounted, but must not be written (reason says why) */
	SURVEY_IN_STEP,     /* nothing to do */
	SURVEY_DIFFERS,     /* the plan says what to do */
};

struct survey_esp {
	const struct esp *esp;
	enum survey_state state;
	char reason[256];        /* for SURVEY_REFUSED and errors */
	int rootfd;              /* open root of a mounted ESP, else -1 */
	bool booted;             /* its PARTUUID is the one the firmware booted */
	bool kernels_known;
	struct version_list kernels;
	struct tree tree;
	struct plan plan;
	bool space_known;
	uint64_t free_bytes, size_bytes, block_size;
	int bootable;            /* 1, 0, or -1 unknown */
	char bootable_why[256];
	int firmware_entry;      /* Boot#### number pointing at it, or -1 */
};

struct survey {
	struct esp_set set;
	bool have_token;
	char token[TOKEN_MAX + 1];
	struct version_list modules;
	const char *newest;      /* newest kernel in /lib/modules, or NULL */
	bool booted_known;
	char booted_partuuid[EFI_UUID_STR_LEN];
	enum efi_booted_source booted_how;
	struct survey_esp *source;
	struct survey_esp esps[ESP_MAX]; /* parallel to set.esps */
};

/* Discover the ESPs of esp_root and open the mounted ones; with probe,
 * also read their devices and PARTUUIDs (see esp_discover). Returns 0 or a
 * negative errno (logged). Always call survey_free afterwards. */
int survey_open(const char *esp_root, bool probe, struct survey *s);
void survey_free(struct survey *s);

/* Each step below logs its failure in one line naming the file or ESP and
 * returns a negative errno; the caller decides whether that is fatal. */
int survey_read_token(struct survey *s);
int survey_read_modules(struct survey *s);      /* sets s->newest */
int survey_find_source(struct survey *s);       /* sets s->source */
/* The source holds loader/ and the newest kernel of /lib/modules. */
int survey_check_source(struct survey *s);
/* Scan the source tree, then examine every other ESP: not mounted,
 * refused (newer kernel, same filesystem as the source, plan conflict),
 * in step or differs (with its plan). Needs token, modules and source.
 * Returns 0, or a negative errno if the source cannot be read. */
int survey_examine(struct survey *s);
/* Kernels, bootability, space and firmware entries of every mounted ESP,
 * for status. Never fails: what cannot be found stays unknown. */
void survey_describe(struct survey *s);
/* Free space: statvfs of the ESP; returns 0 or a negative errno. */
int survey_read_space(struct survey_esp *e);

const char *survey_state_name(enum survey_state st);
